// SPDX-License-Identifier: GPL-2.0
/*
 * pagefault-loop N: N times, map 64 anonymous pages, touch each (one page
 * fault apiece: a zeroed page and its page-table entry) and unmap them;
 * the cost of one fault, mapping and unmapping included, in ns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define PAGES 64
#define PAGE 4096

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 500, i, p;
	struct timespec a, b;
	volatile char *m;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		m = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED) {
			perror("pagefault-loop: mmap");
			return 1;
		}
		for (p = 0; p < PAGES; p++)
			m[p * PAGE] = 1;
		munmap((void *)m, PAGES * PAGE);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("bench: pagefault %.0f ns\n",
	       ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n / PAGES);
	return 0;
}
