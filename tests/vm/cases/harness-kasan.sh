# SPDX-License-Identifier: GPL-2.0
# Harness self-test for make check-debug: the debug kernel's KASAN must
# report a use after free (LKDTM's, the kernel's own crash provoker), and the
# kernel-log check must fail the case on that report.  The case itself
# succeeds.
# harness: must-fail-with: KASAN
# kernel: debug
lkdtm=$CO_BUILD/debug-host/obj/drivers/misc/lkdtm/lkdtm.ko
insmod $lkdtm || { echo "cannot load $lkdtm"; exit 0; }
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
echo READ_AFTER_FREE > /sys/kernel/debug/provoke-crash/DIRECT
rmmod lkdtm
echo "LKDTM's use after free is done"
