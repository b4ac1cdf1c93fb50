// SPDX-License-Identifier: GPL-2.0
/*
 * cobd (daemon/cobd.c) without its thread, for the fuzzers (shims.h).
 * The I/O still goes through io_uring to a disk opened by disk.c (a
 * memfd), but every submission is checked first, here, since what the
 * kernel writes into guest RAM no sanitizer sees: the iovecs inside guest
 * RAM, the range on the disk, no write to a read-only disk.
 */
#include <liburing.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "shims.h"

#define MAX_DISKS 4

static struct {
	int fd, direct_fd;		/* I/O may go to either */
	uint64_t size;
	int read_only;
} disks[MAX_DISKS];
static unsigned int nr_disks;

static void check_range(int fd, uint64_t offset, uint64_t len, int writes)
{
	unsigned int i;

	for (i = 0; i < nr_disks; i++) {
		if (disks[i].fd != fd && (disks[i].direct_fd < 0 || disks[i].direct_fd != fd))
			continue;
		FUZZ_CHECK(offset <= disks[i].size && len <= disks[i].size - offset);
		FUZZ_CHECK(!writes || !disks[i].read_only);
		return;
	}
	FUZZ_CHECK(!"I/O on a descriptor that is no disk");
}

static uint64_t check_iov(const struct iovec *iov, unsigned int n)
{
	uint64_t total = 0;
	unsigned int i;

	FUZZ_CHECK(n <= VIRTQ_MAX_BUFS);
	for (i = 0; i < n; i++) {
		fuzz_check_ram(iov[i].iov_base, iov[i].iov_len);
		total += iov[i].iov_len;
	}
	return total;
}

static void fuzz_prep_readv(struct io_uring_sqe *sqe, int fd,
			    const struct iovec *iov, unsigned int n, __u64 offset)
{
	check_range(fd, offset, check_iov(iov, n), 0);
	io_uring_prep_readv(sqe, fd, iov, n, offset);
}

static void fuzz_prep_writev(struct io_uring_sqe *sqe, int fd,
			     const struct iovec *iov, unsigned int n, __u64 offset)
{
	check_range(fd, offset, check_iov(iov, n), 1);
	io_uring_prep_writev(sqe, fd, iov, n, offset);
}

static void fuzz_prep_fallocate(struct io_uring_sqe *sqe, int fd, int mode,
				__u64 offset, __u64 len)
{
	check_range(fd, offset, len, 1);
	FUZZ_CHECK(mode & FALLOC_FL_KEEP_SIZE);
	io_uring_prep_fallocate(sqe, fd, mode, offset, len);
}

#define io_uring_prep_readv	fuzz_prep_readv
#define io_uring_prep_writev	fuzz_prep_writev
#define io_uring_prep_fallocate	fuzz_prep_fallocate
/* cobd_start and cobd_stop are left unused: the thread is what they start. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "../../daemon/cobd.c"

/* start without a thread: the fuzzer's thread serves (fuzz_cobd_serve). */
static int shim_start(struct virtio_dev *vdev)
{
	struct cobd *c = to_cobd(vdev);
	unsigned int i;

	c->free = NULL;
	for (i = 0; i < QUEUE_SIZE; i++)
		release(c, &c->reqs[i]);
	c->inflight = 0;
	/* Known bug: no O_DIRECT, so that fuzzing goes past it (known-bugs.txt). */
	c->direct = c->disk->direct_fd >= 0 &&
		    !fuzz_known_bug("discard-retried-as-write");
	return 0;
}

static void drain(struct cobd *c)
{
	struct io_uring_cqe *cqe;

	while (c->inflight) {
		io_uring_submit(&c->ring);
		FUZZ_CHECK(!io_uring_wait_cqe(&c->ring, &cqe));
		reap(c);
	}
}

/* Stop: every request in flight completes, as cobd_stop waits for them. */
static void shim_stop(struct virtio_dev *vdev)
{
	drain(to_cobd(vdev));
}

struct virtio_dev *fuzz_cobd_add(struct device_table *table, unsigned int unit,
				 int read_only)
{
	static char paths[MAX_DISKS][64];
	struct disk *disk = calloc(1, sizeof(*disk));
	int fd = memfd_create("fuzz-cobd", MFD_CLOEXEC);
	struct cobd *c;

	FUZZ_CHECK(disk && fd >= 0 && nr_disks < MAX_DISKS);
	FUZZ_CHECK(!ftruncate(fd, FUZZ_DISK_SIZE));
	snprintf(paths[nr_disks], sizeof(paths[0]), "/proc/self/fd/%d", fd);
	FUZZ_CHECK(!disk__open(disk, "fuzz", paths[nr_disks], read_only));
	close(fd);
	disks[nr_disks].fd = disk->fd;
	disks[nr_disks].direct_fd = disk->direct_fd;
	disks[nr_disks].size = disk->size;
	disks[nr_disks].read_only = read_only;
	nr_disks++;
	c = cobd__new(disk, unit);
	FUZZ_CHECK(c);
	c->ops.start = shim_start;
	c->ops.stop = shim_stop;
	FUZZ_CHECK(!io_uring_queue_init(QUEUE_SIZE, &c->ring, 0));
	FUZZ_CHECK(cobd__add(table, c));
	return &c->vdev;
}

void fuzz_cobd_serve(struct virtio_dev *vdev, int wait)
{
	struct cobd *c = to_cobd(vdev);
	struct virtq *vq = &vdev->vq[0];
	struct stat st;
	int answered;

	if (!vdev->serving)
		return;
	answered = reap(c);
	answered |= take_requests(c);
	if (wait)
		drain(c);
	if (answered && virtq__wants_interrupt(vq))
		FUZZ_CHECK(!virtio__signal(vdev));
	virtq__enable_notify(vq);
	if (!wait)
		return;
	/* Every request taken was answered once, unless the queue broke. */
	FUZZ_CHECK(vq->broken || vq->used_idx == vq->last_avail);
	/* Nothing was written past the disk's end. */
	FUZZ_CHECK(!fstat(c->disk->fd, &st) && (uint64_t)st.st_size == c->disk->size);
}
