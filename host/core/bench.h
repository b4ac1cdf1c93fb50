/* SPDX-License-Identifier: GPL-2.0 */
#ifndef COLINUX_CORE_BENCH_H
#define COLINUX_CORE_BENCH_H

/*
 * Timing variants of the round trip, for make bench's breakdown: one part
 * of the switch runs T_BENCH_REPEAT extra times, idempotently, so its cost
 * is the difference from the plain round trip over the repeat count.
 * The passage runs the first five; the OS layer and the core the others.
 */
#define CO_BENCH_NONE		0
#define CO_BENCH_MSR		1	/* rdmsr and wrmsr of the switched list */
#define CO_BENCH_CR3		2	/* two CR3 writes: T, then G again */
#define CO_BENCH_PGE		3	/* a CR4.PGE toggle (two CR4 writes) */
#define CO_BENCH_DT		4	/* lgdt and lidt */
#define CO_BENCH_XCR0		5	/* xsetbv */
#define CO_BENCH_FPU		6	/* xsave and xrstor of the guest's FPU */
#define CO_BENCH_TABLE		7	/* refreshing T and the tables page */
#define CO_BENCH_DR		8	/* writing DR0-3 */
#define CO_BENCH_PARTS		9
#define CO_BENCH_REPEAT_MAX	1000

#endif /* COLINUX_CORE_BENCH_H */
