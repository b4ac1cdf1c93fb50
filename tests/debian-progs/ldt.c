// SPDX-License-Identifier: GPL-2.0
/*
 * modify_ldt in the guest (vm/debian-boot): installs an LDT data segment
 * whose base is a variable of this program, reads it back with
 * modify_ldt(0), and reads the variable through %gs loaded with the LDT
 * selector: only a CPU that really uses the guest's LDT returns the value.
 */
#include <asm/ldt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile uint32_t target = 0xc011ab5e;

int main(void)
{
	struct user_desc desc = {
		.entry_number = 3,
		.base_addr = (unsigned int)(uintptr_t)&target,
		.limit = 0xfff,
		.seg_32bit = 1,
		.contents = 0,		/* data */
		.useable = 1,
	};
	unsigned char table[LDT_ENTRIES * LDT_ENTRY_SIZE];
	unsigned short selector = (3 << 3) | 4 | 3;	/* entry 3, LDT, ring 3 */
	uint32_t through_gs;
	long n;

	if ((uintptr_t)&target >> 32) {
		printf("ldt: the variable is above 4 GiB; build with -static -no-pie\n");
		return 1;
	}
	if (syscall(SYS_modify_ldt, 1, &desc, sizeof(desc))) {
		perror("ldt: modify_ldt(1)");
		return 1;
	}
	memset(table, 0, sizeof(table));
	n = syscall(SYS_modify_ldt, 0, table, sizeof(table));
	if (n < 4 * LDT_ENTRY_SIZE) {
		printf("ldt: modify_ldt(0) returned %ld bytes\n", n);
		return 1;
	}
	asm volatile("mov %1, %%gs\n\tmovl %%gs:0, %0\n\tmov %2, %%gs"
		     : "=r"(through_gs) : "r"(selector), "r"(0) : "memory");
	printf("ldt: %ld bytes of LDT, %%gs:0 reads %#x\n", n, through_gs);
	return through_gs == target ? 0 : 1;
}
