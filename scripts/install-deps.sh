#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Installs the Debian 12 packages that building and testing need, and only
# those that are missing.  Needs root (or sudo) when something is missing.
set -e

PACKAGES="build-essential python3 file cpio kmod util-linux procps
	qemu-system-x86 busybox-static libcmocka-dev
	linux-image-amd64 linux-headers-amd64 linux-source-6.1 git
	flex bison bc libelf-dev libssl-dev ccache xz-utils patch libncurses-dev
	liburing-dev e2fsprogs fdisk mmdebstrap python3-pexpect openssl
	libslirp-dev debhelper dh-dkms dkms fakeroot lintian systemd
	iperf3 user-mode-linux clang stress-ng"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing"
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null; then
		SUDO=sudo
	else
		echo "install-deps: run as root, or: apt-get install$missing" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
