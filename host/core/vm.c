// SPDX-License-Identifier: GPL-2.0
/*
 * VM lifetime: creation around RAM the OS layer allocated, the boot state
 * the guest starts in, virtual interrupt requests, and teardown.
 */
#include "errno.h"
#include "os.h"
#include "vm.h"
#include "x86.h"

#define VM_ORDER 0
#define VCPU_ORDER 2
_Static_assert(sizeof(struct co_vm) <= (CO_PAGE_SIZE << VM_ORDER),
	       "struct co_vm outgrew its allocation");
_Static_assert(sizeof(struct co_vcpu) <= (CO_PAGE_SIZE << VCPU_ORDER),
	       "struct co_vcpu outgrew its allocation");

/* The boot state a guest starts in (docs/abi.md, "Boot state"). */
#define BOOT_CR0 (X86_CR0_PG | X86_CR0_AM | X86_CR0_WP | X86_CR0_NE | \
		  X86_CR0_ET | X86_CR0_MP | X86_CR0_PE)
#define BOOT_CR4 (X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)
#define BOOT_EFER (X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE)
#define BOOT_RFLAGS_ALLOWED 0x8d5ULL	/* CF PF AF ZF SF OF */

static int check_ram(const struct co_ram_chunk *ram, unsigned int nr)
{
	unsigned int i;

	if (!nr || nr > CO_MAX_RAM_CHUNKS)
		return -CO_EINVAL;
	for (i = 0; i < nr; i++) {
		if (!ram[i].size || (ram[i].gpa | ram[i].size) % CO_RAM_CHUNK_ALIGN ||
		    ram[i].gpa + ram[i].size < ram[i].gpa)
			return -CO_EINVAL;
		if (i && ram[i].gpa < ram[i - 1].gpa + ram[i - 1].size)
			return -CO_EINVAL;
	}
	return 0;
}

static int check_caps(const struct co_host_caps *caps)
{
	unsigned int i;

	if (caps->paging_levels != 4 && caps->paging_levels != 5)
		return -CO_EINVAL;
	if (caps->nr_msrs > CO_MAX_SWITCHED_MSRS)
		return -CO_EINVAL;
	for (i = 0; i < caps->nr_msrs; i++)
		if (caps->msrs[i] == X86_MSR_EFER)
			return 0;
	return -CO_EINVAL;	/* the switch must always swap EFER */
}

/*
 * The boot state of a vCPU (docs/abi.md), from its creation and again
 * when CO_HC_VCPU_UP starts it.
 */
void co_vcpu_init_state(struct co_vcpu *vcpu)
{
	const struct co_host_caps *caps = &vcpu->vm->caps;
	struct co_passage_vcpu *v = vcpu->state;
	unsigned int i;

	*v = (struct co_passage_vcpu){ 0 };
	for (i = 0; i < caps->nr_msrs; i++) {
		if (caps->msrs[i] == X86_MSR_EFER)
			v->msr_value[i] = BOOT_EFER;
		else if (caps->msrs[i] == X86_MSR_PAT)
			v->msr_value[i] = caps->pat;
		else if (caps->msrs[i] == X86_MSR_TSC_AUX)
			v->msr_value[i] = vcpu->index;
	}
	v->cs = CO_SEL_CS;
	v->ss = CO_SEL_DS;
	v->ds = CO_SEL_DS;
	v->es = CO_SEL_DS;
	v->rflags = X86_RFLAGS_FIXED;
	v->cr0 = BOOT_CR0;
	v->cr4 = BOOT_CR4 | (caps->xcr0 ? X86_CR4_OSXSAVE : 0);
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->xcr0 = X86_XCR0_X87 | X86_XCR0_SSE;
	v->gdtr = vcpu->tables->gdtr;	/* the passage GDT: 0x10 code, 0x18 data */
	v->exit_vector = ~0ULL;
}

static void destroy_vcpu(struct co_vcpu *vcpu)
{
	if (!vcpu)
		return;
	co_passage_destroy_vcpu(vcpu);
	co_os_free_pages(vcpu, VCPU_ORDER);
}

static int create_vcpu(struct co_vm *vm, unsigned int index, void *os_vcpu)
{
	struct co_vcpu *vcpu;
	__u64 phys;
	int err;

	vcpu = co_os_alloc_pages(VCPU_ORDER, &phys);
	if (!vcpu)
		return -CO_ENOMEM;
	vcpu->vm = vm;
	vcpu->index = index;
	vcpu->os = os_vcpu;
	vcpu->va = vm->va + index * CO_VCPU_PASSAGE_STRIDE;
	vm->vcpu[index] = vcpu;
	err = co_passage_create_vcpu(vcpu);
	if (err)
		return err;
	co_vcpu_init_state(vcpu);
	return 0;
}

int co_vm_create(struct co_vm **out, const struct co_host_caps *caps,
		 void *os_vm, void *const *os_vcpu, unsigned int nr_vcpus,
		 const struct co_ram_chunk *ram, unsigned int nr)
{
	struct co_vm *vm;
	unsigned int i;
	__u64 phys;
	int err;

	err = check_caps(caps);
	if (!err)
		err = check_ram(ram, nr);
	if (!err && (!nr_vcpus || nr_vcpus > CO_MAX_VCPUS))
		err = -CO_EINVAL;
	if (err)
		return err;
	vm = co_os_alloc_pages(VM_ORDER, &phys);
	if (!vm)
		return -CO_ENOMEM;
	vm->caps = *caps;
	vm->os = os_vm;
	vm->nr_ram = nr;
	for (i = 0; i < nr; i++) {
		vm->ram[i] = ram[i];
		vm->ram_bytes += ram[i].size;
	}
	err = co_passage_create(vm);
	for (i = 0; !err && i < nr_vcpus; i++) {
		err = create_vcpu(vm, i, os_vcpu[i]);
		vm->nr_vcpus = i + 1;	/* so that destroy frees a half-made one */
	}
	if (err) {
		co_vm_destroy(vm);
		return err;
	}
	*out = vm;
	return 0;
}

void co_vm_destroy(struct co_vm *vm)
{
	unsigned int i;

	if (!vm)
		return;
	for (i = 0; i < vm->nr_vcpus; i++)
		destroy_vcpu(vm->vcpu[i]);
	co_passage_destroy(vm);
	co_os_free_pages(vm, VM_ORDER);
}

void co_vm_info(const struct co_vm *vm, struct co_vm_info *info)
{
	unsigned int i;

	*info = (struct co_vm_info){ 0 };
	info->paging_levels = vm->caps.paging_levels;
	info->passage_slot = vm->slot;
	info->passage_va = vm->va;
	info->passage_entry = co_passage_guest_entry(vm);
	info->hypercall_va = vm->va + CO_PASSAGE_HYPERCALL;
	info->tsc_khz = vm->caps.tsc_khz;
	info->ram_bytes = vm->ram_bytes;
	info->nr_ram_chunks = vm->nr_ram;
	info->nr_vcpus = vm->nr_vcpus;
	if (vm->caps.tsc_unstable)
		info->flags |= CO_VM_TSC_UNSTABLE;
	for (i = 0; i < vm->nr_ram; i++)
		info->ram[i] = vm->ram[i];
}

/* vCPU index, or NULL when the VM has no such vCPU. */
struct co_vcpu *co_vm_vcpu(struct co_vm *vm, unsigned int index)
{
	return index < vm->nr_vcpus ? vm->vcpu[index] : NULL;
}

static bool canonical(const struct co_vm *vm, __u64 va)
{
	return co_va_is_canonical(vm->caps.paging_levels, va);
}

/*
 * vCPU 0's boot registers.  cr3 must be a page of guest RAM: its passage
 * slot is filled in here, so the guest can reach the passage from its
 * first instruction.  Only before the first entry; the OS layer keeps
 * vCPU 0's thread out meanwhile.
 */
int co_vm_set_regs(struct co_vm *vm, const struct co_regs *regs)
{
	struct co_vcpu *vcpu = vm->vcpu[0];
	struct co_passage_vcpu *v = vcpu->state;
	const __u64 *gpr = &regs->rax;
	__u64 *top;
	unsigned int i;

	if (vcpu->started)
		return -CO_EBUSY;
	if (regs->cr3 & ~CO_PTE_ADDR_MASK || !canonical(vm, regs->rip) ||
	    !canonical(vm, regs->rsp))
		return -CO_EINVAL;
	top = co_guest_ptr(vm, regs->cr3, CO_PAGE_SIZE);
	if (!top)
		return -CO_EFAULT;
	top[vm->slot] = co_passage_guest_entry(vm);
	for (i = 0; i < 16; i++)
		v->gpr[i] = gpr[i];
	v->rip = regs->rip;
	v->rflags = X86_RFLAGS_FIXED | (regs->rflags & BOOT_RFLAGS_ALLOWED);
	v->cr3 = regs->cr3;
	__atomic_store_n(&vcpu->up, CO_VCPU_UP, __ATOMIC_RELEASE);
	return 0;
}

void co_vcpu_raise(struct co_vcpu *vcpu, unsigned int vector)
{
	__atomic_fetch_or(&vcpu->irr[vector / 64], 1ULL << (vector % 64),
			  __ATOMIC_SEQ_CST);
}

/* A device interrupt for vCPU vcpu; the OS layer wakes that vCPU. */
int co_vm_raise(struct co_vm *vm, unsigned int vcpu, unsigned int vector)
{
	if (vector < 32 || vector > 255 || vcpu >= vm->nr_vcpus)
		return -CO_EINVAL;
	co_vcpu_raise(vm->vcpu[vcpu], vector);
	return 0;
}

/* Has the vCPU a reason to run: a pending vector, a kick, the guest's end? */
int co_vcpu_event_pending(struct co_vcpu *vcpu)
{
	unsigned int i;

	if (co_vm_is_dead(vcpu->vm) ||
	    __atomic_load_n(&vcpu->kicked, __ATOMIC_SEQ_CST))
		return 1;
	for (i = 0; i < 4; i++)
		if (__atomic_load_n(&vcpu->irr[i], __ATOMIC_SEQ_CST))
			return 1;
	return 0;
}

/*
 * The vCPU's thread woke from a CO_HC_IDLE or CO_HC_HALT sleep: a kick
 * has done its job (the guest checks its lock again on return).
 */
void co_vcpu_woken(struct co_vcpu *vcpu, int polled)
{
	__atomic_store_n(&vcpu->kicked, 0, __ATOMIC_SEQ_CST);
	if (polled)
		vcpu->stats.halt_polls++;
}

/*
 * The vCPU's thread lost its host CPU, or left RUN, while the guest may
 * want it: say so in its steal-time record (docs/abi.md).  A "|=", so a
 * flush the guest asked for meanwhile stays asked.
 */
void co_vcpu_mark_preempted(struct co_vcpu *vcpu)
{
	if (vcpu->steal)
		__atomic_fetch_or(&vcpu->steal->preempted, CO_STEAL_PREEMPTED,
				  __ATOMIC_SEQ_CST);
}

/* May the vCPU's thread go on: it was started, or the guest is over. */
int co_vcpu_may_enter(struct co_vcpu *vcpu)
{
	return __atomic_load_n(&vcpu->up, __ATOMIC_ACQUIRE) == CO_VCPU_UP ||
	       co_vm_is_dead(vcpu->vm);
}

/* The OS layer's timer for CO_HC_SET_TIMER went off. */
void co_vcpu_timer_expired(struct co_vcpu *vcpu)
{
	unsigned int vector = __atomic_load_n(&vcpu->timer_vector,
					      __ATOMIC_RELAXED);

	if (vector)
		co_vcpu_raise(vcpu, vector);
}

int co_vm_is_dead(const struct co_vm *vm)
{
	return __atomic_load_n(&vm->ended, __ATOMIC_ACQUIRE);
}
