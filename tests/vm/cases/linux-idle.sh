# SPDX-License-Identifier: GPL-2.0
# long: first model only in make check, every model in make check-long
# timeout: 180
# A booted guest with nothing to do uses under 5% of one host CPU, measured
# over 5 s of its 7 s of sleep.
. tests/vm/lib.sh

pct=$(idle_use /tmp/linux-idle.out) || { echo "$pct"; exit 1; }
judge_idle $pct "the idle guest"
