// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of conet (daemon/conet.c) through the virtio transport, as a
 * guest driver would use it, over a socketpair backend: good frames pass
 * both ways with their headers; every kind of bad frame the guest can
 * send is dropped and counted while later good ones still pass; a broken
 * ring stops the queue, not the daemon.  The module's ioctls (queue
 * notifications, interrupts) are caught with the linker's --wrap.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

#include "../../daemon/conet.h"
#include "../../daemon/virtio.h"
#include "fake-vm.h"

#define RAM_GPA		0x40000000ULL
#define RAM_SIZE	(64ULL << 20)
#define QSIZE		8
#define RING(q)		(RAM_GPA + 0x10000 + (q) * 0x4000)
#define DESC(q)		RING(q)
#define AVAIL(q)	(RING(q) + 0x1000)
#define USED(q)		(RING(q) + 0x2000)
#define DATA		(RAM_GPA + 0x100000)
#define PAGE_GPA	(RAM_GPA + 0x1000)
#define RXQ		0
#define TXQ		1

static struct vm vm;
static struct co_run run;
static struct device_table table;
static struct conet *conet;
static struct co_virtio *page;
static int peer = -1;			/* the backend's other end */
static int notify_fd[2] = { -1, -1 };
static int interrupts;
static unsigned int offloads_set;

/* The module, as far as the daemon's devices use it. */
int __real_ioctl(int fd, unsigned long request, void *arg);
int __wrap_ioctl(int fd, unsigned long request, void *arg);

int __wrap_ioctl(int fd, unsigned long request, void *arg)
{
	if (fd != vm.fd)
		return __real_ioctl(fd, request, arg);
	if (request == CO_IOC_SET_NOTIFY) {
		const struct co_notify *n = arg;

		if (n->queue < 2)
			notify_fd[n->queue] = n->fd;
		return 0;
	}
	if (request == CO_IOC_IRQ) {
		const struct co_irq *irq = arg;

		/* As the module checks it: device interrupts go to vCPU 0. */
		if (irq->vcpu != 0 || irq->vector < 32 || irq->vector > 255) {
			errno = EINVAL;
			return -1;
		}
		__atomic_fetch_add(&interrupts, 1, __ATOMIC_SEQ_CST);
		return 0;
	}
	errno = ENOTTY;
	return -1;
}

static int pair_set_offloads(struct net_backend *nb, unsigned int offloads)
{
	(void)nb;
	offloads_set = offloads;
	return 0;
}

static void pair_close(struct net_backend *nb)
{
	close(nb->fd);
}

static const struct net_backend_ops pair_ops = {
	.offloads = 1,
	.send = net_fd__send,
	.receive = net_fd__receive,
	.poll_fill = net_fd__poll_fill,
	.poll_done = net_fd__poll_done,
	.set_offloads = pair_set_offloads,
	.close = pair_close,
};

static void *host(uint64_t gpa)
{
	return vm.ram + (gpa - RAM_GPA);
}

static struct vring_desc *desc(unsigned int q, unsigned int i)
{
	return (struct vring_desc *)host(DESC(q)) + i;
}

static struct vring_avail *avail(unsigned int q)
{
	return host(AVAIL(q));
}

static struct vring_used *used(unsigned int q)
{
	return host(USED(q));
}

static int64_t call(uint64_t op, uint64_t a0)
{
	run.exit_reason = CO_EXIT_DAEMON_CALL;
	run.u.call.device = 0;
	run.u.call.op = op;
	run.u.call.arg[0] = a0;
	run.u.call.arg[1] = 0;
	return devices__call(&table, &vm, &run);
}

static void kick(unsigned int q)
{
	uint64_t one = 1;

	assert_int_equal(write(notify_fd[q], &one, sizeof(one)), sizeof(one));
}

/* The device's used index reaches want within two seconds. */
static int wait_used(unsigned int q, uint16_t want)
{
	struct timespec tick = { 0, 1000000 };
	int i;

	for (i = 0; i < 2000; i++) {
		if (__atomic_load_n(&used(q)->idx, __ATOMIC_ACQUIRE) == want)
			return 0;
		nanosleep(&tick, NULL);
	}
	return -1;
}

static uint16_t next_head[2];

/* One request of n descriptors (addr, len, device-writes) made available. */
static void offer(unsigned int q, unsigned int n, const uint64_t *addr,
		  const uint32_t *len, int writes)
{
	uint16_t head = next_head[q];
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint16_t slot = (head + i) % QSIZE;

		*desc(q, slot) = (struct vring_desc){
			.addr = addr[i], .len = len[i],
			.flags = (i + 1 < n ? VRING_DESC_F_NEXT : 0) |
				 (writes ? VRING_DESC_F_WRITE : 0),
			.next = (head + i + 1) % QSIZE,
		};
	}
	next_head[q] = (head + n) % QSIZE;
	avail(q)->ring[avail(q)->idx % QSIZE] = head;
	__atomic_store_n(&avail(q)->idx, avail(q)->idx + 1, __ATOMIC_RELEASE);
	kick(q);
}

/* A frame with header h and len bytes of payload, sent by the guest. */
static void send_frame(const struct virtio_net_hdr_v1 *h, uint32_t len)
{
	uint64_t addr[2] = { DATA, DATA + 0x1000 };
	uint32_t lens[2] = { sizeof(*h), len };
	uint8_t *frame = host(DATA + 0x1000);
	uint32_t i;

	memcpy(host(DATA), h, sizeof(*h));
	for (i = 0; i < len; i++)
		frame[i] = (uint8_t)(i * 7 + len);
	offer(TXQ, 2, addr, lens, 0);
}

/* What came out of the backend: its length, or -1 when nothing came. */
static ssize_t backend_got(uint8_t *buf, size_t size, int wait_ms)
{
	struct pollfd p = { .fd = peer, .events = POLLIN };

	if (poll(&p, 1, wait_ms) != 1)
		return -1;
	return recv(peer, buf, size, 0);
}

static int setup(void **state)
{
	struct net_config cfg = { .mode = NET_TAP, .mac_given = 1,
				  .mac = { 2, 0, 0, 0x12, 0x34, 0x56 } };
	struct net_backend nb = { .ops = &pair_ops };
	int sv[2];
	unsigned int q;

	(void)state;
	if (fake_vm_init(&vm, RAM_GPA, RAM_SIZE))
		return -1;
	vm.fd = 1000;		/* no such descriptor: the wrapper answers */
	vm.nr_vcpus = 1;
	vm.run[0] = &run;
	memset(&table, 0, sizeof(table));
	memset(next_head, 0, sizeof(next_head));
	interrupts = 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv))
		return -1;
	nb.fd = sv[0];
	snprintf(nb.ifname, sizeof(nb.ifname), "pair");
	peer = sv[1];
	conet = conet__new(&cfg, 0, "test", &nb);
	if (!conet || !conet__add(&table, conet) ||
	    devices__place(&table, &vm, PAGE_GPA) || devices__attach(&table, &vm))
		return -1;
	page = host(PAGE_GPA);
	/* The driver: features, both queues, DRIVER_OK. */
	call(CO_VIRTIO_SET_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	page->driver_features = (1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_NET_F_MAC) |
				(1ULL << VIRTIO_NET_F_CSUM) | (1ULL << VIRTIO_NET_F_HOST_TSO4) |
				(1ULL << VIRTIO_NET_F_GUEST_CSUM);
	call(CO_VIRTIO_SET_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
	     VIRTIO_CONFIG_S_FEATURES_OK);
	for (q = 0; q < 2; q++) {
		page->queue[q].size = QSIZE;
		page->queue[q].desc_gpa = DESC(q);
		page->queue[q].avail_gpa = AVAIL(q);
		page->queue[q].used_gpa = USED(q);
		if (call(CO_VIRTIO_SET_QUEUE, q))
			return -1;
	}
	if (call(CO_VIRTIO_SET_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		 VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK) < 0 ||
	    !(page->status & VIRTIO_CONFIG_S_DRIVER_OK))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	devices__detach(&table);
	conet__close(conet);
	close(peer);
	free(vm.ram);
	return 0;
}

static void test_config_and_offloads(void **state)
{
	struct virtio_net_config cfg;

	(void)state;
	memcpy(&cfg, page->config, sizeof(cfg));
	assert_memory_equal(cfg.mac, ((uint8_t[]){ 2, 0, 0, 0x12, 0x34, 0x56 }), 6);
	assert_int_equal(cfg.status, VIRTIO_NET_S_LINK_UP);
	assert_int_equal(page->config_size, sizeof(struct virtio_net_config));
	/* GUEST_CSUM without GUEST_TSO: checksums only. */
	assert_int_equal(offloads_set, NET_OFFLOAD_CSUM);
}

static void test_frames_both_ways(void **state)
{
	struct virtio_net_hdr_v1 h = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
				       .csum_start = 34, .csum_offset = 16 };
	uint8_t buf[2048], *rx = host(DATA + 0x8000);
	uint64_t addr[2] = { DATA + 0x8000, DATA + 0x8000 + 12 };
	uint32_t lens[2] = { 12, 1514 };
	struct conet_counts n;
	ssize_t got;

	(void)state;
	send_frame(&h, 60);
	got = backend_got(buf, sizeof(buf), 2000);
	assert_int_equal(got, 12 + 60);
	assert_memory_equal(buf, &h, 10);
	assert_int_equal(buf[12 + 5], (uint8_t)(5 * 7 + 60));
	assert_int_equal(wait_used(TXQ, 1), 0);

	/* The backend's frame lands in the guest's buffer, num_buffers 1. */
	offer(RXQ, 2, addr, lens, 1);
	memset(buf, 0, 12);
	memset(buf + 12, 0xab, 100);
	assert_int_equal(send(peer, buf, 112, 0), 112);
	assert_int_equal(wait_used(RXQ, 1), 0);
	assert_int_equal(used(RXQ)->ring[0].len, 112);
	assert_int_equal(rx[10] | rx[11] << 8, 1);
	assert_int_equal(rx[12 + 99], 0xab);
	assert_true(__atomic_load_n(&interrupts, __ATOMIC_SEQ_CST) > 0);
	conet__report(conet, &n);
	assert_int_equal(n.tx_frames, 1);
	assert_int_equal(n.rx_frames, 1);
	assert_int_equal(n.tx_dropped, 0);
}

static void test_bad_frames_dropped_and_counted(void **state)
{
	const struct {
		struct virtio_net_hdr_v1 h;
		uint32_t len;
	} bad[] = {
		{ { .flags = 0 }, 10 },				/* shorter than Ethernet */
		{ { .flags = 0 }, 1600 },			/* over the MTU, no GSO */
		{ { .flags = 0x80 }, 60 },			/* unknown flag */
		{ { .flags = VIRTIO_NET_HDR_F_DATA_VALID }, 60 },	/* rx-only flag */
		{ { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 50,
		    .csum_offset = 16 }, 60 },			/* checksum past the end */
		{ { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 0xffff,
		    .csum_offset = 0xffff }, 60 },		/* and overflowing */
		{ { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		    .gso_type = VIRTIO_NET_HDR_GSO_TCPV6, .gso_size = 1448,
		    .csum_start = 34, .csum_offset = 16 }, 3000 },	/* TSO6 not negotiated */
		{ { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		    .gso_type = VIRTIO_NET_HDR_GSO_UDP, .gso_size = 1448,
		    .csum_start = 34, .csum_offset = 6 }, 3000 },	/* UFO never offered */
		{ { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		    .gso_type = VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN,
		    .gso_size = 1448, .csum_start = 34, .csum_offset = 16 }, 3000 },
		{ { .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 1448 }, 3000 },
		{ { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		    .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 0,
		    .csum_start = 34, .csum_offset = 16 }, 3000 },	/* no segment size */
		{ { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		    .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 1448,
		    .hdr_len = 4000, .csum_start = 34, .csum_offset = 16 }, 3000 },
		{ { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
		    .gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 1448,
		    .csum_start = 34, .csum_offset = 16 }, 70000 },	/* over 64 KiB */
	};
	struct virtio_net_hdr_v1 good = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
					  .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
					  .gso_size = 1448, .hdr_len = 54,
					  .csum_start = 34, .csum_offset = 16 };
	uint64_t addr[2] = { DATA, DATA + 0x1000 };
	uint32_t lens[2] = { 12, 60 };
	static uint8_t buf[80000];
	struct conet_counts n;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		send_frame(&bad[i].h, bad[i].len);
		assert_int_equal(wait_used(TXQ, (uint16_t)(i + 1)), 0);
		assert_int_equal(used(TXQ)->ring[i % QSIZE].len, 0);
	}
	/* A transmit request the device would write into. */
	offer(TXQ, 2, addr, lens, 1);
	assert_int_equal(wait_used(TXQ, (uint16_t)(i + 1)), 0);
	assert_int_equal(backend_got(buf, sizeof(buf), 0), -1);
	/* Then a good TSO frame of 4000 bytes still goes. */
	send_frame(&good, 4000);
	assert_int_equal(backend_got(buf, sizeof(buf), 2000), 12 + 4000);
	assert_int_equal(wait_used(TXQ, (uint16_t)(i + 2)), 0);
	conet__report(conet, &n);
	assert_int_equal(n.tx_dropped, i + 1);
	assert_int_equal(n.tx_frames, 1);
}

static void test_bad_receive_buffers(void **state)
{
	uint64_t addr[2] = { DATA + 0x8000, DATA + 0x9000 };
	uint32_t small[1] = { 4 }, lens[2] = { 12, 64 };
	uint8_t frame[200] = { 0 };
	struct conet_counts n;

	(void)state;
	/* Too small for a header: given back empty, the frame stays. */
	offer(RXQ, 1, addr, small, 1);
	assert_int_equal(send(peer, frame, 112, 0), 112);
	assert_int_equal(wait_used(RXQ, 1), 0);
	assert_int_equal(used(RXQ)->ring[0].len, 0);
	/* A readable receive buffer: the same. */
	offer(RXQ, 2, addr, lens, 0);
	assert_int_equal(wait_used(RXQ, 2), 0);
	assert_int_equal(used(RXQ)->ring[1].len, 0);
	/*
	 * Frames larger than the buffer (the 112 bytes still waiting, then
	 * 200) are lost and counted, nothing written past it; the next fits.
	 */
	memset(host(DATA + 0x9000 + 64), 0x5a, 16);
	offer(RXQ, 2, addr, lens, 1);
	assert_int_equal(send(peer, frame, 200, 0), 200);
	frame[12] = 1;
	assert_int_equal(send(peer, frame, 60, 0), 60);
	assert_int_equal(wait_used(RXQ, 3), 0);
	assert_int_equal(used(RXQ)->ring[2].len, 60);
	assert_int_equal(((uint8_t *)host(DATA + 0x9000))[0], 1);
	assert_int_equal(((uint8_t *)host(DATA + 0x9000))[64], 0x5a);
	conet__report(conet, &n);
	assert_int_equal(n.rx_dropped, 2);
	assert_int_equal(n.rx_frames, 1);
}

static void test_broken_ring_stops_the_queue(void **state)
{
	struct virtio_net_hdr_v1 h = { 0 };

	(void)state;
	/* A descriptor outside guest RAM, then a loop. */
	*desc(TXQ, 0) = (struct vring_desc){ .addr = RAM_GPA + RAM_SIZE - 4, .len = 64 };
	avail(TXQ)->ring[0] = 0;
	__atomic_store_n(&avail(TXQ)->idx, 1, __ATOMIC_RELEASE);
	kick(TXQ);
	usleep(100000);
	assert_int_equal(used(TXQ)->idx, 0);
	/* The queue serves nothing more until a reset; the daemon lives. */
	next_head[TXQ] = 1;
	send_frame(&h, 60);
	usleep(100000);
	assert_int_equal(used(TXQ)->idx, 0);
	assert_int_equal(call(CO_VIRTIO_SET_STATUS, 0), 0);
	assert_int_equal(page->status, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_config_and_offloads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frames_both_ways, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_frames_dropped_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_receive_buffers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_ring_stops_the_queue, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
