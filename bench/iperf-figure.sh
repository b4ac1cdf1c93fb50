#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# iperf-figure.sh NAME HOST [iperf3 options]: one TCP throughput figure of
# make bench, 5 s with iperf3, printed as "bench: NAME MBPS MBps" (what the
# receiving side counted).  The same script in the test host and in the guest.
name=$1 host=$2
shift 2
iperf3 -c "$host" -t 5 -J "$@" > /tmp/iperf-$name.json ||
	{ echo "bench: $name failed: $(tail -3 /tmp/iperf-$name.json)"; exit 1; }
python3 -c 'import json, sys
end = json.load(open(sys.argv[1]))["end"]
print("bench: %s %.1f MBps" % (sys.argv[2], end["sum_received"]["bits_per_second"] / 8e6))' \
	/tmp/iperf-$name.json "$name"
