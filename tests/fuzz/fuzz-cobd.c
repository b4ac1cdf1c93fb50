// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzing cobd (daemon/cobd.c), the virtio-blk device, through the
 * transport as a guest uses it, over a 64 KiB memfd disk.
 *
 * Input: flags u8 (bit 0: the read-only disk), then the driver's set-up
 * (fuzz_virtio_init: features, queue size, rings), then operations until
 * the input ends (see the enum).  REQ builds a virtio-blk request as a
 * driver would (header type and sector, data buffers, status byte), with
 * a few flags to get its shape wrong; WRITE pokes any bytes of RAM; SERVE
 * runs a turn of the device's thread.
 */
#include <linux/virtio_blk.h>

#include "shims.h"

enum op {
	OP_WRITE, OP_WRITE16, OP_REQ, OP_SERVE, OP_SERVE_WAIT, OP_CALL, OP_INIT,
	NR_OPS
};

/* REQ flags: how the request differs from a good one. */
#define REQ_INDIRECT	0x01
#define REQ_NO_STATUS	0x02
#define REQ_SPLIT_HDR	0x04	/* the header in two buffers */
#define REQ_BIG_STATUS	0x08	/* a status buffer of 2 bytes */
#define REQ_FLIP_DATA	0x10	/* data the other direction */
#define REQ_SHORT_HDR	0x20	/* a header of 8 bytes */

#define MAX_OPS 256

static struct device_table table;
static struct virtio_dev *disk[2];
static uint16_t next_desc;

static void op_req(struct virtio_dev *vdev, struct fuzz_in *in)
{
	uint8_t flags = fuzz_u8(in);
	struct virtio_blk_outhdr hdr = { .type = fuzz_u32(in), .sector = fuzz_u64(in) };
	unsigned int i, ndata = fuzz_u8(in) % 9;
	int data_writes = (hdr.type == VIRTIO_BLK_T_IN || hdr.type == VIRTIO_BLK_T_GET_ID) ^
			  !!(flags & REQ_FLIP_DATA);
	struct fuzz_chain ch = { 0 };
	uint64_t gpa = fuzz_data(sizeof(hdr), (const uint8_t *)&hdr, sizeof(hdr));

	if (flags & REQ_SPLIT_HDR) {
		fuzz_chain_add(&ch, gpa, 8, 0);
		fuzz_chain_add(&ch, gpa + 8, 8, 0);
	} else {
		fuzz_chain_add(&ch, gpa, flags & REQ_SHORT_HDR ? 8 : sizeof(hdr), 0);
	}
	for (i = 0; i < ndata; i++) {
		uint32_t len = fuzz_u16(in);
		const uint8_t *p;
		size_t n = fuzz_bytes(in, &p, len < 32 ? len : 32);

		fuzz_chain_add(&ch, fuzz_data(len, p, n), len, data_writes);
	}
	if (!(flags & REQ_NO_STATUS)) {
		uint32_t len = flags & REQ_BIG_STATUS ? 2 : 1;

		fuzz_chain_add(&ch, fuzz_data(len, NULL, 0), len, 1);
	}
	fuzz_offer(&vdev->vq[0], &ch, flags & REQ_INDIRECT, &next_desc);
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
		disk[0] = fuzz_cobd_add(&table, 0, 0);
		disk[1] = fuzz_cobd_add(&table, 1, 1);
		FUZZ_CHECK(!devices__place(&table, &fuzz_vm, FUZZ_PAGE_GPA));
		FUZZ_CHECK(!devices__attach(&table, &fuzz_vm));
		ready = 1;
	}
	/* A clean start: the previous input's requests done, RAM cleared. */
	fuzz_call(&table, 0, CO_VIRTIO_SET_STATUS, 0, 0);
	fuzz_call(&table, 1, CO_VIRTIO_SET_STATUS, 0, 0);
	fuzz_ram_clear();
	fuzz_data_reset();
	next_desc = 0;
	vdev = disk[fuzz_u8(&in) & 1];
	fuzz_virtio_init(&table, vdev->gdev->index, &in);
	for (ops = 0; in.left && ops < MAX_OPS; ops++) {
		switch (fuzz_u8(&in) % NR_OPS) {
		case OP_WRITE:
			fuzz_op_write(&in);
			break;
		case OP_WRITE16:
			fuzz_op_write16(&in);
			break;
		case OP_REQ:
			op_req(vdev, &in);
			break;
		case OP_SERVE:
			fuzz_cobd_serve(vdev, 0);
			break;
		case OP_SERVE_WAIT:
			fuzz_cobd_serve(vdev, 1);
			break;
		case OP_CALL: {
			uint64_t op = fuzz_u8(&in), a0 = fuzz_u64(&in), a1 = fuzz_u64(&in);

			fuzz_call(&table, vdev->gdev->index, op, a0, a1);
			break;
		}
		case OP_INIT:
			next_desc = 0;
			fuzz_virtio_init(&table, vdev->gdev->index, &in);
			break;
		}
	}
	fuzz_cobd_serve(vdev, 1);
	return 0;
}
