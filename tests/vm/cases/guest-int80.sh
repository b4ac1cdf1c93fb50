# SPDX-License-Identifier: GPL-2.0
# A guest gate at 0x80 (CO_GUEST_SYSCALL_VECTOR) is the guest's own on a
# host with IA32 emulation: 100000 "int $0x80" reach the guest's handler,
# which returns rax + 1 each time, and none of them stops the guest (as an
# "int" on a host vector would).  guest-hostile-softint covers 0x80 without
# a guest gate.
. tests/vm/lib.sh

host_kconfig | grep -q '^CONFIG_IA32_EMULATION=y' ||
	fail "the test host's kernel has no IA32 emulation: 0x80 stays a host vector"
out=$(taskset -c 1 $COLINUX run kernel=$TESTGUEST test=int80 stats=1 2>&1)
rc=$?
echo "$out"
[ $rc -eq 0 ] || fail "the int80 guest ended with status $rc"
expect_in "$out" "int80: 100000 calls, rax 100000" "the guest's count"
