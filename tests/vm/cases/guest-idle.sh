# SPDX-License-Identifier: GPL-2.0
# A guest waiting for a timer sleeps in the host: measured over 2 s of the
# wait (not the VM's creation), it uses under 5% of one CPU.
. tests/vm/lib.sh

cpu_ticks() {
	awk '{ print $14 + $15 }' /proc/$1/stat
}

$COLINUX run kernel=$TESTGUEST mem=128 test=idle ms=4000 > /tmp/idle.out 2>&1 &
pid=$!
wait_for /tmp/idle.out 'idle: waiting' 10
t0=$(cpu_ticks $pid)
sleep 2
t1=$(cpu_ticks $pid)
wait $pid
rc=$?
cat /tmp/idle.out
[ $rc -eq 0 ] || fail "the guest failed"
ms=$(sed -n 's/^idle: woke after \([0-9]*\) ms.*/\1/p' /tmp/idle.out)
within "${ms:-0}" 4000 5 || fail "woke after ${ms:-?} ms, expected 4000"
hz=$(getconf CLK_TCK)
pct=$(( (t1 - t0) * 100 * 100 / (2 * hz) ))
echo "($((t1 - t0)) ticks of 1/$hz s in 2 s)"
judge_idle $pct "the waiting guest"
