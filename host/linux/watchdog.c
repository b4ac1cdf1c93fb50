// SPDX-License-Identifier: GPL-2.0
/*
 * The guest runs with the real interrupt flag: a guest that sits with
 * interrupts off ("cli; jmp ."), with CR8 raised, or in a hard lockup of its
 * own keeps every host interrupt out of its CPU.  Nothing then ends the
 * round trip, and the other host CPUs wait forever on their TLB-shootdown
 * and stop_machine IPIs.
 *
 * So, as the host's hard-lockup detector does, this watchdog uses NMIs,
 * which the guest cannot block.  While any VM exists, every online CPU runs
 * a pinned hrtimer (hard interrupt context: it fires even on a CPU that
 * spins, preemption off, waiting for the stuck one) that looks at every vCPU
 * in a round trip; one that has been inside for more than SLICE_MS gets an
 * NMI on its CPU.  The NMI ends the round trip; the host takes its pending
 * interrupts, signals and reschedules, and enters again, so it never waits
 * much more than a slice.  A guest that keeps interrupts blocked like this
 * for LIMIT_MS in a row is in a hard lockup: it is stopped with a report.
 *
 * The NMI is claimed by our NMI handler, so the host does not call it
 * unknown, whether it hit the guest (and was replayed) or the host.  The
 * bound needs one CPU that is not itself inside such a guest: with every
 * CPU stuck at once nobody is left to send (a per-CPU perf counter NMI, as
 * the hard-lockup detector uses, would close that; TCG has no PMU).
 */
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include <asm/apic.h>
#include <asm/nmi.h>

#include "colinux.h"

#define SLICE_MS	50
#define PERIOD_MS	20
#define LIMIT_MS	5000

static LIST_HEAD(watched_vcpus);
static DEFINE_RAW_SPINLOCK(watched_lock);	/* taken in the timers */
static DEFINE_MUTEX(watchers_lock);		/* starts and stops them */
static unsigned int nr_watched;
static DEFINE_PER_CPU(struct hrtimer, watchdog_timer);
/* When our NMI to that CPU was sent (0: none in flight). */
static DEFINE_PER_CPU(atomic64_t, nmi_sent_ns);

/*
 * Claims one NMI after we sent one.  (An unrelated NMI that arrives first
 * is claimed in its place, and ours then counts as unknown: rare, and only
 * a log line.)
 */
static int watchdog_nmi(unsigned int type, struct pt_regs *regs)
{
	return atomic64_xchg(this_cpu_ptr(&nmi_sent_ns), 0) ? NMI_HANDLED : NMI_DONE;
}

/* Interrupt every round trip that has lasted longer than a slice. */
static void watchdog_scan(void)
{
	u64 now = ktime_get_mono_fast_ns();
	struct co_host_vcpu *vc;
	unsigned long flags;

	raw_spin_lock_irqsave(&watched_lock, flags);
	list_for_each_entry(vc, &watched_vcpus, watched) {
		atomic64_t *sent;
		s64 inside;
		u64 last;
		int cpu;

		/* in_guest first: it orders the vCPU's entered_ns and cpu. */
		if (!smp_load_acquire(&vc->in_guest))
			continue;
		cpu = READ_ONCE(vc->cpu);
		/* Signed: another CPU's clock may read a little behind. */
		inside = (s64)(now - READ_ONCE(vc->entered_ns));
		if (inside < SLICE_MS * NSEC_PER_MSEC ||
		    cpu == smp_processor_id() || !cpu_online(cpu))
			continue;
		/*
		 * One in flight per CPU (our handler claims one NMI each); one
		 * that was never claimed, because the exit it caused was not
		 * replayed, expires after a slice.
		 */
		sent = per_cpu_ptr(&nmi_sent_ns, cpu);
		last = atomic64_read(sent);
		if (last && (s64)(now - last) < SLICE_MS * NSEC_PER_MSEC)
			continue;
		atomic64_set(sent, now);
		apic->send_IPI(cpu, NMI_VECTOR);
	}
	raw_spin_unlock_irqrestore(&watched_lock, flags);
}

static enum hrtimer_restart watchdog_fire(struct hrtimer *timer)
{
	watchdog_scan();
	hrtimer_forward_now(timer, ms_to_ktime(PERIOD_MS));
	return HRTIMER_RESTART;
}

static void watchdog_start_here(void *unused)
{
	struct hrtimer *timer = this_cpu_ptr(&watchdog_timer);

	hrtimer_init(timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	timer->function = watchdog_fire;
	hrtimer_start(timer, ms_to_ktime(PERIOD_MS), HRTIMER_MODE_REL_PINNED_HARD);
}

static void watchdog_stop_all(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct hrtimer *timer = per_cpu_ptr(&watchdog_timer, cpu);

		if (timer->function)
			hrtimer_cancel(timer);
	}
}

/*
 * After every round trip, on the vCPU thread: time the guest spent inside
 * with host interrupts blocked, until something but a hypercall ended it,
 * counts towards the limit; any exit with them open starts the count again.
 */
void co_watchdog_exited(struct co_host_vcpu *vc, u64 round_trip_ns)
{
	char why[CO_FAULT_REASON_LEN];

	switch (co_vcpu_irqs_blocked(vc->vcpu)) {
	case 0:
		vc->blocked_ns = 0;
		return;
	case 1:
		return;
	}
	vc->blocked_ns += round_trip_ns;
	if (vc->blocked_ns < LIMIT_MS * NSEC_PER_MSEC)
		return;
	snprintf(why, sizeof(why),
		 "hard lockup: the guest kept host interrupts out for %llu ms (IF off or CR8 raised)",
		 vc->blocked_ns / NSEC_PER_MSEC);
	co_vcpu_stop(vc->vcpu, why);
}

void co_watchdog_add(struct co_host_vcpu *vc)
{
	unsigned long flags;

	mutex_lock(&watchers_lock);
	if (!nr_watched++)
		on_each_cpu(watchdog_start_here, NULL, 1);
	raw_spin_lock_irqsave(&watched_lock, flags);
	list_add(&vc->watched, &watched_vcpus);
	raw_spin_unlock_irqrestore(&watched_lock, flags);
	mutex_unlock(&watchers_lock);
}

void co_watchdog_remove(struct co_host_vcpu *vc)
{
	unsigned long flags;

	mutex_lock(&watchers_lock);
	raw_spin_lock_irqsave(&watched_lock, flags);
	list_del(&vc->watched);
	raw_spin_unlock_irqrestore(&watched_lock, flags);
	if (!--nr_watched)
		watchdog_stop_all();
	mutex_unlock(&watchers_lock);
}

int co_watchdog_init(void)
{
	return register_nmi_handler(NMI_LOCAL, watchdog_nmi, 0, "colinux");
}

void co_watchdog_exit(void)
{
	int cpu, i;

	/* No VM, no timer: but an NMI sent just before must find its handler. */
	for_each_possible_cpu(cpu)
		for (i = 0; i < 100 && atomic64_read(per_cpu_ptr(&nmi_sent_ns, cpu)); i++)
			usleep_range(1000, 2000);
	unregister_nmi_handler(NMI_LOCAL, "colinux");
}
