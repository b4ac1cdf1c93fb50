# SPDX-License-Identifier: GPL-2.0
# Guest side of vm/linux-smp: the CPUs Linux sees, a job per CPU at once,
# 20 s of threads on both CPUs (futexes, signals, TLB shootdowns), and a
# CPU that cannot be taken offline.
echo "nproc: $(nproc)"
echo "cpuinfo: $(grep -c '^processor' /proc/cpuinfo)"
echo "online: $(cat /sys/devices/system/cpu/online)"
# How the guest's scheduler sees its CPUs: each its own core.
for c in /sys/devices/system/cpu/cpu[0-9]*; do
	t=$c/topology
	echo "topology: ${c##*/} package $(cat $t/physical_package_id) core $(cat $t/core_id)" \
		"threads $(cat $t/thread_siblings_list) package-cpus $(cat $t/core_siblings_list)"
done
echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
smpcheck parallel
smpcheck stress 20
echo "stress-status: $?"
if echo 0 2>/dev/null > /sys/devices/system/cpu/cpu1/online; then
	echo "offline: accepted"
else
	echo "offline: refused"
fi
echo "online-after: $(cat /sys/devices/system/cpu/online)"
grep -E '^ *(RES|CAL|TLB|PLT):' /proc/interrupts
# The kernel's own word on the bring-up, and anything it complained of.
dmesg | grep -E 'smp: |smpboot|WARNING|BUG:|Call Trace|mismatch|soft lockup|stall' |
	sed 's/^/kernel: /'
