# SPDX-License-Identifier: GPL-2.0
# timeout: 240
# By default the first Oops stops the VM and is reported (status 125);
# with on-oops=continue the guest goes on and powers off normally.
. tests/vm/lib.sh

out=/tmp/linux-oops.out
run_linux $out colinux.test=oops lockdown=off
rc=$?
cut -d' ' -f2- $out | grep -A3 -e 'Oops' -e 'crashed' | head -20
[ $rc -eq 125 ] || fail "default: colinux exited with $rc, expected 125"
expect_in "$(cat $out)" "Oops" "the output"
expect_in "$(cat $out)" "the guest crashed" "colinux's report"

run_linux $out colinux.test=oops lockdown=off on-oops=continue
rc=$?
cut -d' ' -f2- $out | tail -5
[ $rc -eq 0 ] || fail "on-oops=continue: colinux exited with $rc"
expect_in "$(cat $out)" "Oops" "the output"
expect_in "$(cat $out)" "test oops finished" "the output"
