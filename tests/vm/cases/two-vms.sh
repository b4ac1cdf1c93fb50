# SPDX-License-Identifier: GPL-2.0
# Two VMs at once, pinned to different host CPUs, both finish correctly.
. tests/vm/lib.sh

taskset -c 0 $COLINUX run kernel=$TESTGUEST test=timer seconds=3 > /tmp/vm0.out 2>&1 &
a=$!
taskset -c 1 $COLINUX run kernel=$TESTGUEST test=timer seconds=3 > /tmp/vm1.out 2>&1 &
b=$!
wait $a; rc_a=$?
wait $b; rc_b=$?
cat /tmp/vm0.out /tmp/vm1.out
[ $rc_a -eq 0 ] && [ $rc_b -eq 0 ] || fail "exit statuses $rc_a and $rc_b"
for f in /tmp/vm0.out /tmp/vm1.out; do
	ticks=$(sed -n 's/^timer: \([0-9]*\) ticks.*/\1/p' $f)
	within "${ticks:-0}" 3000 2 || fail "$f: ${ticks:-no} ticks, expected 3000"
done
