/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cross-file declarations of the Linux layer, grouped by the file that
 * defines them.
 */
#ifndef COLINUX_LINUX_H
#define COLINUX_LINUX_H

/* device.c */
int co_device_register(void);
void co_device_unregister(void);

#endif /* COLINUX_LINUX_H */
