# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 400
# conet over TAP: the daemon runs in a network namespace of the test host
# and makes its TAP interface there; the guest pings the host's side, then
# a 64 MiB pattern goes each way over TCP and is checked byte for byte
# where it lands.  The guest's MAC is the stable default the daemon names.
# A second eth with a given MAC on a bridge: the guest sees that MAC and
# the TAP is on the bridge.
. tests/vm/lib.sh

# A network namespace of the case's own (/run/netns is read-only here):
# the daemon, its TAPs, the bridge and the peer live and die in it.
if [ -z "$CO_IN_NETNS" ]; then
	load_modules tun bridge || fail "cannot load tun and bridge"
fi
[ -n "$CO_IN_NETNS" ] || exec env CO_IN_NETNS=1 unshare --net bash "$0"
out=/tmp/net-tap.out
ip link set lo up
ip link add cobr0 type bridge && ip link set cobr0 up || fail "cannot make a bridge"

$COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD mem=256 \
	eth0=tap,ifname=co-t0 eth1=tap,ifname=co-t1,bridge=cobr0,mac=02:00:00:12:34:56 \
	colinux.test=net-tap > $out 2>&1 &
daemon=$!
for i in $(seq 100); do
	ip link show co-t0 > /dev/null 2>&1 && break
	sleep 0.1
done
ip addr add 10.0.2.1/24 dev co-t0 || fail "no TAP co-t0 in the namespace: $(cat $out)"
timeout 300 python3 tests/vm/net-peer.py $PATTERN > /tmp/net-peer.out 2>&1
peer=$?
bridged=$(ip -o link show master cobr0)
wait $daemon
rc=$?
cat /tmp/net-peer.out
grep -e 'net-tap\|eth[01]\|conet\|colinux:' $out | tail -20
[ $rc -eq 0 ] || fail "colinux exited with $rc"
[ $peer -eq 0 ] || fail "the host's side of the transfers failed"
expect_in "$(cat $out)" "net-tap: ping ok" "the guest's output"
expect_in "$(cat $out)" "net-tap: received: pattern: - 64 MiB match" "the guest's output"
expect_in "$(cat $out)" "net-tap: sent" "the guest's output"
expect_in "$(cat /tmp/net-peer.out)" "peer: received: pattern: - 64 MiB match" "the peer's output"
mac=$(sed -n 's/.*eth0: co-t0, MAC \([0-9a-f:]*\).*/\1/p' $out)
case "$mac" in 02:c0:*) ;; *) fail "the daemon named no default MAC for eth0: '$mac'" ;; esac
expect_in "$(cat $out)" "net-tap: mac $mac" "the guest's output (eth0's MAC)"
expect_in "$(cat $out)" "eth1: co-t1, MAC 02:00:00:12:34:56" "the daemon's output"
expect_in "$bridged" "co-t1" "the bridge's ports"
expect_in "$(cat $out)" "net-tap: eth1 mac 02:00:00:12:34:56" "the guest's output (eth1's MAC)"
