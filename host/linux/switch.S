/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's two doors, in module text (objtool checks them):
 *
 * co_switch_enter(transition_cr3, enter_va) runs the guest until its next
 * exit.  Interrupts are off.  It loads T, whose kernel half is the host's,
 * so this code keeps running, and calls into the passage; the passage
 * returns here with every piece of host state back except CR3 and RFLAGS,
 * which this stub restores itself.  It returns the RFLAGS the passage came
 * back with, so that the caller can check that the passage cleaned them.
 *
 * co_call_host_handler(entry) replays an interrupt or NMI that hit the
 * guest: it calls the host's own IDT entry with the frame the CPU would
 * have pushed (kernel CS/SS, flags with IF clear), as KVM does after a VM
 * exit.  The handler's iret returns here.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>

SYM_FUNC_START(co_switch_enter)
	push	%rbp
	mov	%rsp, %rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	pushf
	mov	%cr3, %rax
	push	%rax
	mov	%rdi, %cr3
	ANNOTATE_RETPOLINE_SAFE
	call	*%rsi
	pushf
	pop	%rdx
	pop	%rax
	mov	%rax, %cr3
	popf
	mov	%rdx, %rax
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	RET
SYM_FUNC_END(co_switch_enter)

SYM_FUNC_START(co_call_host_handler)
	push	%rbp
	mov	%rsp, %rbp
	and	$-16, %rsp
	push	$__KERNEL_DS
	push	%rbp
	pushf
	push	$__KERNEL_CS
	CALL_NOSPEC rdi
	/* The handler's iret already restored rsp; tell objtool so. */
	mov	%rbp, %rsp
	pop	%rbp
	RET
SYM_FUNC_END(co_call_host_handler)
