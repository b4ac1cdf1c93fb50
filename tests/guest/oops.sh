# SPDX-License-Identifier: GPL-2.0
# Guest side of vm/linux-oops: an Oops in a process's system call (LKDTM).
# (LKDTM writes to debugfs, which lockdown refuses: vm/linux-oops boots
# this with lockdown=off.)
mount -t debugfs debugfs /sys/kernel/debug
echo "oopsing on purpose"
echo EXCEPTION > /sys/kernel/debug/provoke-crash/DIRECT
echo "still alive after the oops"
