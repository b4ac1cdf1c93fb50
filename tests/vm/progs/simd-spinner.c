// SPDX-License-Identifier: GPL-2.0
/*
 * simd-spinner SECONDS: keep a pattern in xmm0-15 and check it for SECONDS
 * while sharing a CPU with a guest.  xmm registers are caller-saved, so the
 * fill and every check happen inside one asm block that calls nothing; C
 * only runs between blocks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint8_t pattern[256] __attribute__((aligned(16)));
static uint8_t seen[256] __attribute__((aligned(16)));

/* Fill xmm0-15 from pattern, then check them `rounds` times. */
static unsigned long check_block(unsigned long rounds)
{
	unsigned long bad;

	__asm__ volatile(
		"movdqu 0(%[p]), %%xmm0\n\tmovdqu 16(%[p]), %%xmm1\n\t"
		"movdqu 32(%[p]), %%xmm2\n\tmovdqu 48(%[p]), %%xmm3\n\t"
		"movdqu 64(%[p]), %%xmm4\n\tmovdqu 80(%[p]), %%xmm5\n\t"
		"movdqu 96(%[p]), %%xmm6\n\tmovdqu 112(%[p]), %%xmm7\n\t"
		"movdqu 128(%[p]), %%xmm8\n\tmovdqu 144(%[p]), %%xmm9\n\t"
		"movdqu 160(%[p]), %%xmm10\n\tmovdqu 176(%[p]), %%xmm11\n\t"
		"movdqu 192(%[p]), %%xmm12\n\tmovdqu 208(%[p]), %%xmm13\n\t"
		"movdqu 224(%[p]), %%xmm14\n\tmovdqu 240(%[p]), %%xmm15\n\t"
		"xorl %k[bad], %k[bad]\n"
		"1:\n\t"
		"movdqu %%xmm0, 0(%[s])\n\tmovdqu %%xmm1, 16(%[s])\n\t"
		"movdqu %%xmm2, 32(%[s])\n\tmovdqu %%xmm3, 48(%[s])\n\t"
		"movdqu %%xmm4, 64(%[s])\n\tmovdqu %%xmm5, 80(%[s])\n\t"
		"movdqu %%xmm6, 96(%[s])\n\tmovdqu %%xmm7, 112(%[s])\n\t"
		"movdqu %%xmm8, 128(%[s])\n\tmovdqu %%xmm9, 144(%[s])\n\t"
		"movdqu %%xmm10, 160(%[s])\n\tmovdqu %%xmm11, 176(%[s])\n\t"
		"movdqu %%xmm12, 192(%[s])\n\tmovdqu %%xmm13, 208(%[s])\n\t"
		"movdqu %%xmm14, 224(%[s])\n\tmovdqu %%xmm15, 240(%[s])\n\t"
		"xorl %%ecx, %%ecx\n"
		"2:\n\t"
		"movq (%[s],%%rcx,8), %%rax\n\t"
		"cmpq (%[p],%%rcx,8), %%rax\n\t"
		"je 3f\n\t"
		"incq %[bad]\n"
		"3:\n\t"
		"incl %%ecx\n\t"
		"cmpl $32, %%ecx\n\t"
		"jne 2b\n\t"
		"decq %[n]\n\t"
		"jnz 1b"
		: [bad] "=&r"(bad), [n] "+r"(rounds)
		: [p] "r"(pattern), [s] "r"(seen)
		: "rax", "rcx", "memory", "cc");
	return bad;
}

int main(int argc, char **argv)
{
	unsigned long blocks = 0, bad = 0;
	struct timespec now;
	time_t end;
	int i;

	if (argc != 2)
		return 2;
	for (i = 0; i < 256; i++)
		pattern[i] = (uint8_t)(0x3c + i * 13);
	clock_gettime(CLOCK_MONOTONIC, &now);
	end = now.tv_sec + atoi(argv[1]);
	while (!bad && now.tv_sec < end) {
		bad += check_block(200000);
		blocks++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	}
	printf("simd-spinner: %lu checks, %lu bad\n", blocks * 200000, bad);
	return bad ? 1 : 0;
}
