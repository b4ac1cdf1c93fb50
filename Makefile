# SPDX-License-Identifier: GPL-2.0
#
# make            build colinux.ko (for the test host's kernel, and for the
#                 running kernel when its headers are installed) and the CLI
# make check      install what is missing, build, run every test
# make bench      benchmarks, measured in the QEMU test host
# make sandbox    an interactive shell in the QEMU test host, module loaded
# make rootfs     a Debian 12 root filesystem image (mmdebstrap; needs root)
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
	@krel=$$(python3 tests/testhost.py --release) || exit 1; \
	$(MAKE) -C host KDIR=/usr/src/linux-headers-$$krel OUT=$(BUILD)/module/$$krel
	@if [ -f $(RUNNING_KDIR)/Makefile ]; then \
		$(MAKE) -C host KDIR=$(RUNNING_KDIR) OUT=$(BUILD)/module/$$(uname -r); \
	else \
		echo "note: no headers for the running kernel $$(uname -r); built for the test host only"; \
	fi

cli: tools
	$(MAKE) -C daemon

tests: all guest initramfs
	$(MAKE) -C tests

deps:
	@scripts/install-deps.sh

check: deps
	$(MAKE) tests
	python3 tests/run.py

guest:
	scripts/guest-build.sh

initramfs:
	scripts/guest-initramfs.sh

rootfs:
	@scripts/rootfs.sh

guest-menuconfig:
	scripts/guest-build.sh --config-only
	$(MAKE) -C $(BUILD)/guest/src O=$(BUILD)/guest/obj menuconfig

bench: tests
	$(MAKE) -C bench
	python3 bench/run.py $(if $(CPU),--cpu $(CPU))

# The default guest, inside the QEMU test host (never in your own kernel).
# MEM=MiB and ARGS="..." (extra colinux run words) are optional.
run: all guest initramfs
	python3 -c 'import sys; sys.path.insert(0, "tests"); import testhost; \
		sys.exit(testhost.Boot("run", cpu="$(or $(CPU),max)", memory="3G").interactive( \
		"tests/vm/run-guest.sh", {"CO_MEM": "$(or $(MEM),256)", "CO_ARGS": "$(ARGS)"}))'

sandbox: all
	python3 -c 'import sys; sys.path.insert(0, "tests"); import testhost; \
		sys.exit(testhost.Boot("sandbox", cpu="$(or $(CPU),max)").interactive("tests/vm/shell.sh"))'

clean:
	rm -rf $(BUILD)

.PHONY: all tools module cli tests deps check guest initramfs rootfs guest-menuconfig bench run sandbox clean
