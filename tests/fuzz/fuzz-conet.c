// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzing conet (daemon/conet.c), the virtio-net device, through the
 * transport as a guest uses it, over a fake backend that re-checks and
 * counts every frame sent and hands the guest the frames FRAME gives.
 *
 * Input: flags u8 (bit 0: a backend with offloads, as a TAP; else as
 * nat), then the driver's set-up (fuzz_virtio_init: features, two
 * queues), then operations until the input ends (see the enum).  TX
 * builds a transmit request (the 12-byte virtio-net header, then frame
 * buffers), RXBUF a receive buffer, each with flags that get its shape
 * wrong; WRITE pokes any bytes of RAM; SERVE runs a turn of the thread.
 */
#include <linux/virtio_net.h>

#include "../../daemon/net.h"
#include "shims.h"

enum op {
	OP_WRITE, OP_WRITE16, OP_TX, OP_RXBUF, OP_FRAME, OP_SERVE, OP_CALL,
	OP_INIT, NR_OPS
};

/* TX and RXBUF flags. */
#define BUF_INDIRECT	0x01
#define BUF_HDR_MERGED	0x02	/* TX: header and frame in one buffer */
#define BUF_FLIP	0x04	/* one buffer the wrong direction */

#define MAX_OPS 256

static struct device_table table;
static struct virtio_dev *net[2];
static uint16_t next_desc[2];

static void op_tx(struct virtio_dev *vdev, struct fuzz_in *in)
{
	uint8_t flags = fuzz_u8(in);
	unsigned int i, nbufs = fuzz_u8(in) % 5;
	uint8_t h[NET_HDR_SIZE] = { 0 };
	struct fuzz_chain ch = { 0 };
	const uint8_t *hdr;
	size_t got = fuzz_bytes(in, &hdr, NET_HDR_SIZE);

	memcpy(h, hdr, got);
	if (flags & BUF_HDR_MERGED) {
		uint32_t len = fuzz_u16(in);
		uint64_t gpa = fuzz_data(NET_HDR_SIZE + len, h, NET_HDR_SIZE);

		fuzz_chain_add(&ch, gpa, NET_HDR_SIZE + len, 0);
	} else {
		fuzz_chain_add(&ch, fuzz_data(NET_HDR_SIZE, h, NET_HDR_SIZE),
			       NET_HDR_SIZE, 0);
	}
	for (i = 0; i < nbufs; i++) {
		uint32_t len = fuzz_u16(in);
		const uint8_t *p;
		size_t n = fuzz_bytes(in, &p, len < 64 ? len : 64);

		fuzz_chain_add(&ch, fuzz_data(len, p, n), len,
			       (flags & BUF_FLIP) && i + 1 == nbufs);
	}
	fuzz_offer(&vdev->vq[1], &ch, flags & BUF_INDIRECT, &next_desc[1]);
}

static void op_rxbuf(struct virtio_dev *vdev, struct fuzz_in *in)
{
	uint8_t flags = fuzz_u8(in);
	unsigned int i, nbufs = 1 + fuzz_u8(in) % 4;
	struct fuzz_chain ch = { 0 };

	for (i = 0; i < nbufs; i++) {
		uint32_t len = fuzz_u16(in);

		fuzz_chain_add(&ch, fuzz_data(len, NULL, 0), len,
			       !((flags & BUF_FLIP) && i == 0));
	}
	fuzz_offer(&vdev->vq[0], &ch, flags & BUF_INDIRECT, &next_desc[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct fuzz_in in = { data, size };
	struct virtio_dev *vdev;
	unsigned int ops;

	if (!ready) {
		fuzz_ram_init();
		net[0] = fuzz_conet_add(&table, 0, 0);
		net[1] = fuzz_conet_add(&table, 1, 1);
		FUZZ_CHECK(!devices__place(&table, &fuzz_vm, FUZZ_PAGE_GPA));
		FUZZ_CHECK(!devices__attach(&table, &fuzz_vm));
		ready = 1;
	}
	fuzz_call(&table, 0, CO_VIRTIO_SET_STATUS, 0, 0);
	fuzz_call(&table, 1, CO_VIRTIO_SET_STATUS, 0, 0);
	fuzz_ram_clear();
	fuzz_data_reset();
	next_desc[0] = next_desc[1] = 0;
	vdev = net[fuzz_u8(&in) & 1];
	fuzz_conet_frame(vdev, NULL, 0, 0);
	fuzz_virtio_init(&table, vdev->gdev->index, &in);
	for (ops = 0; in.left && ops < MAX_OPS; ops++) {
		switch (fuzz_u8(&in) % NR_OPS) {
		case OP_WRITE:
			fuzz_op_write(&in);
			break;
		case OP_WRITE16:
			fuzz_op_write16(&in);
			break;
		case OP_TX:
			op_tx(vdev, &in);
			break;
		case OP_RXBUF:
			op_rxbuf(vdev, &in);
			break;
		case OP_FRAME: {
			uint32_t len = fuzz_u32(&in) % 70000;
			const uint8_t *p;
			size_t n = fuzz_bytes(&in, &p, fuzz_u8(&in));

			fuzz_conet_frame(vdev, p, n, len);
			break;
		}
		case OP_SERVE:
			fuzz_conet_serve(vdev);
			break;
		case OP_CALL: {
			uint64_t op = fuzz_u8(&in), a0 = fuzz_u64(&in), a1 = fuzz_u64(&in);

			fuzz_call(&table, vdev->gdev->index, op, a0, a1);
			break;
		}
		case OP_INIT:
			next_desc[0] = next_desc[1] = 0;
			fuzz_virtio_init(&table, vdev->gdev->index, &in);
			break;
		}
	}
	fuzz_conet_serve(vdev);
	return 0;
}
