# Guest side of vm/disk-partition: a look at a disk the host has mounted.
echo "disk-ro-look: getro $(blockdev --getro /dev/vda)"
