# SPDX-License-Identifier: GPL-2.0
# long: first model only in make check, every model in make check-long
# timeout: 240
# A guest reboot ends colinux with status 0, or with on-reboot=restart
# boots the guest again (stopped here after the second boot).
. tests/vm/lib.sh

out=/tmp/linux-reboot.out
run_linux $out colinux.test=reboot
rc=$?
cut -d' ' -f2- $out | tail -3
[ $rc -eq 0 ] || fail "colinux exited with $rc after a guest reboot"
expect_in "$(cat $out)" "the guest rebooted" "colinux's message"

run_linux $out colinux.test=reboot on-reboot=restart &
for i in $(seq 120); do
	[ "$(grep -c 'userland up' $out 2>/dev/null)" -ge 2 ] && break
	sleep 1
done
pkill -TERM -f 'colinux run kernel=' ; wait
cut -d' ' -f2- $out | grep -e 'userland up' -e rebooted
[ "$(grep -c 'userland up' $out)" -ge 2 ] || fail "the guest was not booted again"
expect_in "$(cat $out)" "starting it again" "colinux's message"
