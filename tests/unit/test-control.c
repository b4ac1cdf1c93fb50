// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the daemon's ABI check (daemon/control.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../daemon/control.h"

static void test_same_abi_is_accepted(void **state)
{
	struct co_version v = { .abi_version = CO_ABI_VERSION };
	char why[256] = "";

	(void)state;
	assert_int_equal(control__check_abi(&v, why, sizeof(why)), 0);
	assert_string_equal(why, "");
}

static void test_other_abi_is_explained(void **state)
{
	struct co_version v = { .abi_version = CO_ABI_VERSION + 1 };
	char why[256];
	char want[64];

	(void)state;
	strcpy(v.module_version, "9.9.9");
	assert_int_equal(control__check_abi(&v, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "ABI mismatch"));
	assert_non_null(strstr(why, "release 9.9.9"));
	snprintf(want, sizeof(want), "speaks ABI %u", CO_ABI_VERSION + 1);
	assert_non_null(strstr(why, want));
}

static void test_short_buffer_is_terminated(void **state)
{
	struct co_version v = { .abi_version = 0 };
	char why[16];

	(void)state;
	assert_int_equal(control__check_abi(&v, why, sizeof(why)), -1);
	assert_int_equal(strlen(why), sizeof(why) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_abi_is_accepted),
		cmocka_unit_test(test_other_abi_is_explained),
		cmocka_unit_test(test_short_buffer_is_terminated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
