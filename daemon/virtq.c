// SPDX-License-Identifier: GPL-2.0
/*
 * The virtqueue core (virtq.h).  The guest can change its rings while the
 * daemon reads them, from another CPU: every word it owns is read exactly
 * once, into a local copy, and only the copy is checked and used.  Ring
 * indices are free-running 16-bit counters, as the virtio spec says.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "util.h"
#include "virtq.h"

static uint16_t load16(const uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* The queue is unusable until the guest resets the device: say why once. */
static int broken(struct virtq *vq, const char *why)
{
	if (!vq->broken) {
		vq->broken = why;
		pr_err("%s: queue %u: %s: the device needs a reset",
		       vq->owner ? vq->owner : "virtqueue", vq->index, why);
	}
	return -EIO;
}

/*
 * Rings of a queue of size entries at the guest's addresses: the
 * alignments of the virtio spec (16, 2, 4), each ring inside one RAM chunk.
 */
int virtq__setup(struct virtq *vq, const struct vm *vm, unsigned int size,
		 uint64_t desc_gpa, uint64_t avail_gpa, uint64_t used_gpa)
{
	uint64_t avail_len = 4 + 2ULL * size + 2, used_len = 4 + 8ULL * size + 2;

	*vq = (struct virtq){ .vm = vm };
	if (!size || size > VIRTQ_MAX_SIZE || (size & (size - 1)) ||
	    desc_gpa % 16 || avail_gpa % 2 || used_gpa % 4)
		return -EINVAL;
	vq->desc = vm__gpa_to_host(vm, desc_gpa, 16ULL * size);
	vq->avail = vm__gpa_to_host(vm, avail_gpa, avail_len);
	vq->used = vm__gpa_to_host(vm, used_gpa, used_len);
	if (!vq->desc || !vq->avail || !vq->used)
		return -EINVAL;
	vq->size = (uint16_t)size;
	return 0;
}

/* A descriptor, copied once. */
static struct vring_desc read_desc(const struct vring_desc *d)
{
	struct vring_desc copy;

	copy.addr = __atomic_load_n(&d->addr, __ATOMIC_RELAXED);
	copy.len = __atomic_load_n(&d->len, __ATOMIC_RELAXED);
	copy.flags = __atomic_load_n(&d->flags, __ATOMIC_RELAXED);
	copy.next = __atomic_load_n(&d->next, __ATOMIC_RELAXED);
	return copy;
}

static int add_buf(struct virtq *vq, struct virtq_req *req,
		   const struct vring_desc *d)
{
	struct virtq_buf *b;
	int writes = !!(d->flags & VRING_DESC_F_WRITE);

	if (req->nr_bufs == VIRTQ_MAX_BUFS)
		return broken(vq, "a request with too many descriptors");
	/* The spec: all the device-readable buffers come first (empty or not). */
	if (!writes && req->nr_bufs && req->buf[req->nr_bufs - 1].device_writes)
		return broken(vq, "a readable buffer after a writable one");
	b = &req->buf[req->nr_bufs];
	b->len = d->len;
	b->device_writes = writes;
	b->addr = d->len ? vm__gpa_to_host(vq->vm, d->addr, d->len) : NULL;
	if (d->len && !b->addr)
		return broken(vq, "a buffer outside guest RAM");
	if (writes)
		req->writable += d->len;
	else
		req->readable += d->len;
	req->nr_bufs++;
	return 0;
}

/* The buffers of an indirect table: no nesting, every index checked. */
static int walk_indirect(struct virtq *vq, struct virtq_req *req,
			 const struct vring_desc *d)
{
	const struct vring_desc *table;
	unsigned int n = d->len / 16, i = 0, steps;
	struct vring_desc cur;
	int err;

	if (!d->len || d->len % 16 || n > VIRTQ_MAX_SIZE)
		return broken(vq, "an indirect table of a bad length");
	table = vm__gpa_to_host(vq->vm, d->addr, d->len);
	if (!table || d->addr % 16)
		return broken(vq, "an indirect table outside guest RAM");
	for (steps = 0; steps < n; steps++) {
		cur = read_desc(&table[i]);
		if (cur.flags & VRING_DESC_F_INDIRECT)
			return broken(vq, "an indirect table inside an indirect table");
		err = add_buf(vq, req, &cur);
		if (err)
			return err;
		if (!(cur.flags & VRING_DESC_F_NEXT))
			return 0;
		i = cur.next;
		if (i >= n)
			return broken(vq, "an indirect descriptor index out of range");
	}
	return broken(vq, "a loop in an indirect table");
}

/*
 * Take the next available request: 1 with req filled in, 0 when there is
 * none, -EIO once the queue is broken.
 */
int virtq__pop(struct virtq *vq, struct virtq_req *req)
{
	uint16_t avail_idx, head, i;
	struct vring_desc d;
	unsigned int steps;
	int err;

	if (vq->broken)
		return -EIO;
	if (!vq->size)
		return 0;
	avail_idx = load16(&vq->avail->idx);
	if ((uint16_t)(avail_idx - vq->last_avail) > vq->size)
		return broken(vq, "the available index ran more than a queue ahead");
	if (avail_idx == vq->last_avail)
		return 0;
	head = load16(&vq->avail->ring[vq->last_avail % vq->size]);
	if (head >= vq->size)
		return broken(vq, "an available entry out of range");
	req->head = head;
	req->nr_bufs = 0;
	req->readable = req->writable = 0;
	i = head;
	for (steps = 0; steps < vq->size; steps++) {
		d = read_desc(&vq->desc[i]);
		if (d.flags & VRING_DESC_F_INDIRECT) {
			if (d.flags & VRING_DESC_F_NEXT)
				return broken(vq, "an indirect descriptor with a next");
			err = walk_indirect(vq, req, &d);
		} else {
			err = add_buf(vq, req, &d);
		}
		if (err)
			return err;
		if (!(d.flags & VRING_DESC_F_NEXT) || (d.flags & VRING_DESC_F_INDIRECT)) {
			vq->last_avail++;
			return 1;
		}
		i = d.next;
		if (i >= vq->size)
			return broken(vq, "a descriptor index out of range");
	}
	return broken(vq, "a loop in a descriptor chain");
}

/* Give a request back with the number of bytes the device wrote into it. */
int virtq__push(struct virtq *vq, const struct virtq_req *req, uint32_t written)
{
	struct vring_used_elem *e;

	if (vq->broken)
		return -EIO;
	if (written > req->writable)
		written = (uint32_t)req->writable;
	e = &vq->used->ring[vq->used_idx % vq->size];
	__atomic_store_n(&e->id, req->head, __ATOMIC_RELAXED);
	__atomic_store_n(&e->len, written, __ATOMIC_RELAXED);
	vq->used_idx++;
	/* The entry before the index: the guest reads them the other way. */
	__atomic_store_n(&vq->used->idx, vq->used_idx, __ATOMIC_RELEASE);
	return 0;
}

/*
 * After pushing: does the guest want an interrupt?  The full fence orders
 * the used index before what the guest wrote is read, as the guest orders
 * them the other way (virtqueue_enable_cb): one side sees the other.
 * With event indices the guest says up to which used entry it needs none
 * (used_event, after the available ring); otherwise a flag says "none".
 */
int virtq__wants_interrupt(struct virtq *vq)
{
	uint16_t event, old = vq->signalled_used;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!vq->size)
		return 0;
	if (!vq->event_idx)
		return !(load16(&vq->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT);
	event = load16(&vq->avail->ring[vq->size]);
	if (!vring_need_event(event, vq->used_idx, old))
		return 0;
	vq->signalled_used = vq->used_idx;
	return 1;
}

/*
 * Before the device waits for a notification: with event indices, ask for
 * one as soon as the guest makes anything more available (avail_event,
 * after the used ring), then look again, since the guest may have added
 * something before it saw the request.  1 when something is available.
 */
int virtq__enable_notify(struct virtq *vq)
{
	if (!vq->size || vq->broken)
		return 0;
	if (vq->event_idx) {
		/* vring_avail_event(): the 16 bits right after the ring. */
		__atomic_store_n((uint16_t *)&vq->used->ring[vq->size],
				 vq->last_avail, __ATOMIC_RELAXED);
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return load16(&vq->avail->idx) != vq->last_avail;
}

/*
 * Whether the guest made something available that was not taken yet, seen
 * without asking for a notification (a device polling its queue).
 */
int virtq__has_avail(const struct virtq *vq)
{
	return vq->size && !vq->broken && load16(&vq->avail->idx) != vq->last_avail;
}

/*
 * Copy the first n bytes the device may read (a header, which may span
 * buffers) out of guest RAM, so that the guest cannot change them after
 * they are checked.  0, or -1 when the request has fewer.
 */
int virtq__read(const struct virtq_req *req, void *dst, size_t n)
{
	unsigned int i;
	size_t done = 0;

	for (i = 0; i < req->nr_bufs && done < n; i++) {
		const struct virtq_buf *b = &req->buf[i];
		size_t take = b->len < n - done ? b->len : n - done;

		if (b->device_writes)
			break;
		if (!take)
			continue;	/* an empty buffer has no address */
		memcpy((uint8_t *)dst + done, b->addr, take);
		done += take;
	}
	return done == n ? 0 : -1;
}

/*
 * The buffers the device may write (device_writes) or read, but for the
 * first skip bytes of them, as iovecs (at most VIRTQ_MAX_BUFS).
 */
unsigned int virtq__iov(const struct virtq_req *req, int device_writes,
			uint64_t skip, struct iovec *iov)
{
	unsigned int i, n = 0;

	for (i = 0; i < req->nr_bufs; i++) {
		const struct virtq_buf *b = &req->buf[i];
		uint64_t off = skip < b->len ? skip : b->len;

		if (b->device_writes != device_writes)
			continue;
		skip -= off;
		if (off == b->len)
			continue;
		iov[n].iov_base = b->addr + off;
		iov[n].iov_len = b->len - off;
		n++;
	}
	return n;
}
