#!/usr/bin/env bash
# Runs the whole tcpladder test suite: installs what is missing (Debian 12),
# builds in _build-test, and runs `meson test` (GLib tests, TAP).
# Extra arguments go to `meson test` (e.g. --suite engine).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
build=_build-test
if [ -d "$build" ]; then
  meson setup --reconfigure "$build" >/dev/null
else
  meson setup "$build" >/dev/null
fi
meson compile -C "$build"

status=0
meson test -C "$build" --print-errorlogs --num-processes 2 "$@" || status=$?

# One closing line any CI reads: counts of test programs by result.
python3 scripts/test-summary.py "$build/meson-logs/testlog.json" || true
exit "$status"
