// SPDX-License-Identifier: GPL-2.0
/*
 * file-loop N DIR: N times, create a file in DIR, write 4 KiB to it, close
 * and unlink it; the cost of one cycle, in us.  DIR is a tmpfs of the
 * system measured (its own filesystem, not one it borrows from the host).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000, i;
	const char *dir = argc > 2 ? argv[2] : "/tmp";
	struct timespec a, b;
	char path[4096], buf[4096];
	int fd;

	memset(buf, 'f', sizeof(buf));
	snprintf(path, sizeof(path), "%s/file-loop.%d", dir, (int)getpid());
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, buf, sizeof(buf)) != sizeof(buf)) {
			perror(path);
			return 1;
		}
		close(fd);
		if (unlink(path)) {
			perror(path);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("bench: file_cycle %.1f us\n",
	       ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n / 1000);
	return 0;
}
