// SPDX-License-Identifier: GPL-2.0
/*
 * colinux.ko: runs a cooperative Linux guest in ring 0 beside the host.
 *
 * This file only loads and unloads the module.  The portable core
 * (host/core/) holds the world switch and the VM state; the rest of this
 * directory adapts it to Linux.
 */
#include <linux/module.h>

#include <colinux/abi.h>

#include "colinux.h"

static int __init co_init(void)
{
	int err = co_caps_init();

	if (err)
		return err;
	err = co_watchdog_init();
	if (err) {
		pr_err("colinux: cannot start the interrupts-off watchdog: %d\n", err);
		return err;
	}
	err = co_device_register();
	if (err) {
		pr_err("colinux: cannot register /dev/%s: %d\n", CO_DEVICE_NAME, err);
		co_watchdog_exit();
		return err;
	}
	pr_info("colinux: ready, ABI %u\n", CO_ABI_VERSION);
	return 0;
}

static void __exit co_exit(void)
{
	co_device_unregister();
	co_watchdog_exit();
}

module_init(co_init);
module_exit(co_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Cooperative Linux: a guest Linux kernel beside the host");
MODULE_VERSION(CO_RELEASE);
