# SPDX-License-Identifier: GPL-2.0
# Helpers for VM test cases (sourced; runs inside the test host).

COLINUX=$CO_BUILD/daemon/colinux
PROGS=$CO_BUILD/tests/progs

fail() {
	echo "FAIL: $*"
	exit 1
}

# expect_in TEXT NEEDLE WHAT: fail unless TEXT contains NEEDLE.
expect_in() {
	case "$1" in
	*"$2"*) ;;
	*) echo "--- $3 was:"; echo "$1"; fail "$3 does not contain '$2'" ;;
	esac
}

as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}
TESTGUEST=$CO_BUILD/tests/guests/testguest

# load_modules NAME...: modprobe each, unless the test host's kernel has it
# built in (the debug kernel has no modules directory).
load_modules() {
	local m
	for m; do
		modprobe $m 2>/dev/null && continue
		host_kconfig | grep -qx "CONFIG_$(echo $m | tr a-z A-Z)=y" && continue
		echo "cannot load $m"
		return 1
	done
}

# host_kconfig: the test host kernel's configuration (Debian's in /boot, the
# debug kernel's in /proc/config.gz).
host_kconfig() {
	if [ -f /boot/config-$(uname -r) ]; then
		cat /boot/config-$(uname -r)
	else
		zcat /proc/config.gz
	fi
}

memfree_kb() {
	awk '/^MemFree:/ { print $2 }' /proc/meminfo
}

host_jiffies() {
	awk '/^jiffies:/ { print $2; exit }' /proc/timer_list
}

# host_clock: "JIFFIES MONOTONIC_NS", both from one read of the timer list.
host_clock() {
	awk '/^now at/ { ns = $3 } /^jiffies:/ { print $2, ns; exit }' /proc/timer_list
}

# local_timer_irqs CPU: the host's local timer interrupts handled on CPU.
local_timer_irqs() {
	awk -v c="$1" '$1 == "LOC:" { print $(c + 2) }' /proc/interrupts
}

# wait_for FILE TEXT SECONDS: wait until FILE has TEXT; fail after SECONDS.
wait_for() {
	local i
	for i in $(seq $(($3 * 10))); do
		grep -q -F -- "$2" "$1" && return 0
		sleep 0.1
	done
	fail "no '$2' in $1 after $3 s: $(tail -5 "$1")"
}

# within VALUE EXPECTED PERCENT: is VALUE within PERCENT % of EXPECTED?
within() {
	awk -v v="$1" -v e="$2" -v p="$3" 'BEGIN { d = v - e; if (d < 0) d = -d; exit !(d * 100 <= e * p) }'
}

GUEST_KERNEL=$CO_BUILD/guest/vmlinux
GUEST_INITRD=$CO_BUILD/guest/initramfs.cpio.gz
# The guest's pattern tool (guest/userland/pattern.c), static: it runs here too.
PATTERN=$CO_BUILD/guest/initramfs/bin/pattern

# run_linux FILE ARGS...: boot the Linux guest; every console line lands in
# FILE prefixed with the host's time in ms.  Returns colinux's status.
run_linux() {
	local file=$1
	shift
	$COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD "$@" 2>&1 |
		while IFS= read -r line; do
			now=${EPOCHREALTIME/./}	# a builtin: no fork per line
			echo "$(( now / 1000 )) ${line%$'\r'}"
		done > "$file"
	return ${PIPESTATUS[0]}
}

# tap_up IFNAME OUT: wait (10 s at most) for the daemon writing OUT to
# create the TAP IFNAME, and bring its host side up.
tap_up() {
	local i
	for i in $(seq 100); do
		ip link show $1 > /dev/null 2>&1 && break
		sleep 0.1
	done
	ip link set $1 up || fail "no TAP $1: $(cat $2)"
}

# judge_idle PCT WHAT: PCT (hundredths of a percent of one CPU) under 5%,
# the idle budget.  On a test host made slower (CO_TIME_SCALE > 1: the
# debug kernel with HZ=1000 and every host path instrumented) the figure is
# printed, not judged: there the idle guest hardly gets to sleep at all (12
# idle sleeps in 7 s, 530 on Debian's kernel) and two idle CPUs cost 19.6%
# of a host CPU, 0.2% on Debian's.
judge_idle() {
	echo "CPU use of $2: $(($1 / 100)).$(($1 % 100 / 10))% of one host CPU"
	if [ "${CO_TIME_SCALE:-1}" -gt 1 ]; then
		echo "(a test host $CO_TIME_SCALE times slower: the idle budget is not judged)"
		return 0
	fi
	[ $1 -lt 500 ] || fail "$2 used 5% or more of a CPU"
}

# idle_use OUT [colinux run words]: boots the Linux guest's idle test
# (7 s of sleep) and prints the host CPU it used over 5 s of it, in
# hundredths of a percent of one CPU.
idle_use() {
	local out=$1 pid t0 t1
	shift
	$COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD colinux.test=idle "$@" > $out 2>&1 &
	pid=$!
	wait_for $out idle-begin 150
	sleep 1
	t0=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
	sleep 5
	t1=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
	wait $pid || fail "the idle guest failed: $(tail -5 $out)"
	echo $(( (t1 - t0) * 100 * 100 / (5 * $(getconf CLK_TCK)) ))
}

# line_time FILE TEXT: the host time (ms) of the first line with TEXT.
line_time() {
	grep -m1 -F -- "$2" "$1" | cut -d' ' -f1
}

# wait_module_idle: wait (10 s at most) until no VM holds the module, e.g.
# after a daemon was killed and its RAM is being cleared.
wait_module_idle() {
	local i
	for i in $(seq 50); do
		[ "$(cat /sys/module/colinux/refcnt)" = 0 ] && return 0
		sleep 0.2
	done
	return 1
}
