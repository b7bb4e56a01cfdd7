#!/usr/bin/env bash
# Fresh Debian 12 machine to a ladder in one command: installs what is
# missing, builds tcpladder in _build, and runs the default scenario
# (simultaneous open through a paused router).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
if [ -d _build ]; then
  meson setup --reconfigure _build >/dev/null
else
  meson setup _build >/dev/null
fi
meson compile -C _build
./_build/cli/tcpladder run data/scenarios/simultaneous-open-router-pause.scn "$@"
