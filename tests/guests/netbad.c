// SPDX-License-Identifier: GPL-2.0
/*
 * A guest that sends malformed frames on conet eth0, built by hand on the
 * cooperative virtio transport (vring.c), between good ones: each bad
 * frame is used and dropped, a ring the guest broke stops its queue until
 * a reset, and after every one of them a good frame still reaches the
 * host's TAP.  Then frames the daemon may pass but the host kernel must
 * judge (segmentation of a frame that is not TCP, a checksum in a frame
 * that is not IP), and a flood of bad frames.
 *
 * The peer on the TAP (tests/vm/netbad-peer.py) sends "netbad go" until
 * the guest hears it, then counts what arrives: every "netbad good N",
 * no "netbad BAD".  Every frame is a broadcast of EtherType 0x88b5.
 */
#include "vring.h"

#define F_CSUM		(1ULL << 0)
#define F_MAC		(1ULL << 5)
#define F_HOST_TSO4	(1ULL << 11)
#define F_STATUS	(1ULL << 16)

#define H_NEEDS_CSUM	1
#define GSO_NONE	0
#define GSO_TCPV4	1
#define GSO_TCPV6	4
#define GSO_ECN		0x80

#define RXQ		0
#define TXQ		1
#define FLOOD		2000

struct net_hdr {
	uint8_t flags, gso_type;
	uint16_t hdr_len, gso_size, csum_start, csum_offset, num_buffers;
};

static struct vr_ring rings[VR_QUEUES];
static struct vr_dev d = { .who = "netbad", .nr_queues = VR_QUEUES, .ring = rings };
static struct net_hdr tx_hdr;
static uint8_t frame[70016];
static uint8_t rx_buf[sizeof(struct net_hdr) + 1514];
static uint8_t mac[6];
static unsigned int goods, bads, odds;
static int bad;

static const struct net_hdr plain = { 0 };

/* A broadcast of len bytes from our MAC carrying text, zeros after it. */
static void make_frame(uint32_t len, const char *text)
{
	size_t n = strlen(text);

	memset(frame, 0, len < sizeof(frame) ? len : sizeof(frame));
	memset(frame, 0xff, 6);
	memcpy(frame + 6, mac, 6);
	frame[12] = 0x88;
	frame[13] = 0xb5;
	if (len >= 14 + n)
		memcpy(frame + 14, text, n);
}

/* Header and frame as descriptors 0 and 1: used within 3 s? */
static int send(const struct net_hdr *h, uint32_t len)
{
	tx_hdr = *h;
	vr_set_desc(&rings[TXQ], 0, &tx_hdr, sizeof(tx_hdr), VR_D_NEXT, 1);
	vr_set_desc(&rings[TXQ], 1, frame, len, 0, 0);
	return vr_post(&d, TXQ, 0, 3000) >= 0;
}

static void good(const char *after)
{
	char text[32] = "netbad good ";
	unsigned int n = ++goods, i = 12;
	char digits[8];
	int k = 0;

	do {
		digits[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (k)
		text[i++] = digits[--k];
	text[i] = 0;
	make_frame(64, text);
	if (!send(&plain, 64)) {
		printf("netbad: after %s, a good frame was not used\n", after);
		bad++;
	}
}

/* A frame the daemon must drop: used, not sent. */
static void dropped(const char *what, struct net_hdr h, uint32_t len)
{
	make_frame(len, "netbad BAD");
	bads++;
	if (!send(&h, len)) {
		printf("netbad: %s was not used\n", what);
		bad++;
	}
	good(what);
}

/* A ring the guest broke stops: nothing is used until a reset. */
static void broken(const char *what, uint16_t head)
{
	if (vr_post(&d, TXQ, head, 500) >= 0) {
		printf("netbad: %s was used\n", what);
		bad++;
	}
	if (vr_start(&d, VR_F_VERSION_1 | F_MAC | F_CSUM | F_HOST_TSO4))
		bad++;
	good(what);
}

/* The peer's "netbad go" into our one receive buffer, within 30 s. */
static int hear_go(void)
{
	uint64_t end = rdtsc() + 30000 * boot_info->tsc_khz;
	const uint8_t *f = rx_buf + sizeof(struct net_hdr);
	long len;

	while (rdtsc() < end) {
		vr_set_desc(&rings[RXQ], 0, rx_buf, sizeof(rx_buf), VR_D_WRITE, 0);
		vr_offer(&d, RXQ, 0);
		len = vr_wait_used(&d, RXQ, 30000, NULL);
		if (len >= (long)sizeof(struct net_hdr) + 23 && f[12] == 0x88 &&
		    f[13] == 0xb5 && !memcmp(f + 14, "netbad go", 9))
			return 0;
	}
	printf("netbad: never heard the peer\n");
	return -1;
}

int test_netbad(void)
{
	struct net_hdr h;
	unsigned int i;

	if (vr_find(&d, 1)) {
		printf("netbad: no conet\n");
		return 1;
	}
	for (i = 0; i < 6; i++)
		mac[i] = d.regs->config[i];
	if ((d.regs->device_features & (F_CSUM | F_HOST_TSO4)) != (F_CSUM | F_HOST_TSO4)) {
		printf("netbad: eth0 offers no offloads (features 0x%llx)\n",
		       d.regs->device_features);
		return 1;
	}
	if (vr_start(&d, VR_F_VERSION_1 | F_MAC | F_CSUM | F_HOST_TSO4) || hear_go())
		return 1;
	printf("netbad: heard the peer\n");
	good("the start");

	/* Bad frames: each is used, dropped, counted. */
	dropped("a frame of 10 bytes", plain, 10);
	dropped("a header and no frame", plain, 0);
	dropped("a frame of 1600 bytes without segmentation", plain, 1600);
	h = (struct net_hdr){ H_NEEDS_CSUM, GSO_TCPV4, 54, 1448, 34, 16, 0 };
	dropped("a segmented frame of 70000 bytes", h, 70000);
	h = (struct net_hdr){ .flags = 0x80 };
	dropped("header flags 0x80", h, 64);
	h = (struct net_hdr){ .flags = H_NEEDS_CSUM, .csum_start = 1000, .csum_offset = 6 };
	dropped("a checksum past the end", h, 100);
	h = (struct net_hdr){ .flags = H_NEEDS_CSUM, .csum_start = 62, .csum_offset = 0 };
	dropped("a checksum across the end", h, 63);
	h = (struct net_hdr){ H_NEEDS_CSUM, GSO_TCPV6, 74, 1000, 54, 16, 0 };
	dropped("TSO6, not negotiated", h, 3000);
	h = (struct net_hdr){ H_NEEDS_CSUM, GSO_TCPV4 | GSO_ECN, 54, 1000, 34, 16, 0 };
	dropped("TSO4 with ECN, not negotiated", h, 3000);
	h = (struct net_hdr){ H_NEEDS_CSUM, GSO_TCPV4, 54, 0, 34, 16, 0 };
	dropped("a segment size of 0", h, 3000);
	h = (struct net_hdr){ 0, GSO_TCPV4, 54, 1000, 34, 16, 0 };
	dropped("segmentation without a checksum", h, 3000);
	h = (struct net_hdr){ H_NEEDS_CSUM, GSO_TCPV4, 4000, 1000, 34, 16, 0 };
	dropped("a header longer than the frame", h, 3000);
	h = (struct net_hdr){ .gso_type = 9 };
	dropped("segmentation type 9", h, 3000);

	/* Wrong shapes: dropped too. */
	make_frame(64, "netbad BAD");
	vr_set_desc(&rings[TXQ], 0, &tx_hdr, 8, 0, 0);
	bads++;
	if (vr_post(&d, TXQ, 0, 3000) < 0)
		printf("netbad: a short header was not used\n"), bad++;
	good("a short header");
	tx_hdr = plain;
	vr_set_desc(&rings[TXQ], 0, &tx_hdr, sizeof(tx_hdr), VR_D_NEXT, 1);
	vr_set_desc(&rings[TXQ], 1, frame, 64, VR_D_WRITE, 0);
	bads++;
	if (vr_post(&d, TXQ, 0, 3000) < 0)
		printf("netbad: a frame the device writes was not used\n"), bad++;
	good("a frame the device writes");

	/* Broken rings. */
	vr_set_desc(&rings[TXQ], 0, &tx_hdr, sizeof(tx_hdr), VR_D_NEXT, 0);
	broken("a descriptor loop", 0);
	vr_set_desc(&rings[TXQ], 0, &tx_hdr, sizeof(tx_hdr), VR_D_NEXT, 200);
	broken("a next out of range", 0);
	broken("a head out of range", 100);
	vr_set_desc(&rings[TXQ], 0, &tx_hdr, sizeof(tx_hdr), VR_D_NEXT, 1);
	rings[TXQ].desc[1] = (struct vr_desc){ 0x1000, 64, 0, 0 };
	broken("a frame outside guest RAM", 0);
	rings[TXQ].desc[1] = (struct vr_desc){ ~0ULL - 30, 64, 0, 0 };
	broken("a frame wrapping around", 0);
	rings[TXQ].avail.idx += 100;
	broken("an available index 100 ahead", 0);

	/*
	 * For the host kernel to judge (the daemon's checks pass them): a
	 * segmentation request for a frame that is not TCP/IPv4, a checksum
	 * to fill in a frame that is not IP.  The host's log must stay clean.
	 */
	make_frame(3000, "netbad odd");
	h = (struct net_hdr){ H_NEEDS_CSUM, GSO_TCPV4, 54, 1000, 34, 16, 0 };
	odds++;
	if (!send(&h, 3000))
		printf("netbad: an odd segmentation request was not used\n"), bad++;
	good("an odd segmentation request");
	make_frame(200, "netbad odd");
	h = (struct net_hdr){ .flags = H_NEEDS_CSUM, .csum_start = 14, .csum_offset = 6 };
	odds++;
	if (!send(&h, 200))
		printf("netbad: an odd checksum request was not used\n"), bad++;
	good("an odd checksum request");

	/* A flood of bad frames, then a good one. */
	for (i = 0; i < FLOOD && !bad; i++) {
		make_frame(10, "");
		bads++;
		if (!send(&plain, 10))
			printf("netbad: frame %u of the flood was not used\n", i), bad++;
	}
	good("the flood");

	printf("netbad: %u good frames, %u bad, %u odd\n", goods, bads, odds);
	printf("netbad: %s\n", bad ? "SOMETHING WRONG" : "bad frames dropped, good ones sent");
	return bad ? 1 : 0;
}

/*
 * ---- netrace: the transmit ring rewritten while the daemon reads it ----
 *
 * vCPU 0 sends good frames ("netbad race") while vCPU 1 keeps turning one
 * field bad and back: a header field (flags, segmentation type and size,
 * checksum place, header length), a descriptor's length, address, flags or
 * next, the head in the available ring, the available index.  The daemon
 * must act only on what it checked (a double fetch of the header would let
 * a checksum or a segmentation request past its checks): each frame is
 * sent, dropped, or stops the queue until a reset; the daemon lives, and
 * after the race a good frame reaches the peer.
 */
static struct {
	volatile int go, stop, stopped;
	volatile uint64_t flips;
} race;

/* One bad value into one field for a moment, then the good one back. */
static void flip_once(uint64_t r)
{
	volatile struct vr_desc *desc = rings[TXQ].desc;
	volatile struct net_hdr *h = &tx_hdr;
	volatile uint16_t *avail_idx = &rings[TXQ].avail.idx;
	volatile uint16_t *head = &rings[TXQ].avail.ring[(r >> 8) % VR_SIZE];
	uint64_t end = rdtsc() + (r >> 16) % 20000;
	int high = (r >> 32) & 1;
	uint16_t old16;

	switch (r % 12) {
	case 0: h->flags = 0x80; break;
	case 1: h->gso_type = high ? 9 : GSO_TCPV4; break;
	case 2: h->flags = H_NEEDS_CSUM; h->csum_start = high ? 1000 : 62;
		h->csum_offset = 6; break;
	case 3: h->flags = H_NEEDS_CSUM; h->gso_type = GSO_TCPV4;
		h->gso_size = high ? 0 : 1000; h->hdr_len = 4000; break;
	case 4: desc[0].len = high ? 8 : 0x7fffffff; break;
	case 5: desc[1].len = high ? 10 : 70000; break;
	case 6: desc[1].addr = high ? 0x1000 : ~0ULL - 30; break;
	case 7: desc[1].flags = high ? VR_D_WRITE : VR_D_NEXT; break;
	case 8: desc[0].next = high ? 0 : 200; break;
	case 9: desc[0].flags = VR_D_INDIRECT; break;
	case 10: old16 = *head; *head = 100; while (rdtsc() < end) cpu_relax();
		*head = old16; return;
	default: old16 = *avail_idx; *avail_idx = old16 + 100;
		while (rdtsc() < end)
			cpu_relax();
		*avail_idx = old16; return;
	}
	while (rdtsc() < end)
		cpu_relax();
	/* Good again: what vCPU 0 set up, for the next frame. */
	*h = plain;
	desc[0] = (struct vr_desc){ gpa_of(&tx_hdr), sizeof(tx_hdr), VR_D_NEXT, 1 };
	desc[1] = (struct vr_desc){ gpa_of(frame), 64, 0, 0 };
}

static void rewriter(unsigned int cpu)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL ^ rdtsc();

	(void)cpu;
	/* With interrupts on: the host's must get through (its watchdog). */
	irq_enable();
	while (!race.go)
		cpu_relax();
	while (!race.stop) {
		flip_once(xorshift64(&x));
		race.flips++;
	}
	irq_disable();
	race.stopped = 1;
}

int test_netrace(void)
{
	long rounds = cmdline_number("rounds", 400);
	uint64_t features = VR_F_VERSION_1 | F_MAC | F_CSUM | F_HOST_TSO4;
	long i, used = 0, stopped = 0;

	if (start_ap_job("netrace", rewriter))
		return 1;
	if (vr_find(&d, 1)) {
		printf("netrace: no conet\n");
		return 1;
	}
	for (i = 0; i < 6; i++)
		mac[i] = d.regs->config[i];
	if (vr_start(&d, features) || hear_go())
		return 1;
	good("the start");
	make_frame(64, "netbad race");
	tx_hdr = plain;
	vr_set_desc(&rings[TXQ], 0, &tx_hdr, sizeof(tx_hdr), VR_D_NEXT, 1);
	vr_set_desc(&rings[TXQ], 1, frame, 64, 0, 0);
	race.go = 1;
	for (i = 0; i < rounds; i++) {
		if (vr_post(&d, TXQ, 0, 300) >= 0) {
			used++;
			continue;
		}
		/* A stopped queue stays stopped until a reset. */
		stopped++;
		if (vr_start(&d, features))
			return 1;
	}
	race.stop = 1;
	while (!race.stopped)
		cpu_relax();
	if (vr_start(&d, features))
		return 1;
	good("the race");
	printf("netrace: %ld frames while vCPU 1 rewrote them %llu times: %ld used, %ld stopped the queue\n",
	       rounds, race.flips, used, stopped);
	printf("netrace: %s\n", bad ? "FAILED" : "the daemon held, a good frame after the race");
	return bad ? 1 : 0;
}
