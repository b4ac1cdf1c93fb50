// SPDX-License-Identifier: GPL-2.0
/*
 * Everything the core takes from the guest goes through here: guest memory
 * is touched only after co_guest_ptr() has checked that the whole range
 * lies inside one RAM chunk, and a guest that breaks the rules is stopped
 * with co_vm_kill(), never trusted or asserted on.
 */
#include "errno.h"
#include "os.h"
#include "vm.h"

/* A host pointer to [gpa, gpa + len), or NULL if it is not all guest RAM. */
void *co_guest_ptr(struct co_vm *vm, __u64 gpa, __u64 len)
{
	unsigned int i;

	if (!len || gpa + len < gpa)
		return NULL;
	for (i = 0; i < vm->nr_ram; i++) {
		const struct co_ram_chunk *c = &vm->ram[i];

		if (gpa >= c->gpa && gpa + len <= c->gpa + c->size)
			return co_os_phys_to_virt(gpa);
	}
	return NULL;
}

/*
 * The guest-physical address of guest virtual address va, through the
 * guest's current page tables (which live in its RAM; 1 GiB and 2 MiB pages
 * included).  Each entry is read once.
 */
static int guest_va_to_gpa(struct co_vcpu *vcpu, __u64 va, __u64 *gpa)
{
	struct co_vm *vm = vcpu->vm;
	__u64 table = vcpu->state->cr3 & CO_PTE_ADDR_MASK;
	unsigned int level;

	for (level = vm->caps.paging_levels; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);
		const __u64 *t = co_guest_ptr(vm, table, CO_PAGE_SIZE);
		__u64 e, mask = (1ULL << shift) - 1;

		if (!t)
			return -CO_EFAULT;
		e = __atomic_load_n(&t[(va >> shift) & 511], __ATOMIC_RELAXED);
		if (!(e & CO_PTE_PRESENT))
			return -CO_EFAULT;
		if (level == 1 || ((level == 2 || level == 3) && (e & CO_PTE_LARGE))) {
			*gpa = (e & CO_PTE_ADDR_MASK & ~mask) | (va & mask);
			return 0;
		}
		table = e & CO_PTE_ADDR_MASK;
	}
	return -CO_EFAULT;
}

/*
 * Copy len bytes of guest virtual memory (guest RAM only), byte by byte,
 * through the vCPU's page tables.
 */
int co_guest_read_va(struct co_vcpu *vcpu, __u64 va, void *buf,
		     unsigned int len)
{
	unsigned char *out = buf;
	unsigned int i;

	for (i = 0; i < len; i++) {
		const unsigned char *p;
		__u64 gpa;

		if (guest_va_to_gpa(vcpu, va + i, &gpa))
			return -CO_EFAULT;
		p = co_guest_ptr(vcpu->vm, gpa, 1);
		if (!p)
			return -CO_EFAULT;
		out[i] = __atomic_load_n(p, __ATOMIC_RELAXED);
	}
	return 0;
}

int co_vm_msr_slot(const struct co_vm *vm, __u32 msr)
{
	unsigned int i;

	for (i = 0; i < vm->caps.nr_msrs; i++)
		if (vm->caps.msrs[i] == msr)
			return (int)i;
	return -1;
}

static __u64 msr_value(const struct co_vcpu *vcpu, __u32 msr)
{
	int slot = co_vm_msr_slot(vcpu->vm, msr);

	return slot < 0 ? 0 : vcpu->state->msr_value[slot];
}

void co_vcpu_get_regs(const struct co_vcpu *vcpu, struct co_regs *regs)
{
	const struct co_passage_vcpu *v = vcpu->state;

	regs->rax = v->gpr[0];
	regs->rbx = v->gpr[1];
	regs->rcx = v->gpr[2];
	regs->rdx = v->gpr[3];
	regs->rsi = v->gpr[4];
	regs->rdi = v->gpr[5];
	regs->rbp = v->gpr[6];
	regs->rsp = v->gpr[7];
	regs->r8 = v->gpr[8];
	regs->r9 = v->gpr[9];
	regs->r10 = v->gpr[10];
	regs->r11 = v->gpr[11];
	regs->r12 = v->gpr[12];
	regs->r13 = v->gpr[13];
	regs->r14 = v->gpr[14];
	regs->r15 = v->gpr[15];
	regs->rip = v->rip;
	regs->rflags = v->rflags;
	regs->cs = v->cs;
	regs->ss = v->ss;
	regs->cr0 = v->cr0;
	regs->cr2 = v->cr2;
	regs->cr3 = v->cr3;
	regs->cr4 = v->cr4;
	regs->efer = msr_value(vcpu, 0xc0000080);
	regs->fs_base = msr_value(vcpu, 0xc0000100);
	regs->gs_base = msr_value(vcpu, 0xc0000101);
	regs->kernel_gs_base = msr_value(vcpu, 0xc0000102);
}

/*
 * Only one vCPU ends the guest: true for the caller that did.  The others
 * learn it from co_vm_is_dead() and leave.
 */
bool co_vm_claim_end(struct co_vm *vm)
{
	int running = 0;

	return __atomic_compare_exchange_n(&vm->ended, &running, 1, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/*
 * Stop the guest for good.  The first reason wins: it is the cause, later
 * ones (on this vCPU or another) are consequences.  The daemon gets it
 * with this vCPU's next run record.
 */
void co_vcpu_kill(struct co_vcpu *vcpu, __u32 vector, __u64 error,
		  const char *reason)
{
	struct co_vm *vm = vcpu->vm;
	unsigned int i;

	if (!co_vm_claim_end(vm))
		return;
	vm->death.vector = vector;
	vm->death.error = error;
	for (i = 0; i + 1 < sizeof(vm->death.reason) && reason[i]; i++)
		vm->death.reason[i] = reason[i];
	vm->death.reason[i] = '\0';
	vcpu->must_report = true;
}
