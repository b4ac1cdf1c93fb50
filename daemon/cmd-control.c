// SPDX-License-Identifier: GPL-2.0
/*
 * colinux stop, kill, pause and resume NAME: signals to the daemon of a
 * running VM, which is an ordinary process (the guest runs on its main
 * thread, inside its CO_IOC_RUN).
 *
 * stop: SIGPWR, which presses the guest's power button; the guest shuts
 *   down in order and powers off.  Waits --timeout S seconds (default 120)
 *   for the daemon to end; then fails, or with --force kills it.
 * kill: SIGTERM, which stops the guest at once (its disks get no sync),
 *   then SIGKILL if the daemon is still there after 5 seconds.
 * pause, resume: SIGSTOP and SIGCONT: the guest's CPU stops and goes on;
 *   its clock follows the host's, so it shows the right time afterwards.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "rundir.h"
#include "util.h"

/* The running VM called name: its daemon's pid, or 0 with a message. */
static pid_t find_vm(struct named_vm *vm, const char *name)
{
	struct vm_state st;

	if (rundir__name(vm, name))
		return 0;
	if (!rundir__running(vm, &st)) {
		pr_err("%s is not running", name);
		return 0;
	}
	if (!st.pid)
		pr_err("%s is still starting: try again", name);
	return st.pid;
}

/* Waits up to seconds for the daemon to let go of its VM: 0 once it did. */
static int wait_gone(struct named_vm *vm, double seconds)
{
	struct timespec tick = { .tv_nsec = 100 * 1000 * 1000 };
	struct vm_state st;
	int i;

	for (i = 0; i < seconds * 10; i++) {
		if (!rundir__running(vm, &st))
			return 0;
		nanosleep(&tick, NULL);
	}
	return rundir__running(vm, &st) ? -1 : 0;
}

static int send_signal(pid_t pid, int sig, const char *name)
{
	if (kill(pid, sig)) {
		pr_err("%s (pid %d): %s", name, (int)pid, strerror(errno));
		return -1;
	}
	return 0;
}

/* SIGTERM, then SIGKILL: 0 once the VM is gone. */
static int kill_vm(struct named_vm *vm, pid_t pid)
{
	if (send_signal(pid, SIGTERM, vm->name))
		return 1;
	kill(pid, SIGCONT);	/* a paused daemon must see it */
	if (!wait_gone(vm, 5))
		return 0;
	pr_info("%s did not stop on SIGTERM: SIGKILL", vm->name);
	kill(pid, SIGKILL);
	return wait_gone(vm, 5) ? 1 : 0;
}

static int usage(const char *cmd, const char *args)
{
	fprintf(stderr, "usage: colinux %s NAME%s\n", cmd, args);
	return 2;
}

int cmd_stop(int argc, char **argv)
{
	double timeout = 120;
	struct named_vm vm;
	int force = 0, i;
	char *end;
	pid_t pid;

	if (argc < 2 || argv[1][0] == '-')
		return usage("stop", " [--timeout SECONDS] [--force]");
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--force")) {
			force = 1;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			timeout = strtod(argv[++i], &end);
			if (*end || end == argv[i] || timeout < 0 || timeout > 86400) {
				pr_err("--timeout %s: expected seconds, 0 to 86400",
				       argv[i]);
				return 2;
			}
		} else {
			pr_err("stop: unknown option '%s'", argv[i]);
			return usage("stop", " [--timeout SECONDS] [--force]");
		}
	}
	pid = find_vm(&vm, argv[1]);
	if (!pid)
		return 1;
	kill(pid, SIGCONT);	/* a paused guest cannot shut down */
	if (send_signal(pid, SIGPWR, vm.name))
		return 1;
	if (!wait_gone(&vm, timeout)) {
		printf("colinux: %s shut down\n", vm.name);
		return 0;
	}
	if (!force) {
		pr_err("%s did not shut down within %g s (does its guest answer "
		       "the power button?): 'colinux stop --force' or "
		       "'colinux kill' ends it at once", vm.name, timeout);
		return 1;
	}
	pr_info("%s did not shut down within %g s: killing it", vm.name, timeout);
	return kill_vm(&vm, pid);
}

int cmd_kill(int argc, char **argv)
{
	struct named_vm vm;
	pid_t pid;

	if (argc != 2 || argv[1][0] == '-')
		return usage("kill", "");
	pid = find_vm(&vm, argv[1]);
	if (!pid)
		return 1;
	return kill_vm(&vm, pid);
}

static int signal_vm(int argc, char **argv, int sig)
{
	struct named_vm vm;
	pid_t pid;

	if (argc != 2 || argv[1][0] == '-')
		return usage(argv[0], "");
	pid = find_vm(&vm, argv[1]);
	if (!pid || send_signal(pid, sig, vm.name))
		return 1;
	return 0;
}

int cmd_pause(int argc, char **argv)
{
	return signal_vm(argc, argv, SIGSTOP);
}

int cmd_resume(int argc, char **argv)
{
	return signal_vm(argc, argv, SIGCONT);
}
