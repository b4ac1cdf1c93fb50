// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative Linux: paravirt operations.
 *
 * The guest runs in ring 0 on the host's CPU, so a few privileged things it
 * would do natively must go to the host instead, through pv_ops:
 *
 *  - the hardware IDT belongs to the host's passage: load_idt() and every
 *    later change to the loaded table hand it to the host (CO_HC_SET_IDT);
 *  - so does the TSS: ltr is replaced by telling the host the stacks the
 *    guest's TSS names (CO_HC_SET_STACKS);
 *  - CR4 keeps the host's machine-check and VMX bits;
 *  - CPUID hides the features this guest must not program, and MSR writes
 *    are limited to the MSRs the host switches between the two worlds:
 *    every other MSR is shared with the host and is refused, with a note in
 *    the log;
 *  - halting is sleeping in the host (CO_HC_IDLE).
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <asm/desc.h>
#include <asm/msr-index.h>
#include <asm/paravirt.h>
#include <asm/processor.h>

#include "coop.h"

static phys_addr_t coop_idt_phys;
static unsigned short coop_idt_size;

static void coop_set_idt(void)
{
	long err = coop_hypercall(CO_HC_SET_IDT, coop_idt_phys, coop_idt_size, 0, 0);

	if (err)
		panic("colinux: the host refused the IDT at %pa: %ld", &coop_idt_phys, err);
}

static void coop_load_idt(const struct desc_ptr *dtr)
{
	coop_idt_phys = coop_virt_to_phys((void *)dtr->address);
	coop_idt_size = dtr->size;
	coop_set_idt();
}

/* Linux changes gates of the loaded IDT in place: tell the host. */
static void coop_write_idt_entry(gate_desc *dt, int entry, const gate_desc *g)
{
	native_write_idt_entry(dt, entry, g);
	if (coop_idt_size && coop_virt_to_phys(dt) == coop_idt_phys)
		coop_set_idt();
}

/* Linux poisons unset TSS stacks with non-canonical values: "none yet". */
static unsigned long coop_stack(unsigned long sp)
{
	return __is_canonical_address(sp, __VIRTUAL_MASK_SHIFT + 1) ? sp : 0;
}

static void coop_set_stacks(void)
{
	struct x86_hw_tss *tss = this_cpu_ptr(&cpu_tss_rw.x86_tss);
	long err;

	/* IST slots 3, 5 and 6 are the guest's (CO_GUEST_IST_MASK). */
	err = coop_hypercall(CO_HC_SET_STACKS, coop_stack(tss->sp0),
			     coop_stack(tss->ist[2]), coop_stack(tss->ist[4]),
			     coop_stack(tss->ist[5]));
	if (err)
		panic("colinux: the host refused the TSS stacks: %ld", err);
}

static void coop_load_tr_desc(void)
{
	coop_set_stacks();
}

static void coop_load_sp0(unsigned long sp0)
{
	this_cpu_write(cpu_tss_rw.x86_tss.sp0, sp0);
	coop_set_stacks();
}

static void coop_write_cr4(unsigned long val)
{
	native_write_cr4(val | (native_read_cr4() & (X86_CR4_MCE | X86_CR4_VMXE |
						X86_CR4_SMXE)));
}

static void coop_cpuid(unsigned int *ax, unsigned int *bx, unsigned int *cx,
		       unsigned int *dx)
{
	unsigned int leaf = *ax, subleaf = *cx;

	native_cpuid(ax, bx, cx, dx);
	switch (leaf) {
	case 1:
		*cx &= ~(BIT(3) | BIT(5) | BIT(6) | BIT(17) | BIT(18) |
			 BIT(21) | BIT(24));	/* MONITOR VMX SMX PCID DCA x2APIC TSC-deadline */
		*cx |= BIT(31);			/* a hypervisor is present */
		*dx &= ~(BIT(7) | BIT(9) | BIT(12) | BIT(14) | BIT(22) |
			 BIT(29));		/* MCE APIC MTRR MCA ACPI TM */
		break;
	case 6:		/* thermal and power management: the host's */
	case 0xa:	/* the performance counters too */
		*ax = *bx = *cx = *dx = 0;
		break;
	case 7:
		if (subleaf == 0) {
			*bx &= ~(BIT(1) | BIT(10) | BIT(12) | BIT(15));	/* TSC_ADJUST INVPCID RDT */
			*cx &= ~(BIT(3) | BIT(4) | BIT(5));	/* PKU OSPKE WAITPKG */
			*dx &= ~(BIT(20) | BIT(24) | BIT(30));	/* IBT AMX-TILE CORE_CAPS */
		}
		break;
	case 0xd:
		if (subleaf == 1)
			*ax &= ~(BIT(3) | BIT(4));	/* XSAVES XFD */
		break;
	case 0x80000001:
		*cx &= ~(BIT(2) | BIT(23) | BIT(24) | BIT(28) |
			 BIT(29));	/* SVM PERFCTR_CORE/NB/LLC MWAITX */
		break;
	default:
		if (leaf >= 0x40000000 && leaf <= 0x400000ff)
			*ax = *bx = *cx = *dx = 0;	/* no other hypervisor */
		break;
	}
}

/*
 * The MSRs the host's passage saves and restores on every switch: the
 * list is the ABI's, the one the module switches.
 */
static bool coop_msr_is_ours(unsigned int msr)
{
	static const u32 switched[] = CO_SWITCHED_MSRS;
	unsigned int i;

	/* Commands, not state: flushing predictors or L1D harms nobody. */
	if (msr == MSR_IA32_PRED_CMD || msr == MSR_IA32_FLUSH_CMD)
		return true;
	for (i = 0; i < ARRAY_SIZE(switched); i++)
		if (switched[i] == msr)
			return true;
	return false;
}

static void coop_refuse_msr(unsigned int msr, unsigned int low, unsigned int high)
{
	pr_warn_ratelimited("colinux: refused a write of %#x%08x to MSR %#x, which the host shares\n",
			    high, low, msr);
}

static void coop_write_msr(unsigned int msr, unsigned int low, unsigned int high)
{
	if (coop_msr_is_ours(msr))
		native_write_msr(msr, low, high);
	else
		coop_refuse_msr(msr, low, high);
}

static int coop_write_msr_safe(unsigned int msr, unsigned int low,
			       unsigned int high)
{
	if (coop_msr_is_ours(msr))
		return native_write_msr_safe(msr, low, high);
	coop_refuse_msr(msr, low, high);
	return -EIO;
}

/* Like "sti; hlt": returns with interrupts enabled. */
static void coop_safe_halt(void)
{
	coop_hypercall(CO_HC_IDLE, 0, 0, 0, 0);
}

static void coop_io_delay(void)
{
}

void __init coop_init_pv_ops(void)
{
	pv_info.name = "colinux";
	pv_ops.cpu.load_idt = coop_load_idt;
	pv_ops.cpu.write_idt_entry = coop_write_idt_entry;
	pv_ops.cpu.load_tr_desc = coop_load_tr_desc;
	pv_ops.cpu.load_sp0 = coop_load_sp0;
	pv_ops.cpu.write_cr4 = coop_write_cr4;
	pv_ops.cpu.cpuid = coop_cpuid;
	pv_ops.cpu.write_msr = coop_write_msr;
	pv_ops.cpu.write_msr_safe = coop_write_msr_safe;
	pv_ops.cpu.io_delay = coop_io_delay;
	pv_ops.irq.safe_halt = coop_safe_halt;
	pv_ops.irq.halt = coop_safe_halt;
}
