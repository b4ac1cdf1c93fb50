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
	x86_vector = 0
	.rept 256
	.if x86_vector == 8 || (x86_vector >= 10 && x86_vector <= 14) || \
	    x86_vector == 17 || x86_vector == 21 || x86_vector == 29 || \
	    x86_vector == 30
	.else
	pushq	$0
	.endif
	pushq	$x86_vector
	jmp	\target
	.balign \size, 0xcc
	x86_vector = x86_vector + 1
	.endr
.endm

#endif
