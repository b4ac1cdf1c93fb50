# SPDX-License-Identifier: GPL-2.0
# timeout: 150
# A guest that keeps host interrupts out of its CPU ("cli; jmp .",
# "cli; hlt", CR8 = 15) while CPU 0 loops on mprotect (TLB shootdowns) and
# sends CPU 1 synchronous IPIs: the module's NMI watchdog must end each
# round trip within a slice, so the host takes its interrupts, IPIs and
# signals, and stop the guest with a report after 5 s (its own count).  SIGKILL must work
# meanwhile.  No RCU stall, no lockup (the runner checks the log).
. tests/vm/lib.sh

insmod $CO_BUILD/tests/modules/$CO_KREL/ipi-stress.ko target_cpu=1 ||
	fail "cannot load ipi-stress"
taskset -c 0 $PROGS/mprotect-loop 60 > /tmp/mprotect.out 2>&1 &
looper=$!
for mode in cli hlt cr8; do
	t0=$(date +%s%N)
	out=$(taskset -c 1 $COLINUX run kernel=$TESTGUEST test=irqsoff mode=$mode 2>&1)
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "$out"
	echo "mode $mode: stopped after $ms ms"
	[ $rc -eq 125 ] || fail "mode $mode: status $rc, expected 125"
	expect_in "$out" "kept host interrupts out for" "the report ($mode)"
	# The module's own measure of how long the guest held interrupts
	# out (the daemon's start-up under this load is not the watchdog's).
	held=$(echo "$out" | sed -n 's/.*kept host interrupts out for \([0-9]*\) ms.*/\1/p')
	[ -n "$held" ] && [ $held -ge 5000 ] && [ $held -lt 8000 ] ||
		fail "mode $mode: the watchdog stopped the guest after '$held' ms, not 5 s"
done

# SIGKILL while the guest sits with interrupts off: it must land within a
# slice, well before the 5 s lockup stop would end the guest anyway (the
# teardown under this load, clearing its RAM, takes about 2 s under TCG).
taskset -c 1 $COLINUX run kernel=$TESTGUEST test=irqsoff mode=cli > /tmp/irqsoff.out 2>&1 &
guest=$!
wait_for /tmp/irqsoff.out "irqsoff: cli" 20
sleep 1
t0=$(date +%s%N)
kill -KILL $guest
wait $guest
rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "SIGKILL took $ms ms (status $rc)"
[ $rc -eq 137 ] || fail "SIGKILL: status $rc"
[ $ms -lt 4000 ] || fail "SIGKILL took $ms ms"

kill $looper
wait $looper
cat /tmp/mprotect.out
rmmod ipi_stress
line=$(dmesg | grep 'ipi_stress:' | tail -1)
echo "$line"
sent=$(echo "$line" | sed -n 's/.* \([0-9]*\) NMIs sent.*/\1/p')
handled=$(echo "$line" | sed -n 's/.* \([0-9]*\) handled.*/\1/p')
[ "$sent" = "$handled" ] || fail "$sent NMIs sent but $handled reached the host's handler"
true
