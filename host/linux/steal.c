// SPDX-License-Identifier: GPL-2.0
/*
 * What the guest learns about its vCPUs losing their host CPUs: the run
 * delay behind its steal time, and "preempted" (docs/abi.md, "Steal time
 * and preempted vCPUs"), as KVM gives them to its guests.
 *
 * The run delay is the host scheduler's count of how long the vCPU's
 * thread sat runnable on a runqueue (sched_info, which KVM uses too).
 * "Preempted" is set when the run loop yields its CPU to another task
 * while the vCPU is runnable (not when it sleeps in CO_HC_IDLE: a halted
 * vCPU is idle, not preempted), and when the thread leaves RUN; the core
 * clears it on the next entry.
 *
 * Not with a preempt notifier, as KVM does: registering one needs the
 * preempt_notifier_key static key, whose every switch patches the code of
 * finish_task_switch() that all CPUs run at every context switch.  A
 * module that switched it at each load and unload hung the QEMU test host
 * now and then (CPUs trapping on a breakpoint byte already gone from
 * memory), and the notifier saw no more than this: under the voluntary
 * preemption Debian's kernels run, a thread in the run loop loses its CPU
 * at cond_resched() or when it sleeps.  With preempt=full a preemption at
 * an interrupt's end goes unmarked: the guest then waits on a lock holder
 * a little longer, nothing worse.
 */
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

/*
 * Before the run loop gives its CPU to another task: the vCPU is runnable
 * and about to wait on a runqueue, which is what "preempted" means.
 */
void co_steal_yield(struct co_host_vcpu *vc)
{
	if (need_resched())
		co_vcpu_mark_preempted(vc->vcpu);
	cond_resched();
}

/* The thread leaves RUN: the vCPU runs no guest code until it is back. */
void co_steal_run_end(struct co_host_vcpu *vc)
{
	co_vcpu_mark_preempted(vc->vcpu);
}
