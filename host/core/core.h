/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The portable core as seen by an OS layer.
 *
 * An OS layer (host/linux/) owns the device node, guest RAM allocation,
 * timers, sleeping, the FPU and the replay of host interrupts; everything it
 * can share with another host OS lives behind these calls.  Functions
 * return 0 or a negative CO_E* code (core/errno.h).  Nothing here takes a
 * lock: the OS layer serializes setup, runs at most one thread per vCPU,
 * and calls the co_vcpu_*() functions of a vCPU only from that thread
 * (core/vm.h says what other threads may touch).
 */
#ifndef COLINUX_CORE_H
#define COLINUX_CORE_H

#include <colinux/abi.h>

#include "bench.h"

#define CO_MAX_SWITCHED_MSRS	16

struct co_vm;
struct co_vcpu;

/* What the OS layer found out about its host, once, at module load. */
struct co_host_caps {
	unsigned int paging_levels;	/* 4 or 5 */
	unsigned int nr_msrs;		/* MSRs switched on every entry/exit; */
	__u32 msrs[CO_MAX_SWITCHED_MSRS];	/* EFER must be one of them */
	__u64 tsc_khz;
	int tsc_unstable;		/* as the host kernel judges it now */
	__u64 xcr0;			/* the host's XCR0 */
	__u64 pat;			/* the guest starts with the host's PAT */
};

/* What the OS layer found about its host, for co_host_refusal(). */
struct co_host_facts {
	int memory_encrypted;		/* SME, SEV or TDX */
	int xen_pv;
	int xsave;			/* XSAVE present and CR4.OSXSAVE set */
	int nx;
	int kernel_ibt;			/* CET indirect-branch tracking enforced */
	__u64 tsc_khz;
};

/* What to replay on the host after an exit (co_vcpu_exited()). */
struct co_replay {
	int irq_vector;			/* host vector, or -1 */
	int nmi;			/* how many NMIs */
	int mc;
};

/* How the OS layer enters the passage (co_vcpu_prepare()). */
struct co_entry {
	__u64 transition_cr3;		/* load this, then call enter_va */
	__u64 enter_va;
	/* Interrupts wait: exit as soon as the guest enables them. */
	int kick;
};

/* The host state the passage saved on entry (co_vcpu_host_saved()). */
struct co_host_saved {
	__u64 cr0, cr4;
	__u64 idt_base;
	__u16 idt_limit;
	unsigned int nr_msrs;
	__u32 msr[CO_MAX_SWITCHED_MSRS];
	__u64 value[CO_MAX_SWITCHED_MSRS];
	__u64 faults;
};

/* co_vcpu_handle() results. */
#define CO_ACT_CONTINUE	0		/* enter the guest again */
#define CO_ACT_IDLE	1		/* sleep until co_vm_event_pending() */
#define CO_ACT_TO_USER	2		/* the run record is filled in */
#define CO_ACT_ENDED	3		/* another vCPU ended the guest */

/* host-check.c: why this host cannot run a guest, or NULL if it can. */
const char *co_host_refusal(const struct co_host_facts *facts);

/* version.c */
void co_core_version(struct co_version *out);

/*
 * vm.c.  os_vcpu[i] is the OS layer's pointer for vCPU i, given back in
 * its callbacks (co_os_timer_set(), co_os_vcpu_kick()).
 */
int co_vm_create(struct co_vm **out, const struct co_host_caps *caps,
		 void *os_vm, void *const *os_vcpu, unsigned int nr_vcpus,
		 const struct co_ram_chunk *ram, unsigned int nr);
void co_vm_destroy(struct co_vm *vm);
void co_vm_info(const struct co_vm *vm, struct co_vm_info *info);
struct co_vcpu *co_vm_vcpu(struct co_vm *vm, unsigned int index);
int co_vm_set_regs(struct co_vm *vm, const struct co_regs *regs);
int co_vm_raise(struct co_vm *vm, unsigned int vcpu, unsigned int vector);
int co_vm_is_dead(const struct co_vm *vm);
int co_vcpu_event_pending(struct co_vcpu *vcpu);
int co_vcpu_may_enter(struct co_vcpu *vcpu);
void co_vcpu_timer_expired(struct co_vcpu *vcpu);
void co_vcpu_woken(struct co_vcpu *vcpu, int polled);
void co_vcpu_mark_preempted(struct co_vcpu *vcpu);

/* run.c */
int co_vcpu_prepare(struct co_vcpu *vcpu, __u64 host_gdt_rw,
		    struct co_entry *entry);
void co_vcpu_exited(struct co_vcpu *vcpu, struct co_replay *replay);
__u64 co_vcpu_xcr0(const struct co_vcpu *vcpu);
int co_vcpu_irqs_blocked(const struct co_vcpu *vcpu);
void co_vcpu_check_breakpoints(struct co_vcpu *vcpu, const __u64 dr[4]);
void co_vcpu_stop(struct co_vcpu *vcpu, const char *reason);
int co_vcpu_host_saved(const struct co_vcpu *vcpu, struct co_host_saved *out);
int co_vcpu_handle(struct co_vcpu *vcpu, struct co_run *run);
void co_vcpu_resume(struct co_vcpu *vcpu, const struct co_run *run);
void co_vcpu_interrupted(struct co_vcpu *vcpu, struct co_run *run);
int co_vcpu_report(struct co_vcpu *vcpu, struct co_run *run);

#endif /* COLINUX_CORE_H */
