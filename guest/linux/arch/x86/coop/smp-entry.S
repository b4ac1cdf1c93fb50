/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cooperative Linux: a secondary CPU's first instructions.
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/msr-index.h>
#include <asm/unwind_hints.h>

	.text
/*
 * The host starts a secondary CPU here (CO_HC_VCPU_UP) with rdi = its
 * number, rsp = its idle task's pt_regs, interrupts off and the boot CPU's
 * CR3 at the time, which may be a user task's.  Take the kernel's own page
 * table (initialize_tlbstate_and_flush() checks it) and this CPU's per-CPU
 * area (the stack protector reads through GS), then go on in C.
 */
SYM_CODE_START(coop_secondary_startup)
	UNWIND_HINT_EMPTY
	ANNOTATE_NOENDBR
	movq	coop_secondary_cr3(%rip), %rax
	movq	%rax, %cr3
	movl	$MSR_GS_BASE, %ecx
	movq	__per_cpu_offset(, %rdi, 8), %rax
	movq	%rax, %rdx
	shrq	$32, %rdx
	wrmsr
	call	coop_start_secondary
	ud2
SYM_CODE_END(coop_secondary_startup)
