/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Options of 'colinux run', coLinux style: key=value words and a config
 * file of the same keys; the other words are the kernel's command line.
 */
#ifndef COLINUX_DAEMON_CONFIG_H
#define COLINUX_DAEMON_CONFIG_H

#include <stdint.h>

#include <colinux/abi.h>

#include "net.h"

#define CO_MAX_DOORBELL_THREADS 16
#define CO_MAX_DISKS 32			/* cobd0 .. cobd31 */
#define CO_MAX_NETS 8			/* eth0 .. eth7 */

/* cobdN=PATH[,ro] */
struct disk_config {
	const char *path;		/* NULL: no cobdN */
	int read_only;
};

struct run_config {
	const char *config_file;	/* -c FILE, or NULL */
	const char *name;		/* the VM's: default MACs derive from it */
	const char *kernel;
	const char *initrd;
	uint64_t ram_bytes;
	unsigned int cpus;		/* vCPUs: one daemon thread each */
	int stats;
	int oops_continue;		/* on-oops=continue */
	int reboot_restart;		/* on-reboot=restart */
	const char *lockdown;		/* lockdown=LEVEL (NULL: off) */
	const char *root;		/* root=DEVICE, or NULL */
	unsigned int doorbell_vector;	/* doorbell=VECTOR,MS (0: none) */
	unsigned int doorbell_ms;
	unsigned int doorbell_threads;
	struct disk_config disk[CO_MAX_DISKS];
	struct net_config net[CO_MAX_NETS];
	char cmdline[CO_CMDLINE_MAX];
};

int config__parse(struct run_config *cfg, int argc, char **argv);

#endif /* COLINUX_DAEMON_CONFIG_H */
