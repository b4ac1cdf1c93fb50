// SPDX-License-Identifier: GPL-2.0
/*
 * ymm-marker SECONDS: keep a marker in all of ymm0-15 for SECONDS, yielding
 * often, so that a guest sharing the CPU would find it in registers it
 * never wrote if the world switch let host state through.  Exits 2 on a
 * CPU without AVX.
 */
#include <cpuid.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint8_t marker[32] __attribute__((aligned(32)));

static void fill(void)
{
	__asm__ volatile("vmovdqu (%0), %%ymm0\n\tvmovdqu (%0), %%ymm1\n\t"
			 "vmovdqu (%0), %%ymm2\n\tvmovdqu (%0), %%ymm3\n\t"
			 "vmovdqu (%0), %%ymm4\n\tvmovdqu (%0), %%ymm5\n\t"
			 "vmovdqu (%0), %%ymm6\n\tvmovdqu (%0), %%ymm7\n\t"
			 "vmovdqu (%0), %%ymm8\n\tvmovdqu (%0), %%ymm9\n\t"
			 "vmovdqu (%0), %%ymm10\n\tvmovdqu (%0), %%ymm11\n\t"
			 "vmovdqu (%0), %%ymm12\n\tvmovdqu (%0), %%ymm13\n\t"
			 "vmovdqu (%0), %%ymm14\n\tvmovdqu (%0), %%ymm15"
			 : : "r"(marker) : "memory");
}

int main(int argc, char **argv)
{
	unsigned int a, b, c, d;
	struct timespec now;
	unsigned long fills = 0;
	time_t end;
	int i;

	if (argc != 2)
		return 2;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_AVX) || !(c & bit_OSXSAVE)) {
		printf("ymm-marker: no AVX\n");
		return 2;
	}
	for (i = 0; i < 32; i++)
		marker[i] = 0xa5;
	clock_gettime(CLOCK_MONOTONIC, &now);
	end = now.tv_sec + atoi(argv[1]);
	while (now.tv_sec < end) {
		fill();
		fills++;
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &now);
	}
	printf("ymm-marker: %lu fills\n", fills);
	return 0;
}
