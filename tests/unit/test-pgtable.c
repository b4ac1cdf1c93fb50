// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the core's x86-64 page-table builder (host/core/pgtable.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../host/core/errno.h"
#include "../../host/core/pgtable.h"
#include "fake-os.h"

static int setup(void **state)
{
	(void)state;
	fake_os_pages_live = 0;
	fake_os_fail_after = -1;
	return 0;
}

static void test_slot_addresses(void **state)
{
	(void)state;
	assert_int_equal(co_pgtable_slot_va(4, 256), 0xffff800000000000ULL);
	assert_int_equal(co_pgtable_slot_va(5, 256), 0xff00000000000000ULL);
	assert_int_equal(co_pgtable_slot_va(4, 511), 0xffffff8000000000ULL);
	assert_int_equal(co_pgtable_slot_va(4, 1), 0x0000008000000000ULL);
	assert_int_equal(co_pgtable_index(4, 4, 0xffff800000000000ULL), 256);
	assert_int_equal(co_pgtable_index(5, 5, 0xff00000000000000ULL), 256);
	assert_int_equal(co_pgtable_index(5, 4, 0xff00000000000000ULL), 0);
}

static void test_canonical(void **state)
{
	(void)state;
	assert_true(co_va_is_canonical(4, 0x00007fffffffffffULL));
	assert_false(co_va_is_canonical(4, 0x0000800000000000ULL));
	assert_true(co_va_is_canonical(4, 0xffff800000000000ULL));
	assert_false(co_va_is_canonical(4, 0xff00000000000000ULL));
	assert_true(co_va_is_canonical(5, 0xff00000000000000ULL));
	assert_true(co_va_is_canonical(5, 0x00ffffffffffffffULL));
	assert_false(co_va_is_canonical(5, 0x0100000000000000ULL));
}

static void map_and_check(unsigned int levels, __u64 va)
{
	struct co_pgtable pt;
	__u64 e;

	assert_int_equal(co_pgtable_init(&pt, levels), 0);
	assert_int_equal(co_pgtable_map(&pt, va, 0x12345000, 0x3000,
					CO_PTE_WRITE | CO_PTE_NX), 0);
	e = co_pgtable_lookup(&pt, va + 0x1000);
	assert_int_equal(e & CO_PTE_ADDR_MASK, 0x12346000);
	assert_true(e & CO_PTE_PRESENT);
	assert_true(e & CO_PTE_WRITE);
	assert_true(e & CO_PTE_NX);
	assert_false(e & (CO_PTE_USER | CO_PTE_GLOBAL));
	assert_int_equal(co_pgtable_lookup(&pt, va + 0x3000), 0);
	/* The top-level slot holds a table entry, not a leaf. */
	e = pt.root[co_pgtable_index(levels, levels, va)];
	assert_true(e & CO_PTE_PRESENT);
	assert_false(e & (CO_PTE_NX | CO_PTE_USER | CO_PTE_LARGE));
	/* One root plus one table per lower level, nothing more. */
	assert_int_equal(fake_os_pages_live, levels);
	co_pgtable_destroy(&pt);
	assert_int_equal(fake_os_pages_live, 0);
}

static void test_map_4level(void **state)
{
	(void)state;
	map_and_check(4, 0xffff800000000000ULL);
}

static void test_map_5level(void **state)
{
	(void)state;
	map_and_check(5, 0xff00000000000000ULL);
}

static void test_remap_conflict(void **state)
{
	struct co_pgtable pt;
	__u64 va = 0xffff800000200000ULL;

	(void)state;
	assert_int_equal(co_pgtable_init(&pt, 4), 0);
	assert_int_equal(co_pgtable_map(&pt, va, 0x1000, 0x1000, 0), 0);
	assert_int_equal(co_pgtable_map(&pt, va, 0x1000, 0x1000, 0), 0);
	assert_int_equal(co_pgtable_map(&pt, va, 0x2000, 0x1000, 0), -CO_EEXIST);
	assert_int_equal(co_pgtable_lookup(&pt, va) & CO_PTE_ADDR_MASK, 0x1000);
	co_pgtable_destroy(&pt);
	assert_int_equal(fake_os_pages_live, 0);
}

static void test_bad_arguments(void **state)
{
	struct co_pgtable pt;

	(void)state;
	assert_int_equal(co_pgtable_init(&pt, 3), -CO_EINVAL);
	assert_int_equal(co_pgtable_init(&pt, 4), 0);
	assert_int_equal(co_pgtable_map(&pt, 0xffff800000000001ULL, 0, 0x1000, 0), -CO_EINVAL);
	assert_int_equal(co_pgtable_map(&pt, 0xffff800000000000ULL, 0x800, 0x1000, 0), -CO_EINVAL);
	assert_int_equal(co_pgtable_map(&pt, 0xff00000000000000ULL, 0, 0x1000, 0), -CO_EINVAL);
	assert_int_equal(co_pgtable_map(&pt, 0xffff800000000000ULL, 0, 0x1000, CO_PTE_USER), -CO_EINVAL);
	assert_int_equal(co_pgtable_map(&pt, 0xffff800000000000ULL, 1ULL << 52, 0x1000, 0), -CO_EINVAL);
	assert_int_equal(co_pgtable_map(&pt, 0x00007ffffffff000ULL, 0, 0x2000, 0), -CO_EINVAL);
	assert_int_equal(fake_os_pages_live, 1);
	co_pgtable_destroy(&pt);
	assert_int_equal(fake_os_pages_live, 0);
}

static void test_out_of_memory(void **state)
{
	struct co_pgtable pt;

	(void)state;
	assert_int_equal(co_pgtable_init(&pt, 5), 0);
	fake_os_fail_after = 2;
	assert_int_equal(co_pgtable_map(&pt, 0xff00000000000000ULL, 0, 0x1000, 0), -CO_ENOMEM);
	co_pgtable_destroy(&pt);
	assert_int_equal(fake_os_pages_live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_slot_addresses, setup),
		cmocka_unit_test_setup(test_canonical, setup),
		cmocka_unit_test_setup(test_map_4level, setup),
		cmocka_unit_test_setup(test_map_5level, setup),
		cmocka_unit_test_setup(test_remap_conflict, setup),
		cmocka_unit_test_setup(test_bad_arguments, setup),
		cmocka_unit_test_setup(test_out_of_memory, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
