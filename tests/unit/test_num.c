/* test_num.c - src/core/num.c: whole decimal numbers and nothing else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>

#include "core/num.h"

static void
test_i64_accepts(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(num_parse_i64("0", 0, 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(num_parse_i64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(num_parse_i64("-17", -100, 100, &v), 0);
	assert_int_equal(v, -17);
	assert_int_equal(num_parse_i64("-0", -1, 1, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(num_parse_i64("007", 0, 10, &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(num_parse_i64("9223372036854775807", INT64_MIN,
			     INT64_MAX, &v),
	    0);
	assert_true(v == INT64_MAX);
	assert_int_equal(num_parse_i64("-9223372036854775808", INT64_MIN,
			     INT64_MAX, &v),
	    0);
	assert_true(v == INT64_MIN);
}

static void
test_i64_junk(void **state)
{
	static const char *const bad[] = { "", "-", "--1", "-+1", "+5", "+0",
		" 5", "\t5", "\n5", "5 ", "5\n", "5x", "x5", "1.0", "1e3",
		"0x10", "1,000", "1_000", "١", "five", "- 5" };
	int64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (num_parse_i64(bad[i], INT64_MIN, INT64_MAX, &v) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(num_parse_i64(NULL, 0, 1, &v), -1);
}

static void
test_i64_overflow(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(num_parse_i64("9223372036854775808", INT64_MIN,
			     INT64_MAX, &v),
	    -1);
	assert_int_equal(num_parse_i64("-9223372036854775809", INT64_MIN,
			     INT64_MAX, &v),
	    -1);
	assert_int_equal(num_parse_i64("99999999999999999999999", INT64_MIN,
			     INT64_MAX, &v),
	    -1);
}

static void
test_i64_range(void **state)
{
	int64_t v;

	(void)state;
	/* Bounds are inclusive. */
	assert_int_equal(num_parse_i64("1", 1, 65535, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(num_parse_i64("65535", 1, 65535, &v), 0);
	assert_int_equal(v, 65535);
	assert_int_equal(num_parse_i64("0", 1, 65535, &v), -1);
	assert_int_equal(num_parse_i64("65536", 1, 65535, &v), -1);
	assert_int_equal(num_parse_i64("-1", 0, 10, &v), -1);
	assert_int_equal(num_parse_i64("-11", -10, 10, &v), -1);
	assert_int_equal(num_parse_i64("-10", -10, 10, &v), 0);
	assert_int_equal(v, -10);
}

static void
test_long(void **state)
{
	long v;

	(void)state;
	assert_int_equal(num_parse_long("8080", 1, 65535, &v), 0);
	assert_int_equal(v, 8080);
	assert_int_equal(num_parse_long("-3", -5, 5, &v), 0);
	assert_int_equal(v, -3);
	assert_int_equal(num_parse_long("0", 1, 65535, &v), -1);
	assert_int_equal(num_parse_long("65536", 1, 65535, &v), -1);
	assert_int_equal(num_parse_long("+1", 0, 5, &v), -1);
	assert_int_equal(num_parse_long(" 1", 0, 5, &v), -1);
	assert_int_equal(num_parse_long("1 ", 0, 5, &v), -1);
	assert_int_equal(num_parse_long("", 0, 5, &v), -1);
	assert_int_equal(num_parse_long("1k", 0, 5000, &v), -1);
	assert_int_equal(num_parse_long("99999999999999999999", LONG_MIN,
			     LONG_MAX, &v),
	    -1);
	assert_int_equal(num_parse_long("-1", 0, LONG_MAX, &v), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_i64_accepts),
		cmocka_unit_test(test_i64_junk),
		cmocka_unit_test(test_i64_overflow),
		cmocka_unit_test(test_i64_range),
		cmocka_unit_test(test_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
