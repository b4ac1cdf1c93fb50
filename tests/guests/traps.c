// SPDX-License-Identifier: GPL-2.0
/*
 * The test guest's IDT: every vector has a stub (entry.S); tests install C
 * handlers per vector.  The table is handed to the host with CO_HC_SET_IDT,
 * after which the CPU delivers exceptions straight to it and the host
 * injects virtual interrupts through it.
 */
#include "guest.h"

extern char trap_stubs[];

static uint64_t idt[512] __attribute__((aligned(16)));
static trap_handler handlers[256];

static void set_gate(unsigned int v, uint64_t handler, unsigned int dpl)
{
	idt[2 * v] = (handler & 0xffff) | (uint64_t)CO_GUEST_CS << 16 |
		     (0x8eULL | (uint64_t)dpl << 5) << 40 |
		     ((handler >> 16) & 0xffff) << 48;
	idt[2 * v + 1] = handler >> 32;
}

void trap_dispatch(struct trap_frame *f);

void trap_dispatch(struct trap_frame *f)
{
	if (handlers[f->vector]) {
		handlers[f->vector](f);
		return;
	}
	printf("unexpected trap %u on vCPU %u, error %llx, at rip %llx\n",
	       (unsigned int)f->vector, this_cpu(), f->error, f->rip);
	hypercall(CO_HC_CRASH, 1, 0, 0, 0);
}

void trap_set_handler(unsigned int vector, trap_handler handler)
{
	handlers[vector] = handler;
}

void traps_init(void)
{
	unsigned int v;
	long err;

	for (v = 0; v < 256; v++)
		set_gate(v, (uint64_t)trap_stubs + 16 * v, v == 3 ? 3 : 0);
	err = hypercall(CO_HC_SET_IDT, gpa_of(idt), sizeof(idt) - 1, 0, 0);
	if (err) {
		printf("CO_HC_SET_IDT failed: %d\n", (int)err);
		poweroff(98);
	}
}

void set_timer_in(uint64_t ns)
{
	uint64_t deadline = rdtsc() + ns * boot_info->tsc_khz / 1000000;

	hypercall(CO_HC_SET_TIMER, deadline, TIMER_VECTOR, 0, 0);
}
