#!/bin/sh
# screenshots.sh [BUILD_DIR]: takes the screenshots in docs/screenshots/.
#
# Runs tcpladder-gtk under a private Xvfb server; the app renders its own
# window to PNG (--screenshot), so no screen grabber is needed.  Settings,
# recent files and caches go to a throwaway XDG tree, so the screenshots do
# not depend on (or change) the user's.  BUILD_DIR defaults to _build-gtk.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/_build-gtk}
app=$build/gui/tcpladder-gtk
out=$src/docs/screenshots
scenarios=$src/data/scenarios

if [ ! -x "$app" ]; then
  echo "screenshots.sh: $app not built (ninja -C $build gui/tcpladder-gtk)" >&2
  exit 1
fi
command -v xvfb-run >/dev/null || { echo "screenshots.sh: needs xvfb-run (apt install xvfb)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
export XDG_STATE_HOME="$tmp/state"
export GTK_A11Y=none NO_AT_BRIDGE=1 GTK_USE_PORTAL=0 GDK_BACKEND=x11
# The GL renderer gives the same picture; cairo needs no GPU emulation.
export GSK_RENDERER="${GSK_RENDERER:-cairo}"
unset WAYLAND_DISPLAY
mkdir -p "$out"

shot () {
  name=$1
  shift
  echo "screenshots.sh: $name"
  xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" \
    "$app" --size 1400x900 --screenshot "$out/$name" "$@"
}

# The default scenario just as the held SYNs are released: the cursor shows
# them on their way, the inspector A's first SYN.
shot default-scenario.png --cursor 2500200us --select-packet 1 \
  "$scenarios/simultaneous-open-router-pause.scn"

# The same in the dark style, zoomed on the release burst.
shot default-scenario-dark.png --style dark --zoom 2.49s..2.52s --cursor 2500600us \
  --select-packet 5 "$scenarios/simultaneous-open-router-pause.scn"

# Simultaneous close, the FINs crossing.
shot simultaneous-close.png --cursor 1010ms --zoom 0.9s..1.2s "$scenarios/simultaneous-close.scn"

# Simulation and a real capture side by side: the first capture bundle of
# the scenario in data/captures.
bundle=
for candidate in "$src"/data/captures/simultaneous-open-router-pause* "$src"/data/captures/*; do
  if [ -e "$candidate" ] && [ "$(basename "$candidate")" != meson.build ] \
     && [ "$(basename "$candidate")" != README.md ]; then
    bundle=$candidate
    break
  fi
done
if [ -n "$bundle" ]; then
  scenario=$scenarios/simultaneous-open-router-pause.scn
  # A bundle names its scenario; use it when it is one of ours.
  for f in "$bundle"/scenario.scn "$bundle"/*.scn; do
    if [ -f "$f" ]; then scenario=$f; break; fi
  done
  shot compare.png --compare "$bundle" "$scenario"
else
  echo "screenshots.sh: no capture bundle in data/captures: compare.png not taken" >&2
fi

# A sweep opened in the app: B's connect offset against the one-way delay
# (the example of docs/sweeps.md, coarser), one cell marked, then that
# cell's run opened in a main window.
tcpladder=$build/cli/tcpladder
if [ -x "$tcpladder" ]; then
  "$tcpladder" sweep "$scenarios/simultaneous-open-delay.scn" \
    --offset B.connect.at-A.connect.at=-500ms..500ms/20ms --vary 'A<->B.delay=10ms..400ms/10ms' \
    -q --jsonl "$tmp/offset-delay.jsonl"
  shot sweep-map.png --select-cell 30,20 "$tmp/offset-delay.jsonl"
  shot sweep-point.png --open-cell 30,20 --zoom 0s..1.2s "$tmp/offset-delay.jsonl"
else
  echo "screenshots.sh: $tcpladder not built: sweep screenshots not taken" >&2
fi
