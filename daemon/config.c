// SPDX-License-Identifier: GPL-2.0
/*
 * 'colinux run kernel=FILE [initrd=FILE] [mem=MiB] [on-oops=panic|continue]
 * [on-reboot=exit|restart] [lockdown=integrity|confidentiality|off]
 * [cobdN=PATH[,ro]...] [stats=1] [words...]':
 * known keys configure the VM, every other word goes to the guest kernel's
 * command line, as in the original coLinux.  Each bad value is named in the error.
 *
 * The command line starts with "console=hvc0" and, unless
 * on-oops=continue, "oops=panic": the guest's first Oops then stops the VM
 * and is reported.  Later words override these.
 *
 * It ends with "lockdown=integrity" unless lockdown= says otherwise: root
 * in the guest runs ring-0 code beside the host, so by default the guest's
 * kernel refuses unsigned modules, kexec, /dev/mem, debugfs writes and the
 * like.  The kernel only ever raises its lockdown level, so a later
 * "lockdown=none" word cannot lower it: only lockdown=off here does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "util.h"

static int parse_mem(struct run_config *cfg, const char *value)
{
	unsigned long long mib;
	char *end;

	errno = 0;
	mib = strtoull(value, &end, 10);
	if (errno || end == value || *end || mib == 0) {
		pr_err("mem=%s: not a number of MiB", value);
		return -1;
	}
	if (mib % (CO_RAM_CHUNK_ALIGN >> 20) || mib < (CO_RAM_MIN >> 20) ||
	    mib > (CO_RAM_MAX >> 20)) {
		pr_err("mem=%s: guest RAM comes in 128 MiB blocks; use a multiple "
		       "of 128 from %llu to %llu", value, CO_RAM_MIN >> 20,
		       CO_RAM_MAX >> 20);
		return -1;
	}
	cfg->ram_bytes = mib << 20;
	return 0;
}

/*
 * doorbell=VECTOR,MS[,THREADS]: ring a device doorbell every MS ms from
 * each of THREADS threads (a test aid; MS 0 rings without pause).
 */
static int parse_doorbell(struct run_config *cfg, const char *value)
{
	unsigned int vector, ms, threads = 1;
	char tail;
	int n = sscanf(value, "%u,%u,%u%c", &vector, &ms, &threads, &tail);

	if ((n != 2 && n != 3) || vector < 32 || vector > 255 ||
	    (ms == 0 && n == 2) || threads < 1 || threads > CO_MAX_DOORBELL_THREADS) {
		pr_err("doorbell=%s: expected VECTOR,MS[,THREADS] with a vector "
		       "from 32 to 255, a period in ms (0 only with THREADS) and "
		       "1 to %d threads", value, CO_MAX_DOORBELL_THREADS);
		return -1;
	}
	cfg->doorbell_vector = vector;
	cfg->doorbell_ms = ms;
	cfg->doorbell_threads = threads;
	return 0;
}

/*
 * cobdN=PATH[,ro]: disk N (0-31) of the guest, from an image file or a
 * block device; ",ro" gives it read-only.  The value is kept in argv.
 */
static int parse_disk(struct run_config *cfg, char *arg)
{
	char *eq = strchr(arg, '='), *end, *path = eq + 1;
	unsigned long n;
	size_t len;

	errno = 0;
	n = strtoul(arg + 4, &end, 10);
	if (end == arg + 4 || end != eq || n >= CO_MAX_DISKS || errno) {
		pr_err("%.*s: disks are cobd0 to cobd%d", (int)(eq - arg), arg,
		       CO_MAX_DISKS - 1);
		return -1;
	}
	if (cfg->disk[n].path) {
		pr_err("cobd%lu is given twice", n);
		return -1;
	}
	len = strlen(path);
	if (len >= 3 && !strcmp(path + len - 3, ",ro")) {
		path[len - 3] = '\0';
		cfg->disk[n].read_only = 1;
	}
	if (!*path) {
		pr_err("%s: expected cobd%lu=PATH[,ro]", arg, n);
		return -1;
	}
	cfg->disk[n].path = path;
	return 0;
}

static int parse_lockdown(struct run_config *cfg, const char *value)
{
	if (!strcmp(value, "off")) {
		cfg->lockdown = NULL;
		return 0;
	}
	if (!strcmp(value, "integrity") || !strcmp(value, "confidentiality")) {
		cfg->lockdown = value;
		return 0;
	}
	pr_err("lockdown=%s: expected lockdown=integrity (the default), "
	       "lockdown=confidentiality or lockdown=off", value);
	return -1;
}

/* key=FIRST|SECOND: *second is 1 for SECOND. */
static int parse_choice(const char *arg, const char *first, const char *second,
			int *is_second)
{
	const char *value = strchr(arg, '=') + 1;

	if (!strcmp(value, first) || !strcmp(value, second)) {
		*is_second = !strcmp(value, second);
		return 0;
	}
	pr_err("%s: expected %.*s%s or %s", arg, (int)(value - arg), arg, first, second);
	return -1;
}

static int append_cmdline(struct run_config *cfg, const char *word)
{
	size_t used = strlen(cfg->cmdline), len = strlen(word);

	if (used + !!used + len >= sizeof(cfg->cmdline)) {
		pr_err("the kernel command line is longer than %zu bytes",
		       sizeof(cfg->cmdline) - 1);
		return -1;
	}
	if (used)
		cfg->cmdline[used++] = ' ';
	memcpy(cfg->cmdline + used, word, len + 1);
	return 0;
}

int config__parse(struct run_config *cfg, int argc, char **argv)
{
	int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->ram_bytes = CO_RAM_DEFAULT;
	cfg->lockdown = "integrity";
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "on-oops=continue"))
			cfg->oops_continue = 1;
	if (append_cmdline(cfg, "console=hvc0") ||
	    (!cfg->oops_continue && append_cmdline(cfg, "oops=panic")))
		return -1;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!strncmp(arg, "kernel=", 7)) {
			cfg->kernel = arg + 7;
		} else if (!strncmp(arg, "initrd=", 7)) {
			cfg->initrd = arg + 7;
		} else if (!strncmp(arg, "mem=", 4)) {
			if (parse_mem(cfg, arg + 4))
				return -1;
		} else if (!strcmp(arg, "stats=1")) {
			cfg->stats = 1;
		} else if (!strncmp(arg, "on-oops=", 8)) {
			if (parse_choice(arg, "panic", "continue", &cfg->oops_continue))
				return -1;
		} else if (!strncmp(arg, "on-reboot=", 10)) {
			if (parse_choice(arg, "exit", "restart", &cfg->reboot_restart))
				return -1;
		} else if (!strncmp(arg, "cobd", 4) && strchr(arg, '=') &&
			   arg[4] >= '0' && arg[4] <= '9') {
			if (parse_disk(cfg, argv[i]))
				return -1;
		} else if (!strncmp(arg, "lockdown=", 9)) {
			if (parse_lockdown(cfg, arg + 9))
				return -1;
		} else if (!strncmp(arg, "doorbell=", 9)) {
			if (parse_doorbell(cfg, arg + 9))
				return -1;
		} else if (append_cmdline(cfg, arg)) {
			return -1;
		}
	}
	if (!cfg->kernel || !*cfg->kernel) {
		pr_err("no kernel given: colinux run kernel=PATH [mem=MiB] "
		       "[kernel command line...]");
		return -1;
	}
	if (cfg->lockdown) {
		char word[32];

		snprintf(word, sizeof(word), "lockdown=%s", cfg->lockdown);
		if (append_cmdline(cfg, word))
			return -1;
	}
	return 0;
}
