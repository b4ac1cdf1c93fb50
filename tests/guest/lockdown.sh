# SPDX-License-Identifier: GPL-2.0
# Guest side of vm/linux-lockdown: the lockdown level, a debugfs write, and
# the test module from the disk (cobd0) signed, unsigned and signed with a
# foreign key.
mount -t securityfs securityfs /sys/kernel/security
echo "lockdown: level $(cat /sys/kernel/security/lockdown)"
mount -t debugfs debugfs /sys/kernel/debug
if grep -q '\[none\]' /sys/kernel/security/lockdown; then
	echo "lockdown: debugfs write not tried (it would Oops on purpose)"
elif echo EXCEPTION 2>/dev/null > /sys/kernel/debug/provoke-crash/DIRECT; then
	echo "lockdown: debugfs write allowed"
else
	echo "lockdown: debugfs write refused"
fi
[ -e /dev/mem ] && echo "lockdown: /dev/mem exists"
mkdir -p /mnt
mount -t ext4 -o ro /dev/vda /mnt || echo "lockdown: cannot mount the module disk"
for kind in signed unsigned foreign; do
	if insmod /mnt/colinux_hello-$kind.ko 2>/tmp/insmod.err; then
		echo "lockdown: $kind module loaded"
		rmmod colinux_hello
	else
		echo "lockdown: $kind module refused: $(cat /tmp/insmod.err)"
	fi
done
umount /mnt
