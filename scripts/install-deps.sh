#!/usr/bin/env bash
# Install the Debian 12 packages tcpladder needs to build, test and capture.
# Installs only what is missing, so it is cheap to run again.
set -euo pipefail

packages=(
  build-essential meson ninja-build pkg-config
  libglib2.0-dev libjson-glib-dev libpcap-dev
  libcairo2-dev libpango1.0-dev
  libgtk-4-dev xvfb xauth desktop-file-utils appstream
  tshark iproute2 libxml2-utils
  clang libclang-rt-14-dev
)
if [ "${TCPLADDER_NO_GUI:-0}" = 1 ]; then
  packages=("${packages[@]/libgtk-4-dev}")
  packages=("${packages[@]/xvfb}")
fi

missing=()
for p in "${packages[@]}"; do
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
