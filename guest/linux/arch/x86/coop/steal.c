// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative Linux: each CPU of ours is a host thread, which the host
 * may preempt at any moment (docs/abi.md, "Steal time and preempted
 * vCPUs").  As KVM's guests do:
 *
 *  - steal time: how long each CPU's thread waited for a host CPU, which
 *    the scheduler does not charge to the task that was running
 *    (/proc/stat's steal column);
 *  - vcpu_is_preempted(): a lock owner whose thread is not running is not
 *    worth spinning on (mutexes, the scheduler's idle-CPU choice, the
 *    paravirtual spinlock below);
 *  - TLB shootdowns skip preempted CPUs: the host empties a CPU's TLB on
 *    every entry, so there is nothing to flush until it runs again;
 *  - paravirtual spinlocks: a waiter sleeps in the host (CO_HC_HALT) and
 *    the unlocker wakes it (CO_HC_KICK), so a CPU waiting for a lock whose
 *    holder lost its host CPU stops burning one.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/static_call.h>
#include <asm/paravirt.h>
#include <asm/qspinlock.h>
#include <asm/smp.h>
#include <asm/tlb.h>
#include <asm/tlbflush.h>

#include "coop.h"

static DEFINE_PER_CPU(struct co_steal_time, coop_steal_time)
	__aligned(CO_STEAL_TIME_ALIGN);
static DEFINE_PER_CPU(struct cpumask, coop_flush_mask);
static bool coop_has_steal_time;

/* Each CPU, as it starts: the host keeps this CPU's record from now on. */
void coop_register_steal_time(void)
{
	struct co_steal_time *st = this_cpu_ptr(&coop_steal_time);
	long err;

	err = coop_hypercall(CO_HC_SET_STEAL_TIME, coop_virt_to_phys(st), 0, 0, 0);
	if (err)
		pr_warn("colinux: the host refused CPU %d's steal-time record: %ld\n",
			smp_processor_id(), err);
	else
		coop_has_steal_time = true;
}

/* A seqcount the host writes: retry while it is odd or moved. */
static u64 coop_steal_clock(int cpu)
{
	struct co_steal_time *st = &per_cpu(coop_steal_time, cpu);
	u32 version;
	u64 steal;

	do {
		version = READ_ONCE(st->version);
		virt_rmb();	/* the version before the value ... */
		steal = READ_ONCE(st->steal);
		virt_rmb();	/* ... and the value before the version again */
	} while ((version & 1) || version != READ_ONCE(st->version));
	return steal;
}

__visible bool __coop_vcpu_is_preempted(long cpu)
{
	return READ_ONCE(per_cpu(coop_steal_time, cpu).preempted) &
	       CO_STEAL_PREEMPTED;
}
PV_CALLEE_SAVE_REGS_THUNK(__coop_vcpu_is_preempted);

/*
 * A preempted CPU gets CO_STEAL_FLUSH_TLB instead of an IPI.  The host
 * clears the byte with an exchange before the entry that empties the
 * TLB, so if the compare-and-swap saw "preempted", that entry is still
 * to come.  This CPU is running, never preempted: it stays in the mask.
 */
static void coop_flush_tlb_multi(const struct cpumask *cpumask,
				 const struct flush_tlb_info *info)
{
	struct cpumask *mask = this_cpu_ptr(&coop_flush_mask);
	struct co_steal_time *st;
	u8 state;
	int cpu;

	cpumask_copy(mask, cpumask);
	for_each_cpu(cpu, mask) {
		st = &per_cpu(coop_steal_time, cpu);
		state = READ_ONCE(st->preempted);
		if ((state & CO_STEAL_PREEMPTED) &&
		    try_cmpxchg(&st->preempted, &state, state | CO_STEAL_FLUSH_TLB))
			__cpumask_clear_cpu(cpu, mask);
	}
	native_flush_tlb_multi(mask, info);
}

/*
 * The spinlock waiter's sleep, as kvm_wait(): only if the lock byte still
 * says to wait, checked with interrupts off so that the unlocker's kick
 * cannot fall between the check and the sleep (the host keeps a kick
 * that comes early).  With interrupts on before, CO_HC_IDLE sleeps and
 * returns with them on, as safe_halt() would.
 */
static void coop_wait(u8 *ptr, u8 val)
{
	if (in_nmi())
		return;
	if (irqs_disabled()) {
		if (READ_ONCE(*ptr) == val)
			coop_hypercall(CO_HC_HALT, 0, 0, 0, 0);
		return;
	}
	local_irq_disable();
	if (READ_ONCE(*ptr) == val)
		coop_hypercall(CO_HC_IDLE, 0, 0, 0, 0);
	else
		local_irq_enable();
}

static void coop_kick(int cpu)
{
	coop_hypercall(CO_HC_KICK, cpu, 0, 0, 0);
}

/* From smp_prepare_boot_cpu(): before the other CPUs and the pv patching. */
void __init coop_init_steal(void)
{
	coop_register_steal_time();
	if (coop_has_steal_time)
		static_call_update(pv_steal_clock, coop_steal_clock);
	if (coop_info.nr_vcpus > 1) {
		__pv_init_lock_hash();
		pv_ops.lock.queued_spin_lock_slowpath = __pv_queued_spin_lock_slowpath;
		pv_ops.lock.queued_spin_unlock =
			PV_CALLEE_SAVE(__pv_queued_spin_unlock);
		pv_ops.lock.wait = coop_wait;
		pv_ops.lock.kick = coop_kick;
		if (coop_has_steal_time) {
			pv_ops.lock.vcpu_is_preempted =
				PV_CALLEE_SAVE(__coop_vcpu_is_preempted);
			pv_ops.mmu.flush_tlb_multi = coop_flush_tlb_multi;
			/* A skipped CPU may be mid-walk: free tables after RCU. */
			pv_ops.mmu.tlb_remove_table = tlb_remove_table;
		}
		pr_info("colinux: paravirtual spinlocks%s\n",
			coop_has_steal_time ? ", steal time, TLB flushes that skip preempted CPUs" : "");
	}
	/* The test-and-set lock it would choose instead is for no pv lock. */
	static_branch_disable(&virt_spin_lock_key);
}

/* The scheduler's steal accounting, once static keys work. */
static int __init coop_steal_accounting(void)
{
	if (coop_has_steal_time) {
		static_key_slow_inc(&paravirt_steal_enabled);
		static_key_slow_inc(&paravirt_steal_rq_enabled);
	}
	return 0;
}
arch_initcall(coop_steal_accounting);
