// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately broken module for the harness self-test: it WARNs on load,
 * and the VM test that loads it must be reported as failed.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init warn_on_load_init(void)
{
	WARN(1, "colinux harness self-test: deliberate warning on load\n");
	return 0;
}

static void __exit warn_on_load_exit(void)
{
}

module_init(warn_on_load_init);
module_exit(warn_on_load_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Harness self-test: WARNs on load");
