// SPDX-License-Identifier: GPL-2.0
/* forkexec-loop N: the cost of fork + exec of busybox true + wait, in us. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200, i;
	const char *busybox = argc > 2 ? argv[2] : "/bin/busybox";
	struct timespec a, b;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid == 0) {
			execl(busybox, "true", (char *)NULL);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("bench: forkexec %.1f us\n",
	       ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n / 1000);
	return 0;
}
