# SPDX-License-Identifier: GPL-2.0
# timeout: 240
# By default the first Oops stops the VM and is reported (status 125);
# with on-oops=continue the guest goes on and powers off normally.  Both
# again with two vCPUs (the Oops on one, the other running).
. tests/vm/lib.sh

out=/tmp/linux-oops.out
run_linux $out colinux.test=oops lockdown=off
rc=$?
cut -d' ' -f2- $out | grep -A3 -e 'Oops' -e 'crashed' | head -20
[ $rc -eq 125 ] || fail "default: colinux exited with $rc, expected 125"
expect_in "$(cat $out)" "Oops" "the output"
expect_in "$(cat $out)" "the guest crashed" "colinux's report"

run_linux $out colinux.test=oops lockdown=off on-oops=continue
rc=$?
cut -d' ' -f2- $out | tail -5
[ $rc -eq 0 ] || fail "on-oops=continue: colinux exited with $rc"
expect_in "$(cat $out)" "Oops" "the output"
expect_in "$(cat $out)" "test oops finished" "the output"

for policy in panic continue; do
	run_linux $out cpus=2 colinux.test=oops lockdown=off on-oops=$policy
	rc=$?
	cut -d' ' -f2- $out | tail -5
	expect_in "$(cat $out)" "Oops" "the output with two vCPUs, on-oops=$policy"
	if [ $policy = panic ]; then
		[ $rc -eq 125 ] || fail "two vCPUs, on-oops=panic: colinux exited with $rc, expected 125"
		expect_in "$(cat $out)" "the guest crashed" "colinux's report with two vCPUs"
	else
		[ $rc -eq 0 ] || fail "two vCPUs, on-oops=continue: colinux exited with $rc"
		expect_in "$(cat $out)" "test oops finished" "the output with two vCPUs"
	fi
done
[ "$(cat /sys/module/colinux/refcnt)" = 0 ] || fail "a VM is still open after the two-vCPU runs"
true
