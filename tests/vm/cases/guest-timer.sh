# SPDX-License-Identifier: GPL-2.0
# 1 kHz virtual ticks for 3 s with interrupts enabled in the guest.  The
# tick count must be within 2% of 3000, and the host's jiffies must advance
# with the wall clock (within 10%) while the guest spins.
. tests/vm/lib.sh

hz=$(grep -o 'CONFIG_HZ=[0-9]*' /boot/config-$(uname -r) | cut -d= -f2)
j0=$(host_jiffies); t0=$(date +%s%N)
out=$(taskset -c 1 $COLINUX run kernel=$TESTGUEST test=timer hz=1000 seconds=3 2>&1) ||
	fail "the guest failed: $out"
j1=$(host_jiffies); t1=$(date +%s%N)
echo "$out"
ticks=$(echo "$out" | sed -n 's/^timer: \([0-9]*\) ticks in \([0-9]*\) ms.*/\1/p')
ms=$(echo "$out" | sed -n 's/^timer: \([0-9]*\) ticks in \([0-9]*\) ms.*/\2/p')
[ -n "$ticks" ] || fail "no tick count in the guest's output"
within "$ticks" 3000 2 || fail "$ticks ticks, expected 3000 within 2%"
within "$ms" 3000 5 || fail "the guest measured $ms ms, expected 3000 within 5%"
wall_ms=$(( (t1 - t0) / 1000000 ))
jiffy_ms=$(( (j1 - j0) * 1000 / hz ))
echo "host: $jiffy_ms ms of jiffies in $wall_ms ms of wall time"
within "$jiffy_ms" "$wall_ms" 10 || fail "host jiffies advanced $jiffy_ms ms in $wall_ms ms"
