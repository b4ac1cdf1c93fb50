// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative Linux: the names coLinux users give their disks.
 *
 * The daemon's cobdN disks are virtio-blk devices on the cooperative
 * transport, which virtio_blk names vda, vdb, ... in the order the device
 * table lists them (coop_virtio_init() registers them in that order).
 * coLinux users wrote "root=/dev/cobd0": before the command line is
 * parsed, such a root= becomes the vdX the disk with that unit will get.
 */
#include <linux/init.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/virtio_ids.h>
#include <asm/setup.h>

#include "coop.h"

static bool __init coop_is_disk(const struct co_device_desc *d)
{
	return d->type == CO_DEV_VIRTIO && d->virtio_id == VIRTIO_ID_BLOCK;
}

/* virtio_blk's name for its index-th disk: vda .. vdz, vdaa, ... */
static void __init coop_vd_name(unsigned int index, char *buf, size_t size)
{
	char rev[8];
	int n = 0;
	long i = index;

	do {
		rev[n++] = 'a' + i % 26;
		i = i / 26 - 1;
	} while (i >= 0 && n < (int)sizeof(rev));
	snprintf(buf, size, "vd");
	while (n-- && strlen(buf) + 1 < size)
		strncat(buf, &rev[n], 1);
}

/* The vdX name of cobd unit; false if the daemon gave no such disk. */
static bool __init coop_cobd_name(unsigned int unit, char *buf, size_t size)
{
	unsigned int i, index = 0;

	for (i = 0; i < coop_info.nr_devices && i < CO_MAX_DEVICES; i++) {
		const struct co_device_desc *d = &coop_info.devices[i];

		if (!coop_is_disk(d))
			continue;
		if (d->unit == unit) {
			coop_vd_name(index, buf, size);
			return true;
		}
		index++;
	}
	return false;
}

static char coop_cmdline[COMMAND_LINE_SIZE] __initdata;

/* "root=/dev/cobdN" (or "root=cobdN") becomes "root=/dev/vdX". */
void __init coop_rewrite_root(void)
{
	char *word = strstr(boot_command_line, "root=");
	const char *tail, *p;
	char name[16];
	unsigned int unit = 0;

	while (word && word != boot_command_line && word[-1] != ' ')
		word = strstr(word + 1, "root=");
	if (!word)
		return;
	p = word + 5;
	if (!strncmp(p, "/dev/", 5))
		p += 5;
	if (strncmp(p, "cobd", 4) || !isdigit(p[4]))
		return;
	for (tail = p + 4; isdigit(*tail); tail++)
		unit = unit * 10 + (*tail - '0');
	if ((*tail && *tail != ' ') || unit > 99)
		return;
	if (!coop_cobd_name(unit, name, sizeof(name))) {
		pr_warn("colinux: root=cobd%u, but there is no cobd%u\n", unit, unit);
		return;
	}
	snprintf(coop_cmdline, sizeof(coop_cmdline), "%.*sroot=/dev/%s%s",
		 (int)(word - boot_command_line), boot_command_line, name, tail);
	strscpy(boot_command_line, coop_cmdline, COMMAND_LINE_SIZE);
	pr_info("colinux: root=cobd%u is /dev/%s\n", unit, name);
}
