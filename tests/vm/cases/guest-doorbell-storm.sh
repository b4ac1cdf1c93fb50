# SPDX-License-Identifier: GPL-2.0
# long: first model only in make check, every model in make check-long
# timeout: 90
# A doorbell storm: 8 daemon threads ring the guest (each every 1 ms) while
# it runs a 10 us timer for 20 s (some 160000 kicks), sleeping in the host
# and spinning by turns.  The kicks from many threads share one
# call-single-data per VM; the host must stay clean and the guest must get
# both.
. tests/vm/lib.sh

out=$(timeout -k 5 60 taskset -c 1 $COLINUX run kernel=$TESTGUEST test=storm seconds=20 doorbell=80,1,8 stats=1 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "the storm test failed (status $rc)"
expect_in "$out" "storm: " "the guest's output"
