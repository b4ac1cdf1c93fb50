# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# A booted guest with nothing to do uses under 5% of one host CPU, measured
# over 5 s of its 7 s of sleep.
. tests/vm/lib.sh

cpu_ticks() {
	awk '{ print $14 + $15 }' /proc/$1/stat
}

out=/tmp/linux-idle.out
$COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD colinux.test=idle > $out 2>&1 &
pid=$!
wait_for $out idle-begin 150
sleep 1
t0=$(cpu_ticks $pid)
sleep 5
t1=$(cpu_ticks $pid)
wait $pid || fail "the guest failed: $(tail -5 $out)"
hz=$(getconf CLK_TCK)
pct=$(( (t1 - t0) * 100 * 100 / (5 * hz) ))
echo "CPU use of the idle guest: $((pct / 100)).$((pct % 100 / 10))% of one CPU"
[ $pct -lt 500 ] || fail "the idle guest used 5% or more of a CPU"
