// SPDX-License-Identifier: GPL-2.0
/*
 * cocon: the guest's console.  Output is printed on the terminal backend;
 * input queued there, and a new window size, are announced with the
 * device's interrupt and handed over when the guest asks.  Buffers are checked to lie inside guest RAM
 * and to be at most CO_CONSOLE_MAX bytes.
 */
#include <errno.h>
#include <string.h>

#include "cocon.h"
#include "util.h"

static void input_waiting(void *listener)
{
	struct guest_device *dev = listener;

	if (devices__raise(dev))
		pr_err("cocon: cannot signal the guest: %s", strerror(errno));
}

static int64_t cocon_call(struct guest_device *dev, struct vm *vm,
			  uint64_t op, const uint64_t arg[2])
{
	struct term *term = dev->backend;
	uint64_t gpa = arg[0], len = arg[1];
	uint8_t *buf;

	if (op == CO_CONSOLE_WINSIZE)
		return term__take_winsize(term);
	if (op != CO_CONSOLE_WRITE && op != CO_CONSOLE_READ)
		return -ENOSYS;
	if (len > CO_CONSOLE_MAX)
		return -EINVAL;
	if (!len)
		return op == CO_CONSOLE_WRITE ? 0 : -EINVAL;
	buf = vm__gpa_to_host(vm, gpa, len);
	if (!buf)
		return -EINVAL;
	if (op == CO_CONSOLE_WRITE) {
		term__write(term, buf, len);
		return 0;
	}
	return (int64_t)term__take(term, buf, len);
}

/* The VM is running: its console input goes to this device. */
static int cocon_attach(struct guest_device *dev)
{
	term__attach(dev->backend, input_waiting, dev);
	return 0;
}

static void cocon_detach(struct guest_device *dev)
{
	term__attach(dev->backend, NULL, NULL);
}

static const struct guest_device_ops cocon_ops = {
	.name = "cocon",
	.type = CO_DEV_CONSOLE,
	.irq = DEVICE_IRQ_OWN,
	.call = cocon_call,
	.attach = cocon_attach,
	.detach = cocon_detach,
};

struct guest_device *cocon__add(struct device_table *table, struct term *term)
{
	return devices__add(table, &cocon_ops, term);
}
