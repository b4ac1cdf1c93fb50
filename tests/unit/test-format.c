// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the core's small formatter (host/core/format.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../host/core/format.h"

static void test_conversions(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(co_format(buf, sizeof(buf), "%s=%u %d %x %llx %c%%",
				   "v", 42u, -7, 0xbeefu, 0x123456789abcULL, 'z'), 28);
	assert_string_equal(buf, "v=42 -7 beef 123456789abc z%");
	co_format(buf, sizeof(buf), "%llu %lld %s", 18446744073709551615ULL,
		  -9223372036854775807LL - 1, (const char *)NULL);
	assert_string_equal(buf, "18446744073709551615 -9223372036854775808 (null)");
}

static void test_truncation(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(co_format(buf, sizeof(buf), "0123456789"), 10);
	assert_string_equal(buf, "0123456");
	assert_int_equal(co_format(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
