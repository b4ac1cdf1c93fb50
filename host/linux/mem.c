// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM: physically contiguous, 128 MiB-aligned blocks of host memory,
 * pinned for the VM's life.  The guest uses host-physical addresses as its
 * own (no translation), and each block is one memory section, so the
 * guest's memmap stays small.
 *
 * alloc_contig_pages() is not exported in 6.1, so this walks the zones
 * itself (from the top, sparing DMA32 when there is memory above 4 GiB),
 * checks that a candidate block is online and inside one zone, and asks
 * alloc_contig_range() to migrate whatever movable pages are in the way.
 */
#include <linux/gfp.h>
#include <linux/hugetlb.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/page-flags.h>

#include "colinux.h"

#define BLOCK_PAGES (CO_RAM_CHUNK_ALIGN >> PAGE_SHIFT)

static bool block_usable(struct zone *zone, unsigned long pfn)
{
	unsigned long i;

	for (i = 0; i < BLOCK_PAGES; i++) {
		struct page *page = pfn_to_online_page(pfn + i);

		if (!page || page_zone(page) != zone || PageReserved(page) ||
		    PageHuge(page))
			return false;
	}
	return true;
}

/* Adds a block, merged with a neighbour when they touch. */
static int add_block(struct co_ram_chunk *ram, unsigned int *nr, u64 gpa)
{
	unsigned int i, j;

	for (i = 0; i < *nr; i++) {
		if (ram[i].gpa == gpa + CO_RAM_CHUNK_ALIGN) {
			ram[i].gpa = gpa;
			ram[i].size += CO_RAM_CHUNK_ALIGN;
			return 0;
		}
		if (ram[i].gpa + ram[i].size == gpa) {
			ram[i].size += CO_RAM_CHUNK_ALIGN;
			return 0;
		}
	}
	if (*nr == CO_MAX_RAM_CHUNKS)
		return -ENOSPC;
	for (i = 0; i < *nr && ram[i].gpa < gpa; i++)
		;
	for (j = *nr; j > i; j--)
		ram[j] = ram[j - 1];
	ram[i].gpa = gpa;
	ram[i].size = CO_RAM_CHUNK_ALIGN;
	(*nr)++;
	return 0;
}

/* Returns how many blocks are still wanted, or a negative error. */
static long grab_from_zone(struct zone *zone, long wanted,
			   struct co_ram_chunk *ram, unsigned int *nr)
{
	unsigned long first = ALIGN(zone->zone_start_pfn, BLOCK_PAGES);
	unsigned long pfn = ALIGN_DOWN(zone_end_pfn(zone), BLOCK_PAGES);
	int err;

	while (wanted > 0 && pfn >= first + BLOCK_PAGES) {
		pfn -= BLOCK_PAGES;
		if (!block_usable(zone, pfn))
			continue;
		if (alloc_contig_range(pfn, pfn + BLOCK_PAGES, MIGRATE_MOVABLE,
				       GFP_KERNEL | __GFP_NOWARN))
			continue;
		err = add_block(ram, nr, PFN_PHYS(pfn));
		if (err) {
			free_contig_range(pfn, BLOCK_PAGES);
			return err;
		}
		wanted--;
		cond_resched();
	}
	return wanted;
}

void co_ram_free(const struct co_ram_chunk *ram, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		free_contig_range(PHYS_PFN(ram[i].gpa), ram[i].size >> PAGE_SHIFT);
}

/*
 * bytes is a multiple of CO_RAM_CHUNK_ALIGN.  On failure nothing stays
 * allocated: -ENOMEM when the blocks cannot be found, -ENOSPC when they are
 * too scattered to describe in CO_MAX_RAM_CHUNKS chunks.
 */
int co_ram_alloc(__u64 bytes, struct co_ram_chunk *ram, unsigned int *nr)
{
	static const enum zone_type order[] = {
		ZONE_MOVABLE, ZONE_NORMAL, ZONE_DMA32,
	};
	long wanted = bytes / CO_RAM_CHUNK_ALIGN;
	unsigned int i;
	int nid;

	*nr = 0;
	for (i = 0; i < ARRAY_SIZE(order) && wanted > 0; i++) {
		for_each_online_node(nid) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[order[i]];

			if (!populated_zone(zone))
				continue;
			wanted = grab_from_zone(zone, wanted, ram, nr);
			if (wanted <= 0)
				break;
		}
	}
	if (wanted == 0)
		return 0;
	co_ram_free(ram, *nr);
	*nr = 0;
	return wanted < 0 ? (int)wanted : -ENOMEM;
}
