// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative Linux: several CPUs.
 *
 * The host runs each guest CPU on a daemon thread of its own (cpus=N; the
 * boot information says how many).  There is no INIT/SIPI and no APIC: as
 * with Xen PV's VCPUOP_up, the host starts a secondary CPU on our request
 * (CO_HC_VCPU_UP) at coop_secondary_startup, and an IPI is a hypercall
 * (CO_HC_SEND_IPI) that raises one of Linux's own IPI vectors on the
 * target, whose gates idt_setup_apic_and_irq_gates() installed.  Each CPU
 * has its own timer (time.c).  Device interrupts all go to CPU 0.
 *
 * The host cannot stop a CPU it started, so CPUs never go offline: taking
 * one down is refused, and stopping the others (reboot, panic) parks them
 * asleep in the host until the guest ends.
 */
#include <linux/cpu.h>
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/sched/task_stack.h>
#include <linux/smp.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/irq_vectors.h>
#include <asm/mpspec.h>
#include <asm/pgtable.h>
#include <asm/smp.h>
#include <asm/spec-ctrl.h>
#include <asm/tlbflush.h>

#include "coop.h"

/* How long cpu_up waits for a started CPU to say it is online. */
#define COOP_CPU_UP_TIMEOUT_MS	10000

/* The page table a secondary CPU switches to first (smp-entry.S). */
unsigned long coop_secondary_cr3;

/*
 * A secondary CPU in C, on its idle task's stack with its per-CPU area
 * (smp-entry.S): what native start_secondary() does, minus the APIC, the
 * TSC sync and the calibration.  Everything CPU-local that would touch
 * the host (IDT, TSS stacks, MSRs) goes through pv.c's hooks, to this
 * CPU's own passage.
 */
asmlinkage __visible void __noreturn coop_start_secondary(void)
{
	int cpu;

	cr4_init();
	cpu_init_secondary();
	x86_cpuinit.early_percpu_clock_init();
	cpu = smp_processor_id();
	smp_store_cpu_info(cpu);
	cpu_data(cpu).x86_max_cores = 1;
	set_cpu_sibling_map(cpu);
	speculative_store_bypass_ht_init();
	coop_register_steal_time();
	coop_setup_cpu_timer();
	notify_cpu_starting(cpu);
	set_cpu_online(cpu, true);
	cpu_set_state_online(cpu);	/* implies a full memory barrier */
	local_irq_enable();
	cpu_startup_entry(CPUHP_AP_ONLINE_IDLE);
}

/* The boot CPU, before the others: steal time and the pv spinlock. */
static void __init coop_smp_prepare_boot_cpu(void)
{
	native_smp_prepare_boot_cpu();
	coop_init_steal();
}

static void __init coop_smp_prepare_cpus(unsigned int max_cpus)
{
	unsigned int cpu;

	smp_prepare_cpus_common();
	cpu_data(0).x86_max_cores = 1;
	speculative_store_bypass_ht_init();
	for_each_possible_cpu(cpu)
		if (cpu < max_cpus)
			set_cpu_present(cpu, true);
}

static int coop_cpu_up(unsigned int cpu, struct task_struct *idle)
{
	unsigned long timeout;
	long err;
	int rc;

	rc = common_cpu_up(cpu, idle);
	if (!rc)
		rc = cpu_check_up_prepare(cpu);
	if (rc)
		return rc;
	/*
	 * The APIC id Linux derives for every CPU without an APIC (apic_noop:
	 * 0), so that identify_secondary_cpu() finds what "firmware" said.
	 */
	early_per_cpu(x86_bios_cpu_apicid, cpu) = 0;
	/* cpu_init() on the new CPU waits for this (wait_for_master_cpu()). */
	cpumask_set_cpu(cpu, cpu_callout_mask);
	coop_secondary_cr3 = __pa(swapper_pg_dir);
	err = coop_hypercall(CO_HC_VCPU_UP, cpu,
			     (unsigned long)coop_secondary_startup,
			     (unsigned long)task_pt_regs(idle), cpu);
	if (err) {
		pr_err("colinux: the host refused to start CPU %u: %ld\n", cpu, err);
		cpumask_clear_cpu(cpu, cpu_callout_mask);
		return -EIO;
	}
	/* Sleeping lets the host run the new CPU's thread on this CPU too. */
	timeout = jiffies + msecs_to_jiffies(COOP_CPU_UP_TIMEOUT_MS);
	while (cpu_report_state(cpu) != CPU_ONLINE) {
		if (time_after(jiffies, timeout)) {
			pr_err("colinux: CPU %u did not come up in %u ms\n",
			       cpu, COOP_CPU_UP_TIMEOUT_MS);
			return -EIO;
		}
		usleep_range(1000, 2000);
	}
	return 0;
}

static void coop_send_ipi(int cpu, int vector)
{
	long err = coop_hypercall(CO_HC_SEND_IPI, cpu, vector, 0, 0);

	WARN_ONCE(err, "colinux: the host refused IPI %#x to CPU %d: %ld\n",
		  vector, cpu, err);
}

static void coop_smp_send_reschedule(int cpu)
{
	coop_send_ipi(cpu, RESCHEDULE_VECTOR);
}

static void coop_send_call_func_single_ipi(int cpu)
{
	coop_send_ipi(cpu, CALL_FUNCTION_SINGLE_VECTOR);
}

static void coop_send_call_func_ipi(const struct cpumask *mask)
{
	int cpu;

	for_each_cpu(cpu, mask)
		coop_send_ipi(cpu, CALL_FUNCTION_VECTOR);
}

/* Never returns: sleeps in the host until the guest ends. */
static void coop_park_this_cpu(void *unused)
{
	set_cpu_online(smp_processor_id(), false);
	for (;;) {
		local_irq_disable();
		coop_hypercall(CO_HC_IDLE, 0, 0, 0, 0);
	}
}

/* Reboot, power off, panic: the others stop where they are. */
static void coop_stop_other_cpus(int wait)
{
	unsigned int waited;

	if (num_online_cpus() <= 1)
		return;
	smp_call_function(coop_park_this_cpu, NULL, 0);
	for (waited = 0; wait && num_online_cpus() > 1 && waited < 1000; waited++)
		udelay(1000);
}

/* A started CPU cannot be stopped by the host: it stays online. */
static int coop_cpu_disable(void)
{
	return -EBUSY;
}

static void coop_cpu_die(unsigned int cpu)
{
	WARN_ONCE(1, "colinux: CPU %u cannot go offline\n", cpu);
}

static void coop_play_dead(void)
{
	coop_park_this_cpu(NULL);
}

void __init coop_init_smp(void)
{
	smp_ops.smp_prepare_boot_cpu = coop_smp_prepare_boot_cpu;
	smp_ops.smp_prepare_cpus = coop_smp_prepare_cpus;
	smp_ops.cpu_up = coop_cpu_up;
	smp_ops.smp_send_reschedule = coop_smp_send_reschedule;
	smp_ops.send_call_func_ipi = coop_send_call_func_ipi;
	smp_ops.send_call_func_single_ipi = coop_send_call_func_single_ipi;
	smp_ops.stop_other_cpus = coop_stop_other_cpus;
	smp_ops.cpu_disable = coop_cpu_disable;
	smp_ops.cpu_die = coop_cpu_die;
	smp_ops.play_dead = coop_play_dead;
}

/*
 * Possible CPUs: prefill_possible_map() counts the boot CPU as the one
 * processor found and adds the "disabled" ones, hot-pluggable later.
 */
void __init coop_get_smp_config(unsigned int early)
{
	if (!early && coop_info.nr_vcpus > 1)
		disabled_cpus = min_t(unsigned int, coop_info.nr_vcpus,
				      CO_MAX_VCPUS) - 1;
}
