// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's VM handle: creation through /dev/colinux, the two mappings
 * (run record and guest RAM), and translation of guest-physical addresses
 * into this process's view of guest RAM, always with a bounds check.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "control.h"
#include "util.h"
#include "vm.h"

static void explain_create_error(uint64_t ram_bytes)
{
	unsigned long long mib = ram_bytes >> 20;

	switch (errno) {
	case ENOMEM:
		pr_err("cannot get %llu MiB of guest RAM: the host has no %llu "
		       "MiB in physically contiguous, 128 MiB-aligned blocks. "
		       "Free host memory, choose a smaller mem=, or boot the "
		       "host with movablecore= so more memory can be moved",
		       mib, mib);
		break;
	case ENOSPC:
		pr_err("cannot get %llu MiB of guest RAM: free memory is too "
		       "scattered (more than %d separate pieces); choose a "
		       "smaller mem=", mib, CO_MAX_RAM_CHUNKS);
		break;
	case EADDRINUSE:
		pr_err("cannot create the VM: every top-level page-table slot "
		       "of the hypervisor hole (256-271) is in use on this host");
		break;
	case EINVAL:
		pr_err("cannot create the VM: mem= must be a multiple of 128 "
		       "MiB between %llu MiB and %llu MiB, and cpus= between 1 "
		       "and %d", CO_RAM_MIN >> 20, CO_RAM_MAX >> 20,
		       CO_MAX_VCPUS);
		break;
	default:
		pr_err("cannot create the VM: %s", strerror(errno));
	}
}

int vm__create(struct vm *vm, uint64_t ram_bytes, unsigned int nr_vcpus)
{
	struct co_vm_create req = { .ram_bytes = ram_bytes,
				    .nr_vcpus = nr_vcpus };
	unsigned int i;

	memset(vm, 0, sizeof(*vm));
	vm->ram = MAP_FAILED;
	vm->fd = control__open_checked(CO_DEVICE_PATH);
	if (vm->fd < 0)
		return -1;
	if (ioctl(vm->fd, CO_IOC_CREATE_VM, &req)) {
		explain_create_error(ram_bytes);
		goto err;
	}
	if (ioctl(vm->fd, CO_IOC_GET_INFO, &vm->info)) {
		pr_err("cannot read the VM's layout: %s", strerror(errno));
		goto err;
	}
	for (i = 0; i < nr_vcpus; i++) {
		void *run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
				 vm->fd, CO_MMAP_RUN(i));

		if (run == MAP_FAILED) {
			pr_err("cannot map vCPU %u's run record: %s", i,
			       strerror(errno));
			goto err;
		}
		vm->run[i] = run;
		vm->nr_vcpus = i + 1;
	}
	vm->ram = mmap(NULL, vm->info.ram_bytes, PROT_READ | PROT_WRITE,
		       MAP_SHARED, vm->fd, CO_MMAP_RAM_OFFSET);
	if (vm->ram == MAP_FAILED) {
		pr_err("cannot map the VM's RAM: %s", strerror(errno));
		goto err;
	}
	return 0;
err:
	vm__destroy(vm);
	return -1;
}

void vm__destroy(struct vm *vm)
{
	unsigned int i;

	if (vm->ram != MAP_FAILED)
		munmap(vm->ram, vm->info.ram_bytes);
	for (i = 0; i < vm->nr_vcpus; i++)
		munmap(vm->run[i], 4096);
	if (vm->fd >= 0)
		close(vm->fd);
	vm->ram = MAP_FAILED;
	vm->nr_vcpus = 0;
	vm->fd = -1;
}

/*
 * NULL unless [gpa, gpa + len) is all guest RAM.  A range may run from
 * one chunk into the next only when they touch: then the guest sees one
 * physically contiguous range, and the mapping has them back to back too.
 */
void *vm__gpa_to_host(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t base = 0, end = gpa + len;
	uint32_t i, j;

	if (end < gpa)
		return NULL;
	for (i = 0; i < vm->info.nr_ram_chunks; i++) {
		const struct co_ram_chunk *c = &vm->info.ram[i];
		uint64_t reach = c->gpa + c->size;

		if (gpa >= c->gpa && gpa < reach) {
			for (j = i + 1; end > reach && j < vm->info.nr_ram_chunks &&
			     vm->info.ram[j].gpa == reach; j++)
				reach += vm->info.ram[j].size;
			return end <= reach ? vm->ram + base + (gpa - c->gpa) : NULL;
		}
		base += c->size;
	}
	return NULL;
}

int vm__set_regs(struct vm *vm, const struct co_regs *regs)
{
	if (ioctl(vm->fd, CO_IOC_SET_REGS, regs)) {
		pr_err("the module refused the boot registers: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * 0 with vm->run[vcpu] filled in, or -1 with errno (EINTR: a signal came;
 * ESHUTDOWN: another vCPU ended the guest).
 */
int vm__run(struct vm *vm, unsigned int vcpu)
{
	return ioctl(vm->fd, CO_IOC_RUN, (unsigned long)vcpu) ? -1 : 0;
}

/* Device interrupts go to vCPU 0, the guest's first CPU. */
int vm__irq(struct vm *vm, unsigned int vector)
{
	struct co_irq req = { .vector = vector, .vcpu = 0 };

	return ioctl(vm->fd, CO_IOC_IRQ, &req) ? -1 : 0;
}

/* The guest's CO_HC_NOTIFY(device, queue) signals eventfd fd (-1: none). */
int vm__set_notify(struct vm *vm, unsigned int device, unsigned int queue,
		   int fd)
{
	struct co_notify req = { .device = device, .queue = queue, .fd = fd };

	return ioctl(vm->fd, CO_IOC_SET_NOTIFY, &req) ? -1 : 0;
}
