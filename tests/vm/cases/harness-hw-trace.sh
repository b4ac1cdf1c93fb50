# SPDX-License-Identifier: GPL-2.0
# harness: must-fail-with: touched devices in the audit window: rtc
# qemu: -trace memory_region_ops_read -trace memory_region_ops_write -D {out}/trace.log
# hw-allowed: apic-msi hpet serial
# Harness self-test of the device trace: the host reads its own CMOS clock
# inside the window, and the audit must name the RTC.
echo AUDIT-BEGIN > /dev/ttyS0
cat /sys/class/rtc/rtc0/time
echo AUDIT-END > /dev/ttyS0
