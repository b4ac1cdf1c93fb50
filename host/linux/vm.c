// SPDX-License-Identifier: GPL-2.0
/*
 * One VM per open file of /dev/colinux: its ioctls, its mmap (the run
 * record and guest RAM) and its teardown.  Every ioctl argument is copied
 * in and checked before the core sees it.
 */
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/fpu/api.h>
#include <asm/tsc.h>

#include "colinux.h"

/*
 * Guest RAM is pinned kernel memory that the daemon asked for: count it as
 * the daemon's locked memory (RLIMIT_MEMLOCK, VmLck), as VFIO counts
 * pinned pages.  (Linux 6.1 exports nothing to charge such pages to a
 * memory cgroup.)  The release may run after the daemon's mm is gone from
 * current, so keep a reference to it.
 */
static int ram_account(struct co_host_vm *hv, u64 bytes)
{
	int err = account_locked_vm(current->mm, bytes >> PAGE_SHIFT, true);

	if (err)
		return err;
	mmgrab(current->mm);
	hv->mm = current->mm;
	hv->accounted_bytes = bytes;
	return 0;
}

static void ram_unaccount(struct co_host_vm *hv)
{
	if (!hv->mm)
		return;
	account_locked_vm(hv->mm, hv->accounted_bytes >> PAGE_SHIFT, false);
	mmdrop(hv->mm);
	hv->mm = NULL;
}

struct co_host_vm *co_host_vm_alloc(void)
{
	struct co_host_vm *hv = kzalloc(sizeof(*hv), GFP_KERNEL);

	if (!hv)
		return NULL;
	mutex_init(&hv->lock);
	return hv;
}

static void vcpu_free(struct co_host_vcpu *vc)
{
	if (!vc)
		return;
	if (!list_empty(&vc->watched))	/* vcpu_alloc() got that far */
		co_watchdog_remove(vc);
	hrtimer_cancel(&vc->timer);
	irq_work_sync(&vc->kick);
	/* A cross-CPU kick still in flight would point into freed memory. */
	smp_cond_load_acquire(&vc->kick_flags, !(VAL & BIT(CO_KICK_IN_FLIGHT)));
	/* The guest's exit details and FPU registers: cleared, as in os.c. */
	if (vc->run) {
		clear_page(vc->run);
		free_page((unsigned long)vc->run);
	}
	if (vc->fpu) {
		memset(vc->fpu, 0, PAGE_SIZE << vc->fpu_order);
		free_pages((unsigned long)vc->fpu, vc->fpu_order);
	}
	kfree_sensitive(vc);
}

static void vcpus_free(struct co_host_vm *hv)
{
	unsigned int i;

	for (i = 0; i < hv->nr_vcpus; i++) {
		vcpu_free(hv->vcpu[i]);
		hv->vcpu[i] = NULL;
	}
	hv->nr_vcpus = 0;
}

/* The timers and kicks go first: they point into the core's vCPUs. */
void co_host_vm_free(struct co_host_vm *hv)
{
	vcpus_free(hv);
	co_vm_destroy(hv->vm);
	co_notify_release(hv);
	co_ram_free(hv->ram, hv->nr_ram);
	ram_unaccount(hv);
	kfree(hv);
}

static int alloc_fpu_area(struct co_host_vcpu *vc)
{
	unsigned int eax, ebx, ecx, edx;

	/* EBX: the XSAVE area size for what the host's XCR0 enables. */
	cpuid_count(0xd, 0, &eax, &ebx, &ecx, &edx);
	vc->fpu_order = get_order(max(ebx, 4096U));
	vc->fpu = (void *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, vc->fpu_order);
	return vc->fpu ? 0 : -ENOMEM;
}

static struct co_host_vcpu *vcpu_alloc(struct co_host_vm *hv, unsigned int i)
{
	struct co_host_vcpu *vc = kzalloc(sizeof(*vc), GFP_KERNEL);

	if (!vc)
		return NULL;
	vc->hv = hv;
	vc->index = i;
	mutex_init(&vc->lock);
	init_waitqueue_head(&vc->wq);
	hrtimer_init(&vc->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	vc->timer.function = co_timer_expired;
	init_irq_work(&vc->kick, co_kick);
	INIT_CSD(&vc->kick_remote, co_kick_remote, vc);
	INIT_LIST_HEAD(&vc->watched);
	vc->run = (struct co_run *)get_zeroed_page(GFP_KERNEL);
	if (!vc->run || alloc_fpu_area(vc)) {
		vcpu_free(vc);
		return NULL;
	}
	co_watchdog_add(vc);
	return vc;
}

static int vcpus_alloc(struct co_host_vm *hv, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		hv->vcpu[i] = vcpu_alloc(hv, i);
		if (!hv->vcpu[i])
			return -ENOMEM;
		hv->nr_vcpus = i + 1;
	}
	return 0;
}

static long ioctl_create(struct co_host_vm *hv, void __user *argp)
{
	void *os_vcpu[CO_MAX_VCPUS];
	struct co_host_caps caps;
	struct co_vm_create req;
	struct co_vm *vm;
	unsigned int i;
	int err;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags || !req.nr_vcpus || req.nr_vcpus > CO_MAX_VCPUS ||
	    req.ram_bytes < CO_RAM_MIN ||
	    req.ram_bytes > CO_RAM_MAX || req.ram_bytes % CO_RAM_CHUNK_ALIGN)
		return -EINVAL;
	if (hv->vm)
		return -EEXIST;
	err = vcpus_alloc(hv, req.nr_vcpus);
	if (err)
		goto err_free;
	err = ram_account(hv, req.ram_bytes);
	if (err)
		goto err_free;
	err = co_ram_alloc(req.ram_bytes, hv->ram, &hv->nr_ram);
	if (err)
		goto err_free;
	hv->ram_bytes = req.ram_bytes;
	for (i = 0; i < hv->nr_vcpus; i++)
		os_vcpu[i] = hv->vcpu[i];
	/*
	 * The clocksource watchdog may have judged the TSC since the module
	 * loaded: ask again for each VM.
	 */
	caps = co_caps;
	caps.tsc_unstable = check_tsc_unstable();
	/* core/errno.h uses Linux's numbers: core errors pass through. */
	err = co_vm_create(&vm, &caps, hv, os_vcpu, hv->nr_vcpus, hv->ram,
			   hv->nr_ram);
	if (err)
		goto err_free_ram;
	for (i = 0; i < hv->nr_vcpus; i++)
		hv->vcpu[i]->vcpu = co_vm_vcpu(vm, i);
	/* Pairs with the acquires of RUN, IRQ and mmap, which take no lock. */
	smp_store_release(&hv->vm, vm);
	return 0;

err_free_ram:
	co_ram_free(hv->ram, hv->nr_ram);
	hv->nr_ram = 0;
	hv->ram_bytes = 0;
err_free:
	ram_unaccount(hv);
	vcpus_free(hv);
	return err;
}

static long ioctl_info(struct co_host_vm *hv, void __user *argp)
{
	struct co_vm_info *info;
	long ret = 0;

	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	co_vm_info(hv->vm, info);
	if (copy_to_user(argp, info, sizeof(*info)))
		ret = -EFAULT;
	kfree(info);
	return ret;
}

/* vCPU 0's: its RUN must not be entering meanwhile. */
static long ioctl_set_regs(struct co_host_vm *hv, void __user *argp)
{
	struct co_host_vcpu *vc = hv->vcpu[0];
	struct co_regs regs;
	long ret;

	if (copy_from_user(&regs, argp, sizeof(regs)))
		return -EFAULT;
	if (mutex_lock_interruptible(&vc->lock))
		return -EINTR;
	ret = co_vm_set_regs(hv->vm, &regs);
	mutex_unlock(&vc->lock);
	return ret;
}

static long ioctl_irq(struct co_host_vm *hv, void __user *argp)
{
	struct co_irq req;
	int err;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	err = co_vm_raise(hv->vm, req.vcpu, req.vector);
	if (!err)
		co_wake(hv->vcpu[array_index_nospec(req.vcpu, hv->nr_vcpus)]);
	return err;
}

/* The vCPU's thread: one at a time per vCPU, and no setup lock. */
static long ioctl_run(struct co_host_vm *hv, unsigned long index)
{
	struct co_host_vcpu *vc;
	long ret;

	if (index >= hv->nr_vcpus)
		return -EINVAL;
	vc = hv->vcpu[array_index_nospec(index, hv->nr_vcpus)];
	if (mutex_lock_interruptible(&vc->lock))
		return -EINTR;
	/* The guest starts the others; vCPU 0 only SET_REGS does. */
	if (!index && !co_vcpu_may_enter(vc->vcpu))
		ret = -EINVAL;
	else
		ret = co_run(vc);
	mutex_unlock(&vc->lock);
	return ret;
}

long co_host_vm_ioctl(struct co_host_vm *hv, unsigned int cmd,
		      void __user *argp)
{
	long ret;

	switch (cmd) {
	case CO_IOC_CREATE_VM:
	case CO_IOC_GET_INFO:
	case CO_IOC_SET_REGS:
	case CO_IOC_SET_NOTIFY:
		break;
	case CO_IOC_IRQ:
		/* Any thread, any time: pairs with ioctl_create()'s release. */
		return smp_load_acquire(&hv->vm) ? ioctl_irq(hv, argp) : -ENXIO;
	case CO_IOC_RUN:
		/* The vCPUs' threads, without the setup lock: the same pairing. */
		return smp_load_acquire(&hv->vm) ?
		       ioctl_run(hv, (unsigned long)argp) : -ENXIO;
	default:
		return -ENOTTY;
	}
	if (mutex_lock_interruptible(&hv->lock))
		return -EINTR;
	if (cmd != CO_IOC_CREATE_VM && !hv->vm) {
		ret = -ENXIO;
		goto out;
	}
	switch (cmd) {
	case CO_IOC_CREATE_VM:
		ret = ioctl_create(hv, argp);
		break;
	case CO_IOC_GET_INFO:
		ret = ioctl_info(hv, argp);
		break;
	case CO_IOC_SET_REGS:
		ret = ioctl_set_regs(hv, argp);
		break;
	default:	/* CO_IOC_SET_NOTIFY */
		ret = co_notify_ioctl(hv, argp);
	}
out:
	mutex_unlock(&hv->lock);
	return ret;
}

/* The page of guest RAM at byte off of the chunks laid back to back. */
static struct page *ram_page(struct co_host_vm *hv, u64 off)
{
	unsigned int i;

	for (i = 0; i < hv->nr_ram; i++) {
		if (off < hv->ram[i].size)
			return pfn_to_page(PHYS_PFN(hv->ram[i].gpa + off));
		off -= hv->ram[i].size;
	}
	return NULL;
}

/*
 * Guest RAM is mapped page by page as it is touched, with its struct
 * pages (as UIO maps logical memory), not as a PFN map: so the daemon can
 * do O_DIRECT I/O into guest buffers, which needs to pin their pages.
 */
static vm_fault_t ram_fault(struct vm_fault *vmf)
{
	struct co_host_vm *hv = vmf->vma->vm_private_data;
	u64 off = ((u64)vmf->pgoff << PAGE_SHIFT) - CO_MMAP_RAM_OFFSET;
	struct page *page = off < hv->ram_bytes ? ram_page(hv, off) : NULL;

	if (!page)
		return VM_FAULT_SIGBUS;
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct ram_vm_ops = {
	.fault = ram_fault,
};

static int map_ram(struct co_host_vm *hv, struct vm_area_struct *vma, u64 off)
{
	unsigned long len = vma->vm_end - vma->vm_start;

	if (off > hv->ram_bytes || len > hv->ram_bytes - off)
		return -EINVAL;
	/* Not in core dumps, not in children, never grown by mremap. */
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP | VM_DONTCOPY;
	vma->vm_private_data = hv;
	vma->vm_ops = &ram_vm_ops;
	return 0;
}

int co_host_vm_mmap(struct co_host_vm *hv, struct vm_area_struct *vma)
{
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	unsigned long len = vma->vm_end - vma->vm_start;

	/* The VM is set up completely before it is published. */
	if (!smp_load_acquire(&hv->vm))
		return -ENXIO;
	/* A private mapping would copy on write, away from the guest. */
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (off < CO_MMAP_RAM_OFFSET) {
		u64 index = (off - CO_MMAP_RUN_OFFSET) / PAGE_SIZE;

		if (len != PAGE_SIZE || index >= hv->nr_vcpus)
			return -EINVAL;
		index = array_index_nospec(index, hv->nr_vcpus);
		return remap_pfn_range(vma, vma->vm_start,
				       page_to_pfn(virt_to_page(hv->vcpu[index]->run)),
				       PAGE_SIZE, vma->vm_page_prot);
	}
	if (off >= CO_MMAP_RAM_OFFSET)
		return map_ram(hv, vma, off - CO_MMAP_RAM_OFFSET);
	return -EINVAL;
}
