/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A disk behind a cobd: a raw image file (sparse is fine) or a host block
 * device or partition, by any path.  Opening one checks that it is safe to
 * give the guest: a mounted or exclusively held block device is refused
 * with the mount point named (read-only may look at it), and two VMs never
 * open one image read-write (an OFD lock, or O_EXCL on a block device).
 */
#ifndef COLINUX_DAEMON_DISK_H
#define COLINUX_DAEMON_DISK_H

#include <stdint.h>

struct disk {
	char name[16];		/* cobd0 */
	const char *path;
	int fd;
	int direct_fd;		/* the same file with O_DIRECT, or -1 */
	int read_only;
	int is_block_device;
	uint64_t size;		/* bytes the guest sees: whole sectors */
	uint32_t block_size;	/* the host's logical block size */
	int flush_failed;	/* a flush failed: later ones fail too */
};

int disk__open(struct disk *disk, const char *name, const char *path,
	       int read_only);
void disk__close(struct disk *disk);
int disk__discard(struct disk *disk, uint64_t offset, uint64_t len,
		  int zeroes);

#endif /* COLINUX_DAEMON_DISK_H */
