# SPDX-License-Identifier: GPL-2.0
# The guest arms a debug register on passage memory (a data breakpoint on
# the vcpu page, an execute breakpoint on the hypercall entry, a write
# breakpoint at the top of a passage IST stack) and calls the host: the
# guest is stopped with a report, the host lives on with its own debug
# registers.
. tests/vm/lib.sh

for mode in data exec stack; do
	out=$(taskset -c 1 $COLINUX run kernel=$TESTGUEST test=breakpoint mode=$mode 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 125 ] || fail "mode $mode: status $rc, expected 125"
	expect_in "$out" "passage" "the report ($mode)"
done
