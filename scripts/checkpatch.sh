#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Kernel-style check of every file that runs in a kernel (host module, ABI
# header, guest code, test modules) with checkpatch.pl from Debian's
# linux-source-6.1, extracted once into build/tools.
set -e
cd "$(dirname "$0")/.."
tools=build/tools/checkpatch
tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -1)
if [ ! -x $tools/scripts/checkpatch.pl ]; then
	[ -n "$tarball" ] || { echo "checkpatch: apt-get install linux-source-6.1" >&2; exit 1; }
	mkdir -p $tools
	tar -xf "$tarball" -C $tools --strip-components=1 \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi
# Code that runs in a Linux kernel.  The freestanding test guest
# (tests/guests) follows the same layout but cannot use the kernel's helper
# macros (__aligned, ARRAY_SIZE, ...), so checkpatch does not judge it.
files=$(git ls-files 'host/*.[chS]' 'include/*.h' 'tests/modules/*.c' 'tests/guest-modules/*.c' 'guest/linux/*.[chS]' 2>/dev/null)
[ -n "$files" ] || files=$(find host include tests/modules tests/guest-modules guest/linux -name '*.[chS]')
status=0
$tools/scripts/checkpatch.pl --no-tree --terse --show-types -f $files || status=1
# The hook patches to existing kernel files, checked as the patches they
# are: on stdin, since checkpatch reads any file git tracks as source.
for p in guest/patches/*.patch; do
	$tools/scripts/checkpatch.pl --no-tree --terse --show-types --no-signoff - < "$p" |
		sed "s|^-:|$p:|" | grep -v '^total: 0 errors, 0 warnings' && status=1
done
exit $status
