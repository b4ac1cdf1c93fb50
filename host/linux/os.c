// SPDX-License-Identifier: GPL-2.0
/*
 * The Linux implementation of the services the portable core asks for
 * (core/os.h).
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
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

void co_os_free_pages(void *virt, unsigned int order)
{
	if (virt)
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
