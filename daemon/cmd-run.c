// SPDX-License-Identifier: GPL-2.0
/*
 * colinux run: create the VM, load the kernel, and run it on this thread,
 * serving its exits, until it powers off, crashes or a signal stops it.
 *
 * Exit status: the guest's power-off status (0-255); 125 when the guest
 * crashed or was stopped by the host; 128 + signal when a signal stopped
 * it; 2 for bad options or files; 1 when the host cannot run it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "commands.h"
#include "console.h"
#include "config.h"
#include "elf.h"
#include "util.h"
#include "vm.h"

#define EXIT_GUEST_CRASHED 125
#define EXIT_GUEST_REBOOTED (-1)	/* not an exit status: boot again? */

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t stopped_from_console;
static struct co_run *volatile stop_run;
static struct console_input console;

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

/* Ctrl-] q on the console: stop the guest as SIGINT would. */
static void quit_from_console(void)
{
	stopped_from_console = 1;
	kill(getpid(), SIGINT);
}

/* No SA_RESTART: a signal must interrupt CO_IOC_RUN. */
static void catch_stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;		/* nobody reads the console: drop it */
		p += n;
		len -= n;
	}
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

static void print_stats(const struct co_stats *s)
{
	fprintf(stderr, "colinux: stats: entries=%llu irq_exits=%llu "
		"nmi_exits=%llu nmi_pending=%llu hypercalls=%llu "
		"injections=%llu idle_sleeps=%llu\n",
		s->entries, s->irq_exits, s->nmi_exits, s->nmi_pending,
		s->hypercalls, s->injections, s->idle_sleeps);
}

static int report_crash(struct vm *vm)
{
	const struct co_run *run = vm->run;
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

/* Serves exits until the guest is done; returns the exit status. */
static int serve(struct vm *vm)
{
	struct co_run *run = vm->run;
	uint8_t *bytes;

	for (;;) {
		if (vm__run(vm)) {
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
			continue;
		}
		switch (run->exit_reason) {
		case CO_EXIT_CONSOLE:
			bytes = vm__gpa_to_host(vm, run->u.console.gpa,
						run->u.console.len);
			if (bytes)
				write_all(STDOUT_FILENO, bytes, run->u.console.len);
			break;
		case CO_EXIT_CONSOLE_READ:
			bytes = vm__gpa_to_host(vm, run->u.console_read.gpa,
						run->u.console_read.len);
			run->u.console_read.done = bytes ?
				console__take(&console, bytes, run->u.console_read.len) : 0;
			break;
		case CO_EXIT_POWEROFF:
			if (run->u.poweroff.status == CO_POWEROFF_REBOOT)
				return EXIT_GUEST_REBOOTED;
			if (run->u.poweroff.status == CO_POWEROFF_HALT) {
				pr_info("the guest halted");
				return 0;
			}
			return (int)(run->u.poweroff.status & 0xff);
		case CO_EXIT_CRASH:
			return report_crash(vm);
		case CO_EXIT_FAULT:
			return report_fault(run);
		default:
			pr_err("unknown exit reason %u from the module",
			       run->exit_reason);
			return 1;
		}
	}
}

/*
 * doorbell=VECTOR,MS[,THREADS]: threads that raise VECTOR every MS ms, as
 * device backends will.  They exercise waking an idle vCPU and kicking a
 * running one from other threads, several at once.
 */
struct doorbell {
	struct vm *vm;
	unsigned int vector, ms;
	pthread_t thread;
	volatile int stop;
};

struct doorbells {
	unsigned int count;
	struct doorbell db[CO_MAX_DOORBELL_THREADS];
};

static void *doorbell_thread(void *arg)
{
	struct doorbell *db = arg;
	struct timespec period = {
		.tv_sec = db->ms / 1000,
		.tv_nsec = (long)(db->ms % 1000) * 1000000,
	};

	block_stop_signals();
	while (!db->stop) {
		if (db->ms)
			nanosleep(&period, NULL);
		if (vm__irq(db->vm, db->vector)) {
			pr_err("doorbell: %s", strerror(errno));
			break;
		}
	}
	return NULL;
}

static void doorbells_start(struct doorbells *dbs, struct vm *vm,
			    const struct run_config *cfg)
{
	unsigned int i;

	if (!cfg->doorbell_vector)
		return;
	for (i = 0; i < cfg->doorbell_threads; i++) {
		struct doorbell *db = &dbs->db[dbs->count];

		db->vm = vm;
		db->vector = cfg->doorbell_vector;
		db->ms = cfg->doorbell_ms;
		if (pthread_create(&db->thread, NULL, doorbell_thread, db)) {
			pr_err("cannot start a doorbell thread");
			break;
		}
		dbs->count++;
	}
}

static void doorbells_stop(struct doorbells *dbs)
{
	unsigned int i;

	for (i = 0; i < dbs->count; i++)
		dbs->db[i].stop = 1;
	for (i = 0; i < dbs->count; i++)
		pthread_join(dbs->db[i].thread, NULL);
}

/* One life of the VM: create, load, boot, serve, destroy. */
static int boot_once(const struct run_config *cfg)
{
	struct doorbells dbs = { 0 };
	struct kernel_image img;
	struct boot_layout layout;
	struct vm vm;
	int status;

	if (vm__create(&vm, cfg->ram_bytes))
		return 1;
	if (elf__load(&vm, cfg->kernel, vm.info.ram[0].gpa, &img) ||
	    boot__prepare(&vm, &img, cfg->cmdline, cfg->initrd, &layout) ||
	    boot__set_regs(&vm, &img, &layout)) {
		vm__destroy(&vm);
		return 2;
	}
	fflush(stdout);
	console__attach(&console, &vm);
	stop_run = vm.run;
	if (stop_signal)
		vm.run->immediate_exit = 1;
	doorbells_start(&dbs, &vm, cfg);
	status = serve(&vm);
	stop_run = NULL;
	doorbells_stop(&dbs);
	console__attach(&console, NULL);
	if (cfg->stats)
		print_stats(&vm.run->stats);
	vm__destroy(&vm);
	return status;
}

int cmd_run(int argc, char **argv)
{
	struct run_config cfg;
	int status;

	if (config__parse(&cfg, argc, argv))
		return 2;
	catch_stop_signals();
	if (console__start(&console, quit_from_console))
		return 1;
	for (;;) {
		status = boot_once(&cfg);
		if (status != EXIT_GUEST_REBOOTED)
			break;
		if (!cfg.reboot_restart) {
			pr_info("the guest rebooted");
			status = 0;
			break;
		}
		pr_info("the guest rebooted: starting it again");
	}
	console__stop(&console);
	return status;
}
