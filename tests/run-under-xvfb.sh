#!/bin/sh
# run-under-xvfb.sh PROGRAM [ARGS...]: runs a GTK test with a display.
#
# Uses the display the caller has (DISPLAY or WAYLAND_DISPLAY) when it
# works, else a private Xvfb server through xvfb-run.  When no display can
# be made, prints a TAP plan that skips everything and succeeds: a machine
# without a display server cannot run GUI tests, which is not a failure of
# the code under test.
set -u

# Quiet, deterministic GTK: no accessibility bus, the cairo renderer (a
# virtual X server has no GPU), no settings portal.
export GTK_A11Y=none
export NO_AT_BRIDGE=1
export GSK_RENDERER="${GSK_RENDERER:-cairo}"
export GTK_USE_PORTAL=0

skip () {
  echo "1..0 # SKIP $1"
  exit 0
}

have_display () {
  if [ -n "${WAYLAND_DISPLAY:-}" ]; then
    return 0
  fi
  if [ -n "${DISPLAY:-}" ] && command -v xdpyinfo >/dev/null 2>&1; then
    xdpyinfo >/dev/null 2>&1 && return 0
  fi
  return 1
}

if have_display; then
  exec "$@"
fi

command -v xvfb-run >/dev/null 2>&1 || skip "no display and no xvfb-run (apt install xvfb)"
command -v Xvfb >/dev/null 2>&1 || skip "no display and no Xvfb (apt install xvfb)"

# A throwaway probe first: if the server cannot start here (no /tmp/.X11-unix,
# a sandbox without sockets), skip instead of reporting a test failure.
if ! xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" true >/dev/null 2>&1; then
  skip "could not start Xvfb"
fi

unset WAYLAND_DISPLAY
export GDK_BACKEND=x11
exec xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" "$@"
