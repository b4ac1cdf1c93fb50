# SPDX-License-Identifier: GPL-2.0
# Guest RAM is pinned for the VM's life and counted as the daemon's locked
# memory (VmLck), and given back when the VM goes, even by SIGKILL.  A
# daemon killed while its RAM is being found dies promptly.
. tests/vm/lib.sh

taskset -c 1 $COLINUX run kernel=$TESTGUEST mem=256 test=spin > /tmp/spin.out 2>&1 &
pid=$!
wait_for /tmp/spin.out spinning 20
lck=$(awk '/^VmLck:/ { print $2 }' /proc/$pid/status)
echo "VmLck of the daemon with a 256 MiB guest: $lck kB"
[ "${lck:-0}" -ge 262144 ] || fail "guest RAM is not counted as the daemon's locked memory"
kill -KILL $pid
wait $pid

# Killed during VM creation: gone within a few seconds, RAM back.
sync; echo 3 > /proc/sys/vm/drop_caches
before=$(memfree_kb)
$COLINUX run kernel=$TESTGUEST mem=512 test=spin > /tmp/big.out 2>&1 &
pid=$!
sleep 0.3
t0=$(date +%s%N)
kill -KILL $pid
wait $pid
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "killed during creation: gone after $ms ms"
[ $ms -lt 10000 ] || fail "a daemon killed during VM creation took $ms ms to go"
wait_module_idle
sync; echo 3 > /proc/sys/vm/drop_caches
after=$(memfree_kb)
echo "MemFree: before $before kB, after $after kB"
[ $((before - after)) -lt 16384 ] || fail "the killed VM kept $((before - after)) kB"
