/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Assembler only: the 256 interrupt and exception entry stubs shared by
 * the passage and the test guest.  The CPU pushes an error code for some
 * exceptions only; the stubs push a zero for the others so that every
 * vector reaches its handler with the same frame.
 */
#ifndef COLINUX_CORE_X86_STUBS_H
#define COLINUX_CORE_X86_STUBS_H

/* One stub per vector, each padded to SIZE bytes, all jumping to TARGET. */
.macro X86_VECTOR_STUBS target:req, size:req
	vec = 0
	.rept 256
	.if vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30
	.else
	pushq	$0
	.endif
	pushq	$vec
	jmp	\target
	.balign \size, 0xcc
	vec = vec + 1
	.endr
.endm

#endif
