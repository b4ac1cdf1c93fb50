// SPDX-License-Identifier: GPL-2.0
/*
 * ---- smp: two virtual CPUs ----
 *
 * vCPU 0 checks that CO_HC_VCPU_UP and CO_HC_SEND_IPI refuse what they
 * must, then starts vCPU 1 (the AP) on a stack of its own.  The AP checks
 * the state it started in, that it took the IDT vCPU 0 gave it and has a
 * timer of its own, and then the two
 *  (a) play IPI ping-pong, each waiting for the other's IPI sometimes
 *      asleep in CO_HC_IDLE (a vCPU woken) and sometimes spinning with
 *      interrupts on (a running vCPU kicked);
 *  (b) spin for the same TSC interval at once: the intervals overlap only
 *      if the host runs both vCPUs at the same time;
 *  (c) add 1 to one counter with "lock xadd", a million times each: the
 *      sum is exact only if guest RAM is one coherent memory for both;
 *  (d) hand a baton back and forth, each side waiting for it asleep in
 *      CO_HC_HALT with interrupts off, woken by the other's CO_HC_KICK
 *      (a paravirtual spinlock's hand-off).
 * smp-apoff: the AP powers off while vCPU 0 sleeps in CO_HC_IDLE; the
 * whole VM must end with the AP's status.
 *
 * The AP runs only the code below and the library's printf, poweroff and
 * trap path, which find its hypercall entry with this_cpu() (guest.h).
 * Code here that knows its CPU says so with hypercall_on().
 */
#include "guest.h"

#define EINVAL		22
#define EBUSY		16
/* Not canonical with 4- or 5-level paging: bit 63 set, bit 56 clear. */
#define NONCANONICAL	0x8000000000000000ULL

/*
 * IPI vectors: above the daemon's device vectors (0x31-0x3f) and the
 * timer (TIMER_VECTOR, 0x40, which both CPUs use for their own timers).
 */
#define PING_VECTOR	0x60	/* vCPU 0 -> 1 */
#define PONG_VECTOR	0x61	/* vCPU 1 -> 0 */
#define WAKE_VECTOR	0x62	/* vCPU 0 -> 1: the phase changed */
#define SELF_VECTOR	0x63	/* vCPU 0 -> 0 */
#define AP_SELF_VECTOR	0x64	/* vCPU 1 -> 1, through vCPU 0's entry */

enum phase { PHASE_PINGPONG = 1, PHASE_TOGETHER };

/* How far the AP got, for vCPU 0's message when it never comes up. */
static const char *const ap_stages[] = {
	"not started", "in ap_main", "took int3", "took its timer", "up",
};

/*
 * What the CPUs share.  All volatile: each side polls what the other
 * writes.  x86 keeps stores in order and loads in order, so a flag written
 * after the data it announces is read after that data; counters both CPUs
 * add to use "lock xadd" (fetch_add).
 */
static struct {
	/* vCPU 0 -> AP, written before CO_HC_VCPU_UP unless said */
	volatile uint64_t cr3;			/* vCPU 0's: the AP's must match */
	volatile uint64_t poweroff_status;	/* smp-apoff: the AP's status */
	volatile uint64_t spin_cycles, atomic_rounds;
	volatile int phase;			/* enum phase, changed with WAKE */
	volatile int cpu0_idle;			/* smp-apoff: vCPU 0 goes to sleep */
	/* AP -> vCPU 0 */
	volatile unsigned int ap_stage;		/* ap_stages[] */
	volatile uint64_t ap_idles;		/* its CO_HC_IDLE calls in (a) */
	/* counted in the interrupt handlers, per CPU that took them */
	volatile uint64_t ticks[NR_GUEST_CPUS], int3s[NR_GUEST_CPUS];
	volatile uint64_t pings, pongs, self_ipis, ap_self_ipis;
	volatile uint64_t ipi_errors;		/* SEND_IPI failures, both CPUs */
	/* (b) and (c) */
	volatile uint64_t arrivals;		/* meet() */
	volatile uint64_t spin_start[NR_GUEST_CPUS], spin_end[NR_GUEST_CPUS];
	volatile uint64_t spin_loops[NR_GUEST_CPUS];
	volatile uint64_t counter;
	/* (d) */
	volatile uint64_t kick_rounds;		/* vCPU 0 -> AP, before the start */
	volatile uint64_t baton;		/* even: vCPU 0's turn, odd: the AP's */
	volatile uint64_t halts[NR_GUEST_CPUS];	/* CO_HC_HALT calls */
	volatile int ap_kicks_ok;		/* AP -> vCPU 0 */
} shared;

static uint64_t fetch_add(volatile uint64_t *p, uint64_t v)
{
	__asm__ volatile("lock xaddq %0, %1" : "+r"(v), "+m"(*p) : : "memory", "cc");
	return v;
}

static uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr3, %0" : "=r"(v));
	return v;
}

static uint64_t ms_to_cycles(uint64_t ms)
{
	return ms * boot_info->tsc_khz;
}

static uint64_t cycles_to_ms(uint64_t cycles)
{
	return cycles / boot_info->tsc_khz;
}

/* Stop the VM with a message: a wrong CPU or a broken promise mid-test. */
static void smp_crash(const char *what, unsigned int cpu)
{
	printf("smp: %s on vCPU %u\n", what, cpu);
	hypercall(CO_HC_CRASH, 50, 0, 0, 0);
}

/* Interrupts sent to one CPU must reach that one. */
static void expect_cpu(unsigned int want, const char *what)
{
	unsigned int cpu = this_cpu();

	if (cpu != want)
		smp_crash(what, cpu);
}

/* ---- interrupt handlers (both CPUs run them: one IDT, copied) ---- */

/* Each CPU's own one-shot timer: vCPU 0's watchdog, the AP's check. */
static void on_timer(struct trap_frame *f)
{
	(void)f;
	shared.ticks[this_cpu()]++;
}

static void on_int3(struct trap_frame *f)
{
	(void)f;
	shared.int3s[this_cpu()]++;
}

/* On the AP: count, and answer from the handler (interrupts off). */
static void on_ping(struct trap_frame *f)
{
	(void)f;
	expect_cpu(1, "a ping (meant for vCPU 1) arrived");
	shared.pings++;
	if (hypercall_on(1, CO_HC_SEND_IPI, 0, PONG_VECTOR, 0, 0))
		fetch_add(&shared.ipi_errors, 1);
}

static void on_pong(struct trap_frame *f)
{
	(void)f;
	expect_cpu(0, "a pong (meant for vCPU 0) arrived");
	shared.pongs++;
}

static void on_wake(struct trap_frame *f)
{
	(void)f;
	expect_cpu(1, "a wake-up (meant for vCPU 1) arrived");
}

static void on_self(struct trap_frame *f)
{
	(void)f;
	expect_cpu(0, "vCPU 0's IPI to itself arrived");
	shared.self_ipis++;
}

static void on_ap_self(struct trap_frame *f)
{
	(void)f;
	expect_cpu(1, "vCPU 1's IPI to itself arrived");
	shared.ap_self_ipis++;
}

/* The AP, interrupts off: did its IPI to itself arrive, once? */
static bool wait_ap_self_ipi(void)
{
	uint64_t end = rdtsc() + ms_to_cycles(100);

	irq_enable();
	while (!shared.ap_self_ipis && rdtsc() < end)
		cpu_relax();
	irq_disable();
	return shared.ap_self_ipis == 1;
}

static void smp_traps_init(void)
{
	traps_init();
	trap_set_handler(TIMER_VECTOR, on_timer);
	trap_set_handler(3, on_int3);
	trap_set_handler(PING_VECTOR, on_ping);
	trap_set_handler(PONG_VECTOR, on_pong);
	trap_set_handler(WAKE_VECTOR, on_wake);
	trap_set_handler(SELF_VECTOR, on_self);
	trap_set_handler(AP_SELF_VECTOR, on_ap_self);
}

/*
 * Both CPUs meet here: the n-th meeting lets them on once 2n arrivals are
 * in.  vCPU 0 gives up at deadline (an AP that is lost); the AP passes 0
 * and waits as long as it takes: vCPU 0 ends the VM either way.
 */
static bool meet(uint64_t n, uint64_t deadline)
{
	fetch_add(&shared.arrivals, 1);
	while (shared.arrivals < 2 * n) {
		if (deadline && rdtsc() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

/*
 * (b) and (c), on either CPU.  The spin counts loop iterations for the
 * same number of TSC cycles on both, from a common start; each records its
 * interval in TSC time for vCPU 0 to compare.  Interrupts stay off: nothing
 * should interrupt either, and a host interrupt exits regardless.
 */
static bool together(unsigned int cpu, uint64_t timeout)
{
	uint64_t start, end, now, loops = 0, i;

	if (!meet(1, timeout ? rdtsc() + timeout : 0))
		return false;
	start = rdtsc();
	end = start + shared.spin_cycles;
	do {
		loops++;
		now = rdtsc();
	} while (now < end);
	shared.spin_start[cpu] = start;
	shared.spin_end[cpu] = now;
	shared.spin_loops[cpu] = loops;
	if (!meet(2, timeout ? rdtsc() + timeout : 0))
		return false;
	for (i = 0; i < shared.atomic_rounds; i++)
		fetch_add(&shared.counter, 1);
	return meet(3, timeout ? rdtsc() + timeout : 0);
}

/* ---- the AP ---- */

/* The AP went wrong: say so through its own entry and stop the VM. */
static __attribute__((noreturn)) void ap_fail(unsigned int cpu, const char *why,
					      uint64_t value)
{
	printf("smp: vCPU %u: %s (%llx)\n", cpu, why, value);
	hypercall_on(cpu, CO_HC_CRASH, 51, 0, 0, 0);
	for (;;)
		__asm__ volatile("hlt");
}

/*
 * (a) on the AP: wait for pings until vCPU 0 changes the phase.  Rounds
 * 0, 1, 4, 5, ... it sleeps in CO_HC_IDLE, rounds 2, 3, 6, 7, ... it spins
 * with interrupts on; vCPU 0 sleeps in odd rounds and spins in even ones,
 * so every pair of ways to wait comes up.  Interrupts stay off from
 * looking at the count to CO_HC_IDLE: a ping in between stays pending and
 * CO_HC_IDLE returns at once instead of sleeping through it.
 */
static void ap_ping_pong(unsigned int cpu)
{
	uint64_t seen;

	irq_disable();
	while (shared.phase == PHASE_PINGPONG) {
		seen = shared.pings;
		if (seen / 2 % 2 == 0) {
			hypercall_on(cpu, CO_HC_IDLE, 0, 0, 0, 0);
			shared.ap_idles++;
			irq_disable();
		} else {
			irq_enable();
			while (shared.pings == seen && shared.phase == PHASE_PINGPONG)
				cpu_relax();
			irq_disable();
		}
	}
}

void ap_main(uint64_t arg);
extern char ap_start[];

/*
 * (d): wait for the baton asleep, interrupts off.  Only the other's kick
 * (or the watchdog timer this CPU armed for the deadline, whose vector
 * stays pending) ends a CO_HC_HALT.
 */
static bool wait_baton(unsigned int cpu, uint64_t want, uint64_t deadline)
{
	while (shared.baton != want) {
		if (rdtsc() > deadline)
			return false;
		hypercall_on(cpu, CO_HC_HALT, 0, 0, 0, 0);
		shared.halts[cpu]++;
	}
	return true;
}

static bool kick_pingpong(unsigned int cpu, uint64_t timeout)
{
	uint64_t i, turn, deadline = rdtsc() + timeout;
	bool ok = true;

	irq_disable();
	hypercall_on(cpu, CO_HC_SET_TIMER, deadline, TIMER_VECTOR, 0, 0);
	for (i = 0; i < shared.kick_rounds && ok; i++) {
		turn = 2 * i + cpu;
		ok = wait_baton(cpu, turn, deadline);
		shared.baton = turn + 1;
		if (hypercall_on(cpu, CO_HC_KICK, !cpu, 0, 0, 0))
			ok = false;
	}
	/* vCPU 0 also waits for the AP's last hand-back. */
	if (ok && cpu == 0)
		ok = wait_baton(cpu, 2 * shared.kick_rounds, deadline);
	hypercall_on(cpu, CO_HC_SET_TIMER, 0, 0, 0, 0);
	return ok;
}

/*
 * Another test's work for the AP (blkrace's rewriter), run once it is up;
 * start_ap_job() sets it.
 */
static void (*volatile ap_job)(unsigned int cpu);

/* ap_start (start.S) calls this on vCPU arg, on its stack in ap_stacks. */
void ap_main(uint64_t arg)
{
	unsigned int cpu = (unsigned int)arg;
	uint64_t cs, ss, ds, rflags, end;

	/* First, before anything changes it: the boot state it was promised. */
	__asm__ volatile("mov %%cs, %0\n\t"
			 "mov %%ss, %1\n\t"
			 "mov %%ds, %2\n\t"
			 "pushfq\n\t"
			 "popq %3"
			 : "=r"(cs), "=r"(ss), "=r"(ds), "=r"(rflags));
	cs &= 0xffff;
	ss &= 0xffff;
	ds &= 0xffff;
	/* Only vCPU 1 is ever started, so its entry is the one to complain on. */
	if (arg != 1)
		ap_fail(1, "rdi is not CO_HC_VCPU_UP's arg, 1", arg);
	if (this_cpu() != cpu)
		ap_fail(cpu, "rsp is not the top of ap_stacks[0]", this_cpu());
	shared.ap_stage = 1;
	if (cs != CO_GUEST_CS)
		ap_fail(cpu, "cs is not 0x10", cs);
	if (ss != 0x18 || ds != 0x18)
		ap_fail(cpu, "ss or ds is not 0x18", ss << 16 | ds);
	if (rflags & RFLAGS_IF)
		ap_fail(cpu, "started with interrupts on: rflags", rflags);
	if (read_cr3() != shared.cr3)
		ap_fail(cpu, "cr3 is not vCPU 0's", read_cr3());

	/* An exception through the copy of vCPU 0's IDT (no SET_IDT here). */
	__asm__ volatile("int3" ::: "memory");
	if (shared.int3s[cpu] != 1)
		ap_fail(cpu, "int3 did not reach its handler once", shared.int3s[cpu]);
	shared.ap_stage = 2;

	/*
	 * A timer of its own, on the vector vCPU 0's watchdog uses: it must
	 * fire here, and leave vCPU 0's alone.
	 */
	hypercall_on(cpu, CO_HC_SET_TIMER, rdtsc() + ms_to_cycles(1), TIMER_VECTOR, 0, 0);
	while (!shared.ticks[cpu]) {
		hypercall_on(cpu, CO_HC_IDLE, 0, 0, 0, 0);
		irq_disable();
	}
	shared.ap_stage = 3;

	/*
	 * Through vCPU 0's entry, as a guest task that moved between CPUs
	 * would: the passage sends the call on to this CPU's own, so the
	 * module sees vCPU 1 ask to start itself (-EINVAL).  Served as vCPU
	 * 0's it would be -EBUSY, on vCPU 0's host state.
	 */
	if (hypercall_on(0, CO_HC_VCPU_UP, cpu, (uint64_t)ap_start,
			 (uint64_t)&ap_stacks[0][AP_STACK_SIZE], 1) != -EINVAL)
		ap_fail(cpu, "a call through vCPU 0's entry was not served as vCPU 1's", 0);
	if (hypercall_on(0, CO_HC_SEND_IPI, cpu, AP_SELF_VECTOR, 0, 0) ||
	    !wait_ap_self_ipi())
		ap_fail(cpu, "a self-IPI through vCPU 0's entry did not come back here", 0);

	printf("smp: vcpu %u running\n", cpu);
	shared.ap_stage = 4;

	if (ap_job) {
		ap_job(cpu);
		for (;;) {
			irq_disable();
			hypercall_on(cpu, CO_HC_IDLE, 0, 0, 0, 0);
		}
	}

	if (shared.poweroff_status) {
		/* smp-apoff: once vCPU 0 is asleep in the host, end the VM. */
		while (!shared.cpu0_idle)
			cpu_relax();
		printf("smp-apoff: vcpu %u powers off with %llu\n", cpu, shared.poweroff_status);
		end = rdtsc() + ms_to_cycles(50);
		while (rdtsc() < end)
			cpu_relax();
		hypercall_on(cpu, CO_HC_POWEROFF, shared.poweroff_status, 0, 0, 0);
		ap_fail(cpu, "CO_HC_POWEROFF returned", 0);
	}

	ap_ping_pong(cpu);
	together(cpu, 0);
	shared.ap_kicks_ok = kick_pingpong(cpu, ms_to_cycles(30000)) ? 1 : -1;

	/* Done: sleep until vCPU 0 powers off (which must end this RUN too). */
	for (;;) {
		irq_disable();
		hypercall_on(cpu, CO_HC_IDLE, 0, 0, 0, 0);
	}
}

/* ---- vCPU 0 ---- */


static int expect_ret(const char *what, long got, long want)
{
	if (got == want)
		return 0;
	printf("smp: %s returned %d, expected %d\n", what, (int)got, (int)want);
	return 1;
}

/*
 * Every refusal the ABI promises, each with all other arguments good, so
 * that only the one thing is wrong.  With one vCPU there is nothing to
 * start: the non-canonical addresses are left out.
 */
static int refusals(uint32_t nr)
{
	uint64_t rip = (uint64_t)ap_start;
	uint64_t rsp = (uint64_t)ap_stacks[0] + AP_STACK_SIZE;
	int bad = 0;

	bad += expect_ret("VCPU_UP of vcpu nr_vcpus",
			  hypercall_on(0, CO_HC_VCPU_UP, nr, rip, rsp, 1), -EINVAL);
	bad += expect_ret("VCPU_UP of vcpu 0 (the caller)",
			  hypercall_on(0, CO_HC_VCPU_UP, 0, rip, rsp, 1), -EINVAL);
	/* A host that keeps 32 bits of the index would start vCPU 1. */
	bad += expect_ret("VCPU_UP of vcpu 2^32 + 1",
			  hypercall_on(0, CO_HC_VCPU_UP, (1ULL << 32) | 1, rip, rsp, 1),
			  -EINVAL);
	bad += expect_ret("VCPU_UP of vcpu ~0",
			  hypercall_on(0, CO_HC_VCPU_UP, ~0ULL, rip, rsp, 1), -EINVAL);
	if (nr >= 2) {
		bad += expect_ret("VCPU_UP with a non-canonical rip",
				  hypercall_on(0, CO_HC_VCPU_UP, 1, NONCANONICAL, rsp, 1),
				  -EINVAL);
		bad += expect_ret("VCPU_UP with a non-canonical rsp",
				  hypercall_on(0, CO_HC_VCPU_UP, 1, rip, NONCANONICAL, 1),
				  -EINVAL);
	}
	bad += expect_ret("SEND_IPI to vcpu nr_vcpus",
			  hypercall_on(0, CO_HC_SEND_IPI, nr, SELF_VECTOR, 0, 0), -EINVAL);
	bad += expect_ret("SEND_IPI of vector 31",
			  hypercall_on(0, CO_HC_SEND_IPI, 0, 31, 0, 0), -EINVAL);
	bad += expect_ret("SEND_IPI of vector 256",
			  hypercall_on(0, CO_HC_SEND_IPI, 0, 256, 0, 0), -EINVAL);
	/* Kept to 32 bits, these two would be good IPIs to vCPU 0 itself. */
	bad += expect_ret("SEND_IPI to vcpu 2^32",
			  hypercall_on(0, CO_HC_SEND_IPI, 1ULL << 32, SELF_VECTOR, 0, 0),
			  -EINVAL);
	bad += expect_ret("SEND_IPI of vector 2^32 + 0x63",
			  hypercall_on(0, CO_HC_SEND_IPI, 0, (1ULL << 32) | SELF_VECTOR, 0, 0),
			  -EINVAL);
	return bad;
}

/*
 * An IPI to ourselves with interrupts off waits for them to come on, and
 * then arrives once (and none of the refused ones above arrives at all).
 */
static int self_ipi(void)
{
	uint64_t end, early;
	long err;

	irq_disable();
	err = hypercall_on(0, CO_HC_SEND_IPI, 0, SELF_VECTOR, 0, 0);
	early = shared.self_ipis;
	irq_enable();
	end = rdtsc() + ms_to_cycles(100);
	while (rdtsc() < end)
		cpu_relax();
	irq_disable();
	if (err || early || shared.self_ipis != 1) {
		printf("smp: IPI to self: returned %d, taken %llu times with interrupts off, %llu in all\n",
		       (int)err, early, shared.self_ipis);
		return 1;
	}
	return 0;
}

/*
 * Start the AP, which must refuse a second start at once, and wait until
 * it says it is up.  Its timer must not have fired on vCPU 0.
 */
static int start_ap(const char *name, uint64_t timeout)
{
	uint64_t rip = (uint64_t)ap_start;
	uint64_t rsp = (uint64_t)ap_stacks[0] + AP_STACK_SIZE;
	uint64_t end;
	long err;

	shared.cr3 = read_cr3();
	err = hypercall_on(0, CO_HC_VCPU_UP, 1, rip, rsp, 1);
	if (err) {
		printf("%s: VCPU_UP of vcpu 1 returned %d\n", name, (int)err);
		return 1;
	}
	/* Started means started: -EBUSY from the first call's return on. */
	err = hypercall_on(0, CO_HC_VCPU_UP, 1, rip, rsp, 1);
	if (err != -EBUSY) {
		printf("%s: a second VCPU_UP of vcpu 1 returned %d, expected %d\n",
		       name, (int)err, -EBUSY);
		return 1;
	}
	end = rdtsc() + timeout;
	irq_enable();
	while (shared.ap_stage < 4 && rdtsc() < end)
		cpu_relax();
	irq_disable();
	if (shared.ticks[0] || shared.int3s[0]) {
		printf("%s: vCPU 0 took %llu timer interrupts and %llu int3s meant for vCPU 1\n",
		       name, shared.ticks[0], shared.int3s[0]);
		return 1;
	}
	if (shared.ap_stage < 4) {
		printf("%s: vCPU 1 not up after %llu s: it got as far as \"%s\"\n",
		       name, cycles_to_ms(timeout) / 1000, ap_stages[shared.ap_stage]);
		return 1;
	}
	return 0;
}

/*
 * vCPU 0's watchdog for (a): its own timer, every timeout cycles, wakes it
 * from CO_HC_IDLE, so that a lost IPI is a message, not a hang.  Only a
 * period without a single pong counts as lost: a slow host is not.
 */
static uint64_t pongs_at_arming;

static void watchdog_arm(uint64_t timeout)
{
	shared.ticks[0] = 0;
	pongs_at_arming = shared.pongs;
	hypercall_on(0, CO_HC_SET_TIMER, rdtsc() + timeout, TIMER_VECTOR, 0, 0);
}

static bool stalled(uint64_t timeout)
{
	if (!shared.ticks[0])
		return false;
	if (shared.pongs == pongs_at_arming)
		return true;
	watchdog_arm(timeout);
	return false;
}

/* (a) on vCPU 0: rounds pings, each answered by a pong before the next. */
static int ping_pong(uint64_t rounds, uint64_t timeout)
{
	uint64_t i, start, cycles, idles = 0;
	bool lost = false;

	watchdog_arm(timeout);
	start = rdtsc();
	for (i = 0; i < rounds && !lost; i++) {
		if (hypercall_on(0, CO_HC_SEND_IPI, 1, PING_VECTOR, 0, 0))
			fetch_add(&shared.ipi_errors, 1);
		if (i % 2) {
			/* Interrupts off up to CO_HC_IDLE, as on the AP. */
			irq_disable();
			while (shared.pongs == i && !(lost = stalled(timeout))) {
				hypercall_on(0, CO_HC_IDLE, 0, 0, 0, 0);
				idles++;
				irq_disable();
			}
		} else {
			irq_enable();
			while (shared.pongs == i && !(lost = stalled(timeout)))
				cpu_relax();
			irq_disable();
		}
	}
	cycles = rdtsc() - start;
	hypercall_on(0, CO_HC_SET_TIMER, 0, 0, 0, 0);
	if (lost)
		printf("smp: no pong for %llu s: %llu pings sent, %llu taken, %llu pongs\n",
		       cycles_to_ms(timeout) / 1000, i, shared.pings, shared.pongs);
	printf("smp: ipi round trips %llu\n", shared.pongs);
	printf("smp: ipi %llu us a round trip; CO_HC_IDLE calls: vcpu 0 %llu, vcpu 1 %llu\n",
	       shared.pongs ? tsc_to_ns(cycles) / 1000 / shared.pongs : 0, idles, shared.ap_idles);
	return lost || shared.pings != rounds || shared.pongs != rounds;
}

/* How much of the longer spin interval both spent spinning, in percent. */
static uint64_t overlap_percent(void)
{
	uint64_t lo = shared.spin_start[0] > shared.spin_start[1] ? shared.spin_start[0] : shared.spin_start[1];
	uint64_t hi = shared.spin_end[0] < shared.spin_end[1] ? shared.spin_end[0] : shared.spin_end[1];
	uint64_t len0 = shared.spin_end[0] - shared.spin_start[0];
	uint64_t len1 = shared.spin_end[1] - shared.spin_start[1];
	uint64_t len = len0 > len1 ? len0 : len1;

	return hi > lo && len ? (hi - lo) * 100 / len : 0;
}

int test_smp(void)
{
	uint32_t nr = boot_info->nr_vcpus;
	uint64_t rounds = (uint64_t)cmdline_number("ipis", 10000);
	uint64_t timeout = ms_to_cycles(1000 * (uint64_t)cmdline_number("timeout", 30));
	uint64_t min_overlap = (uint64_t)cmdline_number("overlap", 50);
	uint64_t first, last, overlap;
	int bad = 0;

	printf("smp: %u vcpus\n", nr);
	smp_traps_init();
	if (refusals(nr)) {
		printf("smp: refusals FAILED\n");
		return 1;
	}
	printf("smp: refusals ok\n");
	if (nr < 2) {
		printf("smp: needs 2 vCPUs or more (cpus=2), the VM has %u\n", nr);
		return 1;
	}
	if (self_ipi())
		return 1;

	shared.phase = PHASE_PINGPONG;
	shared.spin_cycles = ms_to_cycles((uint64_t)cmdline_number("spin_ms", 500));
	shared.atomic_rounds = (uint64_t)cmdline_number("atomics", 1000000);
	shared.kick_rounds = (uint64_t)cmdline_number("kicks", 1000);
	if (start_ap("smp", timeout))
		return 1;

	/* (a) */
	bad |= ping_pong(rounds, timeout);
	if (shared.ipi_errors)
		printf("smp: %llu SEND_IPI calls failed\n", shared.ipi_errors);
	bad |= shared.ipi_errors != 0;
	if (bad)
		return 1;

	/* (b) and (c): the AP may be asleep in CO_HC_IDLE: wake it. */
	shared.phase = PHASE_TOGETHER;
	if (hypercall_on(0, CO_HC_SEND_IPI, 1, WAKE_VECTOR, 0, 0)) {
		printf("smp: SEND_IPI of the wake-up failed\n");
		return 1;
	}
	if (!together(0, timeout)) {
		printf("smp: vCPU 1 did not keep up: %llu arrivals\n", shared.arrivals);
		return 1;
	}
	first = shared.spin_start[0] < shared.spin_start[1] ? shared.spin_start[0] : shared.spin_start[1];
	last = shared.spin_end[0] > shared.spin_end[1] ? shared.spin_end[0] : shared.spin_end[1];
	overlap = overlap_percent();
	printf("smp: spin %llu ms each: vcpu 0 %llu loops, vcpu 1 %llu loops, %llu ms from first start to last end\n",
	       cycles_to_ms(shared.spin_cycles), shared.spin_loops[0], shared.spin_loops[1],
	       cycles_to_ms(last - first));
	printf("smp: overlap %llu%%\n", overlap);
	printf("smp: atomic %llu\n", shared.counter);
	if (overlap < min_overlap) {
		printf("smp: the spins overlapped less than %llu%%\n", min_overlap);
		bad = 1;
	}
	if (shared.counter != 2 * shared.atomic_rounds) {
		printf("smp: the counter is %llu, expected %llu\n", shared.counter,
		       2 * shared.atomic_rounds);
		bad = 1;
	}

	/* (d): the AP says how its side went just after its last kick. */
	first = rdtsc() + timeout;
	bad |= !kick_pingpong(0, timeout);
	while (!shared.ap_kicks_ok && rdtsc() < first)
		cpu_relax();
	if (bad || shared.ap_kicks_ok != 1) {
		printf("smp: the baton stopped at %llu of %llu (a kick lost?), vCPU 1 says %d\n",
		       shared.baton, 2 * shared.kick_rounds, shared.ap_kicks_ok);
		return 1;
	}
	printf("smp: kick hand-offs %llu, CO_HC_HALT calls: vcpu 0 %llu, vcpu 1 %llu\n",
	       shared.kick_rounds, shared.halts[0], shared.halts[1]);
	return bad;
}

/*
 * smp-apoff: the AP powers off (status=, 7 by default) while vCPU 0 sleeps
 * in CO_HC_IDLE, which should never return: the VM ends with the AP's
 * status.  Only the watchdog wakes vCPU 0, and then the VM outlived it.
 */
/*
 * Starts vCPU 1 running job (on its own entry: job's hypercalls go through
 * hypercall_on(cpu, ...)).  Sets up the traps first: call it before
 * setting handlers of one's own.
 */
int start_ap_job(const char *name, void (*job)(unsigned int cpu))
{
	if (boot_info->nr_vcpus < 2) {
		printf("%s: needs 2 vCPUs or more (cpus=2), the VM has %u\n",
		       name, boot_info->nr_vcpus);
		return 1;
	}
	smp_traps_init();
	ap_job = job;
	return start_ap(name, ms_to_cycles(30000));
}

int test_smp_apoff(void)
{
	uint32_t nr = boot_info->nr_vcpus;
	uint64_t timeout = ms_to_cycles(1000 * (uint64_t)cmdline_number("timeout", 30));

	printf("smp-apoff: %u vcpus\n", nr);
	if (nr < 2) {
		printf("smp-apoff: needs 2 vCPUs or more (cpus=2), the VM has %u\n", nr);
		return 1;
	}
	smp_traps_init();
	shared.poweroff_status = (uint64_t)cmdline_number("status", 7);
	if (!shared.poweroff_status)
		shared.poweroff_status = 7;	/* 0 would look like success of vCPU 0 */
	if (start_ap("smp-apoff", timeout))
		return 1;
	hypercall_on(0, CO_HC_SET_TIMER, rdtsc() + timeout, TIMER_VECTOR, 0, 0);
	irq_disable();
	shared.cpu0_idle = 1;
	while (!shared.ticks[0]) {
		hypercall_on(0, CO_HC_IDLE, 0, 0, 0, 0);
		irq_disable();
	}
	printf("smp-apoff: vCPU 0 woke from CO_HC_IDLE after %llu s: the VM outlived vCPU 1's power-off\n",
	       cycles_to_ms(timeout) / 1000);
	return 1;
}
