# SPDX-License-Identifier: GPL-2.0
# long: first model only in make check, every model in make check-long
# Guest RAM is the guest's alone: the guest writes and verifies every free
# word of its 512 MiB for 5 s while the host fills and empties its page
# cache and forces memory compaction, which moves movable pages around.
. tests/vm/lib.sh

pressure() {
	while :; do
		dd if=/dev/zero of=/tmp/pressure bs=1M count=200 2>/dev/null
		rm -f /tmp/pressure
		echo 1 > /proc/sys/vm/compact_memory
		echo 3 > /proc/sys/vm/drop_caches
	done
}

pressure &
stressor=$!
out=$(taskset -c 1 $COLINUX run kernel=$TESTGUEST mem=512 test=memtest seconds=5 2>&1)
rc=$?
kill $stressor; wait $stressor 2>/dev/null
rm -f /tmp/pressure
echo "$out"
[ $rc -eq 0 ] || fail "guest RAM changed under the guest"
passes=$(echo "$out" | sed -n 's/^memtest: \([0-9]*\) passes, 0 bad words/\1/p')
[ "${passes:-0}" -ge 2 ] || fail "fewer than 2 complete passes"
