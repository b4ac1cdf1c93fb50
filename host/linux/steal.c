// SPDX-License-Identifier: GPL-2.0
/*
 * What the guest learns about its vCPUs losing their host CPUs: the run
 * delay behind its steal time, and "preempted" (docs/abi.md, "Steal time
 * and preempted vCPUs"), as KVM gives them to its guests.
 *
 * The run delay is the host scheduler's count of how long the vCPU's
 * thread sat runnable on a runqueue (sched_info, which KVM uses too).
 * "Preempted" is set by a preempt notifier when the thread is switched
 * out while still runnable (not when it sleeps in CO_HC_IDLE: a halted
 * vCPU is idle, not preempted), and when it leaves RUN; the core clears
 * it on the next entry.
 */
#include <linux/preempt.h>
#include <linux/sched.h>

#include <colinux/abi.h>

#include "../core/core.h"
#include "colinux.h"

__u64 co_os_vcpu_run_delay(void *os_vcpu)
{
#ifdef CONFIG_SCHED_INFO
	struct co_host_vcpu *vc = os_vcpu;
	u64 now = READ_ONCE(current->sched_info.run_delay);
	u64 delta = now - vc->delay_seen;

	/* Another thread runs the vCPU now: its count starts here. */
	if (vc->delay_task != current || now < vc->delay_seen)
		delta = 0;
	vc->delay_task = current;
	vc->delay_seen = now;
	return delta;
#else
	return 0;
#endif
}

#ifdef CONFIG_PREEMPT_NOTIFIERS
static void co_sched_in(struct preempt_notifier *pn, int cpu)
{
}

/* With the runqueue locked: only flag it. */
static void co_sched_out(struct preempt_notifier *pn, struct task_struct *next)
{
	struct co_host_vcpu *vc = container_of(pn, struct co_host_vcpu, preempt);

	if (READ_ONCE(current->on_rq))
		co_vcpu_mark_preempted(vc->vcpu);
}

static struct preempt_ops co_preempt_ops = {
	.sched_in = co_sched_in,
	.sched_out = co_sched_out,
};

void co_steal_module_init(void)
{
	preempt_notifier_inc();
}

void co_steal_module_exit(void)
{
	preempt_notifier_dec();
}

void co_steal_vcpu_init(struct co_host_vcpu *vc)
{
	preempt_notifier_init(&vc->preempt, &co_preempt_ops);
}

/* RUN begins: until it ends, being switched out counts as preempted. */
void co_steal_run_begin(struct co_host_vcpu *vc)
{
	preempt_disable();
	preempt_notifier_register(&vc->preempt);
	preempt_enable();
}

void co_steal_run_end(struct co_host_vcpu *vc)
{
	preempt_disable();
	preempt_notifier_unregister(&vc->preempt);
	preempt_enable();
	co_vcpu_mark_preempted(vc->vcpu);
}
#else
void co_steal_module_init(void)
{
}

void co_steal_module_exit(void)
{
}

void co_steal_vcpu_init(struct co_host_vcpu *vc)
{
}

void co_steal_run_begin(struct co_host_vcpu *vc)
{
}

void co_steal_run_end(struct co_host_vcpu *vc)
{
	co_vcpu_mark_preempted(vc->vcpu);
}
#endif
