# Guest side of vm/disk-ext4: a known pattern into a file on cobd0's ext4.
mkdir -p /mnt
mount -t ext4 /dev/vda /mnt || { echo "disk-ext4: cannot mount /dev/vda"; exit 1; }
pattern write /mnt/pattern 64 7 || exit 1
sync
umount /mnt && echo "disk-ext4: unmounted"
