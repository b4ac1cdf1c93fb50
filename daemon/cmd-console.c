// SPDX-License-Identifier: GPL-2.0
/*
 * colinux console NAME: attach this terminal to the console of a VM that
 * runs in the background.  What the guest printed before is shown first
 * (the daemon keeps a scrollback); then the terminal is raw, so the guest
 * gets every key, and its window size follows this terminal's (SIGWINCH).
 * Ctrl-] d detaches and leaves the VM running; Ctrl-] Ctrl-] sends one
 * Ctrl-].  The command also ends when the VM stops or stdin ends.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "commands.h"
#include "console-proto.h"
#include "rundir.h"
#include "term.h"
#include "util.h"

static volatile sig_atomic_t resized = 1;	/* send the size at once */

static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

static int connect_console(const struct named_vm *vm)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	if (strlen(vm->socket) >= sizeof(addr.sun_path)) {
		pr_err("%s: the path is too long for a unix socket", vm->socket);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	memcpy(addr.sun_path, vm->socket, strlen(vm->socket) + 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		pr_err("%s: cannot attach its console (%s): %s", vm->name,
		       vm->socket, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/*
 * The daemon's verdict on this attach (console-proto.h): 0 when attached,
 * else -1 with the reason said.  Nothing is sent before it.
 */
static int read_verdict(int fd, const char *name)
{
	struct timeval timeout = { .tv_sec = 10 };
	char msg[128];
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	do
		n = recv(fd, msg, sizeof(msg) - 1, 0);
	while (n < 0 && errno == EINTR);
	timeout.tv_sec = 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	if (n == 1 && msg[0] == CONSOLE_VERDICT_ATTACHED)
		return 0;
	if (n > 1 && msg[0] == CONSOLE_VERDICT_BUSY) {
		msg[n] = 0;
		pr_err("%s: its console is %s: one 'colinux console %s' at a time",
		       name, msg + 1, name);
	} else if (n < 0) {
		pr_err("%s: no answer from its console: %s", name,
		       strerror(errno));
	} else {
		pr_err("%s: its console did not let this terminal attach", name);
	}
	return -1;
}

static void send_winsize(int fd)
{
	uint8_t msg[1 + sizeof(struct console_winsize)] = { CONSOLE_MSG_WINSIZE };
	struct console_winsize ws;
	struct winsize tty;

	resized = 0;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &tty) || !tty.ws_row || !tty.ws_col)
		return;
	ws.rows = tty.ws_row;
	ws.cols = tty.ws_col;
	memcpy(msg + 1, &ws, sizeof(ws));
	send(fd, msg, sizeof(msg), MSG_NOSIGNAL);
}

/*
 * Keys typed, with the escape taken out: 1 when Ctrl-] d asks to detach.
 * *escaped carries a Ctrl-] across reads.
 */
static int send_keys(int fd, const uint8_t *in, size_t n, int *escaped)
{
	uint8_t msg[CONSOLE_MSG_MAX] = { CONSOLE_MSG_INPUT };
	size_t len = 1, i;
	int detach = 0;

	for (i = 0; i < n && !detach; i++) {
		if (*escaped) {
			*escaped = 0;
			if (in[i] == 'd' || in[i] == 'D') {
				detach = 1;
				continue;
			}
		} else if (in[i] == CONSOLE_ESCAPE) {
			*escaped = 1;
			continue;
		}
		msg[len++] = in[i];
	}
	if (len > 1)
		send(fd, msg, len, MSG_NOSIGNAL);
	return detach;
}

static int forward(int fd)
{
	uint8_t buf[65536];
	int escaped = 0;

	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = fd, .events = POLLIN },
			{ .fd = STDIN_FILENO, .events = POLLIN },
		};
		ssize_t n;

		if (resized)
			send_winsize(fd);
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (pfd[0].revents) {
			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return 0;	/* the VM stopped */
			if (write(STDOUT_FILENO, buf, n) != n)
				return 1;
		}
		if (pfd[1].revents) {
			n = read(STDIN_FILENO, buf, sizeof(buf) < CONSOLE_MSG_MAX - 1 ?
				 sizeof(buf) : CONSOLE_MSG_MAX - 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0 || send_keys(fd, buf, n, &escaped))
				return 2;	/* detached */
		}
	}
}

int cmd_console(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_winch };
	struct termios saved, raw;
	struct named_vm vm;
	struct vm_state st;
	int fd, tty, how;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: colinux console NAME\n");
		return 2;
	}
	if (rundir__name(&vm, argv[1]))
		return 2;
	if (!rundir__running(&vm, &st)) {
		pr_err("%s is not running", vm.name);
		return 1;
	}
	fd = connect_console(&vm);
	if (fd < 0)
		return 1;
	if (read_verdict(fd, vm.name)) {
		close(fd);
		return 1;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
	tty = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved);
	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	fprintf(stderr, "colinux: attached to %s: Ctrl-] d detaches\r\n", vm.name);
	how = forward(fd);
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	close(fd);
	if (how == 2)
		fprintf(stderr, "\ncolinux: detached from %s; it still runs\n", vm.name);
	else if (how == 0)
		fprintf(stderr, "\ncolinux: %s stopped\n", vm.name);
	return how == 1;
}
