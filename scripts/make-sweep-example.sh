#!/usr/bin/env bash
# Regenerates the outcome maps in docs/examples/ (shown in docs/sweeps.md).
#
#   scripts/make-sweep-example.sh [BUILD_DIR]
#
# Uses $TCPLADDER if set, else builds cli/tcpladder in BUILD_DIR (default
# _build, configured without the GUI if it does not exist yet).  Both maps
# take well under a second of CPU each.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${TCPLADDER:-}" ]; then
  tcpladder=$TCPLADDER
else
  build=${1:-$root/_build}
  [ -d "$build" ] || meson setup "$build" "$root" -Dgui=false
  ninja -C "$build" cli/tcpladder
  tcpladder=$build/cli/tcpladder
fi
scenarios=$root/data/scenarios
out=$root/docs/examples
mkdir -p "$out"

# 1. When do the SYNs cross?  B connects from 500 ms before to 500 ms after
#    A, against a one-way delay of 1 ms to 400 ms: 201 x 400 = 80400 runs.
for ext in png svg; do
  "$tcpladder" sweep "$scenarios/simultaneous-open-delay.scn" \
    --offset 'B.connect.at-A.connect.at=-500ms..500ms/5ms' \
    --vary 'A<->B.delay=1ms..400ms/1ms' \
    --title "Simultaneous open: B's connect offset against the one-way delay" \
    --map "$out/outcome-map-simultaneous-open-delay.$ext"
done

# 2. Loss on the default scenario, 20 seeds per point: hatched cells are
#    points where the seeds disagree.  41 x 40 x 20 = 32800 runs.
for ext in png svg; do
  "$tcpladder" sweep "$scenarios/simultaneous-open-router-pause.scn" \
    --vary 'A<->B.loss=0%..40%/1%' \
    --vary 'A<->B.delay=5ms..200ms/5ms' \
    --seeds 20 \
    --title 'Router pause with packet loss: 20 seeds per point' \
    --map "$out/outcome-map-router-pause-loss.$ext"
done

echo "make-sweep-example: wrote $out/outcome-map-*.{png,svg}"
