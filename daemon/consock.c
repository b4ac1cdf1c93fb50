// SPDX-License-Identifier: GPL-2.0
/*
 * The console socket backend: a VM in the background has no terminal, so
 * its console is served on a unix socket (NAME.sock in the run directory)
 * for one 'colinux console' at a time.  Everything the guest prints goes
 * to the console log (NAME.log) and into a bounded scrollback, which a
 * client sees first when it attaches: what was printed while nobody
 * watched is not lost.  A client that stops reading for two seconds is
 * let go rather than stall the guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "console-proto.h"
#include "consock.h"
#include "util.h"

/* Sends all of p, or gives the client up (the thread then sees it gone). */
static void send_client(struct console_socket *cs, const uint8_t *p, size_t len)
{
	while (len && cs->client_fd >= 0) {
		size_t chunk = len < 32768 ? len : 32768;
		ssize_t n = send(cs->client_fd, p, chunk, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			shutdown(cs->client_fd, SHUT_RDWR);
			return;
		}
		p += n;
		len -= n;
	}
}

static void keep(struct console_socket *cs, const uint8_t *p, size_t len)
{
	while (len--) {
		cs->scrollback[cs->tail] = *p++;
		cs->tail = (cs->tail + 1) % CONSOLE_SCROLLBACK;
		if (cs->filled < CONSOLE_SCROLLBACK)
			cs->filled++;
	}
}

/* The guest's output (term's sink). */
static void consock_output(void *sink, const uint8_t *p, size_t len)
{
	struct console_socket *cs = sink;
	size_t off = 0;

	while (cs->log_fd >= 0 && off < len) {
		ssize_t n = write(cs->log_fd, p + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;		/* a full disk must not stop the guest */
		off += n;
	}
	pthread_mutex_lock(&cs->lock);
	keep(cs, p, len);
	send_client(cs, p, len);
	pthread_mutex_unlock(&cs->lock);
}

static void attach_client(struct console_socket *cs, int fd)
{
	static const uint8_t attached = CONSOLE_VERDICT_ATTACHED;
	struct timeval timeout = { .tv_sec = 2 };
	char busy[64];
	size_t head;
	int n;

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
	pthread_mutex_lock(&cs->lock);
	if (cs->client_fd >= 0) {
		pthread_mutex_unlock(&cs->lock);
		n = snprintf(busy, sizeof(busy), "%cattached elsewhere",
			     CONSOLE_VERDICT_BUSY);
		send(fd, busy, n, MSG_NOSIGNAL);
		close(fd);
		return;
	}
	cs->client_fd = fd;
	send_client(cs, &attached, 1);
	head = (cs->tail + CONSOLE_SCROLLBACK - cs->filled) % CONSOLE_SCROLLBACK;
	if (head + cs->filled > CONSOLE_SCROLLBACK) {
		send_client(cs, cs->scrollback + head, CONSOLE_SCROLLBACK - head);
		send_client(cs, cs->scrollback, cs->tail);
	} else {
		send_client(cs, cs->scrollback + head, cs->filled);
	}
	pthread_mutex_unlock(&cs->lock);
}

static void detach_client(struct console_socket *cs)
{
	pthread_mutex_lock(&cs->lock);
	close(cs->client_fd);
	cs->client_fd = -1;
	pthread_mutex_unlock(&cs->lock);
}

/* One message from the client; the guest's input is hostile only to it. */
static void client_message(struct console_socket *cs, const uint8_t *msg,
			   size_t len)
{
	struct console_winsize ws;

	if (len > 1 && msg[0] == CONSOLE_MSG_INPUT) {
		term__queue(cs->term, msg + 1, len - 1);
	} else if (len == 1 + sizeof(ws) && msg[0] == CONSOLE_MSG_WINSIZE) {
		memcpy(&ws, msg + 1, sizeof(ws));
		term__set_winsize(cs->term, ws.rows, ws.cols);
	}
}

static void *serve_socket(void *arg)
{
	struct console_socket *cs = arg;
	uint8_t msg[CONSOLE_MSG_MAX];

	block_stop_signals();
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = cs->listen_fd, .events = POLLIN },
			{ .fd = cs->client_fd, .events = POLLIN },
		};
		ssize_t n;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			pr_err("console socket: %s", strerror(errno));
			return NULL;
		}
		if (pfd[0].revents & POLLIN) {
			int fd = accept4(cs->listen_fd, NULL, NULL, SOCK_CLOEXEC);

			if (fd >= 0)
				attach_client(cs, fd);
		}
		if (!(pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = recv(cs->client_fd, msg, sizeof(msg), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			detach_client(cs);
		else
			client_message(cs, msg, n);
	}
}

/*
 * Serves term on a socket at socket_path (a stale one there is replaced:
 * the caller holds the VM's lock) and logs its output to log_path.
 */
int consock__start(struct console_socket *cs, struct term *term,
		   const char *socket_path, const char *log_path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	memset(cs, 0, sizeof(*cs));
	cs->term = term;
	cs->client_fd = -1;
	pthread_mutex_init(&cs->lock, NULL);
	if (strlen(socket_path) >= sizeof(addr.sun_path)) {
		pr_err("%s: the path is too long for a unix socket", socket_path);
		return -1;
	}
	strcpy(addr.sun_path, socket_path);
	cs->log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
	if (cs->log_fd < 0) {
		pr_err("%s: cannot open the console log: %s", log_path,
		       strerror(errno));
		return -1;
	}
	cs->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	unlink(socket_path);
	if (cs->listen_fd < 0 ||
	    bind(cs->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    chmod(socket_path, 0600) || listen(cs->listen_fd, 4)) {
		pr_err("%s: cannot serve the console: %s", socket_path,
		       strerror(errno));
		goto err;
	}
	term->output = consock_output;
	term->sink = cs;
	if (pthread_create(&cs->thread, NULL, serve_socket, cs)) {
		pr_err("console socket: cannot start its thread");
		term->output = NULL;
		goto err;
	}
	pthread_detach(cs->thread);
	return 0;
err:
	if (cs->listen_fd >= 0)
		close(cs->listen_fd);
	close(cs->log_fd);
	return -1;
}
