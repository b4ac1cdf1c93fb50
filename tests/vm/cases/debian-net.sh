# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 900
# The Debian guest on three conet interfaces at once, in a network
# namespace of the case's own (traffic stays inside the test host):
# - eth0=nat: systemd-networkd takes its DHCP lease (10.0.2.15, the route
#   via 10.0.2.2) with no setup, systemd-resolved uses slirp's DNS (which
#   forwards to a test server on the namespace's 127.0.0.1:53), and a file
#   comes over TCP from the host's 127.0.0.1:8080 through 10.0.2.2;
# - eth1 and eth2=tap on two bridges, each with a namespace behind it: the
#   guest routes between them and nftables drops port 5001 and passes
#   5002; the probe from one side sees both, and the guest's counter saw
#   the dropped packets (the firewall use of the seed).
. tests/vm/lib.sh

if [ -z "$CO_IN_NETNS" ]; then
	load_modules tun bridge veth || fail "cannot load tun, bridge, veth"
	exec env CO_IN_NETNS=1 unshare --net --mount bash "$0"
fi
img=/tmp/debian-net.img
log=/tmp/co-out/debian-net
session="python3 tests/vm/console-session.py"
cp --sparse=always $CO_BUILD/rootfs/debian-12-test.img $img ||
	fail "no test image: make tests builds build/rootfs/debian-12-test.img"
# ip netns wants a writable /run: this namespace's own.
mount -t tmpfs tmpfs /run || fail "cannot mount /run"
ip link set lo up
for side in a b; do
	ip netns add fw-$side
	ip link add br-$side type bridge && ip link set br-$side up
	ip link add v-$side type veth peer name v-$side-in
	ip link set v-$side master br-$side && ip link set v-$side up
	ip link set v-$side-in netns fw-$side
	ip -n fw-$side link set lo up
	ip -n fw-$side link set v-$side-in up
done || fail "cannot set up the two sides"
ip -n fw-a addr add 10.1.0.2/24 dev v-a-in && ip -n fw-a route add default via 10.1.0.1
ip -n fw-b addr add 10.2.0.2/24 dev v-b-in && ip -n fw-b route add default via 10.2.0.1
# The namespace's own resolver and web server, on its loopback.
www=/tmp/debian-net.www
rm -rf $www && mkdir -p $www && echo "hello over nat" > $www/hello
echo "nameserver 127.0.0.1" > /tmp/debian-net.resolv
mount --bind /tmp/debian-net.resolv /etc/resolv.conf || fail "cannot set the resolver"
python3 tests/vm/nat-peer.py $www - > $log.services 2>&1 &
services=$!
ip netns exec fw-b python3 tests/vm/fw-probe.py serve 10.2.0.2 5001 5002 &
server=$!
trap 'kill $services $server $probe 2>/dev/null' EXIT

cat > $log.cmds <<'CMDS'
systemctl is-system-running --wait
ip -4 -o addr show
ip route show default
resolvectl dns
getent hosts test.colinux
bash -c 'exec 3<>/dev/tcp/10.0.2.2/8080; printf "GET /hello HTTP/1.0\r\n\r\n" >&3; cat <&3' | tail -1
printf '[Match]\nMACAddress=02:00:00:00:0a:01\n\n[Network]\nAddress=10.1.0.1/24\n' > /run/systemd/network/10-side-a.network
printf '[Match]\nMACAddress=02:00:00:00:0b:01\n\n[Network]\nAddress=10.2.0.1/24\n' > /run/systemd/network/10-side-b.network
networkctl reload && networkctl reconfigure $(cd /sys/class/net && ls -d e*) && for i in $(seq 60); do ip -4 -o addr | grep -q 10.2.0.1 && ip -4 -o addr | grep -q 10.1.0.1 && break; sleep 1; done; ip -4 -o addr | grep -c '10\.[12]\.0\.1/'
sysctl -w net.ipv4.ip_forward=1
nft add table inet fw && nft add chain inet fw forward '{ type filter hook forward priority 0; policy accept; }' && nft add rule inet fw forward tcp dport 5001 counter drop
echo fw-ready
python3 -c 'import socket; s = socket.create_server(("10.1.0.1", 6000)); c, _ = s.accept(); print("guest heard:", c.makefile().readline().strip())'
nft list chain inet fw forward | grep -o 'counter packets [0-9]*'
CMDS
ip netns exec fw-a python3 tests/vm/fw-probe.py probe $log.log 10.2.0.2 > $log.probe 2>&1 &
probe=$!
$session $log.log $log.cmds -- $COLINUX run kernel=$GUEST_KERNEL mem=512 cobd0=$img root=/dev/cobd0 rw \
	eth0=nat eth1=tap,ifname=co-a,bridge=br-a,mac=02:00:00:00:0a:01 \
	eth2=tap,ifname=co-b,bridge=br-b,mac=02:00:00:00:0b:01
rc=$?
wait $probe
probe_rc=$?
tr -d '\r' < $log.log > $log.out
grep -A4 -e '^co-prompt> ' $log.out | head -80
cat $log.probe
[ $rc -eq 0 ] || fail "colinux exited with $rc"
text=$(cat $log.out)
expect_in "$text" "$(printf 'running\nco-status=0')" "systemctl is-system-running"
expect_in "$text" "inet 10.0.2.15/24" "the DHCP lease"
expect_in "$text" "default via 10.0.2.2" "the default route"
expect_in "$text" "10.0.2.3" "the DNS server resolved uses"
expect_in "$text" "10.9.8.7" "the name lookup of test.colinux"
expect_in "$text" "$(printf 'hello over nat\nco-status=0')" "the file from the host's loopback"
expect_in "$text" "$(printf '2\nco-status=0')" "the addresses of both sides"
[ $probe_rc -eq 0 ] || fail "the firewall did not pass 5002 and drop 5001: $(cat $log.probe)"
expect_in "$text" "guest heard: probe: 5002 pass 5002; 5001 failed" "the probe's report in the guest"
count=$(sed -n 's/^counter packets \([0-9]*\)/\1/p' $log.out | tail -1)
[ "${count:-0}" -gt 0 ] || fail "the drop rule counted no packets"
e2fsck -fn $img > /dev/null || fail "e2fsck -fn found problems in the image"
