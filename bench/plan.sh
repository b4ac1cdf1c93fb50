#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test host, one boot for every figure: the world switch
# (test guest), the Linux guest's boot time, Debian's boot to its login
# prompt, and the same static programs (tests/guest/bench.sh: getpid,
# fork+exec, pipe round trips, page faults, file create/write/unlink, a
# CPU-bound job) natively, in the guest and in User Mode Linux, pinned to
# the same CPU.  Every line is "bench: NAME VALUE UNIT".
OUT=/tmp/co-out
. "$OUT/plan.env"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
cd "$CO_ROOT"
B=$CO_BUILD
{
	insmod "$B/module/$CO_KREL/colinux.ko" || exit 1
	taskset -c 1 "$B/daemon/colinux" run kernel="$B/tests/guests/testguest" \
		test=bench rounds=20000
	# The world switch's parts, each repeated (bench/switch-parts.sh).
	bash bench/switch-parts.sh "$B/daemon/colinux" "$B/tests/guests/testguest"

	# Several CPUs: smpcheck's CPU-bound job on every CPU at once and its
	# futex ping-pong between CPUs 0 and 1, natively and in a guest with a
	# vCPU per test-host CPU; the IPI round trip between the test guest's
	# two vCPUs.  Not pinned: they need both CPUs.
	"$B/guest/initramfs/bin/smpcheck" bench | sed 's/^bench: /bench: host_/'
	"$B/daemon/colinux" run kernel="$B/guest/vmlinux" initrd="$B/guest/initramfs.cpio.gz" \
		cpus=2 colinux.test=smp-bench 2>&1 | tr -d '\r' | sed -n 's/^bench: /bench: guest_/p'
	"$B/daemon/colinux" run kernel="$B/tests/guests/testguest" test=smp cpus=2 2>&1 |
		sed -n 's/^smp: ipi \([0-9]*\) us a round trip.*/bench: ipi_round_trip \1 us/p'

	start=${EPOCHREALTIME/./}
	taskset -c 1 "$B/daemon/colinux" run kernel="$B/guest/vmlinux" \
		initrd="$B/guest/initramfs.cpio.gz" colinux.test=bench 2>&1 |
	while IFS= read -r line; do
		line=${line%$'\r'}
		case "$line" in
		*"userland up"*)
			now=${EPOCHREALTIME/./}
			echo "bench: linux_boot_to_userland $(( (now - start) / 1000 )) ms" ;;
		"bench: "*)
			echo "bench: guest_${line#bench: }" ;;
		esac
	done

	# Debian (make rootfs-test's image, copied so the bench leaves it as it
	# was): from colinux's start to the console's login prompt.
	cp --sparse=always "$B/rootfs/debian-12-test.img" /tmp/bench-debian.img
	: > /tmp/bench-debian.cmds
	taskset -c 1 /usr/bin/python3 tests/vm/console-session.py /tmp/co-out/bench-debian.log \
		/tmp/bench-debian.cmds -- "$B/daemon/colinux" run kernel="$B/guest/vmlinux" \
		mem=512 cobd0=/tmp/bench-debian.img root=/dev/cobd0 rw |
		sed -n 's/^console-session: login prompt after \([0-9]*\) ms/bench: debian_boot_to_login \1 ms/p'
	rm -f /tmp/bench-debian.img

	PATH=$B/bench:$PATH taskset -c 1 sh tests/guest/bench.sh | sed 's/^bench: /bench: host_/'

	# User Mode Linux (Debian's user-mode-linux), the test host's / as its
	# root through hostfs: its boot to userland and the same list.  Its
	# own files (uml_dir, ~/.uml otherwise) go to the test host's tmpfs.
	mkdir -p /tmp/uml
	start=${EPOCHREALTIME/./}
	HOME=/tmp taskset -c 1 linux.uml uml_dir=/tmp/uml mem=256M root=/dev/root rootfstype=hostfs rootflags=/ ro \
		init="$CO_ROOT/bench/uml-init.sh" co_build="$B" co_root="$CO_ROOT" \
		con0=fd:0,fd:1 con=null < /dev/null 2>&1 |
	while IFS= read -r line; do
		line=${line%$'\r'}
		case "$line" in
		"uml: userland up"*)
			now=${EPOCHREALTIME/./}
			echo "bench: uml_boot_to_userland $(( (now - start) / 1000 )) ms" ;;
		"bench: "*)
			echo "$line" ;;
		esac
	done

	# Disks: one backing file (in the test host's RAM) behind a loop
	# device, measured with O_DIRECT by the same program here and in the
	# guest on cobd0.  Not pinned: the guest's disk thread runs beside
	# its vCPU, as the host's loop worker runs beside the program.
	modprobe loop
	truncate -s 256M /tmp/bench-disk.img
	loop=$(losetup -f --show /tmp/bench-disk.img)
	dd if=/dev/zero of="$loop" bs=1M count=256 oflag=direct status=none
	"$B/guest/initramfs/bin/diskbench" "$loop" 2 | sed 's/^bench: /bench: host_/'
	"$B/daemon/colinux" run kernel="$B/guest/vmlinux" initrd="$B/guest/initramfs.cpio.gz" \
		cobd0="$loop" colinux.test=bench-disk 2>&1 | tr -d '\r' |
		sed -n 's/^bench: /bench: guest_/p'
	losetup -d "$loop"
	rm -f /tmp/bench-disk.img
	# Network: loopback, tap and nat side by side (bench/netbench.sh).
	modprobe tun
	CO_BUILD=$B CO_ROOT=$CO_ROOT unshare --net bash bench/netbench.sh
	rmmod colinux
	dmesg | grep -E 'WARNING|BUG|Oops' && echo "bench: the kernel log is not clean"
} > "$OUT/bench.out" 2>&1
