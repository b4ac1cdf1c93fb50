# Guest side of vm/disk-ro: cobd0 is read-only, and stays so.
echo "disk-ro: getro $(blockdev --getro /dev/vda)"
if dd if=/dev/zero of=/dev/vda bs=4096 count=1 conv=fsync 2>/dev/null; then
	echo "disk-ro: a write to /dev/vda succeeded"
else
	echo "disk-ro: a write to /dev/vda failed"
fi
mkdir -p /mnt
mount -t ext4 /dev/vda /mnt 2>/dev/null && echo "disk-ro: mounted read-write"
mount -t ext4 -o ro /dev/vda /mnt && echo "disk-ro: mounted read-only"
cat /mnt/hello
touch /mnt/new 2>/dev/null && echo "disk-ro: created a file"
umount /mnt
