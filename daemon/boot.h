/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state a guest boots in: boot_params, boot information, page tables,
 * the initrd and the registers.
 */
#ifndef COLINUX_DAEMON_BOOT_H
#define COLINUX_DAEMON_BOOT_H

#include <stdint.h>

#include "devices.h"
#include "elf.h"
#include "vm.h"

#define BOOT_AREA_SIZE (1ULL << 20)	/* at the top of guest RAM */

struct boot_layout {
	uint64_t area;			/* gpa of the boot area */
	uint64_t devices;		/* gpa of the devices' pages, below it */
	uint64_t params;		/* struct boot_params: rsi at entry */
	uint64_t info;			/* struct co_boot_info */
	uint64_t cmdline;
	uint64_t top_table;		/* the boot CR3 */
	uint64_t stack_top;
	uint64_t initrd, initrd_size;	/* 0, 0 without an initrd */
};

int boot__prepare(struct vm *vm, const struct kernel_image *img,
		  const char *cmdline, const char *initrd,
		  struct device_table *devices, struct boot_layout *out);
int boot__set_regs(struct vm *vm, const struct kernel_image *img,
		   const struct boot_layout *layout);

#endif /* COLINUX_DAEMON_BOOT_H */
