/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The console of a VM in the background, served on a unix socket that
 * 'colinux console NAME' attaches to.  The messages on it are in
 * console-proto.h.
 */
#ifndef COLINUX_DAEMON_CONSOCK_H
#define COLINUX_DAEMON_CONSOCK_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "term.h"

#define CONSOLE_SCROLLBACK (64 * 1024)

struct console_socket {
	struct term *term;		/* where input goes */
	int listen_fd, client_fd, log_fd;
	pthread_mutex_t lock;		/* client_fd and the scrollback */
	uint8_t scrollback[CONSOLE_SCROLLBACK];
	size_t tail, filled;		/* next byte to write; bytes kept */
	pthread_t thread;
};

int consock__start(struct console_socket *cs, struct term *term,
		   const char *socket_path, const char *log_path);

#endif /* COLINUX_DAEMON_CONSOCK_H */
