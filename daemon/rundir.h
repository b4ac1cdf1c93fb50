/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Named VMs ('colinux start NAME'): where their config, state, console
 * socket and log live, and the lock that says a daemon serves one.
 */
#ifndef COLINUX_DAEMON_RUNDIR_H
#define COLINUX_DAEMON_RUNDIR_H

#include <limits.h>
#include <sys/types.h>

#define VM_NAME_MAX 64

struct named_vm {
	char name[VM_NAME_MAX + 1];
	char config[PATH_MAX];		/* CONFIG_DIR/NAME.conf */
	char state[PATH_MAX];		/* RUN_DIR/NAME.state: locked while it runs */
	char socket[PATH_MAX];		/* RUN_DIR/NAME.sock: its console */
	char log[PATH_MAX];		/* LOG_DIR/NAME.log: its console and messages */
	int lock_fd;			/* the state file, locked, in its daemon */
};

/* What a running VM's daemon wrote in its state file. */
struct vm_state {
	pid_t pid;
	unsigned long long mem_mib;
	char config[PATH_MAX];
};

int rundir__name(struct named_vm *vm, const char *name);
const char *rundir__dir(void);
int rundir__lock(struct named_vm *vm);
int rundir__write_state(struct named_vm *vm, unsigned long long mem_mib,
			const char *config);
void rundir__remove(struct named_vm *vm);
int rundir__running(struct named_vm *vm, struct vm_state *st);

#endif /* COLINUX_DAEMON_RUNDIR_H */
