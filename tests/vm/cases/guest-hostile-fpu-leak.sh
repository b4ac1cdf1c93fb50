# SPDX-License-Identifier: GPL-2.0
# FPU state that is not the guest's must not reach it, and the guest's PKRU
# must not reach the host: a host process keeps a marker in ymm0-15 on the
# guest's CPU while the guest turns AVX on and reads the upper halves (all
# zero: it never wrote them).  Where the CPU has protection keys, the guest
# denies every key and prints for a second: the daemon (key 0) must keep
# running and print it all.
. tests/vm/lib.sh

taskset -c 1 $PROGS/ymm-marker 6 > /tmp/marker.out 2>&1 &
marker=$!
out=$(taskset -c 1 $COLINUX run kernel=$TESTGUEST test=avx seconds=3 2>&1)
rc=$?
wait $marker
marker_rc=$?
echo "$out"
cat /tmp/marker.out
if [ $marker_rc -eq 2 ]; then
	expect_in "$out" "no AVX" "the guest's output"
else
	[ $rc -eq 0 ] || fail "the guest read host data in ymm registers (status $rc)"
	expect_in "$out" " 0 bytes not zero" "the guest's output"
fi

out=$(taskset -c 1 $COLINUX run kernel=$TESTGUEST test=pkru 2>&1)
rc=$?
echo "$out" | tail -3
[ $rc -eq 0 ] || fail "the pkru test: status $rc"
case "$out" in
*"no protection keys"*) echo "this CPU model has no PKU" ;;
*) expect_in "$out" "pkru: line 49 with every key denied" "the daemon's output"
   expect_in "$out" "pkru: 55555555 at the end" "the guest's output" ;;
esac
