# SPDX-License-Identifier: GPL-2.0
# long: first model only in make check, every model in make check-long
# timeout: 90
# The host stays whole while a guest spins on a CPU for 25 s with its
# interrupts on: longer than the RCU stall (21 s) and soft-lockup (20 s)
# timeouts, so a CPU that stopped passing through the host would show in the
# kernel log (which the runner checks).  Meanwhile the other CPU keeps
# counting host time.
. tests/vm/lib.sh

taskset -c 1 $COLINUX run kernel=$TESTGUEST test=spin hz=1000 stats=1 > /tmp/spin.out 2>&1 &
pid=$!
t0=$(date +%s%N); j0=$(host_jiffies)
sleep 25
t1=$(date +%s%N); j1=$(host_jiffies)
kill -TERM $pid
wait $pid
rc=$?
cat /tmp/spin.out
[ $rc -eq 143 ] || fail "the spinning guest ended with status $rc"
expect_in "$(cat /tmp/spin.out)" "spinning" "the guest's output"
irqs=$(sed -n 's/.* irq_exits=\([0-9]*\).*/\1/p' /tmp/spin.out)
injections=$(sed -n 's/.* injections=\([0-9]*\).*/\1/p' /tmp/spin.out)
echo "host: $(( (j1 - j0) )) jiffies in $(( (t1 - t0) / 1000000 )) ms; guest: $irqs host interrupts forwarded, $injections ticks"
[ "${irqs:-0}" -gt 1000 ] || fail "too few host interrupts reached the host from the spinning CPU"
[ "${injections:-0}" -gt 10000 ] || fail "the guest's own timer stopped"
