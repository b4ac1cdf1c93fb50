// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the virtqueue core (daemon/virtq.c): good requests, and
 * rings a guest broke in every way virtq.c checks.  Guest RAM is one
 * 128 MiB chunk of process memory; the rings sit at its start.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/virtq.h"
#include "fake-vm.h"

#define RAM_GPA		0x40000000ULL
#define RAM_SIZE	(128ULL << 20)
#define QSIZE		8
#define DESC		(RAM_GPA + 0x0000)
#define AVAIL		(RAM_GPA + 0x1000)
#define USED		(RAM_GPA + 0x2000)
#define DATA		(RAM_GPA + 0x10000)

static struct vm vm;
static struct virtq vq;
static struct virtq_req req;

static void *host(uint64_t gpa)
{
	return vm.ram + (gpa - RAM_GPA);
}

static struct vring_desc *desc(unsigned int i)
{
	return (struct vring_desc *)host(DESC) + i;
}

static struct vring_avail *avail(void)
{
	return host(AVAIL);
}

static struct vring_used *used(void)
{
	return host(USED);
}

static void set_desc(unsigned int i, uint64_t addr, uint32_t len,
		     uint16_t flags, uint16_t next)
{
	*desc(i) = (struct vring_desc){ addr, len, flags, next };
}

/* The guest makes head available. */
static void offer(uint16_t head)
{
	avail()->ring[avail()->idx % QSIZE] = head;
	avail()->idx++;
}

static int setup(void **state)
{
	(void)state;
	if (fake_vm_init(&vm, RAM_GPA, RAM_SIZE))
		return -1;
	return virtq__setup(&vq, &vm, QSIZE, DESC, AVAIL, USED);
}

static int teardown(void **state)
{
	(void)state;
	free(vm.ram);
	return 0;
}

static void test_setup_checks(void **state)
{
	struct virtq q;

	(void)state;
	assert_int_equal(virtq__setup(&q, &vm, 0, DESC, AVAIL, USED), -EINVAL);
	assert_int_equal(virtq__setup(&q, &vm, 6, DESC, AVAIL, USED), -EINVAL);
	assert_int_equal(virtq__setup(&q, &vm, 65536, DESC, AVAIL, USED), -EINVAL);
	assert_int_equal(virtq__setup(&q, &vm, QSIZE, DESC + 8, AVAIL, USED), -EINVAL);
	assert_int_equal(virtq__setup(&q, &vm, QSIZE, DESC, AVAIL + 1, USED), -EINVAL);
	assert_int_equal(virtq__setup(&q, &vm, QSIZE, DESC, AVAIL, USED + 2), -EINVAL);
	assert_int_equal(virtq__setup(&q, &vm, QSIZE, 0x1000, AVAIL, USED), -EINVAL);
	assert_int_equal(virtq__setup(&q, &vm, QSIZE, DESC, RAM_GPA + RAM_SIZE - 8, USED), -EINVAL);
	assert_int_equal(virtq__setup(&q, &vm, QSIZE, DESC, AVAIL, ~0ULL - 3), -EINVAL);
	assert_int_equal(virtq__pop(&q, &req), 0);	/* a queue never set up */
	assert_int_equal(virtq__setup(&q, &vm, 256, DESC, AVAIL + 0x4000, USED + 0x8000), 0);
}

static void test_a_request_and_its_reply(void **state)
{
	(void)state;
	assert_int_equal(virtq__pop(&vq, &req), 0);		/* empty */
	set_desc(3, DATA, 16, VRING_DESC_F_NEXT, 5);
	set_desc(5, DATA + 0x1000, 512, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 6);
	set_desc(6, DATA + 0x2000, 1, VRING_DESC_F_WRITE, 0);
	offer(3);
	assert_int_equal(virtq__pop(&vq, &req), 1);
	assert_int_equal(req.head, 3);
	assert_int_equal(req.nr_bufs, 3);
	assert_ptr_equal(req.buf[0].addr, host(DATA));
	assert_false(req.buf[0].device_writes);
	assert_true(req.buf[1].device_writes);
	assert_int_equal(req.readable, 16);
	assert_int_equal(req.writable, 513);
	assert_int_equal(virtq__pop(&vq, &req), 0);
	assert_int_equal(virtq__push(&vq, &req, 100000), 0);	/* capped */
	assert_int_equal(used()->idx, 1);
	assert_int_equal(used()->ring[0].id, 3);
	assert_int_equal(used()->ring[0].len, 513);
}

static void test_indices_wrap(void **state)
{
	unsigned int n;

	(void)state;
	set_desc(0, DATA, 8, 0, 0);
	avail()->idx = 65533;			/* free-running counters */
	vq.last_avail = 65533;
	vq.used_idx = 65533;
	for (n = 0; n < 6; n++) {
		offer(0);
		assert_int_equal(virtq__pop(&vq, &req), 1);
		assert_int_equal(virtq__push(&vq, &req, 0), 0);
	}
	assert_int_equal(used()->idx, 3);
	assert_null(vq.broken);
}

static void test_indirect(void **state)
{
	struct vring_desc *table = host(DATA + 0x8000);

	(void)state;
	table[0] = (struct vring_desc){ DATA, 16, VRING_DESC_F_NEXT, 2 };
	table[2] = (struct vring_desc){ DATA + 0x100, 64, VRING_DESC_F_WRITE, 0 };
	set_desc(1, DATA + 0x8000, 3 * 16, VRING_DESC_F_INDIRECT, 0);
	offer(1);
	assert_int_equal(virtq__pop(&vq, &req), 1);
	assert_int_equal(req.nr_bufs, 2);
	assert_int_equal(req.readable, 16);
	assert_int_equal(req.writable, 64);
}

/* Each broken ring: the request fails, the queue is marked, nothing else. */
static void expect_broken(const char *why)
{
	assert_int_equal(virtq__pop(&vq, &req), -EIO);
	assert_non_null(vq.broken);
	assert_non_null(strstr(vq.broken, why));
	assert_int_equal(virtq__pop(&vq, &req), -EIO);	/* until a reset */
	assert_int_equal(virtq__push(&vq, &req, 0), -EIO);
}

static void test_loop(void **state)
{
	(void)state;
	set_desc(0, DATA, 8, VRING_DESC_F_NEXT, 1);
	set_desc(1, DATA, 8, VRING_DESC_F_NEXT, 0);
	offer(0);
	expect_broken("loop");
}

static void test_head_out_of_range(void **state)
{
	(void)state;
	offer(QSIZE);
	expect_broken("available entry out of range");
}

static void test_next_out_of_range(void **state)
{
	(void)state;
	set_desc(0, DATA, 8, VRING_DESC_F_NEXT, 0xffff);
	offer(0);
	expect_broken("descriptor index out of range");
}

static void test_index_runs_ahead(void **state)
{
	(void)state;
	avail()->idx = QSIZE + 1;
	expect_broken("more than a queue ahead");
}

static void test_buffer_outside_ram(void **state)
{
	(void)state;
	set_desc(0, RAM_GPA + RAM_SIZE - 8, 16, 0, 0);
	offer(0);
	expect_broken("outside guest RAM");
}

static void test_buffer_wrapping(void **state)
{
	(void)state;
	set_desc(0, ~0ULL - 15, 0xffffffff, 0, 0);
	offer(0);
	expect_broken("outside guest RAM");
}

static void test_readable_after_writable(void **state)
{
	(void)state;
	set_desc(0, DATA, 8, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	set_desc(1, DATA, 8, 0, 0);
	offer(0);
	expect_broken("readable buffer after a writable one");
}

static void test_nested_indirect(void **state)
{
	struct vring_desc *table = host(DATA + 0x8000);

	(void)state;
	table[0] = (struct vring_desc){ DATA + 0x8000, 16, VRING_DESC_F_INDIRECT, 0 };
	set_desc(0, DATA + 0x8000, 16, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("indirect table inside an indirect table");
}

static void test_indirect_bad_length(void **state)
{
	(void)state;
	set_desc(0, DATA + 0x8000, 24, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("indirect table of a bad length");
}

static void test_indirect_loop(void **state)
{
	struct vring_desc *table = host(DATA + 0x8000);

	(void)state;
	table[0] = (struct vring_desc){ DATA, 8, VRING_DESC_F_NEXT, 1 };
	table[1] = (struct vring_desc){ DATA, 8, VRING_DESC_F_NEXT, 0 };
	set_desc(0, DATA + 0x8000, 32, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("loop in an indirect table");
}

static void test_too_many_buffers(void **state)
{
	struct vring_desc *table = host(DATA + 0x8000);
	unsigned int i;

	(void)state;
	for (i = 0; i <= VIRTQ_MAX_BUFS; i++)
		table[i] = (struct vring_desc){ DATA, 1, VRING_DESC_F_NEXT, i + 1 };
	table[VIRTQ_MAX_BUFS].flags = 0;
	set_desc(0, DATA + 0x8000, 16 * (VIRTQ_MAX_BUFS + 1), VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("too many descriptors");
}

/* Interrupt suppression: the flag, or with event indices used_event. */
static void test_interrupts_wanted(void **state)
{
	uint16_t *used_event = &avail()->ring[QSIZE];

	(void)state;
	set_desc(0, DATA, 1, VRING_DESC_F_WRITE, 0);
	offer(0);
	assert_int_equal(virtq__pop(&vq, &req), 1);
	virtq__push(&vq, &req, 1);
	assert_true(virtq__wants_interrupt(&vq));
	avail()->flags = VRING_AVAIL_F_NO_INTERRUPT;
	assert_false(virtq__wants_interrupt(&vq));

	vq.event_idx = 1;		/* the flag means nothing now */
	*used_event = 0;		/* "after used entry 0" */
	assert_true(virtq__wants_interrupt(&vq));	/* 0 -> 1 passed it */
	offer(0);
	assert_int_equal(virtq__pop(&vq, &req), 1);
	virtq__push(&vq, &req, 1);
	assert_false(virtq__wants_interrupt(&vq));	/* 1 -> 2: not asked */
	*used_event = 1;
	offer(0);
	assert_int_equal(virtq__pop(&vq, &req), 1);
	virtq__push(&vq, &req, 1);
	assert_true(virtq__wants_interrupt(&vq));	/* 2 -> 3 passed 1 */
	assert_false(virtq__wants_interrupt(&vq));	/* nothing new since */
}

/* Before sleeping: ask for a notification, then look again. */
static void test_enable_notify(void **state)
{
	uint16_t *avail_event = (uint16_t *)&used()->ring[QSIZE];

	(void)state;
	assert_false(virtq__enable_notify(&vq));
	vq.event_idx = 1;
	set_desc(0, DATA, 1, VRING_DESC_F_WRITE, 0);
	offer(0);
	assert_true(virtq__enable_notify(&vq));		/* came meanwhile */
	assert_int_equal(*avail_event, 0);
	assert_int_equal(virtq__pop(&vq, &req), 1);
	assert_false(virtq__enable_notify(&vq));
	assert_int_equal(*avail_event, 1);
	/* The store stays inside the used ring the guest gave. */
	assert_int_equal(*(uint16_t *)((uint8_t *)used() + 4 + 8 * QSIZE + 2), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_setup_checks), T(test_a_request_and_its_reply),
		T(test_indices_wrap), T(test_indirect), T(test_loop),
		T(test_head_out_of_range), T(test_next_out_of_range),
		T(test_index_runs_ahead), T(test_buffer_outside_ram),
		T(test_buffer_wrapping), T(test_readable_after_writable),
		T(test_nested_indirect), T(test_indirect_bad_length),
		T(test_indirect_loop), T(test_too_many_buffers),
		T(test_interrupts_wanted), T(test_enable_notify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
