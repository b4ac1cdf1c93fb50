# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 180
# A guest that sends malformed frames on conet (tests/guests/netbad.c):
# too short, too long, bad header fields, requests not negotiated, wrong
# shapes, broken rings (loops, indices and buffers out of range) and a
# flood.  Each bad frame is dropped and counted, none reaches the TAP, a
# good frame after each one does, the daemon lives on, the host's log
# stays clean (the runner checks it), also for frames only the host
# kernel can judge.
. tests/vm/lib.sh

if [ -z "$CO_IN_NETNS" ]; then
	load_modules tun || fail "cannot load tun"
fi
[ -n "$CO_IN_NETNS" ] || exec env CO_IN_NETNS=1 unshare --net bash "$0"
out=/tmp/net-bad-frames.out
$COLINUX run kernel=$TESTGUEST test=netbad eth0=tap,ifname=co-bad0 > $out 2>&1 &
daemon=$!
tap_up co-bad0 $out
python3 tests/vm/netbad-peer.py co-bad0 > /tmp/netbad-peer.out 2>&1 &
peer=$!
wait $daemon
rc=$?
kill -TERM $peer
wait $peer
cat $out /tmp/netbad-peer.out
[ $rc -eq 0 ] || fail "colinux exited with $rc"
expect_in "$(cat $out)" "netbad: bad frames dropped, good ones sent" "the guest's output"
read goods bads odds <<< "$(sed -n 's/^netbad: \([0-9]*\) good frames, \([0-9]*\) bad, \([0-9]*\) odd.*/\1 \2 \3/p' $out)"
[ -n "$goods" ] || fail "the guest did not say what it sent"
# Dropped by the daemon: every bad frame, and the odd ones the TAP refused.
dropped=$(sed -n 's/.*dropped \([0-9]*\) bad frames from the guest.*/\1/p' $out)
echo "guest: $goods good, $bads bad, $odds odd; the daemon dropped ${dropped:-none}"
[ -n "$dropped" ] && [ $dropped -ge $bads ] && [ $dropped -le $((bads + odds)) ] ||
	fail "the daemon dropped '$dropped' frames, not the guest's $bads bad ones"
expect_in "$(cat /tmp/netbad-peer.out)" "peer: good $goods, highest $goods, bad 0," \
	"the peer's count (every good frame, no bad one)"
