# SPDX-License-Identifier: GPL-2.0
# long: first model only in make check, every model in make check-long
# timeout: 180
# A booted guest with nothing to do uses under 5% of one host CPU, measured
# over 5 s of its 7 s of sleep.
. tests/vm/lib.sh

pct=$(idle_use /tmp/linux-idle.out stats=1) || { echo "$pct"; exit 1; }
# Halt polling spins only while events come soon after an idle wait
# starts: an idle guest's waits are long, so it hardly ever does.
grep -o 'idle_sleeps=[0-9]*.*halt_polls=[0-9]*' /tmp/linux-idle.out
judge_idle $pct "the idle guest"
