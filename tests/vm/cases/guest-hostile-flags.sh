# SPDX-License-Identifier: GPL-2.0
# timeout: 120
# A guest that spins with DF and AC set (std, stac) through host timer
# ticks, and calls the host with DF, AC and NT set, while two host tasks
# pipe data over both CPUs.  Before the fix the host came back from the
# guest with DF set and ran its memcpy backwards (a crashed test host within
# seconds).  The piped data must arrive intact, the guest must get its own
# flags back, and the module checks the flags the passage returns with
# after every round trip (a WARNING would fail the case).
. tests/vm/lib.sh

head -c 32M /dev/urandom > /tmp/data
want=$(sha256sum < /tmp/data | cut -d' ' -f1)
taskset -c 1 $COLINUX run kernel=$TESTGUEST test=flags seconds=10 stats=1 > /tmp/flags.out 2>&1 &
guest=$!
rounds=0
while kill -0 $guest 2>/dev/null; do
	got=$(cat /tmp/data | cat | sha256sum | cut -d' ' -f1)
	[ "$got" = "$want" ] || fail "piped data changed while the guest ran: $got"
	rounds=$((rounds + 1))
done
wait $guest
rc=$?
cat /tmp/flags.out
echo "host: $rounds pipe rounds of 32 MiB intact"
[ $rc -eq 0 ] || fail "the flags test failed (status $rc)"
expect_in "$(cat /tmp/flags.out)" ", 0 lost flags" "the guest's output"
[ $rounds -gt 0 ] || fail "no pipe round completed"
