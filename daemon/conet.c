// SPDX-License-Identifier: GPL-2.0
/*
 * conet: virtio-net over a network backend (conet.h, net.h).  The device's
 * thread waits on the two queues' notification eventfds and on the
 * backend; it passes the guest's frames to the backend straight from guest
 * RAM (the guest's virtio-net header checked and copied first, so that
 * the guest cannot change it after the check) and reads the backend's
 * frames straight into the guest's receive buffers.  A bad frame is
 * dropped and counted, each kind of mistake logged once; a queue the guest
 * broke stops until a reset (virtq.c).  The receive side gets its turn
 * after at most TX_BUDGET frames sent, so a flood from the guest cannot
 * starve it; other devices have threads of their own.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_net.h>

#include "conet.h"
#include "util.h"
#include "virtio.h"

#define RX_QUEUE	0
#define TX_QUEUE	1
#define QUEUE_SIZE	256
#define ETH_HEADER	14
/* Ethernet's header and a VLAN tag around an IP datagram of the MTU. */
#define FRAME_OVERHEAD	(ETH_HEADER + 4)
/* A TSO frame: at most 64 KiB of IP datagram. */
#define GSO_FRAME_MAX	(65535 + ETH_HEADER + 4)
#define TX_BUDGET	64

/* The mistakes a guest can make, each logged once. */
enum net_mistake {
	BAD_SHAPE, BAD_SIZE, BAD_HEADER, BACKEND_ERROR, NR_MISTAKES
};

struct conet {
	struct virtio_dev vdev;
	struct virtio_dev_ops ops;
	struct net_config cfg;
	struct net_backend nb;
	unsigned int unit;
	char name[16];
	pthread_t thread;
	int stop_fd;
	struct virtq_req tx_req, rx_req;
	int rx_held;			/* rx_req is a buffer not filled yet */
	unsigned int mtu;		/* the backend's, told to the guest */
	struct iovec iov[VIRTQ_MAX_BUFS + 1];
	uint64_t tx_frames, rx_frames, tx_dropped, rx_dropped;
	int logged[NR_MISTAKES];
};

static struct conet *to_conet(struct virtio_dev *vdev)
{
	return (struct conet *)vdev;
}

static void mistake(struct conet *c, enum net_mistake kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void mistake(struct conet *c, enum net_mistake kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpr_err_once(&c->logged[kind], c->name, "dropped; logged once", fmt, ap);
	va_end(ap);
}

static int negotiated(const struct conet *c, unsigned int bit)
{
	return !!(c->vdev.features & (1ULL << bit));
}

static void fill_config(struct virtio_dev *vdev, uint8_t *config)
{
	struct conet *c = to_conet(vdev);
	struct virtio_net_config cfg = {
		.status = VIRTIO_NET_S_LINK_UP,
		.max_virtqueue_pairs = 1,
		.mtu = (uint16_t)c->mtu,
	};

	memcpy(cfg.mac, c->cfg.mac, sizeof(cfg.mac));
	memcpy(config, &cfg, sizeof(cfg));
}

/*
 * Is the guest's header for a frame of len bytes one the backend may
 * take?  Only what was negotiated: a checksum to fill in inside the
 * frame, TCP segmentation of a frame no longer than 64 KiB.
 */
static int check_tx_header(struct conet *c, const struct virtio_net_hdr_v1 *h,
			   uint64_t len)
{
	uint8_t gso = h->gso_type;

	if (len < ETH_HEADER || len > GSO_FRAME_MAX) {
		mistake(c, BAD_SIZE, "a frame of %llu bytes", (unsigned long long)len);
		return -1;
	}
	if (h->flags & ~VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		mistake(c, BAD_HEADER, "a frame with header flags 0x%x", h->flags);
		return -1;
	}
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM &&
	    (!negotiated(c, VIRTIO_NET_F_CSUM) ||
	     (uint32_t)h->csum_start + h->csum_offset + 2 > len)) {
		mistake(c, BAD_HEADER, "a checksum request at %u+%u in a frame of "
			"%llu bytes", h->csum_start, h->csum_offset,
			(unsigned long long)len);
		return -1;
	}
	if (gso == VIRTIO_NET_HDR_GSO_NONE) {
		if (len <= c->mtu + FRAME_OVERHEAD)
			return 0;
		mistake(c, BAD_SIZE, "a frame of %llu bytes without segmentation "
			"(MTU %u)", (unsigned long long)len, c->mtu);
		return -1;
	}
	if (!((gso == VIRTIO_NET_HDR_GSO_TCPV4 && negotiated(c, VIRTIO_NET_F_HOST_TSO4)) ||
	      (gso == VIRTIO_NET_HDR_GSO_TCPV6 && negotiated(c, VIRTIO_NET_F_HOST_TSO6))) ||
	    !(h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) || !h->gso_size ||
	    h->hdr_len > len) {
		mistake(c, BAD_HEADER, "a segmentation request (type 0x%x, size %u, "
			"header %u) that was not negotiated or does not fit",
			gso, h->gso_size, h->hdr_len);
		return -1;
	}
	return 0;
}

/* One frame of the guest to the backend: 1 if it went, 0 if dropped. */
static int send_frame(struct conet *c, struct virtq_req *req)
{
	struct virtio_net_hdr_v1 h;
	unsigned int n;

	if (req->writable || virtq__read(req, &h, sizeof(h))) {
		mistake(c, BAD_SHAPE, "a transmit request that is not a header and "
			"a frame the device reads");
		return 0;
	}
	if (check_tx_header(c, &h, req->readable - sizeof(h)))
		return 0;
	h.num_buffers = 0;
	c->iov[0].iov_base = &h;
	c->iov[0].iov_len = sizeof(h);
	n = virtq__iov(req, 0, sizeof(h), c->iov + 1);
	if (c->nb.ops->send(&c->nb, c->iov, n + 1)) {
		mistake(c, BACKEND_ERROR, "%s refused a frame: %s", c->nb.ifname,
			strerror(errno));
		return 0;
	}
	return 1;
}

/* Up to TX_BUDGET frames; 1 if more may be waiting. */
static int transmit(struct conet *c, int *pushed)
{
	struct virtq *vq = &c->vdev.vq[TX_QUEUE];
	unsigned int i;

	for (i = 0; i < TX_BUDGET; i++) {
		if (virtq__pop(vq, &c->tx_req) <= 0)
			return 0;
		if (send_frame(c, &c->tx_req))
			c->tx_frames++;
		else
			c->tx_dropped++;
		virtq__push(vq, &c->tx_req, 0);
		*pushed = 1;
	}
	return 1;
}

/* Frames of the backend into the guest's buffers, while both have some. */
static void receive(struct conet *c, int *pushed)
{
	struct virtq *vq = &c->vdev.vq[RX_QUEUE];
	const uint16_t one = 1;
	uint8_t overflow;
	unsigned int n;
	ssize_t got;

	for (;;) {
		if (!c->rx_held) {
			if (virtq__pop(vq, &c->rx_req) <= 0)
				return;
			if (c->rx_req.readable ||
			    c->rx_req.writable < sizeof(struct virtio_net_hdr_v1)) {
				mistake(c, BAD_SHAPE, "a receive buffer that is not "
					"a header and room the device writes");
				virtq__push(vq, &c->rx_req, 0);
				*pushed = 1;
				continue;
			}
			c->rx_held = 1;
		}
		/* One byte past the buffer tells a frame that did not fit. */
		n = virtq__iov(&c->rx_req, 1, 0, c->iov);
		c->iov[n].iov_base = &overflow;
		c->iov[n].iov_len = 1;
		got = c->nb.ops->receive(&c->nb, c->iov, n + 1);
		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (got < 0) {
			/* The backend failed: try again at its next wakeup. */
			mistake(c, BACKEND_ERROR, "%s: a read failed: %s",
				c->nb.ifname, strerror(errno));
			c->rx_dropped++;
			return;
		}
		if (got < (ssize_t)sizeof(struct virtio_net_hdr_v1) ||
		    (uint64_t)got > c->rx_req.writable) {
			/* Lost: shorter than a header or larger than the buffer. */
			c->rx_dropped++;
			continue;
		}
		/* num_buffers: one, without mergeable buffers. */
		if (c->iov[0].iov_len >= sizeof(struct virtio_net_hdr_v1))
			memcpy((uint8_t *)c->iov[0].iov_base +
			       offsetof(struct virtio_net_hdr_v1, num_buffers),
			       &one, sizeof(one));
		c->rx_frames++;
		virtq__push(vq, &c->rx_req, (uint32_t)got);
		c->rx_held = 0;
		*pushed = 1;
	}
}

static void drain_eventfd(int fd)
{
	uint64_t n;

	while (read(fd, &n, sizeof(n)) == sizeof(n))
		;
}

static void interrupt(struct conet *c)
{
	if (virtio__signal(&c->vdev))
		pr_err("%s: cannot interrupt the guest: %s", c->name, strerror(errno));
}

#define BACKEND_FDS	64

static void *conet_thread(void *arg)
{
	struct conet *c = arg;
	struct virtq *rxq = &c->vdev.vq[RX_QUEUE], *txq = &c->vdev.vq[TX_QUEUE];
	struct pollfd fds[3 + BACKEND_FDS] = {
		{ .fd = c->stop_fd, .events = POLLIN },
		{ .fd = c->vdev.notify_fd[RX_QUEUE], .events = POLLIN },
		{ .fd = c->vdev.notify_fd[TX_QUEUE], .events = POLLIN },
	};
	unsigned int nfds;
	int timeout, ready;

	block_stop_signals();
	for (;;) {
		int tx_pushed = 0, rx_pushed = 0, more;

		drain_eventfd(fds[1].fd);
		drain_eventfd(fds[2].fd);
		more = transmit(c, &tx_pushed);
		if (tx_pushed && virtq__wants_interrupt(txq))
			interrupt(c);
		receive(c, &rx_pushed);
		if (rx_pushed && virtq__wants_interrupt(rxq))
			interrupt(c);
		/* Buffers or frames came while notifications were off. */
		if (!more && !c->rx_held && virtq__enable_notify(rxq))
			more = 1;
		if (!more && virtq__enable_notify(txq))
			more = 1;
		/* Even with more to do, the backend gets its turn. */
		timeout = more ? 0 : -1;
		nfds = c->nb.ops->poll_fill(&c->nb, fds + 3, BACKEND_FDS, c->rx_held,
					    &timeout);
		ready = poll(fds, 3 + nfds, timeout);
		if (ready < 0 && errno != EINTR) {
			pr_err("%s: poll: %s", c->name, strerror(errno));
			break;
		}
		c->nb.ops->poll_done(&c->nb, fds + 3, ready < 0 ? 0 : nfds);
		if (ready > 0 && fds[0].revents)
			break;
	}
	return NULL;
}

static int conet_start(struct virtio_dev *vdev)
{
	struct conet *c = to_conet(vdev);
	unsigned int offloads = 0;
	int err;

	if (negotiated(c, VIRTIO_NET_F_GUEST_CSUM))
		offloads |= NET_OFFLOAD_CSUM;
	if (negotiated(c, VIRTIO_NET_F_GUEST_TSO4))
		offloads |= NET_OFFLOAD_TSO4;
	if (negotiated(c, VIRTIO_NET_F_GUEST_TSO6))
		offloads |= NET_OFFLOAD_TSO6;
	if (c->nb.ops->set_offloads(&c->nb, offloads))
		return -1;
	c->rx_held = 0;
	c->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->stop_fd < 0) {
		pr_err("%s: cannot make its eventfd: %s", c->name, strerror(errno));
		return -1;
	}
	err = pthread_create(&c->thread, NULL, conet_thread, c);
	if (err) {
		pr_err("%s: cannot start its thread: %s", c->name, strerror(err));
		close(c->stop_fd);
		return -1;
	}
	return 0;
}

static void conet_stop(struct virtio_dev *vdev)
{
	struct conet *c = to_conet(vdev);
	uint64_t one = 1;

	if (write(c->stop_fd, &one, sizeof(one)) != sizeof(one))
		pr_err("%s: cannot stop its thread: %s", c->name, strerror(errno));
	pthread_join(c->thread, NULL);
	close(c->stop_fd);
}

/*
 * The default MAC of ethN of a VM: locally administered, the same at
 * every boot, different for each name and N (FNV-1a of both).
 */
static void default_mac(uint8_t mac[6], const char *vm_name, unsigned int unit)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *p;
	unsigned int i;

	for (p = vm_name; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ULL;
	h = (h ^ (unit + 1)) * 0x100000001b3ULL;
	mac[0] = 0x02;
	mac[1] = 0xc0;
	for (i = 2; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * i));
}

#define CONET_FEATURES ((1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS) | \
	(1ULL << VIRTIO_NET_F_MTU))
#define CONET_OFFLOADS ((1ULL << VIRTIO_NET_F_CSUM) | (1ULL << VIRTIO_NET_F_GUEST_CSUM) | \
	(1ULL << VIRTIO_NET_F_HOST_TSO4) | (1ULL << VIRTIO_NET_F_HOST_TSO6) | \
	(1ULL << VIRTIO_NET_F_GUEST_TSO4) | (1ULL << VIRTIO_NET_F_GUEST_TSO6))

struct conet *conet__new(const struct net_config *cfg, unsigned int unit,
			 const char *vm_name, const struct net_backend *nb)
{
	struct conet *c = calloc(1, sizeof(*c));

	if (!c) {
		pr_err("eth%u: out of memory", unit);
		return NULL;
	}
	c->cfg = *cfg;
	c->nb = *nb;
	c->unit = unit;
	/* At most 64 KiB: the guest's buffers and a 16-bit config field. */
	c->mtu = nb->ops->mtu ? nb->ops->mtu : NET_ETH_MTU;
	if (c->mtu > NET_MAX_MTU)
		c->mtu = NET_MAX_MTU;
	snprintf(c->name, sizeof(c->name), "eth%u", unit);
	if (!cfg->mac_given)
		default_mac(c->cfg.mac, vm_name, unit);
	c->ops = (struct virtio_dev_ops){
		.device_id = VIRTIO_ID_NET,
		.features = CONET_FEATURES | (nb->ops->offloads ? CONET_OFFLOADS :
			    nb->ops->rx_data_valid ? 1ULL << VIRTIO_NET_F_GUEST_CSUM : 0),
		.nr_queues = 2,
		.queue_size = QUEUE_SIZE,
		.config_size = sizeof(struct virtio_net_config),
		.fill_config = fill_config,
		.start = conet_start,
		.stop = conet_stop,
	};
	pr_info("%s: %s, MAC %02x:%02x:%02x:%02x:%02x:%02x, MTU %u", c->name,
		c->nb.ifname, c->cfg.mac[0], c->cfg.mac[1], c->cfg.mac[2],
		c->cfg.mac[3], c->cfg.mac[4], c->cfg.mac[5], c->mtu);
	return c;
}

void conet__close(struct conet *c)
{
	c->nb.ops->close(&c->nb);
	free(c);
}

struct guest_device *conet__add(struct device_table *table, struct conet *c)
{
	memset(c->logged, 0, sizeof(c->logged));
	return virtio__add(table, &c->vdev, &c->ops, c->name, c->unit);
}

/* What the guest sent and got, and what was dropped: at the VM's end. */
void conet__report(const struct conet *c, struct conet_counts *counts)
{
	if (counts)
		*counts = (struct conet_counts){ c->tx_frames, c->rx_frames,
						 c->tx_dropped, c->rx_dropped };
	if (c->tx_dropped || c->rx_dropped)
		pr_info("%s: %llu frames sent, %llu received; dropped %llu bad frames "
			"from the guest, %llu for it", c->name,
			(unsigned long long)c->tx_frames,
			(unsigned long long)c->rx_frames,
			(unsigned long long)c->tx_dropped,
			(unsigned long long)c->rx_dropped);
}
