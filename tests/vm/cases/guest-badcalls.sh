# SPDX-License-Identifier: GPL-2.0
# Bad hypercall arguments (addresses outside guest RAM, oversized lengths,
# bad vectors, a broken IDT, unknown numbers) get errors; the guest goes on.
. tests/vm/lib.sh

out=$($COLINUX run kernel=$TESTGUEST test=badcalls 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "some bad hypercall was accepted (status $rc)"
expect_in "$out" "badcalls: all refused" "the guest's output"
