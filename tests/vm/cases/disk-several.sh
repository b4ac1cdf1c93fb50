# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 240
# Several disks at once, given out of order and with a gap: the guest sees
# them in the order of their numbers (cobd0 vda, cobd1 vdb, cobd5 vdc),
# each with its own size and bytes, and writes go to the right one.
. tests/vm/lib.sh

out=/tmp/disk-several.out
for n in 0 1 5; do
	rm -f /tmp/disk-several-$n.img
	truncate -s $((n + 2))M /tmp/disk-several-$n.img
	printf 'this is disk %02d.' $n | dd of=/tmp/disk-several-$n.img conv=notrunc status=none
done
run_linux $out mem=256 cobd5=/tmp/disk-several-5.img cobd1=/tmp/disk-several-1.img \
	cobd0=/tmp/disk-several-0.img colinux.test=disk-several
rc=$?
cut -d' ' -f2- $out | grep -e 'disk-several' | tail
[ $rc -eq 0 ] || fail "colinux exited with $rc"
text=$(cat $out)
expect_in "$text" "disk-several: vda 4096 sectors: this is disk 00." "the guest's output"
expect_in "$text" "disk-several: vdb 6144 sectors: this is disk 01." "the guest's output"
expect_in "$text" "disk-several: vdc 14336 sectors: this is disk 05." "the guest's output"
$PATTERN check /tmp/disk-several-1.img 1 21 || fail "the write to vdb did not land on cobd1"
head -c 16 /tmp/disk-several-0.img | grep -q 'this is disk 00' || fail "cobd0 changed"
head -c 16 /tmp/disk-several-5.img | grep -q 'this is disk 05' || fail "cobd5 changed"
