# SPDX-License-Identifier: GPL-2.0
# models: one
# Guest RAM is pinned for the VM's life and counted as the daemon's locked
# memory (VmLck), and given back when the VM goes, even by SIGKILL.  A
# daemon killed while its RAM is being found dies promptly.  The module's
# own count of the pages it holds is exact; MemFree only catches a leak
# it does not count (a whole 128 MiB block would show).
. tests/vm/lib.sh

held() {
	cat /sys/module/colinux/parameters/ram_pages
}

[ "$(held)" = 0 ] || fail "the module holds $(held) pages before any VM"

taskset -c 1 $COLINUX run kernel=$TESTGUEST mem=256 test=spin > /tmp/spin.out 2>&1 &
pid=$!
wait_for /tmp/spin.out spinning 20
lck=$(awk '/^VmLck:/ { print $2 }' /proc/$pid/status)
echo "VmLck of the daemon with a 256 MiB guest: $lck kB"
[ "${lck:-0}" -ge 262144 ] || fail "guest RAM is not counted as the daemon's locked memory"
echo "pages held by the module: $(held)"
[ "$(held)" = 65536 ] || fail "the module holds $(held) pages for a 256 MiB guest"
kill -KILL $pid
wait $pid
wait_module_idle
[ "$(held)" = 0 ] || fail "a killed VM left $(held) pages held"

# Killed during VM creation, at a few moments of it: gone within a few
# seconds, every page back.
sync; echo 3 > /proc/sys/vm/drop_caches
before=$(memfree_kb)
for delay in 0.1 0.3 0.6; do
	$COLINUX run kernel=$TESTGUEST mem=512 test=spin > /tmp/big.out 2>&1 &
	pid=$!
	sleep $delay
	at_kill=$(held)
	t0=$(date +%s%N)
	kill -KILL $pid
	wait $pid
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "killed after $delay s holding $at_kill pages: gone after $ms ms"
	[ $ms -lt 10000 ] || fail "a daemon killed during VM creation took $ms ms to go"
	wait_module_idle || fail "the module is still in use after the kill"
	[ "$(held)" = 0 ] || fail "a VM killed during creation left $(held) pages held"
done
sync; echo 3 > /proc/sys/vm/drop_caches
after=$(memfree_kb)
echo "MemFree: before $before kB, after $after kB"
[ $((before - after)) -lt 65536 ] || fail "the killed VMs kept $((before - after)) kB"
