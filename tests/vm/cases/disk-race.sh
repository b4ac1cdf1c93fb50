# SPDX-License-Identifier: GPL-2.0
# models: one
# Double fetch (issue 13): a two-vCPU guest posts good virtio-blk reads
# while its second vCPU keeps rewriting the descriptors, the available ring
# and the request header under the daemon (tests/guests/blkbad.c,
# blkrace).  Every request ends served, refused or with the queue stopped;
# the daemon does not crash and serves a good read afterwards; the image
# is unchanged (only reads were posted).  Then a notification flood: the
# second vCPU rings the queue (and a queue and a device that do not exist)
# as fast as it can while the first one's reads are all served (blkflood).
. tests/vm/lib.sh

img=/tmp/blkrace.img
rm -f $img
truncate -s 1M $img
printf 'blkrace sector 0' | dd of=$img bs=512 conv=notrunc status=none
cp $img /tmp/blkrace.want
out=$(taskset -c 0,1 $COLINUX run kernel=$TESTGUEST test=blkrace cpus=2 rounds=400 cobd0=$img 2>&1)
rc=$?
echo "$out" | grep -v '^colinux: cobd0: ' | tail -20
echo "$out" | grep '^colinux: cobd0: ' | sort | uniq -c | sort -rn | head -20
[ $rc -eq 0 ] || fail "the race guest failed (status $rc)"
expect_in "$out" "blkrace: the daemon held, a good read after the race" "the guest's output"
served=$(echo "$out" | sed -n 's/.* \([0-9]*\) served.*/\1/p')
stopped=$(echo "$out" | sed -n 's/.* \([0-9]*\) stopped the queue.*/\1/p')
[ "${served:-0}" -gt 0 ] || fail "no request was served during the race"
[ "${stopped:-0}" -gt 0 ] || [ "$(echo "$out" | sed -n 's/.* \([0-9]*\) refused.*/\1/p')" -gt 0 ] ||
	fail "no request was refused or stopped: the rewrites did not land"
cmp $img /tmp/blkrace.want || fail "the image changed, though the guest only read"

out=$(taskset -c 0,1 $COLINUX run kernel=$TESTGUEST test=blkflood cpus=2 rounds=300 cobd0=$img 2>&1)
rc=$?
echo "$out" | tail -8
[ $rc -eq 0 ] || fail "the flood guest failed (status $rc)"
expect_in "$out" "blkflood: every read served through the flood" "the guest's output"
expect_in "$out" "blkflood: 300 of 300 reads served" "the guest's count"
cmp $img /tmp/blkrace.want || fail "the image changed, though the guest only read"
