# SPDX-License-Identifier: GPL-2.0
# Guest side of vm/linux-boot: the host checks these lines.
echo "uname: $(uname -r)"
grep MemTotal /proc/meminfo
echo "date1: $(date +%s)"
echo "sleep-begin"
sleep 2
echo "sleep-end"
echo "date2: $(date +%s)"
selftest || exit 1
echo "dmesg-begin"
dmesg -r
echo "dmesg-end"
