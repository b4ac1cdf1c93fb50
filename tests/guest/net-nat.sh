# Guest side of vm/net-nat: eth0 on user-mode networking.  DHCP, then a
# file over HTTP from the host's loopback through the gateway address, a
# stream the other way (in 64 KiB frames: the link's MTU is 65520), a name
# through slirp's DNS, and a server the host reaches by a port forward.
ip link set lo up
ip link set eth0 up
udhcpc -i eth0 -n -q -t 20 -T 1 -s /tests/udhcpc-hook.sh > /dev/null 2>&1 ||
	{ echo "net-nat: no DHCP lease"; exit 1; }
echo "net-nat: address $(ip -o -4 addr show eth0 | awk '{ print $4 }')"
echo "net-nat: route $(ip route show default)"
echo "net-nat: resolver $(cat /etc/resolv.conf)"
wget -q -O - http://10.0.2.2:8080/pattern | pattern check - 32 31 > /tmp/http.out 2>&1
echo "net-nat: http: $(cat /tmp/http.out)"
echo "net-nat: mtu $(cat /sys/class/net/eth0/mtu)"
nc 10.0.2.2 8081 -e pattern write - 32 33 && echo "net-nat: uploaded"
echo "net-nat: dns: $(nslookup test.colinux 2>&1 | grep -o '10\.9\.8\.7' | head -1)"
echo "net-nat: serving"
nc -l -p 22 -e sh -c 'echo "hello from the guest over hostfwd"'
echo "net-nat: served"
