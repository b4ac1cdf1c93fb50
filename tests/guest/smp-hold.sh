# SPDX-License-Identifier: GPL-2.0
# Guest side of vm/linux-smp-hold: the threaded stress on both CPUs while
# the host holds CPU 1's thread for seconds at a time and keeps its own
# CPUs busy; the steal time the guest was told about.
dmesg | grep 'colinux: paravirtual' | sed 's/^/kernel: /'
steal0=$(awk '/^cpu /{ print $9 }' /proc/stat)
echo "hold-ready"
sleep 1
smpcheck stress 60
echo "stress-status: $?"
steal1=$(awk '/^cpu /{ print $9 }' /proc/stat)
echo "steal: $((steal1 - steal0)) ticks"
grep -E '^ *(RES|CAL|TLB):' /proc/interrupts
dmesg | grep -E 'WARNING|BUG:|Call Trace|soft lockup|stall|hung task|csd:' |
	sed 's/^/kernel: /'
