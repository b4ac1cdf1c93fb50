# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 240
# Two VMs never open one image read-write: while one runs with it, a
# second is refused with a message, read-write or read-only; bad disk
# options are refused with the problem named.
. tests/vm/lib.sh

img=/tmp/disk-exclusive.img
rm -f $img
truncate -s 16M $img
$COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD cobd0=$img \
	colinux.test=disk-fsync > /tmp/disk-exclusive.first 2>&1 &
wait_for /tmp/disk-exclusive.first "pattern: fsync done" 180
for opt in "cobd0=$img" "cobd3=$img,ro"; do
	msg=$($COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD $opt 2>&1)
	rc=$?
	echo "$opt: $msg"
	[ $rc -eq 2 ] || { pkill -x colinux; fail "$opt was not refused (status $rc)"; }
	expect_in "$msg" "is in use by another VM" "the refusal"
done
pkill -x colinux
wait

check_refused() {
	local want=$1
	shift
	msg=$($COLINUX run kernel=$GUEST_KERNEL "$@" 2>&1)
	rc=$?
	echo "$*: $msg"
	[ $rc -eq 2 ] || fail "$* was not refused (status $rc)"
	expect_in "$msg" "$want" "the refusal"
}
check_refused "cobd0: /tmp/no-such.img: No such file or directory" cobd0=/tmp/no-such.img
check_refused "cobd32: disks are cobd0 to cobd31" cobd32=$img
check_refused "cobd1 is given twice" cobd1=$img,ro cobd1=$img,ro
check_refused "cobd0: /tmp is neither a disk image file nor a block device" cobd0=/tmp
: > /tmp/disk-exclusive.empty
check_refused "is empty" cobd0=/tmp/disk-exclusive.empty
check_refused "expected cobd2=PATH[,ro]" cobd2=,ro
