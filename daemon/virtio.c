// SPDX-License-Identifier: GPL-2.0
/*
 * The cooperative virtio transport, daemon side (virtio.h).  Everything in
 * the shared page that the guest writes is read once, when the guest's
 * call says it is ready, and checked before use; the guest can change it
 * again at any time, and only the copy counts.
 *
 * Threads: the calls come on the vCPU thread; the device's own thread
 * exists only between DRIVER_OK and the next reset (ops->start, ops->stop),
 * while the queues cannot change.  So the queues need no lock.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "util.h"
#include "virtio.h"

/*
 * What the transport itself offers: virtio 1.x, indirect descriptors, and
 * event indices (notifications and interrupts only when the other side
 * has caught up).
 */
#define TRANSPORT_FEATURES \
	((1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_RING_F_INDIRECT_DESC) | \
	 (1ULL << VIRTIO_RING_F_EVENT_IDX))

static struct virtio_dev *to_vdev(struct guest_device *dev)
{
	return dev->backend;
}

static uint64_t offered(const struct virtio_dev *vdev)
{
	return vdev->ops->features | TRANSPORT_FEATURES;
}

static void stop_serving(struct virtio_dev *vdev)
{
	if (vdev->serving)
		vdev->ops->stop(vdev);
	vdev->serving = 0;
}

/* The page as a device fresh from reset shows it. */
static void reset(struct virtio_dev *vdev)
{
	struct co_virtio *page = vdev->page;
	uint32_t generation = page->generation;
	unsigned int i;

	stop_serving(vdev);
	memset(vdev->vq, 0, sizeof(vdev->vq));
	vdev->features = 0;
	vdev->status = 0;
	memset(page, 0, sizeof(*page));
	page->device_features = offered(vdev);
	page->nr_queues = vdev->ops->nr_queues;
	page->config_size = vdev->ops->config_size;
	for (i = 0; i < vdev->ops->nr_queues; i++)
		page->queue[i].size_max = vdev->ops->queue_size;
	vdev->ops->fill_config(vdev, page->config);
	__atomic_store_n(&page->generation, generation + 1, __ATOMIC_RELEASE);
}

static int64_t set_status(struct virtio_dev *vdev, uint64_t arg)
{
	uint32_t status = (uint32_t)arg, added = status & ~vdev->status;

	if (arg > 0xff)
		return -EINVAL;
	if (!status) {
		reset(vdev);
		return 0;
	}
	/* Bits go away only with a reset. */
	if (vdev->status & ~status)
		return -EINVAL;
	if (added & VIRTIO_CONFIG_S_FEATURES_OK) {
		uint64_t f = __atomic_load_n(&vdev->page->driver_features,
					     __ATOMIC_RELAXED);

		if ((f & ~offered(vdev)) || !(f & (1ULL << VIRTIO_F_VERSION_1)))
			status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
		else
			vdev->features = f;
	}
	if (added & VIRTIO_CONFIG_S_DRIVER_OK) {
		if (!(status & VIRTIO_CONFIG_S_FEATURES_OK)) {
			status &= ~VIRTIO_CONFIG_S_DRIVER_OK;
		} else if (vdev->ops->start(vdev)) {
			status |= VIRTIO_CONFIG_S_NEEDS_RESET;
		} else {
			vdev->serving = 1;
		}
	}
	if (added & VIRTIO_CONFIG_S_FAILED)
		stop_serving(vdev);
	vdev->status = status;
	vdev->page->status = status;
	return status;
}

/* The guest's queue index, its size and its rings: read once, checked. */
static int64_t set_queue(struct virtio_dev *vdev, struct vm *vm, uint64_t index)
{
	struct co_virtio_queue *q, copy;

	if (index >= vdev->ops->nr_queues)
		return -EINVAL;
	if (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)
		return -EBUSY;
	q = &vdev->page->queue[index];
	copy.size = __atomic_load_n(&q->size, __ATOMIC_RELAXED);
	copy.desc_gpa = __atomic_load_n(&q->desc_gpa, __ATOMIC_RELAXED);
	copy.avail_gpa = __atomic_load_n(&q->avail_gpa, __ATOMIC_RELAXED);
	copy.used_gpa = __atomic_load_n(&q->used_gpa, __ATOMIC_RELAXED);
	q->ready = 0;
	if (copy.size > vdev->ops->queue_size ||
	    virtq__setup(&vdev->vq[index], vm, copy.size, copy.desc_gpa,
			 copy.avail_gpa, copy.used_gpa))
		return -EINVAL;
	vdev->vq[index].owner = vdev->gops.name;
	vdev->vq[index].event_idx =
		!!(vdev->features & (1ULL << VIRTIO_RING_F_EVENT_IDX));
	vdev->vq[index].index = (unsigned int)index;
	q->ready = 1;
	return 0;
}

static int64_t virtio_call(struct guest_device *dev, struct vm *vm,
			   uint64_t op, const uint64_t arg[2])
{
	struct virtio_dev *vdev = to_vdev(dev);

	switch (op) {
	case CO_VIRTIO_SET_STATUS:
		return set_status(vdev, arg[0]);
	case CO_VIRTIO_SET_QUEUE:
		return set_queue(vdev, vm, arg[0]);
	case CO_VIRTIO_CONFIG_WRITE:
		/* Nothing in the devices' config spaces is writable yet. */
		if (arg[0] > CO_VIRTIO_CONFIG_MAX ||
		    arg[1] > CO_VIRTIO_CONFIG_MAX - arg[0])
			return -EINVAL;
		return 0;
	default:
		return -ENOSYS;
	}
}

static void close_notify(struct virtio_dev *vdev)
{
	unsigned int i;

	for (i = 0; i < CO_VIRTIO_MAX_QUEUES; i++) {
		if (vdev->notify_fd[i] < 0)
			continue;
		vm__set_notify(vdev->gdev->vm, vdev->gdev->index, i, -1);
		close(vdev->notify_fd[i]);
		vdev->notify_fd[i] = -1;
	}
}

/* The VM exists: bind each queue's notification, show a reset device. */
static int virtio_attach(struct guest_device *dev)
{
	struct virtio_dev *vdev = to_vdev(dev);
	unsigned int i;

	vdev->page = dev->config;
	for (i = 0; i < vdev->ops->nr_queues; i++) {
		vdev->notify_fd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (vdev->notify_fd[i] < 0 ||
		    vm__set_notify(dev->vm, dev->index, i, vdev->notify_fd[i])) {
			pr_err("%s: cannot bind its queue notifications: %s",
			       vdev->gops.name, strerror(errno));
			close_notify(vdev);
			return -1;
		}
	}
	reset(vdev);
	return 0;
}

static void virtio_detach(struct guest_device *dev)
{
	struct virtio_dev *vdev = to_vdev(dev);

	stop_serving(vdev);
	close_notify(vdev);
	vdev->page = NULL;
}

struct guest_device *virtio__add(struct device_table *table,
				 struct virtio_dev *vdev,
				 const struct virtio_dev_ops *ops,
				 const char *name, uint32_t unit)
{
	unsigned int i;

	vdev->ops = ops;
	vdev->gops = (struct guest_device_ops){
		.name = name,
		.type = CO_DEV_VIRTIO,
		.irq = DEVICE_IRQ_SHARED,
		.config_size = CO_VIRTIO_PAGE_SIZE,
		.call = virtio_call,
		.attach = virtio_attach,
		.detach = virtio_detach,
	};
	for (i = 0; i < CO_VIRTIO_MAX_QUEUES; i++)
		vdev->notify_fd[i] = -1;
	vdev->serving = 0;
	vdev->gdev = devices__add(table, &vdev->gops, vdev);
	if (vdev->gdev) {
		vdev->gdev->virtio_id = ops->device_id;
		vdev->gdev->unit = unit;
	}
	return vdev->gdev;
}

/* Used buffers are waiting: raise the interrupt (from any thread). */
int virtio__signal(struct virtio_dev *vdev)
{
	__atomic_fetch_or(&vdev->page->interrupt, CO_VIRTIO_INT_VRING,
			  __ATOMIC_SEQ_CST);
	return devices__raise(vdev->gdev);
}
