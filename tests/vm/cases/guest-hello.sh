# SPDX-License-Identifier: GPL-2.0
# The test guest boots, prints through the console hypercall, and powers off
# with a status that 'colinux run' returns as its own exit code.
. tests/vm/lib.sh

out=$($COLINUX run kernel=$TESTGUEST test=hello status=7 2>&1)
rc=$?
echo "$out"
[ $rc -eq 7 ] || fail "exit status $rc, expected 7 (the guest's power-off status)"
expect_in "$out" "hello from the cooperative test guest" "the guest's output"
expect_in "$out" "paging levels $(grep -q la57 /proc/cpuinfo && echo 5 || echo 4)" "the guest's output"
