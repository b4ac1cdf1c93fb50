#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh OUT: builds the debug test host's kernel (issue 13) from Debian's
# linux-source-6.1 into OUT (OUT/obj is the build tree, usable as KDIR for
# external modules; OUT/release names it).  Rebuilds only what changed, and
# through ccache, so a second run costs a minute.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
tarball=/usr/src/linux-source-6.1.tar.xz
[ -f $tarball ] || { echo "debug kernel: $tarball is missing: apt-get install linux-source-6.1"; exit 1; }
src=$out/linux-source-6.1
if [ ! -f $src/Makefile ] || [ $tarball -nt $src/Makefile ]; then
	rm -rf "$src"
	tar -C "$out" -xf $tarball
	for p in "$here"/*.patch; do
		patch -d "$src" -p1 -s < "$p"
	done
	touch $src/Makefile
fi
obj=$out/obj
mkdir -p $obj
kmake() {
	make -C $src O=$obj LOCALVERSION=-colinux-debug CC="ccache gcc" -j"$(nproc)" "$@"
}
if [ ! -f $obj/.config ] || [ $here/debug.config -nt $obj/.config ]; then
	kmake -s x86_64_defconfig kvm_guest.config
	$src/scripts/kconfig/merge_config.sh -m -O $obj $obj/.config $here/debug.config >/dev/null
	kmake -s olddefconfig
	# A wanted option that Kconfig refused (a missing dependency) would
	# leave a kernel that checks less than it claims.
	missing=$(grep -E '^CONFIG_.*=[ym]$' $here/debug.config | while read -r line; do
		grep -qx "$line" $obj/.config || echo "${line%=[ym]}"
	done)
	if [ -n "$missing" ]; then
		echo "debug kernel: the configuration lacks" $missing
		rm $obj/.config
		exit 1
	fi
fi
kmake -s
kmake -s kernelrelease > $out/release
echo "debug kernel: $(cat $out/release) in $obj"
