/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's side of the cooperative virtio transport (include/colinux/
 * abi.h, struct co_virtio): a virtio device is a guest device whose page
 * of guest RAM holds the registers virtio-mmio would have.  This core
 * negotiates status and features, takes the guest's queues, binds their
 * notifications to eventfds and raises the interrupt; the device (blk.c,
 * ...) serves the queues on its own thread between start and stop.
 */
#ifndef COLINUX_DAEMON_VIRTIO_H
#define COLINUX_DAEMON_VIRTIO_H

#include <stdint.h>

#include "devices.h"
#include "virtq.h"

struct virtio_dev;

struct virtio_dev_ops {
	uint32_t device_id;		/* VIRTIO_ID_* */
	uint64_t features;		/* the device's; the core adds its own */
	unsigned int nr_queues;		/* at most CO_VIRTIO_MAX_QUEUES */
	unsigned int queue_size;	/* the largest queue it takes */
	uint32_t config_size;		/* at most CO_VIRTIO_CONFIG_MAX */
	/* The config space after a reset. */
	void (*fill_config)(struct virtio_dev *vdev, uint8_t *config);
	/*
	 * DRIVER_OK: serve the queues from now on, off the vCPU thread.
	 * 0, or -1 with a message (the device then needs a reset).
	 */
	int (*start)(struct virtio_dev *vdev);
	/* Reset or the VM's end: stop serving, every request answered. */
	void (*stop)(struct virtio_dev *vdev);
};

struct virtio_dev {
	const struct virtio_dev_ops *ops;
	struct guest_device_ops gops;	/* how the device table sees it */
	struct guest_device *gdev;
	struct co_virtio *page;		/* the shared page, in guest RAM */
	uint64_t features;		/* negotiated at FEATURES_OK */
	uint32_t status;
	int serving;			/* between start and stop */
	struct virtq vq[CO_VIRTIO_MAX_QUEUES];
	int notify_fd[CO_VIRTIO_MAX_QUEUES];	/* eventfds CO_HC_NOTIFY signals */
};

struct guest_device *virtio__add(struct device_table *table,
				 struct virtio_dev *vdev,
				 const struct virtio_dev_ops *ops,
				 const char *name, uint32_t unit);
int virtio__signal(struct virtio_dev *vdev);

#endif /* COLINUX_DAEMON_VIRTIO_H */
