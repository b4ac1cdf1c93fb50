/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The passage: the pages through which the CPU crosses between the host
 * world and the guest world.  It is mapped at the same virtual address in
 * the transition table T (host kernel half + passage) and in every guest
 * page table (G), in a free top-level slot of the x86-64 hypervisor hole.
 *
 *   offset   page                         T (transition)   G (guest)
 *   0x00000  code: hypercall, switch      R X              R X
 *   0x02000  256 vector stubs             R X              R X
 *   0x03000  guest-world IDT              R                R
 *   0x04000  switch IDT                   R                R
 *   0x05000  tables: GDT, TSS, T's CR3,   R W              R
 *            MSR list, entry tag, fixups
 *   0x06000  vcpu: guest state, exit      R W              R W
 *   0x07000  host state                   R W              -
 *   0x09000  entry/exit stack             R W              R W
 *   0x0b000  exit stack (IST7)            R W              R W
 *   0x0d000  NMI stack (IST2)             R W              R W
 *   0x0f000  #MC stack (IST4)             R W              R W
 *   0x11000  #DF/fault stack (IST1)       R W              R W
 * Holes between stacks stay unmapped, as guards.  The guest cannot reach
 * the host state at all, and cannot change the tables it runs on.
 *
 * Whatever the passage needs on the way back to the host lives in the host
 * page or the tables page, never in the guest-writable vcpu page: a stray
 * guest store there must not make the exit restore the wrong MSRs.  The two
 * words the passage must write while in G (vcpu.pending, vcpu.fault_depth)
 * are only believed when stamped with this entry's tag (tables.entry_tag,
 * new for every entry), so a value the guest left behind reads as stale.
 *
 * This header is included by C (structures, checked against the offsets)
 * and by passage.S (offsets only).
 */
#ifndef COLINUX_CORE_PASSAGE_H
#define COLINUX_CORE_PASSAGE_H

#include "bench.h"

#define CO_PASSAGE_CODE		0x00000
#define CO_PASSAGE_STUBS	0x02000
#define CO_PASSAGE_GUEST_IDT	0x03000
#define CO_PASSAGE_SWITCH_IDT	0x04000
#define CO_PASSAGE_TABLES	0x05000
#define CO_PASSAGE_VCPU		0x06000
#define CO_PASSAGE_HOST		0x07000
#define CO_PASSAGE_STACK_ENTRY	0x09000
#define CO_PASSAGE_STACK_EXIT	0x0b000
#define CO_PASSAGE_STACK_NMI	0x0d000
#define CO_PASSAGE_STACK_MC	0x0f000
#define CO_PASSAGE_STACK_DF	0x11000
#define CO_PASSAGE_SIZE		0x12000
/* vCPU i's passage is at vCPU 0's + i * this (CO_VCPU_PASSAGE_STRIDE). */
#define CO_PASSAGE_STRIDE	0x20000
#define CO_PASSAGE_BLOB_SIZE	0x03000		/* code + stubs */

/* Entry points inside the code page. */
#define CO_PASSAGE_HYPERCALL	0x0000
#define CO_PASSAGE_ENTER	0x0100

#define CO_STUB_SIZE		16

/* IST slots of the passage TSS that belong to the passage. */
#define CO_IST_DF		1
#define CO_IST_NMI		2
#define CO_IST_MC		4
#define CO_IST_EXIT		7

/* Selectors of the passage GDT (the same numbers as Linux's). */
#define CO_SEL_CS		0x10
#define CO_SEL_DS		0x18
#define CO_SEL_TSS		0x40

/* Pseudo vectors pushed by the passage itself. */
#define CO_VEC_HYPERCALL	0x100
#define CO_VEC_PENDING		0x101

/* vcpu.pending bits: events latched while switching (low byte; tag above). */
#define CO_PENDING_NMI		1
#define CO_PENDING_MC		2
#define CO_TAG_SHIFT		8

/* vcpu.exit_kind */
#define CO_XK_GUEST		0	/* an event in the guest world */
#define CO_XK_PASSAGE_FAULT	1	/* an exception in the passage itself */

#define CO_MAX_SWITCHED_MSRS	16	/* also in core.h */

/*
 * A descriptor-table register image (sgdt/lgdt/sidt/lidt operand) is 16
 * bytes here: the 10-byte operand starts at CO_DTR, so that the limit is
 * followed directly by the 8-byte aligned base without any packing.
 */
#define CO_DTR			6

/* Fields of the 104-byte TSS, by byte offset. */
#define TSS_RSP0		4
#define TSS_IST(n)		(36 + 8 * ((n) - 1))
#define TSS_IOMAP_BASE		102
#define TSS_SIZE		104

/* Tables page. */
#define T_GDT			0x000	/* 16 descriptors */
#define T_GDTR			0x080	/* struct co_dtr */
#define T_SWITCH_IDTR		0x090
#define T_GUEST_IDTR		0x0a0
#define T_TRANSITION_CR3	0x0b0
#define T_TSS			0x100	/* 104-byte x86-64 TSS */
#define T_MSR_COUNT		0x180
#define T_ENTRY_TAG		0x188	/* tag << CO_TAG_SHIFT, new per entry */
#define T_FIXUP_COUNT		0x190
#define T_BENCH_PART		0x198	/* a timing variant (CO_BENCH_*), or 0 */
#define T_BENCH_REPEAT		0x1a0	/* how many extra times it runs */
#define T_MSR_SKIPPABLE		0x1a8	/* bit i: MSR i need not be rewritten */
#define T_FIRST_GUEST_IDT	0x1b0	/* vCPU 0's guest-world IDT */
#define T_PASSAGES_SIZE		0x1b8	/* nr_vcpus * CO_PASSAGE_STRIDE */
#define T_MSR_INDEX		0x1c0	/* __u32[CO_MAX_SWITCHED_MSRS] */
#define T_FIXUPS		0x200	/* struct co_fixup[CO_MAX_FIXUPS] */
#define CO_MAX_FIXUPS		96


/* vcpu page: the guest's registers are in struct co_regs order first. */
#define V_RAX			0x000
#define V_RBX			0x008
#define V_RCX			0x010
#define V_RDX			0x018
#define V_RSI			0x020
#define V_RDI			0x028
#define V_RBP			0x030
#define V_RSP			0x038
#define V_R8			0x040
#define V_R9			0x048
#define V_R10			0x050
#define V_R11			0x058
#define V_R12			0x060
#define V_R13			0x068
#define V_R14			0x070
#define V_R15			0x078
#define V_RIP			0x080
#define V_RFLAGS		0x088
#define V_CS			0x090
#define V_SS			0x098
#define V_CR0			0x0a0
#define V_CR2			0x0a8
#define V_CR3			0x0b0
#define V_CR4			0x0b8
#define V_CR8			0x0c0
#define V_DR6			0x0c8
#define V_DR7			0x0d0
#define V_XCR0			0x0d8
#define V_GDTR			0x0e0	/* struct co_dtr */
#define V_LDTR			0x0f0
#define V_DS			0x0f8
#define V_ES			0x100
#define V_FS			0x108
#define V_GS			0x110
#define V_MSR_VALUE		0x118	/* __u64[CO_MAX_SWITCHED_MSRS] */
#define V_EXIT_VECTOR		0x198
#define V_EXIT_ERROR		0x1a0
#define V_EXIT_KIND		0x1a8
#define V_FAULT_RIP		0x1b0
#define V_FAULT_CR2		0x1b8
#define V_FAULT_DEPTH		0x1c0	/* the entry tag once the passage faulted */
#define V_PENDING		0x1c8	/* entry tag | CO_PENDING_* */
#define V_INJECT		0x1d0
#define V_INJECT_RSP		0x1d8
#define V_INJECT_FRAME		0x1e0	/* rip, cs, rflags, rsp, ss */
#define V_FAULTS		0x208	/* faults taken while leaving */

/* Host page. */
#define H_RSP			0x000
#define H_CR0			0x008
#define H_CR2			0x010
#define H_CR4			0x018
#define H_CR8			0x020
#define H_DR6			0x028
#define H_DR7			0x030
#define H_XCR0			0x038
#define H_GDTR			0x040	/* struct co_dtr (the host's, often RO) */
#define H_IDTR			0x050
#define H_GDT_RW		0x060	/* writable alias of the host GDT */
#define H_TR			0x068
#define H_LDTR			0x070
#define H_CS			0x078
#define H_SS			0x080
#define H_DS			0x088
#define H_ES			0x090
#define H_FS			0x098
#define H_GS			0x0a0
#define H_MSR_VALUE		0x0b0	/* __u64[CO_MAX_SWITCHED_MSRS] */

/* Control-register bits the switch needs. */
#define CO_CR4_MCE		(1 << 6)
#define CO_CR4_PGE		(1 << 7)
#define CO_CR4_OSXSAVE		(1 << 18)
#define CO_CR4_PCIDE		(1 << 17)

#ifndef __ASSEMBLER__

#include <colinux/abi.h>

struct co_dtr {
	__u16 pad[3];
	__u16 limit;		/* at CO_DTR */
	__u64 base;
};

/* Its 64-bit fields are only 4-byte aligned: use co_tss_set(). */
struct co_tss {
	__u32 word[TSS_SIZE / 4];
};

static inline void co_tss_set(struct co_tss *tss, unsigned int offset, __u64 v)
{
	tss->word[offset / 4] = (__u32)v;
	tss->word[offset / 4 + 1] = (__u32)(v >> 32);
}

/*
 * A passage instruction that may fault while the host is being restored,
 * and where to go on instead (offsets from the passage's start).
 */
struct co_fixup {
	__u32 insn, next;
};

struct co_passage_tables {
	__u64 gdt[16];
	struct co_dtr gdtr;
	__u8 pad0[T_SWITCH_IDTR - T_GDTR - sizeof(struct co_dtr)];
	struct co_dtr switch_idtr;
	__u8 pad1[T_GUEST_IDTR - T_SWITCH_IDTR - sizeof(struct co_dtr)];
	struct co_dtr guest_idtr;
	__u8 pad2[T_TRANSITION_CR3 - T_GUEST_IDTR - sizeof(struct co_dtr)];
	__u64 transition_cr3;
	__u8 pad3[T_TSS - T_TRANSITION_CR3 - 8];
	struct co_tss tss;
	__u8 pad4[T_MSR_COUNT - T_TSS - sizeof(struct co_tss)];
	__u64 msr_count;
	__u64 entry_tag;
	__u64 fixup_count;
	__u64 bench_part;
	__u64 bench_repeat;
	__u64 msr_skippable;
	__u64 first_guest_idt;
	__u64 passages_size;
	__u8 pad5[T_MSR_INDEX - T_PASSAGES_SIZE - 8];
	__u32 msr_index[CO_MAX_SWITCHED_MSRS];
	struct co_fixup fixup[CO_MAX_FIXUPS];
};

struct co_passage_vcpu {
	__u64 gpr[16];		/* rax ... r15, struct co_regs order */
	__u64 rip, rflags, cs, ss;
	__u64 cr0, cr2, cr3, cr4, cr8, dr6, dr7, xcr0;
	struct co_dtr gdtr;
	__u8 pad0[V_LDTR - V_GDTR - sizeof(struct co_dtr)];
	__u64 ldtr, ds, es, fs, gs;
	__u64 msr_value[CO_MAX_SWITCHED_MSRS];
	__u64 exit_vector, exit_error, exit_kind;
	__u64 fault_rip, fault_cr2, fault_depth;
	__u64 pending;
	__u64 inject, inject_rsp, inject_frame[5];
	__u64 faults;
};

struct co_passage_host {
	__u64 rsp, cr0, cr2, cr4, cr8, dr6, dr7, xcr0;
	struct co_dtr gdtr;
	__u8 pad0[H_IDTR - H_GDTR - sizeof(struct co_dtr)];
	struct co_dtr idtr;
	__u8 pad1[H_GDT_RW - H_IDTR - sizeof(struct co_dtr)];
	__u64 gdt_rw, tr, ldtr, cs, ss, ds, es, fs, gs;
	__u64 pad2;
	__u64 msr_value[CO_MAX_SWITCHED_MSRS];
};

#define CO_PASSAGE_CHECK(type, field, off) \
	_Static_assert(__builtin_offsetof(type, field) == (off), \
		       "passage.h: " #type "." #field " disagrees with " #off)

CO_PASSAGE_CHECK(struct co_passage_tables, gdtr, T_GDTR);
CO_PASSAGE_CHECK(struct co_passage_tables, switch_idtr, T_SWITCH_IDTR);
CO_PASSAGE_CHECK(struct co_passage_tables, guest_idtr, T_GUEST_IDTR);
CO_PASSAGE_CHECK(struct co_passage_tables, transition_cr3, T_TRANSITION_CR3);
CO_PASSAGE_CHECK(struct co_passage_tables, tss, T_TSS);
CO_PASSAGE_CHECK(struct co_passage_tables, msr_count, T_MSR_COUNT);
CO_PASSAGE_CHECK(struct co_passage_tables, entry_tag, T_ENTRY_TAG);
CO_PASSAGE_CHECK(struct co_passage_tables, fixup_count, T_FIXUP_COUNT);
CO_PASSAGE_CHECK(struct co_passage_tables, bench_part, T_BENCH_PART);
CO_PASSAGE_CHECK(struct co_passage_tables, bench_repeat, T_BENCH_REPEAT);
CO_PASSAGE_CHECK(struct co_passage_tables, msr_skippable, T_MSR_SKIPPABLE);
CO_PASSAGE_CHECK(struct co_passage_tables, first_guest_idt, T_FIRST_GUEST_IDT);
CO_PASSAGE_CHECK(struct co_passage_tables, passages_size, T_PASSAGES_SIZE);
CO_PASSAGE_CHECK(struct co_passage_tables, msr_index, T_MSR_INDEX);
CO_PASSAGE_CHECK(struct co_passage_tables, fixup, T_FIXUPS);
_Static_assert(sizeof(struct co_tss) == TSS_SIZE, "x86-64 TSS is 104 bytes");
_Static_assert(CO_VCPU_PASSAGE_STRIDE == CO_PASSAGE_STRIDE,
	       "passage.h's stride is the ABI's");
_Static_assert(!(CO_PASSAGE_STRIDE & (CO_PASSAGE_STRIDE - 1)),
	       "the stride is a power of two (other_passage tests its bits)");
_Static_assert(__builtin_offsetof(struct co_dtr, limit) == CO_DTR &&
	       __builtin_offsetof(struct co_dtr, base) == CO_DTR + 2,
	       "struct co_dtr must hold the operand at CO_DTR");

CO_PASSAGE_CHECK(struct co_passage_vcpu, gpr[4], V_RSI);
CO_PASSAGE_CHECK(struct co_passage_vcpu, gpr[15], V_R15);
CO_PASSAGE_CHECK(struct co_passage_vcpu, rip, V_RIP);
CO_PASSAGE_CHECK(struct co_passage_vcpu, ss, V_SS);
CO_PASSAGE_CHECK(struct co_passage_vcpu, cr0, V_CR0);
CO_PASSAGE_CHECK(struct co_passage_vcpu, cr8, V_CR8);
CO_PASSAGE_CHECK(struct co_passage_vcpu, xcr0, V_XCR0);
CO_PASSAGE_CHECK(struct co_passage_vcpu, gdtr, V_GDTR);
CO_PASSAGE_CHECK(struct co_passage_vcpu, ldtr, V_LDTR);
CO_PASSAGE_CHECK(struct co_passage_vcpu, gs, V_GS);
CO_PASSAGE_CHECK(struct co_passage_vcpu, msr_value, V_MSR_VALUE);
CO_PASSAGE_CHECK(struct co_passage_vcpu, exit_vector, V_EXIT_VECTOR);
CO_PASSAGE_CHECK(struct co_passage_vcpu, exit_kind, V_EXIT_KIND);
CO_PASSAGE_CHECK(struct co_passage_vcpu, fault_rip, V_FAULT_RIP);
CO_PASSAGE_CHECK(struct co_passage_vcpu, fault_cr2, V_FAULT_CR2);
CO_PASSAGE_CHECK(struct co_passage_vcpu, fault_depth, V_FAULT_DEPTH);
CO_PASSAGE_CHECK(struct co_passage_vcpu, pending, V_PENDING);
CO_PASSAGE_CHECK(struct co_passage_vcpu, inject, V_INJECT);
CO_PASSAGE_CHECK(struct co_passage_vcpu, inject_rsp, V_INJECT_RSP);
CO_PASSAGE_CHECK(struct co_passage_vcpu, inject_frame, V_INJECT_FRAME);
CO_PASSAGE_CHECK(struct co_passage_vcpu, faults, V_FAULTS);

CO_PASSAGE_CHECK(struct co_passage_host, xcr0, H_XCR0);
CO_PASSAGE_CHECK(struct co_passage_host, gdtr, H_GDTR);
CO_PASSAGE_CHECK(struct co_passage_host, idtr, H_IDTR);
CO_PASSAGE_CHECK(struct co_passage_host, gdt_rw, H_GDT_RW);
CO_PASSAGE_CHECK(struct co_passage_host, gs, H_GS);
CO_PASSAGE_CHECK(struct co_passage_host, msr_value, H_MSR_VALUE);

_Static_assert(sizeof(struct co_passage_tables) <= 4096, "tables page");
_Static_assert(sizeof(struct co_passage_vcpu) <= 4096, "vcpu page");
_Static_assert(sizeof(struct co_passage_host) <= 4096, "host page");

/* The switch code, assembled into .rodata (passage.S); copied, never run
 * where it is.
 */
extern const unsigned char co_passage_blob[];
extern const unsigned char co_passage_blob_end[];
/* The fixups of the restore path (passage.S, its own section). */
extern const struct co_fixup co_passage_fixups[];
extern const struct co_fixup co_passage_fixups_end[];

#endif /* __ASSEMBLER__ */
#endif /* COLINUX_CORE_PASSAGE_H */
