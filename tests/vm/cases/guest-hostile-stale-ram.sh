# SPDX-License-Identifier: GPL-2.0
# long: first model only in make check, every model in make check-long
# timeout: 180
# Guest RAM never holds old host memory, even on a host that does not clear
# pages when it allocates them (the test host always boots with init_on_alloc=0):
# a host process fills 1.5 GiB (at most all free memory but 384 MiB) with a
# marker and exits, then the guest
# checks that every byte of its RAM the daemon did not load is zero.
. tests/vm/lib.sh

# scan_free_pages: page-scan takes all free pages but 256 MiB as they are
# and counts those holding the marker: sets scanned and hits.
scan_free_pages() {
	local line
	insmod $CO_BUILD/tests/modules/$CO_KREL/page-scan.ko max_mb=$(($(memfree_kb) / 1024 - 256)) ||
		fail "cannot load page-scan"
	rmmod page_scan
	line=$(dmesg | grep 'page_scan:' | tail -1)
	echo "$line"
	hits=$(echo "$line" | sed -n 's/.* \([0-9]*\) hold the marker.*/\1/p')
	scanned=$(echo "$line" | sed -n 's/.*: \([0-9]*\) pages scanned.*/\1/p')
}

grep -q init_on_alloc=0 /proc/cmdline || fail "the test host does not run with init_on_alloc=0"
sync
echo 3 > /proc/sys/vm/drop_caches
# A host process fills most of free memory with a marker and exits: its
# pages go back to the allocator as they are.
mark_mb=$(($(memfree_kb) / 1024 - 384))
[ $mark_mb -le 1536 ] || mark_mb=1536
python3 -c 'import sys; b = b"STALE-HOST-DATA-MARKER.." * (int(sys.argv[1]) * 1024 * 1024 // 24); print("host: %d MiB marked" % (len(b) >> 20))' $mark_mb
out=$($COLINUX run kernel=$TESTGUEST mem=512 test=zeroram 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "the guest found old host data in its RAM (status $rc)"
scanned=$(echo "$out" | sed -n "s/^zeroram: \([0-9]*\) MiB scanned.*/\1/p")
[ "${scanned:-0}" -ge 500 ] || fail "the guest scanned only ${scanned:-no} MiB"
expect_in "$out" " 0 words not zero" "the guest's output"

# And the other way: what the guest wrote never reaches the host's
# allocator.  The guest marks all its RAM and powers off; then a test module
# takes all free pages but 256 MiB uncleared and looks for the marker.
out=$($COLINUX run kernel=$TESTGUEST mem=512 test=fillmarker 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "fillmarker: status $rc"
wait_module_idle
scan_free_pages
[ "${scanned:-0}" -gt 131072 ] || fail "page-scan looked at only ${scanned:-no} pages"
[ "${hits:-x}" = 0 ] || fail "${hits:-?} free host pages still hold the guest's data"

# The scan finds what is there: a host process leaves the same marker in
# most of free memory and exits, and the scan must see at least half of what
# cannot hide in the 256 MiB it leaves. (A control of 256 MiB relied on the
# allocator's order and once found none of its pages: the allocator may hand
# out the rest of free memory first.) The marker is upper-cased at run time
# here, in the test guest and in page-scan: a literal copy in a file's bytes
# is not the guest's data, and insmod's freed copy of page-scan.ko was one
# false hit.
mark_mb=$(($(memfree_kb) / 1024 - 384))
[ $mark_mb -le 1536 ] || mark_mb=1536
[ $mark_mb -ge 768 ] || fail "only $((mark_mb + 384)) MiB free for the control"
python3 -c '
import mmap, sys
mb = int(sys.argv[1])
m = mmap.mmap(-1, mb << 20)  # page-aligned, as guest RAM is
mib = (b"colinux-guest-data-marker".upper() + bytes(7)) * (1 << 15)
for i in range(mb):
    m.write(mib)
print("host: %d MiB marked" % (m.tell() >> 20))' $mark_mb
scan_free_pages
want=$(((mark_mb - 256) * 256 / 2))
[ "${hits:-0}" -ge $want ] ||
	fail "page-scan found only ${hits:-no} of the $((mark_mb * 256)) pages a host process marked (wanted $want)"
