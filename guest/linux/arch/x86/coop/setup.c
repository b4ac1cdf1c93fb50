// SPDX-License-Identifier: GPL-2.0
/*
 * Cooperative Linux: early platform setup.
 *
 * coop_early_setup() runs from x86_64_start_reservations(), before
 * start_kernel(), because much of what setup_arch() does would otherwise
 * touch the host's hardware: it reads the boot information the daemon
 * left, takes RAM from it (never the PC's fake defaults), turns every legacy
 * device and firmware table off, and installs the hooks of the other files
 * of this directory.  The model is Xen PV's xen_start_kernel().
 */
#include <linux/init.h>
#include <linux/mm.h>
#include <asm/apic.h>
#include <asm/coop.h>
#include <asm/cpufeature.h>
#include <asm/e820/api.h>
#include <asm/hypervisor.h>
#include <asm/setup.h>
#include <asm/tlbflush.h>
#include <asm/x86_init.h>

#include "coop.h"

/* Set by __startup_64() from the boot information (asm/coop.h). */
unsigned long coop_passage_slot __ro_after_init;
unsigned long coop_passage_entry __ro_after_init;

/* A copy: the boot area it came from becomes ordinary RAM. */
struct co_boot_info coop_info __ro_after_init;

/*
 * Physical address of any kernel virtual address the guest hands to the
 * host: the image, the direct map, or anything else mapped in init_mm.
 */
phys_addr_t coop_virt_to_phys(const void *addr)
{
	unsigned long va = (unsigned long)addr;

	if (va >= __START_KERNEL_map && va < (unsigned long)_end)
		return __pa_symbol(addr);
	if (virt_addr_valid(addr))
		return __pa(addr);
	return slow_virt_to_phys((void *)addr);
}

/* RAM is what the host gave, nothing else: no PC defaults (e820.c). */
static char * __init coop_memory_setup(void)
{
	u32 i;

	for (i = 0; i < coop_info.nr_ram_chunks && i < CO_MAX_RAM_CHUNKS; i++)
		e820__range_add(coop_info.ram[i].gpa, coop_info.ram[i].size,
				E820_TYPE_RAM);
	if (!coop_info.nr_ram_chunks)
		panic("colinux: the host gave no RAM");
	e820__update_table(e820_table);
	coop_reserve_devices();
	return "colinux";
}

static unsigned char coop_get_nmi_reason(void)
{
	return 0;
}

/* No BIOS, ROMs, MP tables, real-mode trampoline, PIC, APIC or CMOS. */
static void __init coop_init_platform_hooks(void)
{
	x86_init.resources.probe_roms = x86_init_noop;
	x86_init.resources.memory_setup = coop_memory_setup;
	x86_init.resources.dmi_setup = x86_init_noop;
	x86_init.mpparse.find_smp_config = x86_init_noop;
#ifdef CONFIG_SMP
	x86_init.mpparse.get_smp_config = coop_get_smp_config;
#else
	x86_init.mpparse.get_smp_config = x86_init_uint_noop;
#endif
	x86_init.irqs.intr_mode_select = x86_init_noop;
	x86_init.irqs.intr_mode_init = x86_init_noop;
	x86_init.oem.arch_setup = x86_init_noop;

	x86_platform.realmode_reserve = x86_init_noop;
	x86_platform.realmode_init = x86_init_noop;
	x86_platform.get_nmi_reason = coop_get_nmi_reason;
	x86_platform.legacy.rtc = 0;
	x86_platform.legacy.warm_reset = 0;
	x86_platform.legacy.reserve_bios_regions = 0;
	x86_platform.legacy.i8042 = X86_LEGACY_I8042_PLATFORM_ABSENT;
	x86_platform.legacy.no_vga = 1;
	x86_platform.legacy.devices.pnpbios = 0;
}

/*
 * CPU features this guest must not use, on top of what the CPUID filter
 * hides (pv.c): because they program something the host shares, or (PGE)
 * because they make the world switch dearer.
 */
static void __init coop_init_cpu_caps(void)
{
	static const u16 off[] __initconst = {
		X86_FEATURE_APIC, X86_FEATURE_X2APIC, X86_FEATURE_TSC_DEADLINE_TIMER,
		X86_FEATURE_PCID, X86_FEATURE_INVPCID, X86_FEATURE_TSC_ADJUST,
		X86_FEATURE_VMX, X86_FEATURE_SVM, X86_FEATURE_SMX,
		X86_FEATURE_MWAIT, X86_FEATURE_WAITPKG, X86_FEATURE_EPB,
		X86_FEATURE_ACPI, X86_FEATURE_ACC, X86_FEATURE_APERFMPERF,
		X86_FEATURE_DCA, X86_FEATURE_PKU, X86_FEATURE_OSPKE,
		X86_FEATURE_XSAVES, X86_FEATURE_XFD, X86_FEATURE_AMX_TILE,
		X86_FEATURE_CPUID_FAULT, X86_FEATURE_IBT, X86_FEATURE_MCE,
		X86_FEATURE_MCA, X86_FEATURE_MTRR, X86_FEATURE_SPLIT_LOCK_DETECT,
		X86_FEATURE_PGE,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(off); i++)
		setup_clear_cpu_cap(off[i]);
	/*
	 * No global pages (startup_64 turned them on): the host's passage
	 * clears CR4.PGE on every exit, so that no guest TLB entry outlives
	 * the guest, and a guest with PGE set pays one more full TLB flush in
	 * each direction of every world switch.  Without it the guest's own
	 * CR3 writes also drop its kernel's entries, which costs less.
	 */
	cr4_clear_bits(X86_CR4_PGE);
	setup_force_cpu_cap(X86_FEATURE_HYPERVISOR);
	setup_force_cpu_cap(X86_FEATURE_TSC_KNOWN_FREQ);
	setup_force_cpu_cap(X86_FEATURE_TSC_RELIABLE);
}

/*
 * With apic=verbose, print_ICs() (a late initcall) would read the 8259's
 * registers: the host's.  There is no PIC or APIC to describe here anyway.
 */
static int __init coop_quiet_apic(void)
{
	apic_verbosity = APIC_QUIET;
	return 0;
}
subsys_initcall(coop_quiet_apic);

void __init coop_early_setup(void)
{
	const struct co_boot_info *bi = __va(boot_params.hdr.hardware_subarch_data);

	coop_info = *bi;
	coop_init_console();
	if (coop_info.magic != CO_BOOT_MAGIC ||
	    coop_info.abi_version != CO_ABI_VERSION)
		panic("colinux: boot information of ABI %u, this kernel speaks ABI %u",
		      coop_info.abi_version, CO_ABI_VERSION);

	/* No hypervisor detection: the CPUID we see may be the host's own. */
	nopv = true;
	disable_apic = 1;
	coop_init_cpu_caps();
	coop_init_pv_ops();
	coop_init_platform_hooks();
	coop_init_irq();
	coop_init_time();
#ifdef CONFIG_SMP
	coop_init_smp();
#endif
	coop_init_power();
	coop_rewrite_root();
	pr_info("colinux: cooperative guest, %u-level paging, passage at %#llx (slot %u), %u RAM chunk(s)\n",
		coop_info.paging_levels, coop_info.passage_va,
		coop_info.passage_slot, coop_info.nr_ram_chunks);
}
