# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 240
# Halt polling: while the guest waits for its disk (diskbench's 4 KiB reads
# at queue depth 1), its vCPU is idle for a moment at a time, and the
# module spins instead of sleeping: with a 2 ms window some of those waits
# end while it spins (stats.halt_polls).  With the module parameter
# halt_poll_ns at 0 none does, and the reads still complete.  An idle guest
# does not spin: vm/linux-idle.
. tests/vm/lib.sh

img=/tmp/disk-poll.img
rm -f $img
truncate -s 64M $img
param=/sys/module/colinux/parameters/halt_poll_ns
[ "$(cat $param)" = 200000 ] || fail "halt_poll_ns is $(cat $param), not the default 200000"
trap 'echo 200000 > $param' EXIT
polls() {
	sed -n 's/.*colinux: stats: .* halt_polls=\([0-9]*\).*/\1/p' $1
}
# A window of 2 ms: under TCG a completion takes some 200-500 us, more on
# some models than the default window, which then never grows (rightly:
# its polls would fail).  The default's count is printed.
run_linux /tmp/disk-poll-default.out mem=256 cobd0=$img colinux.test=disk-poll stats=1
grep -e 'stats' /tmp/disk-poll-default.out
echo 2000000 > $param
run_linux /tmp/disk-poll.out mem=256 cobd0=$img colinux.test=disk-poll stats=1
rc=$?
grep -e 'bench:\|stats' /tmp/disk-poll.out
[ $rc -eq 0 ] || fail "colinux exited with $rc"
expect_in "$(cat /tmp/disk-poll.out)" "bench: disk_randread_qd1" "the guest's output"
on=$(polls /tmp/disk-poll.out)
echo 0 > $param
run_linux /tmp/disk-poll-off.out mem=256 cobd0=$img colinux.test=disk-poll stats=1
rc=$?
grep -e 'bench:\|stats' /tmp/disk-poll-off.out
[ $rc -eq 0 ] || fail "colinux exited with $rc (halt_poll_ns=0)"
expect_in "$(cat /tmp/disk-poll-off.out)" "bench: disk_randread_qd1" "the guest's output (halt_poll_ns=0)"
off=$(polls /tmp/disk-poll-off.out)
echo "halt polls: $(polls /tmp/disk-poll-default.out) with the default, $on with 2 ms, $off with halt_poll_ns=0"
[ "$off" = 0 ] || fail "$off idle waits ended spinning with halt_poll_ns=0"
# On a slowed test host (CO_TIME_SCALE > 1) a completion may take longer
# than the window: the count is printed, not judged.
[ "${CO_TIME_SCALE:-1}" -gt 1 ] || [ "${on:-0}" -ge 50 ] ||
	fail "only ${on:-no} idle waits ended while the vCPU spun (halt polling)"
