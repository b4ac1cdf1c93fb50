/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cobd: a block device for the guest, a virtio-blk device over a disk
 * (disk.c), served with io_uring on a thread of its own.
 */
#ifndef COLINUX_DAEMON_COBD_H
#define COLINUX_DAEMON_COBD_H

#include "devices.h"
#include "disk.h"

#define CO_MAX_COBD 32		/* cobd0 .. cobd31 */

struct cobd;

struct cobd *cobd__new(struct disk *disk, unsigned int unit);
void cobd__free(struct cobd *cobd);
struct guest_device *cobd__add(struct device_table *table, struct cobd *cobd);

#endif /* COLINUX_DAEMON_COBD_H */
