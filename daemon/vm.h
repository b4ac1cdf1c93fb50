/* SPDX-License-Identifier: GPL-2.0 */
/* A VM as the daemon holds it: the device fd, the run record, guest RAM. */
#ifndef COLINUX_DAEMON_VM_H
#define COLINUX_DAEMON_VM_H

#include <stddef.h>
#include <stdint.h>

#include <colinux/abi.h>

struct vm {
	int fd;
	struct co_vm_info info;
	unsigned int nr_vcpus;
	struct co_run *run[CO_MAX_VCPUS];	/* mmaps of the run records */
	uint8_t *ram;		/* mmap of all RAM chunks, back to back */
};

int vm__create(struct vm *vm, uint64_t ram_bytes, unsigned int nr_vcpus);
void vm__destroy(struct vm *vm);
void *vm__gpa_to_host(const struct vm *vm, uint64_t gpa, uint64_t len);
int vm__set_regs(struct vm *vm, const struct co_regs *regs);
int vm__run(struct vm *vm, unsigned int vcpu);
int vm__irq(struct vm *vm, unsigned int vector);
int vm__set_notify(struct vm *vm, unsigned int device, unsigned int queue,
		   int fd);

#endif /* COLINUX_DAEMON_VM_H */
