// SPDX-License-Identifier: GPL-2.0
/*
 * colinux list: the named VMs that run, one a line: name, state (running
 * or paused), its daemon's pid, guest RAM, CPU time (the daemon's: the
 * guest runs on its main thread) and uptime.  State files left by a daemon
 * that died are removed on the way, never shown.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "rundir.h"
#include "util.h"

struct proc_times {
	char state;			/* as /proc/PID/stat says: T is stopped */
	double cpu_seconds, uptime_seconds;
};

/* From /proc/PID/stat: fields 3 (state), 14-15 (times), 22 (start). */
static int read_proc(pid_t pid, struct proc_times *t)
{
	unsigned long long utime, stime, start;
	char path[64], buf[1024], *p;
	double ticks = sysconf(_SC_CLK_TCK), up;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* the command name may hold anything */
	if (!p || sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu "
			 "%*d %*d %*d %*d %*d %*d %llu", &t->state, &utime, &stime,
			 &start) != 4)
		return -1;
	f = fopen("/proc/uptime", "r");
	if (!f || fscanf(f, "%lf", &up) != 1) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	t->cpu_seconds = (utime + stime) / ticks;
	t->uptime_seconds = up - start / ticks;
	return 0;
}

static void print_duration(char *buf, size_t size, double seconds)
{
	unsigned long s = (unsigned long)seconds;

	if (s >= 86400)
		snprintf(buf, size, "%lud%02luh", s / 86400, s % 86400 / 3600);
	else if (s >= 3600)
		snprintf(buf, size, "%luh%02lum", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, size, "%lum%02lus", s / 60, s % 60);
}

int cmd_list(int argc, char **argv)
{
	struct dirent **names;
	int n, i;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: colinux list\n");
		return 2;
	}
	n = scandir(rundir__dir(), &names, NULL, alphasort);
	printf("%-20s %-8s %8s %8s %10s %10s\n", "NAME", "STATE", "PID", "RAM",
	       "CPU", "UPTIME");
	for (i = 0; i < n; i++) {
		char *dot = strrchr(names[i]->d_name, '.');
		char cpu[32] = "-", up[32] = "-";
		struct proc_times t = { .state = '?' };
		struct named_vm vm;
		struct vm_state st;

		if (dot && !strcmp(dot, ".state")) {
			*dot = '\0';
			if (!rundir__name(&vm, names[i]->d_name) &&
			    rundir__running(&vm, &st)) {
				if (st.pid && !read_proc(st.pid, &t)) {
					print_duration(cpu, sizeof(cpu), t.cpu_seconds);
					print_duration(up, sizeof(up), t.uptime_seconds);
				}
				printf("%-20s %-8s %8d %7lluM %10s %10s\n", vm.name,
				       !st.pid ? "starting" : t.state == 'T' ||
				       t.state == 't' ? "paused" : "running",
				       (int)st.pid, st.mem_mib, cpu, up);
			}
		}
		free(names[i]);
	}
	if (n > 0)
		free(names);
	return 0;
}
