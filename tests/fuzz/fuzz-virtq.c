// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzing the virtqueue core (daemon/virtq.c) over the fake guest RAM.
 *
 * Input: a queue header (size u16, desc/avail/used gpa u64 each, flags u8:
 * bit 0 event indices), then operations until the input ends, each an
 * opcode byte and its arguments (see the enum).  The guest's rings and
 * buffers are whatever WRITE operations put into RAM, before and between
 * the device's steps.  Every request virtq__pop() returns is checked
 * (head, buffers inside RAM, lengths, readable before writable) and used:
 * its readable bytes read, its writable ones written.
 */
#include <errno.h>
#include <sys/uio.h>

#include "../../daemon/virtq.h"
#include "fuzz.h"

enum op {
	OP_WRITE, OP_WRITE16, OP_POP, OP_PUSH, OP_WANTS_INTERRUPT,
	OP_ENABLE_NOTIFY, OP_READ, OP_IOV, OP_SETUP, NR_OPS
};

#define PENDING 8		/* requests popped, not yet pushed */
#define MAX_OPS 1024

static struct virtq vq;
static struct virtq_req pending[PENDING];
static unsigned int nr_pending;
static uint16_t pushes;		/* since the last setup */

static void setup(struct fuzz_in *in)
{
	unsigned int size = fuzz_u16(in);
	uint64_t desc = fuzz_u64(in), avail = fuzz_u64(in), used = fuzz_u64(in);
	uint8_t flags = fuzz_u8(in);

	nr_pending = 0;
	pushes = 0;
	if (virtq__setup(&vq, &fuzz_vm, size, desc, avail, used))
		return;		/* a queue never set up: pop says 0 */
	FUZZ_CHECK(vq.size == size);
	fuzz_check_ram(vq.desc, 16ULL * size);
	fuzz_check_ram(vq.avail, 4 + 2ULL * size + 2);
	fuzz_check_ram(vq.used, 4 + 8ULL * size + 2);
	vq.event_idx = flags & 1;
	vq.owner = "fuzz";
}

/* Use the request as a device would: every byte it may read or write. */
static void check_and_use(const struct virtq_req *req)
{
	uint64_t readable = 0, writable = 0;
	unsigned int i, sum = 0;
	int seen_writable = 0;

	FUZZ_CHECK(req->head < vq.size);
	FUZZ_CHECK(req->nr_bufs >= 1 && req->nr_bufs <= VIRTQ_MAX_BUFS);
	for (i = 0; i < req->nr_bufs; i++) {
		const struct virtq_buf *b = &req->buf[i];
		uint32_t j;

		/* The spec: every readable buffer first (a known bug lets empty ones by). */
		FUZZ_CHECK(b->device_writes || !seen_writable ||
			   fuzz_known_bug("readable-after-empty-writable"));
		seen_writable |= b->device_writes;
		if (!b->len) {
			FUZZ_CHECK(!b->addr);
			continue;
		}
		fuzz_check_ram(b->addr, b->len);
		if (b->device_writes) {
			memset(b->addr, 0xa5, b->len);
			writable += b->len;
		} else {
			for (j = 0; j < b->len; j++)
				sum += b->addr[j];
			readable += b->len;
		}
	}
	FUZZ_CHECK(readable == req->readable && writable == req->writable);
	(void)sum;
}

static void op_pop(void)
{
	uint16_t old_last = vq.last_avail, avail_idx = 0;
	const char *was_broken = vq.broken;
	static struct virtq_req scratch;
	struct virtq_req *req = &scratch;
	int ret;

	if (vq.size)
		avail_idx = vq.avail->idx;
	ret = virtq__pop(&vq, req);
	if (was_broken)
		FUZZ_CHECK(ret == -EIO && vq.broken == was_broken);
	switch (ret) {
	case 1:
		/* Only an entry the guest made available, one at a time. */
		FUZZ_CHECK(avail_idx != old_last &&
			   (uint16_t)(avail_idx - old_last) <= vq.size);
		FUZZ_CHECK(vq.last_avail == (uint16_t)(old_last + 1));
		check_and_use(req);
		/* Full: the last one is dropped, never given back. */
		pending[nr_pending < PENDING ? nr_pending++ : PENDING - 1] = *req;
		break;
	case 0:
		FUZZ_CHECK(!vq.size || avail_idx == old_last);
		FUZZ_CHECK(vq.last_avail == old_last && !vq.broken);
		break;
	case -EIO:
		FUZZ_CHECK(vq.broken && vq.last_avail == old_last);
		break;
	default:
		FUZZ_CHECK(!"virtq__pop returned something else");
	}
}

static void op_push(struct fuzz_in *in)
{
	unsigned int k = fuzz_u8(in);
	uint32_t written = fuzz_u32(in);
	struct virtq_req *req;
	uint16_t old = vq.used_idx;
	int ret;

	if (!nr_pending)
		return;
	k %= nr_pending;
	req = &pending[k];
	ret = virtq__push(&vq, req, written);
	if (vq.broken) {
		FUZZ_CHECK(ret == -EIO && vq.used_idx == old);
	} else {
		const struct vring_used_elem *e = &vq.used->ring[old % vq.size];

		FUZZ_CHECK(ret == 0);
		FUZZ_CHECK(vq.used_idx == (uint16_t)(old + 1) && vq.used->idx == vq.used_idx);
		FUZZ_CHECK(e->id == req->head && e->len <= req->writable);
		pushes++;
		/* The used index advances only by what was taken. */
		FUZZ_CHECK(vq.used_idx == pushes);
	}
	pending[k] = pending[--nr_pending];
}

/* virtq__read: the first n readable bytes, exactly, or -1. */
static void op_read(struct fuzz_in *in)
{
	static uint8_t buf[65536];
	size_t n = fuzz_u16(in), done = 0;
	const struct virtq_req *req;
	unsigned int i;
	int ret;

	if (!nr_pending)
		return;
	req = &pending[fuzz_u8(in) % nr_pending];
	ret = virtq__read(req, buf, n);
	/* What it reads: the readable bytes before any writable buffer. */
	for (i = 0; i < req->nr_bufs && !req->buf[i].device_writes; i++)
		done += req->buf[i].len;
	FUZZ_CHECK((ret == 0) == (n <= done));
	done = 0;
	for (i = 0; !ret && i < req->nr_bufs && done < n; i++) {
		size_t take = req->buf[i].len < n - done ? req->buf[i].len : n - done;

		FUZZ_CHECK(!take || !memcmp(buf + done, req->buf[i].addr, take));
		done += take;
	}
}

/* virtq__iov: the buffers of one direction but for skip bytes. */
static void op_iov(struct fuzz_in *in)
{
	static struct iovec iov[VIRTQ_MAX_BUFS];
	int writes = fuzz_u8(in) & 1;
	uint64_t skip = fuzz_u32(in), total = 0, want;
	const struct virtq_req *req;
	unsigned int i, n;

	if (!nr_pending)
		return;
	req = &pending[fuzz_u8(in) % nr_pending];
	n = virtq__iov(req, writes, skip, iov);
	FUZZ_CHECK(n <= req->nr_bufs);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(iov[i].iov_len);
		fuzz_check_ram(iov[i].iov_base, iov[i].iov_len);
		total += iov[i].iov_len;
	}
	want = writes ? req->writable : req->readable;
	FUZZ_CHECK(total == (want > skip ? want - skip : 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct fuzz_in in = { data, size };
	unsigned int ops;

	if (!ready) {
		fuzz_ram_init();
		ready = 1;
	}
	fuzz_ram_clear();
	setup(&in);
	for (ops = 0; in.left && ops < MAX_OPS; ops++) {
		switch (fuzz_u8(&in) % NR_OPS) {
		case OP_WRITE:
			fuzz_op_write(&in);
			break;
		case OP_WRITE16:
			fuzz_op_write16(&in);
			break;
		case OP_POP:
			op_pop();
			break;
		case OP_PUSH:
			op_push(&in);
			break;
		case OP_WANTS_INTERRUPT:
			FUZZ_CHECK(virtq__wants_interrupt(&vq) <= 1);
			break;
		case OP_ENABLE_NOTIFY: {
			int ret = virtq__enable_notify(&vq);

			FUZZ_CHECK(ret == 0 || (ret == 1 && !vq.broken));
			break;
		}
		case OP_READ:
			op_read(&in);
			break;
		case OP_IOV:
			op_iov(&in);
			break;
		case OP_SETUP:
			setup(&in);
			break;
		}
	}
	return 0;
}
