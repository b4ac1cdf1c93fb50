# SPDX-License-Identifier: GPL-2.0
# 1 kHz virtual ticks for 3 s with interrupts enabled in the guest.  The
# tick count must be within 2% of 3000.  On the host, the CPU the guest
# spins on must keep taking its own local timer interrupts (replayed into
# the host's handler): at least HZ/2 per second of the run.  The host's
# jiffies must keep pace with its monotonic clock (within 10%); both come
# from one read of the timer list, so the seconds a loaded TCG host can
# spend starting awk and date do not count against either.
. tests/vm/lib.sh

hz=$(host_kconfig | grep -o '^CONFIG_HZ=[0-9]*' | cut -d= -f2)
read -r j0 n0 <<EOT
$(host_clock)
EOT
loc0=$(local_timer_irqs 1); t0=$(date +%s%N)
out=$(taskset -c 1 $COLINUX run kernel=$TESTGUEST test=timer hz=1000 seconds=3 2>&1) ||
	fail "the guest failed: $out"
loc1=$(local_timer_irqs 1); t1=$(date +%s%N)
read -r j1 n1 <<EOT
$(host_clock)
EOT
echo "$out"
ticks=$(echo "$out" | sed -n 's/^timer: \([0-9]*\) ticks in \([0-9]*\) ms.*/\1/p')
ms=$(echo "$out" | sed -n 's/^timer: \([0-9]*\) ticks in \([0-9]*\) ms.*/\2/p')
[ -n "$ticks" ] || fail "no tick count in the guest's output"
within "$ticks" 3000 2 || fail "$ticks ticks, expected 3000 within 2%"
within "$ms" 3000 5 || fail "the guest measured $ms ms, expected 3000 within 5%"
mono_ms=$(( (n1 - n0) / 1000000 ))
jiffy_ms=$(( (j1 - j0) * 1000 / hz ))
loc=$((loc1 - loc0))
echo "host: $jiffy_ms ms of jiffies in $mono_ms ms monotonic ($(( (t1 - t0) / 1000000 )) ms wall); $loc local timer interrupts on CPU 1"
within "$jiffy_ms" "$mono_ms" 10 || fail "host jiffies advanced $jiffy_ms ms in $mono_ms ms"
[ "$loc" -ge $((hz * 3 / 2)) ] || fail "CPU 1 took only $loc timer interrupts in 3 s of guest time (HZ $hz)"
