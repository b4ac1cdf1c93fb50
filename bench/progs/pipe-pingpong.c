// SPDX-License-Identifier: GPL-2.0
/*
 * pipe-pingpong N: two processes pass one byte back and forth through two
 * pipes N times; the cost of one round trip (two writes, two reads, two
 * context switches), in ns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 20000, i;
	int ping[2], pong[2];
	struct timespec a, b;
	char c = 'x';
	pid_t pid;

	if (pipe(ping) || pipe(pong)) {
		perror("pipe-pingpong: pipe");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("pipe-pingpong: fork");
		return 1;
	}
	if (pid == 0) {
		/* Only the parent's end of ping may stay open: its close ends us. */
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) {
			perror("pipe-pingpong: round trip");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	close(ping[1]);
	waitpid(pid, NULL, 0);
	printf("bench: pipe_roundtrip %.0f ns\n",
	       ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}
