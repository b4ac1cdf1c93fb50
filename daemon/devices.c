// SPDX-License-Identifier: GPL-2.0
/*
 * The device table of one VM: which devices it has, which interrupt each
 * one raises, how the guest learns of them, and the dispatch of the
 * guest's calls to them.  The guest's device index and operation are
 * hostile until checked here and in the device.
 */
#include <errno.h>
#include <string.h>

#include "devices.h"
#include "util.h"

/* Adds a device; NULL (with a message) when the table or vectors are full. */
struct guest_device *devices__add(struct device_table *table,
				  const struct guest_device_ops *ops,
				  void *backend)
{
	struct guest_device *dev;
	unsigned int i, vectors = 0;

	if (table->count == CO_MAX_DEVICES) {
		pr_err("%s: a guest has at most %d devices", ops->name,
		       CO_MAX_DEVICES);
		return NULL;
	}
	for (i = 0; i < table->count; i++)
		vectors += !!table->dev[i].vector;
	if (ops->has_irq &&
	    CO_DEVICE_VECTOR_FIRST + vectors > CO_DEVICE_VECTOR_LAST) {
		pr_err("%s: no interrupt vector left for it", ops->name);
		return NULL;
	}
	dev = &table->dev[table->count];
	memset(dev, 0, sizeof(*dev));
	dev->ops = ops;
	dev->backend = backend;
	dev->index = table->count++;
	dev->vector = ops->has_irq ? CO_DEVICE_VECTOR_FIRST + vectors : 0;
	return dev;
}

/* The table as the guest sees it, in its boot information. */
void devices__describe(const struct device_table *table,
		       struct co_boot_info *info)
{
	unsigned int i;

	memset(info->devices, 0, sizeof(info->devices));
	info->nr_devices = table->count;
	for (i = 0; i < table->count; i++) {
		info->devices[i].type = table->dev[i].ops->type;
		info->devices[i].vector = table->dev[i].vector;
	}
}

/* The VM the devices serve from now on, or none (NULL). */
void devices__attach(struct device_table *table, struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < table->count; i++)
		table->dev[i].vm = vm;
}

/* A CO_EXIT_DAEMON_CALL: the result for the guest. */
int64_t devices__call(struct device_table *table, struct vm *vm,
		      const struct co_run *run)
{
	uint64_t device = run->u.call.device;
	uint64_t arg[2] = { run->u.call.arg[0], run->u.call.arg[1] };
	struct guest_device *dev;

	if (device >= table->count)
		return -ENODEV;
	dev = &table->dev[device];
	return dev->ops->call(dev, vm, run->u.call.op, arg);
}

/* Raise the device's interrupt, from any thread. */
int devices__raise(struct guest_device *dev)
{
	struct vm *vm = dev->vm;

	if (!vm || !dev->vector)
		return 0;
	return vm__irq(vm, dev->vector);
}
