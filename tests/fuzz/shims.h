/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cobd and conet without their threads, for the fuzzers.  cobd-shim.c and
 * conet-shim.c each compile the daemon's own device file (#include of the
 * .c, not a copy) and replace only its start and stop ops, so that the
 * work the device's thread would do runs on the fuzzer's thread, one step
 * at a time, deterministically.  Everything else is the daemon's code: the
 * transport (virtio.c), the queues (virtq.c), the request checks.
 */
#ifndef COLINUX_TESTS_FUZZ_SHIMS_H
#define COLINUX_TESTS_FUZZ_SHIMS_H

#include <stdint.h>

#include "../../daemon/virtio.h"
#include "fuzz.h"

#define FUZZ_DISK_SIZE	(64 * 1024)	/* 128 sectors */

/* cobdN over a memfd of FUZZ_DISK_SIZE bytes; aborts if it cannot. */
struct virtio_dev *fuzz_cobd_add(struct device_table *table, unsigned int unit,
				 int read_only);
/*
 * One turn of cobd's thread: completions, new requests, the interrupt.
 * wait: until nothing is in flight any more (then every request taken
 * has been answered, which it checks).
 */
void fuzz_cobd_serve(struct virtio_dev *vdev, int wait);

/* ethN over a backend that checks and counts every frame. */
struct virtio_dev *fuzz_conet_add(struct device_table *table, unsigned int unit,
				  int offloads);
/* The next frame the backend hands the guest: len bytes (data repeated). */
void fuzz_conet_frame(struct virtio_dev *vdev, const uint8_t *data, size_t n,
		      uint32_t len);
/* One turn of conet's thread: send, receive, interrupts, notifications. */
void fuzz_conet_serve(struct virtio_dev *vdev);

/* The guest's CO_HC_DAEMON_CALL(device, op, arg0, arg1), through the table. */
int64_t fuzz_call(struct device_table *table, uint64_t device, uint64_t op,
		  uint64_t arg0, uint64_t arg1);
/*
 * A guest driver's set-up of virtio device number dev, as Linux's does
 * it, with what in says: driver features (u64), then per queue its size
 * (u16) and rings (desc, avail, used: u32 gpas each), then DRIVER_OK.
 */
void fuzz_virtio_init(struct device_table *table, unsigned int dev,
		      struct fuzz_in *in);

#endif /* COLINUX_TESTS_FUZZ_SHIMS_H */
