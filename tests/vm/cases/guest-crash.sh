# SPDX-License-Identifier: GPL-2.0
# Guest crashes are reported with the guest's registers and a non-zero exit
# status, the VM is torn down, and the host stays clean (the runner checks
# the log and unloads the module afterwards).
. tests/vm/lib.sh

run_expect_crash() {
	out=$($COLINUX run kernel=$TESTGUEST "$@" 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 125 ] || fail "test $*: exit status $rc, expected 125"
	expect_in "$out" "  rip " "the crash report"
	expect_in "$out" "  cr3 " "the crash report"
}

run_expect_crash test=crash
expect_in "$out" "the guest crashed (code 42): deliberate crash from the test guest" "the report"
run_expect_crash test=doublefault
expect_in "$out" "double fault in the guest" "the report"
run_expect_crash test=unhandled
expect_in "$out" "#UD invalid opcode in the guest, and no handler" "the report"
[ "$(cat /sys/module/colinux/refcnt)" = 0 ] || fail "a VM is still open after the crashes"
