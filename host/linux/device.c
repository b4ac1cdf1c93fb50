// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/colinux: the misc device the daemon talks to.
 *
 * The node is 0600 and open() also demands CAP_SYS_ADMIN: whoever holds the
 * device can run code in ring 0, so a relaxed node mode must not be enough.
 * Each ioctl copies its argument into a kernel structure and checks it
 * before anything else looks at it.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "../core/core.h"
#include "colinux.h"

static int co_dev_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return nonseekable_open(inode, file);
}

static long co_ioctl_version(void __user *argp)
{
	struct co_version version;

	co_core_version(&version);
	if (copy_to_user(argp, &version, sizeof(version)))
		return -EFAULT;
	return 0;
}

static long co_dev_ioctl(struct file *file, unsigned int cmd,
			 unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case CO_IOC_VERSION:
		return co_ioctl_version(argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations co_dev_fops = {
	.owner = THIS_MODULE,
	.open = co_dev_open,
	.unlocked_ioctl = co_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = no_llseek,
};

static struct miscdevice co_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = CO_DEVICE_NAME,
	.fops = &co_dev_fops,
	.mode = 0600,
};

int co_device_register(void)
{
	return misc_register(&co_miscdev);
}

void co_device_unregister(void)
{
	misc_deregister(&co_miscdev);
}
