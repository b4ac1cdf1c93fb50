/* SPDX-License-Identifier: GPL-2.0 */
/* Running one VM, for colinux run (in the foreground) and colinux start. */
#ifndef COLINUX_DAEMON_RUN_H
#define COLINUX_DAEMON_RUN_H

#include "config.h"
#include "term.h"

struct run_hooks {
	/* Each boot: the guest is about to run (its kernel and disks are fine). */
	void (*running)(void *arg);
	void *arg;
};

int run__vm(const struct run_config *cfg, struct term *term,
	    const struct run_hooks *hooks);

#endif /* COLINUX_DAEMON_RUN_H */
