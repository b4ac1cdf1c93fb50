/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The devices the daemon serves to a guest, as kvmtool lays them out: one
 * file per device with an ops table (cocon.c, ...), this table of the
 * devices of one VM, and backends apart (term.c, ...).  The guest finds
 * them in co_boot_info.devices and calls them with CO_HC_DAEMON_CALL; the
 * module knows none of them.
 */
#ifndef COLINUX_DAEMON_DEVICES_H
#define COLINUX_DAEMON_DEVICES_H

#include <stdint.h>

#include <colinux/abi.h>

#include "vm.h"

struct guest_device;

struct guest_device_ops {
	const char *name;	/* what users see: cocon, cobd, conet */
	uint32_t type;		/* CO_DEV_* */
	int has_irq;		/* gets a vector from the table */
	/*
	 * A call from the guest: op and arguments as the guest passed them,
	 * unchecked.  Returns the guest's result: >= 0, or a negative errno
	 * for a bad call (which must never hurt the daemon).
	 */
	int64_t (*call)(struct guest_device *dev, struct vm *vm, uint64_t op,
			const uint64_t arg[2]);
};

struct guest_device {
	const struct guest_device_ops *ops;
	void *backend;		/* the device's own state */
	struct vm *vm;		/* while the VM runs */
	unsigned int index;	/* in co_boot_info.devices */
	unsigned int vector;	/* 0: none */
};

struct device_table {
	unsigned int count;
	struct guest_device dev[CO_MAX_DEVICES];
};

struct guest_device *devices__add(struct device_table *table,
				  const struct guest_device_ops *ops,
				  void *backend);
void devices__describe(const struct device_table *table,
		       struct co_boot_info *info);
void devices__attach(struct device_table *table, struct vm *vm);
int64_t devices__call(struct device_table *table, struct vm *vm,
		      const struct co_run *run);
int devices__raise(struct guest_device *dev);

#endif /* COLINUX_DAEMON_DEVICES_H */
