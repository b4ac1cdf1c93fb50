// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile (or just buggy) guest: each test here does something an
 * ordinary guest kernel or user program may do that once reached into the
 * host through the world switch.  The VM test cases check that the host
 * stays whole: the guest either carries on or is stopped with a report.
 */
#include "guest.h"
#include "../../host/core/passage.h"

#define NS_PER_MS	1000000ULL
#define RFLAGS_DF	(1ULL << 10)
#define RFLAGS_NT	(1ULL << 14)
#define RFLAGS_AC	(1ULL << 18)
#define CR4_PKE		(1ULL << 22)
#define XCR0_AVX	(1ULL << 2)

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static void spin_ms(uint64_t ms)
{
	uint64_t end = rdtsc() + ms * boot_info->tsc_khz;

	while (rdtsc() < end)
		cpu_relax();
}

/* A virtual timer every 100 us keeps the host busy injecting. */
static volatile uint64_t ticks;

static void on_tick(struct trap_frame *f)
{
	(void)f;
	ticks++;
	set_timer_in(100000);
}

static void start_fast_ticks(void)
{
	traps_init();
	trap_set_handler(TIMER_VECTOR, on_tick);
	set_timer_in(100000);
	irq_enable();
}

/*
 * ---- flags: DF, AC and NT set while host interrupts arrive and while
 * calling the host.  The host must get clean flags back (it checks them
 * after every round trip), and the guest its own.
 */
int test_flags(void)
{
	uint64_t seconds = (uint64_t)cmdline_number("seconds", 5), end, after;
	uint64_t calls = 0, bad = 0;
	uint32_t r[4];
	bool smap;

	cpuid(7, 0, r);
	smap = r[1] & (1U << 20);
	start_fast_ticks();
	end = rdtsc() + seconds * boot_info->tsc_khz * 1000;
	while (rdtsc() < end) {
		/* Spin with DF (and AC) set: host ticks interrupt us here. */
		__asm__ volatile("std" ::: "memory");
		if (smap)
			__asm__ volatile("stac" ::: "memory");
		spin_ms(1);
		__asm__ volatile("cld" ::: "memory");
		if (smap)
			__asm__ volatile("clac" ::: "memory");

		/* A hypercall with DF, AC and NT set: they must come back. */
		__asm__ volatile("pushfq\n\t"
				 "orq %[set], (%%rsp)\n\t"
				 "popfq\n\t"
				 "call *%[entry]\n\t"
				 "pushfq\n\t"
				 "popq %[after]\n\t"
				 "pushfq\n\t"
				 "andq %[clear], (%%rsp)\n\t"
				 "popfq"
				 : [after] "=&r"(after)
				 : [entry] "m"(boot_info->hypercall_va),
				   "a"((uint64_t)CO_HC_NOP),
				   [set] "r"(RFLAGS_DF | RFLAGS_NT | RFLAGS_AC),
				   [clear] "r"(~(RFLAGS_DF | RFLAGS_NT | RFLAGS_AC))
				 : "memory", "cc");
		if ((after & (RFLAGS_DF | RFLAGS_NT | RFLAGS_AC)) !=
		    (RFLAGS_DF | RFLAGS_NT | RFLAGS_AC))
			bad++;
		calls++;
	}
	irq_disable();
	printf("flags: %llu hypercalls with DF, AC and NT set, %llu ticks, smap %d, %llu lost flags\n",
	       calls, ticks, smap, bad);
	return bad || !ticks;
}

/*
 * ---- scribble: stray stores into the passage's vcpu page (the words the
 * host once trusted on the way back) while exits keep happening; a store
 * into the tables page must fault.
 */
static volatile uint64_t resume_at;
static volatile uint64_t write_faults;

static void on_write_fault(struct trap_frame *f)
{
	write_faults++;
	f->rip = resume_at;
}

static void try_write(uint64_t va, uint64_t value)
{
	__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
			 "movq %%rax, %[resume]\n\t"
			 "movq %[v], (%[va])\n"
			 "1:"
			 : [resume] "=m"(resume_at)
			 : [va] "r"(va), [v] "r"(value)
			 : "rax", "memory");
}

int test_scribble(void)
{
	uint64_t seconds = (uint64_t)cmdline_number("seconds", 3), end, rounds = 0;
	volatile uint64_t *vcpu = (volatile uint64_t *)(boot_info->passage_va +
							  CO_PASSAGE_VCPU);
	uint64_t tables = boot_info->passage_va + CO_PASSAGE_TABLES;

	start_fast_ticks();
	trap_set_handler(14, on_write_fault);
	end = rdtsc() + seconds * boot_info->tsc_khz * 1000;
	while (rdtsc() < end) {
		uint64_t junk = rounds & 1 ? ~0ULL : rounds * 0x9e3779b97f4a7c15ULL;

		vcpu[V_PENDING / 8] = junk;
		vcpu[V_FAULT_DEPTH / 8] = junk;
		vcpu[V_EXIT_KIND / 8] = junk;
		vcpu[V_FAULTS / 8] = junk;
		vcpu[V_EXIT_VECTOR / 8] = 2;
		vcpu[0x118 / 8] = 0;		/* where the MSR count was */
		vcpu[0x120 / 8] = junk;		/* and the MSR list */
		try_write(tables + T_MSR_COUNT, 0);
		try_write(tables + T_MSR_INDEX, junk);
		try_write(tables + T_ENTRY_TAG, junk);
		hypercall(CO_HC_NOP, 0, 0, 0, 0);
		spin_ms(1);
		rounds++;
	}
	irq_disable();
	printf("scribble: %llu rounds, %llu ticks, %llu tables-page writes refused\n",
	       rounds, ticks, write_faults);
	return write_faults != 3 * rounds || !ticks;
}

/* ---- softint: "int $N" on a vector the passage owns (vector=N) ---- */

extern char int_stubs[];
__asm__(".pushsection .text\n"
	".balign 4\n"
	"int_stubs:\n"
	"vec = 0\n"
	".rept 256\n"
	"int $vec\n"
	"ret\n"
	".balign 4, 0xcc\n"
	"vec = vec + 1\n"
	".endr\n"
	".popsection");

int test_softint(void)
{
	unsigned int v = (unsigned int)cmdline_number("vector", 0x80) & 255;

	if (cmdline_is("idt", "1"))
		traps_init();
	printf("softint: int $0x%x\n", v);
	((void (*)(void))(int_stubs + 4 * v))();
	printf("softint: the guest went on after int $0x%x\n", v);
	return 1;
}

/* ---- irqsoff: keep host interrupts out (mode=cli, hlt or cr8) ---- */

int test_irqsoff(void)
{
	printf("irqsoff: %s\n", cmdline_value("mode") ? cmdline_value("mode") : "cli");
	if (cmdline_is("mode", "hlt"))
		__asm__ volatile("cli\n1: hlt\n\tjmp 1b" ::: "memory");
	if (cmdline_is("mode", "cr8"))
		__asm__ volatile("movq $15, %%rax\n\tmovq %%rax, %%cr8\n\tsti\n"
				 "1: jmp 1b" ::: "rax", "memory");
	__asm__ volatile("cli\n1: jmp 1b" ::: "memory");
	return 1;
}

/*
 * ---- breakpoint: the guest arms a debug register on passage memory
 * (mode=data: the vcpu page, exec: the hypercall entry, stack: the top of
 * the #DF/fault IST stack) and calls the host.
 */
int test_breakpoint(void)
{
	uint64_t va = boot_info->passage_va, addr, dr7;

	if (cmdline_is("mode", "exec")) {
		addr = boot_info->hypercall_va;
		dr7 = 0x2;				/* G0, execute */
	} else if (cmdline_is("mode", "stack")) {
		addr = va + CO_PASSAGE_STACK_DF + 0x1000 - 8;
		dr7 = 0x2 | 1ULL << 16 | 2ULL << 18;	/* G0, write, 8 bytes */
	} else {
		addr = va + CO_PASSAGE_VCPU + V_RAX;
		dr7 = 0x2 | 3ULL << 16 | 2ULL << 18;	/* G0, read/write, 8 */
	}
	printf("breakpoint: DR0 = %llx, DR7 = %llx\n", addr, dr7 | 0x400);
	__asm__ volatile("movq %0, %%dr0\n\tmovq %1, %%dr7"
			 : : "r"(addr), "r"(dr7 | 0x400) : "memory");
	hypercall(CO_HC_NOP, 0, 0, 0, 0);
	hypercall(CO_HC_NOP, 0, 0, 0, 0);
	printf("breakpoint: the guest went on\n");
	return 1;
}

/*
 * ---- avx: the guest turns AVX on and reads the upper halves of ymm0-15,
 * which it never wrote: they must be zero, not what a host process that
 * shares the CPU keeps there.
 */
static uint8_t upper[16 * 16];

static void read_ymm_upper(void)
{
	__asm__ volatile("vextractf128 $1, %%ymm0, 0(%0)\n\t"
			 "vextractf128 $1, %%ymm1, 16(%0)\n\t"
			 "vextractf128 $1, %%ymm2, 32(%0)\n\t"
			 "vextractf128 $1, %%ymm3, 48(%0)\n\t"
			 "vextractf128 $1, %%ymm4, 64(%0)\n\t"
			 "vextractf128 $1, %%ymm5, 80(%0)\n\t"
			 "vextractf128 $1, %%ymm6, 96(%0)\n\t"
			 "vextractf128 $1, %%ymm7, 112(%0)\n\t"
			 "vextractf128 $1, %%ymm8, 128(%0)\n\t"
			 "vextractf128 $1, %%ymm9, 144(%0)\n\t"
			 "vextractf128 $1, %%ymm10, 160(%0)\n\t"
			 "vextractf128 $1, %%ymm11, 176(%0)\n\t"
			 "vextractf128 $1, %%ymm12, 192(%0)\n\t"
			 "vextractf128 $1, %%ymm13, 208(%0)\n\t"
			 "vextractf128 $1, %%ymm14, 224(%0)\n\t"
			 "vextractf128 $1, %%ymm15, 240(%0)"
			 : : "r"(upper) : "memory");
}

int test_avx(void)
{
	uint64_t seconds = (uint64_t)cmdline_number("seconds", 3), end;
	uint64_t checks = 0, bad = 0;
	uint32_t r[4], lo, hi;
	unsigned int i;

	cpuid(1, 0, r);
	if (!(r[2] & (1U << 28)) || !(r[2] & (1U << 27))) {
		printf("avx: the CPU has no AVX\n");
		return 0;
	}
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	lo |= XCR0_AVX;
	__asm__ volatile("xsetbv" : : "a"(lo), "d"(hi), "c"(0));
	start_fast_ticks();
	end = rdtsc() + seconds * boot_info->tsc_khz * 1000;
	while (rdtsc() < end) {
		hypercall(CO_HC_NOP, 0, 0, 0, 0);
		read_ymm_upper();
		for (i = 0; i < sizeof(upper); i++)
			bad += upper[i] != 0;
		checks++;
		spin_ms(1);
	}
	irq_disable();
	printf("avx: %llu checks of ymm0-15, %llu ticks, %llu bytes not zero\n",
	       checks, ticks, bad);
	return bad ? 1 : 0;
}

/*
 * ---- pkru: the guest denies every protection key; the host kernel and
 * the daemon, which use key 0, must not inherit that.
 */
int test_pkru(void)
{
	uint64_t cr4;
	uint32_t r[4], pkru;
	unsigned int i;

	cpuid(7, 0, r);
	if (!(r[2] & (1U << 3))) {
		printf("pkru: the CPU has no protection keys\n");
		return 0;
	}
	__asm__ volatile("movq %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_PKE;
	__asm__ volatile("movq %0, %%cr4" : : "r"(cr4) : "memory");
	__asm__ volatile("wrpkru" : : "a"(0x55555555U), "c"(0), "d"(0));
	start_fast_ticks();
	for (i = 0; i < 50; i++) {
		printf("pkru: line %u with every key denied\n", i);
		spin_ms(20);
	}
	irq_disable();
	__asm__ volatile("rdpkru" : "=a"(pkru) : "c"(0) : "rdx");
	printf("pkru: %llx at the end, %llu ticks\n", (uint64_t)pkru, ticks);
	return pkru != 0x55555555U;
}

/*
 * ---- zeroram: every byte of RAM the daemon did not load must be zero:
 * the host's old page contents never reach a guest.
 */
int test_zeroram(void)
{
	uint64_t image_lo = gpa_of(_image_start), image_hi = gpa_of(_image_end);
	uint64_t boot_lo = boot_info->reserved_gpa;
	uint64_t boot_hi = boot_lo + boot_info->reserved_size;
	uint64_t words = 0, dirty = 0, a;
	unsigned int i;

	for (i = 0; i < boot_info->nr_ram_chunks; i++) {
		uint64_t lo = boot_info->ram[i].gpa, hi = lo + boot_info->ram[i].size;

		for (a = lo; a < hi; a += 8) {
			if ((a >= image_lo && a < image_hi) ||
			    (a >= boot_lo && a < boot_hi)) {
				a = (a < image_hi && a >= image_lo ? image_hi : boot_hi) - 8;
				continue;
			}
			words++;
			if (*(volatile uint64_t *)a && dirty++ < 4)
				printf("zeroram: %llx holds %llx\n", a,
				       *(volatile uint64_t *)a);
		}
	}
	printf("zeroram: %llu MiB scanned, %llu words not zero\n",
	       words * 8 >> 20, dirty);
	return dirty ? 1 : 0;
}

/*
 * ---- storm: a 10 us timer and doorbells from many daemon threads at once
 * (doorbell=80,0,8), idle and spinning in turns, for seconds=N.
 */
#define STORM_VECTOR 0x50

static volatile uint64_t storm_rings, storm_ticks;
static uint64_t storm_end;

/*
 * Where a round trip costs more than 10 us (under emulation), ticks alone
 * can keep the guest busy: the timer stops at the end, so the test ends.
 */
static void on_storm_tick(struct trap_frame *f)
{
	(void)f;
	storm_ticks++;
	if (rdtsc() < storm_end)
		set_timer_in(10000);
}

static void on_storm_ring(struct trap_frame *f)
{
	(void)f;
	storm_rings++;
}

int test_storm(void)
{
	uint64_t seconds = (uint64_t)cmdline_number("seconds", 10), next;

	traps_init();
	trap_set_handler(TIMER_VECTOR, on_storm_tick);
	trap_set_handler(STORM_VECTOR, on_storm_ring);
	storm_end = rdtsc() + seconds * boot_info->tsc_khz * 1000;
	set_timer_in(10000);
	while ((next = rdtsc()) < storm_end) {
		/* 10 ms asleep in the host, 10 ms spinning. */
		next += 10 * boot_info->tsc_khz;
		while (rdtsc() < next)
			hypercall(CO_HC_IDLE, 0, 0, 0, 0);
		irq_enable();
		spin_ms(10);
		irq_disable();
	}
	printf("storm: %llu doorbells, %llu timer ticks in %llu s\n",
	       storm_rings, storm_ticks, seconds);
	return !storm_rings || !storm_ticks;
}

/*
 * ---- fillmarker: write a marker at every 32-byte boundary of the RAM the
 * daemon did not load, then power off: the host must scrub it before the
 * pages go back to its allocator.
 */
int test_fillmarker(void)
{
	/*
	 * Upper-cased here, not in this image's bytes: the host's copies of
	 * the image file are not the guest's data the scan looks for.
	 */
	static const char lower[] = "colinux-guest-data-marker";
	char marker[sizeof(lower)];
	uint64_t image_lo = gpa_of(_image_start), image_hi = gpa_of(_image_end);
	uint64_t boot_lo = boot_info->reserved_gpa;
	uint64_t boot_hi = boot_lo + boot_info->reserved_size;
	uint64_t slots = 0, a;
	unsigned int i;

	for (i = 0; i < sizeof(lower); i++)
		marker[i] = lower[i] >= 'a' && lower[i] <= 'z' ?
			lower[i] - 'a' + 'A' : lower[i];
	for (i = 0; i < boot_info->nr_ram_chunks; i++) {
		uint64_t lo = boot_info->ram[i].gpa, hi = lo + boot_info->ram[i].size;

		for (a = lo; a + 32 <= hi; a += 32) {
			if ((a >= image_lo && a < image_hi) ||
			    (a >= boot_lo && a < boot_hi))
				continue;
			memcpy((void *)a, marker, sizeof(marker) - 1);
			slots++;
		}
	}
	printf("fillmarker: %llu MiB marked\n", slots * 32 >> 20);
	return 0;
}
