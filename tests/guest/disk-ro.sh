# Guest side of vm/disk-ro: cobd0 is read-only, and stays so.
echo "disk-ro: getro $(blockdev --getro /dev/vda)"
if dd if=/dev/zero of=/dev/vda bs=4096 count=1 conv=fsync 2>/dev/null; then
	echo "disk-ro: a write to /dev/vda succeeded"
else
	echo "disk-ro: a write to /dev/vda failed"
fi
mkdir -p /mnt
# Asked for read-write, the mount falls back to read-only.
mount -t ext4 /dev/vda /mnt
echo "disk-ro: mounted $(awk '$2 == "/mnt" { split($4, o, ","); print o[1] }' /proc/mounts)"
cat /mnt/hello
touch /mnt/new 2>/dev/null && echo "disk-ro: created a file"
umount /mnt
