# SPDX-License-Identifier: GPL-2.0
# Unknown ioctls, bad pointers and random numbers get errors, never an oops
# (the runner fails the case if the kernel log shows one).
. tests/vm/lib.sh

$PROGS/ioctl-garbage /dev/colinux || fail "ioctl-garbage reported a problem"
