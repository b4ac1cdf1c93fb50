// SPDX-License-Identifier: GPL-2.0
/* getpid-loop N: the host's cost of a getpid() system call, in ns. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000, i;
	struct timespec a, b;
	double ns;

	for (i = 0; i < 1000; i++)
		syscall(SYS_getpid);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		syscall(SYS_getpid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	ns = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
	printf("bench: getpid %.0f ns\n", ns);
	return 0;
}
