// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/colinux: the misc device the daemon talks to.
 *
 * The node is 0600 and open() also demands CAP_SYS_ADMIN: whoever holds the
 * device can run code in ring 0, so a relaxed node mode must not be enough.
 * Each open file holds one VM (vm.c); closing it destroys the VM, and the
 * file keeps the module pinned, so the module cannot go while a VM exists.
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
	struct co_host_vm *hv;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	hv = co_host_vm_alloc();
	if (!hv)
		return -ENOMEM;
	file->private_data = hv;
	return nonseekable_open(inode, file);
}

/* The last reference is gone, mappings included: free the whole VM. */
static int co_dev_release(struct inode *inode, struct file *file)
{
	co_host_vm_free(file->private_data);
	return 0;
}

static int co_dev_mmap(struct file *file, struct vm_area_struct *vma)
{
	return co_host_vm_mmap(file->private_data, vma);
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

	if (cmd == CO_IOC_VERSION)
		return co_ioctl_version(argp);
	return co_host_vm_ioctl(file->private_data, cmd, argp);
}

static const struct file_operations co_dev_fops = {
	.owner = THIS_MODULE,
	.open = co_dev_open,
	.release = co_dev_release,
	.mmap = co_dev_mmap,
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
