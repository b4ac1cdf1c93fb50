#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test host (chrooted into the build machine's root).  For
# each case: clear the kernel log, load the module, run the case with a time
# limit, unload the module, and leave the case's output, the full kernel log
# and the taint flags in /tmp/co-out for tests/run.py to judge.

OUT=/tmp/co-out
. "$OUT/plan.env"
export CO_ROOT CO_BUILD CO_KREL CO_CPU CO_SWEEP PATH=/usr/sbin:/usr/bin:/sbin:/bin
export IOCTL_FUZZ_CALLS IOCTL_FUZZ_SECONDS IOCTL_FUZZ_SEED
export FAULT_PANICS FAULT_KILLS FAULT_PRESSURE FAULT_SEED
export SOAK_SECONDS CO_TIME_SCALE

for case in $CO_CASES; do
	script="$CO_ROOT/tests/vm/cases/$case.sh"
	module=$(sed -n 's/^# module: *//p' "$script")
	if [ -n "$module" ]; then
		module=$CO_BUILD/tests/modules/$CO_KREL/$module.ko
	else
		module=$CO_BUILD/module/$CO_KREL/colinux.ko
	fi
	limit=$(sed -n 's/^# timeout: *//p' "$script")
	limit=$(( ${limit:-120} * ${CO_TIME_SCALE:-1} ))

	: > "$OUT/$case.started"
	: > /tmp/co-case-started	# in the test host's clock, unlike $OUT's files
	start=$(date +%s%N)
	dmesg -C
	taint_before=$(cat /proc/sys/kernel/tainted)
	insmod "$module" >"$OUT/$case.insmod" 2>&1
	insmod_rc=$?
	# The case runs in a session of its own, and at its time limit only
	# its shell is stopped (--foreground): what hung (a daemon, its vCPU
	# threads in the module) is looked at as it was, and only then does
	# the rest of the session go.
	(cd "$CO_ROOT" && timeout --foreground -k 5 "$limit" \
		bash -c 'echo $$ > /tmp/co-case-pid; exec setsid bash "$0"' "$script") \
		</dev/null >"$OUT/$case.log" 2>&1
	rc=$?
	if [ $rc -eq 124 ]; then
		# Where the guests' threads are in the host kernel, for a case
		# that hung (the log of a CI run may be all there is).
		for pid in $(pgrep -x colinux); do
			for task in /proc/$pid/task/*; do
				echo "--- $(cat $task/comm 2>/dev/null) ${task##*/}, state $(sed -n 's/^State:\t//p' $task/status 2>/dev/null)"
				cat $task/stack 2>/dev/null
			done
		done >>"$OUT/$case.log"
		# A running task has no stack to read: the backtraces of all
		# CPUs go to the kernel log instead.
		for pid in $(pgrep -x colinux); do
			grep -qs '^State:.R' /proc/$pid/task/*/status && running=1
		done
		[ -n "$running" ] && echo l > /proc/sysrq-trigger
		running=
		# What the case's guests had printed so far (cases keep a
		# guest's output in /tmp/*.out and show it only at the end).
		find /tmp -maxdepth 1 -name '*.out' -newer /tmp/co-case-started |
			while read -r f; do
				echo "--- the last lines of $f"
				tail -n 40 "$f"
			done >>"$OUT/$case.log"
		kill -9 -- -"$(cat /tmp/co-case-pid)" 2>/dev/null
	fi
	rmmod_rc=0
	if [ $insmod_rc -eq 0 ]; then
		name=$(basename "$module" .ko | tr - _)
		# A guest killed at the time limit may still be tearing down
		# (its RAM is cleared on free): give it a few seconds.
		for i in $(seq 50); do
			[ "$(cat /sys/module/$name/refcnt 2>/dev/null)" = 0 ] && break
			sleep 0.2
		done
		rmmod "$name" >>"$OUT/$case.insmod" 2>&1
		rmmod_rc=$?
	fi
	dmesg >"$OUT/$case.dmesg"
	taint_after=$(cat /proc/sys/kernel/tainted)
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	cat >"$OUT/$case.result" <<RESULT
rc=$rc
insmod_rc=$insmod_rc
rmmod_rc=$rmmod_rc
taint_before=$taint_before
taint_after=$taint_after
ms=$ms
RESULT
	sync
done
