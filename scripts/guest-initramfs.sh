#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest's initramfs: Debian's busybox-static, guest/initramfs/init, the
# guest-side test scripts (tests/guest/*.sh) and the static test and
# benchmark programs (guest/userland, bench/progs), packed as a gzipped cpio
# at build/guest/initramfs.cpio.gz.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/guest
stage=$out/initramfs
busybox=/bin/busybox

file -L "$busybox" | grep -q 'statically linked' ||
	{ echo "initramfs: busybox-static is missing: apt-get install busybox-static" >&2; exit 1; }

rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,tests,root,etc}
cp "$busybox" "$stage/bin/busybox"
ln -s bin "$stage/sbin"		# the kernel's orderly_poweroff() runs /sbin/poweroff
cp "$top/guest/initramfs/init" "$stage/init"
chmod 755 "$stage/init"
cp "$top"/tests/guest/*.sh "$stage/tests/" 2>/dev/null || true
for src in "$top"/guest/userland/*.c "$top"/bench/progs/*.c; do
	[ -e "$src" ] || continue
	gcc -static -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -o "$stage/bin/$(basename "$src" .c)" "$src" -lm
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$stage/etc/passwd"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) > "$out/initramfs.cpio.gz.tmp"
mv "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"
echo "initramfs: build/guest/initramfs.cpio.gz ($(du -h "$out/initramfs.cpio.gz" | cut -f1))"
