# Guest side of vm/disk-discard: a pattern, then a discard of its middle.
pattern write /dev/vda 16 41 fsync || exit 1
echo "disk-discard: discard_max_bytes $(cat /sys/block/vda/queue/discard_max_bytes)"
blkdiscard -o 4194304 -l 8388608 /dev/vda && echo "disk-discard: discarded"
sync
