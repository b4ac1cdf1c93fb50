# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 180
# What is typed on colinux's stdin reaches the guest's shell on hvc0: the
# guest computes something and powers off when told to.
. tests/vm/lib.sh

out=/tmp/console-input.out
{
	sleep 1
	printf 'echo typed-$((6*7))-done\n'
	printf 'poweroff -f\n'
} | $COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD > $out 2>&1
rc=$?
tail -5 $out
[ $rc -eq 0 ] || fail "colinux exited with $rc"
expect_in "$(cat $out)" "typed-42-done" "the guest's output"
