# SPDX-License-Identifier: GPL-2.0
# Guest side of vm/linux-clock-stable: the clocksource Linux chose, and
# CLOCK_MONOTONIC handed from CPU to CPU (smpcheck's futex ping-pong fails
# if the taker reads an earlier time than the giver did).
echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
smpcheck stress 5
echo "stress-status: $?"
