/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The console's terminal: input queued for the console device, output to
 * a sink, and the user's window size.  term__start() makes it this
 * process's stdin and stdout (colinux run); consock.c serves it on a unix
 * socket instead (colinux start).
 */
#ifndef COLINUX_DAEMON_TERM_H
#define COLINUX_DAEMON_TERM_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#define CONSOLE_ESCAPE 0x1d	/* Ctrl-]: then q stops the guest */

struct term {
	pthread_mutex_t lock;
	pthread_cond_t room;
	uint8_t buf[4096];
	size_t head, len;		/* ring of bytes typed, not yet read */
	void (*input_waiting)(void *listener);	/* NULL between two boots */
	void *listener;
	int raw;			/* stdin is a terminal we put in raw mode */
	struct termios saved;
	void (*quit)(void);		/* Ctrl-] q */
	pthread_t thread;
	int started;
	/* Output goes to the sink, or to stdout when there is none. */
	void (*output)(void *sink, const uint8_t *p, size_t len);
	void *sink;
	uint32_t winsize;		/* rows << 16 | cols, not yet fetched; 0: none */
	int winch_fd;			/* signalfd of SIGWINCH (term__start), or -1 */
};

void term__init(struct term *ci);
int term__start(struct term *ci, void (*quit)(void));
void term__queue(struct term *ci, const uint8_t *p, size_t len);
void term__set_winsize(struct term *ci, unsigned int rows, unsigned int cols);
uint32_t term__take_winsize(struct term *ci);
void term__attach(struct term *ci, void (*input_waiting)(void *listener),
		  void *listener);
size_t term__take(struct term *ci, uint8_t *dst, size_t max);
void term__write(struct term *ci, const uint8_t *p, size_t len);
void term__stop(struct term *ci);

#endif /* COLINUX_DAEMON_TERM_H */
