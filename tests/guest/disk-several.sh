# Guest side of vm/disk-several: what each disk holds, in /dev order.
for d in /sys/block/vd*; do
	n=${d##*/}
	echo "disk-several: $n $(cat $d/size) sectors: $(head -c 16 /dev/$n)"
done
pattern write /dev/vdb 1 21 fsync
