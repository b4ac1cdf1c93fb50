// SPDX-License-Identifier: GPL-2.0
/*
 * colinux start NAME [--foreground] [key=value | words...]: run the VM
 * CONFIG_DIR/NAME.conf describes in the background, its console on a
 * socket ('colinux console NAME'), its console and messages logged to
 * LOG_DIR/NAME.log.  Words after NAME override the file, as for run.
 *
 * The command returns once the guest runs (exit 0), or with the error and
 * status that kept it from starting: a bad config (2), a missing kernel or
 * disk (2), a VM of that name already running (1).  The daemon it leaves
 * behind is a process of its own session, which 'colinux stop', 'kill',
 * 'pause' and 'resume' signal.  --foreground stays in the foreground (a
 * systemd service, colinux@NAME.service).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "config.h"
#include "consock.h"
#include "loop.h"
#include "rundir.h"
#include "run.h"
#include "util.h"

struct detached {
	int ready_fd;		/* the waiting 'colinux start', or -1 */
	const char *log;
	const char *name;
};

/* The first boot runs: messages go to the log, and the starter may go. */
static void guest_running(void *arg)
{
	struct detached *d = arg;
	int fd;

	if (d->ready_fd < 0)
		return;
	fflush(stderr);
	fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
	pr_info("%s: the guest runs (pid %d)", d->name, (int)getpid());
	if (write(d->ready_fd, "R", 1) != 1)
		pr_err("cannot tell 'colinux start' that the VM runs");
	close(d->ready_fd);
	d->ready_fd = -1;
}

static int serve(struct named_vm *vm, const struct run_config *cfg,
		 int ready_fd)
{
	static struct console_socket console;
	static struct term term;
	struct detached d = { .ready_fd = ready_fd, .log = vm->log,
			     .name = vm->name };
	struct run_hooks hooks = { .running = guest_running, .arg = &d };
	int status;

	/* Before the state file shows our pid: 'stop' may send SIGPWR at once. */
	loop__catch_stop_signals();
	term__init(&term);
	if (consock__start(&console, &term, vm->socket, vm->log) ||
	    rundir__write_state(vm, cfg->ram_bytes >> 20, cfg->config_file)) {
		rundir__remove(vm);
		return 1;
	}
	status = run__vm(cfg, &term, &hooks);
	pr_info("%s: stopped with status %d", vm->name, status);
	rundir__remove(vm);
	return status;
}

/* The starter's side: wait until the daemon runs the guest, or died. */
static int wait_started(struct named_vm *vm, pid_t child, int ready_fd)
{
	char c;
	int status;
	ssize_t n;

	do
		n = read(ready_fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1) {
		printf("colinux: %s runs (pid %d): 'colinux console %s' attaches "
		       "its console, 'colinux stop %s' shuts it down\n",
		       vm->name, (int)child, vm->name, vm->name);
		return 0;
	}
	if (waitpid(child, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int cmd_start(int argc, char **argv)
{
	static struct run_config cfg;
	static char dash_c[] = "-c";
	struct named_vm vm;
	char **words;
	int foreground = 0, pipefd[2], i, n = 0, fd;
	pid_t child;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: colinux start NAME [--foreground] "
			"[key=value...]\n");
		return 2;
	}
	if (rundir__name(&vm, argv[1]))
		return 2;
	words = calloc(argc + 3, sizeof(*words));
	if (!words)
		return 1;
	words[n++] = argv[0];
	words[n++] = dash_c;
	words[n++] = vm.config;
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--foreground"))
			foreground = 1;
		else
			words[n++] = argv[i];
	}
	if (access(vm.config, R_OK)) {
		pr_err("%s: no config file for VM %s: %s", vm.config, vm.name,
		       strerror(errno));
		return 2;
	}
	if (config__parse(&cfg, n, words))
		return 2;
	cfg.name = vm.name;
	if (rundir__lock(&vm))
		return 1;
	if (foreground)
		return serve(&vm, &cfg, -1);
	if (pipe2(pipefd, O_CLOEXEC)) {
		pr_err("pipe: %s", strerror(errno));
		return 1;
	}
	fflush(stdout);
	child = fork();
	if (child < 0) {
		pr_err("fork: %s", strerror(errno));
		return 1;
	}
	if (child) {
		close(pipefd[1]);
		return wait_started(&vm, child, pipefd[0]);
	}
	close(pipefd[0]);
	setsid();
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	return serve(&vm, &cfg, pipefd[1]);
}
