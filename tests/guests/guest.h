/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test guest: a freestanding 64-bit kernel of a few hundred lines that
 * talks to the host only through the cooperative ABI, so that the world
 * switch can be tested without Linux.
 */
#ifndef COLINUX_TEST_GUEST_H
#define COLINUX_TEST_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <colinux/abi.h>

#define KERNEL_VA	0xffffffff80000000ULL
#define PAGE_SIZE	4096ULL
#define TIMER_VECTOR	0x40
#define RFLAGS_IF	(1ULL << 9)

/* What a trap handler sees; it may change rip to resume elsewhere. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

extern const struct co_boot_info *boot_info;
extern char _image_start[], _image_end[];

/*
 * hypercall.c.  vCPU i must call its own entry, hypercall_va + i *
 * CO_VCPU_PASSAGE_STRIDE: the host cannot tell a call through another
 * vCPU's entry from a good one, and nothing catches it.  The guest has no
 * per-CPU data, so a CPU is known by its stack: vCPU 0 runs on the boot
 * stack, vCPU i > 0 on ap_stacks[i - 1] (its traps and interrupts too: no
 * gate uses an IST stack and nothing runs in user mode).  hypercall() goes
 * through this_cpu()'s entry, so the library (printf, poweroff, the trap
 * path) is right on any CPU; code written for one CPU says which with
 * hypercall_on().
 */
#define NR_GUEST_CPUS	2	/* the vCPUs the test guest runs code on */
#define AP_STACK_SIZE	16384
extern char ap_stacks[NR_GUEST_CPUS - 1][AP_STACK_SIZE];
unsigned int this_cpu(void);
int start_ap_job(const char *name, void (*job)(unsigned int cpu));
long hypercall_on(unsigned int cpu, uint64_t nr, uint64_t a0, uint64_t a1,
		  uint64_t a2, uint64_t a3);
long hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
	       uint64_t a3);
__attribute__((noreturn)) void poweroff(uint64_t status);

/* lib.c */
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
void printf(const char *fmt, ...);
long console_device(void);
long console_call(uint64_t op, uint64_t gpa, uint64_t len);
const char *cmdline_value(const char *key);
long cmdline_number(const char *key, long fallback);
bool cmdline_is(const char *key, const char *value);
uint64_t xorshift64(uint64_t *state);
uint64_t rdtsc(void);
uint64_t tsc_to_ns(uint64_t cycles);
uint64_t gpa_of(const void *kernel_va);
void *page_alloc(void);

/* traps.c */
typedef void (*trap_handler)(struct trap_frame *frame);
void traps_init(void);
void trap_set_handler(unsigned int vector, trap_handler handler);
void set_timer_in(uint64_t ns);
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }

/* simd.S */
void simd_fill(const void *pattern);	/* xmm0-15 <- 256 bytes */
void simd_store(void *out);		/* 256 bytes <- xmm0-15 */

/* blkbad.c, netbad.c */
int test_blkbad(void);
int test_blkrace(void);
int test_blkflood(void);
int test_netbad(void);
int test_netrace(void);

/* smp.c */
int test_smp(void);
int test_smp_apoff(void);

/* tests.c */
int run_test(const char *name);

/* hostile.c */
int test_flags(void);
int test_scribble(void);
int test_softint(void);
int test_irqsoff(void);
int test_breakpoint(void);
int test_avx(void);
int test_pkru(void);
int test_zeroram(void);
int test_storm(void);
int test_fillmarker(void);

/* sweep.c */
int test_sweep(void);

#endif /* COLINUX_TEST_GUEST_H */
