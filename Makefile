# SPDX-License-Identifier: GPL-2.0
#
# make            build colinux.ko (for the test host's kernel, and for the
#                 running kernel when its headers are installed) and the CLI
# make check      install what is missing, build, run every test
# make check-long the same, with every sweep in full (all host vectors)
# make bench      benchmarks, measured in the QEMU test host
# make fuzz       the daemon's device fuzzers (FUZZ_SECONDS each) and the long
#                 ioctl fuzzer in the QEMU test host
# make faults     faults injected in the test host, 100 of each, every model
# make check-debug the VM tests on a debug build of the test host's kernel
# make soak       30 minutes of stress-ng in the Debian guest, host loaded
# make sandbox    an interactive shell in the QEMU test host, module loaded
# make rootfs     a Debian 12 root filesystem image (mmdebstrap; needs root)
# make deb        the Debian packages colinux and colinux-dkms, in build/deb
#
# Nothing here loads colinux.ko into the kernel you are running.

TOP := $(CURDIR)
BUILD := $(TOP)/build

NEED := scripts/need.sh cc:build-essential make:make python3:python3
KREL = $(shell python3 tests/testhost.py --release)
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build

all: module cli

tools:
	@$(NEED)

module: tools
	@krel=$$(python3 tests/testhost.py --release) && kdir=$$(python3 tests/testhost.py --kdir) || exit 1; \
	$(MAKE) -C host KDIR=$$kdir OUT=$(BUILD)/module/$$krel
	@if [ -f $(RUNNING_KDIR)/Makefile ]; then \
		$(MAKE) -C host KDIR=$(RUNNING_KDIR) OUT=$(BUILD)/module/$$(uname -r); \
	else \
		echo "note: no headers for the running kernel $$(uname -r); built for the test host only"; \
	fi

cli: tools
	$(MAKE) -C daemon OUT=$(BUILD)/daemon

tests: all guest initramfs rootfs-test
	$(MAKE) -C tests

# The Debian image the tests and make bench boot: make rootfs's, plus gcc,
# make, python3, nftables, iperf3 and stress-ng (make soak).
rootfs-test:
	@ROOTFS_EXTRA="gcc libc6-dev make python3 nftables iperf3 stress-ng" ROOTFS_IMAGE=$(BUILD)/rootfs/debian-12-test.img \
		scripts/rootfs.sh

deps:
	@scripts/install-deps.sh

check: deps
	$(MAKE) tests
	python3 tests/run.py

check-long: deps
	$(MAKE) tests
	python3 tests/run.py --sweep full

fuzz: deps
	$(MAKE) tests
	$(MAKE) -C tests/fuzz run
	IOCTL_FUZZ_CALLS=$${IOCTL_FUZZ_CALLS:-1000000} IOCTL_FUZZ_SECONDS=$${IOCTL_FUZZ_SECONDS:-600} \
		python3 tests/run.py --no-unit --cpu max --only 'vm/ioctl-fuzz$$'

# The Debian guest under stress-ng --verify for SOAK_SECONDS while the test
# host is itself loaded (tests/vm/cases/soak.sh).
soak: deps
	$(MAKE) tests
	SOAK_SECONDS=$${SOAK_SECONDS:-1800} python3 tests/run.py --no-unit --cpu max --only 'vm/soak$$'

# The VM suite on a test host whose kernel has KASAN, KFENCE, lockdep and
# the list, object and atomic-sleep checks (tests/debug-kernel), built from
# Debian's linux-source-6.1 into build/debug-host: any report fails a case.
check-debug: deps
	tests/debug-kernel/build.sh $(BUILD)/debug-host
	CO_TESTHOST_KERNEL=debug $(MAKE) tests
	CO_TESTHOST_KERNEL=debug CO_TIME_SCALE=$${CO_TIME_SCALE:-3} python3 tests/run.py --no-unit --cpu max

# 100 guest panics, 100 kill -9 at random moments and 10 boots under host
# memory pressure, on every CPU model (make check runs a few of each).
faults: deps
	$(MAKE) tests
	FAULT_PANICS=$${FAULT_PANICS:-100} FAULT_KILLS=$${FAULT_KILLS:-100} FAULT_PRESSURE=$${FAULT_PRESSURE:-10} \
		python3 tests/run.py --no-unit --sweep full --only 'vm/fault-injection$$'

guest:
	scripts/guest-build.sh

initramfs:
	scripts/guest-initramfs.sh

rootfs:
	@scripts/rootfs.sh

guest-menuconfig:
	scripts/guest-build.sh --config-only
	$(MAKE) -C $(BUILD)/guest/src O=$(BUILD)/guest/obj menuconfig

bench: deps
	$(MAKE) tests
	$(MAKE) -C bench
	python3 bench/run.py $(if $(CPU),--cpu $(CPU))

# The default guest, inside the QEMU test host (never in your own kernel):
# Debian from make rootfs's image, which the test host sees as its virtio
# disk /dev/vda and hands to the guest as cobd0 (what the guest writes
# stays in the image).  GUEST=initramfs boots the busybox initramfs instead.
# MEM=MiB and ARGS="..." (extra colinux run words) are optional.
ROOTFS_IMAGE := $(BUILD)/rootfs/debian-12.img
run: all guest initramfs $(if $(filter initramfs,$(GUEST)),,rootfs)
	python3 -c 'import sys; sys.path.insert(0, "tests"); import testhost; \
		disk = "$(filter-out initramfs,$(or $(GUEST),debian))" and "$(ROOTFS_IMAGE)"; \
		sys.exit(testhost.Boot("run", cpu="$(or $(CPU),max)", memory="3G", \
		qemu_extra="-drive file=%s,format=raw,if=virtio,cache=writeback" % disk \
		if disk else "").interactive("tests/vm/run-guest.sh", \
		dict(CO_MEM="$(MEM)", CO_ARGS="$(ARGS)", CO_ROOT_IMAGE=disk, \
		CO_ROOT_DISK="/dev/vda" if disk else "")))'

sandbox: all
	python3 -c 'import sys; sys.path.insert(0, "tests"); import testhost; \
		sys.exit(testhost.Boot("sandbox", cpu="$(or $(CPU),max)").interactive("tests/vm/shell.sh"))'

# Installing on a real host (the Debian packages use these; see debian/).
# install: the CLI, its man pages, bash completion and the systemd unit.
# install-dkms: the module's source as DKMS wants it in /usr/src.
DESTDIR ?=
PREFIX ?= /usr
VERSION := $(shell cat VERSION)
DKMS_SRC := $(DESTDIR)/usr/src/colinux-$(VERSION)

install: cli
	install -D -m 755 $(BUILD)/daemon/colinux $(DESTDIR)$(PREFIX)/bin/colinux
	install -D -m 644 packaging/colinux.1 $(DESTDIR)$(PREFIX)/share/man/man1/colinux.1
	install -D -m 644 packaging/colinux.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/colinux.conf.5
	install -D -m 644 packaging/colinux.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/colinux
	install -D -m 644 packaging/colinux@.service $(DESTDIR)/lib/systemd/system/colinux@.service
	install -d $(DESTDIR)/etc/colinux

install-dkms:
	install -d $(DKMS_SRC)/core $(DKMS_SRC)/linux $(DKMS_SRC)/include/colinux
	install -m 644 host/Kbuild $(DKMS_SRC)/Kbuild
	install -m 644 host/core/*.[chS] $(DKMS_SRC)/core
	install -m 644 host/linux/*.[chS] $(DKMS_SRC)/linux
	install -m 644 include/colinux/*.h $(DKMS_SRC)/include/colinux
	sed 's/#MODULE_VERSION#/$(VERSION)/' packaging/dkms.conf > $(DKMS_SRC)/dkms.conf

# dpkg-buildpackage from a copy of the tree: build/deb/*.deb
deb:
	@scripts/deb-build.sh

clean:
	rm -rf $(BUILD)

.PHONY: soak check-debug faults all tools module cli tests deps check check-long fuzz guest initramfs rootfs rootfs-test guest-menuconfig bench run sandbox \
	install install-dkms deb clean
