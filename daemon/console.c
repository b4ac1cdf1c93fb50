// SPDX-License-Identifier: GPL-2.0
/*
 * Console input: a thread reads this process's stdin and queues the bytes;
 * the guest asks for them with CO_HC_CONSOLE_READ when the daemon rings its
 * console interrupt.  On a terminal, stdin goes raw, so the guest's shell
 * gets every key (Ctrl-C included); Ctrl-] then q stops the guest, and
 * Ctrl-] twice sends one Ctrl-].  Stdin at end of file just stops feeding.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "util.h"

static void ring_doorbell(struct console_input *ci)
{
	if (ci->vm && vm__irq(ci->vm, CO_CONSOLE_INPUT_VECTOR))
		pr_err("console: cannot signal the guest: %s", strerror(errno));
}

/* Queue one byte, waiting while the guest has not read the ring yet. */
static void queue(struct console_input *ci, uint8_t c)
{
	pthread_mutex_lock(&ci->lock);
	while (ci->len == sizeof(ci->buf))
		pthread_cond_wait(&ci->room, &ci->lock);
	ci->buf[(ci->head + ci->len) % sizeof(ci->buf)] = c;
	if (ci->len++ == 0)
		ring_doorbell(ci);
	pthread_mutex_unlock(&ci->lock);
}

static void *reader(void *arg)
{
	struct console_input *ci = arg;
	int escaped = 0;
	uint8_t in[256];
	ssize_t n, i;

	block_stop_signals();

	for (;;) {
		n = read(STDIN_FILENO, in, sizeof(in));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		for (i = 0; i < n; i++) {
			if (ci->raw && escaped) {
				escaped = 0;
				if (in[i] == 'q' || in[i] == 'Q') {
					ci->quit();
					continue;
				}
			} else if (ci->raw && in[i] == CONSOLE_ESCAPE) {
				escaped = 1;
				continue;
			}
			queue(ci, in[i]);
		}
	}
}

int console__start(struct console_input *ci, void (*quit)(void))
{
	struct termios raw;

	memset(ci, 0, sizeof(*ci));
	pthread_mutex_init(&ci->lock, NULL);
	pthread_cond_init(&ci->room, NULL);
	ci->quit = quit;
	/* A background job reading its terminal would be stopped (SIGTTIN). */
	if (isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) != getpgrp()) {
		pr_info("not the terminal's foreground job: no console input");
		return 0;
	}
	if (isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &ci->saved)) {
		raw = ci->saved;
		cfmakeraw(&raw);
		raw.c_oflag |= OPOST | ONLCR;	/* our own messages stay readable */
		if (!tcsetattr(STDIN_FILENO, TCSANOW, &raw)) {
			ci->raw = 1;
			pr_info("console attached: Ctrl-] q stops the guest");
		}
	}
	if (pthread_create(&ci->thread, NULL, reader, ci)) {
		pr_err("console: cannot start the input thread");
		console__stop(ci);
		return -1;
	}
	pthread_detach(ci->thread);
	ci->started = 1;
	return 0;
}

/* Point the input at a (new) VM, or at none; input waiting rings again. */
void console__attach(struct console_input *ci, struct vm *vm)
{
	pthread_mutex_lock(&ci->lock);
	ci->vm = vm;
	if (ci->len)
		ring_doorbell(ci);
	pthread_mutex_unlock(&ci->lock);
}

size_t console__take(struct console_input *ci, uint8_t *dst, size_t max)
{
	size_t n = 0;

	pthread_mutex_lock(&ci->lock);
	while (n < max && ci->len) {
		dst[n++] = ci->buf[ci->head];
		ci->head = (ci->head + 1) % sizeof(ci->buf);
		ci->len--;
	}
	if (ci->len)
		ring_doorbell(ci);	/* more than the guest asked for */
	pthread_cond_broadcast(&ci->room);
	pthread_mutex_unlock(&ci->lock);
	return n;
}

/* The terminal goes back to how we found it; the reader dies with us. */
void console__stop(struct console_input *ci)
{
	console__attach(ci, NULL);
	if (ci->raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &ci->saved);
	ci->raw = 0;
}
