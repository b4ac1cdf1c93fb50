// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls: the guest's requests to the host (numbers and registers in
 * include/colinux/abi.h, prose in docs/abi.md).
 *
 * Arguments arrive in the guest's rdi, rsi, rdx, rcx and are untrusted: a
 * bad argument gets a negative errno back in rax; only a broken guest IDT
 * entry the CPU would choke on stops the guest.  Calls that need the
 * daemon (device calls, power off, crash) fill in the run record and
 * return to user space; the rest are served here and the guest continues.
 * The module knows no device: every device call is one CO_HC_DAEMON_CALL.
 */
#include "errno.h"
#include "os.h"
#include "vm.h"
#include "x86.h"

struct hcall_args {
	__u64 a0, a1, a2, a3;
};

typedef int (*hcall_fn)(struct co_vcpu *vcpu, struct co_run *run,
			const struct hcall_args *args, __s64 *ret);

static bool canonical(const struct co_vcpu *vcpu, __u64 va)
{
	return co_va_is_canonical(vcpu->vm->caps.paging_levels, va);
}

static int hc_nop(struct co_vcpu *vcpu, struct co_run *run,
		  const struct hcall_args *args, __s64 *ret)
{
	(void)vcpu;
	(void)run;
	(void)args;
	*ret = 0;
	return CO_ACT_CONTINUE;
}

/*
 * A call to a device the daemon serves: handed over as the guest made it
 * (the daemon checks every value); its result reaches the guest's rax when
 * the daemon resumes the vCPU (co_vcpu_resume()).
 */
static int hc_daemon_call(struct co_vcpu *vcpu, struct co_run *run,
			  const struct hcall_args *args, __s64 *ret)
{
	*ret = -CO_EIO;		/* if the daemon never answers */
	run->exit_reason = CO_EXIT_DAEMON_CALL;
	run->u.call.device = args->a0;
	run->u.call.op = args->a1;
	run->u.call.arg[0] = args->a2;
	run->u.call.arg[1] = args->a3;
	run->u.call.result = -CO_EIO;
	vcpu->call_outstanding = true;
	return CO_ACT_TO_USER;
}

static int hc_poweroff(struct co_vcpu *vcpu, struct co_run *run,
		       const struct hcall_args *args, __s64 *ret)
{
	*ret = 0;
	if (!co_vm_claim_end(vcpu->vm))
		return CO_ACT_ENDED;	/* another vCPU ended it first */
	run->exit_reason = CO_EXIT_POWEROFF;
	run->u.poweroff.status = args->a0;
	return CO_ACT_TO_USER;
}

static int hc_crash(struct co_vcpu *vcpu, struct co_run *run,
		    const struct hcall_args *args, __s64 *ret)
{
	bool msg_ok = args->a2 && args->a2 <= CO_CRASH_MSG_MAX &&
		      co_guest_ptr(vcpu->vm, args->a1, args->a2);

	*ret = 0;
	if (!co_vm_claim_end(vcpu->vm))
		return CO_ACT_ENDED;
	run->exit_reason = CO_EXIT_CRASH;
	run->u.crash.code = args->a0;
	run->u.crash.msg_gpa = msg_ok ? args->a1 : 0;
	run->u.crash.msg_len = msg_ok ? args->a2 : 0;
	return CO_ACT_TO_USER;
}

/* Does the vCPU have a reason not to sleep?  A kick counts once. */
static bool wake_reason(struct co_vcpu *vcpu)
{
	return __atomic_exchange_n(&vcpu->kicked, 0, __ATOMIC_SEQ_CST) ||
	       co_vcpu_event_pending(vcpu);
}

/* Like "sti; hlt": returns with interrupts on once one is pending. */
static int hc_idle(struct co_vcpu *vcpu, struct co_run *run,
		   const struct hcall_args *args, __s64 *ret)
{
	(void)run;
	(void)args;
	*ret = 0;
	vcpu->state->rflags |= X86_RFLAGS_IF;
	if (wake_reason(vcpu))
		return CO_ACT_CONTINUE;
	vcpu->stats.idle_sleeps++;
	return CO_ACT_IDLE;
}

/*
 * Like "hlt" with the interrupt flag left alone: a paravirtual spinlock's
 * waiter sleeps until the unlocker's CO_HC_KICK (or any pending vector,
 * which the guest takes when it enables interrupts again).
 */
static int hc_halt(struct co_vcpu *vcpu, struct co_run *run,
		   const struct hcall_args *args, __s64 *ret)
{
	(void)run;
	(void)args;
	*ret = 0;
	if (wake_reason(vcpu))
		return CO_ACT_CONTINUE;
	vcpu->stats.halts++;
	return CO_ACT_IDLE;
}

static int hc_kick(struct co_vcpu *vcpu, struct co_run *run,
		   const struct hcall_args *args, __s64 *ret)
{
	struct co_vm *vm = vcpu->vm;
	struct co_vcpu *target;

	(void)run;
	if (args->a0 >= vm->nr_vcpus) {
		*ret = -CO_EINVAL;
		return CO_ACT_CONTINUE;
	}
	target = vm->vcpu[args->a0];
	__atomic_store_n(&target->kicked, 1, __ATOMIC_SEQ_CST);
	if (target != vcpu)
		co_os_vcpu_kick(target->os);
	vcpu->stats.kicks++;
	*ret = 0;
	return CO_ACT_CONTINUE;
}

/*
 * Where this vCPU's steal-time record lives.  The host only ever writes
 * it (run.c), so all it needs is to lie inside one RAM chunk; aligned, it
 * cannot straddle one.
 */
static int hc_set_steal_time(struct co_vcpu *vcpu, struct co_run *run,
			     const struct hcall_args *args, __s64 *ret)
{
	struct co_steal_time *st = NULL;

	(void)run;
	*ret = -CO_EINVAL;
	if (args->a0) {
		if (args->a0 % CO_STEAL_TIME_ALIGN)
			return CO_ACT_CONTINUE;
		st = co_guest_ptr(vcpu->vm, args->a0, sizeof(*st));
		if (!st)
			return CO_ACT_CONTINUE;
	}
	vcpu->steal = st;
	vcpu->steal_version = 0;
	vcpu->steal_ns = 0;
	co_os_vcpu_run_delay(vcpu->os);	/* steal counts from now */
	*ret = 0;
	return CO_ACT_CONTINUE;
}

static int hc_set_timer(struct co_vcpu *vcpu, struct co_run *run,
			const struct hcall_args *args, __s64 *ret)
{
	(void)run;
	if (args->a0 && (args->a1 < 32 || args->a1 > 255)) {
		*ret = -CO_EINVAL;
		return CO_ACT_CONTINUE;
	}
	if (args->a0)
		__atomic_store_n(&vcpu->timer_vector, (unsigned int)args->a1,
				 __ATOMIC_RELAXED);
	co_os_timer_set(vcpu->os, args->a0);
	*ret = 0;
	return CO_ACT_CONTINUE;
}

static bool gate_ok(const struct co_vcpu *vcpu, const struct co_gate *g)
{
	if (!g->present)
		return true;
	return (g->type == 0xe || g->type == 0xf) &&
	       (!g->ist || (CO_GUEST_IST_MASK & (1U << g->ist))) &&
	       canonical(vcpu, g->handler) && (g->selector & ~3U) && !(g->selector & 4);
}

static void decode_gate(const __u64 *raw, struct co_gate *g)
{
	__u64 lo = raw[0];

	g->handler = (lo & 0xffff) | ((lo >> 48) & 0xffff) << 16 | raw[1] << 32;
	g->selector = (lo >> 16) & 0xffff;
	g->ist = (lo >> 32) & 7;
	g->type = (lo >> 40) & 0xf;
	g->dpl = (lo >> 45) & 3;
	g->present = (lo >> 47) & 1;
}

/* NMI, #DF and #MC always go to the passage; the guest's gates are ignored. */
static bool passage_owns(unsigned int v)
{
	return v == 2 || v == 8 || v == 18;
}

/*
 * Gates that go straight into the guest-world IDT: the exceptions, and the
 * 32-bit system call vector when the host never raises an interrupt on it
 * (a guest that runs 32-bit programs takes "int $0x80" itself).
 */
static bool guest_owns_gate(unsigned int v)
{
	if (v == CO_GUEST_SYSCALL_VECTOR)
		return co_os_host_never_raises(v);
	return v < 32 && !passage_owns(v);
}

/*
 * The vCPU's guest-world IDT from its gate snapshot: exception gates (and
 * 0x80) go straight in, every other vector to this vCPU's passage stubs.
 */
void co_vcpu_apply_gates(struct co_vcpu *vcpu)
{
	__u64 *idt = vcpu->page[CO_PASSAGE_GUEST_IDT / CO_PAGE_SIZE];
	unsigned int v;

	co_passage_reset_guest_idt(vcpu);
	for (v = 0; v < 256; v++) {
		const struct co_gate *g = &vcpu->gate[v];

		if (g->present && guest_owns_gate(v))
			co_passage_set_gate(idt, v, g->handler, g->selector, g->ist,
					    g->type, g->dpl);
	}
}

/*
 * Snapshot the guest's IDT.  Exception gates (and 0x80) go straight into the
 * guest-world IDT, so the CPU delivers them without the host; interrupt
 * gates are kept for injection.  All or nothing: one bad gate and the
 * call fails with nothing changed.  Guest RAM is read exactly once, into
 * vcpu->gate_next: the daemon's threads can write it while we look, so what
 * is checked must be what is used.
 */
static int hc_set_idt(struct co_vcpu *vcpu, struct co_run *run,
		      const struct hcall_args *args, __s64 *ret)
{
	struct co_gate *next = vcpu->gate_next;
	__u64 bytes = args->a1 + 1;
	const __u64 *raw;
	unsigned int v, n;

	(void)run;
	*ret = -CO_EINVAL;
	if (args->a1 > 4095 || bytes % 16)
		return CO_ACT_CONTINUE;
	raw = co_guest_ptr(vcpu->vm, args->a0, bytes);
	if (!raw)
		return CO_ACT_CONTINUE;
	n = (unsigned int)(bytes / 16);
	for (v = 0; v < 256; v++) {
		__u64 pair[2] = { 0, 0 };

		if (v < n) {
			pair[0] = __atomic_load_n(&raw[2 * v], __ATOMIC_RELAXED);
			pair[1] = __atomic_load_n(&raw[2 * v + 1], __ATOMIC_RELAXED);
		}
		decode_gate(pair, &next[v]);
		if (!passage_owns(v) && !gate_ok(vcpu, &next[v]))
			return CO_ACT_CONTINUE;
	}
	for (v = 0; v < 256; v++)
		vcpu->gate[v] = next[v];
	co_vcpu_apply_gates(vcpu);
	*ret = 0;
	return CO_ACT_CONTINUE;
}

static int hc_set_stacks(struct co_vcpu *vcpu, struct co_run *run,
			 const struct hcall_args *args, __s64 *ret)
{
	struct co_tss *tss = &vcpu->tables->tss;

	(void)run;
	if (!canonical(vcpu, args->a0) || !canonical(vcpu, args->a1) ||
	    !canonical(vcpu, args->a2) || !canonical(vcpu, args->a3)) {
		*ret = -CO_EINVAL;
		return CO_ACT_CONTINUE;
	}
	vcpu->rsp0 = args->a0;
	vcpu->ist[3] = args->a1;
	vcpu->ist[5] = args->a2;
	vcpu->ist[6] = args->a3;
	co_tss_set(tss, TSS_RSP0, vcpu->rsp0);
	co_tss_set(tss, TSS_IST(3), vcpu->ist[3]);
	co_tss_set(tss, TSS_IST(5), vcpu->ist[5]);
	co_tss_set(tss, TSS_IST(6), vcpu->ist[6]);
	*ret = 0;
	return CO_ACT_CONTINUE;
}

static int hc_wallclock(struct co_vcpu *vcpu, struct co_run *run,
			const struct hcall_args *args, __s64 *ret)
{
	(void)vcpu;
	(void)run;
	(void)args;
	*ret = (__s64)co_os_wallclock_ns();
	return CO_ACT_CONTINUE;
}

/*
 * A queue notification: the daemon's I/O thread learns of it through an
 * eventfd while the guest runs on, as with KVM's ioeventfd.
 */
static int hc_notify(struct co_vcpu *vcpu, struct co_run *run,
		     const struct hcall_args *args, __s64 *ret)
{
	(void)run;
	if (args->a0 >= CO_MAX_DEVICES || args->a1 >= CO_NOTIFY_QUEUES) {
		*ret = -CO_EINVAL;
		return CO_ACT_CONTINUE;
	}
	*ret = co_os_notify(vcpu->vm->os, (unsigned int)args->a0,
			    (unsigned int)args->a1);
	if (!*ret)
		vcpu->stats.notifies++;
	return CO_ACT_CONTINUE;
}

/*
 * Start another vCPU, as Xen's VCPUOP_initialise + VCPUOP_up: its thread
 * waits in RUN (co_vcpu_may_enter()) until up reads CO_VCPU_UP, so
 * everything written before that store is what it enters with.  It
 * inherits the caller's address space and IDT snapshot (Linux's CPUs share
 * one idt_table), not its stacks: each CPU has its own.
 */
static int hc_vcpu_up(struct co_vcpu *vcpu, struct co_run *run,
		      const struct hcall_args *args, __s64 *ret)
{
	struct co_vm *vm = vcpu->vm;
	struct co_vcpu *ap;
	struct co_passage_vcpu *s;
	int down = CO_VCPU_DOWN;
	unsigned int v;

	(void)run;
	*ret = -CO_EINVAL;
	if (args->a0 >= vm->nr_vcpus || args->a0 == vcpu->index ||
	    !canonical(vcpu, args->a1) || !canonical(vcpu, args->a2))
		return CO_ACT_CONTINUE;
	ap = vm->vcpu[args->a0];
	*ret = -CO_EBUSY;
	if (!__atomic_compare_exchange_n(&ap->up, &down, CO_VCPU_STARTING,
					 false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return CO_ACT_CONTINUE;
	co_vcpu_init_state(ap);
	s = ap->state;
	s->rip = args->a1;
	s->gpr[7] = args->a2;	/* rsp */
	s->gpr[5] = args->a3;	/* rdi */
	s->cr3 = vcpu->state->cr3;
	for (v = 0; v < 256; v++)
		ap->gate[v] = vcpu->gate[v];
	co_vcpu_apply_gates(ap);
	__atomic_store_n(&ap->up, CO_VCPU_UP, __ATOMIC_RELEASE);
	co_os_vcpu_kick(ap->os);
	*ret = 0;
	return CO_ACT_CONTINUE;
}

/*
 * An inter-processor interrupt: the vector goes pending on the target,
 * which takes it at its next entry with interrupts on; the kick makes
 * that soon (a sleeping vCPU wakes, a running one exits and comes back).
 */
static int hc_send_ipi(struct co_vcpu *vcpu, struct co_run *run,
		       const struct hcall_args *args, __s64 *ret)
{
	struct co_vm *vm = vcpu->vm;
	struct co_vcpu *target;

	(void)run;
	if (args->a0 >= vm->nr_vcpus || args->a1 < 32 || args->a1 > 255) {
		*ret = -CO_EINVAL;
		return CO_ACT_CONTINUE;
	}
	target = vm->vcpu[args->a0];
	co_vcpu_raise(target, (unsigned int)args->a1);
	if (target != vcpu)
		co_os_vcpu_kick(target->os);
	*ret = 0;
	return CO_ACT_CONTINUE;
}

static const hcall_fn hcalls[CO_HC_COUNT] = {
	[CO_HC_NOP] = hc_nop,
	[CO_HC_DAEMON_CALL] = hc_daemon_call,
	[CO_HC_POWEROFF] = hc_poweroff,
	[CO_HC_CRASH] = hc_crash,
	[CO_HC_IDLE] = hc_idle,
	[CO_HC_SET_TIMER] = hc_set_timer,
	[CO_HC_SET_IDT] = hc_set_idt,
	[CO_HC_SET_STACKS] = hc_set_stacks,
	[CO_HC_WALLCLOCK] = hc_wallclock,
	[CO_HC_NOTIFY] = hc_notify,
	[CO_HC_VCPU_UP] = hc_vcpu_up,
	[CO_HC_SEND_IPI] = hc_send_ipi,
	[CO_HC_HALT] = hc_halt,
	[CO_HC_KICK] = hc_kick,
	[CO_HC_SET_STEAL_TIME] = hc_set_steal_time,
};

int co_hypercall(struct co_vcpu *vcpu, struct co_run *run)
{
	struct co_passage_vcpu *c = vcpu->state;
	struct hcall_args args = { c->gpr[5], c->gpr[4], c->gpr[3], c->gpr[2] };
	__u64 nr = c->gpr[0];
	__s64 ret = -CO_ENOSYS;
	int act = CO_ACT_CONTINUE;

	vcpu->stats.hypercalls++;
	if (nr < CO_HC_COUNT && hcalls[nr])
		act = hcalls[nr](vcpu, run, &args, &ret);
	c->gpr[0] = (__u64)ret;
	return act;
}
