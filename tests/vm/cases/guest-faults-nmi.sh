# SPDX-License-Identifier: GPL-2.0
# The guest takes its own page faults and exceptions (#PF, #DE, #UD, #BP,
# #GP) through its own IDT, on its own page tables, for 3 s on CPU 1, while
# CPU 0 sends CPU 1 synchronous IPIs and NMIs.  Every IPI must complete and
# every NMI must reach the host's handler.  On a slower test host
# (CO_TIME_SCALE) the guest runs longer: there the host's side of each round
# trip takes most of the time and NMIs rarely land in the guest (none in 3 s
# once on the debug kernel).
. tests/vm/lib.sh

insmod $CO_BUILD/tests/modules/$CO_KREL/ipi-stress.ko target_cpu=1 ||
	fail "cannot load ipi-stress"
out=$(taskset -c 1 $COLINUX run kernel=$TESTGUEST test=faults seconds=$((3 * ${CO_TIME_SCALE:-1})) stats=1 2>&1)
rc=$?
rmmod ipi_stress
echo "$out"
[ $rc -eq 0 ] || fail "the guest's exception test failed (status $rc)"
line=$(dmesg | grep 'ipi_stress:' | tail -1)
echo "$line"
calls=$(echo "$line" | sed -n 's/.*: \([0-9]*\) calls.*/\1/p')
sent=$(echo "$line" | sed -n 's/.* \([0-9]*\) NMIs sent.*/\1/p')
handled=$(echo "$line" | sed -n 's/.* \([0-9]*\) handled.*/\1/p')
[ "${calls:-0}" -gt 100 ] || fail "too few IPIs completed: ${calls:-none}"
[ "${sent:-0}" -gt 20 ] || fail "too few NMIs sent: ${sent:-none}"
[ "$sent" = "$handled" ] || fail "$sent NMIs sent but $handled reached the host's handler"
nmi_exits=$(echo "$out" | sed -n 's/.* nmi_exits=\([0-9]*\).*/\1/p')
nmi_pending=$(echo "$out" | sed -n 's/.* nmi_pending=\([0-9]*\).*/\1/p')
[ $((nmi_exits + nmi_pending)) -gt 0 ] || fail "no NMI hit the guest"
