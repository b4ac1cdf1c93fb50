# Guest side of vm/net-tap: eth0 at 10.0.2.15 next to the host's 10.0.2.1;
# ping it, then a 64 MiB pattern each way over TCP, checked where it lands.
echo "net-tap: mac $(cat /sys/class/net/eth0/address)"
echo "net-tap: eth1 mac $(cat /sys/class/net/eth1/address 2>/dev/null)"
ip link set lo up
ip addr add 10.0.2.15/24 dev eth0 && ip link set eth0 up ||
	{ echo "net-tap: cannot configure eth0"; exit 1; }
for i in $(seq 30); do
	ping -c 1 -W 1 10.0.2.1 > /dev/null 2>&1 && break
done
ping -c 3 -W 2 10.0.2.1 && echo "net-tap: ping ok"
# Host to guest: the peer connects and sends; pattern checks the stream.
echo "net-tap: listening"
nc -l -p 5001 -e sh -c 'exec pattern check - 64 21 > /tmp/rx.out 2>&1'
echo "net-tap: received: $(cat /tmp/rx.out)"
# Guest to host: the peer checks.
nc 10.0.2.1 5002 -e pattern write - 64 22 && echo "net-tap: sent"
echo "net-tap: eth0 $(cat /sys/class/net/eth0/statistics/rx_packets) rx, $(cat /sys/class/net/eth0/statistics/tx_packets) tx packets"
