/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The world switch.
 *
 * This is a position-dependent blob that is never executed where it is
 * assembled: the core copies it into the passage's code pages, which the
 * transition table T and every guest table map at the same virtual address.
 * It therefore lives in .rodata (objtool, retpolines and return thunks must
 * never rewrite it: a patched "ret" would jump into host text that the
 * guest's page tables do not map) and addresses everything relative to its
 * own start: the data pages sit at fixed offsets after it (passage.h).
 *
 * Three ways in:
 *   co_passage_enter  the host, through its stub, with CR3 = T: run the guest
 *   co_hypercall      the guest, with "call": hypercall, exit to the host
 *   the vector stubs  the CPU, on an interrupt, NMI or exception
 * and one way out to the host: exit_to_host, which returns to the stub.
 *
 * Invariants (docs/world-switch.md):
 *   - The host IDT is live only when all of the host's state is: its CR3 or
 *     T, GDT, TR, GS base and CR4.  It is loaded last on exit and unloaded
 *     first on entry.
 *   - Whenever a passage IDT is live, the TSS is the passage's, whose IST
 *     stacks are mapped in every table the CPU may be using.
 *   - NMIs and machine checks that arrive in switch code are latched in
 *     vcpu.pending and replayed by the host afterwards; the last check before
 *     iretq is restartable, so none slips into the guest unnoticed.
 *   - Before every CR3 switch between the worlds, CR4.PGE and PCIDE are
 *     cleared (drop_global_and_pcid): no TLB entry of one world, global or
 *     not, survives into the other.
 *   - The host gets its RFLAGS back clean: the exit clears DF, AC, NT and TF
 *     (a guest interrupted after "std" or "stac" must not run the host's
 *     memcpy backwards or switch SMAP off), and the host's stub restores its
 *     own flags.
 *   - Nothing the exit relies on can be changed by a guest store: the MSR
 *     list is in the tables page, the two words the passage writes in G
 *     carry the entry's tag (passage.h).
 *   - A fault while restoring the host never halts the CPU: every restoring
 *     instruction is a fixup, skipped on a second fault (restore_fault).
 */
#include "passage.h"
#include "x86-stubs.h"

#define VP(off)		(.Lblob + CO_PASSAGE_VCPU + (off))(%rip)
#define HP(off)		(.Lblob + CO_PASSAGE_HOST + (off))(%rip)
#define TP(off)		(.Lblob + CO_PASSAGE_TABLES + (off))(%rip)
#define STACK_TOP(s)	(.Lblob + (s) + 0x1000)(%rip)

/* Interrupts off, DF, AC, NT, TF and every status flag clear. */
#define CLEAN_RFLAGS	2

/* Faults while restoring the host: restart the restore up to ... times. */
#define RESTORE_RESTARTS_MAX	8
#define RESTORE_FAULTS_MAX	64

/*
 * An instruction of the restore path that may fault: its offset and the
 * offset of the next one go into a table (its own section; the core copies
 * it into the tables page), so a second fault can skip it (restore_fault).
 */
.macro fixup insn:vararg
.Lfix_insn\@:
	\insn
.Lfix_next\@:
	.pushsection .rodata.co_passage_fixups, "a"
	.long	.Lfix_insn\@ - .Lblob, .Lfix_next\@ - .Lblob
	.popsection
.endm

/* Load the passage GDT and its code and data selectors (valid in T and G). */
.macro passage_segments
	fixup lgdt	TP(T_GDTR + CO_DTR)
	pushq	$CO_SEL_CS
	leaq	.Lpassage_cs\@(%rip), %rax
	pushq	%rax
	fixup lretq
.Lpassage_cs\@:
	movl	$CO_SEL_DS, %eax
	fixup movl	%eax, %ss
	fixup movl	%eax, %ds
	fixup movl	%eax, %es
.endm

/*
 * Clear CR4.PGE and CR4.PCIDE, keeping the rest of the current CR4: from
 * then on no TLB entry is global or tagged with a PCID, so the next CR3
 * write drops every entry of the world being left.  If PGE was set, the
 * write itself flushes every entry, global ones included; so does clearing
 * PCIDE; if both were clear already, no entry was global (entries are
 * global only while PGE is set, and clearing it flushed them) and every
 * entry is PCID 0's, which the CR3 write flushes.  Clearing bits of the
 * CPU's own CR4 never faults.
 */
.macro drop_global_and_pcid
	movq	%cr4, %rax
	andq	$~(CO_CR4_PGE | CO_CR4_PCIDE), %rax
	fixup movq	%rax, %cr4
.endm

/* A full flush, global entries included (make bench's pge variant). */
.macro toggle_pge
	movq	%cr4, %rax
	movq	%rax, %rcx
	xorq	$CO_CR4_PGE, %rcx
	movq	%rcx, %cr4
	movq	%rax, %cr4
.endm

/*
 * MSRs in the list order of the tables page (which the guest cannot write):
 * rdmsr into, or wrmsr from, an array.
 */
.macro save_msrs array
	xorl	%esi, %esi
.Lsave\@:
	cmpq	TP(T_MSR_COUNT), %rsi
	jae	.Lsaved\@
	leaq	TP(T_MSR_INDEX), %rdi
	movl	(%rdi,%rsi,4), %ecx
	rdmsr
	leaq	\array(%rip), %rdi
	movl	%eax, (%rdi,%rsi,8)
	movl	%edx, 4(%rdi,%rsi,8)
	incq	%rsi
	jmp	.Lsave\@
.Lsaved\@:
.endm

/*
 * An MSR that T_MSR_SKIPPABLE allows is read first and written only if it
 * does not hold its new value already (wrmsr costs hundreds of cycles; a
 * Linux guest and host share EFER, STAR, SFMASK, PAT...).  What the CPU
 * holds is read, not remembered: nothing a guest wrote can make the switch
 * skip a write.  If the rdmsr is skipped by a restore fault, eax holds the
 * complement of the new value, so the write happens.  The list allows only
 * MSRs whose host values are no secret: the time a round trip takes tells
 * whether a value matched.
 */
.macro load_msrs array
	xorl	%esi, %esi
	movq	TP(T_MSR_SKIPPABLE), %r9
.Lload\@:
	cmpq	TP(T_MSR_COUNT), %rsi
	jae	.Lloaded\@
	leaq	TP(T_MSR_INDEX), %rdi
	movl	(%rdi,%rsi,4), %ecx
	leaq	\array(%rip), %rdi
	btq	%rsi, %r9
	jnc	.Lwrite\@
	movl	(%rdi,%rsi,8), %eax
	notl	%eax
	fixup rdmsr
	cmpl	(%rdi,%rsi,8), %eax
	jne	.Lwrite\@
	cmpl	4(%rdi,%rsi,8), %edx
	je	.Lnext\@
.Lwrite\@:
	movl	(%rdi,%rsi,8), %eax
	movl	4(%rdi,%rsi,8), %edx
	fixup wrmsr
.Lnext\@:
	incq	%rsi
	jmp	.Lload\@
.Lloaded\@:
.endm

/*
 * A timing variant (passage.h): what stands between bench_begin and
 * bench_end runs T_BENCH_REPEAT more times when T_BENCH_PART is part.
 * Only on the way in, before the guest's registers are loaded: r8 counts.
 */
.macro bench_begin name, part
	cmpq	$\part, TP(T_BENCH_PART)
	jne	.Lbench_done_\name
	movq	TP(T_BENCH_REPEAT), %r8
.Lbench_loop_\name:
	testq	%r8, %r8
	jz	.Lbench_done_\name
.endm

.macro bench_end name
	decq	%r8
	jmp	.Lbench_loop_\name
.Lbench_done_\name:
.endm

#define HOST_MSRS	(.Lblob + CO_PASSAGE_HOST + H_MSR_VALUE)
#define GUEST_MSRS	(.Lblob + CO_PASSAGE_VCPU + V_MSR_VALUE)

	.section .rodata.co_passage_fixups, "a"
	.p2align 3
	.globl co_passage_fixups
co_passage_fixups:

	.section .rodata.co_passage, "a"
	.p2align 12
	.globl co_passage_blob
co_passage_blob:
.Lblob:

/*
 * Hypercall: the guest did "call *hypercall_va" in ring 0, on its own stack
 * and in its own address space.  Until switch_start the guest's state is
 * intact but for what it pushed: an interrupt there is an ordinary guest
 * exit and resumes right here.  The popfq turns interrupts off and clears
 * DF, AC, NT and TF in one go (a single-stepping guest stops stepping here;
 * an iretq with NT set would fault).
 *
 * Every vCPU has a passage, and every guest CPU can reach them all: is
 * this passage the calling CPU's own?  The guest-world IDT the CPU runs
 * with says (each passage loads its own on every entry).  Another vCPU's
 * passage holds the host state of another host thread, so a CPU that
 * called another vCPU's entry (a guest bug, or a task that moved between
 * guest CPUs) goes on in its own passage, where this one would have.  An
 * IDT that is no passage's (Linux loads its own early in boot, before its
 * paravirt hooks) leaves the entry called in charge, as with one vCPU.
 * This runs before switch_start, as guest code: an NMI here is a guest
 * exit, never latched, so no loop here can hold the host's NMIs.
 *
 * Then build the frame an interrupt would have pushed, on the exit stack,
 * and leave like one.
 */
	.org CO_PASSAGE_HYPERCALL
co_hypercall:
	pushfq
	pushq	$CLEAN_RFLAGS
	popfq
	pushq	%rax
	pushq	%rcx
	subq	$16, %rsp
	sidt	CO_DTR(%rsp)
	movq	CO_DTR + 2(%rsp), %rax	/* the CPU's IDT */
	addq	$16, %rsp
	leaq	(.Lblob + CO_PASSAGE_GUEST_IDT)(%rip), %rcx
	cmpq	%rcx, %rax
	je	switch_start
	subq	TP(T_FIRST_GUEST_IDT), %rax	/* which passage's IDT? */
	cmpq	TP(T_PASSAGES_SIZE), %rax
	jae	switch_start
	testq	$(CO_PASSAGE_STRIDE - 1), %rax
	jnz	switch_start
	addq	TP(T_FIRST_GUEST_IDT), %rax
	addq	$(switch_start - .Lblob - CO_PASSAGE_GUEST_IDT), %rax
	jmp	*%rax			/* its switch_start, same stack */
switch_start:			/* from here on: switch code (see stub_dispatch) */
	movq	%rsp, %rax		/* rax -> rcx, rax, rflags, return rip */
	leaq	STACK_TOP(CO_PASSAGE_STACK_EXIT), %rsp
	movq	%ss, %rcx
	pushq	%rcx			/* ss */
	leaq	32(%rax), %rcx
	pushq	%rcx			/* rsp as after "ret" */
	pushq	16(%rax)		/* rflags, IF as the guest had it */
	movq	%cs, %rcx
	pushq	%rcx			/* cs */
	pushq	24(%rax)		/* rip: the return address */
	pushq	$0			/* error code */
	pushq	$CO_VEC_HYPERCALL
	movq	(%rax), %rcx
	movq	8(%rax), %rax
	jmp	exit_common

/*
 * Host -> guest.  Called by the host's stub (host/linux/switch.S):
 * CR3 = T (host kernel half + passage), interrupts off, host GDT, IDT, TR,
 * segments and MSRs, on the host's kernel stack.  Callee-saved registers
 * were saved by the stub; everything else is ours.
 */
	.org CO_PASSAGE_ENTER
co_passage_enter:
	movq	%rsp, HP(H_RSP)
	leaq	STACK_TOP(CO_PASSAGE_STACK_ENTRY), %rsp

	/* Save the host's state while its page is mapped (only T maps it). */
	movq	%cr0, %rax
	movq	%rax, HP(H_CR0)
	movq	%cr2, %rax
	movq	%rax, HP(H_CR2)
	movq	%cr4, %rax
	movq	%rax, HP(H_CR4)
	movq	%cr8, %rax
	movq	%rax, HP(H_CR8)
	movq	%dr6, %rax
	movq	%rax, HP(H_DR6)
	movq	%dr7, %rax
	movq	%rax, HP(H_DR7)
	sgdt	HP(H_GDTR + CO_DTR)
	sidt	HP(H_IDTR + CO_DTR)
	strq	%rax
	movq	%rax, HP(H_TR)
	sldtq	%rax
	movq	%rax, HP(H_LDTR)
	movq	%cs, %rax
	movq	%rax, HP(H_CS)
	movq	%ss, %rax
	movq	%rax, HP(H_SS)
	movq	%ds, %rax
	movq	%rax, HP(H_DS)
	movq	%es, %rax
	movq	%rax, HP(H_ES)
	movq	%fs, %rax
	movq	%rax, HP(H_FS)
	movq	%gs, %rax
	movq	%rax, HP(H_GS)
	xorl	%ecx, %ecx
	xgetbv
	movl	%eax, HP(H_XCR0)
	movl	%edx, HP(H_XCR0 + 4)

	save_msrs HOST_MSRS
	/*
	 * The switch IDT: from here until iretq every NMI and #MC is latched,
	 * every exception is a passage fault.  The host TSS's IST stacks are
	 * mapped in T, so an NMI right now is safe too.
	 */
	lidt	TP(T_SWITCH_IDTR + CO_DTR)

	/* Passage GDT and TSS, valid in T and in G alike. */
	passage_segments
	andb	$0xfd, TP(T_GDT + CO_SEL_TSS + 5)	/* not busy */
	movw	$CO_SEL_TSS, %ax
	ltr	%ax

	/*
	 * No host TLB entry may reach G.  PCIDE stays off until the host's CR4
	 * is back: T and G use PCID 0.
	 */
	drop_global_and_pcid
	bench_begin pge, CO_BENCH_PGE
	toggle_pge
	bench_end pge

	/* XCR0 may only be written while CR4.OSXSAVE is set: the host's is. */
	movl	VP(V_XCR0), %eax
	movl	VP(V_XCR0 + 4), %edx
	xorl	%ecx, %ecx
	xsetbv
	bench_begin xcr0, CO_BENCH_XCR0
	movl	VP(V_XCR0), %eax
	movl	VP(V_XCR0 + 4), %edx
	xorl	%ecx, %ecx
	xsetbv
	bench_end xcr0
	xorl	%eax, %eax
	movq	%rax, %dr7		/* no host breakpoint fires in the guest */

	movq	VP(V_CR3), %rax
	movq	%rax, %cr3
	/* ---------------- guest address space (G) ---------------- */
	bench_begin cr3, CO_BENCH_CR3
	movq	TP(T_TRANSITION_CR3), %rcx
	movq	%rcx, %cr3
	movq	%rax, %cr3
	bench_end cr3
	movq	VP(V_CR4), %rax		/* with the host's MCE, VMXE, LA57 */
	movq	%rax, %cr4
	movq	VP(V_CR0), %rax
	movq	%rax, %cr0
	movq	VP(V_CR2), %rax
	movq	%rax, %cr2
	movq	VP(V_CR8), %rax
	movq	%rax, %cr8
	movq	VP(V_DR6), %rax
	movq	%rax, %dr6

	/* The guest's GDT, LDT and selectors; its TR stays the passage TSS. */
	lgdt	VP(V_GDTR + CO_DTR)
	bench_begin dt, CO_BENCH_DT
	lidt	TP(T_SWITCH_IDTR + CO_DTR)
	lgdt	VP(V_GDTR + CO_DTR)
	bench_end dt
	movq	VP(V_LDTR), %rax
	lldt	%ax
	movq	VP(V_DS), %rax
	movl	%eax, %ds
	movq	VP(V_ES), %rax
	movl	%eax, %es
	movq	VP(V_FS), %rax
	movl	%eax, %fs
	movq	VP(V_GS), %rax
	movl	%eax, %gs

	/* Guest MSRs: after FS/GS, whose selector loads reset the bases. */
	load_msrs GUEST_MSRS
	bench_begin msr, CO_BENCH_MSR
	save_msrs GUEST_MSRS
	load_msrs GUEST_MSRS
	bench_end msr
	/*
	 * A virtual interrupt: write the frame the CPU would have pushed on the
	 * guest stack the host chose (vcpu.rip etc. already name the handler).
	 * A fault here is a passage fault: the guest's stack is not mapped.
	 */
	cmpq	$0, VP(V_INJECT)
	je	6f
	movq	VP(V_INJECT_RSP), %rdi
	leaq	VP(V_INJECT_FRAME), %rsi
	movl	$5, %ecx
	cld
	rep movsq
	movq	$0, VP(V_INJECT)
6:
	pushq	VP(V_SS)
	pushq	VP(V_RSP)
	pushq	VP(V_RFLAGS)
	pushq	VP(V_CS)
	pushq	VP(V_RIP)
	movq	VP(V_RBX), %rbx
	movq	VP(V_RCX), %rcx
	movq	VP(V_RDX), %rdx
	movq	VP(V_RSI), %rsi
	movq	VP(V_RDI), %rdi
	movq	VP(V_RBP), %rbp
	movq	VP(V_R8), %r8
	movq	VP(V_R9), %r9
	movq	VP(V_R10), %r10
	movq	VP(V_R11), %r11
	movq	VP(V_R12), %r12
	movq	VP(V_R13), %r13
	movq	VP(V_R14), %r14
	movq	VP(V_R15), %r15
	/* The guest-world IDT: guest exceptions go straight to the guest. */
	lidt	TP(T_GUEST_IDTR + CO_DTR)
	/*
	 * The guest's breakpoints only now: one on passage memory then fires
	 * into the guest's own #DB gate, never into a switch-IDT stub.
	 */
	movq	VP(V_DR7), %rax
	movq	%rax, %dr7
	movq	VP(V_RAX), %rax
	/*
	 * Restartable: an NMI or #MC that lands between here and iretq is
	 * latched and sent back to entry_final, so the check sees it.
	 */
entry_final:
	cmpq	$0, VP(V_PENDING)
	jne	entry_abort
	iretq
entry_final_end:

/* An event was latched on the way in: leave again at once, as an exit. */
entry_abort:
	pushq	$0
	pushq	$CO_VEC_PENDING
	jmp	exit_common

/*
 * Every vector stub lands here with [vector, error, rip, cs, rflags, rsp,
 * ss] on its IST stack and interrupts off.  Was the CPU in switch code?
 * Then an NMI or #MC is latched and the switch resumes; anything else is a
 * bug or guest state the CPU refused, and the guest is stopped.  Otherwise
 * it is an event in the guest world: exit.
 */
stub_dispatch:
	pushq	%rax
	pushq	%rcx
	movq	32(%rsp), %rax			/* interrupted rip */
	leaq	switch_start(%rip), %rcx
	subq	%rcx, %rax
	cmpq	$(switch_end - switch_start), %rax
	jb	in_switch
	popq	%rcx
	popq	%rax
	jmp	exit_common

in_switch:
	movq	16(%rsp), %rax			/* vector */
	movl	$CO_PENDING_NMI, %ecx
	cmpq	$2, %rax
	je	latch
	movl	$CO_PENDING_MC, %ecx
	cmpq	$18, %rax
	je	latch
	popq	%rcx
	popq	%rax
	jmp	passage_fault

/*
 * Record the event (bit in ecx) in vcpu.pending.  The guest may have
 * written that word while it ran: without this entry's tag it is stale and
 * starts again from the tag.  A cmpxchg, because an #MC can interrupt an
 * NMI's latch and the other way round.
 */
latch:
	pushq	%rdx
	pushq	%rbx
	movq	VP(V_PENDING), %rax
1:	movq	%rax, %rdx
	movq	%rax, %rbx
	xorq	TP(T_ENTRY_TAG), %rbx
	shrq	$CO_TAG_SHIFT, %rbx
	jz	2f
	movq	TP(T_ENTRY_TAG), %rdx
2:	orq	%rcx, %rdx
	lock cmpxchgq %rdx, VP(V_PENDING)
	jne	1b
	popq	%rbx
	popq	%rdx
	movq	32(%rsp), %rax
	leaq	entry_final(%rip), %rcx
	subq	%rcx, %rax
	cmpq	$(entry_final_end - entry_final), %rax
	jae	1f
	movq	%rcx, 32(%rsp)			/* rewind to the pending check */
1:	popq	%rcx
	popq	%rax
	addq	$16, %rsp
	iretq

/*
 * The CPU refused something in switch code; the frame [vector, error, rip,
 * cs, rflags, rsp, ss] is on the stack.  First disarm the guest's
 * breakpoints, so a breakpoint on passage memory cannot fire again on the
 * way out.  The first fault of an exit records the cause and restores the
 * host; a fault while restoring (fault_depth already carries this entry's
 * tag) goes to restore_fault.
 */
passage_fault:
	pushq	%rax
	xorl	%eax, %eax
	movq	%rax, %dr7
	movq	VP(V_FAULT_DEPTH), %rax
	cmpq	TP(T_ENTRY_TAG), %rax
	je	restore_fault
	/* The first fault of this exit: the count starts here, whatever the
	 * guest may have left in the word.
	 */
	movq	TP(T_ENTRY_TAG), %rax
	movq	%rax, VP(V_FAULT_DEPTH)
	movq	$1, VP(V_FAULTS)
	movq	%cr2, %rax
	movq	%rax, VP(V_FAULT_CR2)
	movq	8(%rsp), %rax
	movq	%rax, VP(V_EXIT_VECTOR)
	movq	16(%rsp), %rax
	movq	%rax, VP(V_EXIT_ERROR)
	movq	24(%rsp), %rax
	movq	%rax, VP(V_FAULT_RIP)
	movq	$CO_XK_PASSAGE_FAULT, VP(V_EXIT_KIND)
	leaq	STACK_TOP(CO_PASSAGE_STACK_ENTRY), %rsp
	jmp	exit_to_host

/*
 * The last resort: a fault while the host's state was being put back.
 * Halting here would take the host CPU with interrupts off; instead skip
 * the instruction that faulted (every restoring instruction is a fixup)
 * and go on restoring what can be.  A fault anywhere else restarts the
 * restore, a few times; then only the host's IDT and stack are put back
 * and the OS layer, which sees vcpu.faults, restores the rest itself.
 */
restore_fault:
	incq	VP(V_FAULTS)
	cmpq	$RESTORE_FAULTS_MAX, VP(V_FAULTS)
	ja	passage_dead
	pushq	%rcx
	pushq	%rdx
	movq	40(%rsp), %rax			/* faulting rip */
	leaq	.Lblob(%rip), %rcx
	subq	%rcx, %rax			/* as a passage offset */
	leaq	TP(T_FIXUPS), %rcx
	movq	TP(T_FIXUP_COUNT), %rdx
1:	testq	%rdx, %rdx
	jz	2f
	cmpl	(%rcx), %eax
	je	3f
	addq	$8, %rcx
	decq	%rdx
	jmp	1b
3:	movl	4(%rcx), %eax
	leaq	.Lblob(%rip), %rcx
	addq	%rcx, %rax
	movq	%rax, 40(%rsp)			/* resume after it */
	popq	%rdx
	popq	%rcx
	popq	%rax
	addq	$16, %rsp
	iretq
2:	leaq	STACK_TOP(CO_PASSAGE_STACK_ENTRY), %rsp
	cmpq	$RESTORE_RESTARTS_MAX, VP(V_FAULTS)
	jbe	exit_to_host
	fixup lidt	HP(H_IDTR + CO_DTR)
	movq	HP(H_RSP), %rsp
	ret

/*
 * Only if even the host page cannot be read: nothing is left to restore
 * with.  Not reachable while T maps the host page, which the passage
 * loads before anything else it restores.
 */
passage_dead:
	hlt
	jmp	passage_dead

/*
 * Guest -> host, with the guest's complete state still loaded and the
 * frame [vector, error, rip, cs, rflags, rsp, ss] on the stack.
 */
exit_common:
	movq	%rax, VP(V_RAX)
	movq	%rbx, VP(V_RBX)
	movq	%rcx, VP(V_RCX)
	movq	%rdx, VP(V_RDX)
	movq	%rsi, VP(V_RSI)
	movq	%rdi, VP(V_RDI)
	movq	%rbp, VP(V_RBP)
	movq	%r8, VP(V_R8)
	movq	%r9, VP(V_R9)
	movq	%r10, VP(V_R10)
	movq	%r11, VP(V_R11)
	movq	%r12, VP(V_R12)
	movq	%r13, VP(V_R13)
	movq	%r14, VP(V_R14)
	movq	%r15, VP(V_R15)
	popq	VP(V_EXIT_VECTOR)
	popq	VP(V_EXIT_ERROR)
	popq	VP(V_RIP)
	popq	VP(V_CS)
	popq	VP(V_RFLAGS)
	popq	VP(V_RSP)
	popq	VP(V_SS)
	movq	$CO_XK_GUEST, VP(V_EXIT_KIND)
	/* Off the IST stack: a nested NMI must not overwrite what we use. */
	leaq	STACK_TOP(CO_PASSAGE_STACK_ENTRY), %rsp

	movq	%cr2, %rax			/* before anything can fault */
	movq	%rax, VP(V_CR2)
	movq	%cr0, %rax
	movq	%rax, VP(V_CR0)
	movq	%cr3, %rax
	movq	%rax, VP(V_CR3)
	movq	%cr4, %rax
	movq	%rax, VP(V_CR4)
	movq	%cr8, %rax
	movq	%rax, VP(V_CR8)
	movq	%dr6, %rax
	movq	%rax, VP(V_DR6)
	movq	%dr7, %rax
	movq	%rax, VP(V_DR7)
	xorl	%eax, %eax
	movq	%rax, %dr7
	sgdt	VP(V_GDTR + CO_DTR)
	sldtq	%rax
	movq	%rax, VP(V_LDTR)
	movq	%ds, %rax
	movq	%rax, VP(V_DS)
	movq	%es, %rax
	movq	%rax, VP(V_ES)
	movq	%fs, %rax
	movq	%rax, VP(V_FS)
	movq	%gs, %rax
	movq	%rax, VP(V_GS)

	save_msrs GUEST_MSRS
	testq	$CO_CR4_OSXSAVE, VP(V_CR4)	/* xgetbv needs OSXSAVE */
	jz	exit_to_host
	xorl	%ecx, %ecx
	xgetbv
	movl	%eax, VP(V_XCR0)
	movl	%edx, VP(V_XCR0 + 4)

/*
 * Back to the host.  Reached from exit_common with the guest's state saved,
 * or from passage_fault with some unknown mix of both worlds loaded: so
 * restore every piece of host state unconditionally.
 */
exit_to_host:
	pushq	$CLEAN_RFLAGS
	popfq
	fixup lidt	TP(T_SWITCH_IDTR + CO_DTR)
	passage_segments

	/*
	 * No guest TLB entry may outlive G, whatever the guest did to its CR4:
	 * without PGE and PCIDE, loading T drops them all (as on entry).
	 */
	drop_global_and_pcid
	movq	TP(T_TRANSITION_CR3), %rax
	fixup movq	%rax, %cr3
	/* ---------------- transition address space (T) ---------------- */
	/* CR0 before setting CR4: CR4.CET may only be set while CR0.WP is. */
	movq	HP(H_CR0), %rax
	fixup movq	%rax, %cr0
	movq	HP(H_CR4), %rax			/* PCIDE needs CR3[11:0] = 0: */
	fixup movq	%rax, %cr4			/* T's is */
	movl	HP(H_XCR0), %eax
	movl	HP(H_XCR0 + 4), %edx
	xorl	%ecx, %ecx
	fixup xsetbv
	movq	HP(H_CR2), %rax
	movq	%rax, %cr2
	movq	HP(H_CR8), %rax
	fixup movq	%rax, %cr8
	movq	HP(H_DR6), %rax
	fixup movq	%rax, %dr6

	/*
	 * The host's TR: its GDT is usually mapped read-only, so clear the busy
	 * bit and ltr through the writable alias, then load the real GDTR.
	 */
	subq	$16, %rsp
	movw	HP(H_GDTR + CO_DTR), %ax
	movw	%ax, (%rsp)
	movq	HP(H_GDT_RW), %rax
	movq	%rax, 2(%rsp)
	fixup lgdt	(%rsp)
	addq	$16, %rsp
	movq	HP(H_TR), %rcx
	andl	$0xfff8, %ecx
	fixup andb	$0xfd, 5(%rax,%rcx)
	fixup ltr	%cx
	fixup lgdt	HP(H_GDTR + CO_DTR)
	movq	HP(H_LDTR), %rax
	fixup lldt	%ax
	pushq	HP(H_CS)
	leaq	4f(%rip), %rax
	pushq	%rax
	fixup lretq
4:	movq	HP(H_SS), %rax
	fixup movl	%eax, %ss
	movq	HP(H_DS), %rax
	fixup movl	%eax, %ds
	movq	HP(H_ES), %rax
	fixup movl	%eax, %es
	movq	HP(H_FS), %rax
	fixup movl	%eax, %fs
	movq	HP(H_GS), %rax
	fixup movl	%eax, %gs

	load_msrs HOST_MSRS			/* GS base among them */
	movq	HP(H_DR7), %rax
	fixup movq	%rax, %dr7
	/* Last: with the host IDT live, the host is whole again. */
	fixup lidt	HP(H_IDTR + CO_DTR)
	movq	HP(H_RSP), %rsp
	ret

/*
 * The vector stubs, 16 bytes each.  Vectors with a CPU error code push
 * only the vector; the others push a zero first, so the frame is the same.
 */
	.org CO_PASSAGE_STUBS
	X86_VECTOR_STUBS stub_dispatch, CO_STUB_SIZE
switch_end:

	.org CO_PASSAGE_BLOB_SIZE
	.globl co_passage_blob_end
co_passage_blob_end:

	.section .rodata.co_passage_fixups, "a"
	.globl co_passage_fixups_end
co_passage_fixups_end:

	.section .note.GNU-stack, "", @progbits
