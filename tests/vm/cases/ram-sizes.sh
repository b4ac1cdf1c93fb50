# SPDX-License-Identifier: GPL-2.0
# models: max EPYC
# memory: 4G
# (Both host paging depths, 5-level on max and 4-level on EPYC; Skylake's
# page-table isolation does not touch how guest RAM is held and mapped.)
# Guest RAM of 128 MiB and 2 GiB (in a 4 GiB test host) works; more than the
# host can give fails with a message that says why and how to fix it, and
# leaks nothing; a size that is not a multiple of 128 MiB is refused.
. tests/vm/lib.sh

for mib in 128 2048; do
	out=$($COLINUX run kernel=$TESTGUEST mem=$mib test=hello 2>&1) ||
		fail "mem=$mib: $out"
	echo "$out" | grep RAM:
	total=$(echo "$out" | sed -n 's/^RAM: \([0-9]*\) chunk.*/\1/p')
	[ -n "$total" ] || fail "mem=$mib: no RAM line"
done
sync; echo 3 > /proc/sys/vm/drop_caches
before=$(memfree_kb)
out=$($COLINUX run kernel=$TESTGUEST mem=8192 test=hello 2>&1) && fail "mem=8192 worked in a 4 GiB host"
echo "$out"
expect_in "$out" "cannot get 8192 MiB of guest RAM" "the error"
expect_in "$out" "physically contiguous" "the error"
sync; echo 3 > /proc/sys/vm/drop_caches
after=$(memfree_kb)
echo "MemFree: before $before kB, after $after kB"
# The module's own count is exact; MemFree only catches a gross leak (it
# moves by tens of MiB with the host's caches and per-CPU free lists: 32
# MiB was seen once with nothing held).
pages=$(cat /sys/module/colinux/parameters/ram_pages)
[ "$pages" = 0 ] || fail "a failed allocation kept $pages guest pages in the module"
[ $((before - after)) -lt 65536 ] || fail "a failed allocation kept $((before - after)) kB"
out=$($COLINUX run kernel=$TESTGUEST mem=100 test=hello 2>&1) && fail "mem=100 accepted"
expect_in "$out" "mem=100: guest RAM comes in 128 MiB blocks" "the error"
