// SPDX-License-Identifier: GPL-2.0
/*
 * The device table of one VM: which devices it has, which interrupt each
 * one raises, where its page of guest RAM is, how the guest learns of
 * them, and the dispatch of the guest's calls to them.  The guest's device
 * index and operation are hostile until checked here and in the device.
 */
#include <errno.h>
#include <string.h>

#include "devices.h"
#include "util.h"

#define NR_VECTORS (CO_DEVICE_VECTOR_LAST - CO_DEVICE_VECTOR_FIRST + 1)

static int cascade(unsigned int i)
{
	return CO_DEVICE_VECTOR_FIRST + i == CO_DEVICE_VECTOR_CASCADE;
}

/*
 * A vector for a new device: the first free one; a device that can share
 * takes, once none is free, the shared vector with the fewest devices.
 * 0 when there is none.
 */
static unsigned int pick_vector(const struct device_table *table,
				enum device_irq irq)
{
	unsigned int users[NR_VECTORS] = { 0 };
	int owned[NR_VECTORS] = { 0 };
	unsigned int i, best = 0, best_users = ~0U;

	for (i = 0; i < table->count; i++) {
		const struct guest_device *d = &table->dev[i];

		if (!d->vector)
			continue;
		users[d->vector - CO_DEVICE_VECTOR_FIRST]++;
		if (d->ops->irq == DEVICE_IRQ_OWN)
			owned[d->vector - CO_DEVICE_VECTOR_FIRST] = 1;
	}
	for (i = 0; i < NR_VECTORS; i++)
		if (!users[i] && !cascade(i))
			return CO_DEVICE_VECTOR_FIRST + i;
	if (irq != DEVICE_IRQ_SHARED)
		return 0;
	for (i = 0; i < NR_VECTORS; i++) {
		if (!owned[i] && !cascade(i) && users[i] < best_users) {
			best = CO_DEVICE_VECTOR_FIRST + i;
			best_users = users[i];
		}
	}
	return best;
}

/* Adds a device; NULL (with a message) when the table or vectors are full. */
struct guest_device *devices__add(struct device_table *table,
				  const struct guest_device_ops *ops,
				  void *backend)
{
	struct guest_device *dev;
	unsigned int vector = 0;

	if (table->count == CO_MAX_DEVICES) {
		pr_err("%s: a guest has at most %d devices", ops->name,
		       CO_MAX_DEVICES);
		return NULL;
	}
	if (ops->irq != DEVICE_IRQ_NONE) {
		vector = pick_vector(table, ops->irq);
		if (!vector) {
			pr_err("%s: no interrupt vector left for it", ops->name);
			return NULL;
		}
	}
	dev = &table->dev[table->count];
	memset(dev, 0, sizeof(*dev));
	dev->ops = ops;
	dev->backend = backend;
	dev->index = table->count++;
	dev->vector = vector;
	return dev;
}

/* Bytes of guest RAM the devices' pages take, page-rounded each. */
uint64_t devices__config_bytes(const struct device_table *table)
{
	uint64_t bytes = 0;
	unsigned int i;

	for (i = 0; i < table->count; i++)
		bytes += (table->dev[i].ops->config_size + 4095ULL) & ~4095ULL;
	return bytes;
}

/*
 * Each device's page, one after the other from gpa (page-aligned, with
 * devices__config_bytes() of RAM), cleared.
 */
int devices__place(struct device_table *table, struct vm *vm, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < table->count; i++) {
		struct guest_device *dev = &table->dev[i];
		uint64_t size = (dev->ops->config_size + 4095ULL) & ~4095ULL;

		if (!size)
			continue;
		dev->config = vm__gpa_to_host(vm, gpa, size);
		if (!dev->config || gpa % 4096) {
			pr_err("%s: no room for its page in guest RAM", dev->ops->name);
			return -1;
		}
		memset(dev->config, 0, size);
		dev->config_gpa = gpa;
		gpa += size;
	}
	return 0;
}

/* The table as the guest sees it, in its boot information. */
void devices__describe(const struct device_table *table,
		       struct co_boot_info *info)
{
	unsigned int i;

	memset(info->devices, 0, sizeof(info->devices));
	info->nr_devices = table->count;
	for (i = 0; i < table->count; i++) {
		const struct guest_device *dev = &table->dev[i];
		struct co_device_desc *desc = &info->devices[i];

		desc->type = dev->ops->type;
		desc->vector = dev->vector;
		desc->virtio_id = dev->virtio_id;
		desc->unit = dev->unit;
		desc->config_gpa = dev->config_gpa;
		desc->config_size = dev->config_gpa ? dev->ops->config_size : 0;
	}
}

/* The VM the devices serve from now on: 0, or -1 when one cannot. */
int devices__attach(struct device_table *table, struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < table->count; i++) {
		struct guest_device *dev = &table->dev[i];

		dev->vm = vm;
		if (dev->ops->attach && dev->ops->attach(dev)) {
			dev->vm = NULL;
			devices__detach(table);
			return -1;
		}
	}
	return 0;
}

/* The VM stopped: the devices let go of it, in reverse order. */
void devices__detach(struct device_table *table)
{
	unsigned int i = table->count;

	while (i--) {
		struct guest_device *dev = &table->dev[i];

		if (dev->vm && dev->ops->detach)
			dev->ops->detach(dev);
		dev->vm = NULL;
	}
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
