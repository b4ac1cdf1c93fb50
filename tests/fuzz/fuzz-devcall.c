// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzing the generic device call (daemon/devices.c: devices__call) with
 * a table like a real guest's: the console (cocon, over a term whose
 * output the harness counts), the power button, two cobd disks (one
 * read-only) and a conet interface.  Any device index, any op, any
 * arguments, the guest changing RAM (the devices' pages too) in between,
 * the host typing, resizing and pressing the button, and the virtio
 * devices' threads taking turns (shims.h).
 *
 * Input: operations until the input ends, each an opcode byte and its
 * arguments (see the enum).  CALL takes device u8 and op u8 (small
 * values, where the devices are); CALL_WIDE takes them as u64.
 */
#include <errno.h>

#include "../../daemon/cocon.h"
#include "../../daemon/power.h"
#include "shims.h"

enum op {
	OP_WRITE, OP_WRITE16, OP_CALL, OP_CALL_WIDE, OP_TYPE, OP_WINSIZE,
	OP_PRESS, OP_SERVE, OP_INIT, NR_OPS
};

#define MAX_OPS 256

static struct device_table table;
static struct term term;
static struct guest_device *power;
static struct virtio_dev *cobd[2], *conet;
static uint64_t printed;

/* The console's output: counted, and checked to be guest RAM. */
static void sink(void *unused, const uint8_t *p, size_t len)
{
	(void)unused;
	FUZZ_CHECK(len >= 1 && len <= CO_CONSOLE_MAX);
	fuzz_check_ram(p, len);
	printed += len;
}

static void init(void)
{
	fuzz_ram_init();
	term__init(&term);
	term.output = sink;
	FUZZ_CHECK(cocon__add(&table, &term));
	power = power__add(&table);
	FUZZ_CHECK(power);
	cobd[0] = fuzz_cobd_add(&table, 0, 0);
	cobd[1] = fuzz_cobd_add(&table, 1, 1);
	conet = fuzz_conet_add(&table, 0, 1);
	FUZZ_CHECK(!devices__place(&table, &fuzz_vm, FUZZ_PAGE_GPA));
	FUZZ_CHECK(!devices__attach(&table, &fuzz_vm));
}

/* What every call must return, whatever the device. */
static void call(uint64_t device, uint64_t op, uint64_t a0, uint64_t a1)
{
	int64_t ret = fuzz_call(&table, device, op, a0, a1);

	if (device >= table.count) {
		FUZZ_CHECK(ret == -ENODEV);
		return;
	}
	FUZZ_CHECK(ret >= -4095);
	if (table.dev[device].ops->type == CO_DEV_CONSOLE && op == CO_CONSOLE_READ)
		FUZZ_CHECK(ret < 0 || (uint64_t)ret <= a1);
}

/* Host keystrokes, never more than the ring holds (term__queue would wait). */
static void type(struct fuzz_in *in)
{
	const uint8_t *p;
	size_t n = fuzz_bytes(in, &p, fuzz_u8(in));

	pthread_mutex_lock(&term.lock);
	if (n > sizeof(term.buf) - term.len)
		n = sizeof(term.buf) - term.len;
	pthread_mutex_unlock(&term.lock);
	term__queue(&term, p, n);
}

static void serve(unsigned int which)
{
	switch (which % 3) {
	case 0:
		fuzz_cobd_serve(cobd[0], 1);
		break;
	case 1:
		fuzz_cobd_serve(cobd[1], 0);
		break;
	default:
		fuzz_conet_serve(conet);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static uint8_t drain[4096];
	struct fuzz_in in = { data, size };
	unsigned int ops, i;

	if (!ready) {
		init();
		ready = 1;
	}
	/* A clean start: every device reset, no input or press waiting. */
	fuzz_ram_clear();
	for (i = 0; i < table.count; i++)
		if (table.dev[i].ops->type == CO_DEV_VIRTIO)
			FUZZ_CHECK(fuzz_call(&table, i, CO_VIRTIO_SET_STATUS, 0, 0) == 0);
	while (term__take(&term, drain, sizeof(drain)))
		;
	term__take_winsize(&term);
	fuzz_call(&table, power->index, CO_POWER_REQUEST, 0, 0);
	fuzz_data_reset();
	for (ops = 0; in.left && ops < MAX_OPS; ops++) {
		switch (fuzz_u8(&in) % NR_OPS) {
		case OP_WRITE:
			fuzz_op_write(&in);
			break;
		case OP_WRITE16:
			fuzz_op_write16(&in);
			break;
		case OP_CALL: {
			uint64_t dev = fuzz_u8(&in), op = fuzz_u8(&in);
			uint64_t a0 = fuzz_u64(&in), a1 = fuzz_u64(&in);

			call(dev, op, a0, a1);
			break;
		}
		case OP_CALL_WIDE: {
			uint64_t dev = fuzz_u64(&in), op = fuzz_u64(&in);
			uint64_t a0 = fuzz_u64(&in), a1 = fuzz_u64(&in);

			call(dev, op, a0, a1);
			break;
		}
		case OP_TYPE:
			type(&in);
			break;
		case OP_WINSIZE: {
			unsigned int rows = fuzz_u32(&in), cols = fuzz_u32(&in);

			term__set_winsize(&term, rows, cols);
			break;
		}
		case OP_PRESS:
			power__press(power, fuzz_u8(&in) % 3);
			break;
		case OP_SERVE:
			serve(fuzz_u8(&in));
			break;
		case OP_INIT: {
			unsigned int dev = 2 + fuzz_u8(&in) % 3;

			fuzz_virtio_init(&table, dev, &in);
			break;
		}
		}
	}
	for (i = 0; i < 3; i++)
		serve(i);
	return 0;
}
