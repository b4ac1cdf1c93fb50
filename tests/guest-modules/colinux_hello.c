// SPDX-License-Identifier: GPL-2.0
/*
 * A module for the guest kernel (vm/linux-lockdown): it only says that it
 * was loaded.  The test loads it signed with the build's key, unsigned and
 * signed with a foreign key; a locked-down guest takes only the first.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init colinux_hello_init(void)
{
	pr_info("colinux_hello: loaded\n");
	return 0;
}

static void __exit colinux_hello_exit(void)
{
	pr_info("colinux_hello: unloaded\n");
}

module_init(colinux_hello_init);
module_exit(colinux_hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("colinux test: a module for the guest kernel's signature checks");
