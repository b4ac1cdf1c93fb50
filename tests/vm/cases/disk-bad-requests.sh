# SPDX-License-Identifier: GPL-2.0
# models: one
# A guest posts malformed virtio-blk requests to cobd0 and makes bad
# transport calls (tests/guests/blkbad.c): each is refused, the daemon
# logs each kind once and keeps serving good requests, and the image holds
# exactly the one sector the guest wrote.
. tests/vm/lib.sh

img=/tmp/blkbad.img
want=/tmp/blkbad.want
rm -f $img $want
truncate -s 1M $img
truncate -s 1M $want
printf 'blkbad was here' | dd of=$want bs=512 seek=1 conv=notrunc status=none

out=$($COLINUX run kernel=$TESTGUEST test=blkbad cobd0=$img 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "the guest saw a bad request accepted or a good one refused (status $rc)"
expect_in "$out" "blkbad: all refused, good requests served" "the guest's output"
for msg in "cobd0: a request past the end" "cobd0: a transfer of 100 bytes" \
	"cobd0: a request without a header or a status byte" \
	"cobd0: queue 0: a loop in a descriptor chain" \
	"cobd0: queue 0: a buffer outside guest RAM" \
	"cobd0: queue 0: a loop in an indirect table" \
	"cobd0: queue 0: the available index ran more than a queue ahead"; do
	expect_in "$out" "$msg" "the daemon's log"
done
n=$(echo "$out" | grep -c "cobd0: a request past the end")
[ "$n" -eq 1 ] || fail "\"a request past the end\" was logged $n times, not once"
cmp $img $want || fail "the image is not what the guest wrote"
