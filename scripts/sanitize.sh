#!/usr/bin/env bash
# The whole test suite under AddressSanitizer, UndefinedBehaviorSanitizer and
# LeakSanitizer, then the CLI on every bundled scenario and on every class of
# bad input (scripts/bad-input-table.py).  Fails on any sanitizer report,
# including reports from child processes whose exit status a test ignores:
# every report goes to a log file under _build-asan/sanitizer-logs/.
#
#   scripts/sanitize.sh [MESON TEST ARGS...]     e.g. --suite robustness
#
# The GUI is left out (-Dgui=false): GTK under ASan reports the toolkit's
# own one-time allocations; the GUI tests run in the normal build.  Leaks
# of third-party libraries are suppressed in scripts/lsan.supp, each line
# documented; nothing of tcpladder's own may go there.
# Environment: TL_ASAN_BUILD (build directory), TL_ASAN_JOBS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

build=${TL_ASAN_BUILD:-_build-asan}
jobs=${TL_ASAN_JOBS:-2}
setup_args=(-Db_sanitize=address,undefined -Db_lundef=false -Dgui=false -Dbuildtype=debugoptimized)
if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" "${setup_args[@]}" >/dev/null
else
  meson setup "$build" "${setup_args[@]}" >/dev/null
fi
meson compile -C "$build" -j "$jobs" >/dev/null

logs="$root/$build/sanitizer-logs"
rm -rf "$logs"
mkdir -p "$logs"
# fast_unwind_on_malloc=0: whole allocation stacks through GLib, which has
# no frame pointers, so a leak report names our function.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:log_path=$logs/asan:log_exe_name=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$logs/ubsan:log_exe_name=1"
export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:print_suppressions=0"
# GLib's slice allocator and its lazily made caches hide nothing from
# LeakSanitizer when plain malloc is used.
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly

status=0
started=$(date +%s)

echo "sanitize: meson test ($build) ..."
meson test -C "$build" --print-errorlogs --num-processes "$jobs" "$@" || status=1

# ---- the CLI as users run it ---------------------------------------------------
tcpladder="$build/cli/tcpladder"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cli_runs=0
cli() {
  cli_runs=$((cli_runs + 1))
  if ! "$tcpladder" "$@" >"$out/stdout" 2>"$out/stderr"; then
    echo "sanitize: FAILED: tcpladder $*" >&2
    sed 's/^/    /' "$out/stderr" >&2
    status=1
  fi
}
echo "sanitize: tcpladder on every bundled scenario ..."
have_export=0
"$tcpladder" export --help >/dev/null 2>&1 && have_export=1
for scn in data/scenarios/*.scn; do
  base=$(basename "$scn" .scn)
  cli run "$scn"
  cli run "$scn" --ladder
  cli run "$scn" -q --json "$out/$base.json" --pcap "$out/$base.pcap"
  for vantage in a b router; do
    cli run "$scn" -q --pcap "$out/$base-$vantage.pcap" --vantage "$vantage"
  done
  # What was written loads back: the JSON and pcap readers on real output.
  cli run "$scn" -q --set seed=7 --set 'A<->B.delay=3ms'
  cli compare "$out/$base.json" "$out/$base.json"
  cli sweep "$scn" -q -j 2 --vary 'A<->B.delay=1ms..5ms/1ms' --seeds 2 \
    --csv "$out/$base.csv" --jsonl "$out/$base.jsonl" --map "$out/$base-map.svg"
  if [ "$have_export" = 1 ]; then
    for ext in svg png pdf txt; do
      cli export "$scn" -o "$out/$base.$ext"
    done
    cli export "$out/$base.json" -o "$out/$base-from-json.svg"
    cli export "$out/$base-a.pcap" -o "$out/$base-from-pcap.txt"
  fi
done

echo "sanitize: tcpladder on bad input (scripts/bad-input-table.py) ..."
python3 scripts/bad-input-table.py --check --cli "$tcpladder" >"$out/bad-input.txt" 2>&1 || {
  cat "$out/bad-input.txt" >&2
  status=1
}

# ---- any report, from anything ----------------------------------------------------
reports=$(find "$logs" -type f | sort)
if [ -n "$reports" ]; then
  status=1
  echo "sanitize: sanitizer reports:" >&2
  for f in $reports; do
    echo "--- $f" >&2
    head -60 "$f" >&2
  done
fi

echo "sanitize: $cli_runs CLI runs, $(echo "$reports" | grep -c . || true) sanitizer reports," \
     "$(( $(date +%s) - started )) s"
if [ "$status" -eq 0 ]; then
  echo "sanitize: clean"
else
  echo "sanitize: FAILED" >&2
fi
exit "$status"
