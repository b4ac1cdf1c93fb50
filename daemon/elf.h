/* SPDX-License-Identifier: GPL-2.0 */
/* Loading a 64-bit x86 kernel ELF (a vmlinux or a test guest) into guest RAM. */
#ifndef COLINUX_DAEMON_ELF_H
#define COLINUX_DAEMON_ELF_H

#include <stdint.h>

#include "vm.h"

#define ELF_MAX_HIGH_MAPS 8

struct kernel_image {
	uint64_t entry;			/* rip to start at */
	uint64_t load_start;		/* gpa range the image occupies */
	uint64_t load_end;
	unsigned int nr_maps;		/* kernel-half ranges to map */
	struct {
		uint64_t va, gpa, size;
	} map[ELF_MAX_HIGH_MAPS];
};

int elf__load(struct vm *vm, const char *path, uint64_t load_base,
	      struct kernel_image *img);
int elf__check_header(const unsigned char *data, uint64_t size, char *why,
		      unsigned long why_len);

#endif /* COLINUX_DAEMON_ELF_H */
