// SPDX-License-Identifier: GPL-2.0
/*
 * A guest that posts malformed virtio-blk requests to cobd0, built by
 * hand on the cooperative virtio transport: each is refused (an error
 * status for a bad request, a stopped queue for a broken ring, an errno
 * for a bad call), and after each the daemon still serves good requests,
 * after a reset where the queue was broken.
 *
 * Writes: sector 1 of cobd0 gets WRITE_MARK, nothing else changes; the
 * VM test checks the image.
 */
#include "vring.h"

#define T_IN		0
#define T_OUT		1
#define T_FLUSH		4
#define ST_OK		0
#define ST_IOERR	1
#define ST_UNSUPP	2

#define WRITE_MARK	"blkbad was here"

struct blk_hdr {
	uint32_t type, reserved;
	uint64_t sector;
};

static struct vr_ring q;
static struct vr_dev d = { .who = "blkbad", .nr_queues = 1, .ring = &q };
static struct vr_desc indirect[4] __attribute__((aligned(16)));
static struct blk_hdr hdr;
static uint8_t data[1024] __attribute__((aligned(512)));
static uint8_t status;
static int bad;

static long call(uint64_t op, uint64_t a0)
{
	return vr_call(&d, op, a0);
}

static void check(const char *what, long got, long want)
{
	if (got != want) {
		printf("blkbad: %s: got %d, expected %d\n", what, (int)got, (int)want);
		bad++;
	}
}

static int start_device(void)
{
	return vr_start(&d, VR_F_VERSION_1);
}

/* How long request() waits for a request to be used (blkrace waits less). */
static uint64_t request_ms = 3000;

static long post(uint16_t head, uint64_t ms)
{
	return vr_post(&d, 0, head, ms);
}

static void set_desc(unsigned int i, const void *buf, uint32_t len,
		     uint16_t flags, uint16_t next)
{
	vr_set_desc(&q, i, buf, len, flags, next);
}

/* header + data + status, as descriptors 0, 1, 2: the status, or -1. */
static int request(uint32_t type, uint64_t sector, uint32_t len, int writes)
{
	hdr = (struct blk_hdr){ type, 0, sector };
	status = 0xee;
	set_desc(0, &hdr, sizeof(hdr), VR_D_NEXT, 1);
	set_desc(1, data, len, VR_D_NEXT | (writes ? VR_D_WRITE : 0), 2);
	set_desc(2, &status, 1, VR_D_WRITE, 0);
	return post(0, request_ms) < 0 ? -1 : status;
}

static void good_read(const char *after)
{
	int st = request(T_IN, 0, 512, 1);

	if (st != ST_OK) {
		printf("blkbad: after %s, a good read got %d\n", after, st);
		bad++;
	}
}

/* A ring the guest broke stops: nothing is used until a reset. */
static void broken(const char *what, uint16_t head)
{
	long len = post(head, 500);

	if (len >= 0) {
		printf("blkbad: %s was used (length %d)\n", what, (int)len);
		bad++;
	}
	if (start_device())
		bad++;
	good_read(what);
}

int test_blkbad(void)
{
	volatile struct co_virtio *dev;
	uint64_t capacity;

	if (vr_find(&d, 2)) {
		printf("blkbad: no cobd\n");
		return 1;
	}
	dev = d.regs;
	capacity = *(volatile uint64_t *)dev->config;
	printf("blkbad: cobd%u, %llu sectors\n", boot_info->devices[d.index].unit,
	       capacity);

	/* Bad calls and bad negotiation. */
	check("status 0x100", call(CO_VIRTIO_SET_STATUS, 0x100), -22);
	check("operation 9", call(9, 0), -38);
	call(CO_VIRTIO_SET_STATUS, 0);
	call(CO_VIRTIO_SET_STATUS, VR_S_ACK | VR_S_DRIVER);
	dev->driver_features = VR_F_VERSION_1 | (1ULL << 50);
	check("unknown feature", call(CO_VIRTIO_SET_STATUS, VR_S_ACK | VR_S_DRIVER |
				      VR_S_FEATURES_OK) & VR_S_FEATURES_OK, 0);
	call(CO_VIRTIO_SET_STATUS, 0);
	call(CO_VIRTIO_SET_STATUS, VR_S_ACK | VR_S_DRIVER);
	dev->driver_features = 0;
	check("no VERSION_1", call(CO_VIRTIO_SET_STATUS, VR_S_ACK | VR_S_DRIVER |
				   VR_S_FEATURES_OK) & VR_S_FEATURES_OK, 0);
	check("queue 8", call(CO_VIRTIO_SET_QUEUE, 8), -22);
	check("queue ~0", call(CO_VIRTIO_SET_QUEUE, ~0ULL), -22);
	dev->queue[0].size = 3;
	dev->queue[0].desc_gpa = gpa_of(q.desc);
	dev->queue[0].avail_gpa = gpa_of(&q.avail);
	dev->queue[0].used_gpa = gpa_of(&q.used);
	check("queue size 3", call(CO_VIRTIO_SET_QUEUE, 0), -22);
	dev->queue[0].size = 1024;
	check("queue size 1024", call(CO_VIRTIO_SET_QUEUE, 0), -22);
	dev->queue[0].size = VR_SIZE;
	dev->queue[0].used_gpa = 0x1000;
	check("used ring outside RAM", call(CO_VIRTIO_SET_QUEUE, 0), -22);
	dev->queue[0].desc_gpa = gpa_of(q.desc) + 4;
	dev->queue[0].used_gpa = gpa_of(&q.used);
	check("misaligned descriptors", call(CO_VIRTIO_SET_QUEUE, 0), -22);
	check("config write past the end", call(CO_VIRTIO_CONFIG_WRITE, 5000), -22);
	check("notify queue 8", hypercall(CO_HC_NOTIFY, (uint64_t)d.index, 8, 0, 0), -22);
	check("notify device 40", hypercall(CO_HC_NOTIFY, 40, 0, 0, 0), -22);
	check("notify an unbound device", hypercall(CO_HC_NOTIFY, 39, 0, 0, 0), -2);

	if (start_device())
		return 1;
	check("a good read", request(T_IN, 0, 512, 1), ST_OK);
	/* Bad requests: each fails alone. */
	check("read at the capacity", request(T_IN, capacity, 512, 1), ST_IOERR);
	check("read across the end", request(T_IN, capacity - 1, 1024, 1), ST_IOERR);
	check("read at sector ~0", request(T_IN, ~0ULL, 512, 1), ST_IOERR);
	check("read at sector 2^55", request(T_IN, 1ULL << 55, 512, 1), ST_IOERR);
	check("write across the end", request(T_OUT, capacity - 1, 1024, 0), ST_IOERR);
	check("read of 100 bytes", request(T_IN, 0, 100, 1), ST_IOERR);
	check("type 77", request(77, 0, 512, 1), ST_UNSUPP);
	/* No status byte: used with nothing written, the status untouched. */
	hdr = (struct blk_hdr){ T_IN, 0, 0 };
	status = 0xee;
	set_desc(0, &hdr, sizeof(hdr), 0, 0);
	check("no status byte", post(0, 3000), 0);
	check("status after no status byte", status, 0xee);
	/* A short header. */
	set_desc(0, &hdr, 8, VR_D_NEXT, 2);
	set_desc(2, &status, 1, VR_D_WRITE, 0);
	check("short header", (post(0, 3000), status), ST_IOERR);
	/* A good write, read back. */
	memset(data, 0, sizeof(data));
	memcpy(data, WRITE_MARK, sizeof(WRITE_MARK));
	check("a good write", request(T_OUT, 1, 512, 0), ST_OK);
	check("a flush", (hdr = (struct blk_hdr){ T_FLUSH, 0, 0 },
			  set_desc(0, &hdr, sizeof(hdr), VR_D_NEXT, 2),
			  set_desc(2, &status, 1, VR_D_WRITE, 0), status = 0xee,
			  post(0, 3000), status), ST_OK);
	memset(data, 0, sizeof(data));
	check("read back", request(T_IN, 1, 512, 1), ST_OK);
	check("read back's bytes", memcmp(data, WRITE_MARK, sizeof(WRITE_MARK)), 0);

	/* Broken rings: each stops the queue until a reset. */
	set_desc(0, &hdr, sizeof(hdr), VR_D_NEXT, 0);	/* a loop */
	broken("a descriptor loop", 0);
	set_desc(0, &hdr, sizeof(hdr), VR_D_NEXT, 200);
	broken("a next out of range", 0);
	broken("a head out of range", 100);
	set_desc(0, &hdr, sizeof(hdr), VR_D_NEXT, 1);
	q.desc[1] = (struct vr_desc){ 0x1000, 512, VR_D_NEXT | VR_D_WRITE, 2 };
	set_desc(2, &status, 1, VR_D_WRITE, 0);
	broken("a buffer outside guest RAM", 0);
	q.desc[1] = (struct vr_desc){ ~0ULL - 100, 512, VR_D_NEXT | VR_D_WRITE, 2 };
	broken("a buffer wrapping around", 0);
	set_desc(0, indirect, sizeof(indirect), VR_D_INDIRECT, 0);
	indirect[0] = (struct vr_desc){ gpa_of(&hdr), sizeof(hdr), VR_D_NEXT, 0 };
	broken("an indirect loop", 0);
	set_desc(0, indirect, 24, VR_D_INDIRECT, 0);
	broken("an indirect table of 24 bytes", 0);
	q.avail.idx += 100;
	broken("an available index 100 ahead", 0);

	printf("blkbad: %s\n", bad ? "SOME ACCEPTED" : "all refused, good requests served");
	return bad ? 1 : 0;
}

/*
 * ---- blkrace: the ring rewritten while the daemon reads it ----
 *
 * vCPU 0 posts good read requests (header + 512-byte buffer + status)
 * while vCPU 1 keeps turning one field of them bad and back: a length, an
 * address outside RAM, a flag, a next, the head in the available ring,
 * the available index, the sector, the request type.  A daemon that checks
 * a value and then reads it again from guest RAM (a double fetch) would
 * act on what it never checked.  Each request must end as served, refused
 * with an error status, used without a status, or as a stopped queue (then
 * reset); the daemon must not crash, and after the race a good read works.
 * Only reads are posted: the image stays as it was.
 */
static struct {
	volatile int stop, stopped;
	volatile uint64_t flips;
	uint64_t capacity;
} race;

/* One bad value into one field for a moment, then the good one back. */
static void flip_once(uint64_t r)
{
	volatile struct vr_desc *desc = q.desc;
	volatile uint16_t *avail_idx = &q.avail.idx;
	volatile uint16_t *head = &q.avail.ring[(r >> 8) % VR_SIZE];
	volatile struct blk_hdr *h = &hdr;
	uint64_t end = rdtsc() + (r >> 16) % 20000;
	uint16_t old16;

	switch (r % 9) {
	case 0: desc[1].len = (r >> 32) & 1 ? 0x7fffffff : 100; break;
	case 1: desc[1].addr = (r >> 32) & 1 ? 0x1000 : ~0ULL - 100; break;
	case 2: desc[1].flags = VR_D_NEXT; break;
	case 3: desc[0].next = (r >> 32) & 1 ? 0 : 200; break;
	case 4: desc[0].flags = VR_D_INDIRECT; break;
	case 5: h->sector = (r >> 32) & 1 ? race.capacity : ~0ULL; break;
	case 6: h->type = 77; break;
	case 7: old16 = *head; *head = 100; while (rdtsc() < end) cpu_relax();
		*head = old16; return;
	default: old16 = *avail_idx; *avail_idx = old16 + 100;
		while (rdtsc() < end)
			cpu_relax();
		*avail_idx = old16; return;
	}
	while (rdtsc() < end)
		cpu_relax();
	/* Good again: what vCPU 0 wrote, for the next request. */
	desc[0] = (struct vr_desc){ gpa_of(&hdr), sizeof(hdr), VR_D_NEXT, 1 };
	desc[1] = (struct vr_desc){ gpa_of(data), 512, VR_D_NEXT | VR_D_WRITE, 2 };
	h->sector = 0;
	h->type = T_IN;
}

static void rewriter(unsigned int cpu)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL ^ rdtsc();

	(void)cpu;
	/* With interrupts on: the host's must get through (its watchdog). */
	irq_enable();
	while (!race.stop) {
		flip_once(xorshift64(&x));
		race.flips++;
	}
	irq_disable();
	race.stopped = 1;
}

int test_blkrace(void)
{
	long rounds = cmdline_number("rounds", 400);
	long i, served = 0, refused = 0, unstated = 0, stopped = 0, other = 0;

	if (start_ap_job("blkrace", rewriter))
		return 1;
	if (vr_find(&d, 2)) {
		printf("blkrace: no cobd\n");
		return 1;
	}
	race.capacity = *(volatile uint64_t *)d.regs->config;
	if (start_device())
		return 1;
	request_ms = (uint64_t)cmdline_number("wait_ms", 300);
	for (i = 0; i < rounds; i++) {
		int st = request(T_IN, 0, 512, 1);

		if (st == ST_OK)
			served++;
		else if (st == ST_IOERR || st == ST_UNSUPP)
			refused++;
		else if (st == 0xee)
			unstated++;
		else if (st < 0)
			stopped++;
		else
			other++;
		/* A stopped queue stays stopped until a reset. */
		if (st < 0 && start_device())
			return 1;
	}
	race.stop = 1;
	while (!race.stopped)
		cpu_relax();
	if (start_device())
		return 1;
	request_ms = 3000;
	good_read("the race");
	printf("blkrace: %ld requests while vCPU 1 rewrote them %llu times: %ld served, %ld refused with an error status, %ld used without a status, %ld stopped the queue, %ld other\n",
	       rounds, race.flips, served, refused, unstated, stopped, other);
	printf("blkrace: %s\n", bad || other ? "FAILED" : "the daemon held, a good read after the race");
	return bad || other ? 1 : 0;
}

/*
 * ---- blkflood: notifications from two vCPUs at once ----
 *
 * vCPU 1 rings cobd0's queue (CO_HC_NOTIFY) as fast as it can, with a
 * queue and a device that do not exist among the rings, while vCPU 0
 * posts good reads: each read is served as usual (the module turns a
 * notification into an eventfd signal, which coalesces: a flood cannot
 * starve the queue it rings), each wrong ring gets its errno, and the
 * host stays clean.
 */
static struct {
	volatile int go, stop, stopped;
	volatile uint64_t rings, wrong;
} flood;

static void notifier(unsigned int cpu)
{
	uint64_t i = 0;

	irq_enable();
	while (!flood.go)
		cpu_relax();
	while (!flood.stop) {
		uint64_t dev = (uint64_t)d.index, queue = 0;
		long want = 0;

		switch (i++ % 8) {
		case 6: queue = 8; want = -22; break;
		case 7: dev = 40; want = -22; break;
		}
		if (hypercall_on(cpu, CO_HC_NOTIFY, dev, queue, 0, 0) != want)
			flood.wrong++;
		flood.rings++;
	}
	irq_disable();
	flood.stopped = 1;
}

int test_blkflood(void)
{
	long rounds = cmdline_number("rounds", 300);
	long i, served = 0;
	uint64_t t0;

	if (start_ap_job("blkflood", notifier))
		return 1;
	if (vr_find(&d, 2)) {
		printf("blkflood: no cobd\n");
		return 1;
	}
	if (start_device())
		return 1;
	flood.go = 1;
	t0 = rdtsc();
	for (i = 0; i < rounds; i++) {
		int st = request(T_IN, 0, 512, 1);

		if (st == ST_OK && !memcmp(data, "blkrace sector 0", 16))
			served++;
		else if (bad++ < 5)
			printf("blkflood: read %ld got %d\n", i, st);
	}
	flood.stop = 1;
	while (!flood.stopped)
		cpu_relax();
	printf("blkflood: %ld of %ld reads served in %llu ms while vCPU 1 rang %llu times (%llu wrong answers)\n",
	       served, rounds, (rdtsc() - t0) / boot_info->tsc_khz, flood.rings, flood.wrong);
	if (flood.wrong || !flood.rings)
		bad++;
	printf("blkflood: %s\n", bad ? "FAILED" : "every read served through the flood");
	return bad ? 1 : 0;
}
