// SPDX-License-Identifier: GPL-2.0
/*
 * Named VMs and their files.  A daemon serving VM NAME holds an exclusive
 * flock on RUN_DIR/NAME.state for as long as it lives; the kernel drops the
 * lock when the daemon dies, however it dies.  So the state file is only
 * believed while it is locked: one that nobody locks was left by a crash,
 * and whoever finds it (list, stop, a new start) cleans it up.
 *
 * The directories are /etc/colinux, /run/colinux and /var/log/colinux;
 * COLINUX_CONFIG_DIR, COLINUX_RUN_DIR and COLINUX_LOG_DIR move them
 * (tests, and users without root).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rundir.h"
#include "util.h"

static const char *dir_from(const char *env, const char *fallback)
{
	const char *dir = getenv(env);

	return dir && *dir ? dir : fallback;
}

const char *rundir__dir(void)
{
	return dir_from("COLINUX_RUN_DIR", "/run/colinux");
}

/* Names are file names: letters, digits, '.', '_' and '-', not dot first. */
int rundir__name(struct named_vm *vm, const char *name)
{
	const char *p;

	memset(vm, 0, sizeof(*vm));
	vm->lock_fd = -1;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			break;
	if (!*name || *p || *name == '.' || strlen(name) > VM_NAME_MAX) {
		pr_err("'%s' is not a VM name: use up to %d letters, digits, "
		       "'.', '_' and '-', not starting with '.'", name, VM_NAME_MAX);
		return -1;
	}
	strcpy(vm->name, name);
	snprintf(vm->config, sizeof(vm->config), "%s/%s.conf",
		 dir_from("COLINUX_CONFIG_DIR", "/etc/colinux"), name);
	snprintf(vm->state, sizeof(vm->state), "%s/%s.state", rundir__dir(), name);
	snprintf(vm->socket, sizeof(vm->socket), "%s/%s.sock", rundir__dir(), name);
	snprintf(vm->log, sizeof(vm->log), "%s/%s.log",
		 dir_from("COLINUX_LOG_DIR", "/var/log/colinux"), name);
	return 0;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0755) && errno != EEXIST) {
		pr_err("%s: cannot create the directory: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int read_state(int fd, struct vm_state *st)
{
	char buf[PATH_MAX + 128], *line, *save = NULL;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	memset(st, 0, sizeof(*st));
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "pid=", 4))
			st->pid = (pid_t)strtol(line + 4, NULL, 10);
		else if (!strncmp(line, "mem=", 4))
			st->mem_mib = strtoull(line + 4, NULL, 10);
		else if (!strncmp(line, "config=", 7))
			snprintf(st->config, sizeof(st->config), "%s", line + 7);
	}
	return st->pid > 0 ? 0 : -1;
}

/*
 * This process serves vm from now on: 0, or -1 with a message (another
 * daemon does).  The lock passes to the children of a fork.
 */
int rundir__lock(struct named_vm *vm)
{
	struct stat locked, named;
	struct vm_state st;
	int fd;

	if (make_dir(rundir__dir()) ||
	    make_dir(dir_from("COLINUX_LOG_DIR", "/var/log/colinux")))
		return -1;
again:
	fd = open(vm->state, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		pr_err("%s: %s", vm->state, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		if (!read_state(fd, &st))
			pr_err("%s is already running (pid %d)", vm->name, (int)st.pid);
		else
			pr_err("%s is already running or starting", vm->name);
		close(fd);
		return -1;
	}
	/* A stale file another command just removed: lock the new one. */
	if (fstat(fd, &locked) || stat(vm->state, &named) ||
	    locked.st_ino != named.st_ino || locked.st_dev != named.st_dev) {
		close(fd);
		goto again;
	}
	vm->lock_fd = fd;
	return 0;
}

/* Written by the daemon itself, whose pid it records. */
int rundir__write_state(struct named_vm *vm, unsigned long long mem_mib,
			const char *config)
{
	char buf[PATH_MAX + 128];
	int len = snprintf(buf, sizeof(buf), "pid=%d\nmem=%llu\nconfig=%s\n",
			   (int)getpid(), mem_mib, config ? config : "");

	if (ftruncate(vm->lock_fd, 0) || pwrite(vm->lock_fd, buf, len, 0) != len) {
		pr_err("%s: %s", vm->state, strerror(errno));
		return -1;
	}
	return 0;
}

/* The daemon's last act: its VM is gone. */
void rundir__remove(struct named_vm *vm)
{
	unlink(vm->socket);
	unlink(vm->state);
	close(vm->lock_fd);
	vm->lock_fd = -1;
}

/*
 * 1 (and its state) when a daemon serves vm, 0 when none does; a state
 * file nobody locks is stale and removed.
 */
int rundir__running(struct named_vm *vm, struct vm_state *st)
{
	int fd = open(vm->state, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		/* Nobody holds it: a daemon died without cleaning up. */
		unlink(vm->socket);
		unlink(vm->state);
		close(fd);
		return 0;
	}
	if (read_state(fd, st))
		st->pid = 0;	/* locked but not written yet: starting */
	close(fd);
	return 1;
}
