// SPDX-License-Identifier: GPL-2.0
/* The guest side of the virtio transport, for the device fuzzers (shims.h). */
#include <linux/virtio_config.h>

#include "shims.h"

int64_t fuzz_call(struct device_table *table, uint64_t device, uint64_t op,
		  uint64_t arg0, uint64_t arg1)
{
	struct co_run run = { .exit_reason = CO_EXIT_DAEMON_CALL };

	run.u.call.device = device;
	run.u.call.op = op;
	run.u.call.arg[0] = arg0;
	run.u.call.arg[1] = arg1;
	return devices__call(table, &fuzz_vm, &run);
}

void fuzz_virtio_init(struct device_table *table, unsigned int dev,
		      struct fuzz_in *in)
{
	const uint32_t ready = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	struct virtio_dev *vdev = table->dev[dev].backend;
	struct co_virtio *page = table->dev[dev].config;
	uint64_t features = fuzz_u64(in);
	int64_t status;
	unsigned int q;

	FUZZ_CHECK(fuzz_call(table, dev, CO_VIRTIO_SET_STATUS, 0, 0) == 0);
	FUZZ_CHECK(page->status == 0 && page->nr_queues == vdev->ops->nr_queues);
	fuzz_call(table, dev, CO_VIRTIO_SET_STATUS, ready, 0);
	page->driver_features = features;
	status = fuzz_call(table, dev, CO_VIRTIO_SET_STATUS,
			   ready | VIRTIO_CONFIG_S_FEATURES_OK, 0);
	/* FEATURES_OK only for a subset of what was offered, with VERSION_1. */
	FUZZ_CHECK(status >= 0);
	if (status & VIRTIO_CONFIG_S_FEATURES_OK)
		FUZZ_CHECK(!(features & ~page->device_features) &&
			   (features & (1ULL << VIRTIO_F_VERSION_1)));
	for (q = 0; q < vdev->ops->nr_queues; q++) {
		page->queue[q].size = fuzz_u16(in);
		page->queue[q].desc_gpa = fuzz_u32(in);
		page->queue[q].avail_gpa = fuzz_u32(in);
		page->queue[q].used_gpa = fuzz_u32(in);
		if (!fuzz_call(table, dev, CO_VIRTIO_SET_QUEUE, q, 0)) {
			FUZZ_CHECK(page->queue[q].ready == 1);
			fuzz_check_ram(vdev->vq[q].desc, 16ULL * vdev->vq[q].size);
		}
	}
	status = fuzz_call(table, dev, CO_VIRTIO_SET_STATUS,
			   (uint64_t)status | VIRTIO_CONFIG_S_DRIVER_OK, 0);
	/* Serving only after FEATURES_OK. */
	FUZZ_CHECK(!vdev->serving || (vdev->features & (1ULL << VIRTIO_F_VERSION_1)));
}
