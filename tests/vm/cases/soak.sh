# SPDX-License-Identifier: GPL-2.0
# models: one
# target: soak
# timeout: 3000
# make soak (issue 13): the Debian guest, on two CPUs, runs stress-ng's cpu,
# vm, fork, signal, futex and mmap stressors with --verify for SOAK_SECONDS
# (1800) while the test host is itself loaded (stress-ng there: a CPU hog,
# memory churn, and high-rate timers for interrupts).  stress-ng in the
# guest must finish with no failed stressor and no verification error, the
# guest must shut down cleanly, and the host's log stays clean (the harness
# checks it after every case).
. tests/vm/lib.sh

seconds=${SOAK_SECONDS:-1800}
img=/tmp/soak.img
log=/tmp/co-out/soak
cp --sparse=always $CO_BUILD/rootfs/debian-12-test.img $img ||
	fail "no test image: make tests builds build/rootfs/debian-12-test.img"

stress-ng --cpu 1 --vm 1 --vm-bytes 256M --timer 1 --timer-freq 20000 \
	--timeout $((seconds + 900))s > /tmp/soak-host-load.out 2>&1 &
load=$!
trap 'kill $load 2>/dev/null' EXIT

cat > $log.cmds <<CMDS
systemctl is-system-running --wait
stress-ng --version
stress-ng --cpu 2 --vm 1 --vm-bytes 96M --fork 1 --signal 1 --futex 1 --mmap 1 --mmap-bytes 32M --verify --timeout ${seconds}s --metrics-brief 2>&1 | tail -25; echo stress-ng-status=\${PIPESTATUS[0]}
CMDS
start=$(date +%s)
python3 tests/vm/console-session.py --command-timeout $((seconds * 2 + 300)) $log.log $log.cmds -- \
	$COLINUX run kernel=$GUEST_KERNEL mem=512 cpus=2 cobd0=$img root=/dev/cobd0 rw
rc=$?
end=$(date +%s)
kill $load 2>/dev/null
wait $load
load_rc=$?
tr -d '\r' < $log.log > $log.out
grep -A30 -e '^co-prompt> stress-ng --cpu' $log.out | head -40
echo "soak: $((end - start)) s in all, guest stress-ng for $seconds s; the host's load ended with $load_rc"
tail -3 /tmp/soak-host-load.out
[ $rc -eq 0 ] || fail "colinux exited with $rc"
text=$(cat $log.out)
expect_in "$text" "$(printf 'running\nco-status=0')" "systemctl is-system-running"
expect_in "$text" "successful run completed" "stress-ng's report"
expect_in "$text" "stress-ng-status=0" "stress-ng's exit status"
expect_in "$text" "reboot: Power down" "the guest's console"
case "$text" in
*"Oops"*|*"BUG: "*|*"soft lockup"*|*"rcu_sched detected stall"*)
	fail "the guest's kernel reported a problem on its console" ;;
*"unsuccessful run completed"*|*"stress-ng: fail"*|*"verification failed"*|*"failed: "[1-9]*)
	fail "stress-ng in the guest reported failures" ;;
esac
rm -f $img
