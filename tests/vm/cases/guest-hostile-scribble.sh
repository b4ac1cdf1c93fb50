# SPDX-License-Identifier: GPL-2.0
# Stray guest stores into the passage: the guest writes garbage into the
# vcpu-page words the exit once trusted (the old MSR count and list, the
# pending-event and fault-depth words, the exit kind) before every
# hypercall and between 10 kHz timer ticks, and tries to write the tables
# page (which must fault).  The host must restore its own MSRs regardless
# (a wrong GS base would crash it at once) and replay no NMI or machine
# check that did not happen.
. tests/vm/lib.sh

# A slow test host (make check-debug's kernel, CO_TIME_SCALE) runs longer
# and is asked for fewer rounds.
scale=${CO_TIME_SCALE:-1}
out=$(taskset -c 1 $COLINUX run kernel=$TESTGUEST test=scribble seconds=$((3 * scale * scale)) stats=1 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "the scribble test failed (status $rc)"
expect_in "$out" "tables-page writes refused" "the guest's output"
# Junk lands in the pending word every round: believed, it would replay an
# NMI nearly every round.  Real NMIs here are only the watchdog's, rare.
rounds=$(echo "$out" | sed -n 's/^scribble: \([0-9]*\) rounds.*/\1/p')
pending=$(echo "$out" | sed -n 's/.* nmi_pending=\([0-9]*\).*/\1/p')
[ "${rounds:-0}" -gt $((100 / scale)) ] || fail "too few rounds: ${rounds:-none}"
[ "${pending:-999999}" -lt $((rounds / 10)) ] ||
	fail "the host replayed ${pending:-?} latched NMIs in $rounds rounds: the guest made them up"
if dmesg | grep -E "NMI received for unknown reason|Uhhuh|machine check" ; then
	fail "the host saw an event the guest made up"
fi
true
