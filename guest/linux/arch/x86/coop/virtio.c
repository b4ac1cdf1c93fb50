// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative Linux: the cooperative virtio transport.
 *
 * Each CO_DEV_VIRTIO device of the daemon's table is one page of RAM both
 * sides see (struct co_virtio, include/colinux/abi.h): the registers of
 * virtio-mmio as memory.  Reading them is a load; whatever changes the
 * device (status, features, a queue, config) is a CO_HC_DAEMON_CALL the
 * daemon serves before the guest goes on; a queue notification is
 * CO_HC_NOTIFY, which the host hands to the daemon's I/O thread without
 * stopping this CPU.  Used buffers come back with the device's interrupt,
 * which devices may share: the page's interrupt word says whether it was
 * this one.  Linux's own drivers (virtio_blk, ...) run on it unchanged.
 *
 * Rings live in guest RAM the guest allocates (no DMA API: guest-physical
 * addresses are what the daemon translates).  The model is virtio_mmio.c.
 */
#include <linux/device.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/memblock.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <asm/irq_vectors.h>

#include "coop.h"

struct coop_vdev {
	struct virtio_device vdev;
	struct co_virtio *page;
	unsigned int index;		/* in the device table */
	int irq;
};

static struct device *coop_virtio_root;

static struct coop_vdev *to_coop(struct virtio_device *vdev)
{
	return container_of(vdev, struct coop_vdev, vdev);
}

static long coop_virtio_call(struct coop_vdev *cv, unsigned long op,
			     unsigned long a0, unsigned long a1)
{
	return coop_hypercall(CO_HC_DAEMON_CALL, cv->index, op, a0, a1);
}

static void coop_get(struct virtio_device *vdev, unsigned int offset,
		     void *buf, unsigned int len)
{
	struct coop_vdev *cv = to_coop(vdev);

	if (WARN_ON(offset > CO_VIRTIO_CONFIG_MAX ||
		    len > CO_VIRTIO_CONFIG_MAX - offset)) {
		memset(buf, 0, len);
		return;
	}
	memcpy(buf, cv->page->config + offset, len);
}

static void coop_set(struct virtio_device *vdev, unsigned int offset,
		     const void *buf, unsigned int len)
{
	struct coop_vdev *cv = to_coop(vdev);

	if (WARN_ON(offset > CO_VIRTIO_CONFIG_MAX ||
		    len > CO_VIRTIO_CONFIG_MAX - offset))
		return;
	memcpy(cv->page->config + offset, buf, len);
	coop_virtio_call(cv, CO_VIRTIO_CONFIG_WRITE, offset, len);
}

static u32 coop_generation(struct virtio_device *vdev)
{
	return READ_ONCE(to_coop(vdev)->page->generation);
}

static u8 coop_get_status(struct virtio_device *vdev)
{
	return READ_ONCE(to_coop(vdev)->page->status);
}

static void coop_set_status(struct virtio_device *vdev, u8 status)
{
	coop_virtio_call(to_coop(vdev), CO_VIRTIO_SET_STATUS, status, 0);
}

/* The daemon returns only once every request in flight has finished. */
static void coop_reset(struct virtio_device *vdev)
{
	coop_virtio_call(to_coop(vdev), CO_VIRTIO_SET_STATUS, 0, 0);
}

static u64 coop_get_features(struct virtio_device *vdev)
{
	return READ_ONCE(to_coop(vdev)->page->device_features);
}

static int coop_finalize_features(struct virtio_device *vdev)
{
	vring_transport_features(vdev);
	if (!__virtio_test_bit(vdev, VIRTIO_F_VERSION_1)) {
		dev_err(&vdev->dev, "the device does not speak virtio 1\n");
		return -EINVAL;
	}
	WRITE_ONCE(to_coop(vdev)->page->driver_features, vdev->features);
	return 0;
}

static bool coop_notify(struct virtqueue *vq)
{
	struct coop_vdev *cv = to_coop(vq->vdev);

	return coop_hypercall(CO_HC_NOTIFY, cv->index, vq->index, 0, 0) == 0;
}

static irqreturn_t coop_virtio_interrupt(int irq, void *opaque)
{
	struct coop_vdev *cv = opaque;
	irqreturn_t ret = IRQ_NONE;
	struct virtqueue *vq;
	u32 why = xchg(&cv->page->interrupt, 0);

	if (why & CO_VIRTIO_INT_CONFIG) {
		virtio_config_changed(&cv->vdev);
		ret = IRQ_HANDLED;
	}
	if (why & CO_VIRTIO_INT_VRING) {
		virtio_device_for_each_vq(&cv->vdev, vq)
			ret |= vring_interrupt(irq, vq);
	}
	return ret;
}

static void coop_del_vqs(struct virtio_device *vdev)
{
	struct coop_vdev *cv = to_coop(vdev);
	struct virtqueue *vq, *n;

	list_for_each_entry_safe(vq, n, &vdev->vqs, list)
		vring_del_virtqueue(vq);
	free_irq(cv->irq, cv);
}

static struct virtqueue *coop_setup_vq(struct coop_vdev *cv, unsigned int index,
				       vq_callback_t *callback,
				       const char *name, bool ctx)
{
	struct co_virtio_queue *q = &cv->page->queue[index];
	struct virtqueue *vq;
	long err;

	if (index >= CO_VIRTIO_MAX_QUEUES || !READ_ONCE(q->size_max))
		return ERR_PTR(-ENOENT);
	vq = vring_create_virtqueue(index, READ_ONCE(q->size_max), PAGE_SIZE,
				    &cv->vdev, true, true, ctx, coop_notify,
				    callback, name);
	if (!vq)
		return ERR_PTR(-ENOMEM);
	q->size = virtqueue_get_vring_size(vq);
	q->desc_gpa = virtqueue_get_desc_addr(vq);
	q->avail_gpa = virtqueue_get_avail_addr(vq);
	q->used_gpa = virtqueue_get_used_addr(vq);
	err = coop_virtio_call(cv, CO_VIRTIO_SET_QUEUE, index, 0);
	if (err) {
		vring_del_virtqueue(vq);
		return ERR_PTR(err);
	}
	return vq;
}

static int coop_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			 struct virtqueue *vqs[], vq_callback_t *callbacks[],
			 const char * const names[], const bool *ctx,
			 struct irq_affinity *desc)
{
	struct coop_vdev *cv = to_coop(vdev);
	unsigned int i, queue = 0;
	int err;

	err = request_irq(cv->irq, coop_virtio_interrupt, IRQF_SHARED,
			  dev_name(&vdev->dev), cv);
	if (err)
		return err;
	for (i = 0; i < nvqs; i++) {
		if (!names[i]) {
			vqs[i] = NULL;
			continue;
		}
		vqs[i] = coop_setup_vq(cv, queue++, callbacks[i], names[i],
				       ctx ? ctx[i] : false);
		if (IS_ERR(vqs[i])) {
			err = PTR_ERR(vqs[i]);
			coop_del_vqs(vdev);
			return err;
		}
	}
	return 0;
}

static const char *coop_bus_name(struct virtio_device *vdev)
{
	return "colinux";
}

static const struct virtio_config_ops coop_virtio_ops = {
	.get = coop_get,
	.set = coop_set,
	.generation = coop_generation,
	.get_status = coop_get_status,
	.set_status = coop_set_status,
	.reset = coop_reset,
	.find_vqs = coop_find_vqs,
	.del_vqs = coop_del_vqs,
	.get_features = coop_get_features,
	.finalize_features = coop_finalize_features,
	.bus_name = coop_bus_name,
};

static void coop_vdev_release(struct device *dev)
{
	kfree(to_coop(dev_to_virtio(dev)));
}

/* The daemon's page must be RAM the guest set aside (coop_reserve_devices). */
static bool coop_page_ok(const struct co_device_desc *d)
{
	unsigned int i;

	if (d->config_size != CO_VIRTIO_PAGE_SIZE || !PAGE_ALIGNED(d->config_gpa))
		return false;
	for (i = 0; i < coop_info.nr_ram_chunks && i < CO_MAX_RAM_CHUNKS; i++)
		if (d->config_gpa >= coop_info.ram[i].gpa &&
		    d->config_gpa + PAGE_SIZE <= coop_info.ram[i].gpa + coop_info.ram[i].size)
			return true;
	return false;
}

static int __init coop_add_vdev(unsigned int index)
{
	const struct co_device_desc *d = &coop_info.devices[index];
	struct coop_vdev *cv;
	int err;

	if (!coop_page_ok(d) || d->vector < CO_DEVICE_VECTOR_FIRST ||
	    d->vector > CO_DEVICE_VECTOR_LAST ||
	    d->vector == CO_DEVICE_VECTOR_CASCADE) {
		pr_err("colinux: virtio device %u: a bad page or vector\n", index);
		return -EINVAL;
	}
	cv = kzalloc(sizeof(*cv), GFP_KERNEL);
	if (!cv)
		return -ENOMEM;
	cv->page = __va(d->config_gpa);
	cv->index = index;
	cv->irq = d->vector - ISA_IRQ_VECTOR(0);
	cv->vdev.dev.parent = coop_virtio_root;
	cv->vdev.dev.release = coop_vdev_release;
	cv->vdev.id.device = d->virtio_id;
	cv->vdev.id.vendor = VIRTIO_DEV_ANY_ID;
	cv->vdev.config = &coop_virtio_ops;
	err = register_virtio_device(&cv->vdev);
	if (err)
		put_device(&cv->vdev.dev);
	return err;
}

/* The devices, in the table's order: cobd0 becomes vda, and so on. */
static int __init coop_virtio_init(void)
{
	unsigned int i;

	for (i = 0; i < coop_info.nr_devices && i < CO_MAX_DEVICES; i++) {
		if (coop_info.devices[i].type != CO_DEV_VIRTIO)
			continue;
		if (!coop_virtio_root) {
			coop_virtio_root = root_device_register("colinux");
			if (IS_ERR(coop_virtio_root)) {
				coop_virtio_root = NULL;
				return -ENOMEM;
			}
		}
		coop_add_vdev(i);
	}
	return 0;
}
device_initcall(coop_virtio_init);

/*
 * Called from coop_memory_setup(): the devices' pages are RAM the guest
 * must never allocate.
 */
void __init coop_reserve_devices(void)
{
	unsigned int i;

	for (i = 0; i < coop_info.nr_devices && i < CO_MAX_DEVICES; i++) {
		const struct co_device_desc *d = &coop_info.devices[i];

		if (d->config_gpa && d->config_size)
			memblock_reserve(d->config_gpa, PAGE_ALIGN(d->config_size));
	}
}
