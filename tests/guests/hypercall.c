// SPDX-License-Identifier: GPL-2.0
/* Hypercalls: "call *entry", number in rax, arguments in rdi, rsi, rdx,
 * rcx; everything but rax comes back unchanged.  Each vCPU has its own
 * entry (guest.h says how a CPU finds its own).
 */
#include "guest.h"

/* The stacks secondary CPUs start on (CO_HC_VCPU_UP's rsp): see this_cpu(). */
char ap_stacks[NR_GUEST_CPUS - 1][AP_STACK_SIZE] __attribute__((aligned(16)));

/* The CPU we run on, by our stack: vCPU i > 0 runs on ap_stacks[i - 1]. */
unsigned int this_cpu(void)
{
	uint64_t sp, base = (uint64_t)ap_stacks;

	__asm__ volatile("movq %%rsp, %0" : "=r"(sp));
	if (sp - base < sizeof(ap_stacks))
		return 1 + (unsigned int)((sp - base) / AP_STACK_SIZE);
	return 0;
}

long hypercall_on(unsigned int cpu, uint64_t nr, uint64_t a0, uint64_t a1,
		  uint64_t a2, uint64_t a3)
{
	uint64_t entry = boot_info->hypercall_va + cpu * CO_VCPU_PASSAGE_STRIDE;
	long ret;

	__asm__ volatile("call *%[entry]"
			 : "=a"(ret)
			 : [entry] "r"(entry), "a"(nr),
			   "D"(a0), "S"(a1), "d"(a2), "c"(a3)
			 : "memory", "cc");
	return ret;
}

long hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return hypercall_on(this_cpu(), nr, a0, a1, a2, a3);
}

void poweroff(uint64_t status)
{
	hypercall(CO_HC_POWEROFF, status, 0, 0, 0);
	for (;;)
		__asm__ volatile("hlt");
}
