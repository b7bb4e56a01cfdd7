#!/bin/sh
# Regenerates docs/examples/: the ladder of every bundled scenario
# (data/scenarios/*.scn) as SVG, PNG, PDF and text, plus a few variants
# showing the options of `tcpladder export`.
#
# Usage: scripts/make-examples.sh [BUILD_DIR]   (default: _build)
# or TCPLADDER=/path/to/tcpladder scripts/make-examples.sh
# The output is deterministic: rerunning without changes gives the same
# bytes, so `git status` shows only real changes.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/_build}
tcpladder=${TCPLADDER:-$build/cli/tcpladder}
out=$root/docs/examples

if [ ! -x "$tcpladder" ]; then
  echo "make-examples: no tcpladder at $tcpladder; build first (ninja -C $build cli/tcpladder)" >&2
  exit 2
fi
mkdir -p "$out"

count=0
for scenario in "$root"/data/scenarios/*.scn; do
  name=$(basename "$scenario" .scn)
  for format in svg png pdf txt; do
    "$tcpladder" export "$scenario" -o "$out/$name.$format"
    count=$((count + 1))
  done
done

# Variants: dark theme at double resolution, the TCP options, plain ASCII
# text, a zoom on the release of the held SYNs, and no compression.
pause="$root/data/scenarios/simultaneous-open-router-pause.scn"
if [ -f "$pause" ]; then
  "$tcpladder" export "$pause" -o "$out/simultaneous-open-router-pause-dark.png" --theme dark --dpi 192
  "$tcpladder" export "$pause" -o "$out/simultaneous-open-router-pause-zoom.png" \
    --from 2.4995s --to 2.503s --options
  "$tcpladder" export "$pause" -o "$out/simultaneous-open-router-pause.ascii.txt" --ascii
  count=$((count + 3))
fi
close="$root/data/scenarios/simultaneous-close.scn"
if [ -f "$close" ]; then
  "$tcpladder" export "$close" -o "$out/simultaneous-close-uncompressed.svg" --no-compress --height 900
  count=$((count + 1))
fi
echo "make-examples: wrote $count files to $out"
