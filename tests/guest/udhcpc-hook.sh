#!/bin/sh
# busybox udhcpc's hook for the network tests: the lease into eth0, the
# default route and the name server.
case "$1" in
bound|renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	[ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
	[ -n "$dns" ] && echo "nameserver ${dns%% *}" > /etc/resolv.conf
	;;
esac
exit 0
