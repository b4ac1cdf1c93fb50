// SPDX-License-Identifier: GPL-2.0
/*
 * cpu-job: a fixed CPU-bound job (LZ77-style compression of a fixed,
 * pseudo-random but compressible 8 MiB buffer, three times) and its time in
 * ms.  The same binary runs in the host and in the guest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIZE (8u << 20)

static uint8_t in[SIZE];
static uint16_t head[1 << 16];

static size_t compress(const uint8_t *p, size_t n)
{
	size_t i = 0, out = 0;

	memset(head, 0, sizeof(head));
	while (i + 4 < n) {
		uint32_t h = ((p[i] << 16) ^ (p[i + 1] << 8) ^ p[i + 2]) * 2654435761u >> 16;
		size_t cand = head[h & 0xffff], len = 0;

		head[h & 0xffff] = (uint16_t)i;
		while (cand < i && i + len < n && len < 255 && p[cand + len] == p[i + len])
			len++;
		if (len >= 4) {
			out += 3;
			i += len;
		} else {
			out++;
			i++;
		}
	}
	return out + (n - i);
}

int main(void)
{
	struct timespec a, b;
	uint32_t x = 12345;
	size_t i, out = 0;
	int round;

	for (i = 0; i < SIZE; i++) {
		x = x * 1103515245 + 12345;
		in[i] = (uint8_t)("colinux cooperative"[(x >> 16) % 19] ^ ((x >> 28) & 1));
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (round = 0; round < 3; round++)
		out += compress(in, SIZE);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("bench: cpu_job %.0f ms (%zu bytes out)\n",
	       ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e6, out);
	return 0;
}
