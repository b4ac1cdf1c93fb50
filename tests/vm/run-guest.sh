#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The plan behind 'make run': the default guest, attached to this console.
# With CO_ROOT_DISK (make run's Debian image, a virtio disk of this test
# host) the guest boots it from cobd0; without, the busybox initramfs.
. /tmp/co-out/plan.env
export PATH=$CO_BUILD/daemon:/usr/sbin:/usr/bin:/sbin:/bin
cd "$CO_ROOT"
insmod "$CO_BUILD/module/$CO_KREL/colinux.ko" || exit 1
if [ -n "${CO_ROOT_DISK:-}" ]; then
	modprobe virtio_blk
	udevadm settle 2>/dev/null || sleep 1
	[ -b "$CO_ROOT_DISK" ] || { echo "make run: no $CO_ROOT_DISK in the test host"; exit 1; }
	echo "make run: the QEMU test host is up; booting Debian from $CO_ROOT_IMAGE" \
		"(${CO_MEM:-512} MiB; log in as root, no password; poweroff to leave)"
	guest=(cobd0="$CO_ROOT_DISK" root=/dev/cobd0 rw mem="${CO_MEM:-512}")
else
	echo "make run: the QEMU test host is up; booting the busybox initramfs (${CO_MEM:-256} MiB)"
	guest=(initrd="$CO_BUILD/guest/initramfs.cpio.gz" mem="${CO_MEM:-256}")
fi
# setsid -c: this console becomes our terminal, so the guest gets its keys.
setsid -c colinux run kernel="$CO_BUILD/guest/vmlinux" "${guest[@]}" $CO_ARGS
echo "make run: colinux exited with status $?"
rmmod colinux
