// SPDX-License-Identifier: GPL-2.0
/*
 * VM lifetime: creation around RAM the OS layer allocated, the boot state
 * the guest starts in, virtual interrupt requests, and teardown.
 */
#include "errno.h"
#include "os.h"
#include "vm.h"
#include "x86.h"

#define VM_ORDER 2
_Static_assert(sizeof(struct co_vm) <= (CO_PAGE_SIZE << VM_ORDER),
	       "struct co_vm outgrew its allocation");

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

static void init_vcpu(struct co_vm *vm)
{
	struct co_passage_vcpu *v = vm->vcpu;
	unsigned int i;

	for (i = 0; i < vm->caps.nr_msrs; i++) {
		if (vm->caps.msrs[i] == X86_MSR_EFER)
			v->msr_value[i] = BOOT_EFER;
		else if (vm->caps.msrs[i] == X86_MSR_PAT)
			v->msr_value[i] = vm->caps.pat;
	}
	v->cs = CO_SEL_CS;
	v->ss = CO_SEL_DS;
	v->ds = CO_SEL_DS;
	v->es = CO_SEL_DS;
	v->rflags = X86_RFLAGS_FIXED;
	v->cr0 = BOOT_CR0;
	v->cr4 = BOOT_CR4 | (vm->caps.xcr0 ? X86_CR4_OSXSAVE : 0);
	v->dr6 = 0xffff0ff0;
	v->dr7 = 0x400;
	v->xcr0 = X86_XCR0_X87 | X86_XCR0_SSE;
	v->gdtr = vm->tables->gdtr;	/* the passage GDT: 0x10 code, 0x18 data */
	v->exit_vector = ~0ULL;
}

int co_vm_create(struct co_vm **out, const struct co_host_caps *caps,
		 void *os_vm, const struct co_ram_chunk *ram, unsigned int nr)
{
	struct co_vm *vm;
	unsigned int i;
	__u64 phys;
	int err;

	err = check_caps(caps);
	if (!err)
		err = check_ram(ram, nr);
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
	if (err) {
		co_vm_destroy(vm);
		return err;
	}
	init_vcpu(vm);
	*out = vm;
	return 0;
}

void co_vm_destroy(struct co_vm *vm)
{
	if (!vm)
		return;
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
	for (i = 0; i < vm->nr_ram; i++)
		info->ram[i] = vm->ram[i];
}

static bool canonical(const struct co_vm *vm, __u64 va)
{
	return co_va_is_canonical(vm->caps.paging_levels, va);
}

/*
 * The boot registers.  cr3 must be a page of guest RAM: its passage slot is
 * filled in here, so the guest can reach the passage from its first
 * instruction.  Only before the first entry.
 */
int co_vm_set_regs(struct co_vm *vm, const struct co_regs *regs)
{
	struct co_passage_vcpu *v = vm->vcpu;
	const __u64 *gpr = &regs->rax;
	__u64 *top;
	unsigned int i;

	if (vm->started)
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
	vm->regs_set = true;
	return 0;
}

int co_vm_raise(struct co_vm *vm, unsigned int vector)
{
	if (vector < 32 || vector > 255)
		return -CO_EINVAL;
	__atomic_fetch_or(&vm->irr[vector / 64], 1ULL << (vector % 64),
			  __ATOMIC_SEQ_CST);
	return 0;
}

int co_vm_event_pending(struct co_vm *vm)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (__atomic_load_n(&vm->irr[i], __ATOMIC_SEQ_CST))
			return 1;
	return 0;
}

/* The OS layer's timer for CO_HC_SET_TIMER went off. */
void co_vm_timer_expired(struct co_vm *vm)
{
	unsigned int vector = __atomic_load_n(&vm->timer_vector, __ATOMIC_RELAXED);

	if (vector)
		co_vm_raise(vm, vector);
}

int co_vm_is_dead(const struct co_vm *vm)
{
	return vm->dead;
}
