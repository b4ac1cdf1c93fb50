/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core's VM: one guest, its RAM, and its virtual CPUs, each with its
 * own passage and virtual interrupt state.  Private to host/core/; the OS
 * layer sees opaque struct co_vm and struct co_vcpu.
 *
 * Locking: a vCPU's own state is touched only by the thread that runs it
 * (the OS layer runs at most one per vCPU), except for what other threads
 * may do to it at any time, all atomic: raise a vector in irr, set
 * timer_vector, kick it (kicked), and start it once (up, CO_HC_VCPU_UP).  The VM's state is
 * fixed after creation, except how the guest ended (ended, death), which
 * the first vCPU to end it claims with a compare-and-swap.
 */
#ifndef COLINUX_CORE_VM_H
#define COLINUX_CORE_VM_H

#include "core.h"
#include "passage.h"
#include "pgtable.h"
#include "types.h"

/* One gate of the guest's IDT, as snapshotted by CO_HC_SET_IDT. */
struct co_gate {
	__u64 handler;
	__u16 selector;
	__u8 ist;
	__u8 type;			/* 0xe interrupt, 0xf trap */
	__u8 dpl;
	bool present;
};

#define CO_PASSAGE_PAGES	(CO_PASSAGE_SIZE / CO_PAGE_SIZE)
_Static_assert(CO_PASSAGE_SIZE <= CO_VCPU_PASSAGE_STRIDE,
	       "a vCPU's passage fits in its stride");

/* co_vcpu.up */
#define CO_VCPU_DOWN		0	/* has not run yet */
#define CO_VCPU_STARTING	1	/* CO_HC_VCPU_UP is filling it in */
#define CO_VCPU_UP		2	/* may enter */

struct co_vcpu {
	struct co_vm *vm;
	unsigned int index;
	void *os;			/* the OS layer's vCPU, for its callbacks */

	/* Its passage (passage.c), at va in the VM's slot. */
	__u64 va;
	void *page[CO_PASSAGE_PAGES];	/* NULL for guard pages */
	__u64 page_phys[CO_PASSAGE_PAGES];
	struct co_passage_tables *tables;
	struct co_passage_vcpu *state;	/* the guest's registers, the exit */
	struct co_passage_host *host;
	__u64 *transition;		/* its T's top level */
	__u64 transition_phys;

	/* The guest's interrupt view (hypercall.c, run.c). */
	struct co_gate gate[256];
	struct co_gate gate_next[256];	/* CO_HC_SET_IDT's copy, being checked */
	__u64 rsp0, ist[8];
	__u64 irr[4];			/* pending virtual vectors, atomic */
	unsigned int timer_vector;	/* atomic */
	bool call_outstanding;		/* a CO_HC_DAEMON_CALL awaits its result */
	int kicked;			/* CO_HC_KICK since the last sleep, atomic */

	/*
	 * CO_HC_SET_STEAL_TIME's record in guest RAM, or NULL; written only
	 * by this vCPU's thread (run.c), never read back.
	 */
	struct co_steal_time *steal;
	__u32 steal_version;
	__u64 steal_ns;			/* what steal says */

	__u64 entry_tag;		/* this entry's, in the tables page too */
	__u64 passage_faults;		/* faults of the last exit's restore */

	int up;				/* CO_VCPU_*, atomic */
	bool started;			/* has entered the guest */
	bool must_report;		/* ended the guest: its record says how */
	struct co_stats stats;
};

struct co_vm {
	struct co_host_caps caps;
	void *os;			/* the OS layer's VM, for its callbacks */

	unsigned int nr_ram;
	struct co_ram_chunk ram[CO_MAX_RAM_CHUNKS];
	__u64 ram_bytes;

	/* The passage slot, shared by the vCPUs' passages (passage.c). */
	unsigned int slot;
	__u64 va;			/* vCPU 0's passage; vCPU i's follow */
	struct co_pgtable pt_transition;	/* the passages as T maps them */
	struct co_pgtable pt_guest;		/* ... as G maps them */

	unsigned int nr_vcpus;
	struct co_vcpu *vcpu[CO_MAX_VCPUS];

	int ended;			/* atomic: the guest is over */
	struct {
		__u32 vector;
		__u64 error;
		char reason[CO_FAULT_REASON_LEN];
	} death;			/* written once, by whoever ended it */
};

/* passage.c */
int co_passage_create(struct co_vm *vm);
int co_passage_create_vcpu(struct co_vcpu *vcpu);
void co_passage_destroy(struct co_vm *vm);
void co_passage_destroy_vcpu(struct co_vcpu *vcpu);
int co_passage_refresh_transition(struct co_vcpu *vcpu);
void co_passage_refresh_tables(struct co_vcpu *vcpu);
void co_passage_set_gate(__u64 *idt, unsigned int vector, __u64 handler,
			 unsigned int selector, unsigned int ist,
			 unsigned int type, unsigned int dpl);
void co_passage_reset_guest_idt(struct co_vcpu *vcpu);
__u64 co_passage_guest_entry(const struct co_vm *vm);
__u64 co_passage_stub(const struct co_vcpu *vcpu, unsigned int vector);

/* guest.c */
void *co_guest_ptr(struct co_vm *vm, __u64 gpa, __u64 len);
int co_guest_read_va(struct co_vcpu *vcpu, __u64 va, void *buf,
		     unsigned int len);
int co_vm_msr_slot(const struct co_vm *vm, __u32 msr);
void co_vcpu_kill(struct co_vcpu *vcpu, __u32 vector, __u64 error,
		  const char *reason);
bool co_vm_claim_end(struct co_vm *vm);
void co_vcpu_get_regs(const struct co_vcpu *vcpu, struct co_regs *regs);

/* vm.c */
void co_vcpu_init_state(struct co_vcpu *vcpu);
void co_vcpu_raise(struct co_vcpu *vcpu, unsigned int vector);

/* hypercall.c */
int co_hypercall(struct co_vcpu *vcpu, struct co_run *run);
void co_vcpu_apply_gates(struct co_vcpu *vcpu);

#endif /* COLINUX_CORE_VM_H */
