#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench's network figures, run by plan.sh in a network namespace of
# the test host (traffic stays inside it): TCP throughput both ways and the
# round trip of one byte, over the test host's loopback, then from the
# Debian guest over eth0=tap (to the TAP's host side, 10.0.3.1) and over
# eth1=nat (to the gateway 10.0.2.2, which is the host's 127.0.0.1).  The
# same iperf3 and the same scripts on both sides.
B=$CO_BUILD
here=$CO_ROOT/bench
ip link set lo up
iperf3 -s -D -I /tmp/iperf3.pid
python3 $here/tcp-rtt.py serve 5300 &
echo_server=$!
trap 'kill $echo_server $(cat /tmp/iperf3.pid) 2>/dev/null' EXIT
sleep 0.5
$here/iperf-figure.sh loopback_to_host 127.0.0.1
$here/iperf-figure.sh loopback_from_host 127.0.0.1 -R
python3 $here/tcp-rtt.py 127.0.0.1 5300 2000 loopback_rtt

# The guest's side: the two scripts on a small disk of their own (cobd1,
# which the guest sees as /dev/vdb).
rm -rf /tmp/netbench.tree && mkdir /tmp/netbench.tree
cp $here/tcp-rtt.py $here/iperf-figure.sh /tmp/netbench.tree/
truncate -s 16M /tmp/netbench.img
mkfs.ext4 -q -F -d /tmp/netbench.tree /tmp/netbench.img
cp --sparse=always "$B/rootfs/debian-12-test.img" /tmp/netbench-debian.img
cat > /tmp/netbench.cmds <<'CMDS'
mount -o ro /dev/vdb /mnt
printf '[Match]\nMACAddress=02:00:00:00:0b:01\n\n[Network]\nAddress=10.0.3.2/24\n' > /run/systemd/network/10-bench.network && networkctl reload && networkctl reconfigure $(cd /sys/class/net && ls -d e*)
for i in $(seq 60); do ip -4 -o addr | grep -q 10.0.2.15 && ip -4 -o addr | grep -q 10.0.3.2 && break; sleep 1; done; ip -4 -o addr
for i in $(seq 30); do ping -c1 -W1 10.0.3.1 > /dev/null && break; done
/mnt/iperf-figure.sh tap_guest_to_host 10.0.3.1
/mnt/iperf-figure.sh tap_host_to_guest 10.0.3.1 -R
python3 /mnt/tcp-rtt.py 10.0.3.1 5300 2000 tap_rtt
/mnt/iperf-figure.sh nat_guest_to_host 10.0.2.2
/mnt/iperf-figure.sh nat_host_to_guest 10.0.2.2 -R
python3 /mnt/tcp-rtt.py 10.0.2.2 5300 2000 nat_rtt
umount /mnt
CMDS
(
	for i in $(seq 300); do
		ip link show co-bench > /dev/null 2>&1 && break
		sleep 0.2
	done
	ip addr add 10.0.3.1/24 dev co-bench && ip link set co-bench up
) &
python3 tests/vm/console-session.py /tmp/co-out/bench-net.log /tmp/netbench.cmds -- \
	"$B/daemon/colinux" run kernel="$B/guest/vmlinux" mem=512 \
	cobd0=/tmp/netbench-debian.img cobd1=/tmp/netbench.img,ro root=/dev/cobd0 rw \
	eth0=tap,ifname=co-bench,mac=02:00:00:00:0b:01 eth1=nat > /dev/null ||
	echo "bench: the network guest failed (see bench-net.log)"
tr -d '\r' < /tmp/co-out/bench-net.log | grep '^bench: '
rm -f /tmp/netbench-debian.img /tmp/netbench.img
