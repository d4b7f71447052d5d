/* test_clock.c - src/core/clock.c: simulated and real clocks, UTC text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"

/* 2026-01-01T00:00:00Z */
#define JAN_2026_MS 1767225600000LL

static void
test_sim_advance(void **state)
{
	struct clock c;

	(void)state;
	clock_sim_init(&c, JAN_2026_MS);
	assert_int_equal(clock_now_ms(&c), JAN_2026_MS);
	/* It stands still until moved. */
	assert_int_equal(clock_now_ms(&c), JAN_2026_MS);
	clock_sim_advance(&c, 1500);
	assert_int_equal(clock_now_ms(&c), JAN_2026_MS + 1500);
	clock_sim_advance(&c, 86400LL * 1000 * 365);
	assert_int_equal(clock_now_ms(&c),
	    JAN_2026_MS + 1500 + 86400LL * 1000 * 365);
	clock_sim_init(&c, 0);
	assert_int_equal(clock_now_ms(&c), 0);
}

static void
test_real_clock_sane(void **state)
{
	struct clock *r = clock_real();
	int64_t a, b, wall;

	(void)state;
	assert_non_null(r);
	assert_ptr_equal(clock_real(), r);
	wall = (int64_t)time(NULL) * 1000;
	a = clock_now_ms(r);
	b = clock_now_ms(r);
	assert_true(a >= 1704067200000LL); /* 2024-01-01 */
	assert_true(a >= wall - 2000 && a <= wall + 2000);
	assert_true(b >= a && b - a < 2000);
	/* Advancing only moves simulated clocks. */
	clock_sim_advance(r, 86400LL * 1000);
	a = clock_now_ms(r);
	assert_true(a <= (int64_t)time(NULL) * 1000 + 2000);
}

static void
test_format(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(clock_format_utc(0, out, sizeof(out)), 0);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	assert_int_equal(clock_format_utc(JAN_2026_MS + 999, out, sizeof(out)),
	    0);
	assert_string_equal(out, "2026-01-01T00:00:00Z");
	/* 2024-02-29T23:59:59Z */
	assert_int_equal(clock_format_utc(1709251199000LL, out, sizeof(out)),
	    0);
	assert_string_equal(out, "2024-02-29T23:59:59Z");
	/* 21 bytes is exactly enough; one less is refused. */
	assert_int_equal(clock_format_utc(JAN_2026_MS, out, 21), 0);
	assert_string_equal(out, "2026-01-01T00:00:00Z");
	assert_int_equal(clock_format_utc(JAN_2026_MS, out, 20), -1);
	assert_int_equal(clock_format_utc(-1000, out, sizeof(out)), -1);
}

static void
test_parse(void **state)
{
	int64_t ms = 0;

	(void)state;
	assert_int_equal(clock_parse_utc("2026-01-01T00:00:00Z", &ms), 0);
	assert_int_equal(ms, JAN_2026_MS);
	assert_int_equal(clock_parse_utc("1970-01-01T00:00:00Z", &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(clock_parse_utc("2024-02-29T23:59:59Z", &ms), 0);
	assert_int_equal(ms, 1709251199000LL);
	assert_int_equal(clock_parse_utc("2026-12-31T23:59:59Z", &ms), 0);
	assert_int_equal(ms, JAN_2026_MS + 365LL * 86400 * 1000 - 1000);
}

static void
test_round_trip(void **state)
{
	static const int64_t times[] = { 0, JAN_2026_MS, 951782400000LL,
		1709251199000LL, 4102444799000LL, JAN_2026_MS + 12345000 };
	char out[32];
	int64_t back;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		assert_int_equal(clock_format_utc(times[i], out, sizeof(out)),
		    0);
		assert_int_equal(clock_parse_utc(out, &back), 0);
		assert_int_equal(back, times[i]);
	}
}

/* The arithmetic formatting agrees with the C library's gmtime_r on
 * every day from 1970 to 2400 (leap years, centuries, 2000 and 2100)
 * at a few times of day, and on a spread of seconds. */
static void
test_format_agrees_with_gmtime(void **state)
{
	static const int64_t tod[] = { 0, 1, 59, 3599, 43210, 86399 };
	char mine[32], libc[80];
	int64_t day, s;
	size_t i;

	(void)state;
	for (day = 0; day < 157000; day += 1)
		for (i = 0; i < sizeof(tod) / sizeof(tod[0]); i++) {
			time_t t = (time_t)(day * 86400 + tod[i]);
			struct tm tm;

			assert_non_null(gmtime_r(&t, &tm));
			snprintf(libc, sizeof(libc),
			    "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec);
			assert_int_equal(clock_format_utc((int64_t)t * 1000 + 7,
					     mine, sizeof(mine)),
			    0);
			if (strcmp(mine, libc) != 0)
				fail_msg("%lld: %s, gmtime says %s",
				    (long long)t, mine, libc);
		}
	for (s = 0; s < 4102444800LL; s += 999983) {
		time_t t = (time_t)s;
		struct tm tm;

		assert_non_null(gmtime_r(&t, &tm));
		snprintf(libc, sizeof(libc), "%04d-%02d-%02dT%02d:%02d:%02dZ",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		assert_int_equal(clock_format_utc(s * 1000, mine, sizeof(mine)),
		    0);
		assert_string_equal(mine, libc);
	}
}

static void
test_parse_refuses(void **state)
{
	static const char *const bad[] = {
		/* Not real dates: never normalised into another one. */
		"2026-02-31T00:00:00Z",
		"2025-02-29T00:00:00Z",
		"2026-04-31T00:00:00Z",
		"2026-13-01T00:00:00Z",
		"2026-00-10T00:00:00Z",
		"2026-01-00T00:00:00Z",
		"2026-01-01T24:00:00Z",
		"2026-01-01T00:60:00Z",
		"2026-01-01T00:00:60Z",
		"2026-01-01T00:00:61Z",
		/* UTC only, written with Z. */
		"2026-01-01T00:00:00",
		"2026-01-01T00:00:00+00:00",
		"2026-01-01T01:00:00+01",
		"2026-01-01T00:00:00.000Z",
		"2026-01-01 00:00:00Z",
		/* Not exactly the form. */
		"2026-01-01T00:00:00Z ",
		" 2026-01-01T00:00:00Z",
		"2026-01-01T 1:00:00Z",
		"2026- 1-01T00:00:00Z",
		"2026-01- 1T00:00:00Z",
		"2026-1-011T00:00:00Z",
		"20260-1-01T00:00:00Z",
		"2026/01/01T00:00:00Z",
		"+026-01-01T00:00:00Z",
		"-026-01-01T00:00:00Z",
		"2026-01-01T00:00:0xZ",
		"",
		"garbage",
		"yyyy-mm-ddThh:mm:ssZ",
	};
	int64_t ms = 42;
	size_t i;
	int accepted = 0;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (clock_parse_utc(bad[i], &ms) != -1) {
			print_message("accepted \"%s\"\n", bad[i]);
			accepted++;
		}
	}
	assert_int_equal(accepted, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_advance),
		cmocka_unit_test(test_real_clock_sane),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_format_agrees_with_gmtime),
		cmocka_unit_test(test_parse_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
