// SPDX-License-Identifier: GPL-2.0
/*
 * The Linux implementation of the services the portable core asks for
 * (core/os.h).
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/tlbflush.h>

#include "../core/os.h"

void *co_os_alloc_pages(unsigned int order, __u64 *phys)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);

	if (!page)
		return NULL;
	*phys = page_to_phys(page);
	return page_address(page);
}

/*
 * Cleared before they go back: these pages held a guest's registers and
 * passage state, which must not reach the next user of the page (the
 * stale-ram test found the guest's data in two freed pages on the debug
 * test host).
 */
void co_os_free_pages(void *virt, unsigned int order)
{
	if (!virt)
		return;
	memset(virt, 0, PAGE_SIZE << order);
	__free_pages(virt_to_page(virt), order);
}

void *co_os_phys_to_virt(__u64 phys)
{
	return phys_to_virt(phys);
}

const __u64 *co_os_host_top_table(void)
{
	return __va(read_cr3_pa());
}

__u64 co_os_host_cr4(void)
{
	return __read_cr4();
}

/*
 * A vector the CPU delivered from the local APIC stays in its in-service
 * register until the host's handler sends EOI; a guest "int $n" sets
 * nothing there.  Only the spurious vector is delivered without it.
 */
int co_os_host_vector_state(unsigned int vector)
{
	u32 isr = apic_read(APIC_ISR + (vector / 32) * 0x10);

	if (isr & BIT(vector % 32))
		return CO_HOST_VECTOR_IN_SERVICE;
	if (vector == SPURIOUS_APIC_VECTOR)
		return CO_HOST_VECTOR_SPURIOUS;
	return CO_HOST_VECTOR_NONE;
}

/*
 * With IA32 emulation the host's IDT has its own int $0x80 gate and the
 * vector allocator never hands 0x80 to a device (system_vectors).
 */
int co_os_host_never_raises(unsigned int vector)
{
	return vector == IA32_SYSCALL_VECTOR && IS_ENABLED(CONFIG_IA32_EMULATION);
}

int co_os_machine_check_in_progress(void)
{
	u64 status;

	if (!boot_cpu_has(X86_FEATURE_MCE) ||
	    rdmsrl_safe(MSR_IA32_MCG_STATUS, &status))
		return 0;
	return !!(status & MCG_STATUS_MCIP);
}
