# SPDX-License-Identifier: GPL-2.0
# long: first model only in make check, every model in make check-long
# timeout: 360
# A host that takes a guest CPU away for seconds: while the guest runs its
# threaded stress on two vCPUs for a minute (futexes, signals, TLB
# shootdowns), the test stops vCPU 1's thread alone (ptrace) for 3 s of
# every 5 s and keeps both host CPUs busy with two spinning processes.  The stress passes its own
# checks, neither kernel reports a lockup or an RCU stall (the runner
# judges the host's log), the guest had paravirtual spinlocks, steal time
# and the TLB flush that skips preempted CPUs, and it saw steal time.
. tests/vm/lib.sh

out=/tmp/linux-smp-hold.out
run_linux $out cpus=2 stats=1 colinux.test=smp-hold &
runner=$!
wait_for $out hold-ready 240 || fail "the guest never got to its stress"
daemon=$(pgrep -n -x colinux) || fail "no colinux process"
tid=$(grep -lx vcpu1 /proc/$daemon/task/*/comm | cut -d/ -f5)
[ -n "$tid" ] || fail "no thread named vcpu1 in colinux $daemon"

hogs=""
for i in 1 2; do
	sh -c 'while :; do :; done' &
	hogs="$hogs $!"
done
$PROGS/hold-thread $tid 3000 5000 54
held=$?
kill $hogs
wait $runner
rc=$?
cut -d' ' -f2- $out | grep -v '^dmesg' | tail -25
[ $held -eq 0 ] || fail "hold-thread could not hold vCPU 1's thread"
[ $rc -eq 0 ] || fail "colinux exited with $rc"
all=$(cat $out)
expect_in "$all" "stress: ok" "the threaded stress"
expect_in "$all" "stress-status: 0" "the threaded stress's status"
expect_in "$all" "colinux: paravirtual spinlocks, steal time, TLB flushes that skip preempted CPUs" \
	"the guest's paravirtual features"
if grep -E 'kernel: .*(WARNING|BUG:|Call Trace|soft lockup|stall|hung task|csd:)' $out; then
	fail "the guest's kernel complained (above)"
fi
steal=$(sed -n 's/.*steal: \([0-9]*\) ticks.*/\1/p' $out)
[ -n "$steal" ] || fail "no steal figure in the guest's output"
echo "steal time the guest saw: $steal ticks of 10 ms"
[ "$steal" -ge 100 ] || fail "the guest saw $steal ticks of steal time with its host CPUs taken"
grep -o 'halts=[0-9]* kicks=[0-9]*' $out
