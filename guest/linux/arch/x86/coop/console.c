// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative Linux: the console, cocon, the CO_DEV_CONSOLE device of the
 * daemon's device table.
 *
 * Output goes to the daemon with a CO_CONSOLE_WRITE call, which it prints.
 * A boot console is registered before start_kernel(), so every line from
 * the first printk on reaches the host; the hvc0 console and tty take over
 * once the tty layer is up.  Input: the daemon raises the device's
 * interrupt when keys are waiting, and hvc fetches them with
 * CO_CONSOLE_READ.  The same interrupt says the size of the user's terminal
 * changed (colinux console passes it): CO_CONSOLE_WINSIZE fetches it once
 * the input is drained, and hvc tells the tty (stty size, SIGWINCH).
 * hvc keeps the last size but a tty opened later (getty, long after the
 * daemon gave the size at boot) starts at 0x0, so each open applies it.
 */
#include <linux/console.h>
#include <linux/init.h>
#include <linux/spinlock.h>
#include <asm/irq_vectors.h>

#include "hvc_console.h"
#include "coop.h"

/* Bytes go through a buffer in the kernel image, whose address is simple. */
static char coop_console_buf[512];
static DEFINE_RAW_SPINLOCK(coop_console_lock);

/* The console's index in the device table; -1 while not found (no output). */
static int coop_console_dev = -1;

static long coop_console_call(unsigned long op, unsigned long gpa,
			      unsigned long len)
{
	if (coop_console_dev < 0)
		return -ENODEV;
	return coop_hypercall(CO_HC_DAEMON_CALL, coop_console_dev, op, gpa, len);
}

static void coop_console_out(const char *s, unsigned int n)
{
	unsigned long flags;
	unsigned int chunk;

	raw_spin_lock_irqsave(&coop_console_lock, flags);
	while (n) {
		chunk = min_t(unsigned int, n, sizeof(coop_console_buf));
		memcpy(coop_console_buf, s, chunk);
		coop_console_call(CO_CONSOLE_WRITE, __pa_symbol(coop_console_buf),
				  chunk);
		s += chunk;
		n -= chunk;
	}
	raw_spin_unlock_irqrestore(&coop_console_lock, flags);
}

static void coop_boot_console_write(struct console *con, const char *s,
				    unsigned int n)
{
	coop_console_out(s, n);
}

static struct console coop_boot_console = {
	.name = "coopboot",
	.write = coop_boot_console_write,
	.flags = CON_PRINTBUFFER | CON_BOOT | CON_ANYTIME,
	.index = -1,
};

static int coop_hvc_put_chars(u32 vtermno, const char *buf, int count)
{
	coop_console_out(buf, count);
	return count;
}

static char coop_console_inbuf[256];
static struct hvc_struct *coop_hvc;

/* Called by hvc's poll with coop_hvc->lock held, as __hvc_resize() wants. */
static void coop_hvc_check_winsize(void)
{
	long size = coop_console_call(CO_CONSOLE_WINSIZE, 0, 0);
	struct winsize ws = { };

	if (size <= 0 || !coop_hvc)
		return;
	ws.ws_row = (size >> 16) & 0xffff;
	ws.ws_col = size & 0xffff;
	__hvc_resize(coop_hvc, ws);
}

static int coop_hvc_get_chars(u32 vtermno, char *buf, int count)
{
	long n;

	n = coop_console_call(CO_CONSOLE_READ, __pa_symbol(coop_console_inbuf),
			      min_t(int, count, sizeof(coop_console_inbuf)));
	if (n <= 0) {
		coop_hvc_check_winsize();
		return 0;
	}
	memcpy(buf, coop_console_inbuf, n);
	return n;
}

/* hvc_open(): the tty is set on the port by now; hvc_set_winsz() sizes it. */
static int coop_hvc_notifier_add(struct hvc_struct *hp, int irq)
{
	unsigned long flags;
	int err = notifier_add_irq(hp, irq);

	if (err)
		return err;
	spin_lock_irqsave(&hp->lock, flags);
	if (hp->ws.ws_row || hp->ws.ws_col)
		__hvc_resize(hp, hp->ws);
	spin_unlock_irqrestore(&hp->lock, flags);
	return 0;
}

static const struct hv_ops coop_hvc_ops = {
	.get_chars = coop_hvc_get_chars,
	.put_chars = coop_hvc_put_chars,
	.notifier_add = coop_hvc_notifier_add,
	.notifier_del = notifier_del_irq,
	.notifier_hangup = notifier_hangup_irq,
};

static int __init coop_hvc_console_init(void)
{
	hvc_instantiate(0, 0, &coop_hvc_ops);
	return 0;
}
console_initcall(coop_hvc_console_init);

/* Its input interrupt: the device's vector as one of the guest's ISA irqs. */
static int __init coop_hvc_init(void)
{
	struct hvc_struct *hp;
	unsigned int vector;
	int irq = 0;

	if (coop_console_dev < 0)
		return -ENODEV;
	vector = coop_info.devices[coop_console_dev].vector;
	if (vector >= CO_DEVICE_VECTOR_FIRST && vector <= CO_DEVICE_VECTOR_LAST)
		irq = vector - ISA_IRQ_VECTOR(0);
	hp = hvc_alloc(0, irq, &coop_hvc_ops, 256);
	if (IS_ERR(hp))
		return PTR_ERR(hp);
	coop_hvc = hp;
	return 0;
}
device_initcall(coop_hvc_init);

void __init coop_init_console(void)
{
	unsigned int i;

	for (i = 0; i < coop_info.nr_devices && i < CO_MAX_DEVICES; i++) {
		if (coop_info.devices[i].type == CO_DEV_CONSOLE) {
			coop_console_dev = i;
			break;
		}
	}
	register_console(&coop_boot_console);
}
