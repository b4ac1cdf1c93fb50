// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPUs' exit loop: enter the guest with CO_IOC_RUN, serve each exit
 * that needs the daemon, and turn the way the guest ended into the exit
 * status.  colinux run runs vCPU 0's on its main thread, which also takes
 * the stop signals; the other vCPUs' run on threads of their own
 * (vcpus.c).  Device calls go to the device table, one at a time; this
 * file knows no device.
 *
 * Exit status: the guest's power-off status (0-255); 125 when the guest
 * crashed or was stopped by the host; 128 + signal when a signal stopped
 * it; 1 when running it failed.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "loop.h"
#include "util.h"

static int serve_first(struct vm *vm, struct device_table *devices);

/* Devices expect one call at a time, from whichever vCPU makes it. */
static pthread_mutex_t device_calls = PTHREAD_MUTEX_INITIALIZER;

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t stopped_from_console;
static volatile sig_atomic_t power_signal;
static struct co_run *volatile stop_run;
static void (*power_handler)(void *arg);
static void *power_arg;

/*
 * A stop signal may arrive before CO_IOC_RUN starts, when nothing is left
 * pending to interrupt it: immediate_exit covers that window.
 */
static void on_stop_signal(int sig)
{
	stop_signal = sig;
	if (stop_run)
		stop_run->immediate_exit = 1;
}

/*
 * SIGPWR ('colinux stop'): the guest should shut down in order.  The vCPU
 * thread leaves CO_IOC_RUN, calls the handler (the power button) and goes
 * on running the guest.
 */
static void on_power_signal(int sig)
{
	(void)sig;
	power_signal = 1;
	if (stop_run)
		stop_run->immediate_exit = 1;
}

void loop__set_power_handler(void (*handler)(void *arg), void *arg)
{
	power_arg = arg;
	power_handler = handler;
}

/* Ctrl-] q on the console: stop the guest as SIGINT would. */
void loop__quit_from_console(void)
{
	stopped_from_console = 1;
	kill(getpid(), SIGINT);
}

/* No SA_RESTART: a signal must interrupt CO_IOC_RUN. */
void loop__catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_power_signal;
	sigaction(SIGPWR, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void print_regs(const struct co_regs *r)
{
	fprintf(stderr,
		"  rip %016llx  rsp %016llx  rflags %08llx  cs %04llx ss %04llx\n"
		"  rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx\n"
		"  rsi %016llx  rdi %016llx  rbp %016llx  r8  %016llx\n"
		"  r9  %016llx  r10 %016llx  r11 %016llx  r12 %016llx\n"
		"  r13 %016llx  r14 %016llx  r15 %016llx\n"
		"  cr0 %016llx  cr2 %016llx  cr3 %016llx  cr4 %016llx\n"
		"  efer %llx  fs_base %llx  gs_base %llx  kernel_gs_base %llx\n",
		r->rip, r->rsp, r->rflags, r->cs, r->ss, r->rax, r->rbx, r->rcx,
		r->rdx, r->rsi, r->rdi, r->rbp, r->r8, r->r9, r->r10, r->r11,
		r->r12, r->r13, r->r14, r->r15, r->cr0, r->cr2, r->cr3, r->cr4,
		r->efer, r->fs_base, r->gs_base, r->kernel_gs_base);
}

/* The vCPUs' counters, added up. */
void loop__print_stats(const struct vm *vm)
{
	struct co_stats s = { 0 };
	unsigned int i;

	for (i = 0; i < vm->nr_vcpus; i++) {
		const struct co_stats *v = &vm->run[i]->stats;

		s.entries += v->entries;
		s.irq_exits += v->irq_exits;
		s.nmi_exits += v->nmi_exits;
		s.nmi_pending += v->nmi_pending;
		s.hypercalls += v->hypercalls;
		s.injections += v->injections;
		s.idle_sleeps += v->idle_sleeps;
		s.notifies += v->notifies;
		s.halts += v->halts;
		s.kicks += v->kicks;
		s.halt_polls += v->halt_polls;
	}
	fprintf(stderr, "colinux: stats: entries=%llu irq_exits=%llu "
		"nmi_exits=%llu nmi_pending=%llu hypercalls=%llu "
		"injections=%llu idle_sleeps=%llu notifies=%llu halts=%llu "
		"kicks=%llu halt_polls=%llu\n",
		s.entries, s.irq_exits, s.nmi_exits, s.nmi_pending,
		s.hypercalls, s.injections, s.idle_sleeps, s.notifies,
		s.halts, s.kicks, s.halt_polls);
}

static int report_crash(struct vm *vm, const struct co_run *run)
{
	const char *msg = vm__gpa_to_host(vm, run->u.crash.msg_gpa,
					  run->u.crash.msg_len);

	fprintf(stderr, "colinux: the guest crashed (code %llu)%s%.*s\n",
		run->u.crash.code, msg ? ": " : "",
		msg ? (int)run->u.crash.msg_len : 0, msg ? msg : "");
	print_regs(&run->regs);
	return EXIT_GUEST_CRASHED;
}

static int report_fault(const struct co_run *run)
{
	fprintf(stderr, "colinux: the guest was stopped: %.*s (error code %#llx)\n",
		CO_FAULT_REASON_LEN, run->u.fault.reason,
		run->u.fault.error_code);
	print_regs(&run->regs);
	return EXIT_GUEST_CRASHED;
}

/*
 * Serves the guest until it is done, on every vCPU; returns the exit
 * status.
 */
int loop__serve(struct vm *vm, struct device_table *devices)
{
	struct vcpu_threads others;
	int status, theirs;

	if (vcpus__start(&others, vm, devices))
		return 1;
	stop_run = vm->run[0];
	if (stop_signal)
		stop_run->immediate_exit = 1;
	status = serve_first(vm, devices);
	stop_run = NULL;
	theirs = vcpus__stop(&others);
	if (status != EXIT_ENDED_ELSEWHERE)
		return status;
	if (theirs == EXIT_ENDED_ELSEWHERE) {
		pr_err("the guest ended, but no vCPU reported how");
		return 1;
	}
	return theirs;
}

/*
 * What the run record says of an exit: EXIT_SERVED when the vCPU goes on,
 * else how the guest ended (an exit status).
 */
int loop__exit(struct vm *vm, struct device_table *devices,
	       struct co_run *run)
{
	switch (run->exit_reason) {
	case CO_EXIT_DAEMON_CALL:
		pthread_mutex_lock(&device_calls);
		run->u.call.result = devices__call(devices, vm, run);
		pthread_mutex_unlock(&device_calls);
		return EXIT_SERVED;
	case CO_EXIT_POWEROFF:
		if (run->u.poweroff.status == CO_POWEROFF_REBOOT)
			return EXIT_GUEST_REBOOTED;
		if (run->u.poweroff.status == CO_POWEROFF_HALT) {
			pr_info("the guest halted");
			return 0;
		}
		return (int)(run->u.poweroff.status & 0xff);
	case CO_EXIT_CRASH:
		return report_crash(vm, run);
	case CO_EXIT_FAULT:
		return report_fault(run);
	default:
		pr_err("unknown exit reason %u from the module",
		       run->exit_reason);
		return 1;
	}
}

/* vCPU 0: the stop signals and the power button are its to serve. */
static int serve_first(struct vm *vm, struct device_table *devices)
{
	struct co_run *run = vm->run[0];
	int status;

	for (;;) {
		if (vm__run(vm, 0)) {
			if (errno == ESHUTDOWN)
				return EXIT_ENDED_ELSEWHERE;
			if (errno != EINTR) {
				pr_err("running the guest failed: %s", strerror(errno));
				return 1;
			}
			if (stopped_from_console) {
				pr_info("stopped from the console (Ctrl-] q)");
				return 128 + SIGINT;
			}
			if (stop_signal) {
				pr_info("stopped by signal %d (%s)", stop_signal,
					strsignal(stop_signal));
				return 128 + stop_signal;
			}
			if (vcpus__failed())
				return 1;
			/*
			 * Not a stop: run on.  immediate_exit is cleared
			 * before power_signal, so a SIGPWR in between is
			 * either served now or leaves both set again; a stop
			 * or another vCPU's failure that came in between sets
			 * it again (its kick may have come before the clear).
			 */
			run->immediate_exit = 0;
			if (stop_signal || vcpus__failed())
				run->immediate_exit = 1;
			if (power_signal) {
				power_signal = 0;
				/* The button is a device: other vCPUs may call it. */
				pthread_mutex_lock(&device_calls);
				if (power_handler)
					power_handler(power_arg);
				pthread_mutex_unlock(&device_calls);
			}
			continue;
		}
		status = loop__exit(vm, devices, run);
		if (status != EXIT_SERVED)
			return status;
	}
}
