// SPDX-License-Identifier: GPL-2.0
/*
 * Queue notifications without an exit, as KVM's ioeventfd: the daemon
 * binds an eventfd to each (device, queue) with CO_IOC_SET_NOTIFY, and the
 * guest's CO_HC_NOTIFY signals it while the vCPU runs on.  The daemon's
 * I/O thread waits on the eventfd.
 *
 * Bindings change under hv->lock, which RUN holds too: a hypercall never
 * sees one half-changed, and needs no lock of its own.
 */
#include <linux/eventfd.h>
#include <linux/uaccess.h>

#include "../core/os.h"
#include "colinux.h"

long co_notify_ioctl(struct co_host_vm *hv, void __user *argp)
{
	struct eventfd_ctx *ctx = NULL, *old;
	struct co_notify req;

	lockdep_assert_held(&hv->lock);
	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.device >= CO_MAX_DEVICES ||
	    req.queue >= CO_NOTIFY_QUEUES || req.fd < -1)
		return -EINVAL;
	if (req.fd >= 0) {
		ctx = eventfd_ctx_fdget(req.fd);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	old = hv->notify[req.device][req.queue];
	hv->notify[req.device][req.queue] = ctx;
	if (old)
		eventfd_ctx_put(old);
	return 0;
}

/* At teardown, when nothing can run any more. */
void co_notify_release(struct co_host_vm *hv)
{
	unsigned int d, q;

	for (d = 0; d < CO_MAX_DEVICES; d++)
		for (q = 0; q < CO_NOTIFY_QUEUES; q++)
			if (hv->notify[d][q])
				eventfd_ctx_put(hv->notify[d][q]);
}

int co_os_notify(void *os_vm, unsigned int device, unsigned int queue)
{
	struct co_host_vm *hv = os_vm;
	struct eventfd_ctx *ctx = hv->notify[device][queue];

	if (!ctx)
		return -ENOENT;
	eventfd_signal(ctx, 1);
	return 0;
}
