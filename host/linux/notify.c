// SPDX-License-Identifier: GPL-2.0
/*
 * Queue notifications without an exit, as KVM's ioeventfd: the daemon
 * binds an eventfd to each (device, queue) with CO_IOC_SET_NOTIFY, and the
 * guest's CO_HC_NOTIFY signals it while the vCPU runs on.  The daemon's
 * I/O thread waits on the eventfd.
 *
 * Bindings change under hv->lock while the vCPUs run: a hypercall reads
 * one under RCU, and an old binding is put only after every reader that
 * could have seen it is done.
 */
#include <linux/eventfd.h>
#include <linux/rcupdate.h>
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
	old = rcu_replace_pointer(hv->notify[req.device][req.queue], ctx,
				  lockdep_is_held(&hv->lock));
	if (old) {
		synchronize_rcu();
		eventfd_ctx_put(old);
	}
	return 0;
}

/* At teardown, when nothing can run any more. */
void co_notify_release(struct co_host_vm *hv)
{
	unsigned int d, q;

	for (d = 0; d < CO_MAX_DEVICES; d++) {
		for (q = 0; q < CO_NOTIFY_QUEUES; q++) {
			struct eventfd_ctx *ctx =
				rcu_dereference_protected(hv->notify[d][q], 1);

			if (ctx)
				eventfd_ctx_put(ctx);
		}
	}
}

int co_os_notify(void *os_vm, unsigned int device, unsigned int queue)
{
	struct co_host_vm *hv = os_vm;
	struct eventfd_ctx *ctx;
	int ret = -ENOENT;

	rcu_read_lock();
	ctx = rcu_dereference(hv->notify[device][queue]);
	if (ctx) {
		eventfd_signal(ctx, 1);
		ret = 0;
	}
	rcu_read_unlock();
	return ret;
}
