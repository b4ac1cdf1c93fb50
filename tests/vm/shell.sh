#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The plan behind 'make sandbox': load the module, give the user a shell.
. /tmp/co-out/plan.env
export PATH=$CO_BUILD/daemon:/usr/sbin:/usr/bin:/sbin:/bin
cd "$CO_ROOT"
insmod "$CO_BUILD/module/$CO_KREL/colinux.ko" && echo "sandbox: colinux.ko loaded"
echo "sandbox: this is the QEMU test host; 'exit' powers it off"
setsid -c bash -i
rmmod colinux 2>/dev/null
dmesg | grep -E 'WARNING|BUG|Oops' && echo "sandbox: the kernel log has errors"
