/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trap and interrupt entry: one 16-byte stub per vector pushes a zero error
 * code where the CPU pushes none, then the vector; trap_common saves the
 * general registers as struct trap_frame and calls trap_dispatch().
 */
#include "../../host/core/x86-stubs.h"

	.text
	.globl trap_stubs
	.balign 16
trap_stubs:
	X86_VECTOR_STUBS trap_common, 16

trap_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, %rdi
	cld
	call	trap_dispatch
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp
	iretq
