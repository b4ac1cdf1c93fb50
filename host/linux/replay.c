// SPDX-License-Identifier: GPL-2.0
/*
 * Host events that arrived while the guest ran (or while switching) were
 * taken by the passage, not by the host.  Replay them into the host's own
 * handlers now, with interrupts still off, exactly once each.
 */
#include <asm/desc.h>
#include <asm/idtentry.h>
#include <asm/mce.h>
#include <asm/ptrace.h>

#include "colinux.h"

static void replay_nmi(void)
{
	/* The noist entry runs on the current stack, as KVM uses it. */
	co_call_host_handler((unsigned long)asm_exc_nmi_noist);
}

static void replay_machine_check(void)
{
	/* Pretend it came from user mode, so the handler may recover. */
	struct pt_regs regs = {
		.cs = 3,
		.flags = X86_EFLAGS_IF,
	};

	if (IS_ENABLED(CONFIG_X86_MCE))
		do_machine_check(&regs);
}

static void replay_irq(unsigned int vector)
{
	struct desc_ptr idt;

	store_idt(&idt);
	co_call_host_handler(gate_offset((gate_desc *)idt.address + vector));
}

void co_replay_host_events(const struct co_replay *replay)
{
	int i;

	for (i = 0; i < replay->nmi; i++)
		replay_nmi();
	if (replay->mc)
		replay_machine_check();
	if (replay->irq_vector >= FIRST_EXTERNAL_VECTOR)
		replay_irq(replay->irq_vector);
}
