/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cooperative Linux guest: what the rest of the kernel calls.
 *
 * The host maps its "passage" (the code and tables through which the CPU
 * switches between host and guest) into one top-level slot of the guest's
 * page tables.  Every top-level table the guest ever loads must hold that
 * entry, from the first one on: without it the next host interrupt finds no
 * IDT and the machine resets.  These helpers keep it there; they compile to
 * nothing without CONFIG_X86_COOP.
 */
#ifndef _ASM_X86_COOP_H
#define _ASM_X86_COOP_H

#include <asm/bootparam.h>
#include <asm/pgtable_types.h>
#include <asm/sections.h>
#include <colinux/abi.h>

#ifdef CONFIG_X86_COOP

extern unsigned long coop_passage_slot;
extern unsigned long coop_passage_entry;

/*
 * From __startup_64(), still identity-mapped: globals are reached at their
 * physical addresses.  Not under colinux, there is nobody to tell: stop.
 */
static __always_inline void coop_startup_passage(pgdval_t *pgd,
						 struct boot_params *bp,
						 unsigned long physaddr)
{
	const struct co_boot_info *bi;
	unsigned long *slot, *entry;

	if (bp->hdr.hardware_subarch != X86_SUBARCH_COOP)
		for (;;)
			;
	bi = (const struct co_boot_info *)(unsigned long)bp->hdr.hardware_subarch_data;
	if (bi->magic != CO_BOOT_MAGIC || bi->passage_slot >= PTRS_PER_PGD)
		for (;;)
			;
	slot = (void *)((unsigned long)&coop_passage_slot - (unsigned long)_text + physaddr);
	entry = (void *)((unsigned long)&coop_passage_entry - (unsigned long)_text + physaddr);
	*slot = bi->passage_slot;
	*entry = bi->passage_entry;
	pgd[bi->passage_slot] = bi->passage_entry;
}

static inline void coop_keep_passage(pgd_t *pgd)
{
	pgd[coop_passage_slot] = __pgd(coop_passage_entry);
}

static inline void coop_copy_passage(pgd_t *dst, const pgd_t *src)
{
	dst[coop_passage_slot] = src[coop_passage_slot];
}

void coop_early_setup(void);

#else

static inline void coop_startup_passage(pgdval_t *pgd, struct boot_params *bp,
					unsigned long physaddr)
{
}

static inline void coop_keep_passage(pgd_t *pgd)
{
}

static inline void coop_copy_passage(pgd_t *dst, const pgd_t *src)
{
}

static inline void coop_early_setup(void)
{
}

#endif /* CONFIG_X86_COOP */
#endif /* _ASM_X86_COOP_H */
