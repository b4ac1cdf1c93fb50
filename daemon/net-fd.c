// SPDX-License-Identifier: GPL-2.0
/*
 * A conet backend's frames on one non-blocking descriptor that keeps
 * frame boundaries (a TAP with IFF_VNET_HDR, or a SOCK_SEQPACKET pair in
 * the unit tests): one frame per readv or writev, header included.
 */
#include <errno.h>
#include <unistd.h>

#include "net.h"

int net_fd__send(struct net_backend *nb, const struct iovec *iov, unsigned int n)
{
	return writev(nb->fd, iov, (int)n) < 0 ? -1 : 0;
}

ssize_t net_fd__receive(struct net_backend *nb, const struct iovec *iov,
			unsigned int n)
{
	return readv(nb->fd, iov, (int)n);
}

unsigned int net_fd__poll_fill(struct net_backend *nb, struct pollfd *fds,
			       unsigned int max, int want_rx, int *timeout_ms)
{
	(void)timeout_ms;
	if (!max)
		return 0;
	fds[0] = (struct pollfd){ .fd = nb->fd, .events = want_rx ? POLLIN : 0 };
	return 1;
}

void net_fd__poll_done(struct net_backend *nb, const struct pollfd *fds,
		       unsigned int n)
{
	(void)nb;
	(void)fds;
	(void)n;
}
