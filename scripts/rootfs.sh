#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make rootfs: a Debian 12 (bookworm) root filesystem for the guest, as an
# ext4 image file, built with mmdebstrap from Debian's packages only.
#
#   build/rootfs/debian-12.img   the image (sparse, ROOTFS_SIZE, default 2G)
#   build/rootfs/cache/          the .debs it was made of, for the next run
# (ROOTFS_OUT=DIR puts both elsewhere, ROOTFS_IMAGE=PATH the image alone.)
#
# Small by default: minbase, systemd, and what a user expects at a prompt
# (bash, an editor, ip, ping, an ssh client, apt, less, ps).  The network
# comes up by itself: systemd-networkd takes a DHCP lease on every Ethernet
# interface (conet's eth0=nat hands one out) and systemd-resolved uses the
# DNS server it names; nothing waits for the network at boot.  What a
# cooperative guest never has is not started: the modprobe@ services of
# Debian's boot for modules its kernel does not have (configfs, dm_mod, drm,
# efi_pstore, fuse, loop: each is a process that finds nothing), the pstore
# and e2scrub-snapshot services (no pstore backend, no LVM), and the
# generators for GPT root discovery and hibernation (the root is named on
# the command line; a guest does not hibernate).  Under QEMU TCG each unit
# costs a fraction of a second of the boot.  ROOTFS_EXTRA
# adds packages (comma or space separated).  Root logs in on the console
# with no password (set one with passwd).  A second run with the same
# packages keeps the image; with other packages it reuses the cached .debs.
#
# Needs root (mmdebstrap's root mode writes real owners into the tree that
# mke2fs -d copies into the image).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=${ROOTFS_OUT:-$top/build/rootfs}
image=${ROOTFS_IMAGE:-$out/debian-12.img}
size=${ROOTFS_SIZE:-2G}
packages="systemd,systemd-sysv,systemd-resolved,udev,dbus,vim-tiny,iproute2,iputils-ping,openssh-client,less,procps,kmod,netbase,ca-certificates,e2fsprogs"
extra=$(echo "${ROOTFS_EXTRA:-}" | tr ' ' ',' | sed 's/^,*//; s/,*$//')
[ -n "$extra" ] && packages="$packages,$extra"

stamp=$(cat "$0" | sha256sum | cut -c1-16)-$(echo "$packages $size" | sha256sum | cut -c1-16)
if [ -f "$image" ] && [ "$(cat "$image.stamp" 2>/dev/null)" = "$stamp" ]; then
	echo "rootfs: $image is up to date (rm it to build it again)"
	exit 0
fi

[ "$(id -u)" -eq 0 ] || { echo "rootfs: run as root (sudo make rootfs): mmdebstrap's root mode keeps file owners" >&2; exit 1; }
for tool in mmdebstrap mke2fs; do
	command -v $tool >/dev/null || { echo "rootfs: $tool is missing: apt-get install mmdebstrap e2fsprogs" >&2; exit 1; }
done

mkdir -p "$out/cache"
tree=$out/tree
rm -rf "$tree" "$image.tmp"
echo "rootfs: mmdebstrap bookworm (minbase + $packages)"
mmdebstrap --mode=root --variant=minbase --include="$packages" \
	--skip=essential/unlink \
	--setup-hook='mkdir -p "$1"/var/cache/apt/archives/' \
	--setup-hook="sync-in $out/cache /var/cache/apt/archives/" \
	--customize-hook="sync-out /var/cache/apt/archives $out/cache" \
	--customize-hook='echo colinux > "$1/etc/hostname"' \
	--customize-hook='printf "127.0.0.1\tlocalhost\n127.0.1.1\tcolinux\n" > "$1/etc/hosts"' \
	--customize-hook='chroot "$1" passwd --delete root' \
	--customize-hook='printf "# The guest sees cobd0 as /dev/vda.\n/dev/vda\t/\text4\terrors=remount-ro\t0\t1\n" > "$1/etc/fstab"' \
	--customize-hook='printf "# conet interfaces: DHCP (eth0=nat serves it; on tap, the LAN or the host).\n[Match]\nType=ether\n\n[Network]\nDHCP=yes\n" > "$1/etc/systemd/network/80-colinux-dhcp.network"' \
	--customize-hook='chroot "$1" systemctl enable systemd-networkd.service systemd-resolved.service' \
	--customize-hook='chroot "$1" systemctl disable systemd-networkd-wait-online.service' \
	--customize-hook='for m in configfs dm_mod drm efi_pstore fuse loop; do ln -s /dev/null "$1/etc/systemd/system/modprobe@$m.service"; done' \
	--customize-hook='chroot "$1" systemctl disable e2scrub_reap.service systemd-pstore.service' \
	--customize-hook='mkdir -p "$1/etc/systemd/system-generators" && for g in gpt-auto hibernate-resume; do ln -s /dev/null "$1/etc/systemd/system-generators/systemd-$g-generator"; done' \
	--customize-hook='rm -f "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*_Packages' \
	bookworm "$tree"

echo "rootfs: mke2fs -t ext4 -d ($(du -sh "$tree" | cut -f1) of files) into a $size image"
mke2fs -q -t ext4 -L colinux-root -d "$tree" "$image.tmp" "$size"
rm -rf "$tree"
mv "$image.tmp" "$image"
echo "$stamp" > "$image.stamp"
echo "rootfs: $image ($(du -h "$image" | cut -f1) used of $size)"
