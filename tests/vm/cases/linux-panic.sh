# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# A guest panic (sysrq-c) stops the VM: colinux exits non-zero with the
# panic text and the guest's registers shown; the runner then checks that
# the host log is clean and the module unloads.  Again with two vCPUs: the
# panicking CPU parks the other in the host and the whole VM stops.
. tests/vm/lib.sh

out=/tmp/linux-panic.out
run_linux $out colinux.test=panic
rc=$?
cut -d' ' -f2- $out | tail -25
[ $rc -eq 125 ] || fail "colinux exited with $rc, expected 125 (the guest crashed)"
expect_in "$(cat $out)" "Kernel panic - not syncing: sysrq triggered crash" "the output"
expect_in "$(cat $out)" "the guest crashed" "colinux's report"
expect_in "$(cat $out)" "  rip " "colinux's report"
grep -q "still running after the panic" $out && fail "the guest went on after a panic"

out=/tmp/linux-panic-smp.out
run_linux $out cpus=2 colinux.test=panic
rc=$?
cut -d' ' -f2- $out | tail -15
[ $rc -eq 125 ] || fail "with two vCPUs colinux exited with $rc, expected 125 (the guest crashed)"
expect_in "$(cat $out)" "Kernel panic - not syncing: sysrq triggered crash" "the output with two vCPUs"
expect_in "$(cat $out)" "the guest crashed" "colinux's report with two vCPUs"
grep -q "still running after the panic" $out && fail "the guest went on after a panic (two vCPUs)"
[ "$(cat /sys/module/colinux/refcnt)" = 0 ] || fail "a VM is still open after the two-vCPU panic"
true
