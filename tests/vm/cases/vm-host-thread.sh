# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 240
# The guest is a host thread: cgroup cpu.max at 20% holds a CPU-bound
# guest near 20% of a host CPU, taskset pins it, nice lowers it; without
# the limit it takes a whole CPU.
. tests/vm/lib.sh

cg=/sys/fs/cgroup/colinux-test
# The test host's init mounts no cgroups.
[ -f /sys/fs/cgroup/cgroup.controllers ] || mount -t cgroup2 cgroup2 /sys/fs/cgroup ||
	fail "cannot mount cgroup v2 in the test host"
echo +cpu > /sys/fs/cgroup/cgroup.subtree_control || fail "cannot enable the cpu controller"
rmdir $cg 2>/dev/null
mkdir $cg || fail "cannot make $cg"
trap 'kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; rmdir $cg 2>/dev/null' EXIT

$COLINUX run kernel=$TESTGUEST test=spin > /tmp/spin-cg.out 2>&1 &
pid=$!
wait_for /tmp/spin-cg.out spinning 60
echo $pid > $cg/cgroup.procs || fail "cannot move the daemon into $cg"

# usage SECONDS: the cgroup's CPU use over SECONDS, in % of one CPU.
usage() {
	local a b
	a=$(awk '$1 == "usage_usec" { print $2 }' $cg/cpu.stat)
	sleep $1
	b=$(awk '$1 == "usage_usec" { print $2 }' $cg/cpu.stat)
	echo $(( (b - a) / ($1 * 10000) ))
}
free=$(usage 4)
echo "20000 100000" > $cg/cpu.max ||
	fail "cannot set cpu.max (the test host's kernel needs CONFIG_CFS_BANDWIDTH)"
sleep 1
limited=$(usage 6)
echo "max 100000" > $cg/cpu.max
echo "CPU use of the spinning guest: $free% unlimited, $limited% with cpu.max 20%"
[ $free -ge 70 ] || fail "unlimited, the guest used only $free% of a CPU"
[ $limited -ge 10 ] && [ $limited -le 30 ] || fail "cpu.max 20%: the guest used $limited%"

taskset -pc 1 $pid > /dev/null || fail "taskset"
sleep 2
cpu=$(awk '{ print $39 }' /proc/$pid/stat)
echo "pinned to CPU 1: runs on CPU $cpu"
[ "$cpu" = 1 ] || fail "taskset -c 1: the vCPU thread runs on CPU $cpu"
renice -n 10 -p $pid > /dev/null || fail "renice"
[ "$(awk '{ print $19 }' /proc/$pid/stat)" = 10 ] || fail "nice 10 did not stick"
grep -q spinning /tmp/spin-cg.out || fail "the guest's output is gone"
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || fail "the guest did not stop on SIGTERM after all that: $rc"
