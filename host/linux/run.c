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
#include <linux/moduleparam.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/msr.h>
#include <asm/pkru.h>
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

/*
 * PKRU is switched by hand, as KVM does, and only with interrupts off: the
 * host kernel checks it on every access to user memory, so the guest's
 * value must never be live while host code runs.
 */
static u32 pkru_enter(struct co_host_vcpu *vc)
{
	u32 host;

	if (!cpu_feature_enabled(X86_FEATURE_OSPKE))
		return 0;
	host = rdpkru();
	if (host != vc->guest_pkru)
		wrpkru(vc->guest_pkru);
	return host;
}

static void pkru_exit(struct co_host_vcpu *vc, u32 host)
{
	if (!cpu_feature_enabled(X86_FEATURE_OSPKE))
		return;
	vc->guest_pkru = rdpkru();
	if (vc->guest_pkru != host)
		wrpkru(host);
}

/*
 * DR0-3 are the guest's while it runs (the passage switches DR6 and DR7);
 * the host's own breakpoints are put back after the exit.
 */
static void debug_regs_enter(struct co_host_vcpu *vc)
{
	/* No host breakpoint may watch the guest's addresses meanwhile. */
	if (hw_breakpoint_active())
		set_debugreg(0UL, 7);
	set_debugreg(vc->guest_dr[0], 0);
	set_debugreg(vc->guest_dr[1], 1);
	set_debugreg(vc->guest_dr[2], 2);
	set_debugreg(vc->guest_dr[3], 3);
}

static void debug_regs_exit(struct co_host_vcpu *vc)
{
	get_debugreg(vc->guest_dr[0], 0);
	get_debugreg(vc->guest_dr[1], 1);
	get_debugreg(vc->guest_dr[2], 2);
	get_debugreg(vc->guest_dr[3], 3);
	co_vcpu_check_breakpoints(vc->vcpu, vc->guest_dr);
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
}

/* make bench's timing variants of the parts this file switches (bench.c). */
static void bench_fpu(struct co_host_vcpu *vc)
{
	unsigned int part, repeat, i;

	co_os_bench_variant(&part, &repeat);
	for (i = 0; part == CO_BENCH_FPU && i < repeat; i++) {
		fpu_save(vc->fpu, co_fpu_mask);
		fpu_load(vc->fpu, co_fpu_mask);
	}
}

static void bench_debug_regs(struct co_host_vcpu *vc)
{
	unsigned int part, repeat, i;

	co_os_bench_variant(&part, &repeat);
	for (i = 0; part == CO_BENCH_DR && i < repeat; i++)
		debug_regs_enter(vc);
}

/* A kick's only job is the interrupt that makes the guest exit. */
void co_kick(struct irq_work *work)
{
}

/* Runs on the target CPU; the CSD is free again before this is called. */
void co_kick_remote(void *info)
{
	struct co_host_vcpu *vc = info;

	clear_bit_unlock(CO_KICK_IN_FLIGHT, &vc->kick_flags);
}

/*
 * An event for the vCPU: wake it if idle, make it exit if running.  Any
 * thread may call this (timer, console, doorbells) at the same time, and
 * one call-single-data may carry one kick at a time: whoever finds a kick
 * in flight leaves it at that.  (If the vCPU moved CPUs meanwhile, the
 * event waits at most for that CPU's next host interrupt.)
 */
void co_wake(struct co_host_vcpu *vc)
{
	int cpu;

	wake_up_interruptible(&vc->wq);
	if (!READ_ONCE(vc->in_guest))
		return;
	cpu = READ_ONCE(vc->cpu);
	if (cpu == raw_smp_processor_id() ||
	    test_and_set_bit_lock(CO_KICK_IN_FLIGHT, &vc->kick_flags))
		return;
	if (smp_call_function_single_async(cpu, &vc->kick_remote))
		clear_bit_unlock(CO_KICK_IN_FLIGHT, &vc->kick_flags);
}

enum hrtimer_restart co_timer_expired(struct hrtimer *timer)
{
	struct co_host_vcpu *vc = container_of(timer, struct co_host_vcpu, timer);

	co_vcpu_timer_expired(vc->vcpu);
	co_wake(vc);
	return HRTIMER_NORESTART;
}

void co_os_timer_set(void *os_vcpu, __u64 tsc_deadline)
{
	struct co_host_vcpu *vc = os_vcpu;
	u64 now, ns;

	hrtimer_cancel(&vc->timer);
	if (!tsc_deadline)
		return;
	now = rdtsc();
	if (tsc_deadline <= now) {
		co_vcpu_timer_expired(vc->vcpu);
		return;
	}
	ns = mul_u64_u32_div(tsc_deadline - now, USEC_PER_SEC, tsc_khz);
	hrtimer_start(&vc->timer, ns_to_ktime(min_t(u64, ns, KTIME_MAX / 2)),
		      HRTIMER_MODE_REL);
}

__u64 co_os_wallclock_ns(void)
{
	return ktime_get_real_ns();
}

/*
 * The passage faulted while restoring the host and skipped what it could
 * not do: put the descriptor tables, TR, control registers and switched
 * MSRs back from what it saved on entry, before anything can take an
 * interrupt.  Never expected: it WARNs.
 */
static void repair_host(struct co_host_vcpu *vc)
{
	struct co_host_saved saved;
	struct desc_ptr idt;
	int cpu = smp_processor_id();
	unsigned int i;

	if (!co_vcpu_host_saved(vc->vcpu, &saved))
		return;
	native_write_cr0(saved.cr0);
	__write_cr4(saved.cr4);
	load_direct_gdt(cpu);
	force_reload_TR();
	load_fixmap_gdt(cpu);
	idt.address = saved.idt_base;
	idt.size = saved.idt_limit;
	native_load_idt(&idt);
	for (i = 0; i < saved.nr_msrs; i++)
		wrmsrl_safe(saved.msr[i], saved.value[i]);
	WARN(1, "colinux: the passage took %llu faults restoring the host; restored from its saved state\n",
	     saved.faults);
}

/* Flags the passage must have cleared before it returned to the stub. */
#define PASSAGE_DIRTY_FLAGS (X86_EFLAGS_DF | X86_EFLAGS_AC | X86_EFLAGS_NT | \
			     X86_EFLAGS_TF | X86_EFLAGS_IF)

/* One round trip; returns a CO_ACT_* or a negative error. */
static int round_trip(struct co_host_vcpu *vc)
{
	struct co_vcpu *vcpu = vc->vcpu;
	unsigned long flags = 0;
	struct co_replay replay;
	struct co_entry entry;
	u64 entered = 0, exited = 0;
	u32 host_pkru;
	int err;

	kernel_fpu_begin();
	/*
	 * The host's whole mask, not the guest's XCR0: a component the guest
	 * has not enabled yet must not keep the last host task's registers.
	 */
	fpu_load(vc->fpu, co_fpu_mask);
	bench_fpu(vc);
	local_irq_disable();
	WRITE_ONCE(vc->cpu, smp_processor_id());
	WRITE_ONCE(vc->entered_ns, ktime_get_mono_fast_ns());
	/* Seen by co_wake() before we look for pending events. */
	smp_store_mb(vc->in_guest, 1);
	err = co_vcpu_prepare(vcpu, (u64)get_current_gdt_rw(), &entry);
	if (!err) {
		if (entry.kick)
			irq_work_queue(&vc->kick);
		debug_regs_enter(vc);
		bench_debug_regs(vc);
		host_pkru = pkru_enter(vc);
		entered = ktime_get_mono_fast_ns();
		WRITE_ONCE(vc->entered_ns, entered);
		flags = co_switch_enter(entry.transition_cr3, entry.enter_va);
		exited = ktime_get_mono_fast_ns();
		pkru_exit(vc, host_pkru);
	}
	WRITE_ONCE(vc->in_guest, 0);
	if (!err) {
		co_vcpu_exited(vcpu, &replay);
		repair_host(vc);
		co_replay_host_events(&replay);
		debug_regs_exit(vc);
	}
	local_irq_enable();
	if (!err)
		fpu_save(vc->fpu, co_fpu_mask);
	kernel_fpu_end();
	if (err) {
		int act = co_vcpu_report(vcpu, vc->run);

		return act == CO_ACT_CONTINUE ? err : act;
	}
	WARN_ONCE(flags & PASSAGE_DIRTY_FLAGS,
		  "colinux: the passage returned with RFLAGS %#lx\n", flags);
	co_watchdog_exited(vc, exited - entered);
	return co_vcpu_handle(vcpu, vc->run);
}

/* The guest is over: every vCPU's thread should see it and leave RUN. */
static void wake_all(struct co_host_vm *hv)
{
	unsigned int i;

	for (i = 0; i < hv->nr_vcpus; i++)
		co_wake(hv->vcpu[i]);
}

/*
 * Halt polling, as KVM does it: a vCPU whose guest went idle spins for a
 * while before its thread sleeps, because an event that comes within
 * microseconds (a disk's completion, an IPI) then costs no sleep, no
 * wakeup and no trip through the scheduler.  Each vCPU's window adapts:
 * it doubles, from 10 us up to halt_poll_ns, while events come soon after
 * it ran out, and is divided by halt_poll_ns_shrink (0: reset) after a
 * sleep longer than halt_poll_ns, so a guest that is really idle (woken
 * by its timer now and then) soon stops spinning.  The spin gives way to
 * anything else that wants this CPU.
 */
static unsigned int halt_poll_ns = 200000;
module_param(halt_poll_ns, uint, 0644);
MODULE_PARM_DESC(halt_poll_ns, "longest spin of an idle vCPU before it sleeps (ns; 0: never spin)");
static unsigned int halt_poll_ns_shrink = 2;
module_param(halt_poll_ns_shrink, uint, 0644);
MODULE_PARM_DESC(halt_poll_ns_shrink, "divisor of the spin after a long sleep (0: back to no spin)");

#define HALT_POLL_START_NS	10000

static bool halt_poll(struct co_host_vcpu *vc, u64 start)
{
	u64 end = start + vc->poll_ns;

	while (local_clock() < end) {
		if (co_vcpu_event_pending(vc->vcpu))
			return true;
		if (need_resched() || signal_pending(current))
			break;
		cpu_relax();
	}
	return false;
}

/* The guest is idle: wait for its next event.  0, or -EINTR. */
static int idle_wait(struct co_host_vcpu *vc)
{
	unsigned int max = READ_ONCE(halt_poll_ns);
	u64 start = local_clock(), slept;

	if (vc->poll_ns > max)
		vc->poll_ns = max;
	if (vc->poll_ns && halt_poll(vc, start)) {
		co_vcpu_woken(vc->vcpu, true);
		return 0;
	}
	if (wait_event_interruptible(vc->wq, co_vcpu_event_pending(vc->vcpu)))
		return -EINTR;
	co_vcpu_woken(vc->vcpu, false);
	slept = local_clock() - start;
	if (slept > max) {
		unsigned int shrink = READ_ONCE(halt_poll_ns_shrink);

		vc->poll_ns = shrink ? vc->poll_ns / shrink : 0;
		if (vc->poll_ns < HALT_POLL_START_NS)
			vc->poll_ns = 0;
	} else if (vc->poll_ns < max) {
		vc->poll_ns = min_t(u64, max, vc->poll_ns ?
				    2ULL * vc->poll_ns : HALT_POLL_START_NS);
	}
	return 0;
}

/*
 * A vCPU the guest has not started yet waits here, in RUN, until
 * CO_HC_VCPU_UP (or the guest's end) wakes it.
 */
static long run_loop(struct co_host_vcpu *vc)
{
	struct co_vcpu *vcpu = vc->vcpu;
	int act;

	co_vcpu_resume(vcpu, vc->run);
	for (;;) {
		if (signal_pending(current) || READ_ONCE(vc->run->immediate_exit))
			goto interrupted;
		if (!co_vcpu_may_enter(vcpu)) {
			if (wait_event_interruptible(vc->wq,
						     co_vcpu_may_enter(vcpu)))
				goto interrupted;
			continue;
		}
		co_steal_yield(vc);
		act = round_trip(vc);
		if (co_vm_is_dead(vc->hv->vm))
			wake_all(vc->hv);
		if (act < 0)
			return act;
		if (act == CO_ACT_TO_USER)
			return 0;
		if (act == CO_ACT_ENDED)
			return -ESHUTDOWN;
		if (act == CO_ACT_IDLE && idle_wait(vc))
			goto interrupted;
	}

interrupted:
	co_vcpu_interrupted(vcpu, vc->run);
	return -EINTR;
}

long co_run(struct co_host_vcpu *vc)
{
	long ret;

	ret = run_loop(vc);
	co_steal_run_end(vc);
	return ret;
}

/* CO_HC_SEND_IPI and CO_HC_VCPU_UP: another vCPU has an event for this one. */
void co_os_vcpu_kick(void *os_vcpu)
{
	co_wake(os_vcpu);
}
