# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 400
# conet on user-mode networking (libslirp), in a network namespace of the
# case's own whose only traffic is on its loopback: the guest gets its
# address by DHCP, fetches a 32 MiB file over HTTP from a server on the
# host's 127.0.0.1 through the gateway 10.0.2.2 (bytes checked), sends
# 32 MiB the other way over the link's 65520-byte MTU (checked), resolves a
# name through slirp's DNS forwarding (to a test server on 127.0.0.1:53,
# the resolver of the namespace), and the host reaches a server in the
# guest through hostfwd=tcp:127.0.0.1:2222-:22.  The daemon runs without
# CAP_NET_ADMIN and CAP_NET_RAW (nat needs neither), where tap is refused
# with a message that says why.
. tests/vm/lib.sh

[ -n "$CO_IN_NETNS" ] || load_modules tun || fail "cannot load tun"
[ -n "$CO_IN_NETNS" ] || exec env CO_IN_NETNS=1 unshare --net --mount bash "$0"
out=/tmp/net-nat.out
www=/tmp/net-nat.www
ip link set lo up
rm -rf $www && mkdir -p $www
$PATTERN write $www/pattern 32 31 > /dev/null || fail "cannot write the pattern"
echo "nameserver 127.0.0.1" > /tmp/net-nat.resolv
mount --bind /tmp/net-nat.resolv /etc/resolv.conf || fail "cannot set the namespace's resolver"
: > $out
python3 tests/vm/nat-peer.py $www $out > /tmp/net-nat.peer 2>&1 &
peer=$!
nonet="setpriv --bounding-set -net_admin,-net_raw"
tap=$($nonet $COLINUX run kernel=$GUEST_KERNEL eth0=tap 2>&1)
[ $? -eq 2 ] || fail "tap without CAP_NET_ADMIN did not fail with status 2: $tap"
expect_in "$tap" "tap needs root or CAP_NET_ADMIN; nat does not" "tap's error"
$nonet $COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD mem=256 \
	eth0=nat,hostfwd=tcp:127.0.0.1:2222-:22 colinux.test=net-nat > $out 2>&1
rc=$?
wait $peer
peer_rc=$?
cat /tmp/net-nat.peer
grep -e 'net-nat\|eth0\|colinux:' $out | tail -20
[ $rc -eq 0 ] || fail "colinux exited with $rc"
expect_in "$(cat $out)" "net-nat: address 10.0.2.15/24" "the guest's output"
expect_in "$(cat $out)" "net-nat: route default via 10.0.2.2" "the guest's output"
expect_in "$(cat $out)" "net-nat: http: pattern: - 32 MiB match" "the guest's output"
expect_in "$(cat $out)" "net-nat: mtu 65520" "the guest's output"
expect_in "$(cat $out)" "net-nat: uploaded" "the guest's output"
$PATTERN check $www/upload 32 33 || fail "the guest's upload did not arrive intact"
expect_in "$(cat $out)" "net-nat: dns: 10.9.8.7" "the guest's output"
[ $peer_rc -eq 0 ] || fail "the host did not reach the guest's server through the forward"
expect_in "$(cat /tmp/net-nat.peer)" "peer: forward: hello from the guest over hostfwd" "the peer's output"
