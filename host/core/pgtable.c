// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64 page-table construction for the core's private trees.
 *
 * Levels are numbered as the hardware walks them: level 1 is the page table
 * (4 KiB leaves), level 4 the PML4 and level 5 the PML5.  Intermediate
 * entries are present, writable and executable; the leaf alone decides
 * write and execute permission.  Nothing built here is ever global or user
 * accessible: global entries would survive the CR3 switch (see
 * docs/world-switch.md), user ones would break SMEP/SMAP.
 */
#include "errno.h"
#include "os.h"
#include "pgtable.h"

#define TABLE_ENTRY_FLAGS (CO_PTE_PRESENT | CO_PTE_WRITE | CO_PTE_ACCESSED)
#define LEAF_ALLOWED_FLAGS (CO_PTE_WRITE | CO_PTE_NX)

static unsigned int level_shift(unsigned int level)
{
	return CO_PAGE_SHIFT + 9 * (level - 1);
}

unsigned int co_pgtable_index(unsigned int levels, unsigned int level,
			      __u64 va)
{
	(void)levels;
	return (va >> level_shift(level)) & (CO_PTRS_PER_TABLE - 1);
}

/* The lowest virtual address that a top-level slot translates. */
__u64 co_pgtable_slot_va(unsigned int levels, unsigned int slot)
{
	unsigned int top_bits = level_shift(levels) + 9;
	__u64 va = (__u64)slot << level_shift(levels);

	if (va & (1ULL << (top_bits - 1)))
		va |= ~0ULL << top_bits;
	return va;
}

bool co_va_is_canonical(unsigned int levels, __u64 va)
{
	unsigned int bits = level_shift(levels) + 9;
	__s64 sva = (__s64)(va << (64 - bits));

	return (__u64)(sva >> (64 - bits)) == va;
}

int co_pgtable_init(struct co_pgtable *pt, unsigned int levels)
{
	if (levels != 4 && levels != 5)
		return -CO_EINVAL;
	pt->levels = levels;
	pt->root = co_os_alloc_pages(0, &pt->root_phys);
	return pt->root ? 0 : -CO_ENOMEM;
}

static void free_table(__u64 *table, unsigned int level)
{
	unsigned int i;

	if (level > 1) {
		for (i = 0; i < CO_PTRS_PER_TABLE; i++) {
			__u64 e = table[i];

			if ((e & CO_PTE_PRESENT) && !(e & CO_PTE_LARGE))
				free_table(co_os_phys_to_virt(e & CO_PTE_ADDR_MASK),
					   level - 1);
		}
	}
	co_os_free_pages(table, 0);
}

/* Frees every table of the tree; the pages the leaves point at are not ours. */
void co_pgtable_destroy(struct co_pgtable *pt)
{
	if (pt->root)
		free_table(pt->root, pt->levels);
	pt->root = NULL;
	pt->root_phys = 0;
}

static __u64 *next_table(__u64 *entry, bool create)
{
	__u64 phys;
	void *table;

	if (*entry & CO_PTE_PRESENT) {
		if (*entry & CO_PTE_LARGE)
			return NULL;
		return co_os_phys_to_virt(*entry & CO_PTE_ADDR_MASK);
	}
	if (!create)
		return NULL;
	table = co_os_alloc_pages(0, &phys);
	if (table)
		*entry = phys | TABLE_ENTRY_FLAGS;
	return table;
}

static int map_page(struct co_pgtable *pt, __u64 va, __u64 pa, __u64 flags)
{
	__u64 *table = pt->root;
	__u64 leaf = pa | flags | CO_PTE_PRESENT | CO_PTE_ACCESSED |
		     CO_PTE_DIRTY;
	unsigned int level;
	__u64 *entry;

	for (level = pt->levels; level > 1; level--) {
		entry = &table[co_pgtable_index(pt->levels, level, va)];
		table = next_table(entry, true);
		if (!table)
			return (*entry & CO_PTE_LARGE) ? -CO_EEXIST : -CO_ENOMEM;
	}
	entry = &table[co_pgtable_index(pt->levels, 1, va)];
	if ((*entry & CO_PTE_PRESENT) && *entry != leaf)
		return -CO_EEXIST;
	*entry = leaf;
	return 0;
}

/*
 * Map [va, va + size) to [pa, pa + size) with 4 KiB pages.  flags may only
 * hold CO_PTE_WRITE and CO_PTE_NX.  Mapping the same page twice to the same
 * place is allowed; to a different place it is -CO_EEXIST.  On error the
 * pages mapped so far stay mapped and co_pgtable_destroy() frees them.
 */
int co_pgtable_map(struct co_pgtable *pt, __u64 va, __u64 pa, __u64 size,
		   __u64 flags)
{
	__u64 off;
	int err;

	if ((va | pa | size) & ~CO_PAGE_MASK || (flags & ~LEAF_ALLOWED_FLAGS))
		return -CO_EINVAL;
	if (pa & ~CO_PTE_ADDR_MASK || !co_va_is_canonical(pt->levels, va) ||
	    !co_va_is_canonical(pt->levels, va + size - 1) ||
	    va + size - 1 < va)
		return -CO_EINVAL;
	for (off = 0; off < size; off += CO_PAGE_SIZE) {
		err = map_page(pt, va + off, pa + off, flags);
		if (err)
			return err;
	}
	return 0;
}

/* The leaf entry translating va (4 KiB or large), or 0 when unmapped. */
__u64 co_pgtable_lookup(const struct co_pgtable *pt, __u64 va)
{
	__u64 *table = pt->root;
	unsigned int level;
	__u64 entry;

	for (level = pt->levels; ; level--) {
		entry = table[co_pgtable_index(pt->levels, level, va)];
		if (!(entry & CO_PTE_PRESENT))
			return 0;
		if (level == 1 || (entry & CO_PTE_LARGE))
			return entry;
		table = co_os_phys_to_virt(entry & CO_PTE_ADDR_MASK);
	}
}
