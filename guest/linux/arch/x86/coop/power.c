// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative Linux: power off, reboot, halt and panic are calls to the
 * host.  The PC ways (keyboard controller, port 0xcf9, triple fault) would
 * reset the host, so none of them is left.
 *
 * The other way round, the daemon's power button (CO_DEV_POWER, pressed by
 * 'colinux stop'): its interrupt says a request is waiting, and the guest
 * answers as to an ACPI power button, with an orderly shutdown that runs
 * /sbin/poweroff, so that init stops its services and unmounts its
 * filesystems.  orderly_poweroff() may be called from an interrupt.
 */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/pm.h>
#include <linux/reboot.h>
#include <asm/irq_vectors.h>
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

/* The power button's index in the device table. */
static int coop_power_dev = -1;

/* Fetch the waiting request, if any, and answer it. */
static irqreturn_t coop_power_button(int irq, void *unused)
{
	long press = coop_hypercall(CO_HC_DAEMON_CALL, coop_power_dev,
				    CO_POWER_REQUEST, 0, 0);

	switch (press) {
	case CO_POWER_PRESS_OFF:
		pr_info("colinux: power button: shutting down\n");
		orderly_poweroff(true);
		return IRQ_HANDLED;
	case CO_POWER_PRESS_REBOOT:
		pr_info("colinux: power button: rebooting\n");
		orderly_reboot();
		return IRQ_HANDLED;
	default:
		return IRQ_NONE;	/* another device on a shared vector */
	}
}

static int __init coop_power_button_init(void)
{
	unsigned int i, vector;
	int err;

	for (i = 0; i < coop_info.nr_devices && i < CO_MAX_DEVICES; i++)
		if (coop_info.devices[i].type == CO_DEV_POWER)
			break;
	if (i == coop_info.nr_devices || i == CO_MAX_DEVICES)
		return 0;
	vector = coop_info.devices[i].vector;
	if (vector < CO_DEVICE_VECTOR_FIRST || vector > CO_DEVICE_VECTOR_LAST ||
	    vector == CO_DEVICE_VECTOR_CASCADE) {
		pr_err("colinux: power button: bad vector %#x\n", vector);
		return -EINVAL;
	}
	coop_power_dev = i;
	err = request_irq(vector - ISA_IRQ_VECTOR(0), coop_power_button,
			  IRQF_SHARED, "colinux-power", &coop_power_dev);
	if (err)
		return err;
	/* A press before the handler was there has raised nothing we saw. */
	coop_power_button(0, NULL);
	return 0;
}
device_initcall(coop_power_button_init);
