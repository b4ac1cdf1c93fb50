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

/* How a device gets its interrupt vector. */
enum device_irq {
	DEVICE_IRQ_NONE,
	DEVICE_IRQ_OWN,		/* a vector of its own (cocon: hvc cannot share) */
	DEVICE_IRQ_SHARED,	/* may share one: the device says why it raised */
};

struct guest_device_ops {
	const char *name;	/* what users see: cocon, cobd, conet */
	uint32_t type;		/* CO_DEV_* */
	enum device_irq irq;
	uint32_t config_size;	/* bytes of its page in guest RAM, or 0 */
	/*
	 * A call from the guest: op and arguments as the guest passed them,
	 * unchecked.  Returns the guest's result: >= 0, or a negative errno
	 * for a bad call (which must never hurt the daemon).
	 */
	int64_t (*call)(struct guest_device *dev, struct vm *vm, uint64_t op,
			const uint64_t arg[2]);
	/*
	 * Optional: the VM runs from now on (its page is mapped at
	 * dev->config), or it stopped.  attach returns 0 or -1 with a message.
	 */
	int (*attach)(struct guest_device *dev);
	void (*detach)(struct guest_device *dev);
};

struct guest_device {
	const struct guest_device_ops *ops;
	void *backend;		/* the device's own state */
	struct vm *vm;		/* while the VM runs */
	unsigned int index;	/* in co_boot_info.devices */
	unsigned int vector;	/* 0: none */
	uint32_t virtio_id;	/* CO_DEV_VIRTIO: its VIRTIO_ID_* */
	uint32_t unit;		/* the user's number: N of cobdN */
	uint64_t config_gpa;	/* its page, placed by devices__place() */
	void *config;		/* ... and where the daemon sees it */
};

struct device_table {
	unsigned int count;
	struct guest_device dev[CO_MAX_DEVICES];
};

struct guest_device *devices__add(struct device_table *table,
				  const struct guest_device_ops *ops,
				  void *backend);
uint64_t devices__config_bytes(const struct device_table *table);
int devices__place(struct device_table *table, struct vm *vm, uint64_t gpa);
void devices__describe(const struct device_table *table,
		       struct co_boot_info *info);
int devices__attach(struct device_table *table, struct vm *vm);
void devices__detach(struct device_table *table);
int64_t devices__call(struct device_table *table, struct vm *vm,
		      const struct co_run *run);
int devices__raise(struct guest_device *dev);

#endif /* COLINUX_DAEMON_DEVICES_H */
