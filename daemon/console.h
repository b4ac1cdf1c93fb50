/* SPDX-License-Identifier: GPL-2.0 */
/* The guest console's input: this process's stdin, fed to the guest. */
#ifndef COLINUX_DAEMON_CONSOLE_H
#define COLINUX_DAEMON_CONSOLE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#include "vm.h"

#define CONSOLE_ESCAPE 0x1d	/* Ctrl-]: then q stops the guest */

struct console_input {
	pthread_mutex_t lock;
	pthread_cond_t room;
	uint8_t buf[4096];
	size_t head, len;		/* ring of bytes typed, not yet read */
	struct vm *vm;			/* NULL between two boots */
	int raw;			/* stdin is a terminal we put in raw mode */
	struct termios saved;
	void (*quit)(void);		/* Ctrl-] q */
	pthread_t thread;
	int started;
};

int console__start(struct console_input *ci, void (*quit)(void));
void console__attach(struct console_input *ci, struct vm *vm);
size_t console__take(struct console_input *ci, uint8_t *dst, size_t max);
void console__stop(struct console_input *ci);

#endif /* COLINUX_DAEMON_CONSOLE_H */
