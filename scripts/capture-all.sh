#!/usr/bin/env bash
# capture-all.sh: capture every bundled scenario on this machine's kernel
# into data/captures/NAME/ (the bundles committed with the sources).
#
# Usage: sudo scripts/capture-all.sh [-b BUILD_DIR] [NAME...]
#
#   -b BUILD_DIR  where tcpladder was built (default: the first of _build,
#                 build, builddir that has cli/tcpladder; or $TL_CLI)
#   NAME...       only these scenarios (default: all of data/scenarios)
#
# Needs root, like `tcpladder capture`.  Each bundle replaces the old one
# atomically; a scenario that fails stops the script with its exit status.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=

while getopts "b:h" opt; do
  case $opt in
    b) build=$OPTARG ;;
    h) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))

tcpladder=${TL_CLI:-}
if [ -n "$build" ]; then
  tcpladder=$build/cli/tcpladder
elif [ -z "$tcpladder" ]; then
  for dir in _build build builddir; do
    if [ -x "$root/$dir/cli/tcpladder" ]; then
      tcpladder=$root/$dir/cli/tcpladder
      break
    fi
  done
fi
if [ -z "$tcpladder" ] || [ ! -x "$tcpladder" ]; then
  echo "capture-all: no tcpladder executable found; build first or pass -b BUILD_DIR" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "capture-all: capturing needs root (network namespaces, TUN, tracefs); run it with sudo" >&2
  exit 5
fi

if [ $# -eq 0 ]; then
  names=()
  for scn in "$root"/data/scenarios/*.scn; do
    names+=("$(basename "$scn" .scn)")
  done
else
  names=("$@")
fi

mkdir -p "$root/data/captures"
"$tcpladder" capture --check

for name in "${names[@]}"; do
  scn=$root/data/scenarios/$name.scn
  if [ ! -f "$scn" ]; then
    echo "capture-all: no scenario $scn" >&2
    exit 3
  fi
  echo "== $name"
  "$tcpladder" capture --force -o "$root/data/captures/$name" "$scn"
done
echo "== bundles in $root/data/captures, made on $(uname -r)"
