# SPDX-License-Identifier: GPL-2.0
# timeout: 240
# qemu: -trace memory_region_ops_read -trace memory_region_ops_write -D {out}/trace.log
# hw-allowed: apic-msi hpet serial
# The dynamic half of the guest audit: QEMU traces every port and MMIO
# access of the test host's CPUs; between the markers below, a Linux guest
# boots and runs its self-test, and the CPUs may touch only what the idle
# host touches on its own (its local APIC, its HPET clocksource, the serial
# console).  A guest reaching the PIC, PIT, RTC, PCI configuration, the
# keyboard controller or anything else would show up by name.  The guest
# has a cobd (an image in the test host's RAM), so its virtio transport,
# notifications and device interrupts are in the trace too.
. tests/vm/lib.sh

rm -f /tmp/hw.img
truncate -s 8M /tmp/hw.img
echo AUDIT-BEGIN > /dev/ttyS0
run_linux /tmp/hw.out mem=256 cobd0=/tmp/hw.img colinux.test=boot
rc=$?
echo AUDIT-END > /dev/ttyS0
grep -E 'selftest|finished' /tmp/hw.out | cut -d' ' -f2-
[ $rc -eq 0 ] || fail "the guest failed ($rc)"
expect_in "$(cat /tmp/hw.out)" "[vda] 16384 512-byte logical blocks" "the guest's kernel log"
