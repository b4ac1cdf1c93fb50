// SPDX-License-Identifier: GPL-2.0
/*
 * pattern: write or check a known, position-dependent byte pattern, so
 * that a test can tell exactly which bytes of a disk made it where.  The
 * same static binary runs in the guest and on the test host.
 *
 *   pattern write FILE MIB SEED [fsync]   MIB MiB from offset 0
 *   pattern check FILE MIB SEED           exit 1 at the first difference
 *
 * FILE "-" is standard output or input, for a stream (a network test):
 * check then also wants the stream to end right after the pattern.
 *
 * Word i (8 bytes) of the pattern is a hash of SEED and i: a block that
 * lands at the wrong offset, or a stale or zeroed one, does not match.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1 << 20)

static uint64_t word(uint64_t seed, uint64_t i)
{
	uint64_t z = seed * 0x9e3779b97f4a7c15ULL + i;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void fill(uint64_t *buf, uint64_t seed, uint64_t first)
{
	for (uint64_t i = 0; i < CHUNK / 8; i++)
		buf[i] = word(seed, first + i);
}

/* A whole chunk through a pipe or socket, which may take it in parts. */
static ssize_t stream_io(int fd, void *buf, size_t len, int writing)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = writing ? write(fd, (char *)buf + done, len - done) :
				      read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return done ? (ssize_t)done : n;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static ssize_t chunk_io(int fd, void *buf, uint64_t m, int writing, int stream)
{
	if (stream)
		return stream_io(fd, buf, CHUNK, writing);
	return writing ? pwrite(fd, buf, CHUNK, (off_t)(m * CHUNK)) :
			 pread(fd, buf, CHUNK, (off_t)(m * CHUNK));
}

static int usage(void)
{
	fprintf(stderr, "usage: pattern write|check FILE MIB SEED [fsync]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static uint64_t want[CHUNK / 8], got[CHUNK / 8];
	uint64_t mib, seed, m;
	int writing, fd, stream;

	if (argc < 5 || argc > 6)
		return usage();
	writing = !strcmp(argv[1], "write");
	if (!writing && strcmp(argv[1], "check"))
		return usage();
	mib = strtoull(argv[3], NULL, 0);
	seed = strtoull(argv[4], NULL, 0);
	stream = !strcmp(argv[2], "-");
	if (stream)
		fd = writing ? STDOUT_FILENO : STDIN_FILENO;
	else
		fd = open(argv[2], writing ? O_WRONLY | O_CREAT : O_RDONLY, 0644);
	if (fd < 0) {
		fprintf(stderr, "pattern: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	for (m = 0; m < mib; m++) {
		fill(want, seed, m * (CHUNK / 8));
		if (writing) {
			if (chunk_io(fd, want, m, 1, stream) != CHUNK) {
				fprintf(stderr, "pattern: write at MiB %llu: %s\n",
					(unsigned long long)m, strerror(errno));
				return 1;
			}
			continue;
		}
		if (chunk_io(fd, got, m, 0, stream) != CHUNK) {
			printf("pattern: %s: short read at MiB %llu\n", argv[2],
			       (unsigned long long)m);
			return 1;
		}
		for (uint64_t i = 0; i < CHUNK / 8; i++) {
			if (got[i] != want[i]) {
				printf("pattern: %s differs at byte %llu\n", argv[2],
				       (unsigned long long)(m * CHUNK + i * 8));
				return 1;
			}
		}
	}
	if (stream && !writing && read(fd, got, 1) > 0) {
		printf("pattern: -: more bytes after %llu MiB\n", (unsigned long long)mib);
		return 1;
	}
	if (writing && argc == 6 && !strcmp(argv[5], "fsync")) {
		if (fsync(fd)) {
			fprintf(stderr, "pattern: fsync: %s\n", strerror(errno));
			return 1;
		}
		printf("pattern: fsync done\n");
		fflush(stdout);
	}
	if (close(fd)) {
		fprintf(stderr, "pattern: close: %s\n", strerror(errno));
		return 1;
	}
	/* Standard output carries the pattern itself. */
	fprintf(stream && writing ? stderr : stdout, "pattern: %s %llu MiB %s\n",
		argv[2], (unsigned long long)mib, writing ? "written" : "match");
	return 0;
}
