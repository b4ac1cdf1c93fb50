// SPDX-License-Identifier: GPL-2.0
/*
 * The test guest's tests, chosen by "test=NAME" on its command line.  Each
 * prints what it measured in a line the VM test scripts parse, and powers
 * off with 0 when its own checks pass.
 */
#include "guest.h"

#define NS_PER_SEC 1000000000ULL
#define NS_PER_MS 1000000ULL

/* ---- hello: the console, boot information and power-off status ---- */

static int test_hello(void)
{
	printf("hello from the cooperative test guest\n");
	printf("paging levels %u, passage at %llx (slot %u), TSC %llu kHz\n",
	       boot_info->paging_levels, boot_info->passage_va,
	       boot_info->passage_slot, boot_info->tsc_khz);
	printf("RAM: %u chunk(s), first at %llx, %llu MiB\n",
	       boot_info->nr_ram_chunks, boot_info->ram[0].gpa,
	       boot_info->ram[0].size >> 20);
	return (int)cmdline_number("status", 0);
}

/* ---- timer: 1 kHz virtual ticks with interrupts enabled ---- */

static volatile uint64_t ticks;
static uint64_t tick_deadline, tick_period;

static void on_tick(struct trap_frame *f)
{
	(void)f;
	ticks++;
	tick_deadline += tick_period;
	hypercall(CO_HC_SET_TIMER, tick_deadline, TIMER_VECTOR, 0, 0);
}

static void start_ticks(unsigned int hz)
{
	trap_set_handler(TIMER_VECTOR, on_tick);
	tick_period = boot_info->tsc_khz * 1000 / hz;
	tick_deadline = rdtsc() + tick_period;
	hypercall(CO_HC_SET_TIMER, tick_deadline, TIMER_VECTOR, 0, 0);
}

static void stop_ticks(void)
{
	hypercall(CO_HC_SET_TIMER, 0, 0, 0, 0);
}

static uint64_t spin_ns(uint64_t ns)
{
	uint64_t start = rdtsc(), end = start + ns * boot_info->tsc_khz / 1000000;

	while (rdtsc() < end)
		cpu_relax();
	return tsc_to_ns(rdtsc() - start);
}

static int test_timer(void)
{
	unsigned int hz = (unsigned int)cmdline_number("hz", 1000);
	uint64_t seconds = (uint64_t)cmdline_number("seconds", 3), ns, got;

	traps_init();
	start_ticks(hz);
	irq_enable();
	ns = spin_ns(seconds * NS_PER_SEC);
	irq_disable();
	stop_ticks();
	got = ticks;
	printf("timer: %llu ticks in %llu ms at %u Hz, expected %llu\n",
	       got, ns / NS_PER_MS, hz, seconds * hz);
	return 0;
}

/* ---- fpu: SIMD registers survive thousands of world switches ---- */

static uint8_t pattern[256], seen[256];

static int test_fpu(void)
{
	uint64_t rounds = (uint64_t)cmdline_number("rounds", 5000), i;
	unsigned int j, bad = 0;

	for (j = 0; j < sizeof(pattern); j++)
		pattern[j] = (uint8_t)(0xa5 ^ (j * 7));
	traps_init();
	start_ticks(1000);
	irq_enable();
	simd_fill(pattern);
	for (i = 0; i < rounds; i++) {
		hypercall(CO_HC_NOP, 0, 0, 0, 0);
		simd_store(seen);
		for (j = 0; j < sizeof(seen); j++)
			bad += seen[j] != pattern[j];
		if (bad)
			break;
	}
	irq_disable();
	stop_ticks();
	printf("fpu: %llu round trips, %llu timer ticks, %u bad bytes\n",
	       i, ticks, bad);
	return bad ? 1 : 0;
}

/* ---- faults: the guest's own exceptions through its own IDT ---- */

#define FAULT_REGION	0xffffc90000000000ULL
#define FAULT_PAGES	64

static volatile uint64_t resume_rip;
static volatile int expected = -1;
static uint64_t trap_count[32];

static void on_expected(struct trap_frame *f)
{
	if ((int)f->vector != expected) {
		printf("faults: vector %u at %llx, expected %d\n",
		       (unsigned int)f->vector, f->rip, expected);
		hypercall(CO_HC_CRASH, 2, 0, 0, 0);
	}
	trap_count[f->vector]++;
	f->rip = resume_rip;
	expected = -1;
}

#define EXPECT_TRAP(vec, insn) do {					\
	expected = (vec);						\
	__asm__ volatile("leaq 1f(%%rip), %%rax\n\t"			\
			 "movq %%rax, %0\n\t"				\
			 insn "\n"					\
			 "1:"						\
			 : "=m"(resume_rip) : : "rax", "rcx", "rdx", "memory"); \
} while (0)

static uint64_t read_cr2(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

static uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

/* The page-table entry for va in the current tables, creating tables. */
static uint64_t *pte_of(uint64_t va)
{
	uint64_t *table = (uint64_t *)(read_cr3() & ~0xfffULL);
	unsigned int level;

	for (level = boot_info->paging_levels; level > 1; level--) {
		uint64_t *e = &table[(va >> (12 + 9 * (level - 1))) & 511];

		if (!(*e & 1))
			*e = (uint64_t)page_alloc() | 0x3;
		table = (uint64_t *)(*e & 0x000ffffffffff000ULL);
	}
	return &table[(va >> 12) & 511];
}

/* The pages the fault region is mapped to on demand, reused each cycle. */
static uint64_t fault_pool[FAULT_PAGES];

static void on_page_fault(struct trap_frame *f)
{
	uint64_t addr = read_cr2(), n = (addr - FAULT_REGION) / PAGE_SIZE;

	if (n >= FAULT_PAGES) {
		printf("faults: page fault at %llx (rip %llx)\n", addr, f->rip);
		hypercall(CO_HC_CRASH, 3, 0, 0, 0);
	}
	*pte_of(addr) = fault_pool[n] | 0x3;
	trap_count[14]++;
}

/* A private top-level table: the boot one, passage slot included. */
static void switch_to_own_tables(void)
{
	uint64_t *top = page_alloc();

	memcpy(top, (void *)(read_cr3() & ~0xfffULL), PAGE_SIZE);
	top[boot_info->passage_slot] = boot_info->passage_entry;
	write_cr3((uint64_t)top);
}

static void unmap_region(void)
{
	unsigned int i;

	for (i = 0; i < FAULT_PAGES; i++)
		*pte_of(FAULT_REGION + i * PAGE_SIZE) = 0;
	write_cr3(read_cr3());
}

static int test_faults(void)
{
	uint64_t seconds = (uint64_t)cmdline_number("seconds", 3);
	uint64_t end, rounds = 0;
	volatile uint64_t *p;
	unsigned int v;

	traps_init();
	for (v = 0; v < FAULT_PAGES; v++)
		fault_pool[v] = (uint64_t)page_alloc();
	trap_set_handler(14, on_page_fault);
	for (v = 0; v < 32; v++)
		if (v == 0 || v == 3 || v == 6 || v == 13)
			trap_set_handler(v, on_expected);
	switch_to_own_tables();
	end = rdtsc() + seconds * boot_info->tsc_khz * 1000;
	irq_enable();
	while (rdtsc() < end) {
		p = (volatile uint64_t *)(FAULT_REGION + (rounds % FAULT_PAGES) * PAGE_SIZE);
		*p = rounds;
		if (*p != rounds)
			hypercall(CO_HC_CRASH, 4, 0, 0, 0);
		EXPECT_TRAP(0, "xorl %%ecx, %%ecx\n\tmovl $1, %%eax\n\tcltd\n\tdivl %%ecx");
		EXPECT_TRAP(6, "ud2");
		EXPECT_TRAP(3, "int3");
		EXPECT_TRAP(13, "movabsq $0x8000000000000000, %%rcx\n\tmovq (%%rcx), %%rcx");
		rounds++;
		if (rounds % FAULT_PAGES == 0)
			unmap_region();

	}
	irq_disable();
	printf("faults: %llu rounds: #PF %llu #DE %llu #UD %llu #BP %llu #GP %llu\n",
	       rounds, trap_count[14], trap_count[0], trap_count[6],
	       trap_count[3], trap_count[13]);
	return (trap_count[14] == rounds && trap_count[0] == rounds &&
		trap_count[6] == rounds && trap_count[3] == rounds &&
		trap_count[13] == rounds && rounds) ? 0 : 1;
}

/* ---- idle: waiting for a timer costs the host nothing ---- */

static volatile int fired;

static void on_alarm(struct trap_frame *f)
{
	(void)f;
	fired = 1;
}

static int test_idle(void)
{
	uint64_t ms = (uint64_t)cmdline_number("ms", 2000), start, sleeps = 0;

	traps_init();
	trap_set_handler(TIMER_VECTOR, on_alarm);
	printf("idle: waiting %llu ms\n", ms);
	start = rdtsc();
	set_timer_in(ms * NS_PER_MS);
	while (!fired) {
		hypercall(CO_HC_IDLE, 0, 0, 0, 0);
		sleeps++;
	}
	irq_disable();
	printf("idle: woke after %llu ms (%llu idle calls)\n",
	       tsc_to_ns(rdtsc() - start) / NS_PER_MS, sleeps);
	return 0;
}

/* ---- doorbell: interrupts raised by the daemon's threads ---- */

#define DOORBELL_VECTOR 0x50

static volatile uint64_t rings;

static void on_doorbell(struct trap_frame *f)
{
	(void)f;
	rings++;
}

/* Counts doorbells for half the time idle, half the time spinning. */
static int test_doorbell(void)
{
	uint64_t seconds = (uint64_t)cmdline_number("seconds", 2), end;
	uint64_t idle_rings, spin_rings;

	traps_init();
	trap_set_handler(DOORBELL_VECTOR, on_doorbell);
	end = rdtsc() + seconds * boot_info->tsc_khz * 1000;
	while (rdtsc() < end)
		hypercall(CO_HC_IDLE, 0, 0, 0, 0);
	idle_rings = rings;
	irq_enable();
	spin_ns(seconds * NS_PER_SEC);
	irq_disable();
	spin_rings = rings - idle_rings;
	printf("doorbell: %llu while idle, %llu while spinning, in %llu s each\n",
	       idle_rings, spin_rings, seconds);
	return 0;
}

/* ---- crashes: reported with registers, never taking the host along ---- */

static int test_crash(void)
{
	static const char msg[] = "deliberate crash from the test guest";

	printf("crashing on purpose\n");
	hypercall(CO_HC_CRASH, 42, gpa_of(msg), sizeof(msg) - 1, 0);
	return 1;
}

static int test_double_fault(void)
{
	traps_init();
	printf("double fault on purpose: a push onto an unmapped stack\n");
	/* The #PF cannot be delivered on the same stack: #DF. */
	__asm__ volatile("movabsq $0xffffc00000001000, %%rax\n\t"
			 "movq %%rax, %%rsp\n\t"
			 "pushq $0" : : : "rax", "memory");
	return 1;
}

static int test_unhandled(void)
{
	printf("an exception with no IDT\n");
	__asm__ volatile("ud2");
	return 1;
}

/* ---- spin: busy forever with interrupts on (kill and pinning tests) ---- */

static int test_spin(void)
{
	traps_init();
	if (cmdline_number("hz", 0))
		start_ticks((unsigned int)cmdline_number("hz", 0));
	printf("spinning\n");
	irq_enable();
	for (;;)
		cpu_relax();
	return 0;
}

/* ---- bench: what a switch and a forwarded interrupt cost ---- */

#define GAP_SAMPLES 512

static uint64_t gaps[GAP_SAMPLES];

static uint64_t median(uint64_t *v, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++)
		for (j = i; j && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n ? v[n / 2] : 0;
}

static int test_bench(void)
{
	uint64_t n = (uint64_t)cmdline_number("rounds", 20000), i, start, t;
	uint64_t end, last, now, gap_min;
	unsigned int found = 0;

	traps_init();
	for (i = 0; i < 100; i++)
		hypercall(CO_HC_NOP, 0, 0, 0, 0);
	start = rdtsc();
	for (i = 0; i < n; i++)
		hypercall(CO_HC_NOP, 0, 0, 0, 0);
	t = rdtsc() - start;
	printf("bench: world_switch_round_trip %llu ns\n", tsc_to_ns(t) / n);

	/*
	 * Spin with interrupts on and time the holes in the TSC: each one is a
	 * host interrupt taken by the passage, replayed by the host, and a
	 * return.  Holes are anything 20 times longer than the loop's minimum.
	 */
	gap_min = ~0ULL;
	last = rdtsc();
	for (i = 0; i < 100000; i++) {
		now = rdtsc();
		if (now - last < gap_min)
			gap_min = now - last;
		last = now;
	}
	irq_enable();
	end = rdtsc() + 2 * boot_info->tsc_khz * 1000;
	last = rdtsc();
	while (found < GAP_SAMPLES && (now = rdtsc()) < end) {
		if (now - last > 20 * (gap_min + 1))
			gaps[found++] = now - last;
		last = now;
	}
	irq_disable();
	printf("bench: forwarded_interrupt %llu ns (median of %u)\n",
	       tsc_to_ns(median(gaps, found)), found);
	return 0;
}

/*
 * ---- int80: the guest's own gate at 0x80 (CO_GUEST_SYSCALL_VECTOR) takes
 * "int $0x80" without the host: each call returns rax + 1 from the handler.
 */
static void int80_handler(struct trap_frame *f)
{
	f->rax += 1;
}

static int test_int80(void)
{
	uint64_t i, rax = 0;

	traps_init();
	trap_set_handler(CO_GUEST_SYSCALL_VECTOR, int80_handler);
	for (i = 0; i < 100000; i++)
		__asm__ volatile("int $0x80" : "+a"(rax) : : "memory");
	printf("int80: %llu calls, rax %llu\n", i, rax);
	return rax == i ? 0 : 1;
}

/* ---- badcalls: bad hypercall arguments get errors, nothing breaks ---- */

static uint64_t bad_idt[512] __attribute__((aligned(16)));

static int expect_ret(const char *what, long got, long want)
{
	if (got == want)
		return 0;
	printf("badcalls: %s returned %d, expected %d\n", what, (int)got, (int)want);
	return 1;
}

static int test_badcalls(void)
{
	uint64_t ram_end = boot_info->ram[0].gpa + boot_info->ram[0].size;
	static const char msg[] = "x";
	int bad = 0;

	bad += expect_ret("console outside RAM",
			  console_call(CO_CONSOLE_WRITE, 0x1000, 10), -22);
	bad += expect_ret("console too long",
			  console_call(CO_CONSOLE_WRITE, gpa_of(msg), CO_CONSOLE_MAX + 1), -22);
	bad += expect_ret("console across the end of RAM",
			  console_call(CO_CONSOLE_WRITE, ram_end - 4, 100), -22);
	bad += expect_ret("console wrapping around",
			  console_call(CO_CONSOLE_WRITE, ~0ULL - 5, 100), -22);
	bad += expect_ret("console read of nothing",
			  console_call(CO_CONSOLE_READ, gpa_of(msg), 0), -22);
	bad += expect_ret("console operation 77",
			  console_call(77, gpa_of(msg), 1), -38);
	bad += expect_ret("device 16",
			  hypercall(CO_HC_DAEMON_CALL, 16, CO_CONSOLE_WRITE, gpa_of(msg), 1), -19);
	bad += expect_ret("device ~0",
			  hypercall(CO_HC_DAEMON_CALL, ~0ULL, CO_CONSOLE_WRITE, gpa_of(msg), 1), -19);
	bad += expect_ret("unknown hypercall",
			  hypercall(12345, 0, 0, 0, 0), -38);
	bad += expect_ret("hypercall ~0", hypercall(~0ULL, 0, 0, 0, 0), -38);
	bad += expect_ret("timer vector 5",
			  hypercall(CO_HC_SET_TIMER, 1, 5, 0, 0), -22);
	bad += expect_ret("timer vector 256",
			  hypercall(CO_HC_SET_TIMER, 1, 256, 0, 0), -22);
	bad += expect_ret("IDT limit 4096",
			  hypercall(CO_HC_SET_IDT, gpa_of(bad_idt), 4096, 0, 0), -22);
	bad += expect_ret("IDT limit 17",
			  hypercall(CO_HC_SET_IDT, gpa_of(bad_idt), 17, 0, 0), -22);
	bad += expect_ret("IDT outside RAM",
			  hypercall(CO_HC_SET_IDT, 0x1000, 4095, 0, 0), -22);
	/* A present gate for #BP on IST 2, a stack the passage owns. */
	bad_idt[6] = (uint64_t)CO_GUEST_CS << 16 | 2ULL << 32 | 0x8eULL << 40 |
		     0x8000ULL << 48;
	bad_idt[7] = 0xffffffffULL;	/* handler 0xffffffff80000000 */
	bad += expect_ret("IDT gate on a passage IST",
			  hypercall(CO_HC_SET_IDT, gpa_of(bad_idt), 4095, 0, 0), -22);
	bad += expect_ret("non-canonical stack",
			  hypercall(CO_HC_SET_STACKS, 0x8000000000000000ULL, 0, 0, 0), -22);
	bad += expect_ret("kick of vCPU 1 of 1",
			  hypercall(CO_HC_KICK, 1, 0, 0, 0), -22);
	bad += expect_ret("kick of vCPU ~0",
			  hypercall(CO_HC_KICK, ~0ULL, 0, 0, 0), -22);
	bad += expect_ret("steal-time record unaligned",
			  hypercall(CO_HC_SET_STEAL_TIME, gpa_of(bad_idt) + 8, 0, 0, 0), -22);
	bad += expect_ret("steal-time record outside RAM",
			  hypercall(CO_HC_SET_STEAL_TIME, 0x1000, 0, 0, 0), -22);
	bad += expect_ret("steal-time record past the end of RAM",
			  hypercall(CO_HC_SET_STEAL_TIME, ram_end, 0, 0, 0), -22);
	bad += expect_ret("steal-time record at ~63",
			  hypercall(CO_HC_SET_STEAL_TIME, ~63ULL, 0, 0, 0), -22);
	/* A kick of itself first: the HALT after it returns at once. */
	bad += expect_ret("kick of itself", hypercall(CO_HC_KICK, 0, 0, 0, 0), 0);
	bad += expect_ret("halt after a kick", hypercall(CO_HC_HALT, 0, 0, 0, 0), 0);
	bad += expect_ret("console still works",
			  console_call(CO_CONSOLE_WRITE, gpa_of(msg), 1), 0);
	printf("\nbadcalls: %s\n", bad ? "SOME ACCEPTED" : "all refused");
	return bad;
}

/* ---- memtest: guest RAM is the guest's alone ---- */

static uint64_t fill_value(uint64_t addr, uint64_t pass)
{
	return addr * 0x9e3779b97f4a7c15ULL ^ pass;
}

static int test_memtest(void)
{
	uint64_t seconds = (uint64_t)cmdline_number("seconds", 3), end, pass;
	uint64_t first = gpa_of(_image_end), last = boot_info->reserved_gpa;
	uint64_t bad = 0, a;
	unsigned int i;

	/* Every chunk, minus the image and the boot area. */
	end = rdtsc() + seconds * boot_info->tsc_khz * 1000;
	irq_enable();
	for (pass = 1; !bad && rdtsc() < end; pass++) {
		for (i = 0; i < boot_info->nr_ram_chunks; i++) {
			uint64_t lo = boot_info->ram[i].gpa;
			uint64_t hi = lo + boot_info->ram[i].size;

			if (lo < first && first < hi)
				lo = first;
			if (lo < last && last < hi)
				hi = last;
			for (a = lo; a < hi; a += 8)
				*(volatile uint64_t *)a = fill_value(a, pass);
			for (a = lo; a < hi; a += 8) {
				if (*(volatile uint64_t *)a != fill_value(a, pass)) {
					if (bad++ < 8)
						printf("memtest: %llx changed (pass %llu)\n",
						       a, pass);
				}
			}
		}
	}
	irq_disable();
	printf("memtest: %llu passes, %llu bad words\n", pass - 1, bad);
	return bad ? 1 : 0;
}

struct test {
	const char *name;
	int (*run)(void);
};

static const struct test tests[] = {
	{ "hello", test_hello },
	{ "timer", test_timer },
	{ "fpu", test_fpu },
	{ "faults", test_faults },
	{ "idle", test_idle },
	{ "crash", test_crash },
	{ "doublefault", test_double_fault },
	{ "unhandled", test_unhandled },
	{ "spin", test_spin },
	{ "bench", test_bench },
	{ "badcalls", test_badcalls },
	{ "memtest", test_memtest },
	{ "doorbell", test_doorbell },
	{ "flags", test_flags },
	{ "scribble", test_scribble },
	{ "softint", test_softint },
	{ "int80", test_int80 },
	{ "irqsoff", test_irqsoff },
	{ "breakpoint", test_breakpoint },
	{ "avx", test_avx },
	{ "pkru", test_pkru },
	{ "zeroram", test_zeroram },
	{ "storm", test_storm },
	{ "fillmarker", test_fillmarker },
	{ "blkbad", test_blkbad },
	{ "blkrace", test_blkrace },
	{ "blkflood", test_blkflood },
	{ "netbad", test_netbad },
	{ "netrace", test_netrace },
	{ "smp", test_smp },
	{ "smp-apoff", test_smp_apoff },
	{ "sweep", test_sweep },
};

int run_test(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (cmdline_is("test", tests[i].name) ||
		    (!name && !i))
			return tests[i].run();
	printf("no such test: %s\n", name);
	return 97;
}

void guest_main(uint64_t boot_params_gpa);

/* rsi at entry: the boot_params zero page, which points at co_boot_info. */
void guest_main(uint64_t boot_params_gpa)
{
	const uint8_t *bp = (const uint8_t *)boot_params_gpa;

	if (*(const uint32_t *)(bp + CO_BOOT_PARAMS_SUBARCH) != CO_X86_SUBARCH_COOP)
		poweroff(95);
	boot_info = (const struct co_boot_info *)
		*(const uint64_t *)(bp + CO_BOOT_PARAMS_SUBARCH_DATA);
	if (boot_info->magic != CO_BOOT_MAGIC ||
	    boot_info->abi_version != CO_ABI_VERSION)
		poweroff(96);
	poweroff((uint64_t)run_test(cmdline_value("test")));
}
