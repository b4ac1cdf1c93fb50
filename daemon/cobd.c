// SPDX-License-Identifier: GPL-2.0
/*
 * cobd: virtio-blk over a disk (cobd.h).  The device's thread waits on the
 * queue's notification eventfd and on io_uring's completion eventfd; it
 * takes the guest's requests, checks each against the disk, and hands the
 * guest's own buffers (guest RAM, mapped in this process) to io_uring as
 * iovecs: no bounce copy.  A request that is wrong fails alone with
 * VIRTIO_BLK_S_IOERR; a queue the guest broke stops until a reset
 * (virtq.c).  Each kind of mistake is logged once per device.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <unistd.h>
#include <liburing.h>
#include <linux/falloc.h>
#include <linux/virtio_blk.h>
#include <linux/virtio_ids.h>

#include "cobd.h"
#include "util.h"
#include "virtio.h"

#define QUEUE_SIZE	256
#define SECTOR		512ULL
/* Header and status take two of a request's VIRTQ_MAX_BUFS buffers. */
#define SEG_MAX		(VIRTQ_MAX_BUFS - 2)
#define DISCARD_MAX	(1U << 22)	/* sectors per discard: 2 GiB */

struct blk_req {
	struct virtq_req vreq;
	struct iovec iov[VIRTQ_MAX_BUFS];
	unsigned int niov;
	uint32_t type;
	uint64_t len;			/* data bytes */
	uint8_t *status;
	uint64_t offset;
	int direct;			/* went to the O_DIRECT descriptor */
	struct blk_req *next_free;
};

/* The mistakes a guest can make, each logged once. */
enum blk_mistake {
	BAD_SHAPE, PAST_END, UNALIGNED, READ_ONLY, BAD_DISCARD, IO_ERROR,
	NR_MISTAKES
};

struct cobd {
	struct virtio_dev vdev;
	struct disk *disk;
	unsigned int unit;
	char name[16];
	pthread_t thread;
	int stop_fd, completion_fd;
	struct io_uring ring;
	struct blk_req reqs[QUEUE_SIZE];
	struct blk_req *free;
	unsigned int inflight;
	int direct;			/* O_DIRECT for aligned requests */
	uint64_t cycles_per_us;		/* the TSC's; 0: unknown, no polling */
	unsigned int poll_us;		/* the polling window (busy_poll) */
	int logged[NR_MISTAKES];
	struct virtio_dev_ops ops;
};

static struct cobd *to_cobd(struct virtio_dev *vdev)
{
	return (struct cobd *)vdev;
}

static void mistake(struct cobd *c, enum blk_mistake kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void mistake(struct cobd *c, enum blk_mistake kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpr_err_once(&c->logged[kind], c->name, "logged once", fmt, ap);
	va_end(ap);
}

static void fill_config(struct virtio_dev *vdev, uint8_t *config)
{
	struct cobd *c = to_cobd(vdev);
	struct virtio_blk_config cfg = {
		.capacity = c->disk->size / SECTOR,
		.seg_max = SEG_MAX,
		.blk_size = c->disk->block_size,
		.max_discard_sectors = DISCARD_MAX,
		.max_discard_seg = 1,
		.discard_sector_alignment = c->disk->block_size / SECTOR,
		.max_write_zeroes_sectors = DISCARD_MAX,
		.max_write_zeroes_seg = 1,
	};

	memcpy(config, &cfg, sizeof(cfg));
}

/*
 * The data buffers as iovecs: the readable ones after skip bytes, or the
 * writable ones but for the last byte (the status).
 */
static void data_iov(struct blk_req *r, int writable, uint64_t skip)
{
	uint64_t left = writable ? r->vreq.writable - 1 : r->vreq.readable - skip;
	unsigned int i;

	r->niov = 0;
	for (i = 0; i < r->vreq.nr_bufs && left; i++) {
		const struct virtq_buf *b = &r->vreq.buf[i];
		uint64_t off = 0, len = b->len;

		if (b->device_writes != writable)
			continue;
		if (!writable && skip) {
			off = skip < len ? skip : len;
			skip -= off;
		}
		len -= off;
		if (len > left)
			len = left;
		if (!len)
			continue;
		r->iov[r->niov].iov_base = b->addr + off;
		r->iov[r->niov].iov_len = len;
		r->niov++;
		left -= len;
	}
}

static uint8_t *status_byte(const struct virtq_req *vreq)
{
	unsigned int i = vreq->nr_bufs;

	while (i--)
		if (vreq->buf[i].device_writes && vreq->buf[i].len)
			return vreq->buf[i].addr + vreq->buf[i].len - 1;
	return NULL;
}

static void release(struct cobd *c, struct blk_req *r)
{
	r->next_free = c->free;
	c->free = r;
}

/* Give a request back with its status; 1 when the guest wants an interrupt. */
static void answer(struct cobd *c, struct blk_req *r, uint8_t status,
		   uint32_t data_written)
{
	if (r->status)
		*r->status = status;
	virtq__push(&c->vdev.vq[0], &r->vreq, r->status ? data_written + 1 : 0);
	release(c, r);
}

/* Is [sector, + len bytes) on the disk?  Overflow-proof. */
static int in_range(struct cobd *c, uint64_t sector, uint64_t len)
{
	uint64_t sectors = c->disk->size / SECTOR;

	if (sector > sectors || len > (sectors - sector) * SECTOR) {
		mistake(c, PAST_END, "a request past the end: sector %llu, %llu "
			"bytes, on a disk of %llu sectors",
			(unsigned long long)sector, (unsigned long long)len,
			(unsigned long long)sectors);
		return 0;
	}
	return 1;
}

static struct io_uring_sqe *next_sqe(struct cobd *c)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&c->ring);

	if (!sqe) {
		io_uring_submit(&c->ring);
		sqe = io_uring_get_sqe(&c->ring);
	}
	return sqe;
}

/*
 * O_DIRECT wants the offset, the length and every buffer aligned to the
 * disk's logical block size; the guest's page cache gives that, a guest
 * program's own buffers need not.
 */
static int aligned(const struct cobd *c, const struct blk_req *r)
{
	uint64_t a = c->disk->block_size;
	unsigned int i;

	if (r->offset % a || r->len % a)
		return 0;
	for (i = 0; i < r->niov; i++)
		if ((uintptr_t)r->iov[i].iov_base % a || r->iov[i].iov_len % a)
			return 0;
	return 1;
}

/* A read or write into io_uring: no copy, the iovecs are guest RAM. */
static void submit_rw(struct cobd *c, struct blk_req *r, int direct)
{
	struct io_uring_sqe *sqe = next_sqe(c);
	int fd = direct ? c->disk->direct_fd : c->disk->fd;

	r->direct = direct;
	if (r->type == VIRTIO_BLK_T_IN)
		io_uring_prep_readv(sqe, fd, r->iov, r->niov, r->offset);
	else
		io_uring_prep_writev(sqe, fd, r->iov, r->niov, r->offset);
	io_uring_sqe_set_data(sqe, r);
	c->inflight++;
}

/*
 * Start one request: into io_uring, or answered at once.  The guest's
 * header is copied before it is looked at.
 */
static void start_request(struct cobd *c, struct blk_req *r)
{
	struct virtio_blk_outhdr hdr;
	struct virtio_blk_discard_write_zeroes seg;
	struct io_uring_sqe *sqe;
	struct disk *disk = c->disk;

	/*
	 * A slot is reused: only a read or write that goes to the O_DIRECT
	 * descriptor sets this again (complete() retries those alone).
	 */
	r->direct = 0;
	r->status = status_byte(&r->vreq);
	if (!r->status || virtq__read(&r->vreq, &hdr, sizeof(hdr))) {
		mistake(c, BAD_SHAPE, "a request without a header or a status byte");
		answer(c, r, VIRTIO_BLK_S_IOERR, 0);
		return;
	}
	r->type = hdr.type;
	switch (hdr.type) {
	case VIRTIO_BLK_T_IN:
	case VIRTIO_BLK_T_OUT:
		if (hdr.type == VIRTIO_BLK_T_OUT && disk->read_only) {
			mistake(c, READ_ONLY, "a write to a read-only disk: refused");
			break;
		}
		r->len = hdr.type == VIRTIO_BLK_T_IN ? r->vreq.writable - 1 :
			 r->vreq.readable - sizeof(hdr);
		if (r->len % SECTOR) {
			mistake(c, UNALIGNED, "a transfer of %llu bytes, not whole "
				"sectors", (unsigned long long)r->len);
			break;
		}
		if (!in_range(c, hdr.sector, r->len))
			break;
		data_iov(r, hdr.type == VIRTIO_BLK_T_IN, sizeof(hdr));
		r->offset = hdr.sector * SECTOR;
		submit_rw(c, r, c->direct && aligned(c, r));
		return;
	case VIRTIO_BLK_T_FLUSH:
		r->len = 0;
		if (disk->flush_failed)
			break;
		sqe = next_sqe(c);
		io_uring_prep_fsync(sqe, disk->fd, IORING_FSYNC_DATASYNC);
		io_uring_sqe_set_data(sqe, r);
		c->inflight++;
		return;
	case VIRTIO_BLK_T_GET_ID: {
		uint32_t n = r->vreq.writable - 1 < VIRTIO_BLK_ID_BYTES ?
			     (uint32_t)r->vreq.writable - 1 : VIRTIO_BLK_ID_BYTES;
		char id[VIRTIO_BLK_ID_BYTES] = { 0 };

		snprintf(id, sizeof(id), "%s", c->name);
		r->iov[0].iov_len = 0;
		data_iov(r, 1, 0);
		if (r->niov && r->iov[0].iov_len >= n) {
			memcpy(r->iov[0].iov_base, id, n);
			answer(c, r, VIRTIO_BLK_S_OK, n);
			return;
		}
		break;
	}
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES: {
		int zeroes = hdr.type == VIRTIO_BLK_T_WRITE_ZEROES;
		struct {
			struct virtio_blk_outhdr hdr;
			struct virtio_blk_discard_write_zeroes seg;
		} both;
		uint64_t len;
		int err;

		if (disk->read_only) {
			mistake(c, READ_ONLY, "a discard on a read-only disk: refused");
			break;
		}
		if (r->vreq.readable != sizeof(both) ||
		    virtq__read(&r->vreq, &both, sizeof(both))) {
			mistake(c, BAD_DISCARD, "a discard or write-zeroes that is "
				"not one 16-byte segment");
			break;
		}
		seg = both.seg;
		len = (uint64_t)seg.num_sectors * SECTOR;
		if (seg.flags & ~VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP ||
		    seg.num_sectors > DISCARD_MAX) {
			mistake(c, BAD_DISCARD, "a discard or write-zeroes with bad "
				"flags or too many sectors");
			break;
		}
		if (!in_range(c, seg.sector, len))
			break;
		r->len = 0;
		if (!len) {		/* nothing to do; fallocate() would say EINVAL */
			answer(c, r, VIRTIO_BLK_S_OK, 0);
			return;
		}
		if (disk->is_block_device) {
			err = disk__discard(disk, seg.sector * SECTOR, len, zeroes);
			/* A disk that cannot discard has lost nothing. */
			answer(c, r, !err || (!zeroes && err == -EOPNOTSUPP) ?
				VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR, 0);
			return;
		}
		sqe = next_sqe(c);
		io_uring_prep_fallocate(sqe, disk->fd,
					FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					seg.sector * SECTOR, len);
		io_uring_sqe_set_data(sqe, r);
		c->inflight++;
		return;
	}
	default:
		answer(c, r, VIRTIO_BLK_S_UNSUPP, 0);
		return;
	}
	answer(c, r, VIRTIO_BLK_S_IOERR, 0);
}

/* Take what the guest made available, while there is room. */
static int take_requests(struct cobd *c)
{
	int started = 0;

	while (c->free) {
		struct blk_req *r = c->free;
		int got = virtq__pop(&c->vdev.vq[0], &r->vreq);

		if (got <= 0)
			break;
		c->free = r->next_free;
		start_request(c, r);
		started = 1;
	}
	if (started)
		io_uring_submit(&c->ring);
	return started;
}

static void complete(struct cobd *c, struct blk_req *r, int res)
{
	int ok = res >= 0 && (uint64_t)res == r->len;

	c->inflight--;
	/* The file system refuses this alignment: buffered from now on. */
	if (r->direct && res == -EINVAL &&
	    (r->type == VIRTIO_BLK_T_IN || r->type == VIRTIO_BLK_T_OUT)) {
		if (c->direct) {
			c->direct = 0;
			pr_info("%s: O_DIRECT refused by %s; buffered I/O from now on",
				c->name, c->disk->path);
		}
		submit_rw(c, r, 0);
		io_uring_submit(&c->ring);
		return;
	}
	if (!ok) {
		mistake(c, IO_ERROR, "%s failed on the host: %s",
			r->type == VIRTIO_BLK_T_FLUSH ? "a flush" : "an I/O",
			res < 0 ? strerror(-res) : "short transfer");
		/* Data a failed flush did not write may be lost: say so forever. */
		if (r->type == VIRTIO_BLK_T_FLUSH)
			c->disk->flush_failed = 1;
	}
	answer(c, r, ok ? VIRTIO_BLK_S_OK : VIRTIO_BLK_S_IOERR,
	       ok && r->type == VIRTIO_BLK_T_IN ? (uint32_t)r->len : 0);
}

static int reap(struct cobd *c)
{
	struct io_uring_cqe *cqe;
	int done = 0;

	while (!io_uring_peek_cqe(&c->ring, &cqe)) {
		struct blk_req *r = io_uring_cqe_get_data(cqe);
		int res = cqe->res;

		io_uring_cqe_seen(&c->ring, cqe);
		complete(c, r, res);
		done = 1;
	}
	return done;
}

static void drain_eventfd(int fd)
{
	uint64_t n;

	while (read(fd, &n, sizeof(n)) == sizeof(n))
		;
}

/*
 * Polling, as halt polling does in the module: after it served, the thread
 * spins for a while for a completion or a new request before it sleeps,
 * with the queue's notifications left off, so that a guest making its
 * next request meanwhile costs no exit (no CO_HC_NOTIFY) and the thread
 * no wakeup.  The window adapts: it doubles, from POLL_START_US up to
 * POLL_MAX_US, while the next event came soon after it ran out, and drops
 * to 0 after a longer quiet time, so an idle disk costs no CPU.
 */
#define POLL_START_US	10
#define POLL_MAX_US	200

static uint64_t now_cycles(void)
{
	return __builtin_ia32_rdtsc();
}

/* 1 if a completion or a request came within the window. */
static int busy_poll(struct cobd *c)
{
	uint64_t start = now_cycles(), end = start + c->poll_us * c->cycles_per_us;
	uint64_t t;

	/* A TSC behind the first (another CPU's, unsynchronized) ends it. */
	while ((t = now_cycles()) < end && t >= start) {
		if (io_uring_cq_ready(&c->ring) ||
		    (c->free && virtq__has_avail(&c->vdev.vq[0])))
			return 1;
		__builtin_ia32_pause();
	}
	return 0;
}

/* After a sleep of slept_cycles: the next window. */
static void adapt_poll(struct cobd *c, uint64_t slept_cycles)
{
	uint64_t max = POLL_MAX_US * c->cycles_per_us;

	if (slept_cycles > max)
		c->poll_us = 0;
	else if (c->poll_us < POLL_MAX_US)
		c->poll_us = c->poll_us ? 2 * c->poll_us : POLL_START_US;
	if (c->poll_us > POLL_MAX_US)
		c->poll_us = POLL_MAX_US;
}

static void *cobd_thread(void *arg)
{
	struct cobd *c = arg;
	struct pollfd fds[3] = {
		{ .fd = c->completion_fd, .events = POLLIN },
		{ .fd = c->stop_fd, .events = POLLIN },
		{ .fd = c->vdev.notify_fd[0], .events = POLLIN },
	};
	int stopping = 0;
	uint64_t slept;

	block_stop_signals();
	for (;;) {
		int answered;

		drain_eventfd(c->completion_fd);
		answered = reap(c);
		if (!stopping) {
			drain_eventfd(c->vdev.notify_fd[0]);
			/* Requests answered at once count as answered too. */
			answered |= take_requests(c);
		}
		if (answered && virtq__wants_interrupt(&c->vdev.vq[0]) &&
		    virtio__signal(&c->vdev))
			pr_err("%s: cannot interrupt the guest: %s", c->name,
			       strerror(errno));
		if (stopping && !c->inflight)
			break;
		if (!stopping && c->poll_us && busy_poll(c))
			continue;
		/* More came while notifications were off: take it first. */
		if (!stopping && c->free && virtq__enable_notify(&c->vdev.vq[0]))
			continue;
		slept = now_cycles();
		if (poll(fds, stopping ? 1 : 3, -1) < 0 && errno != EINTR) {
			pr_err("%s: poll: %s", c->name, strerror(errno));
			break;
		}
		if (c->cycles_per_us)
			adapt_poll(c, now_cycles() - slept);
		if (fds[1].revents)
			stopping = 1;
	}
	return NULL;
}

static int cobd_start(struct virtio_dev *vdev)
{
	struct cobd *c = to_cobd(vdev);
	unsigned int i;
	int err;

	c->free = NULL;
	for (i = 0; i < QUEUE_SIZE; i++)
		release(c, &c->reqs[i]);
	c->inflight = 0;
	c->direct = c->disk->direct_fd >= 0;
	c->cycles_per_us = c->vdev.gdev->vm->info.tsc_khz / 1000;
	c->poll_us = 0;
	c->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	c->completion_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	err = io_uring_queue_init(QUEUE_SIZE, &c->ring, 0);
	if (err) {
		pr_err("%s: cannot set up io_uring: %s", c->name, strerror(-err));
		goto err_fds;
	}
	err = io_uring_register_eventfd(&c->ring, c->completion_fd);
	if (err || c->stop_fd < 0 || c->completion_fd < 0) {
		pr_err("%s: cannot set up its eventfds: %s", c->name,
		       strerror(err ? -err : errno));
		goto err_ring;
	}
	err = pthread_create(&c->thread, NULL, cobd_thread, c);
	if (err) {
		pr_err("%s: cannot start its thread: %s", c->name, strerror(err));
		goto err_ring;
	}
	return 0;

err_ring:
	io_uring_queue_exit(&c->ring);
err_fds:
	if (c->stop_fd >= 0)
		close(c->stop_fd);
	if (c->completion_fd >= 0)
		close(c->completion_fd);
	return -1;
}

static void cobd_stop(struct virtio_dev *vdev)
{
	struct cobd *c = to_cobd(vdev);
	uint64_t one = 1;

	if (write(c->stop_fd, &one, sizeof(one)) != sizeof(one))
		pr_err("%s: cannot stop its thread: %s", c->name, strerror(errno));
	pthread_join(c->thread, NULL);
	io_uring_queue_exit(&c->ring);
	close(c->stop_fd);
	close(c->completion_fd);
}

#define COBD_FEATURES ((1ULL << VIRTIO_BLK_F_SEG_MAX) | (1ULL << VIRTIO_BLK_F_BLK_SIZE))
/* Read-only: the guest sees VIRTIO_BLK_F_RO, and has nothing to flush or discard. */
#define COBD_RW_FEATURES ((1ULL << VIRTIO_BLK_F_FLUSH) | \
	(1ULL << VIRTIO_BLK_F_DISCARD) | (1ULL << VIRTIO_BLK_F_WRITE_ZEROES))

struct cobd *cobd__new(struct disk *disk, unsigned int unit)
{
	struct cobd *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->disk = disk;
	c->unit = unit;
	snprintf(c->name, sizeof(c->name), "cobd%u", unit);
	c->ops = (struct virtio_dev_ops){
		.device_id = VIRTIO_ID_BLOCK,
		.features = COBD_FEATURES | (disk->read_only ?
			    1ULL << VIRTIO_BLK_F_RO : COBD_RW_FEATURES),
		.nr_queues = 1,
		.queue_size = QUEUE_SIZE,
		.config_size = sizeof(struct virtio_blk_config),
		.fill_config = fill_config,
		.start = cobd_start,
		.stop = cobd_stop,
	};
	return c;
}

void cobd__free(struct cobd *cobd)
{
	free(cobd);
}

struct guest_device *cobd__add(struct device_table *table, struct cobd *cobd)
{
	memset(cobd->logged, 0, sizeof(cobd->logged));
	return virtio__add(table, &cobd->vdev, &cobd->ops, cobd->name, cobd->unit);
}
