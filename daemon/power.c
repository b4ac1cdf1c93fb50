// SPDX-License-Identifier: GPL-2.0
/*
 * The power button (CO_DEV_POWER): the daemon presses it when it is asked
 * to shut the VM down cleanly (SIGPWR, which 'colinux stop' sends); the
 * guest hears its interrupt, fetches the press with CO_POWER_REQUEST and
 * shuts down in order.  A press made before the guest's driver is ready
 * waits for its first request.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>

#include "power.h"
#include "util.h"

/* One button per daemon: the press waiting for the guest, CO_POWER_PRESS_*. */
static atomic_uint waiting_press;

static int64_t power_call(struct guest_device *dev, struct vm *vm, uint64_t op,
			  const uint64_t arg[2])
{
	(void)dev;
	(void)vm;
	(void)arg;
	if (op != CO_POWER_REQUEST)
		return -ENOSYS;
	return atomic_exchange(&waiting_press, CO_POWER_PRESS_NONE);
}

static const struct guest_device_ops power_ops = {
	.name = "power",
	.type = CO_DEV_POWER,
	.irq = DEVICE_IRQ_SHARED,
	.call = power_call,
};

struct guest_device *power__add(struct device_table *table)
{
	return devices__add(table, &power_ops, NULL);
}

/* From any thread of the daemon. */
void power__press(struct guest_device *dev, unsigned int press)
{
	atomic_store(&waiting_press, press);
	if (devices__raise(dev))
		pr_err("power button: cannot signal the guest: %s",
		       strerror(errno));
}
