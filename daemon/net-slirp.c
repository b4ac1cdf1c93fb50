// SPDX-License-Identifier: GPL-2.0
/*
 * The nat backend of conet (net.h): user-mode networking through Debian's
 * libslirp, the library QEMU uses, so that a guest reaches the network
 * with no root and no host configuration.  The guest's network is
 * 10.0.2.0/24: slirp answers DHCP (the guest gets 10.0.2.15), forwards DNS
 * from 10.0.2.3 to the host's resolver, and 10.0.2.2 is the host itself
 * (its loopback services included); hostfwd= rules forward host ports to
 * the guest.
 *
 * libslirp is not thread-safe: everything here runs on conet's thread,
 * whose poll() also waits on slirp's sockets (poll_fill, poll_done).
 * Frames slirp sends to the guest wait in a bounded queue until the guest
 * has a buffer; beyond it they are dropped, and TCP sends them again.
 *
 * The link's MTU is the largest slirp takes (NET_MAX_MTU), as passt's is:
 * slirp's TCP costs the same per segment whatever its size, and the guest
 * offloads nothing to it, so 64 KiB segments instead of 1500-byte ones
 * cut the per-byte cost by some forty times.  Nothing else sees these
 * frames: slirp's sockets on the host side are ordinary TCP and UDP.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <slirp/libslirp.h>
#include <linux/virtio_net.h>

#include "net.h"
#include "util.h"

#define QUEUE_MAX	256		/* frames waiting for the guest */
#define NAT_MTU		NET_MAX_MTU
#define FRAME_MAX	(NAT_MTU + 14 + 4)	/* Ethernet, VLAN and the MTU */
#define TIMERS_MAX	4
#define ERRORS_LOGGED	10

struct slirp_frame {
	size_t len;
	uint8_t *data;			/* malloc'd, len bytes */
};

struct slirp_timer {
	int used, armed;
	int64_t expire_ms;
	SlirpTimerId id;
	void *cb_opaque;
};

struct net_slirp {
	Slirp *slirp;
	char owner[16];
	struct slirp_frame queue[QUEUE_MAX];
	unsigned int head, count;
	uint64_t queue_dropped;
	unsigned int errors;
	struct slirp_timer timer[TIMERS_MAX];
	int data_valid;			/* the guest takes VIRTIO_NET_HDR_F_DATA_VALID */
	/* The poll set of one sleep of conet's thread. */
	struct pollfd *fds;
	unsigned int nfds, max;
	uint8_t frame[FRAME_MAX];	/* a guest frame, gathered */
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* slirp's frame for the guest: queued, or dropped when the queue is full. */
static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
	struct net_slirp *s = opaque;
	struct slirp_frame *f;

	uint8_t *data = len <= FRAME_MAX && s->count < QUEUE_MAX ? malloc(len) : NULL;

	if (!data) {
		s->queue_dropped++;
		return (ssize_t)len;
	}
	memcpy(data, buf, len);
	f = &s->queue[(s->head + s->count++) % QUEUE_MAX];
	*f = (struct slirp_frame){ .len = len, .data = data };
	return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque)
{
	struct net_slirp *s = opaque;

	if (s->errors++ < ERRORS_LOGGED)
		pr_err("%s: nat: the guest sent %s", s->owner, msg);
}

static int64_t cb_clock_get_ns(void *opaque)
{
	struct timespec ts;

	(void)opaque;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
	struct net_slirp *s = opaque;
	unsigned int i;

	for (i = 0; i < TIMERS_MAX; i++) {
		if (s->timer[i].used)
			continue;
		s->timer[i] = (struct slirp_timer){ .used = 1, .id = id,
						    .cb_opaque = cb_opaque };
		return &s->timer[i];
	}
	pr_err("%s: nat: out of timers", s->owner);
	return NULL;
}

static void cb_timer_free(void *timer, void *opaque)
{
	struct slirp_timer *t = timer;

	(void)opaque;
	if (t)
		t->used = t->armed = 0;
}

/* expire_time is on the clock of cb_clock_get_ns, in ms. */
static void cb_timer_mod(void *timer, int64_t expire_time, void *opaque)
{
	struct slirp_timer *t = timer;

	(void)opaque;
	if (!t)
		return;
	t->expire_ms = expire_time;
	t->armed = 1;
}

static void cb_poll_fd(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

static void cb_notify(void *opaque)
{
	(void)opaque;
}

static const SlirpCb callbacks = {
	.send_packet = cb_send_packet,
	.guest_error = cb_guest_error,
	.clock_get_ns = cb_clock_get_ns,
	.timer_free = cb_timer_free,
	.timer_mod = cb_timer_mod,
	.register_poll_fd = cb_poll_fd,
	.unregister_poll_fd = cb_poll_fd,
	.notify = cb_notify,
	.timer_new_opaque = cb_timer_new_opaque,
};

static struct net_slirp *state(struct net_backend *nb)
{
	return nb->state;
}

/* The guest's frame without its header: to slirp, or -1 if too large. */
static int slirp_send(struct net_backend *nb, const struct iovec *iov,
		      unsigned int n)
{
	struct net_slirp *s = state(nb);
	size_t skip = NET_HDR_SIZE, len = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		size_t off = skip < iov[i].iov_len ? skip : iov[i].iov_len;
		size_t take = iov[i].iov_len - off;

		skip -= off;
		if (take > FRAME_MAX - len)
			return -1;
		memcpy(s->frame + len, (uint8_t *)iov[i].iov_base + off, take);
		len += take;
	}
	slirp_input(s->slirp, s->frame, (int)len);
	return 0;
}

/* Copying into a guest buffer of several iovecs, as far as it goes. */
struct iov_cursor {
	const struct iovec *iov;
	unsigned int n, i;
	size_t off;
};

static void put(struct iov_cursor *c, const uint8_t *src, size_t len)
{
	while (len && c->i < c->n) {
		size_t room = c->iov[c->i].iov_len - c->off;
		size_t take = len < room ? len : room;

		memcpy((uint8_t *)c->iov[c->i].iov_base + c->off, src, take);
		src += take;
		len -= take;
		c->off += take;
		if (c->off == c->iov[c->i].iov_len) {
			c->i++;
			c->off = 0;
		}
	}
}

/*
 * The oldest queued frame behind its header: nothing offloaded, but its
 * checksums marked valid if the guest takes that (slirp made them).
 */
static ssize_t slirp_receive(struct net_backend *nb, const struct iovec *iov,
			     unsigned int n)
{
	struct net_slirp *s = state(nb);
	struct virtio_net_hdr_v1 header = {
		.flags = s->data_valid ? VIRTIO_NET_HDR_F_DATA_VALID : 0,
	};
	struct iov_cursor c = { .iov = iov, .n = n };
	const struct slirp_frame *f;

	if (!s->count) {
		errno = EAGAIN;
		return -1;
	}
	f = &s->queue[s->head];
	s->head = (s->head + 1) % QUEUE_MAX;
	s->count--;
	put(&c, (const uint8_t *)&header, NET_HDR_SIZE);
	put(&c, f->data, f->len);
	free(f->data);
	return (ssize_t)(NET_HDR_SIZE + f->len);
}

static int add_poll(int fd, int events, void *opaque)
{
	struct net_slirp *s = opaque;
	short ev = 0;

	if (s->nfds == s->max)
		return -1;
	if (events & SLIRP_POLL_IN)
		ev |= POLLIN;
	if (events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	if (events & SLIRP_POLL_PRI)
		ev |= POLLPRI;
	s->fds[s->nfds] = (struct pollfd){ .fd = fd, .events = ev };
	return (int)s->nfds++;
}

static unsigned int slirp_poll_fill(struct net_backend *nb, struct pollfd *fds,
				    unsigned int max, int want_rx, int *timeout_ms)
{
	struct net_slirp *s = state(nb);
	uint32_t timeout = *timeout_ms < 0 ? UINT32_MAX : (uint32_t)*timeout_ms;
	int64_t now = now_ms();
	unsigned int i;

	s->fds = fds;
	s->nfds = 0;
	s->max = max;
	slirp_pollfds_fill(s->slirp, &timeout, add_poll, s);
	for (i = 0; i < TIMERS_MAX; i++) {
		int64_t left;

		if (!s->timer[i].armed)
			continue;
		left = s->timer[i].expire_ms - now;
		if (left < 0)
			left = 0;
		if ((uint64_t)left < timeout)
			timeout = (uint32_t)left;
	}
	if (want_rx && s->count)
		timeout = 0;
	*timeout_ms = timeout > INT_MAX ? -1 : (int)timeout;
	return s->nfds;
}

static int get_revents(int idx, void *opaque)
{
	struct net_slirp *s = opaque;
	short re;
	int ev = 0;

	if (idx < 0 || (unsigned int)idx >= s->nfds)
		return 0;
	re = s->fds[idx].revents;
	if (re & POLLIN)
		ev |= SLIRP_POLL_IN;
	if (re & POLLOUT)
		ev |= SLIRP_POLL_OUT;
	if (re & POLLPRI)
		ev |= SLIRP_POLL_PRI;
	if (re & POLLERR)
		ev |= SLIRP_POLL_ERR;
	if (re & POLLHUP)
		ev |= SLIRP_POLL_HUP;
	return ev;
}

static void slirp_poll_done(struct net_backend *nb, const struct pollfd *fds,
			    unsigned int n)
{
	struct net_slirp *s = state(nb);
	int64_t now = now_ms();
	unsigned int i;

	(void)fds;
	s->nfds = n < s->nfds ? n : s->nfds;
	slirp_pollfds_poll(s->slirp, 0, get_revents, s);
	for (i = 0; i < TIMERS_MAX; i++) {
		if (!s->timer[i].armed || s->timer[i].expire_ms > now)
			continue;
		s->timer[i].armed = 0;
		slirp_handle_timer(s->slirp, s->timer[i].id, s->timer[i].cb_opaque);
	}
}

/* Only the checksums of slirp's own frames, which need no checking. */
static int slirp_set_offloads(struct net_backend *nb, unsigned int offloads)
{
	if (offloads & ~NET_OFFLOAD_CSUM)
		return -1;
	state(nb)->data_valid = !!(offloads & NET_OFFLOAD_CSUM);
	return 0;
}

static void slirp_close(struct net_backend *nb)
{
	struct net_slirp *s = state(nb);

	if (s->queue_dropped)
		pr_info("%s: nat: %llu frames for the guest dropped (it had no "
			"buffers)", s->owner, (unsigned long long)s->queue_dropped);
	slirp_cleanup(s->slirp);
	for (; s->count; s->count--, s->head = (s->head + 1) % QUEUE_MAX)
		free(s->queue[s->head].data);
	free(s);
	nb->state = NULL;
}

static const struct net_backend_ops slirp_ops = {
	.offloads = 0,
	.rx_data_valid = 1,
	.mtu = NAT_MTU,
	.send = slirp_send,
	.receive = slirp_receive,
	.poll_fill = slirp_poll_fill,
	.poll_done = slirp_poll_done,
	.set_offloads = slirp_set_offloads,
	.close = slirp_close,
};

static struct in_addr ip4(const char *text)
{
	struct in_addr a;

	inet_pton(AF_INET, text, &a);
	return a;
}

int net_slirp__open(struct net_backend *nb, const struct net_config *cfg,
		    const char *owner)
{
	struct net_slirp *s = calloc(1, sizeof(*s));
	SlirpConfig sc = {
		.version = 4,
		.in_enabled = true,
		.vnetwork = ip4("10.0.2.0"),
		.vnetmask = ip4("255.255.255.0"),
		.vhost = ip4("10.0.2.2"),
		.vhostname = "colinux-host",
		.vdhcp_start = ip4(NET_NAT_GUEST),
		.vnameserver = ip4("10.0.2.3"),
		.if_mtu = NAT_MTU,
		.if_mru = NAT_MTU,
	};
	unsigned int i;

	if (!s) {
		pr_err("%s: out of memory", owner);
		return -1;
	}
	snprintf(s->owner, sizeof(s->owner), "%s", owner);
	s->slirp = slirp_new(&sc, &callbacks, s);
	if (!s->slirp) {
		pr_err("%s: nat: libslirp would not start", owner);
		free(s);
		return -1;
	}
	for (i = 0; i < cfg->nr_hostfwd; i++) {
		const struct net_hostfwd *f = &cfg->hostfwd[i];
		struct in_addr host;

		host.s_addr = f->host_addr;
		if (slirp_add_hostfwd(s->slirp, f->udp, host, f->host_port,
				      ip4(NET_NAT_GUEST), f->guest_port)) {
			pr_err("%s: nat: cannot forward %s port %u of %s to the "
			       "guest's %u (in use?)", owner, f->udp ? "udp" : "tcp",
			       f->host_port, inet_ntoa(host), f->guest_port);
			slirp_cleanup(s->slirp);
			free(s);
			return -1;
		}
	}
	nb->ops = &slirp_ops;
	nb->fd = -1;
	nb->state = s;
	snprintf(nb->ifname, sizeof(nb->ifname), "nat");
	return 0;
}
