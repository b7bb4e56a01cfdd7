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
python3 - "$build/meson-logs/testlog.json" <<'PY' || true
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0, "TIMEOUT": 0, "ERROR": 0, "EXPECTEDFAIL": 0, "UNEXPECTEDPASS": 0}
with open(sys.argv[1]) as log:
    for line in log:
        line = line.strip()
        if line:
            result = json.loads(line).get("result", "ERROR")
            counts[result] = counts.get(result, 0) + 1
failed = counts["FAIL"] + counts["TIMEOUT"] + counts["ERROR"] + counts["UNEXPECTEDPASS"]
print(f"tests: {counts['OK'] + counts['EXPECTEDFAIL']} passed, {failed} failed, {counts['SKIP']} skipped")
PY
exit "$status"
