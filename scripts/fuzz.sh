#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan, and
# runs each for a bounded time.  Fails on any crash, leak, sanitizer report,
# timeout or out-of-memory; prints each target's executions and the total.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     SECONDS per target, default 60
#
# The corpus each target grows is kept in _build-fuzz/fuzz-corpus/TARGET and
# reused by the next run; it is seeded from data/scenarios, the bad scenarios
# of tests/bad-scenarios, data/captures, JSON traces and pcaps of every
# bundled scenario and small sweeps (made by the freshly built tcpladder),
# tests/fuzz/seeds and the committed regression inputs.  A crashing input is written to
# _build-fuzz/fuzz-artifacts/TARGET/; once the bug is understood, commit it
# under tests/fuzz/regressions/TARGET/ (the 'robustness' test suite replays
# every file there).  Environment: TL_FUZZ_BUILD (build directory),
# TL_FUZZ_JOBS (ninja jobs, default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
case "$seconds" in
  ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 2 ;;
esac
all_targets=(scenario set vary json pcap bundle sweep)
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  case " ${all_targets[*]} " in
    *" $t "*) ;;
    *) echo "fuzz.sh: unknown target '$t' (targets: ${all_targets[*]})" >&2; exit 2 ;;
  esac
done

build=${TL_FUZZ_BUILD:-_build-fuzz}
for tool in clang python3; do
  command -v "$tool" >/dev/null || { echo "fuzz.sh: $tool not found (scripts/install-deps.sh)" >&2; exit 2; }
done

# ---- build -------------------------------------------------------------------
setup_args=(-Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false -Dgui=false
            -Dbuildtype=debugoptimized -Dc_args=-fsanitize=fuzzer-no-link)
if [ -f "$build/build.ninja" ]; then
  meson setup --reconfigure "$build" "${setup_args[@]}" >/dev/null
else
  CC=clang meson setup "$build" "${setup_args[@]}" >/dev/null
fi
fuzz_exes=()
for t in "${all_targets[@]}"; do fuzz_exes+=("tests/fuzz/fuzz-$t"); done
# Only what fuzzing needs: the fuzz targets and tcpladder to make seeds.
ninja -C "$build" -j "${TL_FUZZ_JOBS:-2}" "${fuzz_exes[@]}" cli/tcpladder >/dev/null

# ---- seeds -------------------------------------------------------------------
seeds="$build/fuzz-seeds"
corpus="$build/fuzz-corpus"
artifacts="$build/fuzz-artifacts"
rm -rf "$seeds"
for t in "${all_targets[@]}"; do
  mkdir -p "$seeds/$t" "$corpus/$t" "$artifacts/$t"
  if [ -d "tests/fuzz/seeds/$t" ]; then cp tests/fuzz/seeds/$t/* "$seeds/$t/"; fi
  # Regression inputs seed the search too, except those that still crash
  # (tests/fuzz/regressions/KNOWN-BUGS): they would stop the target at once.
  if [ -d "tests/fuzz/regressions/$t" ]; then
    for f in tests/fuzz/regressions/$t/*; do
      if [ -f "$f" ] && ! grep -q "^$t/$(basename "$f")[[:space:]]" tests/fuzz/regressions/KNOWN-BUGS; then
        cp "$f" "$seeds/$t/regression-$(basename "$f")"
      fi
    done
  fi
done
cp data/scenarios/*.scn tests/bad-scenarios/*.scn "$seeds/scenario/"
find data/captures -type f \( -name '*.pcap' -o -name '*.pcapng' \) -size -1M \
  -exec cp {} "$seeds/pcap/" \; 2>/dev/null || true
tcpladder="$build/cli/tcpladder"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
for scn in data/scenarios/*.scn; do
  base=$(basename "$scn" .scn)
  "$tcpladder" run "$scn" -q --json "$seeds/json/$base.json" --pcap "$seeds/pcap/$base.pcap" >/dev/null
  "$tcpladder" run "$scn" -q --pcap "$seeds/pcap/$base-a.pcap" --vantage a >/dev/null
  "$tcpladder" run "$scn" -q --pcap "$seeds/pcap/$base-b.pcap" --vantage b >/dev/null
  "$tcpladder" run "$scn" -q --pcap "$seeds/pcap/$base-router.pcap" --vantage router >/dev/null
  python3 tests/fuzz/make-bundle-seed.py "$seeds/json/$base.json" "$seeds/pcap/$base-a.pcap" \
    "$seeds/pcap/$base-b.pcap" "$seeds/bundle/$base.bundle"
done
# Small sweeps of two scenarios: JSON lines (with and without the
# describing line, one shard) and CSV, with seeds, one or two axes.
"$tcpladder" sweep data/scenarios/simultaneous-open-delay.scn -q -j 1 \
  --offset B.connect.at-A.connect.at=-20ms..20ms/10ms --vary 'A<->B.delay=5ms,15ms' \
  --jsonl "$seeds/sweep/offset-delay.jsonl" --csv "$seeds/sweep/offset-delay.csv"
"$tcpladder" sweep data/scenarios/simultaneous-open-router-pause.scn -q -j 1 \
  --vary 'A->B.loss=0%..20%/10%' --seeds 2 --shard 1/2 --jsonl "$seeds/sweep/loss-shard.jsonl"
tail -n +2 "$seeds/sweep/offset-delay.jsonl" >"$seeds/sweep/rows-only.jsonl"
# The real capture bundles, packed as fuzz-bundle reads them.
for dir in data/captures/*/; do
  [ -f "$dir/meta.json" ] || continue
  packed="$seeds/bundle/real-$(basename "$dir").bundle"
  : >"$packed"
  for f in meta.json host-A.pcap host-B.pcap router.jsonl calls.jsonl states.jsonl; do
    if [ -f "$dir/$f" ]; then
      { printf '@@ %s\n' "$f"; cat "$dir/$f"; printf '\n'; } >>"$packed"
    fi
  done
done
# A pcapng of the default scenario, when tshark's editcap is there to make one.
if command -v editcap >/dev/null; then
  editcap -F pcapng "$seeds/pcap/simultaneous-open-router-pause.pcap" \
    "$seeds/pcap/simultaneous-open-router-pause.pcapng" >/dev/null 2>&1 || true
fi

# ---- run ---------------------------------------------------------------------
max_len() {
  case "$1" in
    set) echo 1024 ;;
    vary) echo 256 ;;
    scenario|sweep) echo 16384 ;;
    *) echo 131072 ;;
  esac
}

status=0
total=0
report=()
for t in "${targets[@]}"; do
  exe="$build/tests/fuzz/fuzz-$t"
  log="$build/fuzz-$t.log"
  dict=()
  if [ -f "tests/fuzz/dicts/$t.dict" ]; then dict=(-dict="tests/fuzz/dicts/$t.dict"); fi
  echo "fuzz-$t: ${seconds}s ..."
  rc=0
  "$exe" "$corpus/$t" "$seeds/$t" "${dict[@]}" \
    -seed="${TL_FUZZ_SEED:-1}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
    -artifact_prefix="$artifacts/$t/" -print_final_stats=1 >"$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  execs=${execs:-0}
  total=$((total + execs))
  if [ "$rc" -ne 0 ]; then
    status=1
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    report+=("$(printf '%-10s %12s executions  FAILED (exit %d): %s' "$t" "$execs" "$rc" "${artifact:-see $log}")")
    # The first report lines say what broke.
    grep -m 12 -E 'ERROR|runtime error|ERROR:|GLib|#[0-9]+ 0x' "$log" | sed 's/^/    /' >&2 || true
  else
    report+=("$(printf '%-10s %12s executions  ok' "$t" "$execs")")
  fi
done

echo
echo "fuzz results (${seconds}s per target, log in $build/fuzz-TARGET.log):"
printf '  %s\n' "${report[@]}"
printf '  %-10s %12s executions\n' total "$total"
if [ "$status" -ne 0 ]; then
  echo "fuzz.sh: a target failed; reproduce with $build/tests/fuzz/fuzz-TARGET ARTIFACT," >&2
  echo "then commit the input under tests/fuzz/regressions/TARGET/" >&2
fi
exit "$status"
