#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the QEMU test host's initramfs (Debian kernel + busybox-static).
# It mounts the build machine's root read-only over 9p, chroots into it and
# runs the plan that tests/testhost.py left in the "out" share.  It never
# returns: the test host powers off when the plan ends, even on errors.

/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev

for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev \
	 virtio_pci netfs fscache 9pnet 9pnet_virtio 9p; do
	# None with the debug kernel: it has them built in.
	[ -f /lib/modules/$m.ko ] || continue
	insmod /lib/modules/$m.ko || echo "testhost: insmod $m failed"
done

opts=trans=virtio,version=9p2000.L,msize=524288
if ! mount -t 9p -o $opts,ro,cache=loose hostroot /host ||
   ! mount -t 9p -o $opts out /out; then
	echo "testhost: cannot mount the 9p shares"
	poweroff -f
fi

. /out/plan.env
mount -t tmpfs tmp /host/tmp
mkdir -p "/host$CO_ROOT" 2>/dev/null
mount -t 9p -o $opts,ro,cache=loose project "/host$CO_ROOT" ||
	echo "testhost: cannot mount the project at $CO_ROOT"
mount -t proc proc /host/proc
mount -t sysfs sys /host/sys
mount -t devtmpfs dev /host/dev
mkdir -p /host/dev/pts /host/tmp/co-out
mount -t devpts devpts /host/dev/pts
mount --bind /out /host/tmp/co-out

echo "testhost: up, running $CO_PLAN"
chroot /host /bin/bash "$CO_ROOT/$CO_PLAN" </dev/console >/dev/console 2>&1
sync
poweroff -f
