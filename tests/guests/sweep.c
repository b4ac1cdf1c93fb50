// SPDX-License-Identifier: GPL-2.0
/*
 * sweep: the hostile guest made systematic (test=sweep seed=N calls=N).
 *
 * On one vCPU, with interrupts off except where a test turns them on:
 *
 *  1. every hypercall number the module knows (but POWEROFF and CRASH,
 *     which end the guest) and a few it does not, each argument in turn
 *     taken from a table of boundary values (0, 1, 2^12, 2^31, 2^32,
 *     2^47 - 1, 2^47, 2^56, 2^63, ~0, the ends of RAM, the guest's own page
 *     table, the passage, unaligned addresses, lengths that wrap), then
 *     calls=N more drawn from the same table by a generator seeded with
 *     seed=N.  Each result must be exactly what docs/abi.md promises for
 *     those arguments (worked out here before the call), every register
 *     but rax and the flags must come back as they went in, and the guest
 *     must still be whole: its IDT works (int3 on its IST stack), its
 *     stack and a canary area are unchanged.  Calls that change state the
 *     guest lives on (the IDT snapshot, the stacks, the timer, the
 *     steal-time record) are undone at once; sleeping calls get a wake-up
 *     timer first;
 *  2. SET_IDT all or nothing: a table with one bad gate, handed over while
 *     a host timer is due to land in the middle of the call, must leave
 *     the previous snapshot in force, which an int3 and an injected vector
 *     show;
 *  3. garbage in the guest's own control state before calling the host:
 *     GDTs with odd limits and bases, odd IDT registers, segment
 *     selectors, CR0, CR4 and CR8 bits, every switched MSR with odd values,
 *     debug registers on its own data, code and stack, XCR0 and XSAVE
 *     state.  The host must come back clean (the runner checks its log)
 *     and give the guest its own values back.
 *
 * What the module or daemon may write into guest RAM (the steal-time
 * record, console input) is sent to a scratch page when the address drawn
 * is one the guest lives on: the host writing where it was told is no bug.
 * Prints one "sweep: FAIL" line per surprise and a summary; the status is
 * 0 only if there was none.  To chase one: only=PHASE runs a single phase
 * (calls, idt, gdt, idtr, seg, cr0, cr4, cr8, msr, debug, xsave), bit=N
 * a single CR4 bit, verbose=1 prints a line before each case.
 */
#include "guest.h"
#include "../../host/core/format.h"

#define ENOENT		2
#define ENODEV		19
#define EINVAL		22
#define ENOSYS		38

#define RFLAGS_RF	(1ULL << 16)
/* The flags a call must hand back: arithmetic, DF and AC. */
#define RFLAGS_KEPT	0x40cd5ULL

#define CR0_MP		(1ULL << 1)
#define CR0_EM		(1ULL << 2)
#define CR0_TS		(1ULL << 3)
#define CR0_NE		(1ULL << 5)
#define CR0_WP		(1ULL << 16)
#define CR0_AM		(1ULL << 18)
#define CR0_NW		(1ULL << 29)
#define CR0_CD		(1ULL << 30)
#define CR4_PCIDE	(1ULL << 17)
/* CR4 bits the host forces to its own values on every entry (docs/abi.md). */
#define CR4_HOST_OWNED	((1ULL << 6) | (1ULL << 12) | (1ULL << 13) | (1ULL << 14))

/* Vectors of the sweep's own (see on_vector). */
#define VEC_IST5	0x45	/* gate on IST 5: injected on that stack */
#define VEC_CHECK	0x46	/* raised with SEND_IPI to see which gate runs */
#define VEC_WRONG3	0x4b	/* stubs a replaced gate points at instead */
#define VEC_WRONGCHK	0x4c
#define VEC_PREV3	0x4d
#define VEC_PREVCHK	0x4e

#define MAX_FAIL_LINES	40
#define IST_SIZE	16384

extern char trap_stubs[];

/* ---- bookkeeping ---- */

static uint64_t rng;
static bool verbose;	/* verbose=1: a line before each control-state case */
static uint64_t calls, skipped, redirected, surprises, refused_by_cpu;

static uint64_t rnd(void)
{
	/* xorshift64*: the same sequence for the same seed, on every model. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static void fail(const char *fmt, ...)
{
	char line[300];
	va_list ap;

	surprises++;
	if (surprises > MAX_FAIL_LINES)
		return;
	va_start(ap, fmt);
	co_vformat(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("sweep: FAIL %s\n", line);
}

/* ---- the guest's own IDT, stacks and handlers ---- */

static uint64_t good_idt[512] __attribute__((aligned(4096)));
static uint64_t prev_idt[512] __attribute__((aligned(4096)));
static uint64_t alt_idt[512] __attribute__((aligned(4096)));
/* rsp0, IST 3 (int3), IST 5 (VEC_IST5), IST 6 (#DB, #UD) */
static char stacks[4][IST_SIZE] __attribute__((aligned(16)));
static uint64_t good_stacks[4];
static struct co_steal_time good_steal __attribute__((aligned(64)));

static volatile uint64_t int3_hits, int3_off_stack, wrong3_hits, prev3_hits;
static volatile uint64_t check_hits, wrongchk_hits, prevchk_hits;
static volatile uint64_t ist5_hits, ist5_off_stack, ud_hits, ud_off_stack;
static volatile uint64_t db_hits[4], db_off_stack, stray[256];
static volatile int timer_fired, ud_expected;

static uint64_t stub(unsigned int v)
{
	return (uint64_t)trap_stubs + 16 * v;
}

static void make_gate(uint64_t *idt, unsigned int v, uint64_t handler,
		      unsigned int ist)
{
	idt[2 * v] = (handler & 0xffff) | (uint64_t)CO_GUEST_CS << 16 |
		     (uint64_t)ist << 32 | 0x8eULL << 40 |
		     ((handler >> 16) & 0xffff) << 48;
	idt[2 * v + 1] = handler >> 32;
}

static bool on_stack(const struct trap_frame *f, unsigned int i)
{
	uint64_t p = (uint64_t)f, base = (uint64_t)stacks[i];

	return p >= base && p < base + IST_SIZE;
}

static void on_int3(struct trap_frame *f)
{
	int3_hits++;
	if (!on_stack(f, 1))
		int3_off_stack++;
}

static volatile uint64_t try_resume;
static volatile int try_vector;

/* An exception a try_*() helper asked for: resume after the instruction. */
static bool take_try(struct trap_frame *f)
{
	if (!try_resume)
		return false;
	try_vector = (int)f->vector;
	f->rip = try_resume;
	try_resume = 0;
	return true;
}

static void on_fault(struct trap_frame *f)
{
	if (take_try(f))
		return;
	printf("sweep: FAIL exception %u, error %llx, at rip %llx\n",
	       (unsigned int)f->vector, f->error, f->rip);
	hypercall(CO_HC_CRASH, 13, 0, 0, 0);
}

static void on_ud(struct trap_frame *f)
{
	if (take_try(f))
		return;
	if (!ud_expected)
		on_fault(f);
	ud_expected = 0;
	ud_hits++;
	if (!on_stack(f, 3))
		ud_off_stack++;
	f->rip += 2;	/* ud2 */
}

static uint64_t read_dr6(void)
{
	uint64_t v;

	__asm__ volatile("movq %%dr6, %0" : "=r"(v));
	return v;
}

static void write_dr6(uint64_t v)
{
	__asm__ volatile("movq %0, %%dr6" : : "r"(v));
}

static void on_db(struct trap_frame *f)
{
	uint64_t dr6 = read_dr6();
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (dr6 & (1ULL << i))
			db_hits[i]++;
	if (!on_stack(f, 3))
		db_off_stack++;
	/* An instruction breakpoint is a fault: resume past it. */
	f->rflags |= RFLAGS_RF;
	write_dr6(0xfffe0ff0);
}

static void on_vector(struct trap_frame *f)
{
	switch (f->vector) {
	case TIMER_VECTOR:
		timer_fired = 1;
		break;
	case VEC_IST5:
		ist5_hits++;
		if (!on_stack(f, 2))
			ist5_off_stack++;
		break;
	case VEC_CHECK:
		check_hits++;
		break;
	case VEC_WRONG3:
		wrong3_hits++;
		break;
	case VEC_WRONGCHK:
		wrongchk_hits++;
		break;
	case VEC_PREV3:
		prev3_hits++;
		break;
	case VEC_PREVCHK:
		prevchk_hits++;
		break;
	default:
		stray[f->vector & 255]++;
	}
}

static void setup_idt(void)
{
	unsigned int v;

	traps_init();		/* the handler table; our own IDT replaces its */
	for (v = 0; v < 256; v++)
		make_gate(good_idt, v, stub(v), 0);
	make_gate(good_idt, 3, stub(3), 3);
	make_gate(good_idt, 1, stub(1), 6);
	make_gate(good_idt, 6, stub(6), 6);
	make_gate(good_idt, VEC_IST5, stub(VEC_IST5), 5);
	/* The "previous snapshot" of the all-or-nothing test: two gates moved. */
	memcpy(prev_idt, good_idt, sizeof(prev_idt));
	make_gate(prev_idt, 3, stub(VEC_PREV3), 0);
	make_gate(prev_idt, VEC_CHECK, stub(VEC_PREVCHK), 0);
	for (v = 0; v < 32; v++)
		trap_set_handler(v, on_fault);
	trap_set_handler(1, on_db);
	trap_set_handler(3, on_int3);
	trap_set_handler(6, on_ud);
	for (v = 32; v < 256; v++)
		trap_set_handler(v, on_vector);
	for (v = 0; v < 4; v++)
		good_stacks[v] = (uint64_t)stacks[v] + IST_SIZE;
}

/* ---- hypercalls with every register checked ---- */

struct hc_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rflags;
};

/*
 * Loads every general register and the flags from *r, calls the host, and
 * stores them back: the ABI says all but rax come back unchanged.
 */
uint64_t sweep_entry;
void sweep_hcall(struct hc_regs *r);
__asm__(".pushsection .text\n"
	".globl sweep_hcall\n"
	"sweep_hcall:\n\t"
	"pushq %rbx\n\tpushq %rbp\n\tpushq %r12\n\tpushq %r13\n\t"
	"pushq %r14\n\tpushq %r15\n\t"
	"pushq %rdi\n\t"
	"movq 0(%rdi), %rax\n\tmovq 8(%rdi), %rbx\n\tmovq 16(%rdi), %rcx\n\t"
	"movq 24(%rdi), %rdx\n\tmovq 32(%rdi), %rsi\n\tmovq 48(%rdi), %rbp\n\t"
	"movq 56(%rdi), %r8\n\tmovq 64(%rdi), %r9\n\tmovq 72(%rdi), %r10\n\t"
	"movq 80(%rdi), %r11\n\tmovq 88(%rdi), %r12\n\tmovq 96(%rdi), %r13\n\t"
	"movq 104(%rdi), %r14\n\tmovq 112(%rdi), %r15\n\t"
	"pushq 120(%rdi)\n\tpopfq\n\t"
	"movq 40(%rdi), %rdi\n\t"
	"call *sweep_entry(%rip)\n\t"
	"pushfq\n\tpushq %rdi\n\tmovq 16(%rsp), %rdi\n\t"
	"movq %rax, 0(%rdi)\n\tmovq %rbx, 8(%rdi)\n\tmovq %rcx, 16(%rdi)\n\t"
	"movq %rdx, 24(%rdi)\n\tmovq %rsi, 32(%rdi)\n\tmovq %rbp, 48(%rdi)\n\t"
	"movq %r8, 56(%rdi)\n\tmovq %r9, 64(%rdi)\n\tmovq %r10, 72(%rdi)\n\t"
	"movq %r11, 80(%rdi)\n\tmovq %r12, 88(%rdi)\n\tmovq %r13, 96(%rdi)\n\t"
	"movq %r14, 104(%rdi)\n\tmovq %r15, 112(%rdi)\n\t"
	"popq 40(%rdi)\n\tpopq 120(%rdi)\n\t"
	"pushq $2\n\tpopfq\n\t"		/* interrupts off, DF and AC clear */
	"addq $8, %rsp\n\t"
	"popq %r15\n\tpopq %r14\n\tpopq %r13\n\tpopq %r12\n\t"
	"popq %rbp\n\tpopq %rbx\n\t"
	"ret\n"
	".popsection");

static const char *const reg_name[16] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10",
	"r11", "r12", "r13", "r14", "r15", "rflags",
};

static long call(uint64_t nr, const uint64_t a[4], const char *what)
{
	struct hc_regs in, out;
	const uint64_t *pi = &in.rax, *po = &out.rax;
	unsigned int i;

	in.rax = nr;
	in.rdi = a[0];
	in.rsi = a[1];
	in.rdx = a[2];
	in.rcx = a[3];
	in.rbx = rnd();
	in.rbp = rnd();
	in.r8 = rnd();
	in.r9 = rnd();
	in.r10 = rnd();
	in.r11 = rnd();
	in.r12 = rnd();
	in.r13 = rnd();
	in.r14 = rnd();
	in.r15 = rnd();
	in.rflags = 2 | (rnd() & RFLAGS_KEPT);
	out = in;
	sweep_hcall(&out);
	calls++;
	for (i = 1; i < 15; i++)
		if (pi[i] != po[i])
			fail("%s (nr %llx): %s %llx came back as %llx", what, nr,
			     reg_name[i], pi[i], po[i]);
	if ((in.rflags ^ out.rflags) & RFLAGS_KEPT)
		fail("%s (nr %llx): flags %llx came back as %llx", what, nr,
		     in.rflags, out.rflags);
	/* IDLE returns with interrupts on; everything else leaves IF alone. */
	if (!(out.rflags & RFLAGS_IF) != (nr != CO_HC_IDLE))
		fail("%s (nr %llx): IF %s after the call", what, nr,
		     out.rflags & RFLAGS_IF ? "on" : "off");
	return (long)out.rax;
}

static long call4(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		  uint64_t a3, const char *what)
{
	uint64_t a[4] = { a0, a1, a2, a3 };

	return call(nr, a, what);
}

static void expect(long got, long want, const char *what)
{
	if (got != want)
		fail("%s: returned %d, expected %d", what, (int)got, (int)want);
}

/* ---- wake-ups and stray vectors ---- */

static uint64_t us_to_tsc(uint64_t us)
{
	return us * boot_info->tsc_khz / 1000;
}

static void arm_wakeup(uint64_t us)
{
	timer_fired = 0;
	expect(call4(CO_HC_SET_TIMER, rdtsc() + us_to_tsc(us), TIMER_VECTOR, 0, 0,
		     "arm the wake-up timer"), 0, "arm the wake-up timer");
}

/* Interrupts on until the wake-up timer has fired (1 s at most). */
static void wait_wakeup(const char *what)
{
	uint64_t end = rdtsc() + us_to_tsc(1000000);

	irq_enable();
	while (!timer_fired && rdtsc() < end)
		cpu_relax();
	irq_disable();
	if (!timer_fired)
		fail("%s: the wake-up timer never fired", what);
}

/*
 * Take whatever vectors are pending: each entry with interrupts on
 * delivers the highest one, and more than one make the guest exit again
 * as soon as it can take the next.
 */
static void drain(void)
{
	unsigned int i;

	irq_enable();
	for (i = 0; i < 4; i++)
		hypercall(CO_HC_NOP, 0, 0, 0, 0);
	irq_disable();
}

/* ---- addresses ---- */

static uint64_t ram_start, ram_end, boot_stack_lo, boot_stack_hi;
static uint64_t read_scratch_gpa, steal_scratch_gpa;
static uint8_t read_scratch[4096] __attribute__((aligned(4096)));
static uint8_t steal_scratch[4096] __attribute__((aligned(4096)));
static long console_dev = -1;

static bool canonical(uint64_t va)
{
	unsigned int bits = boot_info->paging_levels == 5 ? 57 : 48;
	int64_t s = (int64_t)(va << (64 - bits));

	return (uint64_t)(s >> (64 - bits)) == va;
}

/* The module's rule (co_guest_ptr): all inside one RAM chunk. */
static bool module_range_ok(uint64_t gpa, uint64_t len)
{
	uint32_t i;

	if (!len || gpa + len < gpa)
		return false;
	for (i = 0; i < boot_info->nr_ram_chunks; i++) {
		const struct co_ram_chunk *c = &boot_info->ram[i];

		if (gpa >= c->gpa && gpa + len <= c->gpa + c->size)
			return true;
	}
	return false;
}

/* The daemon's (vm__gpa_to_host): chunks that touch count as one. */
static bool daemon_range_ok(uint64_t gpa, uint64_t len)
{
	uint64_t end = gpa + len;
	uint32_t i, j;

	if (end < gpa)
		return false;
	for (i = 0; i < boot_info->nr_ram_chunks; i++) {
		const struct co_ram_chunk *c = &boot_info->ram[i];
		uint64_t reach = c->gpa + c->size;

		if (gpa >= c->gpa && gpa < reach) {
			for (j = i + 1; end > reach && j < boot_info->nr_ram_chunks &&
			     boot_info->ram[j].gpa == reach; j++)
				reach += boot_info->ram[j].size;
			return end <= reach;
		}
	}
	return false;
}

static uint64_t read_cr(int n)
{
	uint64_t v = 0;

	switch (n) {
	case 0:
		__asm__ volatile("movq %%cr0, %0" : "=r"(v));
		break;
	case 3:
		__asm__ volatile("movq %%cr3, %0" : "=r"(v));
		break;
	case 4:
		__asm__ volatile("movq %%cr4, %0" : "=r"(v));
		break;
	case 8:
		__asm__ volatile("movq %%cr8, %0" : "=r"(v));
		break;
	}
	return v;
}

/* ---- the boundary table ---- */

#define MAX_BOUNDS 96
static uint64_t bounds[MAX_BOUNDS];
static unsigned int nr_bounds;

static void add_bound(uint64_t v)
{
	unsigned int i;

	for (i = 0; i < nr_bounds; i++)
		if (bounds[i] == v)
			return;
	if (nr_bounds < MAX_BOUNDS)
		bounds[nr_bounds++] = v;
}

static void setup_bounds(void)
{
	static const uint64_t fixed[] = {
		0, 1, 2, 3, 15, 16, 31, 32, 63, 64, TIMER_VECTOR,
		CO_GUEST_SYSCALL_VECTOR, 255, 256, 0xfff, 0x1000, 0x1001,
		CO_MAX_DEVICES, CO_NOTIFY_QUEUES, CO_CONSOLE_MAX + 1,
		1ULL << 31, 1ULL << 32, (1ULL << 32) | TIMER_VECTOR,
		(1ULL << 47) - 1, 1ULL << 47, 1ULL << 56, (1ULL << 57) - 1,
		1ULL << 63, ~0ULL, ~0ULL - 63, ~0ULL - 4095,
		0xffff800000000000ULL, 0xff00000000000000ULL,
	};
	uint64_t pt = read_cr(3) & ~0xfffULL;
	unsigned int i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		add_bound(fixed[i]);
	for (i = 0; i < boot_info->nr_ram_chunks && i < 2; i++) {
		uint64_t lo = boot_info->ram[i].gpa;
		uint64_t hi = lo + boot_info->ram[i].size;

		add_bound(lo);
		add_bound(lo + 1);
		add_bound(lo + 63);
		add_bound(hi);
		add_bound(hi - 1);
		add_bound(hi - 64);
		add_bound(hi - 4096);
		/* Lengths that wrap when added to an address. */
		add_bound(0 - lo);
		add_bound(0 - lo + 64);
		add_bound(0 - (hi - 64));
	}
	add_bound(pt);
	add_bound(pt + 8);
	add_bound(boot_info->passage_va);
	add_bound(boot_info->passage_va + 0x3000);	/* its guest-world IDT */
	add_bound(boot_info->hypercall_va);
	add_bound(boot_info->hypercall_va + 1);
	add_bound(gpa_of(good_idt));
	add_bound(gpa_of(good_idt) + 8);
	add_bound(steal_scratch_gpa);
	add_bound(steal_scratch_gpa + 32);
	add_bound((uint64_t)good_idt);		/* a VA, not a gpa */
	add_bound(boot_info->nr_devices);
}

static uint64_t pick_bound(void)
{
	return bounds[rnd() % nr_bounds];
}

/* ---- what each call should answer ---- */

static bool gate_ok(const volatile uint64_t *raw)
{
	uint64_t lo = raw[0], hi = raw[1];
	uint64_t handler = (lo & 0xffff) | ((lo >> 48) & 0xffff) << 16 | hi << 32;
	unsigned int sel = (lo >> 16) & 0xffff, ist = (lo >> 32) & 7;
	unsigned int type = (lo >> 40) & 0xf;

	if (!((lo >> 47) & 1))
		return true;
	return (type == 0xe || type == 0xf) &&
	       (!ist || (CO_GUEST_IST_MASK & (1U << ist))) &&
	       canonical(handler) && (sel & ~3U) && !(sel & 4);
}

/* docs/abi.md: limit 16n - 1 <= 4095, in RAM, all gates good (2, 8, 18 aside). */
static long predict_set_idt(uint64_t gpa, uint64_t limit)
{
	uint64_t bytes = limit + 1, v;

	if (limit > 4095 || bytes % 16 || !module_range_ok(gpa, bytes))
		return -EINVAL;
	for (v = 0; v < bytes / 16; v++)
		if (v != 2 && v != 8 && v != 18 &&
		    !gate_ok((const volatile uint64_t *)(gpa + 16 * v)))
			return -EINVAL;
	return 0;
}

/* The range of results the ABI allows: [lo, hi]. */
struct answer {
	long lo, hi;
};

static struct answer exactly(long v)
{
	struct answer a = { v, v };

	return a;
}

static struct answer between(long lo, long hi)
{
	struct answer a = { lo, hi };

	return a;
}

static struct answer predict_daemon_call(const uint64_t a[4])
{
	const struct co_device_desc *d;

	if (a[0] >= boot_info->nr_devices)
		return exactly(-ENODEV);
	d = &boot_info->devices[a[0]];
	if (d->type == CO_DEV_POWER)
		return a[1] == CO_POWER_REQUEST ? between(0, CO_POWER_PRESS_REBOOT) :
						  exactly(-ENOSYS);
	/* Only the console and the power button are left (see sanitize()). */
	if (a[1] == CO_CONSOLE_WINSIZE)
		return between(0, 0x7fffffff);
	if (a[1] != CO_CONSOLE_WRITE && a[1] != CO_CONSOLE_READ)
		return exactly(-ENOSYS);
	if (a[3] > CO_CONSOLE_MAX)
		return exactly(-EINVAL);
	if (!a[3])
		return exactly(a[1] == CO_CONSOLE_WRITE ? 0 : -EINVAL);
	if (!daemon_range_ok(a[2], a[3]))
		return exactly(-EINVAL);
	return a[1] == CO_CONSOLE_WRITE ? exactly(0) : between(0, (long)a[3]);
}

static struct answer predict(uint64_t nr, const uint64_t a[4])
{
	switch (nr) {
	case CO_HC_NOP:
	case CO_HC_IDLE:
	case CO_HC_HALT:
		return exactly(0);
	case CO_HC_DAEMON_CALL:
		return predict_daemon_call(a);
	case CO_HC_SET_TIMER:
		return exactly(a[0] && (a[1] < 32 || a[1] > 255) ? -EINVAL : 0);
	case CO_HC_SET_IDT:
		return exactly(predict_set_idt(a[0], a[1]));
	case CO_HC_SET_STACKS:
		return exactly(canonical(a[0]) && canonical(a[1]) && canonical(a[2]) &&
			       canonical(a[3]) ? 0 : -EINVAL);
	case CO_HC_WALLCLOCK:
		return between(1, 0x7fffffffffffffffL);
	case CO_HC_NOTIFY:
		/* Nothing is bound: the test guest has no virtio device. */
		return exactly(a[0] >= CO_MAX_DEVICES || a[1] >= CO_NOTIFY_QUEUES ?
			       -EINVAL : -ENOENT);
	case CO_HC_VCPU_UP:
		/* One vCPU: every index is the caller's own or none. */
		return exactly(-EINVAL);
	case CO_HC_SEND_IPI:
		return exactly(a[0] >= boot_info->nr_vcpus || a[1] < 32 || a[1] > 255 ?
			       -EINVAL : 0);
	case CO_HC_KICK:
		return exactly(a[0] >= boot_info->nr_vcpus ? -EINVAL : 0);
	case CO_HC_SET_STEAL_TIME:
		if (!a[0])
			return exactly(0);
		return exactly(a[0] % CO_STEAL_TIME_ALIGN ||
			       !module_range_ok(a[0], sizeof(struct co_steal_time)) ?
			       -EINVAL : 0);
	default:
		return exactly(-ENOSYS);
	}
}

/*
 * Keep the host from writing where the guest lives: a steal-time record
 * or console input aimed at RAM the guest uses goes to a scratch page
 * instead (the top of the boot stack, unused since start.S, may take a
 * record).  Long console output becomes an empty write.  Returns false for
 * a call that must not be made at all.
 */
static bool sanitize(uint64_t nr, uint64_t a[4])
{
	if (nr == CO_HC_POWEROFF || nr == CO_HC_CRASH)
		return false;
	if (nr == CO_HC_SET_STEAL_TIME && a[0] && !(a[0] % CO_STEAL_TIME_ALIGN) &&
	    module_range_ok(a[0], sizeof(struct co_steal_time)) &&
	    !(a[0] >= boot_stack_lo && a[0] + 64 <= boot_stack_hi)) {
		a[0] = steal_scratch_gpa + (a[0] & 0xfc0);
		redirected++;
	}
	if (nr == CO_HC_DAEMON_CALL && a[0] < boot_info->nr_devices) {
		uint32_t type = boot_info->devices[a[0]].type;

		if (type != CO_DEV_CONSOLE && type != CO_DEV_POWER) {
			a[0] = boot_info->nr_devices;	/* no such device */
			redirected++;
		} else if (type == CO_DEV_CONSOLE && a[3] && a[3] <= CO_CONSOLE_MAX &&
			   daemon_range_ok(a[2], a[3])) {
			if (a[1] == CO_CONSOLE_WRITE)
				a[3] = 0;
			else if (a[1] == CO_CONSOLE_READ)
				a[2] = read_scratch_gpa;
			redirected++;
		}
	}
	return true;
}

/* Arguments that make sense for the call, so the one under test stands out. */
static void defaults(uint64_t nr, uint64_t a[4])
{
	a[0] = a[1] = a[2] = a[3] = 0;
	switch (nr) {
	case CO_HC_DAEMON_CALL:
		a[0] = (uint64_t)console_dev;
		a[1] = CO_CONSOLE_WINSIZE;
		break;
	case CO_HC_SET_TIMER:
		a[0] = rdtsc() + us_to_tsc(20);
		a[1] = TIMER_VECTOR;
		break;
	case CO_HC_SET_IDT:
		a[0] = gpa_of(good_idt);
		a[1] = sizeof(good_idt) - 1;
		break;
	case CO_HC_SET_STACKS:
		memcpy(a, good_stacks, sizeof(good_stacks));
		break;
	case CO_HC_VCPU_UP:
		a[0] = 1;
		a[1] = (uint64_t)defaults;
		a[2] = good_stacks[0];
		break;
	case CO_HC_SEND_IPI:
		a[1] = VEC_CHECK;
		break;
	case CO_HC_SET_STEAL_TIME:
		a[0] = gpa_of(&good_steal);
		break;
	}
}

/* ---- is the guest still whole? ---- */

static uint8_t canary_area[16384];
static uint64_t canary_sum;
static volatile uint64_t *stack_canary;

static uint64_t checksum(void)
{
	const uint64_t *p = (const uint64_t *)canary_area;
	uint64_t sum = 0xcbf29ce484222325ULL;
	unsigned int i;

	for (i = 0; i < sizeof(canary_area) / 8; i++)
		sum = (sum ^ p[i]) * 0x100000001b3ULL;
	p = good_idt;
	for (i = 0; i < sizeof(good_idt) / 8; i++)
		sum = (sum ^ p[i]) * 0x100000001b3ULL;
	p = (const uint64_t *)boot_info;
	for (i = 0; i < sizeof(*boot_info) / 8; i++)
		sum = (sum ^ p[i]) * 0x100000001b3ULL;
	return sum;
}

static void int3_check(const char *what)
{
	uint64_t before = int3_hits, off = int3_off_stack;

	__asm__ volatile("int3" ::: "memory");
	if (int3_hits != before + 1)
		fail("%s: int3 did not reach the guest's handler", what);
	else if (int3_off_stack != off)
		fail("%s: int3 ran off its IST 3 stack", what);
}

/* The snapshot and the stacks as the host has them: IST 5 and IST 6 in use. */
static void deep_check(const char *what)
{
	uint64_t ist5 = ist5_hits, off5 = ist5_off_stack, ud = ud_hits, off6 = ud_off_stack;
	unsigned int i;

	for (i = 0; i < 32; i++)
		if (stack_canary[i] != 0x5ca1ab1e00000000ULL + i) {
			fail("%s: the guest's stack changed at word %u", what, i);
			stack_canary[i] = 0x5ca1ab1e00000000ULL + i;
		}
	if (checksum() != canary_sum) {
		fail("%s: the canary area, IDT or boot information changed", what);
		canary_sum = checksum();
	}
	expect(call4(CO_HC_SEND_IPI, 0, VEC_IST5, 0, 0, what), 0, what);
	drain();
	if (ist5_hits != ist5 + 1 || ist5_off_stack != off5)
		fail("%s: vector %x not delivered on its IST 5 stack", what, VEC_IST5);
	ud_expected = 1;
	__asm__ volatile("ud2" ::: "memory");
	if (ud_hits != ud + 1 || ud_off_stack != off6)
		fail("%s: #UD not delivered on its IST 6 stack", what);
}

static void restore_good(void)
{
	expect(call4(CO_HC_SET_IDT, gpa_of(good_idt), sizeof(good_idt) - 1, 0, 0,
		     "set the good IDT"), 0, "set the good IDT");
	expect(call4(CO_HC_SET_STACKS, good_stacks[0], good_stacks[1], good_stacks[2],
		     good_stacks[3], "set the good stacks"), 0, "set the good stacks");
	expect(call4(CO_HC_SET_STEAL_TIME, gpa_of(&good_steal), 0, 0, 0,
		     "set the good steal-time record"), 0, "set the good steal-time record");
}

/* The record the host wrote at gpa: an even version and nothing else set. */
static void check_steal_record(uint64_t gpa, const char *what)
{
	const volatile struct co_steal_time *st = (const volatile struct co_steal_time *)gpa;

	if (!st->version || st->version & 1 || st->flags || st->preempted)
		fail("%s: steal-time record at %llx: version %u flags %u preempted %u",
		     what, gpa, st->version, st->flags, st->preempted);
}

/* ---- one call of the sweep ---- */

/* 0, -EINVAL, -ENOSYS, -ENOENT, -ENODEV, a value, anything else */
static uint64_t answers[7];

static void sweep_one(uint64_t nr, uint64_t a[4])
{
	char what[96];
	struct answer want;
	long got;
	unsigned int i;

	if (!sanitize(nr, a)) {
		skipped++;
		return;
	}
	co_format(what, sizeof(what), "call %llx (%llx, %llx, %llx, %llx)",
		  nr, a[0], a[1], a[2], a[3]);
	want = predict(nr, a);
	if (nr == CO_HC_IDLE || nr == CO_HC_HALT)
		arm_wakeup(rnd() % 30);
	got = call(nr, a, what);
	answers[got == 0 ? 0 : got == -EINVAL ? 1 : got == -ENOSYS ? 2 :
		got == -ENOENT ? 3 : got == -ENODEV ? 4 : got > 0 ? 5 : 6]++;
	if (got < want.lo || got > want.hi) {
		if (want.lo == want.hi)
			fail("%s: returned %lld, expected %lld", what, (long long)got,
			     (long long)want.lo);
		else
			fail("%s: returned %lld, expected %lld..%lld", what,
			     (long long)got, (long long)want.lo, (long long)want.hi);
	}

	/* Put back what the guest lives on. */
	switch (nr) {
	case CO_HC_IDLE:
	case CO_HC_HALT:
		wait_wakeup(what);
		break;
	case CO_HC_SET_TIMER:
		expect(call4(CO_HC_SET_TIMER, 0, 0, 0, 0, "cancel the timer"), 0,
		       "cancel the timer");
		drain();
		break;
	case CO_HC_SEND_IPI:
		drain();
		break;
	case CO_HC_SET_IDT:
		if (!got)
			restore_good();
		break;
	case CO_HC_SET_STACKS:
		if (!got)
			restore_good();
		break;
	case CO_HC_SET_STEAL_TIME:
		if (got || !a[0])
			break;
		check_steal_record(a[0], what);
		restore_good();
		if (a[0] >= steal_scratch_gpa && a[0] < steal_scratch_gpa + 4096) {
			for (i = 0; i < sizeof(steal_scratch); i++)
				if ((i < a[0] - steal_scratch_gpa ||
				     i >= a[0] - steal_scratch_gpa + 64) &&
				    steal_scratch[i] != 0x5a) {
					fail("%s: the host wrote outside the record (+%u)",
					     what, i);
					break;
				}
			memset(steal_scratch, 0x5a, sizeof(steal_scratch));
		}
		break;
	}
	int3_check(what);
	if (calls % 32 < 2)
		deep_check(what);
}

static const uint64_t numbers[] = {
	CO_HC_NOP, CO_HC_DAEMON_CALL, CO_HC_IDLE, CO_HC_SET_TIMER, CO_HC_SET_IDT,
	CO_HC_SET_STACKS, CO_HC_WALLCLOCK, CO_HC_NOTIFY, CO_HC_VCPU_UP,
	CO_HC_SEND_IPI, CO_HC_HALT, CO_HC_KICK, CO_HC_SET_STEAL_TIME,
	CO_HC_POWEROFF, CO_HC_CRASH,	/* skipped: they end the guest */
	/* Not the module's: -ENOSYS, never a truncated POWEROFF or CRASH. */
	CO_HC_COUNT, CO_HC_COUNT + 1, 1ULL << 31, 1ULL << 32,
	(1ULL << 32) | CO_HC_POWEROFF, (1ULL << 63) | CO_HC_CRASH, ~0ULL,
};
#define NR_NUMBERS (sizeof(numbers) / sizeof(numbers[0]))

static void sweep_systematic(void)
{
	uint64_t a[4];
	unsigned int n, b, p;

	for (n = 0; n < NR_NUMBERS; n++) {
		if (verbose)
			printf("sweep: number %llx, %llu calls so far\n", numbers[n], calls);
		for (b = 0; b < nr_bounds; b++) {
			if (numbers[n] >= CO_HC_COUNT) {
				a[0] = a[1] = a[2] = a[3] = bounds[b];
				sweep_one(numbers[n], a);
				continue;
			}
			for (p = 0; p < 4; p++) {
				defaults(numbers[n], a);
				a[p] = bounds[b];
				sweep_one(numbers[n], a);
			}
		}
	}
}

static void sweep_random(uint64_t count)
{
	uint64_t a[4], nr, i;
	unsigned int p;

	for (i = 0; i < count; i++) {
		nr = rnd() % 16 ? numbers[rnd() % NR_NUMBERS] : rnd();
		defaults(nr, a);
		for (p = 0; p < 4; p++) {
			switch (rnd() % 8) {
			case 0: case 1: case 2: case 3: case 4:
				a[p] = pick_bound();
				break;
			case 5:
				break;
			case 6:
				a[p] = rnd();
				break;
			default:
				a[p] = rnd() % 300;
			}
		}
		sweep_one(nr, a);
	}
}

/* ---- SET_IDT all or nothing, with a host timer landing mid-call ---- */

static void all_or_nothing(unsigned int rounds)
{
	unsigned int r, v, kind, i3, ichk, p3, pchk, w3, wchk;
	uint64_t limit, *g;
	bool from_prev;
	long got, want;
	char what[80];

	for (r = 0; r < rounds; r++) {
		from_prev = r & 1;
		if (from_prev)
			expect(call4(CO_HC_SET_IDT, gpa_of(prev_idt), sizeof(prev_idt) - 1,
				     0, 0, "set the previous IDT"), 0, "set the previous IDT");
		memcpy(alt_idt, good_idt, sizeof(alt_idt));
		make_gate(alt_idt, 3, stub(VEC_WRONG3), 0);
		make_gate(alt_idt, VEC_CHECK, stub(VEC_WRONGCHK), 0);
		/* Not a vector the round itself uses: a good table may drop it. */
		do
			v = rnd() % 256;
		while (v == 1 || v == 2 || v == 3 || v == 6 || v == 8 || v == 13 ||
		       v == 18 || v == TIMER_VECTOR || (v >= VEC_IST5 && v <= VEC_PREVCHK));
		g = &alt_idt[2 * v];
		kind = rnd() % 9;
		switch (kind) {
		case 0:		/* a call gate */
			g[0] = (g[0] & ~(0xfULL << 40)) | 0xcULL << 40;
			break;
		case 1:		/* a passage IST slot */
			g[0] = (g[0] & ~(7ULL << 32)) |
			       (uint64_t)(rnd() & 1 ? 1 + (rnd() & 1) : 4 + 3 * (rnd() & 1)) << 32;
			break;
		case 2:		/* a handler no paging depth takes */
			g[1] = 0x01000000;
			break;
		case 3:		/* a null selector */
			g[0] &= ~(0xffffULL << 16);
			break;
		case 4:		/* RPL only */
			g[0] = (g[0] & ~(0xffffULL << 16)) | 3ULL << 16;
			break;
		case 5:		/* an LDT selector */
			g[0] = (g[0] & ~(0xffffULL << 16)) | 0x14ULL << 16;
			break;
		case 6:		/* a task gate */
			g[0] = (g[0] & ~(0xfULL << 40)) | 0x5ULL << 40;
			break;
		case 7:		/* a bad gate at the very end, limit just past it */
			g[1] = 0x01000000;
			break;
		default:	/* garbage, but not present: a good table */
			g[0] = (rnd() & ~(1ULL << 47));
			g[1] = rnd();
		}
		limit = kind == 7 ? 16 * (v + 1) - 1 : sizeof(alt_idt) - 1;
		want = kind == 8 ? 0 : -EINVAL;
		co_format(what, sizeof(what), "SET_IDT round %u (bad gate %u, kind %u)",
			  r, v, kind);
		if (predict_set_idt(gpa_of(alt_idt), limit) != want)
			fail("%s: the test's own table is not what it meant", what);
		/* A host timer interrupt due within about 20 us: often mid-call. */
		timer_fired = 0;
		expect(call4(CO_HC_SET_TIMER, rdtsc() + rnd() % us_to_tsc(20) + 1,
			     TIMER_VECTOR, 0, 0, what), 0, what);
		got = call4(CO_HC_SET_IDT, gpa_of(alt_idt), limit, 0, 0, what);
		expect(got, want, what);
		wait_wakeup(what);

		/* Which table is in force?  An exception and an injected vector. */
		i3 = int3_hits, p3 = prev3_hits, w3 = wrong3_hits;
		ichk = check_hits, pchk = prevchk_hits, wchk = wrongchk_hits;
		__asm__ volatile("int3" ::: "memory");
		expect(call4(CO_HC_SEND_IPI, 0, VEC_CHECK, 0, 0, what), 0, what);
		drain();
		if (got == 0) {
			if (wrong3_hits != w3 + 1 || wrongchk_hits != wchk + 1)
				fail("%s: accepted, but the new table is not in force", what);
		} else if (from_prev) {
			if (prev3_hits != p3 + 1 || prevchk_hits != pchk + 1)
				fail("%s: refused, but the previous snapshot is gone (int3 %u/%u/%u, vector %u/%u/%u)",
				     what, int3_hits - i3, prev3_hits - p3, wrong3_hits - w3,
				     check_hits - ichk, prevchk_hits - pchk,
				     wrongchk_hits - wchk);
		} else if (int3_hits != i3 + 1 || check_hits != ichk + 1) {
			fail("%s: refused, but the previous snapshot is gone (int3 %u/%u, vector %u/%u)",
			     what, int3_hits - i3, wrong3_hits - w3, check_hits - ichk,
			     wrongchk_hits - wchk);
		}
		if (got == 0 || from_prev)
			expect(call4(CO_HC_SET_IDT, gpa_of(good_idt), sizeof(good_idt) - 1,
				     0, 0, "set the good IDT"), 0, "set the good IDT");
		int3_check(what);
	}
}

/* ---- garbage in the guest's own control state ---- */

/* A few calls of every kind of exit, checked, and the guest's IDT and stacks. */
static void probe(const char *what)
{
	uint64_t before = check_hits;

	expect(call4(CO_HC_NOP, 0, 0, 0, 0, what), 0, what);
	if (call4(CO_HC_WALLCLOCK, 0, 0, 0, 0, what) <= 0)
		fail("%s: no wall clock", what);
	if (call4(CO_HC_DAEMON_CALL, (uint64_t)console_dev, CO_CONSOLE_WINSIZE, 0, 0, what) < 0)
		fail("%s: the console's WINSIZE failed", what);
	expect(call4(CO_HC_SET_IDT, gpa_of(good_idt), sizeof(good_idt) - 1, 0, 0, what),
	       0, what);
	expect(call4(CO_HC_KICK, 0, 0, 0, 0, what), 0, what);
	expect(call4(CO_HC_HALT, 0, 0, 0, 0, what), 0, what);
	arm_wakeup(20);
	expect(call4(CO_HC_IDLE, 0, 0, 0, 0, what), 0, what);
	irq_disable();
	wait_wakeup(what);
	expect(call4(CO_HC_SEND_IPI, 0, VEC_CHECK, 0, 0, what), 0, what);
	drain();
	if (check_hits != before + 1)
		fail("%s: vector %x was not delivered", what, VEC_CHECK);
	int3_check(what);
}

#define TRY_BEGIN "leaq 1f(%%rip), %%r11\n\tmovq %%r11, %[resume]\n\t"
#define TRY_END "\n1:\tmovq $0, %[resume]"

static int try_wrmsr(uint32_t msr, uint64_t v)
{
	try_vector = -1;
	__asm__ volatile(TRY_BEGIN "wrmsr" TRY_END
			 : [resume] "+m"(try_resume)
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "r11", "memory");
	return try_vector;
}

static int try_rdmsr(uint32_t msr, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;

	try_vector = -1;
	__asm__ volatile(TRY_BEGIN "rdmsr" TRY_END
			 : [resume] "+m"(try_resume), "+a"(lo), "+d"(hi)
			 : "c"(msr)
			 : "r11", "memory");
	*v = (uint64_t)hi << 32 | lo;
	return try_vector;
}

static int try_write_cr(int n, uint64_t v)
{
	try_vector = -1;
	if (n == 0)
		__asm__ volatile(TRY_BEGIN "movq %[v], %%cr0" TRY_END
				 : [resume] "+m"(try_resume) : [v] "r"(v) : "r11", "memory");
	else if (n == 4)
		__asm__ volatile(TRY_BEGIN "movq %[v], %%cr4" TRY_END
				 : [resume] "+m"(try_resume) : [v] "r"(v) : "r11", "memory");
	else
		__asm__ volatile(TRY_BEGIN "movq %[v], %%cr8" TRY_END
				 : [resume] "+m"(try_resume) : [v] "r"(v) : "r11", "memory");
	return try_vector;
}

static int try_xsetbv(uint64_t v)
{
	try_vector = -1;
	__asm__ volatile(TRY_BEGIN "xsetbv" TRY_END
			 : [resume] "+m"(try_resume)
			 : "c"(0), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "r11", "memory");
	return try_vector;
}

static int try_xrstor(const void *area, uint64_t mask)
{
	try_vector = -1;
	__asm__ volatile(TRY_BEGIN "xrstor64 (%[p])" TRY_END
			 : [resume] "+m"(try_resume)
			 : [p] "r"(area), "a"((uint32_t)mask), "d"((uint32_t)(mask >> 32))
			 : "r11", "memory");
	return try_vector;
}

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return (uint64_t)hi << 32 | lo;
}

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static void sgdt(struct dtr *d)
{
	__asm__ volatile("sgdt %0" : "=m"(*d));
}

static void sidt(struct dtr *d)
{
	__asm__ volatile("sidt %0" : "=m"(*d));
}

static void lgdt(const struct dtr *d)
{
	__asm__ volatile("lgdt %0" : : "m"(*d) : "memory");
}

static uint64_t n_gdt, n_idt, n_seg, n_cr0, n_cr4, n_cr8, n_msr, n_dr, n_xsave;

static uint8_t gdt_buf[8192] __attribute__((aligned(4096)));

/* Copies of the passage GDT with odd limits and bases, garbage elsewhere. */
static void garbage_gdt(void)
{
	static const struct { unsigned int offset, limit, junk; } cases[] = {
		{ 0, 0x1f, 0 }, { 0, 0x27, 1 }, { 0, 0xfff, 1 }, { 0, 0xffff, 1 },
		{ 3, 0x1f, 0 }, { 3, 0x7ff, 1 }, { 4088, 0x2f, 1 },
	};
	struct dtr orig, d, now;
	unsigned int i, j;
	char what[64];

	sgdt(&orig);
	if (orig.limit + 1 > 4096) {
		fail("gdt: the passage GDT is %u bytes", orig.limit + 1);
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t *base = gdt_buf + cases[i].offset;

		for (j = 0; j < sizeof(gdt_buf); j++)
			gdt_buf[j] = cases[i].junk ? (uint8_t)rnd() : 0;
		/* Null, and the selectors in use (0x10 code, 0x18 data) intact. */
		memset(base, 0, 8);
		memcpy(base + 0x10, (const void *)(orig.base + 0x10), 16);
		d.base = (uint64_t)base;
		d.limit = (uint16_t)cases[i].limit;
		co_format(what, sizeof(what), "GDT at +%u, limit %x", cases[i].offset,
			  cases[i].limit);
		lgdt(&d);
		probe(what);
		sgdt(&now);
		if (now.base != d.base || now.limit != d.limit)
			fail("%s: came back as %llx limit %x", what, now.base, now.limit);
		lgdt(&orig);
		n_gdt++;
	}
	/* The passage's own GDT, limit as large as it goes. */
	d = orig;
	d.limit = 0xffff;
	lgdt(&d);
	probe("passage GDT, limit ffff");
	lgdt(&orig);
	n_gdt++;
}

/*
 * Nothing of the guest's IDT register survives a call: the passage loads
 * its own guest-world IDT on every entry.  Garbage stays only from the lidt
 * to the call (interrupts off), so no event can meet it.
 */
static void garbage_idtr(void)
{
	struct dtr orig, d, now;
	const struct { uint64_t base; unsigned int limit; } cases[] = {
		{ 0, 0 },
		{ 0, 0 },	/* base: the passage's, limit 0 (filled in) */
		{ 0, 0xffff },
		{ 8, 0x7ff },
		{ CO_VCPU_PASSAGE_STRIDE, 0xfff },	/* vCPU 1's, if it had one */
		{ ~0ULL - 4095, 0xfff },
	};
	unsigned int i;
	long ret;

	sidt(&orig);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d.limit = (uint16_t)cases[i].limit;
		d.base = i == 0 ? (uint64_t)good_idt :
			 i == 5 ? cases[i].base : orig.base + cases[i].base;
		if (i == 0)
			d.limit = sizeof(good_idt) - 1;
		__asm__ volatile("lidt %[d]\n\t"
				 "call *%[entry]"
				 : "=a"(ret)
				 : [d] "m"(d), [entry] "m"(sweep_entry), "a"((uint64_t)CO_HC_NOP)
				 : "memory", "cc");
		calls++;
		sidt(&now);
		if (ret)
			fail("IDTR %llx limit %x: NOP returned %d", d.base, d.limit, (int)ret);
		if (now.base != orig.base || now.limit != orig.limit)
			fail("IDTR %llx limit %x: came back as %llx limit %x, not the passage's",
			     d.base, d.limit, now.base, now.limit);
		probe("after an odd IDTR");
		n_idt++;
	}
}

static void load_segments(uint16_t ds, uint16_t es, uint16_t fs, uint16_t gs)
{
	__asm__ volatile("movw %0, %%ds\n\tmovw %1, %%es\n\tmovw %2, %%fs\n\tmovw %3, %%gs"
			 : : "r"(ds), "r"(es), "r"(fs), "r"(gs) : "memory");
}

static void garbage_segments(void)
{
	static const uint16_t cases[][4] = {
		{ 0, 0, 0, 0 }, { 0x18, 0, 0x18, 0x18 }, { 0, 0x18, 0x18, 0 },
		{ 3, 3, 3, 3 },		/* null selectors with an RPL */
	};
	uint16_t orig[4], now[4];
	unsigned int i;

	__asm__ volatile("movw %%ds, %0\n\tmovw %%es, %1\n\tmovw %%fs, %2\n\tmovw %%gs, %3"
			 : "=r"(orig[0]), "=r"(orig[1]), "=r"(orig[2]), "=r"(orig[3]));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		load_segments(cases[i][0], cases[i][1], cases[i][2], cases[i][3]);
		probe("odd segment selectors");
		__asm__ volatile("movw %%ds, %0\n\tmovw %%es, %1\n\tmovw %%fs, %2\n\tmovw %%gs, %3"
				 : "=r"(now[0]), "=r"(now[1]), "=r"(now[2]), "=r"(now[3]));
		load_segments(orig[0], orig[1], orig[2], orig[3]);
		if (memcmp(now, cases[i], sizeof(now)))
			fail("selectors %x %x %x %x came back as %x %x %x %x",
			     cases[i][0], cases[i][1], cases[i][2], cases[i][3],
			     now[0], now[1], now[2], now[3]);
		n_seg++;
	}
}

static void garbage_cr0(void)
{
	static const uint64_t flips[] = {
		CR0_TS, CR0_MP, CR0_EM, CR0_NE, CR0_AM, CR0_WP, CR0_CD,
		CR0_CD | CR0_NW, CR0_NW, CR0_TS | CR0_EM | CR0_CD,
	};
	uint64_t orig = read_cr(0), v, now;
	unsigned int i;
	char what[48];

	for (i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		v = orig ^ flips[i];
		co_format(what, sizeof(what), "CR0 %llx", v);
		if (verbose)
			printf("sweep: %s\n", what);
		if (try_write_cr(0, v) >= 0) {
			refused_by_cpu++;
			continue;
		}
		probe(what);
		now = read_cr(0);
		try_write_cr(0, orig);
		if (now != v)
			fail("%s: came back as %llx", what, now);
		n_cr0++;
	}
	if (read_cr(0) != orig)
		fail("CR0 not restored: %llx", read_cr(0));
}

/*
 * CR4 bits, each only where CPUID says the CPU has it: a reserved bit is a
 * #GP on hardware, but QEMU 7.2's TCG takes it for an SVM exit even
 * outside a nested guest (helper_write_crN: cpu_vmexit(SVM_EXIT_ERR)) and
 * loads the CPU with garbage: the test host's CPU hangs, NMIs and all.
 */
static void garbage_cr4(void)
{
	static const struct { unsigned int bit, leaf, reg, mask; } bits[] = {
		{ 0, 1, 3, 1U << 1 }, { 1, 1, 3, 1U << 1 },	/* VME, PVI */
		{ 2, 1, 3, 1U << 4 }, { 3, 1, 3, 1U << 2 },	/* TSD, DE */
		{ 4, 1, 3, 1U << 3 }, { 6, 1, 3, 1U << 7 },	/* PSE, MCE */
		{ 7, 1, 3, 1U << 13 }, { 8, 0, 0, 0 },		/* PGE, PCE */
		{ 9, 1, 3, 1U << 24 }, { 10, 1, 3, 1U << 25 },	/* OSFXSR, OSXMMEXCPT */
		{ 11, 7, 2, 1U << 2 }, { 12, 7, 2, 1U << 16 },	/* UMIP, LA57 */
		{ 13, 1, 2, 1U << 5 }, { 14, 1, 2, 1U << 6 },	/* VMXE, SMXE */
		{ 16, 7, 1, 1U << 0 }, { 17, 1, 2, 1U << 17 },	/* FSGSBASE, PCIDE */
		{ 18, 1, 2, 1U << 26 }, { 20, 7, 1, 1U << 7 },	/* OSXSAVE, SMEP */
		{ 21, 7, 1, 1U << 20 }, { 22, 7, 2, 1U << 3 },	/* SMAP, PKE */
		{ 23, 7, 2, 1U << 7 }, { 24, 7, 2, 1U << 31 },	/* CET (SS), PKS */
	};
	uint64_t orig = read_cr(4), v, now, want;
	uint32_t r[4];
	unsigned int i;
	char what[48];

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		if (cmdline_value("bit") && cmdline_number("bit", 0) != (long)bits[i].bit)
			continue;
		if (bits[i].mask) {
			cpuid(bits[i].leaf, 0, r);
			if (!(r[bits[i].reg] & bits[i].mask))
				continue;
		}
		v = orig ^ (1ULL << bits[i].bit);
		co_format(what, sizeof(what), "CR4 %llx (bit %u)", v, bits[i].bit);
		if (verbose)
			printf("sweep: %s\n", what);
		if (try_write_cr(4, v) >= 0) {
			refused_by_cpu++;
			continue;
		}
		probe(what);
		now = read_cr(4);
		try_write_cr(4, orig);
		/* docs/abi.md: the host's bits forced in, PCIDE cleared on entry. */
		want = (v & ~(CR4_HOST_OWNED | CR4_PCIDE)) | (orig & CR4_HOST_OWNED);
		if (now != want)
			fail("%s: came back as %llx, expected %llx", what, now, want);
		n_cr4++;
	}
	if (read_cr(4) != orig)
		fail("CR4 not restored: %llx", read_cr(4));
}

static void garbage_cr8(void)
{
	static const uint64_t values[] = { 1, 7, 14, 15 };
	unsigned int i;
	uint64_t now;
	char what[32];

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		co_format(what, sizeof(what), "CR8 %llx", values[i]);
		try_write_cr(8, values[i]);
		expect(call4(CO_HC_NOP, 0, 0, 0, 0, what), 0, what);
		expect(call4(CO_HC_DAEMON_CALL, (uint64_t)console_dev, CO_CONSOLE_WRITE,
			     0, 0, what), 0, what);
		now = read_cr(8);
		try_write_cr(8, 0);
		if (now != values[i])
			fail("%s: came back as %llx", what, now);
		n_cr8++;
	}
}

struct msr_case {
	uint32_t msr;
	const char *name;
	uint64_t values[6];
};

static void garbage_msrs(void)
{
	const uint64_t pv = boot_info->passage_va, hv = boot_info->hypercall_va;
	const struct msr_case cases[] = {
		/* EFER: SCE off, and bits the CPU may not have (SVME, LMSLE, FFXSR, TCE) */
		{ 0xc0000080, "EFER", { 1, 1ULL << 12, 1ULL << 13, 1ULL << 14, 1ULL << 15 } },
		{ 0xc0000100, "FS_BASE", { 0x7fffffffffffULL, 0xffff800000000000ULL, ~0ULL,
					   1ULL << 47, pv, 0x5555aaaa5555ULL } },
		{ 0xc0000101, "GS_BASE", { 0x7fffffffffffULL, 0xffff800000000000ULL, ~0ULL,
					   1ULL << 47, pv, 1 } },
		{ 0xc0000102, "KERNEL_GS_BASE", { ~0ULL, 1ULL << 47, pv, 1, 0 } },
		{ 0xc0000081, "STAR", { ~0ULL, 0x0023001000000000ULL, 1 } },
		{ 0xc0000082, "LSTAR", { hv, 0x7ffffffff000ULL, 1ULL << 63, 1 } },
		{ 0xc0000083, "CSTAR", { hv, ~0ULL, 1ULL << 56 } },
		{ 0xc0000084, "SYSCALL_MASK", { ~0ULL, 0xffffffffULL, 0x47700 } },
		{ 0x174, "SYSENTER_CS", { 0xffff, 0x10, ~0ULL } },
		{ 0x175, "SYSENTER_ESP", { ~0ULL, 1ULL << 47, pv } },
		{ 0x176, "SYSENTER_EIP", { hv, 1ULL << 47, 3 } },
		{ 0x277, "PAT", { 0, 0x0707070707070707ULL, 0x0606060606060606ULL,
				  0x0001040506070001ULL, 0x0202020202020202ULL } },
		{ 0xc0000103, "TSC_AUX", { 0xffffffffULL, 0x12345678, 1ULL << 32 } },
		{ 0x48, "SPEC_CTRL", { 1, 2, 4, 7, ~0ULL } },
	};
	uint64_t orig, v, after, now;
	unsigned int i, j;
	char what[80];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (try_rdmsr(cases[i].msr, &orig) >= 0) {
			refused_by_cpu++;
			continue;
		}
		for (j = 0; j < 6; j++) {
			v = cases[i].values[j];
			if (!v && j)
				break;
			if (cases[i].msr == 0xc0000080)
				v ^= orig;	/* flips of EFER bits */
			co_format(what, sizeof(what), "%s = %llx", cases[i].name, v);
			if (verbose)
				printf("sweep: %s\n", what);
			if (try_wrmsr(cases[i].msr, v) >= 0) {
				refused_by_cpu++;
				continue;
			}
			try_rdmsr(cases[i].msr, &after);	/* what the CPU kept */
			probe(what);
			try_rdmsr(cases[i].msr, &now);
			try_wrmsr(cases[i].msr, orig);
			if (now != after)
				fail("%s: the guest's %llx came back as %llx", what, after, now);
			n_msr++;
		}
		try_rdmsr(cases[i].msr, &now);
		if (now != orig)
			fail("%s not restored: %llx, was %llx", cases[i].name, now, orig);
	}
	/* The command MSRs the guest may write: an IBPB and an L1D flush. */
	if (try_wrmsr(0x49, 1) < 0)
		probe("PRED_CMD");
	else
		refused_by_cpu++;
	if (try_wrmsr(0x10b, 1) < 0)
		probe("FLUSH_CMD");
	else
		refused_by_cpu++;
}

/* ---- debug registers on the guest's own data, code and stack ---- */

static volatile uint64_t watched[4] __attribute__((aligned(64)));

static __attribute__((noinline)) uint64_t watched_code(uint64_t x)
{
	__asm__ volatile("" : "+r"(x));
	return x * 3;
}

static void write_dr(unsigned int n, uint64_t v)
{
	switch (n) {
	case 0:
		__asm__ volatile("movq %0, %%dr0" : : "r"(v));
		break;
	case 1:
		__asm__ volatile("movq %0, %%dr1" : : "r"(v));
		break;
	case 2:
		__asm__ volatile("movq %0, %%dr2" : : "r"(v));
		break;
	case 3:
		__asm__ volatile("movq %0, %%dr3" : : "r"(v));
		break;
	default:
		__asm__ volatile("movq %0, %%dr7" : : "r"(v));
	}
}

static uint64_t read_dr(unsigned int n)
{
	uint64_t v;

	switch (n) {
	case 0:
		__asm__ volatile("movq %%dr0, %0" : "=r"(v));
		break;
	case 1:
		__asm__ volatile("movq %%dr1, %0" : "=r"(v));
		break;
	case 2:
		__asm__ volatile("movq %%dr2, %0" : "=r"(v));
		break;
	case 3:
		__asm__ volatile("movq %%dr3, %0" : "=r"(v));
		break;
	default:
		__asm__ volatile("movq %%dr7, %0" : "=r"(v));
	}
	return v;
}

static void touch_watched(void)
{
	uint32_t x;

	watched[0] = rnd();			/* DR0: write, 8 bytes */
	__asm__ volatile("movl %1, %0" : "=r"(x) : "m"(watched[1]));	/* DR1: read, 4 */
	watched_code(rnd());			/* DR2: execute */
	*(volatile uint8_t *)&watched[3] = 1;	/* DR3: write, 1 byte */
}

static void garbage_debug(void)
{
	uint64_t dr[4], dr7, before[4], sp, now;
	unsigned int i, round;

	__asm__ volatile("movq %%rsp, %0" : "=r"(sp));
	for (round = 0; round < 4; round++) {
		dr[0] = (uint64_t)&watched[0];
		dr[1] = (uint64_t)&watched[1];
		dr[2] = (uint64_t)watched_code;
		/*
		 * DR3 on the guest's own data, or (odd rounds) on its stack below
		 * here, where the calls of probe() and the passage's own entry
		 * code push: those #DBs go to the guest's gate, as the guest's.
		 */
		dr[3] = round & 1 ? ((sp - 256 - 64 * round) & ~7ULL) : (uint64_t)&watched[3];
		dr7 = 0x700 | 0xff;		/* L0-3 G0-3, LE GE */
		dr7 |= (1ULL << 16) | (2ULL << 18);	/* DR0: write, 8 */
		dr7 |= (3ULL << 20) | (3ULL << 22);	/* DR1: read/write, 4 */
		dr7 |= (0ULL << 24) | (0ULL << 26);	/* DR2: execute */
		dr7 |= (1ULL << 28) | ((round & 1 ? 2ULL : 0ULL) << 30);	/* DR3: write */
		for (i = 0; i < 4; i++)
			write_dr(i, dr[i]);
		write_dr(7, dr7);
		for (i = 0; i < 4; i++)
			before[i] = db_hits[i];
		touch_watched();
		for (i = 0; i < (round & 1 ? 3U : 4U); i++)
			if (db_hits[i] != before[i] + 1)
				fail("debug round %u: DR%u hit %llu times before any call",
				     round, i, db_hits[i] - before[i]);
		probe("debug registers armed");
		for (i = 0; i < 4; i++)
			if ((now = read_dr(i)) != dr[i])
				fail("debug round %u: DR%u came back as %llx, was %llx",
				     round, i, now, dr[i]);
		if (((now = read_dr(7)) & 0xffff03ffULL) != (dr7 & 0xffff03ffULL))
			fail("debug round %u: DR7 came back as %llx, was %llx", round, now, dr7);
		for (i = 0; i < 4; i++)
			before[i] = db_hits[i];
		touch_watched();
		for (i = 0; i < (round & 1 ? 3U : 4U); i++)
			if (db_hits[i] != before[i] + 1)
				fail("debug round %u: DR%u hit %llu times after the calls",
				     round, i, db_hits[i] - before[i]);
		write_dr(7, 0);
		n_dr++;
	}
	for (i = 0; i < 4; i++)
		write_dr(i, 0);
	/* DR6 with odd status bits and no breakpoint armed. */
	write_dr6(0xffff4ff5);
	probe("DR6 garbage");
	now = read_dr6();
	write_dr6(0xffff0ff0);
	if ((now & 0xe00f) != 0x4005)
		fail("DR6 0xffff4ff5 came back as %llx", now);
	if (db_off_stack)
		fail("%llu #DBs ran off their IST 6 stack", db_off_stack);
	n_dr++;
}

/* ---- XCR0 and XSAVE state ---- */

static uint8_t xarea[4096] __attribute__((aligned(64)));
static uint8_t fx_a[512] __attribute__((aligned(16))), fx_b[512] __attribute__((aligned(16)));
static uint8_t ymm_a[256], ymm_b[256];

static void fxsave(uint8_t *out)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(out) : "memory");
}

static void ymm_upper(uint8_t *out)
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
			 : : "r"(out) : "memory");
}

/* The parts of an FXSAVE image that are state, not the last instruction. */
static bool fx_same(const uint8_t *a, const uint8_t *b)
{
	unsigned int i;

	if (memcmp(a, b, 5) || memcmp(a + 24, b + 24, 4))	/* FCW FSW FTW, MXCSR */
		return false;
	for (i = 0; i < 8; i++)					/* ST0-7 */
		if (memcmp(a + 32 + 16 * i, b + 32 + 16 * i, 10))
			return false;
	return !memcmp(a + 160, b + 160, 256);			/* XMM0-15 */
}

static void garbage_xsave(void)
{
	uint64_t orig = xgetbv0(), xcr0;
	uint32_t r[4], mxcsr_mask, avx_off = 0;
	unsigned int round, i, j;
	bool avx;
	char what[64];

	cpuid(1, 0, r);
	if (!(r[2] & (1U << 27))) {
		printf("sweep: no OSXSAVE, XSAVE rounds skipped\n");
		return;
	}
	cpuid(0xd, 0, r);
	avx = r[0] & 4;
	if (avx) {
		cpuid(0xd, 2, r);
		avx_off = r[1];
	}
	fxsave(fx_a);
	mxcsr_mask = *(uint32_t *)(fx_a + 28);
	if (!mxcsr_mask)
		mxcsr_mask = 0xffbf;
	for (round = 0; round < 24; round++) {
		xcr0 = round % 3 == 0 ? 1 : round % 3 == 1 || !avx ? 3 : 7;
		if (try_xsetbv(xcr0) >= 0) {
			fail("xsetbv %llx refused", xcr0);
			continue;
		}
		memset(xarea, 0, sizeof(xarea));
		/* x87 control and status with every exception masked, none pending. */
		*(uint16_t *)(xarea + 0) = (uint16_t)(0x037f & ~0x0f00) | (rnd() & 0x0f00);
		*(uint16_t *)(xarea + 2) = (uint16_t)(rnd() & 0x7f00 & ~0x0080);
		xarea[4] = (uint8_t)rnd();
		*(uint32_t *)(xarea + 24) = (uint32_t)(0x1f80 | (rnd() & 0xe07f)) & mxcsr_mask;
		for (i = 0; i < 8; i++)
			for (j = 0; j < 10; j++)
				xarea[32 + 16 * i + j] = (uint8_t)rnd();
		for (i = 160; i < 416; i++)
			xarea[i] = (uint8_t)rnd();
		if (avx)
			for (i = 0; i < 256; i++)
				xarea[avx_off + i] = (uint8_t)rnd();
		*(uint64_t *)(xarea + 512) = rnd() & xcr0;	/* XSTATE_BV */
		co_format(what, sizeof(what), "XCR0 %llx, XSTATE_BV %llx", xcr0,
			  *(uint64_t *)(xarea + 512));
		if (try_xrstor(xarea, ~0ULL) >= 0) {
			fail("%s: xrstor refused (vector %d)", what, try_vector);
			continue;
		}
		fxsave(fx_a);
		if (xcr0 & 4)
			ymm_upper(ymm_a);
		probe(what);
		if (xgetbv0() != xcr0)
			fail("%s: XCR0 came back as %llx", what, xgetbv0());
		fxsave(fx_b);
		if (!fx_same(fx_a, fx_b))
			fail("%s: x87/SSE state changed across the calls", what);
		if (xcr0 & 4) {
			ymm_upper(ymm_b);
			if (memcmp(ymm_a, ymm_b, sizeof(ymm_a)))
				fail("%s: the upper halves of ymm0-15 changed", what);
		}
		n_xsave++;
	}
	/* State the CPU must refuse (a header bit past XCR0, XCOMP_BV without XSAVEC). */
	memset(xarea, 0, sizeof(xarea));
	*(uint32_t *)(xarea + 24) = 0x1f80;
	*(uint64_t *)(xarea + 512) = 1ULL << 9;
	refused_by_cpu += try_xrstor(xarea, ~0ULL) >= 0;
	*(uint64_t *)(xarea + 512) = 0;
	*(uint64_t *)(xarea + 520) = 1ULL << 63 | 3;
	refused_by_cpu += try_xrstor(xarea, ~0ULL) >= 0;
	probe("after refused xrstors");
	/* XCR0 values the CPU refuses: no x87, AVX without SSE. */
	refused_by_cpu += try_xsetbv(0) >= 0;
	refused_by_cpu += try_xsetbv(5) >= 0;
	try_xsetbv(orig);
	*(uint64_t *)(xarea + 520) = 0;
	try_xrstor(xarea, ~0ULL);		/* back to the initial state */
	probe("XCR0 restored");
	if (xgetbv0() != orig)
		fail("XCR0 not restored: %llx", xgetbv0());
}

/* ---- the test ---- */

/* only=PHASE (calls, idt, gdt, idtr, seg, cr0, cr4, cr8, msr, debug, xsave). */
static bool phase(const char *name)
{
	bool run = !cmdline_value("only") || cmdline_is("only", name);

	if (run && verbose)
		printf("sweep: phase %s\n", name);
	return run;
}

int test_sweep(void)
{
	volatile uint64_t canary[32];
	uint64_t seed = (uint64_t)cmdline_number("seed", 1);
	uint64_t count = (uint64_t)cmdline_number("calls", 2000);
	uint64_t start = rdtsc(), systematic = 0, i;
	unsigned int v;

	if (boot_info->nr_vcpus != 1) {
		printf("sweep: runs on one vCPU (cpus=1), not %u\n", boot_info->nr_vcpus);
		return 2;
	}
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	verbose = cmdline_number("verbose", 0);
	sweep_entry = boot_info->hypercall_va;
	console_dev = console_device();
	ram_start = boot_info->ram[0].gpa;
	ram_end = boot_info->ram[boot_info->nr_ram_chunks - 1].gpa +
		  boot_info->ram[boot_info->nr_ram_chunks - 1].size;
	/* The top of the boot stack: start.S left it at once. */
	boot_stack_hi = boot_info->reserved_gpa + boot_info->reserved_size;
	boot_stack_lo = boot_stack_hi - 0x8000;
	read_scratch_gpa = gpa_of(read_scratch);
	steal_scratch_gpa = gpa_of(steal_scratch);
	memset(steal_scratch, 0x5a, sizeof(steal_scratch));
	for (i = 0; i < sizeof(canary_area); i++)
		canary_area[i] = (uint8_t)rnd();
	for (v = 0; v < 32; v++)
		canary[v] = 0x5ca1ab1e00000000ULL + v;
	stack_canary = canary;
	setup_idt();
	setup_bounds();
	canary_sum = checksum();
	restore_good();
	printf("sweep: seed %llu, %u boundary values, %u paging levels, RAM %llx-%llx\n",
	       seed, nr_bounds, boot_info->paging_levels, ram_start, ram_end);

	if (phase("calls")) {
		sweep_systematic();
		systematic = calls;
		printf("sweep: %llu systematic calls (%llu ms)\n", systematic,
		       tsc_to_ns(rdtsc() - start) / 1000000);
		sweep_random(count);
		printf("sweep: %llu random calls; %llu POWEROFF/CRASH skipped, %llu aimed elsewhere\n",
		       calls - systematic, skipped, redirected);
		printf("sweep: answers: %llu 0, %llu -EINVAL, %llu -ENOSYS, %llu -ENOENT, %llu -ENODEV, %llu values, %llu other\n",
		       answers[0], answers[1], answers[2], answers[3], answers[4],
		       answers[5], answers[6]);
	}
	if (phase("idt")) {
		i = calls;
		all_or_nothing(256);
		printf("sweep: SET_IDT all or nothing: 256 rounds, %llu calls (%llu ms)\n",
		       calls - i, tsc_to_ns(rdtsc() - start) / 1000000);
	}
	i = calls;
	if (phase("gdt"))
		garbage_gdt();
	if (phase("idtr"))
		garbage_idtr();
	if (phase("seg"))
		garbage_segments();
	if (phase("cr0"))
		garbage_cr0();
	if (phase("cr4"))
		garbage_cr4();
	if (phase("cr8"))
		garbage_cr8();
	if (phase("msr"))
		garbage_msrs();
	if (phase("debug"))
		garbage_debug();
	if (phase("xsave"))
		garbage_xsave();
	printf("sweep: control state: %llu GDT, %llu IDTR, %llu selector, %llu CR0, %llu CR4, %llu CR8, %llu MSR, %llu debug, %llu XSAVE cases (%llu refused by the CPU), %llu calls\n",
	       n_gdt, n_idt, n_seg, n_cr0, n_cr4, n_cr8, n_msr, n_dr, n_xsave,
	       refused_by_cpu, calls - i);

	deep_check("the end");
	int3_check("the end");
	for (i = 0, v = 0; v < 256; v++)
		i += stray[v];
	printf("sweep: %llu interrupts the sweep raised (SET_TIMER, SEND_IPI) taken\n", i);
	printf("sweep: %llu ms\n", tsc_to_ns(rdtsc() - start) / 1000000);
	if (surprises) {
		printf("sweep: %llu calls, %llu surprises\n", calls, surprises);
		return 1;
	}
	printf("sweep: %llu calls, all answered as documented\n", calls);
	return 0;
}
