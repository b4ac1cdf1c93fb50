// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative Linux: time.
 *
 * The guest reads the CPU's TSC directly (it is the host's, whose frequency
 * the host reports), so the TSC is the clocksource with no calibration
 * against PIT or HPET.  Each CPU's clockevent is a one-shot TSC deadline
 * that the host arms on a host timer of that vCPU (CO_HC_SET_TIMER) and
 * delivers on X86_PLATFORM_IPI_VECTOR: a per-CPU system vector whose gate
 * Linux installs on every CPU, as the local APIC timer's would be.  The
 * wall clock comes from the host.
 *
 * A host whose kernel marked its TSC unstable (CPUs whose TSCs disagree, or
 * stop in deep sleep) says so (CO_VM_TSC_UNSTABLE).  A vCPU the host moves
 * from CPU to CPU, or two vCPUs, could then read a TSC earlier than one
 * read before, and time would go back.  Such a guest keeps time with
 * "colinux-tsc" instead: a TSC clocksource none of whose reads returns less
 * than the last any CPU returned (kvmclock does the same when the host does
 * not promise a stable TSC).  Its reads share one cache line, and the vDSO
 * cannot make the same promise, so gettimeofday() becomes a system call:
 * the price of time that never runs backwards on such a host.
 */
#include <linux/atomic.h>
#include <linux/clockchips.h>
#include <linux/clocksource.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/percpu.h>
#include <asm/irq.h>
#include <asm/irq_vectors.h>
#include <asm/time.h>
#include <asm/tsc.h>
#include <asm/x86_init.h>

#include "coop.h"

static DEFINE_PER_CPU(struct clock_event_device, coop_clockevent);

/* Called on the CPU whose clockevent it is: the host arms that vCPU's. */
static int coop_timer_next(unsigned long delta, struct clock_event_device *evt)
{
	return coop_hypercall(CO_HC_SET_TIMER, rdtsc() + delta,
			      X86_PLATFORM_IPI_VECTOR, 0, 0) ? -EINVAL : 0;
}

static int coop_timer_shutdown(struct clock_event_device *evt)
{
	coop_hypercall(CO_HC_SET_TIMER, 0, 0, 0, 0);
	return 0;
}

/* sysvec_x86_platform_ipi(), on the CPU whose timer went off. */
static void coop_timer_tick(void)
{
	struct clock_event_device *evt = this_cpu_ptr(&coop_clockevent);

	if (evt->event_handler)
		evt->event_handler(evt);
}

/* This CPU's clockevent: the boot CPU's at timer_init, the others' at bring-up. */
void coop_setup_cpu_timer(void)
{
	struct clock_event_device *evt = this_cpu_ptr(&coop_clockevent);

	*evt = (struct clock_event_device){
		.name = "colinux",
		.features = CLOCK_EVT_FEAT_ONESHOT,
		.rating = 400,
		.irq = -1,
		.cpumask = cpumask_of(smp_processor_id()),
		.set_next_event = coop_timer_next,
		.set_state_shutdown = coop_timer_shutdown,
		.set_state_oneshot_stopped = coop_timer_shutdown,
	};
	clockevents_config_and_register(evt, coop_info.tsc_khz * 1000, 16,
					LONG_MAX);
}

static atomic64_t coop_tsc_last = ATOMIC64_INIT(0);

static u64 coop_tsc_read(struct clocksource *cs)
{
	u64 now = rdtsc_ordered();
	s64 last = atomic64_read(&coop_tsc_last);

	do {
		if (now <= (u64)last)
			return last;
	} while (!atomic64_try_cmpxchg(&coop_tsc_last, &last, now));
	return now;
}

static struct clocksource coop_tsc_clocksource = {
	.name = "colinux-tsc",
	.rating = 299,		/* below "tsc": used only when that one is not */
	.read = coop_tsc_read,
	.mask = CLOCKSOURCE_MASK(64),
	.flags = CLOCK_SOURCE_IS_CONTINUOUS,
	.vdso_clock_mode = VDSO_CLOCKMODE_NONE,
};

static void __init coop_time_init(void)
{
	if (coop_info.flags & CO_VM_TSC_UNSTABLE) {
		/*
		 * Before tsc_init(): "tsc" is then never registered, and
		 * sched_clock() keeps per-CPU time that it filters itself.
		 */
		mark_tsc_unstable("the host's TSC is unstable");
		clocksource_register_khz(&coop_tsc_clocksource,
					 coop_info.tsc_khz);
	}
	x86_platform_ipi_callback = coop_timer_tick;
	coop_setup_cpu_timer();
	global_clock_event = this_cpu_ptr(&coop_clockevent);
}

static unsigned long coop_tsc_khz(void)
{
	return coop_info.tsc_khz;
}

static void coop_get_wallclock(struct timespec64 *now)
{
	long ns = coop_hypercall(CO_HC_WALLCLOCK, 0, 0, 0, 0);

	*now = ns_to_timespec64(ns > 0 ? ns : 0);
}

static int coop_set_wallclock(const struct timespec64 *now)
{
	return -ENODEV;		/* the host owns the clock */
}

void __init coop_init_time(void)
{
	x86_init.timers.timer_init = coop_time_init;
	x86_init.timers.setup_percpu_clockev = x86_init_noop;
	x86_cpuinit.setup_percpu_clockev = x86_init_noop;
	x86_platform.calibrate_tsc = coop_tsc_khz;
	x86_platform.calibrate_cpu = coop_tsc_khz;
	x86_platform.get_wallclock = coop_get_wallclock;
	x86_platform.set_wallclock = coop_set_wallclock;
}
