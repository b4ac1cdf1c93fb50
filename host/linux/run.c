// SPDX-License-Identifier: GPL-2.0
/*
 * CO_IOC_RUN: the guest runs on the calling thread, one round trip through
 * the passage at a time, until something needs the daemon.
 *
 * Between round trips the thread is an ordinary host thread: it honours
 * signals and reschedules, so nice, cgroups and taskset apply and Ctrl-C
 * stops the guest.  Each round trip runs with preemption off (inside a
 * kernel-FPU section, which also keeps host interrupt handlers away from
 * the FPU registers holding the guest's state) and interrupts off; host
 * interrupts and NMIs that hit the guest are replayed before interrupts
 * come back on.
 */
#include <linux/irq_work.h>
#include <linux/math64.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/msr.h>
#include <asm/tsc.h>

#include "colinux.h"

static void fpu_load(void *area, u64 mask)
{
	asm volatile("xrstor64 %0"
		     : : "m"(*(u8 *)area), "a"((u32)mask), "d"((u32)(mask >> 32))
		     : "memory");
}

static void fpu_save(void *area, u64 mask)
{
	asm volatile("xsave64 %0"
		     : "+m"(*(u8 *)area) : "a"((u32)mask), "d"((u32)(mask >> 32))
		     : "memory");
}

/* A kick's only job is the interrupt that makes the guest exit. */
void co_kick(struct irq_work *work)
{
}

void co_kick_remote(void *info)
{
}

/* An event for the vCPU: wake it if idle, make it exit if running. */
void co_wake(struct co_host_vm *hv)
{
	int cpu;

	wake_up_interruptible(&hv->wq);
	if (!READ_ONCE(hv->in_guest))
		return;
	cpu = READ_ONCE(hv->cpu);
	if (cpu != raw_smp_processor_id())
		smp_call_function_single_async(cpu, &hv->kick_remote);
}

enum hrtimer_restart co_timer_expired(struct hrtimer *timer)
{
	struct co_host_vm *hv = container_of(timer, struct co_host_vm, timer);

	co_vm_timer_expired(hv->vm);
	co_wake(hv);
	return HRTIMER_NORESTART;
}

void co_os_timer_set(void *os_vm, __u64 tsc_deadline)
{
	struct co_host_vm *hv = os_vm;
	u64 now, ns;

	hrtimer_cancel(&hv->timer);
	if (!tsc_deadline)
		return;
	now = rdtsc();
	if (tsc_deadline <= now) {
		co_vm_timer_expired(hv->vm);
		return;
	}
	ns = mul_u64_u32_div(tsc_deadline - now, USEC_PER_SEC, tsc_khz);
	hrtimer_start(&hv->timer, ns_to_ktime(min_t(u64, ns, KTIME_MAX / 2)),
		      HRTIMER_MODE_REL);
}

__u64 co_os_wallclock_ns(void)
{
	return ktime_get_real_ns();
}

/* One round trip; returns a CO_ACT_* or a negative error. */
static int round_trip(struct co_host_vm *hv)
{
	struct co_vm *vm = hv->vm;
	struct co_replay replay;
	struct co_entry entry;
	int err;

	kernel_fpu_begin();
	fpu_load(hv->fpu, co_vcpu_xcr0(vm));
	local_irq_disable();
	WRITE_ONCE(hv->cpu, smp_processor_id());
	/* Seen by co_wake() before we look for pending events. */
	smp_store_mb(hv->in_guest, 1);
	err = co_vcpu_prepare(vm, (u64)get_current_gdt_rw(), &entry);
	if (!err) {
		if (entry.kick)
			irq_work_queue(&hv->kick);
		co_switch_enter(entry.transition_cr3, entry.enter_va);
	}
	WRITE_ONCE(hv->in_guest, 0);
	if (!err) {
		co_vcpu_exited(vm, &replay);
		co_replay_host_events(&replay);
		/* The guest may have changed DR0-3; the passage restored DR7. */
		if (hw_breakpoint_active())
			hw_breakpoint_restore();
	}
	local_irq_enable();
	if (!err)
		fpu_save(hv->fpu, co_vcpu_xcr0(vm));
	kernel_fpu_end();
	if (err)
		return co_vcpu_report(vm, hv->run) == CO_ACT_TO_USER ?
		       CO_ACT_TO_USER : err;
	return co_vcpu_handle(vm, hv->run);
}

long co_run(struct co_host_vm *hv)
{
	struct co_vm *vm = hv->vm;
	int act;

	co_vcpu_resume(vm, hv->run);
	for (;;) {
		if (signal_pending(current) || READ_ONCE(hv->run->immediate_exit))
			goto interrupted;
		cond_resched();
		act = round_trip(hv);
		if (act < 0)
			return act;
		if (act == CO_ACT_TO_USER)
			return 0;
		if (act == CO_ACT_IDLE &&
		    wait_event_interruptible(hv->wq, co_vm_event_pending(vm)))
			goto interrupted;
	}

interrupted:
	co_vcpu_interrupted(vm, hv->run);
	return -EINTR;
}
