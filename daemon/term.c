// SPDX-License-Identifier: GPL-2.0
/*
 * The terminal backend: this process's stdin and stdout.  A thread reads
 * stdin and queues the bytes, and tells the device that serves them (cocon)
 * through its callback when the queue stops being empty; the device takes
 * them when the guest asks.  On a terminal, stdin goes raw, so the guest's
 * shell gets every key (Ctrl-C included); Ctrl-] then q stops the guest, and
 * Ctrl-] twice sends one Ctrl-].  Stdin at end of file just stops feeding.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "term.h"
#include "util.h"

static void ring_doorbell(struct term *ci)
{
	if (ci->input_waiting)
		ci->input_waiting(ci->listener);
}

/* Queue input, waiting while the guest has not read the ring yet. */
void term__queue(struct term *ci, const uint8_t *p, size_t len)
{
	pthread_mutex_lock(&ci->lock);
	while (len--) {
		while (ci->len == sizeof(ci->buf))
			pthread_cond_wait(&ci->room, &ci->lock);
		ci->buf[(ci->head + ci->len) % sizeof(ci->buf)] = *p++;
		if (ci->len++ == 0)
			ring_doorbell(ci);
	}
	pthread_mutex_unlock(&ci->lock);
}

/* The user's terminal has this size now: the guest hears of it. */
void term__set_winsize(struct term *ci, unsigned int rows, unsigned int cols)
{
	if (!rows || !cols || rows > 0xffff || cols > 0xffff)
		return;
	pthread_mutex_lock(&ci->lock);
	ci->winsize = rows << 16 | cols;
	ring_doorbell(ci);
	pthread_mutex_unlock(&ci->lock);
}

/* The size not yet fetched (rows << 16 | cols), or 0. */
uint32_t term__take_winsize(struct term *ci)
{
	uint32_t size;

	pthread_mutex_lock(&ci->lock);
	size = ci->winsize;
	ci->winsize = 0;
	pthread_mutex_unlock(&ci->lock);
	return size;
}

/* The terminal's size, for the guest; again after each SIGWINCH. */
static void read_winsize(struct term *ci)
{
	struct winsize ws;

	if (!ioctl(STDIN_FILENO, TIOCGWINSZ, &ws))
		term__set_winsize(ci, ws.ws_row, ws.ws_col);
}

static void *reader(void *arg)
{
	struct term *ci = arg;
	struct pollfd fds[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = ci->winch_fd, .events = POLLIN },
	};
	struct signalfd_siginfo si;
	int escaped = 0;
	uint8_t in[256];
	ssize_t n, i;

	block_stop_signals();

	for (;;) {
		if (poll(fds, ci->winch_fd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		if (ci->winch_fd >= 0 && fds[1].revents &&
		    read(ci->winch_fd, &si, sizeof(si)) == sizeof(si))
			read_winsize(ci);
		if (!fds[0].revents)
			continue;
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
			term__queue(ci, &in[i], 1);
		}
	}
}

/* An empty terminal with no input of its own and no sink yet. */
void term__init(struct term *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->winch_fd = -1;
	pthread_mutex_init(&ci->lock, NULL);
	pthread_cond_init(&ci->room, NULL);
}

int term__start(struct term *ci, void (*quit)(void))
{
	struct termios raw;
	sigset_t winch;

	term__init(ci);
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
		read_winsize(ci);
		/*
		 * Resizes come as SIGWINCH, read by the input thread: blocked
		 * here before any other thread exists, so every thread has it
		 * blocked and only the signalfd sees it.
		 */
		sigemptyset(&winch);
		sigaddset(&winch, SIGWINCH);
		pthread_sigmask(SIG_BLOCK, &winch, NULL);
		ci->winch_fd = signalfd(-1, &winch, SFD_CLOEXEC | SFD_NONBLOCK);
	}
	if (pthread_create(&ci->thread, NULL, reader, ci)) {
		pr_err("console: cannot start the input thread");
		term__stop(ci);
		return -1;
	}
	pthread_detach(ci->thread);
	ci->started = 1;
	return 0;
}

/*
 * Who hears that input is waiting (a device of a running VM), or nobody
 * (NULL) between two boots; input already waiting is announced again.
 */
void term__attach(struct term *ci, void (*input_waiting)(void *listener),
		  void *listener)
{
	pthread_mutex_lock(&ci->lock);
	ci->input_waiting = input_waiting;
	ci->listener = listener;
	if (ci->len || ci->winsize)
		ring_doorbell(ci);
	pthread_mutex_unlock(&ci->lock);
}

/* Output: all of it, unless nobody reads it any more. */
void term__write(struct term *ci, const uint8_t *p, size_t len)
{
	if (ci->output) {
		ci->output(ci->sink, p, len);
		return;
	}
	while (len) {
		ssize_t n = write(STDOUT_FILENO, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;		/* nobody reads the console: drop it */
		p += n;
		len -= n;
	}
}

size_t term__take(struct term *ci, uint8_t *dst, size_t max)
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
void term__stop(struct term *ci)
{
	term__attach(ci, NULL, NULL);
	if (ci->raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &ci->saved);
	ci->raw = 0;
}
