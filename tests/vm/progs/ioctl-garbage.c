// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl-garbage DEVICE: throw malformed requests at /dev/colinux and check
 * that each one gets the documented error.  Exits 1 on any surprise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <colinux/abi.h>

static int failures;

static void expect_errno(int fd, unsigned long cmd, void *arg, int want,
			 const char *what)
{
	errno = 0;
	if (ioctl(fd, cmd, arg) == 0 || errno != want) {
		printf("FAIL %s: got %s, want %s\n", what,
		       errno ? strerror(errno) : "success", strerror(want));
		failures++;
	}
}

int main(int argc, char **argv)
{
	struct co_version version;
	unsigned long cmd;
	int fd, i;

	if (argc != 2)
		return 2;
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	expect_errno(fd, CO_IOC(CO_IOC_READ, 0x7f, 8), &version, ENOTTY,
		     "unknown ioctl number");
	expect_errno(fd, 0x5401 /* TCGETS */, &version, ENOTTY, "tty ioctl");
	expect_errno(fd, CO_IOC_VERSION, NULL, EFAULT, "version into NULL");
	expect_errno(fd, CO_IOC_VERSION, (void *)0xffff800000000000UL, EFAULT,
		     "version into a kernel address");
	srandom(1);
	for (i = 0; i < 100000; i++) {
		cmd = ((unsigned long)random() << 1) ^ random();
		if (cmd == CO_IOC_VERSION)
			continue;
		ioctl(fd, cmd, (void *)(((unsigned long)random() << 32) | random()));
	}
	if (ioctl(fd, CO_IOC_VERSION, &version) || version.abi_version != CO_ABI_VERSION) {
		printf("FAIL the device stopped answering after random ioctls\n");
		failures++;
	}
	close(fd);
	printf("%s: %d failures\n", argv[0], failures);
	return failures ? 1 : 0;
}
