// SPDX-License-Identifier: GPL-2.0
/*
 * Hand-driven virtio devices for the test guest (see vring.h).  The guest
 * runs with the device's interrupt ignored: it polls the used rings.
 */
#include "vring.h"

#define AVAIL_NO_INTERRUPT 1

static void ignore_interrupt(struct trap_frame *frame)
{
	(void)frame;
}

/* The first virtio device of that id: 0, or -1 when there is none. */
int vr_find(struct vr_dev *d, uint32_t virtio_id)
{
	unsigned int i;

	d->index = -1;
	for (i = 0; i < boot_info->nr_devices && i < CO_MAX_DEVICES; i++) {
		if (boot_info->devices[i].type == CO_DEV_VIRTIO &&
		    boot_info->devices[i].virtio_id == virtio_id) {
			d->index = i;
			break;
		}
	}
	if (d->index < 0)
		return -1;
	d->regs = (void *)boot_info->devices[d->index].config_gpa;
	trap_set_handler(boot_info->devices[d->index].vector, ignore_interrupt);
	irq_enable();
	return 0;
}

long vr_call(const struct vr_dev *d, uint64_t op, uint64_t a0)
{
	return hypercall(CO_HC_DAEMON_CALL, (uint64_t)d->index, op, a0, 0);
}

/* Reset, negotiate features (VERSION_1 among them), set up every queue, DRIVER_OK. */
int vr_start(struct vr_dev *d, uint64_t features)
{
	unsigned int i;
	long st;

	vr_call(d, CO_VIRTIO_SET_STATUS, 0);
	vr_call(d, CO_VIRTIO_SET_STATUS, VR_S_ACK | VR_S_DRIVER);
	d->regs->driver_features = features;
	st = vr_call(d, CO_VIRTIO_SET_STATUS, VR_S_ACK | VR_S_DRIVER | VR_S_FEATURES_OK);
	if (!(st & VR_S_FEATURES_OK)) {
		printf("%s: the device refused features 0x%llx\n", d->who, features);
		return -1;
	}
	for (i = 0; i < d->nr_queues; i++) {
		struct vr_ring *r = &d->ring[i];

		memset(r, 0, sizeof(*r));
		r->avail.flags = AVAIL_NO_INTERRUPT;
		d->regs->queue[i].size = VR_SIZE;
		d->regs->queue[i].desc_gpa = gpa_of(r->desc);
		d->regs->queue[i].avail_gpa = gpa_of(&r->avail);
		d->regs->queue[i].used_gpa = gpa_of(&r->used);
		if (vr_call(d, CO_VIRTIO_SET_QUEUE, i)) {
			printf("%s: queue %u was refused\n", d->who, i);
			return -1;
		}
	}
	if (!(vr_call(d, CO_VIRTIO_SET_STATUS, VR_S_ACK | VR_S_DRIVER |
		      VR_S_FEATURES_OK | VR_S_DRIVER_OK) & VR_S_DRIVER_OK)) {
		printf("%s: the device did not start\n", d->who);
		return -1;
	}
	return 0;
}

void vr_set_desc(struct vr_ring *r, unsigned int i, const void *buf,
		 uint32_t len, uint16_t flags, uint16_t next)
{
	r->desc[i] = (struct vr_desc){ gpa_of(buf), len, flags, next };
}

/* Makes head available and notifies the queue. */
long vr_offer(struct vr_dev *d, unsigned int queue, uint16_t head)
{
	struct vr_ring *r = &d->ring[queue];

	r->avail.ring[r->avail.idx % VR_SIZE] = head;
	__atomic_store_n(&r->avail.idx, r->avail.idx + 1, __ATOMIC_RELEASE);
	return hypercall(CO_HC_NOTIFY, (uint64_t)d->index, queue, 0, 0);
}

/* The next used entry within ms: its length (and id), or -1. */
long vr_wait_used(struct vr_dev *d, unsigned int queue, uint64_t ms, uint16_t *id)
{
	struct vr_ring *r = &d->ring[queue];
	uint64_t end = rdtsc() + ms * boot_info->tsc_khz;
	uint16_t slot;

	while (__atomic_load_n(&r->used.idx, __ATOMIC_ACQUIRE) == r->used_seen) {
		if (rdtsc() > end)
			return -1;
		cpu_relax();
	}
	slot = r->used_seen++ % VR_SIZE;
	if (id)
		*id = (uint16_t)r->used.ring[slot].id;
	return r->used.ring[slot].len;
}

/* Offers head and waits up to ms for it to be used: its length, or -1. */
long vr_post(struct vr_dev *d, unsigned int queue, uint16_t head, uint64_t ms)
{
	vr_offer(d, queue, head);
	return vr_wait_used(d, queue, ms, NULL);
}
