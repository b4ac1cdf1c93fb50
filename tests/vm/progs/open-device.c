// SPDX-License-Identifier: GPL-2.0
/* open-device PATH: open a device read-write and report errno. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: open-device PATH\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		printf("open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("open %s: ok\n", argv[1]);
	close(fd);
	return 0;
}
