// SPDX-License-Identifier: GPL-2.0
/*
 * What this host is, found once at module load: whether a cooperative guest
 * can run here at all, the paging depth it must use, and which MSRs the
 * switch has to swap.  Hosts that cannot work are refused with a reason,
 * and the module does not load.
 */
#include <linux/cc_platform.h>
#include <linux/kernel.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/fpu/xcr.h>
#include <asm/msr.h>
#include <asm/pgtable.h>
#include <asm/special_insns.h>
#include <asm/tsc.h>

#include "colinux.h"

struct co_host_caps co_caps;
u64 co_fpu_mask;

/* Swapped on every switch, if the CPU has them; the first four must exist. */
static const u32 switched_msrs[] = CO_SWITCHED_MSRS;

static const char *refusal(void)
{
	struct co_host_facts facts = {
		.memory_encrypted = cc_platform_has(CC_ATTR_MEM_ENCRYPT) ||
				    cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT),
		.xen_pv = boot_cpu_has(X86_FEATURE_XENPV),
		.xsave = boot_cpu_has(X86_FEATURE_XSAVE) &&
			 (__read_cr4() & X86_CR4_OSXSAVE),
		.nx = boot_cpu_has(X86_FEATURE_NX),
		.kernel_ibt = cpu_feature_enabled(X86_FEATURE_IBT) &&
			      (__read_cr4() & X86_CR4_CET),
		.tsc_khz = tsc_khz,
	};

	return co_host_refusal(&facts);
}

static int probe_msrs(void)
{
	unsigned int i;
	u64 val;

	for (i = 0; i < ARRAY_SIZE(switched_msrs); i++) {
		if (rdmsrl_safe(switched_msrs[i], &val)) {
			if (i < 4)
				return -ENODEV;
			continue;
		}
		co_caps.msrs[co_caps.nr_msrs++] = switched_msrs[i];
	}
	return 0;
}

int co_caps_init(void)
{
	const char *why = refusal();
	int err;

	if (why) {
		pr_err("colinux: refusing to load: %s\n", why);
		return -EOPNOTSUPP;
	}
	err = probe_msrs();
	if (err) {
		pr_err("colinux: refusing to load: cannot read the segment-base MSRs\n");
		return err;
	}
	co_caps.paging_levels = pgtable_l5_enabled() ? 5 : 4;
	co_caps.tsc_khz = tsc_khz;
	/*
	 * The guest may use what the host enabled, minus AMX tiles (their
	 * state is armed per task through XFD, which the switch does not
	 * manage).  The FPU switch takes all of that except PKRU, which
	 * round_trip() switches by hand.
	 */
	co_caps.xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK) & ~XFEATURE_MASK_XTILE;
	co_fpu_mask = co_caps.xcr0 & ~XFEATURE_MASK_PKRU;
	rdmsrl(MSR_IA32_CR_PAT, co_caps.pat);
	pr_info("colinux: %u-level paging, TSC %llu kHz, XCR0 %#llx, %u MSRs switched%s\n",
		co_caps.paging_levels, co_caps.tsc_khz, co_caps.xcr0,
		co_caps.nr_msrs,
		check_tsc_unstable() ? "; TSC marked unstable: guests clamp their clock" : "");
	return 0;
}
