// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative Linux: the virtual interrupt controller.
 *
 * The host delivers virtual interrupts through the guest's own IDT, on the
 * 16 "ISA" vectors (0x30 + irq) that Linux maps to irqs 0-15 when there is
 * no APIC.  Delivery is edge-like and acknowledged by delivery itself, so
 * this chip has nothing to mask, acknowledge or end: it replaces the 8259
 * so that nothing ever touches the host's real PIC ports.
 */
#include <linux/init.h>
#include <linux/irq.h>
#include <asm/i8259.h>
#include <asm/irq_vectors.h>

#include "coop.h"

static void coop_irq_nop(struct irq_data *data)
{
}

static struct irq_chip coop_irq_chip = {
	.name = "colinux",
	.irq_mask = coop_irq_nop,
	.irq_unmask = coop_irq_nop,
	.irq_ack = coop_irq_nop,
};

static void coop_pic_irq_nop(unsigned int irq)
{
}

static void coop_pic_nop(void)
{
}

static void coop_pic_init(int auto_eoi)
{
}

static int coop_pic_probe(void)
{
	return NR_IRQS_LEGACY;
}

static int coop_pic_irq_pending(unsigned int irq)
{
	return 0;
}

static void coop_pic_make_irq(unsigned int irq)
{
	irq_set_chip_and_handler(irq, &coop_irq_chip, handle_level_irq);
}

static struct legacy_pic coop_legacy_pic = {
	.nr_legacy_irqs = NR_IRQS_LEGACY,
	.chip = &coop_irq_chip,
	.mask = coop_pic_irq_nop,
	.unmask = coop_pic_irq_nop,
	.mask_all = coop_pic_nop,
	.restore_mask = coop_pic_nop,
	.init = coop_pic_init,
	.probe = coop_pic_probe,
	.irq_pending = coop_pic_irq_pending,
	.make_irq = coop_pic_make_irq,
};

void __init coop_init_irq(void)
{
	legacy_pic = &coop_legacy_pic;
}
