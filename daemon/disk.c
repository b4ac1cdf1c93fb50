// SPDX-License-Identifier: GPL-2.0
/*
 * Opening the disk behind a cobd (disk.h), with the checks that keep the
 * host's own data safe.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/fs.h>

#include "disk.h"
#include "util.h"

/* Where device dev is mounted, from /proc/self/mountinfo; 0 if nowhere. */
static int mount_point(dev_t dev, char *where, size_t size)
{
	char line[4096], want[32];
	FILE *f = fopen("/proc/self/mountinfo", "re");
	int found = 0;

	if (!f)
		return 0;
	snprintf(want, sizeof(want), "%u:%u", major(dev), minor(dev));
	while (!found && fgets(line, sizeof(line), f)) {
		char id[32], point[PATH_MAX];
		unsigned int mnt, parent;

		/* "36 35 98:0 /root /mnt/point options ..." */
		if (sscanf(line, "%u %u %31s %*s %4095s", &mnt, &parent, id,
			   point) == 4 && !strcmp(id, want)) {
			snprintf(where, size, "%s", point);
			found = 1;
		}
	}
	fclose(f);
	return found;
}

/* Where a partition of whole disk dev is mounted; 0 if none is. */
static int partition_mount_point(dev_t dev, char *where, size_t size)
{
	char dir[64], file[PATH_MAX];
	struct dirent *e;
	int found = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/dev/block/%u:%u", major(dev), minor(dev));
	d = opendir(dir);
	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		unsigned int maj, min;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s/partition", dir, e->d_name);
		if (access(file, F_OK))
			continue;
		snprintf(file, sizeof(file), "%s/%s/dev", dir, e->d_name);
		f = fopen(file, "re");
		if (!f)
			continue;
		if (fscanf(f, "%u:%u", &maj, &min) == 2 &&
		    mount_point(makedev(maj, min), where, size))
			found = 1;
		fclose(f);
	}
	closedir(d);
	return found;
}

/*
 * Why a block device cannot be opened exclusively: it or (for a whole
 * disk) one of its partitions is mounted, or something else holds it.
 */
static void explain_busy(const struct disk *disk, dev_t dev)
{
	char where[PATH_MAX];

	if (mount_point(dev, where, sizeof(where)))
		pr_err("%s: %s is mounted on %s: unmount it first, or add ,ro "
		       "to look at it read-only", disk->name, disk->path, where);
	else if (partition_mount_point(dev, where, sizeof(where)))
		pr_err("%s: %s has a partition mounted on %s: unmount it first, "
		       "or add ,ro to look at it read-only", disk->name,
		       disk->path, where);
	else
		pr_err("%s: %s is in use: another program (another VM?) holds it "
		       "exclusively; add ,ro to look at it read-only", disk->name,
		       disk->path);
}

static int open_block_device(struct disk *disk, const struct stat *st)
{
	uint64_t bytes;
	int ro = 0, bs = 512;

	/* O_EXCL: the kernel's own claim, which mounts and other VMs share. */
	disk->fd = open(disk->path, (disk->read_only ? O_RDONLY : O_RDWR | O_EXCL) |
			O_CLOEXEC);
	if (disk->fd < 0) {
		if (errno == EBUSY)
			explain_busy(disk, st->st_rdev);
		else
			pr_err("%s: cannot open %s: %s", disk->name, disk->path,
			       strerror(errno));
		return -1;
	}
	if (ioctl(disk->fd, BLKGETSIZE64, &bytes) || ioctl(disk->fd, BLKSSZGET, &bs)) {
		pr_err("%s: cannot size %s: %s", disk->name, disk->path,
		       strerror(errno));
		return -1;
	}
	if (!disk->read_only && !ioctl(disk->fd, BLKROGET, &ro) && ro) {
		pr_err("%s: %s is read-only on the host: add ,ro", disk->name,
		       disk->path);
		return -1;
	}
	disk->is_block_device = 1;
	disk->size = bytes;
	disk->block_size = (uint32_t)bs;
	return 0;
}

static int open_image(struct disk *disk)
{
	struct flock lock = {
		.l_whence = SEEK_SET,	/* the whole file */
	};
	struct stat st;

	disk->fd = open(disk->path, (disk->read_only ? O_RDONLY : O_RDWR) |
			O_CLOEXEC);
	if (disk->fd < 0 || fstat(disk->fd, &st)) {
		pr_err("%s: cannot open %s: %s", disk->name, disk->path,
		       strerror(errno));
		return -1;
	}
	/*
	 * Writers exclude everyone, readers exclude writers; an open file
	 * description's lock lasts until its last close, whatever the process
	 * does with other descriptors of the file.
	 */
	lock.l_type = disk->read_only ? F_RDLCK : F_WRLCK;
	if (fcntl(disk->fd, F_OFD_SETLK, &lock)) {
		if (errno == EAGAIN || errno == EACCES)
			pr_err("%s: %s is in use by another VM (it holds a lock "
			       "on it)%s", disk->name, disk->path,
			       disk->read_only ? "" : "; add ,ro to share it read-only "
			       "with other readers");
		else
			pr_err("%s: cannot lock %s: %s", disk->name, disk->path,
			       strerror(errno));
		return -1;
	}
	disk->size = (uint64_t)st.st_size;
	disk->block_size = 512;
	return 0;
}

/*
 * A second descriptor of the same open file with O_DIRECT, for the
 * requests whose buffers and offsets are aligned.  Not every file can
 * (tmpfs cannot): then every request is buffered.
 */
static void open_direct(struct disk *disk)
{
	char self[64];

	snprintf(self, sizeof(self), "/proc/self/fd/%d", disk->fd);
	disk->direct_fd = open(self, (disk->read_only ? O_RDONLY : O_RDWR) |
			       O_DIRECT | O_CLOEXEC);
}

int disk__open(struct disk *disk, const char *name, const char *path,
	       int read_only)
{
	struct stat st;
	int err;

	memset(disk, 0, sizeof(*disk));
	snprintf(disk->name, sizeof(disk->name), "%s", name);
	disk->path = path;
	disk->read_only = read_only;
	disk->fd = -1;
	disk->direct_fd = -1;
	if (stat(path, &st)) {
		pr_err("%s: %s: %s", name, path, strerror(errno));
		return -1;
	}
	if (S_ISBLK(st.st_mode)) {
		err = open_block_device(disk, &st);
	} else if (S_ISREG(st.st_mode)) {
		err = open_image(disk);
	} else {
		pr_err("%s: %s is neither a disk image file nor a block device",
		       name, path);
		return -1;
	}
	if (!err && disk->size < 512) {
		pr_err("%s: %s is empty (%llu bytes): a disk has at least one "
		       "512-byte sector", name, path, (unsigned long long)disk->size);
		err = -1;
	}
	disk->size &= ~511ULL;
	if (err) {
		disk__close(disk);
		return err;
	}
	open_direct(disk);
	return 0;
}

void disk__close(struct disk *disk)
{
	if (disk->direct_fd >= 0)
		close(disk->direct_fd);
	if (disk->fd >= 0)
		close(disk->fd);
	disk->fd = -1;
	disk->direct_fd = -1;
}

/*
 * Discard (a hole) or write zeroes on a block device, synchronously: 0 or
 * a negative errno.  Files go through io_uring's fallocate instead.
 */
int disk__discard(struct disk *disk, uint64_t offset, uint64_t len, int zeroes)
{
	uint64_t range[2] = { offset, len };

	if (ioctl(disk->fd, zeroes ? BLKZEROOUT : BLKDISCARD, range))
		return -errno;
	return 0;
}
