// SPDX-License-Identifier: GPL-2.0
/*
 * Guest RAM: physically contiguous, 128 MiB-aligned blocks of host memory,
 * pinned for the VM's life.  The guest uses host-physical addresses as its
 * own (no translation), and each block is one memory section, so the
 * guest's memmap stays small.
 *
 * alloc_contig_pages() is not exported in 6.1, so this walks the zones
 * itself (from the top, sparing DMA32 when there is memory above 4 GiB,
 * and ZONE_MOVABLE until nothing else is left: pinned guest RAM there
 * would block memory hot-unplug), checks that a candidate block is online
 * and inside one zone, and asks alloc_contig_range() to migrate whatever
 * movable pages are in the way.  The scan can be long on a big host: it
 * reschedules between blocks and gives up on a fatal signal.
 *
 * The guest and the daemon's mapping must never see what the host kept in
 * these pages before (page cache, freed kernel objects, other processes'
 * memory), and the host must never get the guest's data back: blocks are
 * cleared on allocation and on free, unless the kernel already does it
 * (init_on_alloc, Debian's default, and init_on_free).
 */
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/hugetlb.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/moduleparam.h>
#include <linux/page-flags.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>

#include "colinux.h"

#define BLOCK_PAGES (CO_RAM_CHUNK_ALIGN >> PAGE_SHIFT)
#define PIECE_PAGES (SZ_16M >> PAGE_SHIFT)
#define ALLOC_PASSES	4
#define ALLOC_RETRY_MS	50

/*
 * Pages of guest RAM the module holds, all VMs together: read-only in
 * /sys/module/colinux/parameters/ram_pages, so that a test can see that a
 * VM killed at any moment gave every page back (MemFree is too noisy).
 */
static atomic_long_t ram_pages_held = ATOMIC_LONG_INIT(0);

static int ram_pages_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&ram_pages_held));
}

static const struct kernel_param_ops ram_pages_ops = {
	.get = ram_pages_get,
};
module_param_cb(ram_pages, &ram_pages_ops, NULL, 0444);
MODULE_PARM_DESC(ram_pages, "pages of guest RAM held by all VMs");

static void give_back(unsigned long pfn, unsigned long count)
{
	free_contig_range(pfn, count);
	atomic_long_sub(count, &ram_pages_held);
}

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

/*
 * Clear a block, with a chance to reschedule every 256 KiB: a slow CPU (the
 * emulated test host clears a byte at a time) must not keep the watchdog's
 * thread off it for seconds.
 */
static void clear_block(unsigned long pfn)
{
	unsigned long i;

	for (i = 0; i < BLOCK_PAGES; i++) {
		clear_page(page_address(pfn_to_page(pfn + i)));
		if (i % 64 == 63)
			cond_resched();
	}
}

/*
 * A whole block, in pieces: each alloc_contig_range() call migrates what is
 * in the way and (with init_on_alloc) clears what it takes without a chance
 * to reschedule, so 128 MiB at once can hold a slow CPU for seconds.
 */
static int take_block(unsigned long pfn)
{
	unsigned long done;

	for (done = 0; done < BLOCK_PAGES; done += PIECE_PAGES) {
		if (alloc_contig_range(pfn + done, pfn + done + PIECE_PAGES,
				       MIGRATE_MOVABLE, GFP_KERNEL | __GFP_NOWARN)) {
			if (done)
				give_back(pfn, done);
			return -EBUSY;
		}
		atomic_long_add(PIECE_PAGES, &ram_pages_held);
		cond_resched();
	}
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
		cond_resched();
		if (fatal_signal_pending(current))
			return -EINTR;
		if (!block_usable(zone, pfn) || take_block(pfn))
			continue;
		err = add_block(ram, nr, PFN_PHYS(pfn));
		if (err) {
			give_back(pfn, BLOCK_PAGES);
			return err;
		}
		if (!want_init_on_alloc(GFP_KERNEL))
			clear_block(pfn);
		wanted--;
	}
	return wanted;
}

/*
 * Gives pages back one by one.  A page someone still holds (an O_DIRECT
 * transfer of a daemon that died, still pinning the guest buffer) goes
 * back when its last holder lets go, not now: free_contig_range() would
 * warn about it.
 */
static void put_pages(unsigned long pfn, unsigned long count)
{
	unsigned long busy = 0, i;

	for (i = 0; i < count; i++) {
		struct page *page = pfn_to_page(pfn + i);

		busy += page_count(page) != 1;
		__free_page(page);
		if (i % 4096 == 4095)
			cond_resched();
	}
	atomic_long_sub(count, &ram_pages_held);
	if (busy)
		pr_info("colinux: %lu pages of guest RAM still in use by I/O: freed when it ends\n",
			busy);
}

void co_ram_free(const struct co_ram_chunk *ram, unsigned int nr)
{
	unsigned int i;
	u64 off;

	for (i = 0; i < nr; i++) {
		unsigned long pfn = PHYS_PFN(ram[i].gpa);

		/* init_on_free clears in __free_page() itself. */
		if (!want_init_on_free())
			for (off = 0; off < ram[i].size; off += CO_RAM_CHUNK_ALIGN)
				clear_block(pfn + (off >> PAGE_SHIFT));
		put_pages(pfn, ram[i].size >> PAGE_SHIFT);
	}
}

/*
 * bytes is a multiple of CO_RAM_CHUNK_ALIGN.  On failure nothing stays
 * allocated: -ENOMEM when the blocks cannot be found, -ENOSPC when they are
 * too scattered to describe in CO_MAX_RAM_CHUNKS chunks, -EINTR when the
 * caller was killed meanwhile.
 */
int co_ram_alloc(__u64 bytes, struct co_ram_chunk *ram, unsigned int *nr)
{
	static const enum zone_type order[] = {
		ZONE_NORMAL, ZONE_DMA32, ZONE_MOVABLE,
	};
	long wanted = bytes / CO_RAM_CHUNK_ALIGN;
	unsigned int i, pass;
	int nid;

	*nr = 0;
	/*
	 * Several passes, a little apart: a block that another allocation had
	 * isolated, or whose pages could not be migrated at that moment (two
	 * VMs starting and stopping together), is usually free again soon.
	 */
	for (pass = 0; pass < ALLOC_PASSES && wanted > 0; pass++) {
		if (pass && msleep_interruptible(ALLOC_RETRY_MS) &&
		    fatal_signal_pending(current)) {
			wanted = -EINTR;
			break;
		}
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
	}
	if (wanted == 0)
		return 0;
	co_ram_free(ram, *nr);
	*nr = 0;
	return wanted < 0 ? (int)wanted : -ENOMEM;
}
