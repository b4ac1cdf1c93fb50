/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the portable core needs from the host operating system.
 *
 * Each OS layer (host/linux/ today) implements these; the userspace unit
 * tests implement them over malloc.  Nothing here may sleep unless it says
 * so, and nothing here is called with the guest's state loaded.
 */
#ifndef COLINUX_CORE_OS_H
#define COLINUX_CORE_OS_H

#include <colinux/abi.h>

/*
 * Allocate 2^order zeroed, physically contiguous pages, aligned to their
 * size.  Returns the kernel virtual address and stores the physical one.
 * May sleep.  NULL when out of memory.
 */
void *co_os_alloc_pages(unsigned int order, __u64 *phys);
void co_os_free_pages(void *virt, unsigned int order);

/* Virtual address of a page returned by co_os_alloc_pages(), by physical. */
void *co_os_phys_to_virt(__u64 phys);

#endif /* COLINUX_CORE_OS_H */
