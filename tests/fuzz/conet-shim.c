// SPDX-License-Identifier: GPL-2.0
/*
 * conet (daemon/conet.c) without its thread, for the fuzzers (shims.h),
 * over a backend that checks every frame conet lets through (its header
 * again, independently of conet's own checks, and its buffers inside
 * guest RAM) and hands the guest frames the fuzzer chose.
 */
#include <errno.h>
#include <linux/virtio_net.h>

#include "fuzz.h"
#include "shims.h"

/* conet_start and conet_stop are left unused: the thread is what they start. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "../../daemon/conet.c"

struct fake_backend {
	struct conet *conet;
	uint8_t frame[GSO_FRAME_MAX + NET_HDR_SIZE + 64];
	size_t frame_len;		/* 0: no frame waits */
	int fail;			/* the next receive fails (EIO) */
	unsigned int offloads;
	uint64_t sent;
};

/* What a TAP would accept, as the negotiated features allow it. */
static int fake_send(struct net_backend *nb, const struct iovec *iov, unsigned int n)
{
	struct fake_backend *b = nb->state;
	const struct virtio_net_hdr_v1 *h = iov[0].iov_base;
	uint64_t len = 0;
	unsigned int i;

	FUZZ_CHECK(n >= 1 && n <= VIRTQ_MAX_BUFS + 1 && iov[0].iov_len == NET_HDR_SIZE);
	for (i = 1; i < n; i++) {
		fuzz_check_ram(iov[i].iov_base, iov[i].iov_len);
		len += iov[i].iov_len;
	}
	FUZZ_CHECK(len >= ETH_HEADER && len <= GSO_FRAME_MAX && !h->num_buffers);
	FUZZ_CHECK(!(h->flags & ~VIRTIO_NET_HDR_F_NEEDS_CSUM));
	if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		FUZZ_CHECK(negotiated(b->conet, VIRTIO_NET_F_CSUM) &&
			   (uint64_t)h->csum_start + h->csum_offset + 2 <= len);
	if (h->gso_type == VIRTIO_NET_HDR_GSO_NONE)
		FUZZ_CHECK(len <= b->conet->mtu + FRAME_OVERHEAD);
	else
		FUZZ_CHECK(h->gso_size && h->hdr_len <= len &&
			   (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) &&
			   ((h->gso_type == VIRTIO_NET_HDR_GSO_TCPV4 &&
			     negotiated(b->conet, VIRTIO_NET_F_HOST_TSO4)) ||
			    (h->gso_type == VIRTIO_NET_HDR_GSO_TCPV6 &&
			     negotiated(b->conet, VIRTIO_NET_F_HOST_TSO6))));
	b->sent++;
	return 0;
}

/* The waiting frame into iov, as readv() would: its length. */
static ssize_t fake_receive(struct net_backend *nb, const struct iovec *iov,
			    unsigned int n)
{
	struct fake_backend *b = nb->state;
	size_t done = 0, len = b->frame_len;
	unsigned int i;

	if (b->fail) {
		b->fail = 0;
		errno = EIO;
		return -1;
	}
	if (!len) {
		errno = EAGAIN;
		return -1;
	}
	FUZZ_CHECK(n >= 1 && n <= VIRTQ_MAX_BUFS + 1 && iov[n - 1].iov_len == 1);
	for (i = 0; i + 1 < n; i++)
		fuzz_check_ram(iov[i].iov_base, iov[i].iov_len);
	for (i = 0; i < n && done < len; i++) {
		size_t take = iov[i].iov_len < len - done ? iov[i].iov_len : len - done;

		memcpy(iov[i].iov_base, b->frame + done, take);
		done += take;
	}
	b->frame_len = 0;
	return (ssize_t)len;
}

static unsigned int fake_poll_fill(struct net_backend *nb, struct pollfd *fds,
				   unsigned int max, int want_rx, int *timeout_ms)
{
	(void)nb;
	(void)fds;
	(void)max;
	(void)want_rx;
	(void)timeout_ms;
	return 0;
}

static void fake_poll_done(struct net_backend *nb, const struct pollfd *fds,
			   unsigned int n)
{
	(void)nb;
	(void)fds;
	(void)n;
}

static int fake_set_offloads(struct net_backend *nb, unsigned int offloads)
{
	struct fake_backend *b = nb->state;

	b->offloads = offloads;
	return 0;
}

static void fake_close(struct net_backend *nb)
{
	(void)nb;
}

/* Without offloads, as nat is: the largest MTU, so whole 64 KiB frames pass. */
static const struct net_backend_ops fake_ops = {
	.mtu = NET_MAX_MTU,
	.send = fake_send,
	.receive = fake_receive,
	.poll_fill = fake_poll_fill,
	.poll_done = fake_poll_done,
	.set_offloads = fake_set_offloads,
	.close = fake_close,
};

static const struct net_backend_ops fake_offload_ops = {
	.offloads = 1,
	.send = fake_send,
	.receive = fake_receive,
	.poll_fill = fake_poll_fill,
	.poll_done = fake_poll_done,
	.set_offloads = fake_set_offloads,
	.close = fake_close,
};

/* start without a thread: the fuzzer's thread serves (fuzz_conet_serve). */
static int shim_start(struct virtio_dev *vdev)
{
	struct conet *c = to_conet(vdev);
	unsigned int offloads = 0;

	if (negotiated(c, VIRTIO_NET_F_GUEST_CSUM))
		offloads |= NET_OFFLOAD_CSUM;
	if (negotiated(c, VIRTIO_NET_F_GUEST_TSO4))
		offloads |= NET_OFFLOAD_TSO4;
	if (negotiated(c, VIRTIO_NET_F_GUEST_TSO6))
		offloads |= NET_OFFLOAD_TSO6;
	if (c->nb.ops->set_offloads(&c->nb, offloads))
		return -1;
	c->rx_held = 0;
	return 0;
}

static void shim_stop(struct virtio_dev *vdev)
{
	(void)vdev;
}

struct virtio_dev *fuzz_conet_add(struct device_table *table, unsigned int unit,
				  int offloads)
{
	struct net_config cfg = { .mode = NET_TAP, .mac_given = 1,
				  .mac = { 2, 0, 0, 0x12, 0x34, (uint8_t)unit } };
	struct fake_backend *b = calloc(1, sizeof(*b));
	struct net_backend nb = { .ops = offloads ? &fake_offload_ops : &fake_ops,
				  .fd = -1, .state = b };
	struct conet *c;

	FUZZ_CHECK(b);
	snprintf(nb.ifname, sizeof(nb.ifname), "fake%u", unit);
	c = conet__new(&cfg, unit, "fuzz", &nb);
	FUZZ_CHECK(c);
	b->conet = c;
	c->ops.start = shim_start;
	c->ops.stop = shim_stop;
	FUZZ_CHECK(conet__add(table, c));
	return &c->vdev;
}

void fuzz_conet_frame(struct virtio_dev *vdev, const uint8_t *data, size_t n,
		      uint32_t len)
{
	struct fake_backend *b = to_conet(vdev)->nb.state;
	size_t i;

	if (len > sizeof(b->frame))
		len = sizeof(b->frame);
	for (i = 0; i < len; i++)
		b->frame[i] = n ? data[i % n] : (uint8_t)i;
	b->frame_len = len;
	b->fail = !len;		/* a frame of no bytes: a failing read */
}

void fuzz_conet_serve(struct virtio_dev *vdev)
{
	struct conet *c = to_conet(vdev);
	struct virtq *rxq = &vdev->vq[RX_QUEUE], *txq = &vdev->vq[TX_QUEUE];
	int tx_pushed = 0, rx_pushed = 0, rounds = 0;
	uint64_t before = c->tx_frames + c->tx_dropped;

	if (!vdev->serving)
		return;
	while (transmit(c, &tx_pushed) && ++rounds < 8)
		;
	if (tx_pushed && virtq__wants_interrupt(txq))
		FUZZ_CHECK(!virtio__signal(vdev));
	/* Every frame taken was given back, sent or dropped. */
	FUZZ_CHECK(txq->broken || txq->used_idx == txq->last_avail);
	FUZZ_CHECK(c->tx_frames + c->tx_dropped - before <= 8 * TX_BUDGET);
	receive(c, &rx_pushed);
	if (rx_pushed && virtq__wants_interrupt(rxq))
		FUZZ_CHECK(!virtio__signal(vdev));
	/* A receive buffer is given back or held for the next frame. */
	FUZZ_CHECK(rxq->broken ||
		   (uint16_t)(rxq->used_idx + c->rx_held) == rxq->last_avail);
	if (!c->rx_held)
		virtq__enable_notify(rxq);
	virtq__enable_notify(txq);
}
