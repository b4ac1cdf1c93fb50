/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vCPU's exit loop: run the guest, serve what it asks of the daemon
 * (device calls go to the device table), report how it ended.  Also the
 * signals that stop it.
 */
#ifndef COLINUX_DAEMON_LOOP_H
#define COLINUX_DAEMON_LOOP_H

#include "devices.h"
#include "vcpus.h"
#include "vm.h"

#define EXIT_GUEST_CRASHED 125
/* Not exit statuses: */
#define EXIT_GUEST_REBOOTED (-1)	/* boot again? */
#define EXIT_ENDED_ELSEWHERE (-2)	/* another vCPU's record says how */
#define EXIT_SERVED (-3)		/* the vCPU goes on */
#define EXIT_STOPPED (-4)		/* vCPU 0's thread stopped this one */

void loop__catch_stop_signals(void);
void loop__quit_from_console(void);
void loop__set_power_handler(void (*handler)(void *arg), void *arg);
int loop__serve(struct vm *vm, struct device_table *devices);
int loop__exit(struct vm *vm, struct device_table *devices,
	       struct co_run *run);
void loop__print_stats(const struct vm *vm);

#endif /* COLINUX_DAEMON_LOOP_H */
