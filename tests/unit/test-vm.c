// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the core's VM: the passage it builds, the boot registers,
 * virtual interrupt injection, the IDT snapshot, hypercall argument checks
 * and how exits are classified; with several vCPUs, their passages, how
 * one starts and interrupts another, and how the guest's end reaches all.
 * Guest RAM is 256 MiB of 128 MiB-aligned process memory; the fake OS's
 * "physical" addresses are virtual ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "../../host/core/errno.h"
#include "../../host/core/os.h"
#include "../../host/core/vm.h"
#include "../../host/core/x86.h"
#include "fake-os.h"

#define RAM_SIZE (256ULL << 20)

static unsigned char *ram;
static struct co_vm *vm;
static struct co_vcpu *vcpu;		/* vm's vCPU 0 */
static struct co_vcpu *vcpu1;		/* and its vCPU 1, after setup2 */
static struct co_run run;

/* What the fake OS layer gets back as vCPU i's os_vcpu. */
static int os_vcpu_token[CO_MAX_VCPUS + 1];
static void *os_vcpu[CO_MAX_VCPUS + 1];

static const struct co_host_caps caps = {
	.paging_levels = 4,
	.nr_msrs = 5,
	.msrs = { X86_MSR_EFER, X86_MSR_FS_BASE, X86_MSR_GS_BASE,
		  X86_MSR_KERNEL_GS_BASE, X86_MSR_PAT },
	.tsc_khz = 1000000,
	.xcr0 = 7,
	.pat = 0x0407050600070106ULL,
};

static struct co_ram_chunk chunk(void)
{
	return (struct co_ram_chunk){ (uint64_t)(uintptr_t)ram, RAM_SIZE };
}

/* A VM of nr vCPUs; vm and vcpu (its vCPU 0) are set. */
static int setup_vcpus(unsigned int nr)
{
	struct co_ram_chunk c;
	unsigned int i;
	int err;

	for (i = 0; i <= CO_MAX_VCPUS; i++)
		os_vcpu[i] = &os_vcpu_token[i];
	if (!ram) {
		/* 128 MiB-aligned, carved out of a bigger mapping. */
		uintptr_t p = (uintptr_t)mmap(NULL, RAM_SIZE + CO_RAM_CHUNK_ALIGN,
					      PROT_READ | PROT_WRITE,
					      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == (uintptr_t)MAP_FAILED)
			return -1;
		ram = (unsigned char *)((p + CO_RAM_CHUNK_ALIGN - 1) &
					~(CO_RAM_CHUNK_ALIGN - 1));
	}
	memset(fake_host_top, 0, sizeof(fake_host_top));
	fake_host_cr4 = X86_CR4_PAE | X86_CR4_PGE | X86_CR4_MCE | X86_CR4_OSXSAVE;
	memset(&run, 0, sizeof(run));
	fake_kicked_vcpu = NULL;
	fake_kicks = 0;
	fake_timer_vcpu = NULL;
	c = chunk();
	err = co_vm_create(&vm, &caps, NULL, os_vcpu, nr, &c, 1);
	if (err)
		return err;
	vcpu = co_vm_vcpu(vm, 0);
	return vcpu ? 0 : -1;
}

static int setup(void **state)
{
	(void)state;
	return setup_vcpus(1);
}

/* Two vCPUs: vcpu and vcpu1. */
static int setup2(void **state)
{
	int err;

	(void)state;
	err = setup_vcpus(2);
	if (err)
		return err;
	vcpu1 = co_vm_vcpu(vm, 1);
	return vcpu1 ? 0 : -1;
}

static int teardown(void **state)
{
	long live;

	(void)state;
	co_vm_destroy(vm);
	vm = NULL;
	vcpu = vcpu1 = NULL;
	/* A leak fails this test, not every one after it. */
	live = fake_os_pages_live;
	fake_os_pages_live = 0;
	fake_os_fail_after = -1;
	assert_int_equal(live, 0);
	return 0;
}

static uint64_t gpa(uint64_t offset)
{
	return (uint64_t)(uintptr_t)ram + offset;
}

/* A guest with a top-level table at RAM+0x1000 and a stack below 1 MiB. */
static void boot(void)
{
	struct co_regs regs = { 0 };

	memset(ram + 0x1000, 0, 4096);
	regs.cr3 = gpa(0x1000);
	regs.rip = 0xffffffff80001000ULL;
	regs.rsp = gpa(0x100000);
	assert_int_equal(co_vm_set_regs(vm, &regs), 0);
}

static void test_passage_layout(void **state)
{
	struct co_vm_info info;
	uint64_t va = 0xffff800000000000ULL;

	(void)state;
	co_vm_info(vm, &info);
	assert_int_equal(info.paging_levels, 4);
	assert_int_equal(info.passage_slot, 256);
	assert_int_equal(info.passage_va, va);
	assert_int_equal(info.hypercall_va, va + CO_PASSAGE_HYPERCALL);
	assert_true(info.passage_entry & CO_PTE_PRESENT);
	assert_int_equal(info.nr_ram_chunks, 1);
	assert_int_equal(info.ram[0].size, RAM_SIZE);
	assert_int_equal(info.flags, 0);
	assert_int_equal(info.reserved, 0);

	/* A host that judged its TSC unstable says so to the guest. */
	vm->caps.tsc_unstable = 1;
	co_vm_info(vm, &info);
	vm->caps.tsc_unstable = 0;
	assert_int_equal(info.flags, CO_VM_TSC_UNSTABLE);

	/* Code: executable, read-only, in both worlds. */
	for (uint64_t off = 0; off < CO_PASSAGE_BLOB_SIZE; off += 4096) {
		uint64_t t = co_pgtable_lookup(&vm->pt_transition, va + off);
		uint64_t g = co_pgtable_lookup(&vm->pt_guest, va + off);

		assert_true((t & CO_PTE_PRESENT) && !(t & (CO_PTE_WRITE | CO_PTE_NX)));
		assert_true((g & CO_PTE_PRESENT) && !(g & (CO_PTE_WRITE | CO_PTE_NX)));
	}
	/* The host's state: only T maps it. */
	assert_true(co_pgtable_lookup(&vm->pt_transition, va + CO_PASSAGE_HOST) & CO_PTE_WRITE);
	assert_int_equal(co_pgtable_lookup(&vm->pt_guest, va + CO_PASSAGE_HOST), 0);
	/* The tables the CPU runs on: the guest cannot write them. */
	assert_false(co_pgtable_lookup(&vm->pt_guest, va + CO_PASSAGE_TABLES) & CO_PTE_WRITE);
	assert_true(co_pgtable_lookup(&vm->pt_transition, va + CO_PASSAGE_TABLES) & CO_PTE_WRITE);
	assert_false(co_pgtable_lookup(&vm->pt_guest, va + CO_PASSAGE_GUEST_IDT) & CO_PTE_WRITE);
	/* Stacks: writable, never executable; guards unmapped. */
	assert_true(co_pgtable_lookup(&vm->pt_guest, va + CO_PASSAGE_STACK_NMI) & CO_PTE_NX);
	assert_int_equal(co_pgtable_lookup(&vm->pt_guest, va + 0x8000), 0);
	assert_int_equal(co_pgtable_lookup(&vm->pt_transition, va + 0xa000), 0);
	/* The blob was copied. */
	assert_memory_equal(vcpu->page[0], co_passage_blob, 4096);
}

static void test_slot_skips_occupied(void **state)
{
	struct co_ram_chunk c = chunk();
	struct co_vm *other;
	unsigned int i;

	(void)state;
	fake_host_top[256] = 0x1003;
	assert_int_equal(co_vm_create(&other, &caps, NULL, os_vcpu, 1, &c, 1), 0);
	assert_int_equal(other->slot, 257);
	co_vm_destroy(other);
	for (i = 256; i <= 271; i++)
		fake_host_top[i] = 0x1003;
	assert_int_equal(co_vm_create(&other, &caps, NULL, os_vcpu, 1, &c, 1), -CO_EADDRINUSE);
}

static uint64_t tss_read(const struct co_tss *tss, unsigned int off)
{
	return tss->word[off / 4] | (uint64_t)tss->word[off / 4 + 1] << 32;
}

static void test_gdt_and_tss(void **state)
{
	const struct co_passage_tables *t = vcpu->tables;
	uint64_t lo = t->gdt[CO_SEL_TSS / 8], hi = t->gdt[CO_SEL_TSS / 8 + 1];
	uint64_t base = ((lo >> 16) & 0xffffff) | ((lo >> 56) << 24) | hi << 32;

	(void)state;
	assert_int_equal(base, vm->va + CO_PASSAGE_TABLES + T_TSS);
	assert_int_equal(lo & 0xffff, TSS_SIZE - 1);
	assert_int_equal((lo >> 40) & 0xff, 0x89);
	assert_int_equal(t->gdt[CO_SEL_CS / 8], 0x00af9b000000ffffULL);
	assert_int_equal(tss_read(&t->tss, TSS_IST(CO_IST_DF)), vm->va + CO_PASSAGE_STACK_DF + 4096);
	assert_int_equal(tss_read(&t->tss, TSS_IST(CO_IST_NMI)), vm->va + CO_PASSAGE_STACK_NMI + 4096);
	assert_int_equal(tss_read(&t->tss, TSS_IST(CO_IST_MC)), vm->va + CO_PASSAGE_STACK_MC + 4096);
	assert_int_equal(tss_read(&t->tss, TSS_IST(CO_IST_EXIT)), vm->va + CO_PASSAGE_STACK_EXIT + 4096);
	assert_int_equal(t->gdtr.base, vm->va + CO_PASSAGE_TABLES);
	assert_int_equal(t->switch_idtr.limit, 4095);
}

static void decode(const uint64_t *idt, unsigned int v, uint64_t *handler,
		   unsigned int *ist, unsigned int *sel)
{
	uint64_t lo = idt[2 * v];

	*handler = (lo & 0xffff) | ((lo >> 48) & 0xffff) << 16 | idt[2 * v + 1] << 32;
	*ist = (lo >> 32) & 7;
	*sel = (lo >> 16) & 0xffff;
	assert_int_equal((lo >> 40) & 0xff, 0x8e);
}

static void test_idt_stubs(void **state)
{
	const uint64_t *idt = vcpu->page[CO_PASSAGE_SWITCH_IDT / 4096];
	static const unsigned int want[][2] = {
		{ 0, CO_IST_DF }, { 2, CO_IST_NMI }, { 8, CO_IST_DF },
		{ 14, CO_IST_DF }, { 18, CO_IST_MC }, { 32, CO_IST_EXIT },
		{ 0xec, CO_IST_EXIT }, { 255, CO_IST_EXIT },
	};
	unsigned int i, ist, sel;
	uint64_t h;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		decode(idt, want[i][0], &h, &ist, &sel);
		assert_int_equal(h, vm->va + CO_PASSAGE_STUBS + want[i][0] * CO_STUB_SIZE);
		assert_int_equal(ist, want[i][1]);
		assert_int_equal(sel, CO_SEL_CS);
	}
}

static void test_transition_table(void **state)
{
	(void)state;
	fake_host_top[300] = 0xabc003;
	fake_host_top[511] = 0xdef003;
	fake_host_top[5] = 0x123007;
	assert_int_equal(co_passage_refresh_transition(vcpu), 0);
	assert_int_equal(vcpu->transition[300], 0xabc003);
	assert_int_equal(vcpu->transition[511], 0xdef003);
	assert_int_equal(vcpu->transition[5], 0);		/* the user half stays empty */
	assert_int_equal(vcpu->transition[256], vm->pt_transition.root[256]);
	fake_host_top[300] = 0xabd003;	/* a kernel-half change shows at once */
	fake_host_top[400] = 0x777003;
	assert_int_equal(co_passage_refresh_transition(vcpu), 0);
	assert_int_equal(vcpu->transition[300], 0xabd003);
	assert_int_equal(vcpu->transition[400], 0x777003);
	fake_host_top[400] = 0;
	assert_int_equal(co_passage_refresh_transition(vcpu), 0);
	assert_int_equal(vcpu->transition[400], 0);
	assert_int_equal(vcpu->transition[256], vm->pt_transition.root[256]);
	assert_int_equal(vcpu->transition_phys & 0x1fff, 0);	/* PTI: bit 12 clear */
	fake_host_top[256] = 0x5003;	/* the host took our slot meanwhile */
	assert_int_equal(co_passage_refresh_transition(vcpu), -CO_EADDRINUSE);
}

static void test_boot_registers(void **state)
{
	struct co_regs regs = { 0 };
	struct co_entry entry;
	uint64_t *top = (uint64_t *)(ram + 0x1000);

	(void)state;
	regs.cr3 = gpa(0x1001);
	assert_int_equal(co_vm_set_regs(vm, &regs), -CO_EINVAL);
	regs.cr3 = 0x1000;
	assert_int_equal(co_vm_set_regs(vm, &regs), -CO_EFAULT);
	regs.cr3 = gpa(0x1000);
	regs.rip = 0x0000800000000000ULL;
	assert_int_equal(co_vm_set_regs(vm, &regs), -CO_EINVAL);
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), -CO_EINVAL);	/* no regs */
	assert_false(co_vcpu_may_enter(vcpu));
	boot();
	assert_true(co_vcpu_may_enter(vcpu));
	assert_int_equal(top[256], co_passage_guest_entry(vm));
	assert_int_equal(vcpu->state->cs, 0x10);
	assert_false(vcpu->state->rflags & X86_RFLAGS_IF);

	top[256] = 0;	/* a stray write: put back before the entry */
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(top[256], co_passage_guest_entry(vm));
	assert_int_equal(entry.enter_va, vm->va + CO_PASSAGE_ENTER);
	assert_int_equal(entry.transition_cr3, vcpu->transition_phys);
	/* The host's MCE comes in, the guest's PCIDE goes out. */
	assert_true(vcpu->state->cr4 & X86_CR4_MCE);
	assert_int_equal(co_vm_set_regs(vm, &regs), -CO_EBUSY);
}

/* A guest IDT in RAM at +0x2000 with a gate for one vector. */
static void guest_gate(unsigned int v, uint64_t handler, unsigned int ist,
		       unsigned int type)
{
	uint64_t *idt = (uint64_t *)(ram + 0x2000);

	idt[2 * v] = (handler & 0xffff) | 0x10ULL << 16 | (uint64_t)ist << 32 |
		     (0x80ULL | type) << 40 | ((handler >> 16) & 0xffff) << 48;
	idt[2 * v + 1] = handler >> 32;
}

/* vCPU v exits with hypercall nr (arguments rdi, rsi, rdx, rcx). */
static long hypercall_on(struct co_vcpu *v, uint64_t nr, uint64_t a0,
			 uint64_t a1, uint64_t a2, uint64_t a3, int *act)
{
	struct co_passage_vcpu *c = v->state;

	c->gpr[0] = nr;
	c->gpr[5] = a0;
	c->gpr[4] = a1;
	c->gpr[3] = a2;
	c->gpr[2] = a3;
	c->exit_kind = CO_XK_GUEST;
	c->exit_vector = CO_VEC_HYPERCALL;
	*act = co_vcpu_handle(v, &run);
	return (long)c->gpr[0];
}

static long hypercall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2,
		      int *act)
{
	return hypercall_on(vcpu, nr, a0, a1, a2, vcpu->state->gpr[2], act);
}

static void test_set_idt(void **state)
{
	const uint64_t *hw = vcpu->page[CO_PASSAGE_GUEST_IDT / 4096];
	unsigned int ist, sel;
	uint64_t h;
	int act;

	(void)state;
	boot();
	memset(ram + 0x2000, 0, 4096);
	guest_gate(14, 0xffffffff81000e00ULL, 0, 0xe);
	guest_gate(2, 0xffffffff81000200ULL, 2, 0xe);	/* ignored: the passage's */
	guest_gate(3, 0xffffffff81000300ULL, 2, 0xf);	/* IST 2 is not the guest's */
	assert_int_equal(hypercall(CO_HC_SET_IDT, gpa(0x2000), 4095, 0, &act), -CO_EINVAL);
	decode(hw, 14, &h, &ist, &sel);
	assert_int_equal(h, co_passage_stub(vcpu, 14));	/* nothing changed */

	guest_gate(3, 0xffffffff81000300ULL, 3, 0xf);
	assert_int_equal(hypercall(CO_HC_SET_IDT, gpa(0x2000), 4095, 0, &act), 0);
	assert_int_equal(act, CO_ACT_CONTINUE);
	decode(hw, 14, &h, &ist, &sel);
	assert_int_equal(h, 0xffffffff81000e00ULL);	/* straight to the guest */
	decode(hw, 2, &h, &ist, &sel);
	assert_int_equal(h, co_passage_stub(vcpu, 2));	/* NMI stays ours */
	assert_int_equal(ist, CO_IST_NMI);
	assert_int_equal(hypercall(CO_HC_SET_IDT, gpa(0x2000), 4096, 0, &act), -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_SET_IDT, 0x1000, 4095, 0, &act), -CO_EINVAL);
}

/* The guest's int $0x80 gate is its own only if the host never raises 0x80. */
static void test_syscall_vector(void **state)
{
	const uint64_t *hw = vcpu->page[CO_PASSAGE_GUEST_IDT / 4096];
	unsigned int ist, sel;
	uint64_t h;
	int act;

	(void)state;
	boot();
	memset(ram + 0x2000, 0, 4096);
	guest_gate(CO_GUEST_SYSCALL_VECTOR, 0xffffffff81008000ULL, 0, 0xe);
	guest_gate(0x81, 0xffffffff81008100ULL, 0, 0xe);
	fake_never_raises = 0;
	assert_int_equal(hypercall(CO_HC_SET_IDT, gpa(0x2000), 4095, 0, &act), 0);
	decode(hw, 0x80, &h, &ist, &sel);
	assert_int_equal(h, co_passage_stub(vcpu, 0x80));
	fake_never_raises = 1;
	assert_int_equal(hypercall(CO_HC_SET_IDT, gpa(0x2000), 4095, 0, &act), 0);
	decode(hw, 0x80, &h, &ist, &sel);
	assert_int_equal(h, 0xffffffff81008000ULL);
	decode(hw, 0x81, &h, &ist, &sel);
	assert_int_equal(h, co_passage_stub(vcpu, 0x81));	/* a host vector */
	memset(ram + 0x2000 + 0x80 * 16, 0, 16);	/* no gate: the stub again */
	assert_int_equal(hypercall(CO_HC_SET_IDT, gpa(0x2000), 4095, 0, &act), 0);
	decode(hw, 0x80, &h, &ist, &sel);
	assert_int_equal(h, co_passage_stub(vcpu, 0x80));
}

static void test_injection(void **state)
{
	struct co_passage_vcpu *c = vcpu->state;
	struct co_entry entry;
	uint64_t rsp = gpa(0x100008);
	int act;

	(void)state;
	boot();
	memset(ram + 0x2000, 0, 4096);
	guest_gate(0x40, 0xffffffff81004000ULL, 0, 0xe);
	assert_int_equal(hypercall(CO_HC_SET_IDT, gpa(0x2000), 4095, 0, &act), 0);
	c->gpr[7] = rsp;
	c->rip = 0xffffffff80001234ULL;
	c->rflags = X86_RFLAGS_FIXED;		/* interrupts off: wait */
	assert_int_equal(co_vm_raise(vm, 0, 0x40), 0);
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(c->inject, 0);
	assert_true(entry.kick);

	c->rflags = X86_RFLAGS_FIXED | X86_RFLAGS_IF;
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(c->inject, 1);
	assert_int_equal(c->inject_rsp, (rsp & ~15ULL) - 40);
	assert_int_equal(c->inject_frame[0], 0xffffffff80001234ULL);
	assert_int_equal(c->inject_frame[1], 0x10);
	assert_int_equal(c->inject_frame[2], X86_RFLAGS_FIXED | X86_RFLAGS_IF);
	assert_int_equal(c->inject_frame[3], rsp);
	assert_int_equal(c->rip, 0xffffffff81004000ULL);
	assert_int_equal(c->gpr[7], (rsp & ~15ULL) - 40);
	assert_false(c->rflags & X86_RFLAGS_IF);
	assert_false(entry.kick);
	assert_false(co_vcpu_event_pending(vcpu));
	assert_int_equal(co_vm_raise(vm, 0, 31), -CO_EINVAL);
	assert_int_equal(co_vm_raise(vm, 0, 256), -CO_EINVAL);
}

static void test_injection_without_gate_kills(void **state)
{
	struct co_entry entry;

	(void)state;
	boot();
	vcpu->state->rflags |= X86_RFLAGS_IF;
	co_vm_raise(vm, 0, 0x41);
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), -CO_EIO);
	assert_int_equal(co_vcpu_report(vcpu, &run), CO_ACT_TO_USER);
	assert_int_equal(run.exit_reason, CO_EXIT_FAULT);
	assert_non_null(strstr(run.u.fault.reason, "virtual interrupt 65 has no gate"));
}

static void test_hypercall_arguments(void **state)
{
	int act;

	(void)state;
	boot();
	/* A daemon call goes out as the guest made it ... */
	vcpu->state->gpr[2] = 0xa1;
	assert_int_equal(hypercall(CO_HC_DAEMON_CALL, 7, ~0ULL, gpa(0x3000), &act), -CO_EIO);
	assert_int_equal(act, CO_ACT_TO_USER);
	assert_int_equal(run.exit_reason, CO_EXIT_DAEMON_CALL);
	assert_int_equal(run.u.call.device, 7);
	assert_int_equal(run.u.call.op, ~0ULL);
	assert_int_equal(run.u.call.arg[0], gpa(0x3000));
	assert_int_equal(run.u.call.arg[1], 0xa1);
	/* ... and the daemon's result comes back on the next RUN, once. */
	run.u.call.result = -19;
	co_vcpu_resume(vcpu, &run);
	assert_int_equal((long)vcpu->state->gpr[0], -19);
	vcpu->state->gpr[0] = 5;
	co_vcpu_resume(vcpu, &run);
	assert_int_equal(vcpu->state->gpr[0], 5);
	assert_int_equal(hypercall(99, 0, 0, 0, &act), -CO_ENOSYS);
	assert_int_equal(act, CO_ACT_CONTINUE);
	assert_int_equal(hypercall(CO_HC_SET_TIMER, 5000, 31, 0, &act), -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_SET_TIMER, 5000, 0x40, 0, &act), 0);
	assert_int_equal(fake_timer_deadline, 5000);
	assert_int_equal(hypercall(CO_HC_WALLCLOCK, 0, 0, 0, &act), 1234567890);
	/* A notification reaches the OS layer only in range, and never exits. */
	fake_notify_result = 0;
	assert_int_equal(hypercall(CO_HC_NOTIFY, CO_MAX_DEVICES - 1,
				   CO_NOTIFY_QUEUES - 1, 0, &act), 0);
	assert_int_equal(act, CO_ACT_CONTINUE);
	assert_int_equal(fake_notify_device, CO_MAX_DEVICES - 1);
	assert_int_equal(fake_notify_queue, CO_NOTIFY_QUEUES - 1);
	assert_int_equal(vcpu->stats.notifies, 1);
	fake_notify_device = ~0U;
	assert_int_equal(hypercall(CO_HC_NOTIFY, CO_MAX_DEVICES, 0, 0, &act), -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_NOTIFY, 0, CO_NOTIFY_QUEUES, 0, &act), -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_NOTIFY, 1ULL << 32, 0, 0, &act), -CO_EINVAL);
	assert_int_equal(fake_notify_device, ~0U);
	fake_notify_result = -CO_ENOENT;
	assert_int_equal(hypercall(CO_HC_NOTIFY, 3, 1, 0, &act), -CO_ENOENT);
	assert_int_equal(act, CO_ACT_CONTINUE);
	assert_int_equal(vcpu->stats.notifies, 1);
	assert_int_equal(hypercall(CO_HC_POWEROFF, 3, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_TO_USER);
	assert_int_equal(run.exit_reason, CO_EXIT_POWEROFF);
	assert_int_equal(run.u.poweroff.status, 3);
	assert_true(co_vm_is_dead(vm));
}

static void test_exit_classification(void **state)
{
	struct co_passage_vcpu *c = vcpu->state;
	struct co_entry entry;
	struct co_replay r;

	(void)state;
	boot();
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	fake_vector_state = CO_HOST_VECTOR_IN_SERVICE;
	c->exit_kind = CO_XK_GUEST;
	c->exit_vector = 0xec;
	c->pending = vcpu->entry_tag | CO_PENDING_NMI;
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(r.irq_vector, 0xec);
	assert_int_equal(r.nmi, 1);
	assert_int_equal(co_vcpu_handle(vcpu, &run), CO_ACT_CONTINUE);

	c->exit_vector = 2;
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(r.irq_vector, -1);
	assert_int_equal(r.nmi, 2);	/* the latched one and the exit's own */

	c->pending = 0;
	c->exit_vector = 14;
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(co_vcpu_handle(vcpu, &run), CO_ACT_TO_USER);
	assert_int_equal(run.exit_reason, CO_EXIT_FAULT);
	assert_non_null(strstr(run.u.fault.reason, "#PF page fault in the guest"));
}

/* What the guest leaves in vcpu.pending is not believed. */
static void test_pending_needs_the_entry_tag(void **state)
{
	struct co_passage_vcpu *c = vcpu->state;
	struct co_entry entry;
	struct co_replay r;
	uint64_t old_tag;

	(void)state;
	boot();
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(vcpu->tables->entry_tag, vcpu->entry_tag);
	assert_int_equal(c->pending, 0);
	old_tag = vcpu->entry_tag;
	c->exit_kind = CO_XK_GUEST;
	c->exit_vector = CO_VEC_HYPERCALL;
	c->pending = CO_PENDING_NMI | CO_PENDING_MC;	/* a guest store */
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(r.nmi, 0);
	assert_int_equal(r.mc, 0);
	c->pending = ~0ULL;
	c->faults = 99;					/* and another */
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(r.nmi, 0);
	assert_int_equal(vcpu->passage_faults, 0);

	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_not_equal(vcpu->entry_tag, old_tag);	/* new for each entry */
	c->pending = old_tag | CO_PENDING_NMI;		/* last entry's */
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(r.nmi, 0);
	c->pending = vcpu->entry_tag | CO_PENDING_MC;	/* latched now */
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(r.mc, 1);
	assert_int_equal(r.nmi, 0);
}

/* The exit's MSR list is in the tables page, rebuilt for every entry. */
static void test_msr_list_outside_the_vcpu_page(void **state)
{
	struct co_passage_tables *t = vcpu->tables;
	struct co_entry entry;
	unsigned int i;

	(void)state;
	boot();
	assert_false(co_pgtable_lookup(&vm->pt_guest, vm->va + CO_PASSAGE_TABLES) &
		     CO_PTE_WRITE);
	t->msr_count = 0;
	t->msr_index[1] = 0x1234;
	t->fixup_count = 0;
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(t->msr_count, caps.nr_msrs);
	for (i = 0; i < caps.nr_msrs; i++)
		assert_int_equal(t->msr_index[i], caps.msrs[i]);
	assert_int_equal(t->fixup_count, co_passage_fixups_end - co_passage_fixups);
}

/*
 * Only MSRs whose host values are no secret may be left unwritten when
 * they match (a guest can time that): EFER and PAT here, never a base.
 */
static void test_msr_skippable_only_non_secret(void **state)
{
	struct co_passage_tables *t = vcpu->tables;
	struct co_entry entry;

	(void)state;
	boot();
	t->msr_skippable = ~0ULL;
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(t->msr_skippable, (1ULL << 0) | (1ULL << 4));
}

/* make bench's variants: an unknown part or a huge count cannot pass. */
static void test_bench_variant_bounded(void **state)
{
	struct co_passage_tables *t = vcpu->tables;
	struct co_entry entry;

	(void)state;
	boot();
	fake_bench_part = CO_BENCH_PARTS + 3;
	fake_bench_repeat = 5;
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(t->bench_part, CO_BENCH_NONE);
	fake_bench_part = CO_BENCH_MSR;
	fake_bench_repeat = 1U << 30;
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(t->bench_part, CO_BENCH_MSR);
	assert_int_equal(t->bench_repeat, CO_BENCH_REPEAT_MAX);
	fake_bench_part = 0;
	fake_bench_repeat = 0;
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(t->bench_part, CO_BENCH_NONE);
}

/* Every fixup names an instruction of the switch code and the next one. */
static void test_fixups(void **state)
{
	long n = co_passage_fixups_end - co_passage_fixups, i;

	(void)state;
	assert_true(n >= 20);
	assert_true(n <= CO_MAX_FIXUPS);
	for (i = 0; i < n; i++) {
		const struct co_fixup *f = &co_passage_fixups[i];

		assert_true(f->insn < CO_PASSAGE_BLOB_SIZE);
		assert_true(f->next > f->insn && f->next - f->insn <= 15);
	}
}

/* The next exit to the daemon reports the guest stopped, for this reason. */
static void expect_stopped(const char *why)
{
	assert_int_equal(co_vcpu_handle(vcpu, &run), CO_ACT_TO_USER);
	assert_int_equal(run.exit_reason, CO_EXIT_FAULT);
	assert_non_null(strstr(run.u.fault.reason, why));
}

/*
 * Guest VA 0x40000000.. -> RAM+0x200000 through a 2 MiB page of the boot
 * tables, with "int $2" at 0x40000100.
 */
static void map_int2(void)
{
	uint64_t *top = (uint64_t *)(ram + 0x1000);
	uint64_t *l3 = (uint64_t *)(ram + 0x3000);
	uint64_t *l2 = (uint64_t *)(ram + 0x4000);

	memset(l3, 0, 4096);
	memset(l2, 0, 4096);
	top[0] = gpa(0x3000) | 3;
	l3[1] = gpa(0x4000) | 3;
	l2[0] = gpa(0x200000) | 0x83;
	ram[0x200100] = 0xcd;
	ram[0x200101] = 0x02;
}

/* A guest "int $n" on a host vector stops the guest; real events replay. */
static void test_software_interrupts(void **state)
{
	struct co_passage_vcpu *c = vcpu->state;
	struct co_entry entry;
	struct co_replay r;

	(void)state;
	boot();
	map_int2();
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	c->exit_kind = CO_XK_GUEST;

	c->exit_vector = 2;
	c->rip = 0x40000200;			/* not after an int: a real NMI */
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(r.nmi, 1);
	assert_false(co_vm_is_dead(vm));

	fake_vector_state = CO_HOST_VECTOR_IN_SERVICE;
	c->exit_vector = 0xf8;
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(r.irq_vector, 0xf8);

	fake_vector_state = CO_HOST_VECTOR_SPURIOUS;
	c->exit_vector = 0xff;
	co_vcpu_exited(vcpu, &r);			/* spurious: nothing, no kill */
	assert_int_equal(r.irq_vector, -1);
	assert_false(co_vm_is_dead(vm));

	fake_mcip = 0;
	c->exit_vector = 18;
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(r.mc, 0);
	assert_true(co_vm_is_dead(vm));
	expect_stopped("int $0x12");
}

static void test_software_nmi_and_irq(void **state)
{
	struct co_passage_vcpu *c = vcpu->state;
	struct co_entry entry;
	struct co_replay r;

	(void)state;
	boot();
	map_int2();
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	c->exit_kind = CO_XK_GUEST;
	c->exit_vector = 2;
	c->rip = 0x40000102;			/* right after "int $2" */
	c->cs = 0x33;				/* user mode cannot reach the gate */
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(r.nmi, 1);
	assert_false(co_vm_is_dead(vm));
	c->cs = 0x10;
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(r.nmi, 0);
	assert_true(co_vm_is_dead(vm));
	expect_stopped("int $0x2");
}

static void test_software_irq_not_in_service(void **state)
{
	struct co_passage_vcpu *c = vcpu->state;
	struct co_entry entry;
	struct co_replay r;

	(void)state;
	boot();
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	fake_vector_state = CO_HOST_VECTOR_NONE;
	c->exit_kind = CO_XK_GUEST;
	c->exit_vector = 0x80;
	co_vcpu_exited(vcpu, &r);
	assert_int_equal(r.irq_vector, -1);
	expect_stopped("int $0x80");
	fake_vector_state = CO_HOST_VECTOR_IN_SERVICE;
}

static void test_breakpoints_on_the_passage(void **state)
{
	__u64 dr[4] = { 0xffffffff81000000ULL, 0, 0, 0 };

	(void)state;
	boot();
	vcpu->state->dr7 = 0x400 | 1 | 3ULL << 18;	/* DR0, 4 bytes */
	co_vcpu_check_breakpoints(vcpu, dr);
	assert_false(co_vm_is_dead(vm));
	dr[2] = vm->va + CO_PASSAGE_STACK_DF + 0xff8;
	co_vcpu_check_breakpoints(vcpu, dr);	/* DR2 not enabled */
	assert_false(co_vm_is_dead(vm));
	vcpu->state->dr7 |= 2ULL << 4;		/* G2 */
	co_vcpu_check_breakpoints(vcpu, dr);
	assert_true(co_vm_is_dead(vm));
	expect_stopped("breakpoint on the passage (DR2");
}

static void test_host_refusals(void **state)
{
	struct co_host_facts ok = { .xsave = 1, .nx = 1, .tsc_khz = 2000000 };
	struct co_host_facts f;

	(void)state;
	assert_null(co_host_refusal(&ok));
	f = ok;
	f.kernel_ibt = 1;
	assert_non_null(strstr(co_host_refusal(&f), "CET IBT"));
	f = ok;
	f.memory_encrypted = 1;
	assert_non_null(strstr(co_host_refusal(&f), "encrypted"));
	f = ok;
	f.xsave = 0;
	assert_non_null(strstr(co_host_refusal(&f), "XSAVE"));
	f = ok;
	f.nx = 0;
	assert_non_null(strstr(co_host_refusal(&f), "NX"));
	f = ok;
	f.tsc_khz = 0;
	assert_non_null(strstr(co_host_refusal(&f), "TSC"));
	f = ok;
	f.xen_pv = 1;
	assert_non_null(strstr(co_host_refusal(&f), "Xen"));
}

static void test_passage_fault_report(void **state)
{
	struct co_passage_vcpu *c = vcpu->state;

	(void)state;
	boot();
	c->exit_kind = CO_XK_PASSAGE_FAULT;
	c->exit_vector = 13;
	c->fault_rip = vm->va + 0x1a2;
	assert_int_equal(co_vcpu_handle(vcpu, &run), CO_ACT_TO_USER);
	assert_non_null(strstr(run.u.fault.reason,
				"the CPU refused the switch: #GP general protection at passage+0x1a2"));
}

/* ---------------------------------------------------------------------- */
/* Several vCPUs: setup2 makes vcpu (0) and vcpu1. */

static uint64_t tss_base(const struct co_passage_tables *t)
{
	uint64_t lo = t->gdt[CO_SEL_TSS / 8], hi = t->gdt[CO_SEL_TSS / 8 + 1];

	return ((lo >> 16) & 0xffffff) | ((lo >> 56) << 24) | hi << 32;
}

/* Each vCPU has a passage of its own, one stride apart, in the one slot. */
static void test_two_passages(void **state)
{
	const struct co_vcpu *v[2] = { vcpu, vcpu1 };
	struct co_vm_info info;
	unsigned int i, n, ist, sel;
	uint64_t h;

	(void)state;
	co_vm_info(vm, &info);
	assert_int_equal(info.nr_vcpus, 2);
	assert_int_equal(info.passage_va, vm->va);
	assert_int_equal(info.hypercall_va, vm->va + CO_PASSAGE_HYPERCALL);
	assert_ptr_equal(co_vm_vcpu(vm, 0), vcpu);
	assert_ptr_equal(co_vm_vcpu(vm, 1), vcpu1);
	assert_null(co_vm_vcpu(vm, 2));
	assert_null(co_vm_vcpu(vm, ~0U));
	assert_int_equal(vcpu->va, vm->va);
	assert_int_equal(vcpu1->va, vm->va + CO_VCPU_PASSAGE_STRIDE);
	assert_int_equal(vcpu1->index, 1);
	assert_ptr_equal(vcpu1->vm, vm);
	assert_ptr_equal(vcpu->os, os_vcpu[0]);
	assert_ptr_equal(vcpu1->os, os_vcpu[1]);
	assert_ptr_not_equal(vcpu1->transition, vcpu->transition);

	for (i = 0; i < 2; i++) {
		const struct co_passage_tables *t = v[i]->tables;
		const uint64_t *sw = v[i]->page[CO_PASSAGE_SWITCH_IDT / 4096];
		const uint64_t *gi = v[i]->page[CO_PASSAGE_GUEST_IDT / 4096];
		uint64_t va = v[i]->va;

		/* GDT, TSS and IDTs are its own, at its own address. */
		assert_int_equal(t->gdtr.base, va + CO_PASSAGE_TABLES + T_GDT);
		assert_int_equal(tss_base(t), va + CO_PASSAGE_TABLES + T_TSS);
		assert_int_equal(t->switch_idtr.base, va + CO_PASSAGE_SWITCH_IDT);
		assert_int_equal(t->guest_idtr.base, va + CO_PASSAGE_GUEST_IDT);
		assert_int_equal(t->transition_cr3, v[i]->transition_phys);
		assert_int_equal(tss_read(&t->tss, TSS_IST(CO_IST_DF)),
				 va + CO_PASSAGE_STACK_DF + 4096);
		assert_int_equal(tss_read(&t->tss, TSS_IST(CO_IST_NMI)),
				 va + CO_PASSAGE_STACK_NMI + 4096);
		assert_int_equal(tss_read(&t->tss, TSS_IST(CO_IST_MC)),
				 va + CO_PASSAGE_STACK_MC + 4096);
		assert_int_equal(tss_read(&t->tss, TSS_IST(CO_IST_EXIT)),
				 va + CO_PASSAGE_STACK_EXIT + 4096);
		decode(sw, 0xec, &h, &ist, &sel);
		assert_int_equal(h, va + CO_PASSAGE_STUBS + 0xec * CO_STUB_SIZE);
		decode(gi, 14, &h, &ist, &sel);
		assert_int_equal(h, va + CO_PASSAGE_STUBS + 14 * CO_STUB_SIZE);
		assert_int_equal(co_passage_stub(v[i], 0x40),
				 va + CO_PASSAGE_STUBS + 0x40 * CO_STUB_SIZE);
		/* Its boot GDT is its own passage's. */
		assert_int_equal(v[i]->state->gdtr.base, t->gdtr.base);
		assert_int_equal(v[i]->state->exit_vector, ~0ULL);
		assert_memory_equal(v[i]->page[0], co_passage_blob, 4096);

		/* Both in the VM's two subtrees, each page at its own frame. */
		for (n = 0; n < CO_PASSAGE_PAGES; n++) {
			uint64_t tpte = co_pgtable_lookup(&vm->pt_transition, va + n * 4096);
			uint64_t gpte = co_pgtable_lookup(&vm->pt_guest, va + n * 4096);

			if (!v[i]->page[n]) {
				assert_int_equal(tpte, 0);
				assert_int_equal(gpte, 0);
				continue;
			}
			assert_int_equal(tpte & CO_PTE_ADDR_MASK, v[i]->page_phys[n]);
			if (n == CO_PASSAGE_HOST / 4096)
				assert_int_equal(gpte, 0);
			else
				assert_int_equal(gpte & CO_PTE_ADDR_MASK, v[i]->page_phys[n]);
		}
	}
	assert_int_not_equal(vcpu1->page_phys[CO_PASSAGE_VCPU / 4096],
			     vcpu->page_phys[CO_PASSAGE_VCPU / 4096]);
	/* Nothing between the end of one passage and the next. */
	assert_int_equal(co_pgtable_lookup(&vm->pt_guest, vm->va + CO_PASSAGE_SIZE), 0);
	assert_int_equal(co_pgtable_lookup(&vm->pt_guest,
					   vm->va + CO_VCPU_PASSAGE_STRIDE - 4096), 0);
	assert_int_equal(co_pgtable_lookup(&vm->pt_guest,
					   vm->va + 2 * CO_VCPU_PASSAGE_STRIDE), 0);

	/* Each T has the one slot, with both passages. */
	assert_int_equal(co_passage_refresh_transition(vcpu), 0);
	assert_int_equal(co_passage_refresh_transition(vcpu1), 0);
	assert_int_equal(vcpu->transition[256], vm->pt_transition.root[256]);
	assert_int_equal(vcpu1->transition[256], vm->pt_transition.root[256]);
}

/*
 * Create a VM of nr vCPUs with the allocation after the first i, for every
 * i, failing: each must free what it had.  Returns how many allocations a
 * whole VM takes.
 */
static long create_failing(unsigned int nr)
{
	struct co_ram_chunk c = chunk();
	long live = fake_os_pages_live;
	struct co_vm *other;
	long i;
	int err;

	for (i = 0; ; i++) {
		fake_os_fail_after = i;
		err = co_vm_create(&other, &caps, NULL, os_vcpu, nr, &c, 1);
		fake_os_fail_after = -1;
		if (!err)
			break;
		assert_int_equal(err, -CO_ENOMEM);
		assert_int_equal(fake_os_pages_live, live);
		assert_true(i < 1000);
	}
	assert_int_equal(other->nr_vcpus, nr);
	co_vm_destroy(other);
	assert_int_equal(fake_os_pages_live, live);
	return i;
}

static void test_create_vcpu_count(void **state)
{
	struct co_ram_chunk c = chunk();
	struct co_vm *other = NULL;
	long live = fake_os_pages_live;
	long one, two;

	(void)state;
	assert_int_equal(co_vm_create(&other, &caps, NULL, os_vcpu, 0, &c, 1), -CO_EINVAL);
	assert_int_equal(co_vm_create(&other, &caps, NULL, os_vcpu, CO_MAX_VCPUS + 1, &c, 1),
			 -CO_EINVAL);
	assert_int_equal(co_vm_create(&other, &caps, NULL, os_vcpu, ~0U, &c, 1), -CO_EINVAL);
	assert_null(other);
	assert_int_equal(fake_os_pages_live, live);

	/* Each vCPU more takes more allocations, each of which may fail. */
	one = create_failing(1);
	two = create_failing(2);
	assert_true(two > one);
	assert_true(create_failing(3) > two);

	assert_int_equal(co_vm_create(&other, &caps, NULL, os_vcpu, CO_MAX_VCPUS, &c, 1), 0);
	assert_int_equal(other->nr_vcpus, CO_MAX_VCPUS);
	assert_int_equal(co_vm_vcpu(other, CO_MAX_VCPUS - 1)->va,
			 other->va + (CO_MAX_VCPUS - 1) * CO_VCPU_PASSAGE_STRIDE);
	assert_ptr_equal(co_vm_vcpu(other, CO_MAX_VCPUS - 1)->os, os_vcpu[CO_MAX_VCPUS - 1]);
	assert_null(co_vm_vcpu(other, CO_MAX_VCPUS));
	co_vm_destroy(other);
	assert_int_equal(fake_os_pages_live, live);
}

/* TSC_AUX, when switched, starts as the vCPU's index (rdtscp, rdpid). */
static void test_tsc_aux_is_the_index(void **state)
{
	struct co_host_caps aux = caps;
	struct co_ram_chunk c = chunk();
	struct co_vm *other;
	int act;

	(void)state;
	aux.msrs[aux.nr_msrs++] = X86_MSR_TSC_AUX;
	assert_int_equal(co_vm_create(&other, &aux, NULL, os_vcpu, 3, &c, 1), 0);
	assert_int_equal(co_vm_vcpu(other, 0)->state->msr_value[5], 0);
	assert_int_equal(co_vm_vcpu(other, 1)->state->msr_value[5], 1);
	assert_int_equal(co_vm_vcpu(other, 2)->state->msr_value[5], 2);
	assert_int_equal(co_vm_vcpu(other, 2)->state->msr_value[4], caps.pat);
	/* Started, it is still its own. */
	co_vm_vcpu(other, 2)->state->msr_value[5] = 77;
	assert_int_equal(hypercall_on(co_vm_vcpu(other, 0), CO_HC_VCPU_UP, 2,
				      0xffffffff81000000ULL, 0xffffffff81100000ULL, 0,
				      &act), 0);
	assert_int_equal(co_vm_vcpu(other, 2)->state->msr_value[5], 2);
	co_vm_destroy(other);
}

/* Start vCPU 1 from vCPU 0. */
static long vcpu_up(uint64_t index, uint64_t rip, uint64_t rsp, uint64_t arg)
{
	int act;
	long ret = hypercall_on(vcpu, CO_HC_VCPU_UP, index, rip, rsp, arg, &act);

	assert_int_equal(act, CO_ACT_CONTINUE);
	return ret;
}

#define AP_RIP 0xffffffff81234560ULL
#define AP_RSP 0xffffffff8123f000ULL

static void test_vcpu_up_refusals(void **state)
{
	struct co_entry entry;
	int act;

	(void)state;
	boot();
	assert_false(co_vcpu_may_enter(vcpu1));
	assert_int_equal(co_vcpu_prepare(vcpu1, 0, &entry), -CO_EINVAL);
	assert_int_equal(vcpu_up(2, AP_RIP, AP_RSP, 0), -CO_EINVAL);
	assert_int_equal(vcpu_up(1ULL << 32 | 1, AP_RIP, AP_RSP, 0), -CO_EINVAL);
	assert_int_equal(vcpu_up(~0ULL, AP_RIP, AP_RSP, 0), -CO_EINVAL);
	assert_int_equal(vcpu_up(0, AP_RIP, AP_RSP, 0), -CO_EINVAL);	/* itself */
	assert_int_equal(vcpu_up(1, 0x0000800000000000ULL, AP_RSP, 0), -CO_EINVAL);
	assert_int_equal(vcpu_up(1, AP_RIP, 0xfff0000000000000ULL, 0), -CO_EINVAL);
	assert_false(co_vcpu_may_enter(vcpu1));
	assert_int_equal(fake_kicks, 0);
	assert_int_equal(vcpu1->state->rip, 0);

	assert_int_equal(vcpu_up(1, AP_RIP, AP_RSP, 0), 0);
	assert_int_equal(fake_kicks, 1);
	vcpu1->state->rip = 0x1111;
	assert_int_equal(vcpu_up(1, AP_RIP + 16, AP_RSP, 0), -CO_EBUSY);
	assert_int_equal(vcpu1->state->rip, 0x1111);	/* left alone */
	assert_int_equal(fake_kicks, 1);
	/* vCPU 1 cannot start vCPU 0 again, nor itself. */
	assert_int_equal(hypercall_on(vcpu1, CO_HC_VCPU_UP, 0, AP_RIP, AP_RSP, 0, &act),
			 -CO_EBUSY);
	assert_int_equal(hypercall_on(vcpu1, CO_HC_VCPU_UP, 1, AP_RIP, AP_RSP, 0, &act),
			 -CO_EINVAL);
	assert_int_equal(fake_kicks, 1);
	assert_false(co_vm_is_dead(vm));
}

static void test_vcpu_up_starts(void **state)
{
	const uint64_t *idt0 = vcpu->page[CO_PASSAGE_GUEST_IDT / 4096];
	const uint64_t *idt1 = vcpu1->page[CO_PASSAGE_GUEST_IDT / 4096];
	struct co_passage_vcpu *s = vcpu1->state;
	uint64_t *top = (uint64_t *)(ram + 0x5000);
	struct co_entry entry;
	unsigned int ist, sel;
	uint64_t h;
	int act;

	(void)state;
	boot();
	memset(ram + 0x2000, 0, 4096);
	guest_gate(14, 0xffffffff81000e00ULL, 0, 0xe);
	guest_gate(0x40, 0xffffffff81004000ULL, 0, 0xe);
	guest_gate(0x80, 0xffffffff81008000ULL, 0, 0xe);
	assert_int_equal(hypercall(CO_HC_SET_IDT, gpa(0x2000), 4095, 0, &act), 0);
	/* The caller moved on from its boot page table. */
	memset(top, 0, 4096);
	vcpu->state->cr3 = gpa(0x5000) | 0x18;
	/* Leftovers in the AP's page that the start must not keep. */
	s->gpr[3] = 0xdead;
	s->rflags = X86_RFLAGS_FIXED | X86_RFLAGS_IF;
	s->cs = 0x33;
	s->cr0 = 0;

	assert_int_equal(vcpu_up(1, AP_RIP, AP_RSP, 0x1234abcd5678ULL), 0);
	assert_int_equal((long)vcpu->state->gpr[0], 0);
	assert_int_equal(s->rip, AP_RIP);
	assert_int_equal(s->gpr[7], AP_RSP);
	assert_int_equal(s->gpr[5], 0x1234abcd5678ULL);
	assert_int_equal(s->gpr[3], 0);
	assert_int_equal(s->cr3, gpa(0x5000) | 0x18);
	assert_int_equal(s->cs, CO_SEL_CS);
	assert_int_equal(s->ss, CO_SEL_DS);
	assert_int_equal(s->rflags, X86_RFLAGS_FIXED);
	assert_int_equal(s->cr0, vcpu->state->cr0);
	assert_int_equal(s->gdtr.base, vcpu1->tables->gdtr.base);	/* its own */
	assert_int_equal(s->msr_value[0], vcpu->state->msr_value[0]);	/* EFER */
	assert_int_equal(s->msr_value[4], caps.pat);
	/* The caller's gate snapshot, copied ... */
	assert_memory_equal(vcpu1->gate, vcpu->gate, sizeof(vcpu->gate));
	assert_true(vcpu1->gate[0x40].present);
	/* ... and in the AP's guest IDT: exceptions straight to the guest, */
	decode(idt1, 14, &h, &ist, &sel);
	assert_int_equal(h, 0xffffffff81000e00ULL);
	decode(idt1, 0x80, &h, &ist, &sel);
	assert_int_equal(h, 0xffffffff81008000ULL);
	/* the rest to the AP's own stubs, not vCPU 0's. */
	decode(idt1, 0x40, &h, &ist, &sel);
	assert_int_equal(h, co_passage_stub(vcpu1, 0x40));
	assert_int_not_equal(h, co_passage_stub(vcpu, 0x40));
	decode(idt1, 2, &h, &ist, &sel);
	assert_int_equal(h, co_passage_stub(vcpu1, 2));
	assert_int_equal(ist, CO_IST_NMI);
	decode(idt1, 0xec, &h, &ist, &sel);
	assert_int_equal(h, co_passage_stub(vcpu1, 0xec));
	decode(idt0, 0x40, &h, &ist, &sel);
	assert_int_equal(h, co_passage_stub(vcpu, 0x40));	/* caller's unchanged */
	/* Started and woken. */
	assert_true(co_vcpu_may_enter(vcpu1));
	assert_ptr_equal(fake_kicked_vcpu, os_vcpu[1]);
	assert_int_equal(fake_kicks, 1);

	/* It enters through its own passage and T, in the caller's tables. */
	assert_int_equal(co_vcpu_prepare(vcpu1, 0, &entry), 0);
	assert_int_equal(entry.enter_va, vcpu1->va + CO_PASSAGE_ENTER);
	assert_int_equal(entry.transition_cr3, vcpu1->transition_phys);
	assert_int_equal(top[256], co_passage_guest_entry(vm));
	assert_int_equal(vcpu1->transition[256], vm->pt_transition.root[256]);
	assert_int_equal(vcpu1->tables->entry_tag, vcpu1->entry_tag);
	assert_true(vcpu1->stats.entries == 1 && vcpu->stats.entries == 0);

	/* The copy is a copy: the caller's next SET_IDT is its own. */
	guest_gate(14, 0xffffffff81000f00ULL, 0, 0xe);
	assert_int_equal(hypercall(CO_HC_SET_IDT, gpa(0x2000), 4095, 0, &act), 0);
	decode(idt1, 14, &h, &ist, &sel);
	assert_int_equal(h, 0xffffffff81000e00ULL);
}

/* Timers, hypercall stacks and statistics are per vCPU. */
static void test_vcpu_own_timer_and_stacks(void **state)
{
	int act;

	(void)state;
	boot();
	assert_int_equal(vcpu_up(1, AP_RIP, AP_RSP, 0), 0);
	assert_int_equal(hypercall_on(vcpu1, CO_HC_SET_TIMER, 9000, 0xef, 0, 0, &act), 0);
	assert_int_equal(fake_timer_deadline, 9000);
	assert_ptr_equal(fake_timer_vcpu, os_vcpu[1]);
	co_vcpu_timer_expired(vcpu);		/* vCPU 0 armed nothing */
	assert_false(co_vcpu_event_pending(vcpu));
	co_vcpu_timer_expired(vcpu1);
	assert_true(co_vcpu_event_pending(vcpu1));
	assert_int_equal(vcpu1->irr[3], 1ULL << (0xef % 64));

	assert_int_equal(hypercall_on(vcpu1, CO_HC_SET_STACKS, 0xffffffff81300000ULL,
				      0xffffffff81310000ULL, 0xffffffff81320000ULL,
				      0xffffffff81330000ULL, &act), 0);
	assert_int_equal(tss_read(&vcpu1->tables->tss, TSS_RSP0), 0xffffffff81300000ULL);
	assert_int_equal(tss_read(&vcpu->tables->tss, TSS_RSP0), 0);
	assert_int_equal(vcpu1->stats.hypercalls, 2);
	assert_int_equal(vcpu->stats.hypercalls, 1);	/* the VCPU_UP */
}

static void test_send_ipi(void **state)
{
	struct co_passage_vcpu *s = vcpu1->state;
	struct co_entry entry;
	uint64_t rsp = gpa(0x180000);
	int act;

	(void)state;
	boot();
	memset(ram + 0x2000, 0, 4096);
	guest_gate(0x40, 0xffffffff81004000ULL, 0, 0xe);
	assert_int_equal(hypercall(CO_HC_SET_IDT, gpa(0x2000), 4095, 0, &act), 0);
	assert_int_equal(vcpu_up(1, AP_RIP, rsp, 0), 0);
	fake_kicks = 0;
	fake_kicked_vcpu = NULL;

	assert_int_equal(hypercall(CO_HC_SEND_IPI, 2, 0x40, 0, &act), -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_SEND_IPI, 1ULL << 32 | 1, 0x40, 0, &act), -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_SEND_IPI, 1, 31, 0, &act), -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_SEND_IPI, 1, 256, 0, &act), -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_SEND_IPI, 1, 1ULL << 32 | 0x40, 0, &act), -CO_EINVAL);
	assert_false(co_vcpu_event_pending(vcpu));
	assert_false(co_vcpu_event_pending(vcpu1));
	assert_int_equal(fake_kicks, 0);

	assert_int_equal(hypercall(CO_HC_SEND_IPI, 1, 0x40, 0, &act), 0);
	assert_int_equal(act, CO_ACT_CONTINUE);
	assert_true(co_vcpu_event_pending(vcpu1));
	assert_false(co_vcpu_event_pending(vcpu));
	assert_int_equal(vcpu1->irr[1], 1ULL << 0);
	assert_int_equal(vcpu->irr[1], 0);
	assert_ptr_equal(fake_kicked_vcpu, os_vcpu[1]);
	assert_int_equal(fake_kicks, 1);

	/* The target takes it at its next entry with interrupts on. */
	s->rflags |= X86_RFLAGS_IF;
	assert_int_equal(co_vcpu_prepare(vcpu1, 0, &entry), 0);
	assert_int_equal(s->inject, 1);
	assert_int_equal(s->rip, 0xffffffff81004000ULL);
	assert_int_equal(s->inject_frame[0], AP_RIP);
	assert_int_equal(s->inject_rsp, (rsp & ~15ULL) - 40);
	assert_false(co_vcpu_event_pending(vcpu1));
	vcpu->state->rflags |= X86_RFLAGS_IF;
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(vcpu->state->inject, 0);

	/* The caller itself, and the top vector. */
	assert_int_equal(hypercall(CO_HC_SEND_IPI, 0, 0xff, 0, &act), 0);
	assert_true(co_vcpu_event_pending(vcpu));
	assert_int_equal(vcpu->irr[3], 1ULL << 63);
	assert_false(co_vcpu_event_pending(vcpu1));
	assert_int_equal(hypercall_on(vcpu1, CO_HC_SEND_IPI, 0, 32, 0, 0, &act), 0);
	assert_int_equal(vcpu->irr[0], 1ULL << 32);
	assert_ptr_equal(fake_kicked_vcpu, os_vcpu[0]);
	assert_false(co_vcpu_event_pending(vcpu1));
}

/*
 * A spinlock waiter sleeps in CO_HC_HALT with interrupts off until the
 * unlocker's CO_HC_KICK; a kick that comes first makes the sleep return
 * at once, and counts once.
 */
static void test_halt_and_kick(void **state)
{
	struct co_passage_vcpu *s1 = vcpu1->state;
	int act;

	(void)state;
	boot();
	assert_int_equal(vcpu_up(1, AP_RIP, gpa(0x180000), 0), 0);
	fake_kicks = 0;
	fake_kicked_vcpu = NULL;

	/* Bad targets change nothing. */
	assert_int_equal(hypercall(CO_HC_KICK, 2, 0, 0, &act), -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_KICK, ~0ULL, 0, 0, &act), -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_KICK, 1ULL << 32 | 1, 0, 0, &act), -CO_EINVAL);
	assert_false(co_vcpu_event_pending(vcpu1));
	assert_int_equal(fake_kicks, 0);

	/* Nothing pending: vCPU 1 sleeps, and its interrupt flag stays off. */
	s1->rflags &= ~X86_RFLAGS_IF;
	assert_int_equal(hypercall_on(vcpu1, CO_HC_HALT, 0, 0, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_IDLE);
	assert_false(s1->rflags & X86_RFLAGS_IF);
	assert_int_equal(vcpu1->stats.halts, 1);

	/* The kick wakes it (the OS layer's wait sees it) and is consumed. */
	assert_int_equal(hypercall(CO_HC_KICK, 1, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_CONTINUE);
	assert_ptr_equal(fake_kicked_vcpu, os_vcpu[1]);
	assert_int_equal(vcpu->stats.kicks, 1);
	assert_true(co_vcpu_event_pending(vcpu1));
	assert_false(co_vcpu_event_pending(vcpu));
	co_vcpu_woken(vcpu1, 0);
	assert_false(co_vcpu_event_pending(vcpu1));

	/* A kick before the sleep: the next HALT (or IDLE) returns at once. */
	assert_int_equal(hypercall(CO_HC_KICK, 1, 0, 0, &act), 0);
	assert_int_equal(hypercall_on(vcpu1, CO_HC_HALT, 0, 0, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_CONTINUE);
	assert_int_equal(vcpu1->stats.halts, 1);
	assert_int_equal(hypercall_on(vcpu1, CO_HC_HALT, 0, 0, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_IDLE);
	assert_int_equal(hypercall(CO_HC_KICK, 1, 0, 0, &act), 0);
	assert_int_equal(hypercall_on(vcpu1, CO_HC_IDLE, 0, 0, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_CONTINUE);
	assert_true(s1->rflags & X86_RFLAGS_IF);

	/* A pending vector also ends it; kicking oneself is no error. */
	s1->rflags &= ~X86_RFLAGS_IF;
	co_vcpu_raise(vcpu1, 0x40);
	assert_int_equal(hypercall_on(vcpu1, CO_HC_HALT, 0, 0, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_CONTINUE);
	assert_false(s1->rflags & X86_RFLAGS_IF);
	fake_kicks = 0;
	assert_int_equal(hypercall(CO_HC_KICK, 0, 0, 0, &act), 0);
	assert_int_equal(fake_kicks, 0);
	assert_int_equal(hypercall(CO_HC_HALT, 0, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_CONTINUE);
}

/*
 * The steal-time record: only an aligned place inside RAM is taken; the
 * host writes the run delay under an even version at each entry from its
 * own count (not from what the guest left there), clears "preempted"
 * (a flush request with it), and sets it again when told.
 */
static void test_steal_time(void **state)
{
	struct co_steal_time *st = (struct co_steal_time *)(ram + 0x3000);
	struct co_entry entry;
	int act;

	(void)state;
	boot();
	assert_int_equal(hypercall(CO_HC_SET_STEAL_TIME, gpa(0x3000) + 8, 0, 0, &act),
			 -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_SET_STEAL_TIME, gpa(0x3000) + 32, 0, 0, &act),
			 -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_SET_STEAL_TIME, gpa(RAM_SIZE), 0, 0, &act),
			 -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_SET_STEAL_TIME, 64, 0, 0, &act), -CO_EINVAL);
	assert_int_equal(hypercall(CO_HC_SET_STEAL_TIME, ~0ULL - 63, 0, 0, &act),
			 -CO_EINVAL);
	assert_null(vcpu->steal);
	co_vcpu_mark_preempted(vcpu);	/* no record: nothing to do */

	/* The last 64 bytes of RAM are a fine place. */
	assert_int_equal(hypercall(CO_HC_SET_STEAL_TIME, gpa(RAM_SIZE - 64), 0, 0, &act), 0);
	fake_run_delay = 999;	/* before registering: not counted */
	assert_int_equal(hypercall(CO_HC_SET_STEAL_TIME, gpa(0x3000), 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_CONTINUE);

	memset(st, 0xee, sizeof(*st));
	fake_run_delay = 1500;
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(st->steal, 1500);
	assert_int_equal(st->version % 2, 0);
	assert_int_equal(st->flags, 0);
	assert_int_equal(st->preempted, 0);

	co_vcpu_mark_preempted(vcpu);
	assert_int_equal(st->preempted, CO_STEAL_PREEMPTED);
	st->preempted |= CO_STEAL_FLUSH_TLB;	/* the guest's request */
	co_vcpu_mark_preempted(vcpu);
	assert_int_equal(st->preempted, CO_STEAL_PREEMPTED | CO_STEAL_FLUSH_TLB);
	st->steal = 7;				/* the guest's scribble */
	fake_run_delay = 500;
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(st->steal, 2000);
	assert_int_equal(st->version % 2, 0);
	assert_int_equal(st->preempted, 0);

	/* 0 stops it. */
	assert_int_equal(hypercall(CO_HC_SET_STEAL_TIME, 0, 0, 0, &act), 0);
	assert_null(vcpu->steal);
	fake_run_delay = 500;
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(st->steal, 2000);
	fake_run_delay = 0;
}

static void test_raise_names_a_vcpu(void **state)
{
	(void)state;
	assert_int_equal(co_vm_raise(vm, 2, 0x40), -CO_EINVAL);
	assert_int_equal(co_vm_raise(vm, ~0U, 0x40), -CO_EINVAL);
	assert_int_equal(co_vm_raise(vm, 1, 31), -CO_EINVAL);
	assert_int_equal(co_vm_raise(vm, 1, 256), -CO_EINVAL);
	assert_false(co_vcpu_event_pending(vcpu));
	assert_false(co_vcpu_event_pending(vcpu1));
	assert_int_equal(co_vm_raise(vm, 1, 0x41), 0);
	assert_true(co_vcpu_event_pending(vcpu1));
	assert_false(co_vcpu_event_pending(vcpu));
	assert_int_equal(vcpu1->irr[1], 1ULL << 1);
	assert_int_equal(co_vm_raise(vm, 0, 0x42), 0);
	assert_int_equal(vcpu->irr[1], 1ULL << 2);
	assert_int_equal(vcpu1->irr[1], 1ULL << 1);
}

/* vCPU 0 was in the guest (prepared) and exits with a host interrupt. */
static int exit_with_irq(struct co_vcpu *v, struct co_run *r)
{
	struct co_replay replay;

	fake_vector_state = CO_HOST_VECTOR_IN_SERVICE;
	v->state->exit_kind = CO_XK_GUEST;
	v->state->exit_vector = 0xec;
	co_vcpu_exited(v, &replay);
	assert_int_equal(replay.irq_vector, 0xec);	/* still replayed */
	return co_vcpu_handle(v, r);
}

/* One vCPU powers off: the others leave with CO_ACT_ENDED. */
static void test_poweroff_ends_every_vcpu(void **state)
{
	struct co_run run0;
	struct co_entry entry;
	int act;

	(void)state;
	boot();
	assert_int_equal(vcpu_up(1, AP_RIP, AP_RSP, 0), 0);
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), 0);
	assert_int_equal(co_vcpu_prepare(vcpu1, 0, &entry), 0);
	/* While the guest lives, an exit continues. */
	memset(&run0, 0xa5, sizeof(run0));
	assert_int_equal(exit_with_irq(vcpu, &run0), CO_ACT_CONTINUE);
	assert_int_equal(co_vcpu_report(vcpu, &run0), CO_ACT_CONTINUE);
	assert_false(co_vcpu_event_pending(vcpu));

	assert_int_equal(hypercall_on(vcpu1, CO_HC_POWEROFF, 7, 0, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_TO_USER);
	assert_int_equal(run.exit_reason, CO_EXIT_POWEROFF);
	assert_int_equal(run.u.poweroff.status, 7);
	assert_true(co_vm_is_dead(vm));

	memset(&run0, 0xa5, sizeof(run0));
	assert_int_equal(exit_with_irq(vcpu, &run0), CO_ACT_ENDED);
	assert_int_equal(run0.exit_reason, CO_EXIT_NONE);
	/* An idle vCPU wakes for it, and cannot enter again. */
	assert_true(co_vcpu_event_pending(vcpu));
	assert_true(co_vcpu_may_enter(vcpu));
	assert_int_equal(co_vcpu_prepare(vcpu, 0, &entry), -CO_EIO);
	assert_int_equal(co_vcpu_report(vcpu, &run0), CO_ACT_ENDED);
	/* Nor the one that powered off: its record was the report. */
	assert_int_equal(co_vcpu_prepare(vcpu1, 0, &entry), -CO_EIO);
	assert_int_equal(co_vcpu_report(vcpu1, &run), CO_ACT_ENDED);
	assert_int_equal(run.exit_reason, CO_EXIT_POWEROFF);
}

/* Other exits of a vCPU whose guest another vCPU ended: ENDED, no report. */
static void test_exits_after_the_end(void **state)
{
	struct co_run run0;
	int act;

	(void)state;
	boot();
	assert_int_equal(vcpu_up(1, AP_RIP, AP_RSP, 0), 0);
	assert_int_equal(hypercall_on(vcpu1, CO_HC_CRASH, 5, 0, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_TO_USER);
	assert_int_equal(run.exit_reason, CO_EXIT_CRASH);
	/* An exception with no handler: a consequence, not a new cause. */
	vcpu->state->exit_kind = CO_XK_GUEST;
	vcpu->state->exit_vector = 14;
	memset(&run0, 0, sizeof(run0));
	assert_int_equal(co_vcpu_handle(vcpu, &run0), CO_ACT_ENDED);
	assert_int_equal(run0.exit_reason, CO_EXIT_NONE);
	/* Idle returns at once, and so ends too. */
	memset(&run0, 0, sizeof(run0));
	vcpu->state->exit_vector = CO_VEC_HYPERCALL;
	vcpu->state->gpr[0] = CO_HC_IDLE;
	assert_int_equal(co_vcpu_handle(vcpu, &run0), CO_ACT_ENDED);
	/* A breakpoint on the passage: the end was already claimed. */
	vcpu->state->dr7 = 0x400 | 1;
	co_vcpu_check_breakpoints(vcpu, (const __u64[4]){ vm->va, 0, 0, 0 });
	assert_int_equal(co_vcpu_report(vcpu, &run0), CO_ACT_ENDED);
	assert_int_equal(run0.exit_reason, CO_EXIT_NONE);
}

/* A vCPU that never started may leave its RUN once the guest is over. */
static void test_never_started_vcpu_leaves(void **state)
{
	struct co_entry entry;
	int act;

	(void)state;
	boot();
	assert_false(co_vcpu_may_enter(vcpu1));
	assert_false(co_vcpu_event_pending(vcpu1));
	assert_int_equal(hypercall(CO_HC_POWEROFF, 0, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_TO_USER);
	assert_true(co_vcpu_may_enter(vcpu1));
	assert_true(co_vcpu_event_pending(vcpu1));
	assert_int_equal(co_vcpu_prepare(vcpu1, 0, &entry), -CO_EIO);
	assert_int_equal(co_vcpu_report(vcpu1, &run), CO_ACT_ENDED);
	/* Started now, it still cannot enter. */
	hypercall_on(vcpu, CO_HC_VCPU_UP, 1, AP_RIP, AP_RSP, 0, &act);
	assert_int_equal(act, CO_ACT_ENDED);
	assert_int_equal(co_vcpu_prepare(vcpu1, 0, &entry), -CO_EIO);
	assert_int_equal(co_vcpu_report(vcpu1, &run), CO_ACT_ENDED);
}

/* The first end wins: a second poweroff, crash or fault only learns of it. */
static void test_second_poweroff(void **state)
{
	struct co_run run1;
	int act;

	(void)state;
	boot();
	assert_int_equal(vcpu_up(1, AP_RIP, AP_RSP, 0), 0);
	assert_int_equal(hypercall(CO_HC_POWEROFF, 1, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_TO_USER);
	assert_int_equal(run.u.poweroff.status, 1);

	memset(&run1, 0, sizeof(run1));
	vcpu1->state->gpr[0] = CO_HC_POWEROFF;
	vcpu1->state->gpr[5] = 2;
	vcpu1->state->exit_kind = CO_XK_GUEST;
	vcpu1->state->exit_vector = CO_VEC_HYPERCALL;
	assert_int_equal(co_vcpu_handle(vcpu1, &run1), CO_ACT_ENDED);
	assert_int_equal(run1.exit_reason, CO_EXIT_NONE);
	assert_int_equal(run1.u.poweroff.status, 0);
	vcpu1->state->gpr[0] = CO_HC_CRASH;
	assert_int_equal(co_vcpu_handle(vcpu1, &run1), CO_ACT_ENDED);
	assert_int_equal(run1.exit_reason, CO_EXIT_NONE);
	/* The first record stands. */
	assert_int_equal(run.exit_reason, CO_EXIT_POWEROFF);
	assert_int_equal(run.u.poweroff.status, 1);
}

/* The host stops the guest because of vCPU 1: its record says why. */
static void test_fault_on_one_vcpu(void **state)
{
	struct co_run run0, run1;
	int act;

	(void)state;
	boot();
	assert_int_equal(vcpu_up(1, AP_RIP, AP_RSP, 0), 0);
	vcpu1->state->exit_kind = CO_XK_GUEST;
	vcpu1->state->exit_vector = 13;
	memset(&run1, 0, sizeof(run1));
	assert_int_equal(co_vcpu_handle(vcpu1, &run1), CO_ACT_TO_USER);
	assert_int_equal(run1.exit_reason, CO_EXIT_FAULT);
	assert_int_equal(run1.u.fault.vector, 13);
	assert_int_equal(run1.regs.rip, AP_RIP);
	assert_non_null(strstr(run1.u.fault.reason, "#GP"));
	/* Reported once: then it ends like the others. */
	assert_int_equal(co_vcpu_report(vcpu1, &run1), CO_ACT_ENDED);

	memset(&run0, 0, sizeof(run0));
	assert_int_equal(hypercall_on(vcpu, CO_HC_POWEROFF, 0, 0, 0, 0, &act), 0);
	assert_int_equal(act, CO_ACT_ENDED);
	assert_int_equal(co_vcpu_report(vcpu, &run0), CO_ACT_ENDED);
	assert_int_equal(run0.exit_reason, CO_EXIT_NONE);
}

/* A breakpoint on any vCPU's passage is one on the passage. */
static void test_breakpoint_on_another_passage(void **state)
{
	__u64 dr[4] = { 0 };

	(void)state;
	boot();
	vcpu->state->dr7 = 0x400 | 1 | 3ULL << 18;	/* DR0, 4 bytes */
	dr[0] = vm->va + 2 * CO_VCPU_PASSAGE_STRIDE;	/* past the last one */
	co_vcpu_check_breakpoints(vcpu, dr);
	assert_false(co_vm_is_dead(vm));
	dr[0] = vcpu1->va + CO_PASSAGE_STACK_EXIT + 0xff8;
	co_vcpu_check_breakpoints(vcpu, dr);
	assert_true(co_vm_is_dead(vm));
	expect_stopped("breakpoint on the passage (DR0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_passage_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slot_skips_occupied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gdt_and_tss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idt_stubs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transition_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_boot_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_idt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syscall_vector, setup, teardown),
		cmocka_unit_test_setup_teardown(test_injection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_injection_without_gate_kills, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hypercall_arguments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_classification, setup, teardown),
		cmocka_unit_test_setup_teardown(test_passage_fault_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_needs_the_entry_tag, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msr_list_outside_the_vcpu_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msr_skippable_only_non_secret, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bench_variant_bounded, setup, teardown),
		cmocka_unit_test(test_fixups),
		cmocka_unit_test_setup_teardown(test_software_interrupts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_software_nmi_and_irq, setup, teardown),
		cmocka_unit_test_setup_teardown(test_software_irq_not_in_service, setup, teardown),
		cmocka_unit_test_setup_teardown(test_breakpoints_on_the_passage, setup, teardown),
		cmocka_unit_test(test_host_refusals),
		cmocka_unit_test_setup_teardown(test_two_passages, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_create_vcpu_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tsc_aux_is_the_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vcpu_up_refusals, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_vcpu_up_starts, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_vcpu_own_timer_and_stacks, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_halt_and_kick, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_steal_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_ipi, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_raise_names_a_vcpu, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_poweroff_ends_every_vcpu, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_exits_after_the_end, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_never_started_vcpu_leaves, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_second_poweroff, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_fault_on_one_vcpu, setup2, teardown),
		cmocka_unit_test_setup_teardown(test_breakpoint_on_another_passage, setup2, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
