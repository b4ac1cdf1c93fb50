// SPDX-License-Identifier: GPL-2.0
/*
 * Test module: from CPU 0, hammer target_cpu with synchronous
 * call-function IPIs and NMI IPIs, and count them.  A guest running on the
 * target must forward every one of them to the host: a lost IPI hangs the
 * sender, a lost NMI shows as "handled" falling short of "sent".  The
 * totals go to the kernel log when the module is unloaded.
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/smp.h>
#include <asm/apic.h>
#include <asm/nmi.h>

static int target_cpu = 1;
module_param(target_cpu, int, 0444);
MODULE_PARM_DESC(target_cpu, "CPU to send IPIs and NMIs to");

static atomic_t nmi_pending;
static atomic_long_t nmis_sent, nmis_handled, calls_done;
static struct task_struct *sender;

static int ipi_stress_nmi(unsigned int reason, struct pt_regs *regs)
{
	if (smp_processor_id() != target_cpu ||
	    atomic_dec_if_positive(&nmi_pending) < 0)
		return NMI_DONE;
	atomic_long_inc(&nmis_handled);
	return NMI_HANDLED;
}

static void ipi_stress_call(void *info)
{
	atomic_long_inc(&calls_done);
}

static int ipi_stress_thread(void *data)
{
	unsigned long n = 0;

	while (!kthread_should_stop()) {
		smp_call_function_single(target_cpu, ipi_stress_call, NULL, 1);
		if (++n % 4 == 0) {
			atomic_inc(&nmi_pending);
			atomic_long_inc(&nmis_sent);
			apic->send_IPI(target_cpu, NMI_VECTOR);
		}
		usleep_range(1000, 2000);
	}
	return 0;
}

static int __init ipi_stress_init(void)
{
	int err;

	if (target_cpu < 1 || target_cpu >= nr_cpu_ids || !cpu_online(target_cpu))
		return -EINVAL;
	err = register_nmi_handler(NMI_LOCAL, ipi_stress_nmi, 0, "ipi_stress");
	if (err)
		return err;
	sender = kthread_create_on_cpu(ipi_stress_thread, NULL, 0, "ipi_stress");
	if (IS_ERR(sender)) {
		unregister_nmi_handler(NMI_LOCAL, "ipi_stress");
		return PTR_ERR(sender);
	}
	wake_up_process(sender);
	return 0;
}

static void __exit ipi_stress_exit(void)
{
	kthread_stop(sender);
	msleep(100);	/* let the last NMI land */
	unregister_nmi_handler(NMI_LOCAL, "ipi_stress");
	pr_info("ipi_stress: %ld calls to cpu %d, %ld NMIs sent, %ld handled\n",
		atomic_long_read(&calls_done), target_cpu,
		atomic_long_read(&nmis_sent), atomic_long_read(&nmis_handled));
}

module_init(ipi_stress_init);
module_exit(ipi_stress_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Test: IPIs and NMIs to a CPU running a cooperative guest");
