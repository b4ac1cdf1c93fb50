#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# switch-parts.sh COLINUX TESTGUEST: the world switch's breakdown, inside
# the test host with colinux.ko loaded.  The test guest times NOP
# hypercall round trips, plainly and with one part of the switch repeated
# REPEAT more times per round trip (the module's switch_variant, passage.h):
# that part's cost is the difference over REPEAT.  The plain round trip is
# timed before each variant and at the end, which shows the noise; each
# variant is timed three times (bench/run.py takes the median).  Prints
# "bench: switch_part NAME REPEAT NS" (NS: one round trip of that variant).
colinux=$1
guest=$2
rounds=${ROUNDS:-5000}
repeat=${REPEAT:-20}
param=/sys/module/colinux/parameters/switch_variant

round_trip() {
	echo "$1" > $param || exit 1
	taskset -c 1 "$colinux" run kernel="$guest" test=bench rounds=$rounds |
		sed -n 's/^bench: world_switch_round_trip \([0-9]*\) ns/\1/p'
}

# A first run warms QEMU's translation cache; it is not counted.  Three
# rounds, since the machine's noise is of the order of the small parts.
round_trip none > /dev/null
for i in 1 2 3; do
	for part in msr cr3 pge dt xcr0 fpu table dr; do
		echo "bench: switch_part none 0 $(round_trip none)"
		echo "bench: switch_part $part $repeat $(round_trip $part:$repeat)"
	done
done
echo "bench: switch_part none 0 $(round_trip none)"
echo none > $param
