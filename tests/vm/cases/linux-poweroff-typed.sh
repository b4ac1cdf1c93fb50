# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 300
# poweroff, reboot and halt typed at the busybox guest's shell end it (its
# init answers busybox's signals): exit status 0 and the right message.
. tests/vm/lib.sh

for cmd in poweroff reboot halt; do
	out=/tmp/typed-$cmd.out
	{
		sleep 2
		printf 'echo typing-%s\n' $cmd
		printf '%s\n' $cmd
		# stdin stays open: only the guest may end colinux (and then
		# the next write ends this loop)
		while sleep 1; do printf '\n' || break; done
	} | timeout 150 $COLINUX run kernel=$GUEST_KERNEL initrd=$GUEST_INITRD > $out 2>&1
	rc=$?
	tail -4 $out
	[ $rc -eq 0 ] || fail "'$cmd' typed: colinux exited with $rc"
	expect_in "$(cat $out)" "typing-$cmd" "the guest's output"
	case $cmd in
	poweroff) expect_in "$(cat $out)" "reboot: Power down" "the guest's output" ;;
	reboot) expect_in "$(cat $out)" "the guest rebooted" "colinux's output" ;;
	halt) expect_in "$(cat $out)" "the guest halted" "colinux's output" ;;
	esac
done
