# SPDX-License-Identifier: GPL-2.0
# FPU isolation: the guest and a host process share CPU 1, each with its own
# pattern in xmm0-15, and both check it across thousands of world switches
# and context switches.
. tests/vm/lib.sh

taskset -c 1 $PROGS/simd-spinner 8 > /tmp/spinner.out 2>&1 &
spinner=$!
out=$(taskset -c 1 $COLINUX run kernel=$TESTGUEST test=fpu rounds=5000 stats=1 2>&1)
rc=$?
wait $spinner
spin_rc=$?
echo "$out"
cat /tmp/spinner.out
[ $rc -eq 0 ] || fail "the guest saw its SIMD registers change"
expect_in "$out" "fpu: 5000 round trips" "the guest's output"
expect_in "$out" ", 0 bad bytes" "the guest's output"
[ $spin_rc -eq 0 ] || fail "the host process saw its SIMD registers change"
expect_in "$(cat /tmp/spinner.out)" " 0 bad" "the spinner's output"
