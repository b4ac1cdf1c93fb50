#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The plan behind 'make run': the default guest, attached to this console.
. /tmp/co-out/plan.env
export PATH=$CO_BUILD/daemon:/usr/sbin:/usr/bin:/sbin:/bin
cd "$CO_ROOT"
insmod "$CO_BUILD/module/$CO_KREL/colinux.ko" || exit 1
echo "make run: the QEMU test host is up; booting the default guest (${CO_MEM:-256} MiB)"
# setsid -c: this console becomes our terminal, so the guest gets its keys.
setsid -c colinux run kernel="$CO_BUILD/guest/vmlinux" \
	initrd="$CO_BUILD/guest/initramfs.cpio.gz" mem="${CO_MEM:-256}" $CO_ARGS
echo "make run: colinux exited with status $?"
rmmod colinux
