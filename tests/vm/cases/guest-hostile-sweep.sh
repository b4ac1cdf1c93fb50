# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# The hostile guest, systematically (test=sweep, tests/guests/sweep.c):
# every hypercall number, known or not, with each argument taken from a
# table of boundary values (ends of RAM, the guest's page table, the
# passage, 2^47, 2^63, ~0, wrapping lengths, ...) and then a few thousand
# more calls drawn from it by a seeded generator; each result must be the
# one docs/abi.md gives for those arguments, every register but rax must
# come back, and the guest's IDT, stacks and a canary area must stay whole.
# Then SET_IDT with one bad gate while a host timer lands mid-call (the
# old snapshot must stay in force), and garbage in the guest's own GDT,
# IDT register, selectors, CR0/CR4/CR8, switched MSRs, debug registers and
# XSAVE state before calling the host, which must come back clean (the
# runner fails the case on any WARNING, BUG or Oops in the host log) and
# hand the guest its own values back.  Three fixed seeds; a failing one is
# rerun by hand with the same seed= to reproduce it (make check-long,
# CO_SWEEP=full, makes 30000 random calls per seed instead of 3000).
. tests/vm/lib.sh

calls=3000
[ "$CO_SWEEP" = full ] && calls=30000
for seed in 1 2 3; do
	start=$(date +%s)
	# Through a file, shown as it comes: a hang still shows how far it got.
	$COLINUX run kernel=$TESTGUEST test=sweep seed=$seed calls=$calls 2>&1 |
		tee /tmp/sweep.out
	rc=${PIPESTATUS[0]}
	out=$(cat /tmp/sweep.out)
	echo "host: seed $seed took $(( $(date +%s) - start )) s"
	[ $rc -eq 0 ] || fail "seed $seed: the sweep failed (status $rc)"
	expect_in "$out" "calls, all answered as documented" "seed $seed's output"
done
