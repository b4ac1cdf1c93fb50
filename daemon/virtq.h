/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtqueue core for the daemon's virtio devices (split rings, as in
 * <linux/virtio_ring.h>, little-endian x86 guests): take a request the
 * guest made available, as a list of host pointers into guest RAM, and
 * give it back used.  Every index, length and address comes from the guest
 * and is checked here; a queue the guest broke is marked as needing a
 * reset and serves nothing more.
 */
#ifndef COLINUX_DAEMON_VIRTQ_H
#define COLINUX_DAEMON_VIRTQ_H

#include <stdint.h>
#include <linux/virtio_ring.h>

#include "vm.h"

#define VIRTQ_MAX_SIZE	32768		/* the split-ring limit */
/*
 * Descriptors in one request: a disk's 1 MiB of scattered guest pages
 * (256 of them, and header and status) fits in one request, which the
 * guest's 1280 KiB max_sectors_kb allows, instead of being cut in two.
 */
#define VIRTQ_MAX_BUFS	512

struct virtq {
	const struct vm *vm;
	uint16_t size;			/* a power of two */
	struct vring_desc *desc;	/* host pointers, checked at setup */
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t last_avail;		/* the next available entry to take */
	uint16_t used_idx;
	uint16_t signalled_used;	/* used_idx at the last interrupt */
	int event_idx;			/* VIRTIO_RING_F_EVENT_IDX negotiated */
	const char *broken;		/* why the queue needs a reset, or NULL */
	const char *owner;		/* for messages: cobd0, or NULL */
	unsigned int index;		/* the device's queue number */
};

struct virtq_buf {
	uint8_t *addr;			/* inside guest RAM, for len bytes */
	uint32_t len;
	int device_writes;		/* VRING_DESC_F_WRITE */
};

/* One request: the descriptor chain of one available entry. */
struct virtq_req {
	uint16_t head;
	unsigned int nr_bufs;
	struct virtq_buf buf[VIRTQ_MAX_BUFS];
	uint64_t readable, writable;	/* bytes the device may read, write */
};

#include <stddef.h>
#include <sys/uio.h>

int virtq__setup(struct virtq *vq, const struct vm *vm, unsigned int size,
		 uint64_t desc_gpa, uint64_t avail_gpa, uint64_t used_gpa);
int virtq__pop(struct virtq *vq, struct virtq_req *req);
int virtq__push(struct virtq *vq, const struct virtq_req *req, uint32_t written);
int virtq__wants_interrupt(struct virtq *vq);
int virtq__enable_notify(struct virtq *vq);
int virtq__has_avail(const struct virtq *vq);
int virtq__read(const struct virtq_req *req, void *dst, size_t n);
unsigned int virtq__iov(const struct virtq_req *req, int device_writes,
			uint64_t skip, struct iovec *iov);

#endif /* COLINUX_DAEMON_VIRTQ_H */
