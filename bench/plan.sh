#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test host: measures, in one boot, the world-switch round
# trip (a guest hypercall that does nothing), the host's getpid() for
# comparison, and the cost of a host interrupt forwarded from the guest.
OUT=/tmp/co-out
. "$OUT/plan.env"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
cd "$CO_ROOT"
{
	insmod "$CO_BUILD/module/$CO_KREL/colinux.ko" || exit 1
	taskset -c 1 "$CO_BUILD/daemon/colinux" run \
		kernel="$CO_BUILD/tests/guests/testguest" test=bench rounds=20000
	taskset -c 1 "$CO_BUILD/bench/getpid-loop" 200000
	rmmod colinux
	dmesg | grep -E 'WARNING|BUG|Oops' && echo "bench: the kernel log is not clean"
} > "$OUT/bench.out" 2>&1
