/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86-64 page tables built by the core: 4- or 5-level, 4 KiB leaves.
 *
 * The core builds small private trees (the passage mapping, the transition
 * table's top level) and never writes into a table it did not allocate,
 * except for the single top-level slot the caller names explicitly.
 */
#ifndef COLINUX_CORE_PGTABLE_H
#define COLINUX_CORE_PGTABLE_H

#include "types.h"

#define CO_PTE_PRESENT		(1ULL << 0)
#define CO_PTE_WRITE		(1ULL << 1)
#define CO_PTE_USER		(1ULL << 2)
#define CO_PTE_ACCESSED		(1ULL << 5)
#define CO_PTE_DIRTY		(1ULL << 6)
#define CO_PTE_LARGE		(1ULL << 7)
#define CO_PTE_GLOBAL		(1ULL << 8)
#define CO_PTE_NX		(1ULL << 63)
#define CO_PTE_ADDR_MASK	0x000ffffffffff000ULL

#define CO_PTRS_PER_TABLE	512

struct co_pgtable {
	unsigned int levels;	/* 4 or 5, fixed by the host's CR4.LA57 */
	__u64 *root;
	__u64 root_phys;
};

int co_pgtable_init(struct co_pgtable *pt, unsigned int levels);
void co_pgtable_destroy(struct co_pgtable *pt);

int co_pgtable_map(struct co_pgtable *pt, __u64 va, __u64 pa, __u64 size,
		   __u64 flags);
__u64 co_pgtable_lookup(const struct co_pgtable *pt, __u64 va);

unsigned int co_pgtable_index(unsigned int levels, unsigned int level,
			      __u64 va);
__u64 co_pgtable_slot_va(unsigned int levels, unsigned int slot);
bool co_va_is_canonical(unsigned int levels, __u64 va);

#endif /* COLINUX_CORE_PGTABLE_H */
