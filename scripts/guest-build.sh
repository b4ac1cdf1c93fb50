#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make guest: Debian's linux-source-6.1 + guest/patches (applied in
# guest/patches/series order) + the files under guest/linux/ (new files only,
# copied over the tree) + include/colinux/abi.h, configured from
# guest/coop.config with allnoconfig, built with ccache into build/guest/obj.
#
# The source tree is unpacked again only when the patches change; the
# configuration is regenerated only when the fragment changes (so what
# 'make guest-menuconfig' adds survives, as long as CONFIG_X86_COOP stays);
# the build is incremental.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/guest
src=$out/src
obj=$out/obj
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=$(nproc)

[ -f "$tarball" ] || { echo "guest: $tarball is missing: apt-get install linux-source-6.1" >&2; exit 1; }
for tool in flex bison bc gcc ld; do
	command -v $tool >/dev/null || { echo "guest: $tool is missing: apt-get install flex bison bc build-essential libelf-dev libssl-dev" >&2; exit 1; }
done

patches_hash=$(cd "$top/guest/patches" && cat series $(cat series) | sha256sum | cut -c1-16)
if [ "$(cat "$src/.colinux-patches" 2>/dev/null)" != "$patches_hash" ]; then
	echo "guest: unpacking $tarball and applying guest/patches"
	rm -rf "$src" "$out/linux-source-6.1.tmp"
	mkdir -p "$out/linux-source-6.1.tmp"
	tar -xf "$tarball" -C "$out/linux-source-6.1.tmp"
	mv "$out/linux-source-6.1.tmp/linux-source-6.1" "$src"
	rmdir "$out/linux-source-6.1.tmp"
	while read -r p; do
		[ -n "$p" ] || continue
		patch -p1 -s -d "$src" < "$top/guest/patches/$p" || { echo "guest: $p does not apply" >&2; exit 1; }
	done < "$top/guest/patches/series"
	echo "$patches_hash" > "$src/.colinux-patches"
fi

# Our own files: copied only when they differ, so make sees real changes.
(cd "$top/guest/linux" && find . -type f) | while read -r f; do
	mkdir -p "$(dirname "$src/$f")"
	cmp -s "$top/guest/linux/$f" "$src/$f" || cp "$top/guest/linux/$f" "$src/$f"
done
mkdir -p "$src/include/colinux"
cmp -s "$top/include/colinux/abi.h" "$src/include/colinux/abi.h" ||
	cp "$top/include/colinux/abi.h" "$src/include/colinux/abi.h"

mkdir -p "$obj"
if [ ! -f "$obj/.config" ] || [ "$top/guest/coop.config" -nt "$obj/.config-fragment" ]; then
	echo "guest: configuring from guest/coop.config"
	make -s -C "$src" O="$obj" KCONFIG_ALLCONFIG="$top/guest/coop.config" allnoconfig
	cp "$top/guest/coop.config" "$obj/.config-fragment"
	# Every option of the fragment must have survived Kconfig's dependencies.
	missing=$(grep -E '^CONFIG_' "$top/guest/coop.config" | while read -r line; do
		grep -qxF "$line" "$obj/.config" || echo "$line"
	done; true)
	missing+=$(grep -E '^# CONFIG_.* is not set' "$top/guest/coop.config" | while read -r line; do
		opt=$(echo "$line" | cut -d' ' -f2)
		if grep -q "^$opt=" "$obj/.config"; then echo "$line"; fi
	done; true)
	if [ -n "$missing" ]; then
		echo "guest: these options of guest/coop.config did not take:" >&2
		echo "$missing" >&2
		exit 1
	fi
fi

[ "${1:-}" = --config-only ] && exit 0

# Options a cooperative guest cannot have switch X86_COOP off silently.
grep -q '^CONFIG_X86_COOP=y' "$obj/.config" || {
	echo "guest: CONFIG_X86_COOP is off in build/guest/obj/.config: an option enabled there conflicts with it (see the depends lines of arch/x86/coop/Kconfig)" >&2
	exit 1
}

cc="gcc"
command -v ccache >/dev/null && cc="ccache gcc"
# modules too: the (few) modular drivers, and what out-of-tree modules
# need (scripts/module.lds, sign-file), signed with certs/signing_key.pem.
make -s -C "$src" O="$obj" CC="$cc" -j"$jobs" vmlinux modules
cp "$obj/vmlinux" "$out/vmlinux"
echo "guest: build/guest/vmlinux ($(make -s -C "$src" O="$obj" kernelrelease))"
