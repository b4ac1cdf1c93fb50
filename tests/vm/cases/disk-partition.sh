# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 300
# Real disks: a partition of a loop device (losetup -P) works as a cobd,
# by its /dev/disk/by-* path too; a mounted partition, a disk with a
# mounted partition, and a partition another VM holds are refused with a
# message that names why; with ,ro the mounted one can be looked at.
. tests/vm/lib.sh

img=/tmp/disk-partition.img
out=/tmp/disk-partition.out
mnt=/tmp/disk-partition.mnt
rm -f $img
truncate -s 64M $img
printf 'label: dos\nstart=2048, size=32768\nstart=34816\n' | sfdisk -q $img ||
	fail "sfdisk failed"
modprobe loop 2>/dev/null
modprobe ext4 2>/dev/null
loop=$(losetup -P -f --show $img) || fail "losetup -P failed"
trap 'umount $mnt 2>/dev/null; losetup -d $loop' EXIT
for i in $(seq 50); do [ -b ${loop}p2 ] && break; sleep 0.1; done
[ -b ${loop}p1 ] && [ -b ${loop}p2 ] || fail "no partitions on $loop"

# p1 as cobd0: the guest writes 4 MiB there, and only there.
run_linux $out mem=256 cobd0=${loop}p1 colinux.test=disk-partition
rc=$?
cut -d' ' -f2- $out | grep -e 'disk-partition\|pattern' | tail
[ $rc -eq 0 ] || fail "colinux exited with $rc"
expect_in "$(cat $out)" "disk-partition: 32768 sectors" "the guest's output"
$PATTERN check ${loop}p1 4 31 || fail "the guest's write is not on ${loop}p1"
[ "$(sfdisk -d $img | grep -c 'start=')" -eq 2 ] || fail "the partition table changed"

# p2 mounted: refused with the mount point named; ,ro is allowed.
mkfs.ext4 -q -E nodiscard ${loop}p2 || fail "mkfs.ext4 failed"
mkdir -p $mnt
mount ${loop}p2 $mnt || fail "cannot mount ${loop}p2"
msg=$($COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD cobd0=${loop}p2 2>&1)
rc=$?
echo "$msg"
[ $rc -eq 2 ] || fail "a mounted partition was not refused (status $rc)"
expect_in "$msg" "cobd0: ${loop}p2 is mounted on $mnt" "the refusal"
msg=$($COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD cobd0=$loop 2>&1)
rc=$?
echo "$msg"
[ $rc -eq 2 ] || fail "a disk with a mounted partition was not refused (status $rc)"
expect_in "$msg" "has a partition mounted on $mnt" "the refusal"
run_linux $out mem=256 cobd0=${loop}p2,ro colinux.test=disk-ro-look
rc=$?
[ $rc -eq 0 ] || fail "the mounted partition with ,ro did not boot (status $rc)"
expect_in "$(cat $out)" "disk-ro-look: getro 1" "the guest's output"
umount $mnt

# By a /dev/disk/by-* path, when udev made one (the test host may not run udev).
by=$(find /dev/disk -lname "*${loop##*/}p1" 2>/dev/null | head -1)
if [ -n "$by" ]; then
	run_linux $out mem=256 cobd0=$by colinux.test=disk-partition || fail "$by did not work"
else
	echo "no /dev/disk/by-* link for ${loop}p1 here; a symlink stands in"
	ln -sf ${loop}p1 /tmp/disk-partition.link
	run_linux $out mem=256 cobd0=/tmp/disk-partition.link colinux.test=disk-partition ||
		fail "a symlink to ${loop}p1 did not work"
fi

# Held by another VM: the second is refused.
$COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD cobd0=${loop}p1 \
	colinux.test=disk-fsync > /tmp/disk-partition.first 2>&1 &
wait_for /tmp/disk-partition.first "pattern: fsync done" 180
msg=$($COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD cobd0=${loop}p1 2>&1)
rc=$?
pkill -x colinux
wait
echo "$msg"
[ $rc -eq 2 ] || fail "a partition another VM holds was not refused (status $rc)"
expect_in "$msg" "cobd0: ${loop}p1 is in use" "the refusal"
