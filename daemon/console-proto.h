/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The console socket's messages (SOCK_SEQPACKET, one message per send).
 * The daemon's first message on a connection is its verdict: the one byte
 * CONSOLE_VERDICT_ATTACHED, or CONSOLE_VERDICT_BUSY and the reason, after
 * which it closes the connection.  The client sends nothing before it has
 * the verdict: a unix socket closed with unread messages resets its peer,
 * which would lose the reason.  Once attached, the daemon sends the guest's
 * output as it is, first what the scrollback kept; the client sends
 * CONSOLE_MSG_INPUT followed by keys, or CONSOLE_MSG_WINSIZE followed by
 * struct console_winsize.
 */
#ifndef COLINUX_DAEMON_CONSOLE_PROTO_H
#define COLINUX_DAEMON_CONSOLE_PROTO_H

#include <stdint.h>

#define CONSOLE_VERDICT_ATTACHED	'A'
#define CONSOLE_VERDICT_BUSY		'B'

#define CONSOLE_MSG_INPUT	'd'
#define CONSOLE_MSG_WINSIZE	'w'
#define CONSOLE_MSG_MAX		4096	/* bytes of one message, type included */

struct console_winsize {
	uint16_t rows, cols;
};

#endif /* COLINUX_DAEMON_CONSOLE_PROTO_H */
