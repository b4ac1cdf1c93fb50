# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 240
# A guest discard punches a hole in the image file: the guest writes
# 16 MiB, discards the 8 MiB from 4 MiB on; the image then takes 8 MiB less
# of the host's disk, the hole reads as zeros, and the rest is untouched.
. tests/vm/lib.sh

img=/tmp/disk-discard.img
out=/tmp/disk-discard.out
rm -f $img
truncate -s 16M $img
run_linux $out mem=256 cobd0=$img colinux.test=disk-discard
rc=$?
cut -d' ' -f2- $out | grep -e 'disk-discard\|pattern' | tail
[ $rc -eq 0 ] || fail "colinux exited with $rc"
expect_in "$(cat $out)" "disk-discard: discarded" "the guest's output"
kib=$(du -k $img | cut -f1)
echo "the image takes $kib KiB of 16384"
[ "$kib" -le $((8192 + 256)) ] || fail "the discard punched no hole ($kib KiB used)"
cmp -n 8388608 -i 4194304:0 $img /dev/zero || fail "the discarded range is not zeros"
# The first 4 MiB are the pattern's first 4 MiB; the last 4 MiB too.
$PATTERN check $img 4 41 || fail "the data before the hole changed"
dd if=$img bs=1M skip=12 count=4 status=none > /tmp/disk-discard.tail
$PATTERN write /tmp/disk-discard.full 16 41 > /dev/null
dd if=/tmp/disk-discard.full bs=1M skip=12 count=4 status=none | cmp - /tmp/disk-discard.tail ||
	fail "the data after the hole changed"
rm -f /tmp/disk-discard.full /tmp/disk-discard.tail
