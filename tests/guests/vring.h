/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio device driven by hand on the cooperative transport, for test
 * guests that post what Linux's drivers never would (blkbad.c, netbad.c):
 * small split rings in the image, device status and queue setup by daemon
 * calls, completions found by polling the used ring.
 */
#ifndef COLINUX_TEST_VRING_H
#define COLINUX_TEST_VRING_H

#include "guest.h"

#define VR_S_ACK		1
#define VR_S_DRIVER		2
#define VR_S_DRIVER_OK		4
#define VR_S_FEATURES_OK	8
#define VR_F_VERSION_1		(1ULL << 32)

#define VR_D_NEXT		1
#define VR_D_WRITE		2
#define VR_D_INDIRECT		4

#define VR_SIZE			8	/* descriptors per queue */
#define VR_QUEUES		2

struct vr_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

struct vr_ring {
	struct vr_desc desc[VR_SIZE];
	struct {
		uint16_t flags, idx, ring[VR_SIZE], event;
	} avail __attribute__((aligned(2)));
	struct {
		uint16_t flags, idx;
		struct {
			uint32_t id, len;
		} ring[VR_SIZE];
		uint16_t event;
	} used __attribute__((aligned(4)));
	uint16_t used_seen;	/* the guest's own: used entries taken */
} __attribute__((aligned(4096)));

struct vr_dev {
	const char *who;	/* the test's name, for its messages */
	long index;		/* in the device table */
	volatile struct co_virtio *regs;
	unsigned int nr_queues;
	struct vr_ring *ring;	/* nr_queues of them */
};

int vr_find(struct vr_dev *d, uint32_t virtio_id);
long vr_call(const struct vr_dev *d, uint64_t op, uint64_t a0);
int vr_start(struct vr_dev *d, uint64_t features);
void vr_set_desc(struct vr_ring *r, unsigned int i, const void *buf,
		 uint32_t len, uint16_t flags, uint16_t next);
long vr_post(struct vr_dev *d, unsigned int queue, uint16_t head, uint64_t ms);
long vr_offer(struct vr_dev *d, unsigned int queue, uint16_t head);
long vr_wait_used(struct vr_dev *d, unsigned int queue, uint64_t ms, uint16_t *id);

#endif /* COLINUX_TEST_VRING_H */
