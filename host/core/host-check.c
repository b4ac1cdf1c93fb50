// SPDX-License-Identifier: GPL-2.0
/*
 * Can a cooperative guest run on this host at all?  The OS layer gathers
 * the facts once at module load; the decision is here, so that the unit
 * tests can check every refusal without the hardware.
 */
#include "core.h"

const char *co_host_refusal(const struct co_host_facts *f)
{
	if (f->memory_encrypted)
		return "host memory is encrypted (SME, SEV or TDX): a guest sharing physical memory would see ciphertext";
	if (f->xen_pv)
		return "this is a paravirtual Xen guest: Xen owns the page-table hole the passage needs";
	if (!f->xsave)
		return "the CPU has no XSAVE, which the FPU switch needs";
	if (!f->nx)
		return "the CPU has no NX, which the passage's page tables use";
	if (!f->tsc_khz)
		return "the host TSC frequency is unknown";
	/*
	 * With kernel IBT every indirect call and every IDT entry must land on
	 * ENDBR64, and the passage's entry and vector stubs have none: the
	 * first RUN would take a control-protection fault.
	 */
	if (f->kernel_ibt)
		return "the host kernel enforces indirect-branch tracking (CET IBT), which the world switch does not support yet; boot the host with ibt=off";
	return (const char *)0;
}
