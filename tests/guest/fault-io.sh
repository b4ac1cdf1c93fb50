# SPDX-License-Identifier: GPL-2.0
# Guest side of vm/fault-injection: numbered 512-byte records onto the raw
# disk, one by one, each fsync'd before "synced N" is printed, until the
# host kills the daemon.  Every record the guest called synced must then
# be in the image; the token on the command line tells runs apart.
token=none
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	colinux.token=*) token=${arg#colinux.token=} ;;
	esac
done
i=1
while [ $i -le 100000 ]; do
	printf 'record %08d %s\n' $i "$token" |
		dd of=/dev/vda bs=512 seek=$i count=1 conv=notrunc,sync,fsync 2>/dev/null ||
		{ echo "write $i failed"; exit 1; }
	echo "synced $i"
	i=$((i + 1))
done
