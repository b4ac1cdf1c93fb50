# Guest side of vm/disk-fsync: a pattern onto the raw disk, fsync'd; then
# nothing, until the host kills the daemon.
pattern write /dev/vda 16 11 fsync || exit 1
sleep 600
