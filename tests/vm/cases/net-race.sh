# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 240
# Double fetch on conet (issue 13): a two-vCPU guest sends good frames on a
# TAP while its second vCPU keeps rewriting the transmit descriptors, the
# available ring and the virtio-net header under the daemon
# (tests/guests/netbad.c, netrace).  Every frame is sent, dropped and
# counted, or stops the queue until a reset; the daemon lives, a good
# frame gets through after the race, and the peer never sees a frame the
# guest marked bad; the host's log stays clean (the runner checks it).
. tests/vm/lib.sh

if [ -z "$CO_IN_NETNS" ]; then
	load_modules tun || fail "cannot load tun"
fi
[ -n "$CO_IN_NETNS" ] || exec env CO_IN_NETNS=1 unshare --net bash "$0"
out=/tmp/net-race.out
taskset -c 0,1 $COLINUX run kernel=$TESTGUEST test=netrace cpus=2 rounds=400 \
	eth0=tap,ifname=co-race0 > $out 2>&1 &
daemon=$!
tap_up co-race0 $out
python3 tests/vm/netbad-peer.py co-race0 > /tmp/net-race-peer.out 2>&1 &
peer=$!
wait $daemon
rc=$?
kill -TERM $peer
wait $peer
grep -v '^colinux: eth0: ' $out | tail -20
grep '^colinux: eth0: ' $out | sed 's/[0-9][0-9]*/N/g' | sort | uniq -c | sort -rn | head -20
cat /tmp/net-race-peer.out
[ $rc -eq 0 ] || fail "the race guest failed (status $rc)"
expect_in "$(cat $out)" "netrace: the daemon held, a good frame after the race" "the guest's output"
stopped=$(sed -n 's/^netrace: .* \([0-9]*\) stopped the queue.*/\1/p' $out)
dropped=$(sed -n 's/.*dropped \([0-9]*\) bad frames from the guest.*/\1/p' $out)
echo "the daemon dropped ${dropped:-no} frames, ${stopped:-no} rounds stopped the queue"
[ "${dropped:-0}" -gt 0 ] || [ "${stopped:-0}" -gt 0 ] ||
	fail "no frame was dropped and no queue stopped: the rewrites did not land"
expect_in "$(cat /tmp/net-race-peer.out)" "peer: good 2, highest 2, bad 0," \
	"the peer's count (both good frames, no bad one)"
race=$(sed -n 's/^peer: .*, race \([0-9]*\)$/\1/p' /tmp/net-race-peer.out)
[ "${race:-0}" -gt 0 ] || fail "no frame of the race reached the peer"
