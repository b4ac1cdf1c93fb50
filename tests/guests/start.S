/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry: 64-bit mode, the daemon's boot page tables (RAM identity-mapped,
 * this image at KERNEL_VA), the passage GDT, interrupts off, rsi = the
 * physical address of struct co_boot_info.  Take our own stack and go to C.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	leaq	boot_stack_top(%rip), %rsp
	movq	%rsi, %rdi
	call	guest_main
1:	hlt
	jmp	1b

/*
 * A secondary CPU, started by CO_HC_VCPU_UP in the same boot state with rsp
 * at the top of its stack (ap_stacks) and rdi = its index.  The call puts
 * rsp where C expects it; ap_main (smp.c) never returns.
 */
	.globl ap_start
ap_start:
	call	ap_main
1:	hlt
	jmp	1b

	.section .bss
	.balign 16
	.globl boot_stack_top
boot_stack:
	.skip	65536
boot_stack_top:
