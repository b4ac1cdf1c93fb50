// SPDX-License-Identifier: GPL-2.0
/*
 * Building the passages (layout in passage.h), one per vCPU, side by side
 * in one top-level slot: their pages, the two page-table subtrees of the
 * slot that map them all (one as T sees them, one as the guest sees them),
 * each passage's GDT, TSS and IDTs, and each vCPU's transition table T.
 * A vCPU's passage code finds its own pages RIP-relative, so every vCPU
 * runs the same code at its own address.
 *
 * The core never writes into a host page table.  T is a private copy of the
 * kernel half of the host's top level, brought up to date before every
 * entry, plus one slot of ours.
 */
#include "errno.h"
#include "os.h"
#include "vm.h"
#include "x86.h"

#define HOLE_FIRST_SLOT	256	/* the x86-64 hypervisor hole: 16 slots */
#define HOLE_LAST_SLOT	271

#define GDT_CODE64	0x00af9b000000ffffULL	/* present, DPL 0, accessed */
#define GDT_DATA	0x00cf93000000ffffULL

#define GATE_INTERRUPT	0xe

struct page_role {
	unsigned int offset;
	bool exec;		/* code: executable, never writable */
	bool t_write;		/* writable in T */
	bool guest;		/* mapped in the guest's tables */
	bool g_write;		/* writable there */
};

static const struct page_role roles[] = {
	{ CO_PASSAGE_CODE,		 true,  false, true,  false },
	{ CO_PASSAGE_CODE + 0x1000,	 true,  false, true,  false },
	{ CO_PASSAGE_STUBS,		 true,  false, true,  false },
	{ CO_PASSAGE_GUEST_IDT,		 false, false, true,  false },
	{ CO_PASSAGE_SWITCH_IDT,	 false, false, true,  false },
	{ CO_PASSAGE_TABLES,		 false, true,  true,  false },
	{ CO_PASSAGE_VCPU,		 false, true,  true,  true },
	{ CO_PASSAGE_HOST,		 false, true,  false, false },
	{ CO_PASSAGE_STACK_ENTRY,	 false, true,  true,  true },
	{ CO_PASSAGE_STACK_EXIT,	 false, true,  true,  true },
	{ CO_PASSAGE_STACK_NMI,		 false, true,  true,  true },
	{ CO_PASSAGE_STACK_MC,		 false, true,  true,  true },
	{ CO_PASSAGE_STACK_DF,		 false, true,  true,  true },
};

static int find_free_slot(unsigned int *slot)
{
	const __u64 *top = co_os_host_top_table();
	unsigned int i;

	for (i = HOLE_FIRST_SLOT; i <= HOLE_LAST_SLOT; i++) {
		if (!(top[i] & CO_PTE_PRESENT)) {
			*slot = i;
			return 0;
		}
	}
	return -CO_EADDRINUSE;
}

static __u64 stack_top(const struct co_vcpu *vcpu, unsigned int stack)
{
	return vcpu->va + stack + CO_PAGE_SIZE;
}

void co_passage_set_gate(__u64 *idt, unsigned int vector, __u64 handler,
			 unsigned int selector, unsigned int ist,
			 unsigned int type, unsigned int dpl)
{
	__u64 attr = 0x80 | (dpl & 3) << 5 | (type & 0xf);

	idt[2 * vector] = (handler & 0xffff) | (__u64)(selector & 0xffff) << 16 |
			  (__u64)(ist & 7) << 32 | attr << 40 |
			  ((handler >> 16) & 0xffff) << 48;
	idt[2 * vector + 1] = handler >> 32;
}

__u64 co_passage_stub(const struct co_vcpu *vcpu, unsigned int vector)
{
	return vcpu->va + CO_PASSAGE_STUBS + vector * CO_STUB_SIZE;
}

/* The IST slot a passage stub runs on. */
static unsigned int stub_ist(unsigned int vector)
{
	if (vector == 2)
		return CO_IST_NMI;
	if (vector == 18)
		return CO_IST_MC;
	if (vector < 32)
		return CO_IST_DF;	/* #DF and faults of the passage itself */
	return CO_IST_EXIT;
}

static void set_stub_gate(struct co_vcpu *vcpu, __u64 *idt,
			  unsigned int vector)
{
	co_passage_set_gate(idt, vector, co_passage_stub(vcpu, vector),
			    CO_SEL_CS, stub_ist(vector), GATE_INTERRUPT, 0);
}

/* Guest-world IDT with no guest gate yet: every vector exits. */
void co_passage_reset_guest_idt(struct co_vcpu *vcpu)
{
	__u64 *idt = vcpu->page[CO_PASSAGE_GUEST_IDT / CO_PAGE_SIZE];
	unsigned int v;

	for (v = 0; v < 256; v++)
		set_stub_gate(vcpu, idt, v);
}

static void build_tables(struct co_vcpu *vcpu)
{
	struct co_passage_tables *t = vcpu->tables;
	__u64 *switch_idt = vcpu->page[CO_PASSAGE_SWITCH_IDT / CO_PAGE_SIZE];
	__u64 tss = vcpu->va + CO_PASSAGE_TABLES + T_TSS;
	unsigned int v;

	t->gdt[CO_SEL_CS / 8] = GDT_CODE64;
	t->gdt[CO_SEL_DS / 8] = GDT_DATA;
	t->gdt[CO_SEL_TSS / 8] = (TSS_SIZE - 1) | (tss & 0xffffff) << 16 |
				 0x89ULL << 40 | ((tss >> 24) & 0xff) << 56;
	t->gdt[CO_SEL_TSS / 8 + 1] = tss >> 32;
	t->gdtr.limit = sizeof(t->gdt) - 1;
	t->gdtr.base = vcpu->va + CO_PASSAGE_TABLES + T_GDT;
	t->switch_idtr.limit = 256 * 16 - 1;
	t->switch_idtr.base = vcpu->va + CO_PASSAGE_SWITCH_IDT;
	t->guest_idtr.limit = 256 * 16 - 1;
	t->guest_idtr.base = vcpu->va + CO_PASSAGE_GUEST_IDT;
	t->transition_cr3 = vcpu->transition_phys;

	co_tss_set(&t->tss, TSS_IST(CO_IST_DF), stack_top(vcpu, CO_PASSAGE_STACK_DF));
	co_tss_set(&t->tss, TSS_IST(CO_IST_NMI), stack_top(vcpu, CO_PASSAGE_STACK_NMI));
	co_tss_set(&t->tss, TSS_IST(CO_IST_MC), stack_top(vcpu, CO_PASSAGE_STACK_MC));
	co_tss_set(&t->tss, TSS_IST(CO_IST_EXIT), stack_top(vcpu, CO_PASSAGE_STACK_EXIT));
	/* An I/O bitmap offset past the limit: guest user port I/O faults. */
	t->tss.word[TSS_IOMAP_BASE / 4] = (__u32)TSS_SIZE << 16;

	for (v = 0; v < 256; v++)
		set_stub_gate(vcpu, switch_idt, v);
	co_passage_reset_guest_idt(vcpu);
	co_passage_refresh_tables(vcpu);
}

/*
 * MSRs the switch may leave alone when they hold their new value already
 * (load_msrs in the passage): their host values are the same on every
 * Linux and no secret, since a guest can time whether its value matched.
 * Addresses (LSTAR, CSTAR, SYSENTER_EIP/ESP, the segment bases) would
 * tell it where the host's kernel and stacks are.
 */
static bool msr_skippable(__u32 msr)
{
	switch (msr) {
	case X86_MSR_EFER:
	case X86_MSR_STAR:
	case X86_MSR_SFMASK:
	case X86_MSR_SYSENTER_CS:
	case X86_MSR_PAT:
	case X86_MSR_TSC_AUX:
	case X86_MSR_SPEC_CTRL:
		return true;
	default:
		return false;
	}
}

/*
 * What the exit relies on, rewritten before every entry: the tables page is
 * read-only in the guest's tables, but a guest that turned CR0.WP off could
 * still write it, and rewriting costs a few dozen stores.
 */
void co_passage_refresh_tables(struct co_vcpu *vcpu)
{
	const struct co_host_caps *caps = &vcpu->vm->caps;
	struct co_passage_tables *t = vcpu->tables;
	unsigned int i, part, repeat;
	const struct co_fixup *f;

	t->msr_count = caps->nr_msrs;
	t->msr_skippable = 0;
	for (i = 0; i < caps->nr_msrs; i++) {
		t->msr_index[i] = caps->msrs[i];
		if (msr_skippable(caps->msrs[i]))
			t->msr_skippable |= 1ULL << i;
	}
	for (i = 0, f = co_passage_fixups;
	     f < co_passage_fixups_end && i < CO_MAX_FIXUPS; i++, f++)
		t->fixup[i] = *f;
	t->fixup_count = i;
	t->transition_cr3 = vcpu->transition_phys;
	t->first_guest_idt = vcpu->vm->va + CO_PASSAGE_GUEST_IDT;
	t->passages_size = vcpu->vm->nr_vcpus * CO_PASSAGE_STRIDE;
	co_os_bench_variant(&part, &repeat);
	t->bench_part = part < CO_BENCH_PARTS ? part : CO_BENCH_NONE;
	t->bench_repeat = repeat < CO_BENCH_REPEAT_MAX ? repeat : CO_BENCH_REPEAT_MAX;
}

static int map_pages(struct co_vcpu *vcpu)
{
	struct co_vm *vm = vcpu->vm;
	unsigned int i;
	int err;

	for (i = 0; i < CO_ARRAY_SIZE(roles); i++) {
		const struct page_role *r = &roles[i];
		unsigned int n = r->offset / CO_PAGE_SIZE;
		__u64 nx = r->exec ? 0 : CO_PTE_NX;

		err = co_pgtable_map(&vm->pt_transition, vcpu->va + r->offset,
				     vcpu->page_phys[n], CO_PAGE_SIZE,
				     nx | (r->t_write ? CO_PTE_WRITE : 0));
		if (!err && r->guest)
			err = co_pgtable_map(&vm->pt_guest, vcpu->va + r->offset,
					     vcpu->page_phys[n], CO_PAGE_SIZE,
					     nx | (r->g_write ? CO_PTE_WRITE : 0));
		if (err)
			return err;
	}
	return 0;
}

static int alloc_pages(struct co_vcpu *vcpu)
{
	const unsigned char *blob = co_passage_blob;
	unsigned int i, n, off;

	_Static_assert(CO_PASSAGE_BLOB_SIZE == 3 * CO_PAGE_SIZE,
		       "the blob is the two code pages and the stub page");
	for (i = 0; i < CO_ARRAY_SIZE(roles); i++) {
		n = roles[i].offset / CO_PAGE_SIZE;
		vcpu->page[n] = co_os_alloc_pages(0, &vcpu->page_phys[n]);
		if (!vcpu->page[n])
			return -CO_ENOMEM;
	}
	for (off = 0; off < CO_PASSAGE_BLOB_SIZE; off++) {
		unsigned char *page = vcpu->page[off / CO_PAGE_SIZE];

		page[off % CO_PAGE_SIZE] = blob[off];
	}
	vcpu->tables = vcpu->page[CO_PASSAGE_TABLES / CO_PAGE_SIZE];
	vcpu->state = vcpu->page[CO_PASSAGE_VCPU / CO_PAGE_SIZE];
	vcpu->host = vcpu->page[CO_PASSAGE_HOST / CO_PAGE_SIZE];
	/* Order 1: T's physical address has bit 12 clear, which PTI needs. */
	vcpu->transition = co_os_alloc_pages(1, &vcpu->transition_phys);
	return vcpu->transition ? 0 : -CO_ENOMEM;
}

/* The VM's part: the slot and the two subtrees every passage goes into. */
int co_passage_create(struct co_vm *vm)
{
	unsigned int levels = vm->caps.paging_levels;
	int err;

	err = find_free_slot(&vm->slot);
	if (err)
		return err;
	vm->va = co_pgtable_slot_va(levels, vm->slot);
	err = co_pgtable_init(&vm->pt_transition, levels);
	if (!err)
		err = co_pgtable_init(&vm->pt_guest, levels);
	return err;
}

/* vcpu->va is set: its pages, mapped at va in both subtrees. */
int co_passage_create_vcpu(struct co_vcpu *vcpu)
{
	int err;

	err = alloc_pages(vcpu);
	if (!err)
		err = map_pages(vcpu);
	if (err)
		return err;
	build_tables(vcpu);
	return 0;
}

void co_passage_destroy_vcpu(struct co_vcpu *vcpu)
{
	unsigned int i;

	for (i = 0; i < CO_PASSAGE_PAGES; i++) {
		co_os_free_pages(vcpu->page[i], 0);
		vcpu->page[i] = NULL;
	}
	co_os_free_pages(vcpu->transition, 1);
	vcpu->transition = NULL;
}

/* After every vCPU's: the mappings go, then their pages. */
void co_passage_destroy(struct co_vm *vm)
{
	co_pgtable_destroy(&vm->pt_transition);
	co_pgtable_destroy(&vm->pt_guest);
}

/* The top-level entry every guest page table keeps at vm->slot. */
__u64 co_passage_guest_entry(const struct co_vm *vm)
{
	return vm->pt_guest.root[vm->slot];
}

/*
 * T = the kernel half of the host's current top level (the host's code,
 * stacks and per-CPU data) + the passage.  Its user half stays empty: T
 * runs no code that touches user memory, and an NMI handler that reads it
 * there (perf's user call chains) takes a fault it handles, never a stale
 * mapping.  Called with interrupts off before every entry, on the CPU
 * that will enter.  The kernel half hardly ever changes, so it is compared
 * rather than copied: loads, and a store only where the host's differs.
 */
int co_passage_refresh_transition(struct co_vcpu *vcpu)
{
	const struct co_vm *vm = vcpu->vm;
	const __u64 *top = co_os_host_top_table();
	__u64 *t = vcpu->transition;
	unsigned int i;

	if (top[vm->slot] & CO_PTE_PRESENT)
		return -CO_EADDRINUSE;
	for (i = CO_PTRS_PER_TABLE / 2; i < CO_PTRS_PER_TABLE; i++)
		if (t[i] != top[i])
			t[i] = top[i];
	t[vm->slot] = vm->pt_transition.root[vm->slot];
	return 0;
}
