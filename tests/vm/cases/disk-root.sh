# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 240
# An ext4 root on cobd0, built with mke2fs -d from a busybox tree, boots
# with root=/dev/cobd0 and no initramfs, as coLinux users wrote it; what
# its init writes is in the image afterwards, and the image is clean.
. tests/vm/lib.sh

img=/tmp/disk-root.img
tree=/tmp/disk-root.tree
out=/tmp/disk-root.out
rm -rf $img $tree
mkdir -p $tree/bin $tree/sbin $tree/proc $tree/sys $tree/dev $tree/tmp
cp /bin/busybox $tree/bin/busybox
cat > $tree/sbin/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
echo "rootfs: $(grep ' / ' /proc/mounts)"
echo "rootfs: no initramfs: $(ls /init 2>&1)"
echo "written by the guest" > /from-guest
mount -o remount,ro /
echo "rootfs: done"
poweroff -f
INIT
chmod 755 $tree/sbin/init
truncate -s 64M $img
mkfs.ext4 -q -F -d $tree $img || fail "mkfs.ext4 -d failed"
$COLINUX run kernel=$GUEST_KERNEL cobd0=$img root=/dev/cobd0 rw > $out 2>&1
rc=$?
grep -e 'rootfs\|cobd\|VFS\|Kernel panic' $out | tail
[ $rc -eq 0 ] || fail "colinux exited with $rc"
text=$(cat $out)
expect_in "$text" "colinux: root=cobd0 is /dev/vda" "the guest's kernel log"
expect_in "$text" "rootfs: /dev/root / ext4 rw" "the guest's output"
expect_in "$text" "rootfs: no initramfs: ls: /init: No such file or directory" "the guest's output"
expect_in "$text" "rootfs: done" "the guest's output"
[ "$(debugfs -R 'cat /from-guest' $img 2>/dev/null)" = "written by the guest" ] ||
	fail "the guest's file is not in the image"
e2fsck -fn $img || fail "e2fsck -fn found problems"
