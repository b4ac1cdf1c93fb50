/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trap and interrupt entry: one 16-byte stub per vector pushes a zero error
 * code where the CPU pushes none, then the vector; trap_common saves the
 * general registers as struct trap_frame and calls trap_dispatch().
 */
	.text
	.globl trap_stubs
	.balign 16
trap_stubs:
	vector = 0
	.rept 256
	.if vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || \
	    vector == 21 || vector == 29 || vector == 30
	.else
	pushq	$0
	.endif
	pushq	$vector
	jmp	trap_common
	.balign 16, 0xcc
	vector = vector + 1
	.endr

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
