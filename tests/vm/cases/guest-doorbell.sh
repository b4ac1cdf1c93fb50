# SPDX-License-Identifier: GPL-2.0
# Device doorbells (CO_IOC_IRQ from another thread of the daemon) reach the
# guest through its IDT, whether it sleeps in the host (a wake-up) or runs
# on another CPU (a kick).  A 10 ms period for 2 s each gives 200; the
# ringing thread's sleeps run long under load and rings that arrive before
# the guest took the last one merge (as edge interrupts do), so within 25%.
. tests/vm/lib.sh

out=$(taskset -c 1 $COLINUX run kernel=$TESTGUEST test=doorbell seconds=2 doorbell=80,10 stats=1 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "the guest failed"
idle=$(echo "$out" | sed -n 's/^doorbell: \([0-9]*\) while idle.*/\1/p')
spin=$(echo "$out" | sed -n 's/.* \([0-9]*\) while spinning.*/\1/p')
within "${idle:-0}" 200 25 || fail "${idle:-no} doorbells while idle, expected 200"
within "${spin:-0}" 200 25 || fail "${spin:-no} doorbells while spinning, expected 200"
out=$($COLINUX run kernel=$TESTGUEST doorbell=7,10 2>&1) && fail "doorbell=7,10 accepted"
expect_in "$out" "doorbell=7,10: expected VECTOR,MS" "the error"
