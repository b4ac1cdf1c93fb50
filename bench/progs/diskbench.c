// SPDX-License-Identifier: GPL-2.0
/*
 * diskbench DEVICE SECONDS: O_DIRECT throughput of a block device, the
 * same static program in the host and in the guest.  Sequential read and
 * write (1 MiB requests, 8 in flight) in MB/s, and 4 KiB random reads at
 * queue depth 1 and 32 in IOPS, each for SECONDS, over the first 256 MiB
 * (or the whole device if smaller).  Linux native AIO, by system call, so
 * that no library is needed.  The write test overwrites the device.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_DEPTH 32
#define SPAN (256ULL << 20)

static int fd;
static uint64_t span;
static aio_context_t ctx;
static uint8_t *bufs[MAX_DEPTH];

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/*
 * Keeps depth requests of size bytes in flight for seconds; sequential
 * offsets wrap around the span.  Returns completed requests per second.
 */
static double run(int write, int random, uint64_t size, int depth, double seconds)
{
	struct iocb cbs[MAX_DEPTH], *ptrs[MAX_DEPTH];
	struct io_event events[MAX_DEPTH];
	int free_slots[MAX_DEPTH], nr_free = depth, inflight = 0, i;
	uint64_t next = 0, done = 0;
	double start = now(), end = start + seconds;

	for (i = 0; i < depth; i++) {
		memset(&cbs[i], 0, sizeof(cbs[i]));
		cbs[i].aio_fildes = fd;
		cbs[i].aio_lio_opcode = write ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD;
		cbs[i].aio_buf = (uint64_t)(uintptr_t)bufs[i];
		cbs[i].aio_nbytes = size;
		cbs[i].aio_data = i;
		free_slots[i] = i;
	}
	for (;;) {
		int n = 0;

		while (nr_free && now() < end) {
			struct iocb *cb = &cbs[free_slots[--nr_free]];

			if (random) {
				cb->aio_offset = next_random() % (span / size) * size;
			} else {
				cb->aio_offset = next;
				next = (next + size) % (span / size * size);
			}
			ptrs[n++] = cb;
		}
		if (n && syscall(SYS_io_submit, ctx, n, ptrs) != n) {
			perror("diskbench: io_submit");
			exit(1);
		}
		inflight += n;
		if (!inflight)
			break;
		n = syscall(SYS_io_getevents, ctx, 1, inflight, events, NULL);
		if (n < 0) {
			perror("diskbench: io_getevents");
			exit(1);
		}
		for (i = 0; i < n; i++) {
			if (events[i].res != (int64_t)size) {
				fprintf(stderr, "diskbench: an I/O returned %lld\n",
					(long long)events[i].res);
				exit(1);
			}
			free_slots[nr_free++] = (int)events[i].data;
		}
		inflight -= n;
		done += n;
	}
	return done / (now() - start);
}

int main(int argc, char **argv)
{
	double seconds = argc > 2 ? atof(argv[2]) : 2;
	uint64_t bytes = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: diskbench DEVICE [SECONDS]\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &bytes)) {
		fprintf(stderr, "diskbench: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	span = bytes < SPAN ? bytes : SPAN;
	for (i = 0; i < MAX_DEPTH; i++)
		if (posix_memalign((void **)&bufs[i], 4096, 1 << 20))
			return 1;
	if (syscall(SYS_io_setup, MAX_DEPTH, &ctx)) {
		perror("diskbench: io_setup");
		return 1;
	}
	printf("bench: disk_seqwrite %.1f MBps\n", run(1, 0, 1 << 20, 8, seconds) * 1.048576);
	printf("bench: disk_seqread %.1f MBps\n", run(0, 0, 1 << 20, 8, seconds) * 1.048576);
	printf("bench: disk_randread_qd1 %.0f IOPS\n", run(0, 1, 4096, 1, seconds));
	printf("bench: disk_randread_qd32 %.0f IOPS\n", run(0, 1, 4096, 32, seconds));
	return 0;
}
