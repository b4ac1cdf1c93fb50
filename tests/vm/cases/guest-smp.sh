# SPDX-License-Identifier: GPL-2.0
# timeout: 240
# smp: 2 4
# Two vCPUs (cpus=2) in the test guest (tests/guests/smp.c): CO_HC_VCPU_UP
# and CO_HC_SEND_IPI refuse a vCPU that does not exist or is the caller,
# bad vectors and non-canonical addresses (-EINVAL), and a second start
# (-EBUSY); vCPU 1 starts in the boot state with vCPU 0's CR3 and IDT and
# a timer of its own; 10000 IPI round trips, each side waiting asleep in
# CO_HC_IDLE or spinning; both spin through the same 500 ms of TSC, and
# the two intervals overlap by half or more (the host runs them at the
# same time); 2 x 1000000 "lock xadd" on one counter sum exactly; 1000
# hand-offs of a baton, each side asleep in CO_HC_HALT with interrupts off
# until the other's CO_HC_KICK (the module counts the sleeps).  vCPU 1
# powering off while vCPU 0 sleeps in CO_HC_IDLE ends the whole VM with
# its status.  With one vCPU the guest says it needs two; cpus= outside
# 1..min(CO_MAX_VCPUS, online CPUs) is the daemon's usage error.
. tests/vm/lib.sh

out=$($COLINUX run kernel=$TESTGUEST test=smp cpus=2 stats=1 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "the smp guest ended with status $rc"
expect_in "$out" "smp: 2 vcpus" "the guest's output"
expect_in "$out" "smp: refusals ok" "the guest's output"
expect_in "$out" "smp: vcpu 1 running" "the guest's output"
expect_in "$out" "smp: ipi round trips 10000" "the guest's output"
expect_in "$out" "smp: atomic 2000000" "the guest's output"
# (d) Each side asleep in CO_HC_HALT with interrupts off, woken by a kick.
expect_in "$out" "smp: kick hand-offs 1000" "the guest's output"
halts=$(echo "$out" | sed -n 's/.* halts=\([0-9]*\) kicks=.*/\1/p')
kicks=$(echo "$out" | sed -n 's/.* kicks=\([0-9]*\).*/\1/p')
# The stats: vCPU 0's at least (vCPU 1's record may be older: it is
# still asleep in RUN when vCPU 0 powers off).
echo "module: $halts CO_HC_HALT sleeps, $kicks kicks"
[ "${kicks:-0}" -ge 1000 ] || fail "the module counted ${kicks:-no} kicks, expected vCPU 0's 1000 at least"
[ "${halts:-0}" -ge 1 ] || fail "no CO_HC_HALT call slept: the hand-off never waited asleep"
overlap=$(echo "$out" | sed -n 's/^smp: overlap \([0-9]*\)%.*/\1/p')
[ -n "$overlap" ] || fail "no overlap in the guest's output"
[ "$overlap" -ge 50 ] || fail "the two vCPUs' spins overlapped $overlap%, expected 50% or more"

# vCPU 1 ends the VM; vCPU 0, asleep in the host, must not keep it alive.
out=$($COLINUX run kernel=$TESTGUEST test=smp-apoff cpus=2 2>&1)
rc=$?
echo "$out"
[ $rc -eq 7 ] || fail "vCPU 1 powered off with 7, the VM ended with status $rc"
expect_in "$out" "smp-apoff: vcpu 1 powers off with 7" "the guest's output"
[ "$(cat /sys/module/colinux/refcnt)" = 0 ] || fail "a VM is still open after vCPU 1's power-off"

# A vCPU the guest never starts waits in the module: the VM still ends
# with vCPU 0's power-off, and a stop signal ends it too (vcpus.c's
# SIGUSR1 takes the waiting thread out of CO_IOC_RUN).
out=$($COLINUX run kernel=$TESTGUEST test=hello status=3 cpus=2 2>&1)
rc=$?
echo "$out"
[ $rc -eq 3 ] || fail "test=hello with an unstarted vCPU 1: status $rc, expected 3"
$COLINUX run kernel=$TESTGUEST test=timer seconds=30 cpus=2 > /tmp/smp-stop.out 2>&1 &
pid=$!
sleep 3
kill -INT $pid
wait $pid
rc=$?
cat /tmp/smp-stop.out
[ $rc -eq 130 ] || fail "SIGINT with an unstarted vCPU 1: status $rc, expected 130"
expect_in "$(cat /tmp/smp-stop.out)" "stopped by signal 2" "the daemon's message"
[ "$(cat /sys/module/colinux/refcnt)" = 0 ] || fail "a VM is still open after SIGINT"

# One vCPU: nothing to start, every start and IPI to vCPU 1 refused.
out=$($COLINUX run kernel=$TESTGUEST test=smp cpus=1 2>&1)
rc=$?
echo "$out"
[ $rc -eq 1 ] || fail "test=smp with cpus=1: status $rc, expected the guest's 1"
expect_in "$out" "smp: 1 vcpus" "the guest's output"
expect_in "$out" "smp: refusals ok" "the guest's output"
expect_in "$out" "smp: needs 2 vCPUs or more (cpus=2), the VM has 1" "the guest's output"

# Beyond CO_MAX_VCPUS (64), beyond the host's online CPUs, none, not a number.
over=$(( $(getconf _NPROCESSORS_ONLN) + 1 ))
for n in 65 $over 0 two; do
	out=$($COLINUX run kernel=$TESTGUEST test=smp cpus=$n 2>&1)
	rc=$?
	echo "cpus=$n: $out (status $rc)"
	[ $rc -eq 2 ] || fail "cpus=$n: status $rc, expected 2"
	expect_in "$out" "cpus=$n: " "the error for cpus=$n"
done
[ "$(cat /sys/module/colinux/refcnt)" = 0 ] || fail "a refused cpus= left a VM open"
