/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core's VM: one guest with one vCPU, its RAM, its passage and its
 * virtual interrupt state.  Private to host/core/; the OS layer sees an
 * opaque struct co_vm.
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

struct co_vm {
	struct co_host_caps caps;
	void *os;			/* the OS layer's VM, for its callbacks */

	unsigned int nr_ram;
	struct co_ram_chunk ram[CO_MAX_RAM_CHUNKS];
	__u64 ram_bytes;

	/* The passage (passage.c). */
	unsigned int slot;
	__u64 va;
	void *page[CO_PASSAGE_PAGES];	/* NULL for guard pages */
	__u64 page_phys[CO_PASSAGE_PAGES];
	struct co_passage_tables *tables;
	struct co_passage_vcpu *vcpu;
	struct co_passage_host *host;
	struct co_pgtable pt_transition;	/* passage as T maps it */
	struct co_pgtable pt_guest;		/* passage as G maps it */
	__u64 *transition;		/* T's top level */
	__u64 transition_phys;

	/* The guest's interrupt view (hypercall.c, run.c). */
	struct co_gate gate[256];
	struct co_gate gate_next[256];	/* CO_HC_SET_IDT's copy, being checked */
	__u64 rsp0, ist[8];
	__u64 irr[4];			/* pending virtual vectors, atomic */
	unsigned int timer_vector;
	bool call_outstanding;		/* a CO_HC_DAEMON_CALL awaits its result */

	__u64 entry_tag;		/* this entry's, in the tables page too */
	__u64 passage_faults;		/* faults of the last exit's restore */

	bool regs_set;			/* CO_IOC_SET_REGS done: may enter */
	bool started;
	bool dead;			/* never runs again; see death */
	bool death_reported;
	struct {
		__u32 vector;
		__u64 error;
		char reason[CO_FAULT_REASON_LEN];
	} death;
	struct co_stats stats;
};

/* passage.c */
int co_passage_create(struct co_vm *vm);
void co_passage_destroy(struct co_vm *vm);
int co_passage_refresh_transition(struct co_vm *vm);
void co_passage_refresh_tables(struct co_vm *vm);
void co_passage_set_gate(__u64 *idt, unsigned int vector, __u64 handler,
			 unsigned int selector, unsigned int ist,
			 unsigned int type, unsigned int dpl);
void co_passage_reset_guest_idt(struct co_vm *vm);
__u64 co_passage_guest_entry(const struct co_vm *vm);
__u64 co_passage_stub(const struct co_vm *vm, unsigned int vector);

/* guest.c */
void *co_guest_ptr(struct co_vm *vm, __u64 gpa, __u64 len);
int co_guest_read_va(struct co_vm *vm, __u64 va, void *buf, unsigned int len);
int co_vm_msr_slot(const struct co_vm *vm, __u32 msr);
void co_vm_kill(struct co_vm *vm, __u32 vector, __u64 error,
		const char *reason);
void co_vcpu_get_regs(const struct co_vm *vm, struct co_regs *regs);

/* hypercall.c */
int co_hypercall(struct co_vm *vm, struct co_run *run);

#endif /* COLINUX_CORE_VM_H */
