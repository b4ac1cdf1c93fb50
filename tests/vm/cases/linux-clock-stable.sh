# SPDX-License-Identifier: GPL-2.0
# models: one
# cmdline: tsc=reliable
# timeout: 240
# On a host that trusts its TSC (here the test host is told to: tsc=reliable)
# the guest keeps time by the TSC itself, read in the vDSO, and two CPUs'
# clocks agree (linux-smp covers the other case, colinux-tsc, which TCG's
# test hosts get by default: "TSCs unsynchronized").
. tests/vm/lib.sh

dmesg | grep -q 'colinux: .*TSC marked unstable' &&
	fail "the test host marked its TSC unstable despite tsc=reliable"
out=/tmp/linux-clock.out
run_linux $out cpus=2 colinux.test=clock
rc=$?
cut -d' ' -f2- $out | grep -v -e '^dmesg' | tail -20
[ $rc -eq 0 ] || fail "colinux exited with $rc"
all=$(cat $out)
expect_in "$all" "clocksource: tsc" "the guest's clocksource on a host with a stable TSC"
expect_in "$all" "stress: ok" "the threads' checks, the clock hand-over among them"
expect_in "$all" "stress-status: 0" "the threaded stress's status"
