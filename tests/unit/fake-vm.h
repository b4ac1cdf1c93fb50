/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A daemon-side struct vm over process memory, for unit tests of code that
 * reads guest RAM: one chunk of size bytes at guest-physical gpa, no
 * /dev/colinux behind it.
 */
#ifndef COLINUX_TESTS_FAKE_VM_H
#define COLINUX_TESTS_FAKE_VM_H

#include <stdlib.h>
#include <string.h>

#include "../../daemon/vm.h"

static inline int fake_vm_init(struct vm *vm, uint64_t gpa, uint64_t size)
{
	memset(vm, 0, sizeof(*vm));
	vm->fd = -1;
	vm->ram = calloc(1, size);
	vm->info.nr_ram_chunks = 1;
	vm->info.ram[0].gpa = gpa;
	vm->info.ram[0].size = size;
	return vm->ram ? 0 : -1;
}

#endif
