// SPDX-License-Identifier: GPL-2.0
/* Hypercalls: "call *hypercall_va", number in rax, arguments in rdi, rsi,
 * rdx, rcx; everything but rax comes back unchanged.
 */
#include "guest.h"

long hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	long ret;

	__asm__ volatile("call *%[entry]"
			 : "=a"(ret)
			 : [entry] "m"(boot_info->hypercall_va), "a"(nr),
			   "D"(a0), "S"(a1), "d"(a2), "c"(a3)
			 : "memory", "cc");
	return ret;
}

void poweroff(uint64_t status)
{
	hypercall(CO_HC_POWEROFF, status, 0, 0, 0);
	for (;;)
		__asm__ volatile("hlt");
}
