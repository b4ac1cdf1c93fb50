/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 architectural constants the core uses.  The core issues no
 * privileged instruction itself (the OS layer reads CR3 and CR4 for it), so
 * it runs unchanged in the userspace unit tests.
 */
#ifndef COLINUX_CORE_X86_H
#define COLINUX_CORE_X86_H

#include "types.h"

#define X86_RFLAGS_FIXED	(1ULL << 1)
#define X86_RFLAGS_TF		(1ULL << 8)
#define X86_RFLAGS_IF		(1ULL << 9)
#define X86_RFLAGS_DF		(1ULL << 10)
#define X86_RFLAGS_NT		(1ULL << 14)
#define X86_RFLAGS_RF		(1ULL << 16)
#define X86_RFLAGS_VM		(1ULL << 17)
#define X86_RFLAGS_IOPL		(3ULL << 12)

#define X86_CR0_PE		(1ULL << 0)
#define X86_CR0_MP		(1ULL << 1)
#define X86_CR0_ET		(1ULL << 4)
#define X86_CR0_NE		(1ULL << 5)
#define X86_CR0_WP		(1ULL << 16)
#define X86_CR0_AM		(1ULL << 18)
#define X86_CR0_PG		(1ULL << 31)

#define X86_CR4_PAE		(1ULL << 5)
#define X86_CR4_MCE		(1ULL << 6)
#define X86_CR4_PGE		(1ULL << 7)
#define X86_CR4_OSFXSR		(1ULL << 9)
#define X86_CR4_OSXMMEXCPT	(1ULL << 10)
#define X86_CR4_LA57		(1ULL << 12)
#define X86_CR4_VMXE		(1ULL << 13)
#define X86_CR4_SMXE		(1ULL << 14)
#define X86_CR4_PCIDE		(1ULL << 17)
#define X86_CR4_OSXSAVE		(1ULL << 18)

#define X86_EFER_SCE		(1ULL << 0)
#define X86_EFER_LME		(1ULL << 8)
#define X86_EFER_LMA		(1ULL << 10)
#define X86_EFER_NXE		(1ULL << 11)

#define X86_MSR_EFER		0xc0000080
#define X86_MSR_FS_BASE		0xc0000100
#define X86_MSR_GS_BASE		0xc0000101
#define X86_MSR_KERNEL_GS_BASE	0xc0000102
#define X86_MSR_PAT		0x00000277
#define X86_MSR_STAR		0xc0000081
#define X86_MSR_SFMASK		0xc0000084
#define X86_MSR_SYSENTER_CS	0x00000174
#define X86_MSR_TSC_AUX		0xc0000103
#define X86_MSR_SPEC_CTRL	0x00000048

#define X86_XCR0_X87		(1ULL << 0)
#define X86_XCR0_SSE		(1ULL << 1)

#endif /* COLINUX_CORE_X86_H */
