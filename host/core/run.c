// SPDX-License-Identifier: GPL-2.0
/*
 * One round trip through the passage, as the OS layer drives it:
 *
 *   co_vcpu_prepare()  interrupts off: refresh T, fix up the state the host
 *                      owns, deliver a virtual interrupt if the guest takes
 *                      interrupts
 *   (the OS layer's stub enters the passage; the guest runs; it exits)
 *   co_vcpu_exited()   interrupts still off: which host event to replay
 *   co_vcpu_handle()   interrupts on: hypercalls, guest faults, what next
 */
#include "errno.h"
#include "format.h"
#include "os.h"
#include "vm.h"
#include "x86.h"

/* CR4 bits that describe the host's machine, not the guest's choices. */
#define CR4_HOST_OWNED	(X86_CR4_MCE | X86_CR4_VMXE | X86_CR4_SMXE | \
			 X86_CR4_LA57)

static const char *const exception_name[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint",
	"#OF overflow", "#BR bound range", "#UD invalid opcode",
	"#NM device not available", "#DF double fault", "coprocessor overrun",
	"#TS invalid TSS", "#NP segment not present", "#SS stack fault",
	"#GP general protection", "#PF page fault", "reserved 15",
	"#MF x87 error", "#AC alignment check", "#MC machine check",
	"#XM SIMD error", "#VE virtualization", "#CP control protection",
	"reserved 22", "reserved 23", "reserved 24", "reserved 25",
	"reserved 26", "reserved 27", "#HV hypervisor injection",
	"#VC VMM communication", "#SX security", "reserved 31",
};

static int highest_pending(struct co_vcpu *vcpu)
{
	int i;

	for (i = 3; i >= 0; i--) {
		__u64 bits = __atomic_load_n(&vcpu->irr[i], __ATOMIC_SEQ_CST);

		if (bits)
			return i * 64 + 63 - __builtin_clzll(bits);
	}
	return -1;
}

/*
 * Deliver vector v as the CPU would through the guest's IDT gate: pick the
 * stack (IST, else RSP0 when coming from user mode, else the current one),
 * align it, and have the passage write the old frame there in G.
 */
static void inject(struct co_vcpu *vcpu, unsigned int v)
{
	struct co_passage_vcpu *c = vcpu->state;
	const struct co_gate *g = &vcpu->gate[v];
	bool from_user = c->cs & 3;
	char why[CO_FAULT_REASON_LEN];
	__u64 rsp;

	if (!g->present) {
		co_format(why, sizeof(why),
			  "virtual interrupt %u has no gate in the guest's IDT", v);
		co_vcpu_kill(vcpu, v, 0, why);
		return;
	}
	if (g->ist)
		rsp = vcpu->ist[g->ist];
	else if (from_user)
		rsp = vcpu->rsp0;
	else
		rsp = c->gpr[7];
	if (!rsp) {
		co_format(why, sizeof(why),
			  "virtual interrupt %u: no stack to deliver it on", v);
		co_vcpu_kill(vcpu, v, 0, why);
		return;
	}
	__atomic_fetch_and(&vcpu->irr[v / 64], ~(1ULL << (v % 64)), __ATOMIC_SEQ_CST);
	rsp = (rsp & ~15ULL) - 40;
	c->inject = 1;
	c->inject_rsp = rsp;
	c->inject_frame[0] = c->rip;
	c->inject_frame[1] = c->cs;
	c->inject_frame[2] = c->rflags;
	c->inject_frame[3] = c->gpr[7];
	c->inject_frame[4] = c->ss;
	c->rip = g->handler;
	c->cs = g->selector;
	c->gpr[7] = rsp;
	if (from_user)
		c->ss = 0;
	c->rflags &= ~(X86_RFLAGS_TF | X86_RFLAGS_NT | X86_RFLAGS_RF |
		       X86_RFLAGS_VM);
	if (g->type == 0xe)
		c->rflags &= ~X86_RFLAGS_IF;
	vcpu->stats.injections++;
}

/*
 * The guest's current top-level table must hold the passage, or the first
 * event after entry would find no IDT and reset the machine.  The guest
 * keeps the slot itself; putting it back before every entry also covers
 * stray writes to guest RAM (by the guest or the daemon) since the exit.
 */
static int keep_passage_slot(struct co_vcpu *vcpu)
{
	__u64 *top = co_guest_ptr(vcpu->vm, vcpu->state->cr3 & CO_PTE_ADDR_MASK,
				  CO_PAGE_SIZE);

	if (!top) {
		co_vcpu_kill(vcpu, ~0U, vcpu->state->cr3,
			   "the guest's page table (CR3) is outside its RAM");
		return -CO_EFAULT;
	}
	top[vcpu->vm->slot] = co_passage_guest_entry(vcpu->vm);
	return 0;
}

/*
 * The steal-time record, before every entry (docs/abi.md): the run delay
 * since the last entry, under an odd version, from the host's own count
 * (the guest may have written anything there); then "not preempted", as
 * one exchange, before the passage empties the TLB on the way in, so a
 * flush the guest left in the byte is done by this entry.
 */
static void update_steal_time(struct co_vcpu *vcpu)
{
	struct co_steal_time *st = vcpu->steal;

	if (!st)
		return;
	vcpu->steal_ns += co_os_vcpu_run_delay(vcpu->os);
	vcpu->steal_version |= 1;
	__atomic_store_n(&st->version, vcpu->steal_version, __ATOMIC_RELEASE);
	__atomic_store_n(&st->steal, vcpu->steal_ns, __ATOMIC_RELEASE);
	vcpu->steal_version++;
	__atomic_store_n(&st->version, vcpu->steal_version, __ATOMIC_RELEASE);
	__atomic_store_n(&st->flags, 0, __ATOMIC_RELAXED);
	__atomic_exchange_n(&st->preempted, 0, __ATOMIC_SEQ_CST);
}

int co_vcpu_prepare(struct co_vcpu *vcpu, __u64 host_gdt_rw, struct co_entry *entry)
{
	struct co_passage_vcpu *c = vcpu->state;
	int efer = co_vm_msr_slot(vcpu->vm, X86_MSR_EFER);
	int v, err;

	if (co_vm_is_dead(vcpu->vm))
		return -CO_EIO;
	if (__atomic_load_n(&vcpu->up, __ATOMIC_ACQUIRE) != CO_VCPU_UP)
		return -CO_EINVAL;
	/* First: a record the guest put over its top-level table loses. */
	update_steal_time(vcpu);
	err = keep_passage_slot(vcpu);
	if (err)
		return err;
	err = co_passage_refresh_transition(vcpu);
	if (err) {
		co_vcpu_kill(vcpu, ~0U, 0,
			   "the host started using the passage's page-table slot");
		return err;
	}
	vcpu->host->gdt_rw = host_gdt_rw;
	co_passage_refresh_tables(vcpu);
	if (vcpu->tables->bench_part == CO_BENCH_TABLE)
		for (v = 0; v < (int)vcpu->tables->bench_repeat; v++) {
			co_passage_refresh_transition(vcpu);
			co_passage_refresh_tables(vcpu);
		}
	c->cr4 = (c->cr4 & ~(CR4_HOST_OWNED | X86_CR4_PCIDE)) |
		 (co_os_host_cr4() & CR4_HOST_OWNED);
	c->msr_value[efer] |= X86_EFER_LME | X86_EFER_LMA | X86_EFER_NXE;
	/* A new tag: words stamped with an older one read as stale. */
	vcpu->entry_tag += 1ULL << CO_TAG_SHIFT;
	if (!vcpu->entry_tag)
		vcpu->entry_tag = 1ULL << CO_TAG_SHIFT;
	vcpu->tables->entry_tag = vcpu->entry_tag;
	c->pending = 0;
	c->fault_depth = 0;
	c->faults = 0;
	c->exit_kind = CO_XK_GUEST;
	c->exit_vector = ~0ULL;
	c->inject = 0;

	v = highest_pending(vcpu);
	if (v >= 0 && (c->rflags & X86_RFLAGS_IF))
		inject(vcpu, (unsigned int)v);
	if (co_vm_is_dead(vcpu->vm))
		return -CO_EIO;
	entry->kick = highest_pending(vcpu) >= 0;
	entry->transition_cr3 = vcpu->transition_phys;
	entry->enter_va = vcpu->va + CO_PASSAGE_ENTER;
	vcpu->started = true;
	vcpu->stats.entries++;
	return 0;
}

/*
 * Do the two bytes before the guest's rip say "int $vector"?  Only ring 0
 * can reach a passage gate (they have DPL 0), so guest user code never did.
 */
static bool guest_ran_int(struct co_vcpu *vcpu, unsigned int vector)
{
	unsigned char insn[2];

	if (vcpu->state->cs & 3)
		return false;
	if (co_guest_read_va(vcpu, vcpu->state->rip - 2, insn, sizeof(insn)))
		return false;
	return insn[0] == 0xcd && insn[1] == vector;
}

static void kill_software_interrupt(struct co_vcpu *vcpu, unsigned int vector)
{
	char why[CO_FAULT_REASON_LEN];

	co_format(why, sizeof(why),
		  "the guest raised vector %u itself (int $0x%x): only the host's hardware may use it",
		  vector, vector);
	co_vcpu_kill(vcpu, vector, 0, why);
}

/*
 * The guest-world IDT sends vectors 2, 18 and 32..255 to the passage, so a
 * guest "int $n" on one of them looks like a host event.  Replay only what
 * the hardware confirms: an external vector the local APIC has in service,
 * a machine check with MCG_STATUS.MCIP set, an NMI that is not right after
 * an "int $2" in the guest's code.  Anything else stops the guest.
 */
static void classify_exit(struct co_vcpu *vcpu, struct co_replay *replay,
			  unsigned int v)
{
	if (v == 2) {
		if (guest_ran_int(vcpu, 2)) {
			kill_software_interrupt(vcpu, v);
			return;
		}
		replay->nmi++;
		vcpu->stats.nmi_exits++;
	} else if (v == 18) {
		if (!co_os_machine_check_in_progress()) {
			kill_software_interrupt(vcpu, v);
			return;
		}
		replay->mc = 1;
	} else if (v >= 32 && v <= 255) {
		switch (co_os_host_vector_state(v)) {
		case CO_HOST_VECTOR_IN_SERVICE:
			replay->irq_vector = (int)v;
			vcpu->stats.irq_exits++;
			break;
		case CO_HOST_VECTOR_SPURIOUS:
			/* Nothing to acknowledge, nothing to replay. */
			if (guest_ran_int(vcpu, v))
				kill_software_interrupt(vcpu, v);
			break;
		default:
			kill_software_interrupt(vcpu, v);
		}
	}
}

void co_vcpu_exited(struct co_vcpu *vcpu, struct co_replay *replay)
{
	const struct co_passage_vcpu *c = vcpu->state;
	__u64 pending = __atomic_load_n(&c->pending, __ATOMIC_RELAXED);

	/* Only events stamped with this entry's tag were latched by the passage. */
	if ((pending ^ vcpu->entry_tag) >> CO_TAG_SHIFT)
		pending = 0;
	/* The count is the passage's only when it faulted in this exit. */
	vcpu->passage_faults = c->exit_kind == CO_XK_PASSAGE_FAULT &&
			     c->fault_depth == vcpu->entry_tag ? c->faults : 0;
	replay->irq_vector = -1;
	replay->nmi = !!(pending & CO_PENDING_NMI);
	replay->mc = !!(pending & CO_PENDING_MC);
	if (replay->nmi)
		vcpu->stats.nmi_pending++;
	if (c->exit_kind != CO_XK_GUEST)
		return;
	if (c->exit_vector == 2 || c->exit_vector == 18 ||
	    (c->exit_vector >= 32 && c->exit_vector <= 255))
		classify_exit(vcpu, replay, (unsigned int)c->exit_vector);
}

__u64 co_vcpu_xcr0(const struct co_vcpu *vcpu)
{
	return vcpu->state->xcr0;
}

/*
 * How the last round trip ended, for the OS layer's interrupts-off
 * watchdog: 0 with host interrupts open (IF set, CR8 clear), 1 when the
 * guest called the host with them blocked (it gave the CPU back itself),
 * 2 when an NMI had to take it back.
 */
int co_vcpu_irqs_blocked(const struct co_vcpu *vcpu)
{
	const struct co_passage_vcpu *c = vcpu->state;

	if ((c->rflags & X86_RFLAGS_IF) && !c->cr8)
		return 0;
	return c->exit_vector == CO_VEC_HYPERCALL ? 1 : 2;
}

/*
 * The guest's debug registers after an exit.  A breakpoint on the passage
 * fires inside switch code, and one near the top of a passage stack can
 * make the CPU fault on every attempt to deliver the fault: stop a guest
 * that arms one before it enters again.
 */
void co_vcpu_check_breakpoints(struct co_vcpu *vcpu, const __u64 dr[4])
{
	static const unsigned int len_bytes[4] = { 1, 2, 8, 4 };
	const struct co_vm *vm = vcpu->vm;
	__u64 dr7 = vcpu->state->dr7;
	char why[CO_FAULT_REASON_LEN];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		__u64 len = len_bytes[(dr7 >> (18 + 4 * i)) & 3];

		if (!(dr7 & (3ULL << (2 * i))))
			continue;
		/* Any vCPU's passage: they all run in this world. */
		if (dr[i] + len > vm->va &&
		    dr[i] < vm->va + vm->nr_vcpus * CO_VCPU_PASSAGE_STRIDE) {
			co_format(why, sizeof(why),
				  "the guest set a breakpoint on the passage (DR%u = 0x%llx)",
				  i, (unsigned long long)dr[i]);
			co_vcpu_kill(vcpu, 1, dr7, why);
			return;
		}
	}
}

/*
 * After an exit whose restore of the host took more than one fault: what
 * the passage saved of the host on entry, for the OS layer to put back.
 */
int co_vcpu_host_saved(const struct co_vcpu *vcpu, struct co_host_saved *out)
{
	const struct co_passage_host *h = vcpu->host;
	unsigned int i;

	if (vcpu->passage_faults <= 1)
		return 0;
	out->cr0 = h->cr0;
	out->cr4 = h->cr4;
	out->idt_base = h->idtr.base;
	out->idt_limit = h->idtr.limit;
	out->nr_msrs = vcpu->vm->caps.nr_msrs;
	for (i = 0; i < vcpu->vm->caps.nr_msrs; i++) {
		out->msr[i] = vcpu->vm->caps.msrs[i];
		out->value[i] = h->msr_value[i];
	}
	out->faults = vcpu->passage_faults;
	return 1;
}

void co_vcpu_stop(struct co_vcpu *vcpu, const char *reason)
{
	co_vcpu_kill(vcpu, ~0U, 0, reason);
}

static void fill_record(struct co_vcpu *vcpu, struct co_run *run)
{
	co_vcpu_get_regs(vcpu, &run->regs);
	run->stats = vcpu->stats;
}

static int report_death(struct co_vcpu *vcpu, struct co_run *run)
{
	unsigned int i;

	run->exit_reason = CO_EXIT_FAULT;
	run->u.fault.vector = vcpu->vm->death.vector;
	run->u.fault.reserved = 0;
	run->u.fault.error_code = vcpu->vm->death.error;
	for (i = 0; i < CO_FAULT_REASON_LEN; i++)
		run->u.fault.reason[i] = vcpu->vm->death.reason[i];
	fill_record(vcpu, run);
	vcpu->must_report = false;
	return CO_ACT_TO_USER;
}

static void kill_on_exception(struct co_vcpu *vcpu)
{
	const struct co_passage_vcpu *c = vcpu->state;
	unsigned int v = (unsigned int)c->exit_vector;
	char why[CO_FAULT_REASON_LEN];

	if (c->exit_kind == CO_XK_PASSAGE_FAULT && vcpu->passage_faults > 1)
		co_format(why, sizeof(why),
			  "the CPU refused the switch: %s at passage+0x%llx, cr2 0x%llx, then %llu more faults restoring the host",
			  v < 32 ? exception_name[v] : "interrupt",
			  (unsigned long long)(c->fault_rip - vcpu->va),
			  (unsigned long long)c->fault_cr2,
			  (unsigned long long)(vcpu->passage_faults - 1));
	else if (c->exit_kind == CO_XK_PASSAGE_FAULT)
		co_format(why, sizeof(why),
			  "the CPU refused the switch: %s at passage+0x%llx, cr2 0x%llx",
			  v < 32 ? exception_name[v] : "interrupt",
			  (unsigned long long)(c->fault_rip - vcpu->va),
			  (unsigned long long)c->fault_cr2);
	else if (v == 8)
		co_format(why, sizeof(why), "double fault in the guest");
	else
		co_format(why, sizeof(why),
			  "%s in the guest, and no handler for it in its IDT",
			  exception_name[v]);
	co_vcpu_kill(vcpu, v, c->exit_error, why);
}

/* After an exit, with interrupts enabled: what happens next. */
int co_vcpu_handle(struct co_vcpu *vcpu, struct co_run *run)
{
	const struct co_passage_vcpu *c = vcpu->state;
	int act = CO_ACT_CONTINUE;

	run->exit_reason = CO_EXIT_NONE;
	if (vcpu->must_report)
		return report_death(vcpu, run);
	if (c->exit_kind == CO_XK_PASSAGE_FAULT ||
	    (c->exit_vector < 32 && c->exit_vector != 2 && c->exit_vector != 18))
		kill_on_exception(vcpu);
	else if (c->exit_vector == CO_VEC_HYPERCALL)
		act = co_hypercall(vcpu, run);
	if (c->xcr0 & ~vcpu->vm->caps.xcr0)
		co_vcpu_kill(vcpu, ~0U, c->xcr0,
			     "the guest enabled XSAVE features that the host does not use");
	if (vcpu->must_report)
		return report_death(vcpu, run);
	/*
	 * Once another vCPU ended the guest, nothing is served for it any
	 * more; only this vCPU's own power-off or crash goes to the daemon.
	 */
	if (co_vm_is_dead(vcpu->vm) && !(act == CO_ACT_TO_USER &&
					 (run->exit_reason == CO_EXIT_POWEROFF ||
					  run->exit_reason == CO_EXIT_CRASH)))
		return CO_ACT_ENDED;
	if (act == CO_ACT_TO_USER)
		fill_record(vcpu, run);
	return act;
}

/*
 * At the start of CO_IOC_RUN: finish what the daemon did for the last exit.
 * A daemon call returns the result the daemon wrote, read once (the daemon
 * can change the run page at any time); the guest judges it.
 */
void co_vcpu_resume(struct co_vcpu *vcpu, const struct co_run *run)
{
	if (!vcpu->call_outstanding)
		return;
	vcpu->state->gpr[0] = (__u64)__atomic_load_n(&run->u.call.result,
						  __ATOMIC_RELAXED);
	vcpu->call_outstanding = false;
}

/* The OS layer stops a RUN because of a signal; the guest can resume. */
void co_vcpu_interrupted(struct co_vcpu *vcpu, struct co_run *run)
{
	run->exit_reason = CO_EXIT_INTR;
	fill_record(vcpu, run);
}

/* For the OS layer when co_vcpu_prepare() failed. */
int co_vcpu_report(struct co_vcpu *vcpu, struct co_run *run)
{
	if (vcpu->must_report)
		return report_death(vcpu, run);
	return co_vm_is_dead(vcpu->vm) ? CO_ACT_ENDED : CO_ACT_CONTINUE;
}
