#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# init of the User Mode Linux kernel of make bench: its root is the test
# host's / through hostfs, read-only.  Says when userland is up, runs the
# micro-benchmarks of tests/guest/bench.sh with the same static programs,
# and powers off.  co_build and co_root come from the UML command line.
export PATH=$co_build/bench:/usr/sbin:/usr/bin:/sbin:/bin
echo "uml: userland up"
mount -t proc proc /proc
mount -t tmpfs tmpfs /tmp
cd /tmp
sh "$co_root/tests/guest/bench.sh" 2>&1 | sed 's/^bench: /bench: uml_/'
/bin/busybox poweroff -f
