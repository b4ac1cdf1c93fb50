# SPDX-License-Identifier: GPL-2.0
# The module loads, creates /dev/colinux as a root-only char device, and
# says so in the log.  (The runner unloads it and checks the log.)
. tests/vm/lib.sh

[ -c /dev/colinux ] || fail "/dev/colinux is not a character device"
mode=$(stat -c '%a %U %G' /dev/colinux)
[ "$mode" = "600 root root" ] || fail "/dev/colinux is '$mode', expected '600 root root'"
[ -d /sys/module/colinux ] || fail "/sys/module/colinux is missing"
dmesg | grep -q 'colinux: ready' || fail "no 'colinux: ready' in the kernel log"
echo "ok: /dev/colinux $mode"
