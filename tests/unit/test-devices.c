// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the daemon's device layer (daemon/devices.c) and of cocon
 * (daemon/cocon.c): the table the guest sees, and calls with every value
 * wrong.  Guest RAM is one 128 MiB chunk of process memory.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/cocon.h"
#include "../../daemon/power.h"
#include "fake-vm.h"

#define RAM_GPA 0x40000000ULL
#define RAM_SIZE (128ULL << 20)

static struct vm vm;
static struct co_run run;
static struct term term;
static struct device_table table;

static int setup(void **state)
{
	(void)state;
	if (fake_vm_init(&vm, RAM_GPA, RAM_SIZE))
		return -1;
	vm.nr_vcpus = 1;
	vm.run[0] = &run;
	memset(&term, 0, sizeof(term));
	pthread_mutex_init(&term.lock, NULL);
	pthread_cond_init(&term.room, NULL);
	memset(&table, 0, sizeof(table));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(vm.ram);
	return 0;
}

static int64_t call(uint64_t device, uint64_t op, uint64_t a0, uint64_t a1)
{
	run.exit_reason = CO_EXIT_DAEMON_CALL;
	run.u.call.device = device;
	run.u.call.op = op;
	run.u.call.arg[0] = a0;
	run.u.call.arg[1] = a1;
	return devices__call(&table, &vm, &run);
}

static void test_table_the_guest_sees(void **state)
{
	struct co_boot_info info;
	struct guest_device *dev;

	(void)state;
	dev = cocon__add(&table, &term);
	assert_non_null(dev);
	assert_int_equal(dev->index, 0);
	assert_int_equal(dev->vector, CO_DEVICE_VECTOR_FIRST);
	memset(&info, 0xff, sizeof(info));
	devices__describe(&table, &info);
	assert_int_equal(info.nr_devices, 1);
	assert_int_equal(info.devices[0].type, CO_DEV_CONSOLE);
	assert_int_equal(info.devices[0].vector, CO_DEVICE_VECTOR_FIRST);
	assert_int_equal(info.devices[0].config_gpa, 0);
	assert_int_equal(info.devices[1].type, 0);
}

static void test_table_limits(void **state)
{
	unsigned int i;

	(void)state;
	/* 15 vectors but the cascade's. */
	for (i = 0; i < CO_DEVICE_VECTOR_LAST - CO_DEVICE_VECTOR_FIRST; i++)
		assert_int_not_equal(cocon__add(&table, &term)->vector,
				     CO_DEVICE_VECTOR_CASCADE);
	assert_null(cocon__add(&table, &term));	/* no vector left */
	assert_int_equal(table.count, 14);
}

static void test_bad_calls(void **state)
{
	(void)state;
	assert_non_null(cocon__add(&table, &term));
	assert_int_equal(call(1, CO_CONSOLE_WRITE, RAM_GPA, 1), -ENODEV);
	assert_int_equal(call(~0ULL, CO_CONSOLE_WRITE, RAM_GPA, 1), -ENODEV);
	assert_int_equal(call(1ULL << 32, CO_CONSOLE_WRITE, RAM_GPA, 1), -ENODEV);
	assert_int_equal(call(0, 3, RAM_GPA, 1), -ENOSYS);
	assert_int_equal(call(0, ~0ULL, RAM_GPA, 1), -ENOSYS);
	assert_int_equal(call(0, CO_CONSOLE_WRITE, 0x1000, 10), -EINVAL);
	assert_int_equal(call(0, CO_CONSOLE_WRITE, RAM_GPA + RAM_SIZE - 4, 8), -EINVAL);
	assert_int_equal(call(0, CO_CONSOLE_WRITE, ~0ULL - 2, 8), -EINVAL);
	assert_int_equal(call(0, CO_CONSOLE_WRITE, RAM_GPA, CO_CONSOLE_MAX + 1), -EINVAL);
	assert_int_equal(call(0, CO_CONSOLE_WRITE, RAM_GPA, ~0ULL), -EINVAL);
	assert_int_equal(call(0, CO_CONSOLE_READ, RAM_GPA, 0), -EINVAL);
	assert_int_equal(call(0, CO_CONSOLE_READ, RAM_GPA + RAM_SIZE, 1), -EINVAL);
	assert_int_equal(call(0, CO_CONSOLE_WRITE, RAM_GPA, 0), 0);
}

/* The window size is fetched once, whatever the arguments; bad sizes never stick. */
static void test_console_winsize(void **state)
{
	(void)state;
	assert_non_null(cocon__add(&table, &term));
	assert_int_equal(call(0, CO_CONSOLE_WINSIZE, ~0ULL, ~0ULL), 0);
	term__set_winsize(&term, 30, 100);
	assert_int_equal(call(0, CO_CONSOLE_WINSIZE, 0, 0), 30 << 16 | 100);
	assert_int_equal(call(0, CO_CONSOLE_WINSIZE, 0, 0), 0);
	term__set_winsize(&term, 0, 100);
	term__set_winsize(&term, 70000, 100);
	assert_int_equal(call(0, CO_CONSOLE_WINSIZE, 0, 0), 0);
}

/* The power button: a press is fetched once; other operations are refused. */
static void test_power_button(void **state)
{
	struct guest_device *button;

	(void)state;
	assert_non_null(cocon__add(&table, &term));
	button = power__add(&table);
	assert_non_null(button);
	assert_int_equal(call(1, CO_POWER_REQUEST, 0, 0), CO_POWER_PRESS_NONE);
	power__press(button, CO_POWER_PRESS_OFF);	/* no VM yet: waits */
	assert_int_equal(call(1, CO_POWER_REQUEST, ~0ULL, ~0ULL), CO_POWER_PRESS_OFF);
	assert_int_equal(call(1, CO_POWER_REQUEST, 0, 0), CO_POWER_PRESS_NONE);
	assert_int_equal(call(1, 1, 0, 0), -ENOSYS);
	assert_int_equal(call(1, ~0ULL, 0, 0), -ENOSYS);
}

static void test_console_read(void **state)
{
	(void)state;
	assert_non_null(cocon__add(&table, &term));
	assert_int_equal(call(0, CO_CONSOLE_READ, RAM_GPA, 16), 0);	/* nothing typed */
	memcpy(term.buf, "ls\n", 3);
	term.len = 3;
	assert_int_equal(call(0, CO_CONSOLE_READ, RAM_GPA + 100, 2), 2);
	assert_memory_equal(vm.ram + 100, "ls", 2);
	assert_int_equal(call(0, CO_CONSOLE_READ, RAM_GPA + 100, 16), 1);
	assert_int_equal(vm.ram[100], '\n');
}

static int64_t no_call(struct guest_device *dev, struct vm *v, uint64_t op,
		       const uint64_t arg[2])
{
	(void)dev;
	(void)v;
	(void)op;
	(void)arg;
	return -ENOSYS;
}

static const struct guest_device_ops shared_ops = {
	.name = "shared",
	.type = CO_DEV_VIRTIO,
	.irq = DEVICE_IRQ_SHARED,
	.config_size = 4096,
	.call = no_call,
};

/*
 * Past the free vectors, devices that may share do, evenly, never on the
 * cascade's vector or on one a device owns; each gets its page.
 */
static void test_shared_vectors_and_pages(void **state)
{
	unsigned int users[256] = { 0 }, i, most = 0, least = ~0U;
	struct guest_device *con;
	struct co_boot_info info;

	(void)state;
	con = cocon__add(&table, &term);
	for (i = 0; i < CO_MAX_DEVICES - 1; i++) {
		struct guest_device *dev = devices__add(&table, &shared_ops, NULL);

		assert_non_null(dev);
		dev->unit = i;
		dev->virtio_id = 2;
		assert_int_not_equal(dev->vector, CO_DEVICE_VECTOR_CASCADE);
		assert_int_not_equal(dev->vector, con->vector);
		assert_in_range(dev->vector, CO_DEVICE_VECTOR_FIRST, CO_DEVICE_VECTOR_LAST);
		users[dev->vector]++;
	}
	assert_null(devices__add(&table, &shared_ops, NULL));	/* table full */
	for (i = CO_DEVICE_VECTOR_FIRST; i <= CO_DEVICE_VECTOR_LAST; i++) {
		if (i == CO_DEVICE_VECTOR_CASCADE || i == con->vector)
			continue;
		most = users[i] > most ? users[i] : most;
		least = users[i] < least ? users[i] : least;
	}
	assert_true(most - least <= 1);
	/* Pages: one each, back to back, inside RAM; none for the console. */
	assert_int_equal(devices__config_bytes(&table), 4096ULL * (CO_MAX_DEVICES - 1));
	assert_int_equal(devices__place(&table, &vm, RAM_GPA + RAM_SIZE - 4096 * 3), -1);
	assert_int_equal(devices__place(&table, &vm, RAM_GPA + 4096 * 10), 0);
	devices__describe(&table, &info);
	assert_int_equal(info.nr_devices, CO_MAX_DEVICES);
	assert_int_equal(info.devices[0].config_gpa, 0);
	assert_int_equal(info.devices[1].config_gpa, RAM_GPA + 4096 * 10);
	assert_int_equal(info.devices[1].config_size, 4096);
	assert_int_equal(info.devices[39].config_gpa, RAM_GPA + 4096 * 48);
	assert_int_equal(info.devices[39].unit, 38);
	assert_int_equal(info.devices[39].virtio_id, 2);
}

/* A range may cross from one RAM chunk into the next only where they touch. */
static void test_ranges_across_chunks(void **state)
{
	struct vm v = vm;
	uint8_t *base = vm.ram;
	uint64_t a = RAM_GPA, c = RAM_SIZE / 4;

	(void)state;
	v.info.nr_ram_chunks = 3;
	v.info.ram[0] = (struct co_ram_chunk){ a, c };
	v.info.ram[1] = (struct co_ram_chunk){ a + c, c };	/* touches chunk 0 */
	v.info.ram[2] = (struct co_ram_chunk){ a + 3 * c, c };	/* a gap before */
	assert_ptr_equal(vm__gpa_to_host(&v, a + c - 8, 16), base + c - 8);
	assert_ptr_equal(vm__gpa_to_host(&v, a, 2 * c), base);
	assert_null(vm__gpa_to_host(&v, a + 2 * c - 8, 16));	/* into the gap */
	assert_null(vm__gpa_to_host(&v, a, 2 * c + 1));
	assert_ptr_equal(vm__gpa_to_host(&v, a + 3 * c, c), base + 2 * c);
	assert_null(vm__gpa_to_host(&v, a + 3 * c, c + 1));	/* past the end */
	assert_null(vm__gpa_to_host(&v, a + 2 * c, 1));		/* the gap */
	assert_null(vm__gpa_to_host(&v, ~0ULL - 4, 8));		/* wraps */
	assert_null(vm__gpa_to_host(&v, a - 1, 2));		/* before RAM */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_table_the_guest_sees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_winsize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_button, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shared_vectors_and_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ranges_across_chunks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
