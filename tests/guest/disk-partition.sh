# Guest side of vm/disk-partition: cobd0 is a partition of a host loop device.
echo "disk-partition: $(cat /sys/block/vda/size) sectors"
pattern write /dev/vda 4 31 fsync
