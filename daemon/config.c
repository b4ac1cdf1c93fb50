// SPDX-License-Identifier: GPL-2.0
/*
 * 'colinux run [-c FILE] kernel=FILE [initrd=FILE] [mem=MiB] [root=DEV]
 * [cmdline="WORDS"] [on-oops=panic|continue] [on-reboot=exit|restart]
 * [lockdown=integrity|confidentiality|off] [cobdN=PATH[,ro]...] [cpus=N]
 * [ethN=tap[,ifname=NAME][,bridge=BRIDGE][,mac=MAC]...]
 * [ethN=nat[,hostfwd=tcp:ADDR:PORT-:PORT...][,mac=MAC]...]
 * [stats=1] [words...]':
 * known keys configure the VM, every other word on the command line goes
 * to the guest kernel's command line, as in the original coLinux.  Each
 * bad value is named in the error.
 *
 * A config file (-c FILE, or /etc/colinux/NAME.conf for 'colinux start')
 * holds the same keys, one key=value a line; blank lines and lines
 * starting with # are skipped, spaces around = and double quotes around
 * the value are allowed, relative paths are from the file's directory.
 * In a file an unknown key is an error, and so is a key given twice
 * (cmdline excepted); words on the command line override the file.
 * Errors in a file name it and the line: "FILE:LINE: what is wrong".
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
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

/* Where the word being parsed comes from: "FILE:LINE", or "" (command line). */
static char where[4200];

/* An error about the word being parsed, with its file and line. */
static void __attribute__((format(printf, 1, 2))) bad(const char *fmt, ...)
{
	char msg[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("%s%s%s", where, *where ? ": " : "", msg);
}

static int parse_mem(struct run_config *cfg, const char *value)
{
	unsigned long long mib;
	char *end;

	errno = 0;
	mib = strtoull(value, &end, 10);
	if (errno || end == value || *end || mib == 0) {
		bad("mem=%s: not a number of MiB", value);
		return -1;
	}
	if (mib % (CO_RAM_CHUNK_ALIGN >> 20) || mib < (CO_RAM_MIN >> 20) ||
	    mib > (CO_RAM_MAX >> 20)) {
		bad("mem=%s: guest RAM comes in 128 MiB blocks; use a multiple "
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
		bad("doorbell=%s: expected VECTOR,MS[,THREADS] with a vector "
		       "from 32 to 255, a period in ms (0 only with THREADS) and "
		       "1 to %d threads", value, CO_MAX_DOORBELL_THREADS);
		return -1;
	}
	cfg->doorbell_vector = vector;
	cfg->doorbell_ms = ms;
	cfg->doorbell_threads = threads;
	return 0;
}

/* A path from a config file: relative ones are from the file's directory. */
static char *path_from(const char *dir, const char *path)
{
	char *full;

	if (!dir || path[0] == '/' || !path[0])
		return (char *)path;
	if (asprintf(&full, "%s/%s", dir, path) < 0)
		return (char *)path;
	return full;
}

/*
 * cobdN=PATH[,ro]: disk N (0-31) of the guest, from an image file or a
 * block device; ",ro" gives it read-only.  The value is kept in argv.
 */
static int parse_disk(struct run_config *cfg, char *arg, const char *dir)
{
	char *eq = strchr(arg, '='), *end, *path = eq + 1;
	unsigned long n;
	size_t len;

	errno = 0;
	n = strtoul(arg + 4, &end, 10);
	if (end == arg + 4 || end != eq || n >= CO_MAX_DISKS || errno) {
		bad("%.*s: disks are cobd0 to cobd%d", (int)(eq - arg), arg,
		       CO_MAX_DISKS - 1);
		return -1;
	}
	cfg->disk[n].read_only = 0;	/* the command line overrides a file */
	len = strlen(path);
	if (len >= 3 && !strcmp(path + len - 3, ",ro")) {
		path[len - 3] = '\0';
		cfg->disk[n].read_only = 1;
	}
	if (!*path) {
		bad("%s: expected cobd%lu=PATH[,ro]", arg, n);
		return -1;
	}
	cfg->disk[n].path = path_from(dir, path);
	return 0;
}

static int parse_mac(uint8_t mac[6], const char *text)
{
	unsigned int b[6], i;
	char end;

	if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != 6 || strlen(text) != 17)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	/* A guest's own address: unicast, never all zeroes. */
	if (mac[0] & 1 || !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return -1;
	return 0;
}

/* hostfwd=tcp|udp:[ADDR]:PORT-:GPORT (ADDR empty: every address). */
static int parse_hostfwd(struct net_config *net, const char *text)
{
	struct net_hostfwd f = { 0 };
	char proto[4], addr[16] = "";
	unsigned int port, gport;
	int used = 0;

	if (net->nr_hostfwd == NET_MAX_HOSTFWD)
		return -1;
	if (sscanf(text, "%3[a-z]:%15[0-9.]:%u-:%u%n", proto, addr, &port, &gport,
		   &used) != 4 &&
	    sscanf(text, "%3[a-z]::%u-:%u%n", proto, &port, &gport, &used) != 3)
		return -1;
	if (text[used] || !port || port > 65535 || !gport || gport > 65535)
		return -1;
	if (!strcmp(proto, "udp"))
		f.udp = 1;
	else if (strcmp(proto, "tcp"))
		return -1;
	if (*addr && inet_pton(AF_INET, addr, &f.host_addr) != 1)
		return -1;
	f.host_port = (uint16_t)port;
	f.guest_port = (uint16_t)gport;
	net->hostfwd[net->nr_hostfwd++] = f;
	return 0;
}

/*
 * ethN=tap[,ifname=NAME][,bridge=BRIDGE][,mac=MAC] or
 * ethN=nat[,hostfwd=RULE...][,mac=MAC]: network interface N (0-7) of the
 * guest.  The value is kept in argv (split in place).
 */
static int parse_net(struct run_config *cfg, char *arg)
{
	char *eq = strchr(arg, '='), *end, *opt, *save = NULL;
	struct net_config net = { 0 };
	unsigned long n;

	errno = 0;
	n = strtoul(arg + 3, &end, 10);
	if (end == arg + 3 || end != eq || n >= CO_MAX_NETS || errno) {
		bad("%.*s: network interfaces are eth0 to eth%d", (int)(eq - arg),
		    arg, CO_MAX_NETS - 1);
		return -1;
	}
	opt = strtok_r(eq + 1, ",", &save);
	if (opt && !strcmp(opt, "tap")) {
		net.mode = NET_TAP;
	} else if (opt && !strcmp(opt, "nat")) {
		net.mode = NET_NAT;
	} else {
		bad("eth%lu=%s: expected eth%lu=tap[,ifname=NAME][,bridge=BRIDGE]"
		    "[,mac=MAC] or eth%lu=nat[,hostfwd=tcp:ADDR:PORT-:PORT]",
		    n, opt ? opt : "", n, n);
		return -1;
	}
	while ((opt = strtok_r(NULL, ",", &save))) {
		int tap = net.mode == NET_TAP;

		if (tap && !strncmp(opt, "ifname=", 7) && opt[7] &&
		    strlen(opt + 7) < 16) {
			net.ifname = opt + 7;
		} else if (tap && !strncmp(opt, "bridge=", 7) && opt[7] &&
			   strlen(opt + 7) < 16) {
			net.bridge = opt + 7;
		} else if (!tap && !strncmp(opt, "hostfwd=", 8)) {
			if (parse_hostfwd(&net, opt + 8)) {
				bad("eth%lu: %s: expected hostfwd=tcp:ADDR:PORT-:PORT "
				    "(or udp; ADDR may be empty; at most %d)", n, opt,
				    NET_MAX_HOSTFWD);
				return -1;
			}
		} else if (!strncmp(opt, "mac=", 4)) {
			if (parse_mac(net.mac, opt + 4)) {
				bad("eth%lu: mac=%s: expected a unicast address like "
				    "02:00:00:12:34:56", n, opt + 4);
				return -1;
			}
			net.mac_given = 1;
		} else if (tap) {
			bad("eth%lu: %s: expected ifname=NAME, bridge=BRIDGE (names "
			    "of at most 15 characters) or mac=MAC", n, opt);
			return -1;
		} else {
			bad("eth%lu: %s: expected hostfwd=RULE or mac=MAC", n, opt);
			return -1;
		}
	}
	cfg->net[n] = net;
	return 0;
}

/*
 * cpus=N: one vCPU thread each, at most one per host CPU online (more
 * would only take turns on the same CPUs) and CO_MAX_VCPUS.
 */
static int parse_cpus(struct run_config *cfg, const char *arg)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned long most = online > 0 && online < CO_MAX_VCPUS ?
			     (unsigned long)online : CO_MAX_VCPUS;
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg + 5, &end, 10);
	if (errno || end == arg + 5 || *end || !isdigit((unsigned char)arg[5]) ||
	    n < 1 || n > most) {
		bad("%s: expected cpus=1 to cpus=%lu (one vCPU per host CPU "
		    "online, at most %d)", arg, most, CO_MAX_VCPUS);
		return -1;
	}
	cfg->cpus = (unsigned int)n;
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
	bad("lockdown=%s: expected lockdown=integrity (the default), "
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
	bad("%s: expected %.*s%s or %s", arg, (int)(value - arg), arg, first, second);
	return -1;
}

static int append_cmdline(char *cmdline, const char *word)
{
	size_t used = strlen(cmdline), len = strlen(word);

	if (used + !!used + len >= CO_CMDLINE_MAX) {
		bad("the kernel command line is longer than %d bytes",
		    CO_CMDLINE_MAX - 1);
		return -1;
	}
	if (used)
		cmdline[used++] = ' ';
	memcpy(cmdline + used, word, len + 1);
	return 0;
}

/* The keys one source (a file, the command line) gave, to refuse repeats. */
struct seen_keys {
	unsigned int count;
	char key[64][16];
	unsigned int line[64];
};

static int check_repeat(struct seen_keys *seen, const char *arg,
			unsigned int line)
{
	size_t len = strcspn(arg, "=");
	char key[16];
	unsigned int i;

	if (len >= sizeof(key) || !strncmp(arg, "cmdline=", 8))
		return 0;
	if (!strncmp(arg, "cobd", 4) && isdigit((unsigned char)arg[4]))
		snprintf(key, sizeof(key), "cobd%lu", strtoul(arg + 4, NULL, 10));
	else if (!strncmp(arg, "eth", 3) && isdigit((unsigned char)arg[3]))
		snprintf(key, sizeof(key), "eth%lu", strtoul(arg + 3, NULL, 10));
	else
		snprintf(key, sizeof(key), "%.*s", (int)len, arg);
	for (i = 0; i < seen->count; i++) {
		if (strcmp(seen->key[i], key))
			continue;
		if (seen->line[i])
			bad("%s is given twice (first on line %u)", key, seen->line[i]);
		else
			bad("%s is given twice", key);
		return -1;
	}
	if (seen->count < 64) {
		strcpy(seen->key[seen->count], key);
		seen->line[seen->count++] = line;
	}
	return 0;
}

enum key_result { KEY_DONE, KEY_BAD, KEY_UNKNOWN };

/*
 * One key=value word.  dir: the config file's directory, or NULL for a word
 * of the command line.  The word's memory must live as long as cfg.
 */
static enum key_result apply_key(struct run_config *cfg, char *arg,
				 const char *dir, char *words)
{
	int r = 0;

	if (!strncmp(arg, "kernel=", 7)) {
		cfg->kernel = path_from(dir, arg + 7);
	} else if (!strncmp(arg, "initrd=", 7)) {
		cfg->initrd = path_from(dir, arg + 7);
	} else if (!strncmp(arg, "mem=", 4)) {
		r = parse_mem(cfg, arg + 4);
	} else if (!strncmp(arg, "stats=", 6)) {
		r = parse_choice(arg, "0", "1", &cfg->stats);
	} else if (!strncmp(arg, "on-oops=", 8)) {
		r = parse_choice(arg, "panic", "continue", &cfg->oops_continue);
	} else if (!strncmp(arg, "on-reboot=", 10)) {
		r = parse_choice(arg, "exit", "restart", &cfg->reboot_restart);
	} else if (!strncmp(arg, "cobd", 4) && strchr(arg, '=') &&
		   isdigit((unsigned char)arg[4])) {
		r = parse_disk(cfg, arg, dir);
	} else if (!strncmp(arg, "lockdown=", 9)) {
		r = parse_lockdown(cfg, arg + 9);
	} else if (!strncmp(arg, "doorbell=", 9)) {
		r = parse_doorbell(cfg, arg + 9);
	} else if (!strncmp(arg, "root=", 5)) {
		if (!arg[5]) {
			bad("root=: expected root=DEVICE, e.g. root=/dev/cobd0");
			return KEY_BAD;
		}
		cfg->root = arg + 5;
	} else if (!strncmp(arg, "cmdline=", 8)) {
		char *word, *save = NULL;

		for (word = strtok_r(arg + 8, " \t", &save); word && !r;
		     word = strtok_r(NULL, " \t", &save))
			r = append_cmdline(words, word);
	} else if (!strncmp(arg, "cpus=", 5)) {
		r = parse_cpus(cfg, arg);
	} else if (!strncmp(arg, "eth", 3) && isdigit((unsigned char)arg[3]) &&
		   strchr(arg, '=')) {
		r = parse_net(cfg, arg);
	} else {
		return KEY_UNKNOWN;
	}
	return r ? KEY_BAD : KEY_DONE;
}

/* Trims spaces at both ends, in place. */
static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* One line of a config file as a "key=value" word; NULL (and a message) if bad. */
static char *file_word(char *line)
{
	char *eq = strchr(line, '='), *key, *value, *word;
	size_t len;

	if (!eq) {
		bad("expected key=value, found \"%s\"", line);
		return NULL;
	}
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	len = strlen(value);
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
		value[len - 1] = '\0';
		value++;
	}
	if (!*key) {
		bad("a line with no key before '='");
		return NULL;
	}
	if (asprintf(&word, "%s=%s", key, value) < 0) {
		bad("out of memory");
		return NULL;
	}
	return word;
}

static int parse_file(struct run_config *cfg, const char *path, char *words)
{
	struct seen_keys seen = { 0 };
	char *line = NULL, *dir, *slash;
	unsigned int lineno = 0;
	size_t cap = 0;
	int status = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		pr_err("%s: cannot read the config file: %s", path, strerror(errno));
		return -1;
	}
	dir = strdup(path);
	slash = dir ? strrchr(dir, '/') : NULL;
	if (slash)
		*slash = '\0';
	else if (dir)
		strcpy(dir, ".");
	while (!status && getline(&line, &cap, f) >= 0) {
		char *text = trim(line), *word;

		snprintf(where, sizeof(where), "%s:%u", path, ++lineno);
		if (!*text || *text == '#')
			continue;
		word = file_word(text);
		if (!word || check_repeat(&seen, word, lineno)) {
			status = -1;
			break;
		}
		switch (apply_key(cfg, word, dir, words)) {
		case KEY_DONE:
			break;
		case KEY_UNKNOWN:
			bad("unknown key '%.*s' (kernel words go in cmdline=\"...\")",
			    (int)strcspn(word, "="), word);
			/* fall through */
		case KEY_BAD:
			status = -1;
		}
	}
	if (!status && ferror(f)) {
		pr_err("%s: cannot read the config file: %s", path, strerror(errno));
		status = -1;
	}
	where[0] = '\0';
	free(line);
	fclose(f);
	return status;
}

/*
 * The kernel's command line: the defaults, the user's words, root= and the
 * lockdown level last, which the user cannot lower from the words.
 */
static int build_cmdline(struct run_config *cfg, const char *words)
{
	char word[CO_CMDLINE_MAX + 8];

	cfg->cmdline[0] = '\0';
	if (append_cmdline(cfg->cmdline, "console=hvc0") ||
	    (!cfg->oops_continue && append_cmdline(cfg->cmdline, "oops=panic")) ||
	    (*words && append_cmdline(cfg->cmdline, words)))
		return -1;
	if (cfg->root) {
		snprintf(word, sizeof(word), "root=%s", cfg->root);
		if (append_cmdline(cfg->cmdline, word))
			return -1;
	}
	if (cfg->lockdown) {
		snprintf(word, sizeof(word), "lockdown=%s", cfg->lockdown);
		if (append_cmdline(cfg->cmdline, word))
			return -1;
	}
	return 0;
}

/* A config file's VM name: its file name without the directory and ".conf". */
static const char *vm_name_of(const char *file)
{
	static char name[64];
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	size_t len = strlen(base);

	if (len > 5 && !strcmp(base + len - 5, ".conf"))
		len -= 5;
	snprintf(name, sizeof(name), "%.*s", (int)len, base);
	return name;
}

/* -c FILE or --config=FILE among the words: the file, else NULL. */
static const char *config_file(int argc, char **argv, int *at)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config")) {
			*at = i;
			return argv[i + 1];
		}
		if (!strncmp(argv[i], "--config=", 9)) {
			*at = i;
			return argv[i] + 9;
		}
	}
	*at = -1;
	return NULL;
}

int config__parse(struct run_config *cfg, int argc, char **argv)
{
	static char words[CO_CMDLINE_MAX];
	struct seen_keys seen = { 0 };
	const char *file;
	int i, at;

	memset(cfg, 0, sizeof(*cfg));
	words[0] = '\0';
	where[0] = '\0';
	cfg->ram_bytes = CO_RAM_DEFAULT;
	cfg->cpus = 1;
	cfg->lockdown = "integrity";
	file = config_file(argc, argv, &at);
	if (at >= 0 && !file) {
		pr_err("%s: expected a config file after it", argv[at]);
		return -1;
	}
	if (file && parse_file(cfg, file, words))
		return -1;
	cfg->config_file = file;
	cfg->name = file ? vm_name_of(file) : "colinux";
	for (i = 1; i < argc; i++) {
		if (i == at) {
			i += strcmp(argv[i], "-c") && strcmp(argv[i], "--config") ? 0 : 1;
			continue;
		}
		switch (apply_key(cfg, argv[i], NULL, words)) {
		case KEY_DONE:
			if (check_repeat(&seen, argv[i], 0))
				return -1;
			break;
		case KEY_BAD:
			return -1;
		case KEY_UNKNOWN:
			if (append_cmdline(words, argv[i]))
				return -1;
		}
	}
	if (!cfg->kernel || !*cfg->kernel) {
		if (file)
			pr_err("%s: no kernel given: add kernel=PATH", file);
		else
			pr_err("no kernel given: colinux run kernel=PATH [mem=MiB] "
			       "[kernel command line...] or colinux run -c FILE");
		return -1;
	}
	return build_cmdline(cfg, words);
}
