// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative Linux: time.
 *
 * The guest reads the CPU's TSC directly (it is the host's, whose frequency
 * the host reports), so the TSC is the clocksource with no calibration
 * against PIT or HPET.  The clockevent is a one-shot TSC deadline that the
 * host arms on a host timer (CO_HC_SET_TIMER) and delivers as irq 0.  The
 * wall clock comes from the host.
 */
#include <linux/clockchips.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <asm/irq_vectors.h>
#include <asm/time.h>
#include <asm/tsc.h>
#include <asm/x86_init.h>

#include "coop.h"

static int coop_timer_next(unsigned long delta, struct clock_event_device *evt)
{
	return coop_hypercall(CO_HC_SET_TIMER, rdtsc() + delta,
			      ISA_IRQ_VECTOR(COOP_TIMER_IRQ), 0, 0) ? -EINVAL : 0;
}

static int coop_timer_shutdown(struct clock_event_device *evt)
{
	coop_hypercall(CO_HC_SET_TIMER, 0, 0, 0, 0);
	return 0;
}

static struct clock_event_device coop_clockevent = {
	.name = "colinux",
	.features = CLOCK_EVT_FEAT_ONESHOT,
	.rating = 400,
	.irq = COOP_TIMER_IRQ,
	.set_next_event = coop_timer_next,
	.set_state_shutdown = coop_timer_shutdown,
	.set_state_oneshot_stopped = coop_timer_shutdown,
};

static irqreturn_t coop_timer_interrupt(int irq, void *dev_id)
{
	coop_clockevent.event_handler(&coop_clockevent);
	return IRQ_HANDLED;
}

static void __init coop_time_init(void)
{
	if (request_irq(COOP_TIMER_IRQ, coop_timer_interrupt,
			IRQF_TIMER | IRQF_NOBALANCING, "timer", NULL))
		panic("colinux: cannot get the timer interrupt");
	coop_clockevent.cpumask = cpumask_of(0);
	clockevents_config_and_register(&coop_clockevent,
					coop_info.tsc_khz * 1000, 16, LONG_MAX);
	global_clock_event = &coop_clockevent;
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
