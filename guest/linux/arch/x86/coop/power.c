// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative Linux: power off, reboot, halt and panic are calls to the
 * host.  The PC ways (keyboard controller, port 0xcf9, triple fault) would
 * reset the host, so none of them is left.
 */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/pm.h>
#include <asm/reboot.h>

#include "coop.h"

static void __noreturn coop_stop(u64 status)
{
	for (;;)
		coop_hypercall(CO_HC_POWEROFF, status, 0, 0, 0);
}

static void coop_power_off(void)
{
	coop_stop(0);
}

static void coop_restart(char *cmd)
{
	coop_stop(CO_POWEROFF_REBOOT);
}

static void coop_emergency_restart(void)
{
	coop_stop(CO_POWEROFF_REBOOT);
}

static void coop_halt(void)
{
	coop_stop(CO_POWEROFF_HALT);
}

static void coop_shutdown(void)
{
}

static void coop_crash_shutdown(struct pt_regs *regs)
{
}

/* Last of the panic notifiers: flush the console, then tell the host. */
static int coop_panic(struct notifier_block *nb, unsigned long event, void *msg)
{
	const char *text = msg ? msg : "panic";

	console_flush_on_panic(CONSOLE_FLUSH_PENDING);
	coop_hypercall(CO_HC_CRASH, 1, coop_virt_to_phys(text),
		       strnlen(text, CO_CRASH_MSG_MAX), 0);
	return NOTIFY_DONE;
}

static struct notifier_block coop_panic_block = {
	.notifier_call = coop_panic,
	.priority = INT_MIN,
};

void __init coop_init_power(void)
{
	machine_ops.power_off = coop_power_off;
	machine_ops.restart = coop_restart;
	machine_ops.emergency_restart = coop_emergency_restart;
	machine_ops.halt = coop_halt;
	machine_ops.shutdown = coop_shutdown;
	machine_ops.crash_shutdown = coop_crash_shutdown;
	pm_power_off = coop_power_off;
	atomic_notifier_chain_register(&panic_notifier_list, &coop_panic_block);
}
