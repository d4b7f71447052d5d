/* test_booking_caltime.c - src/booking/caltime.c: civil dates and the
 * Europe/Paris offset at its boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "booking/caltime.h"
#include "booking/config.h"
#include "unit.h"

static void
test_civil_round_trip(void **state)
{
	int64_t d, y;
	int m, day;

	(void)state;
	assert_int_equal(caltime_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(caltime_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(caltime_days_from_civil(1969, 12, 31), -1);
	for (d = -800000; d < 800000; d += 997) {
		caltime_civil_from_days(d, &y, &m, &day);
		assert_int_equal(caltime_days_from_civil(y, m, day), d);
	}
	caltime_civil_from_days(caltime_days_from_civil(2024, 2, 29), &y, &m,
	    &day);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(day, 29);
	/* 1 700 000 000 s is 2023-11-14 22:13:20 UTC. */
	assert_int_equal(caltime_utc_ms(2023, 11, 14, 22, 13) + 20000,
	    1700000000000LL);
}

static void
test_last_sunday(void **state)
{
	(void)state;
	assert_int_equal(caltime_last_sunday(2024, 3),
	    caltime_days_from_civil(2024, 3, 31));
	assert_int_equal(caltime_last_sunday(2024, 10),
	    caltime_days_from_civil(2024, 10, 27));
	assert_int_equal(caltime_last_sunday(2025, 3),
	    caltime_days_from_civil(2025, 3, 30));
	assert_int_equal(caltime_last_sunday(2025, 10),
	    caltime_days_from_civil(2025, 10, 26));
	assert_int_equal(caltime_last_sunday(2023, 12),
	    caltime_days_from_civil(2023, 12, 31));
}

static void
test_paris_offset_boundaries(void **state)
{
	int64_t spring = caltime_utc_ms(2024, 3, 31, 1, 0);
	int64_t autumn = caltime_utc_ms(2024, 10, 27, 1, 0);

	(void)state;
	assert_int_equal(caltime_paris_offset_ms(spring - 1), BK_HOUR_MS);
	assert_int_equal(caltime_paris_offset_ms(spring), 2 * BK_HOUR_MS);
	assert_int_equal(caltime_paris_offset_ms(autumn - 1), 2 * BK_HOUR_MS);
	assert_int_equal(caltime_paris_offset_ms(autumn), BK_HOUR_MS);
	assert_int_equal(caltime_paris_offset_ms(
			     caltime_utc_ms(2024, 1, 15, 12, 0)),
	    BK_HOUR_MS);
	assert_int_equal(caltime_paris_offset_ms(
			     caltime_utc_ms(2024, 7, 15, 12, 0)),
	    2 * BK_HOUR_MS);
}

static void
test_paris_month(void **state)
{
	(void)state;
	/* Winter: midnight Paris is 23:00 UTC the day before. */
	assert_int_equal(caltime_paris_month(
			     caltime_utc_ms(2024, 1, 31, 23, 0) - 1),
	    202401);
	assert_int_equal(caltime_paris_month(
			     caltime_utc_ms(2024, 1, 31, 23, 0)),
	    202402);
	/* Summer: midnight Paris is 22:00 UTC. */
	assert_int_equal(caltime_paris_month(
			     caltime_utc_ms(2024, 6, 30, 22, 0) - 1),
	    202406);
	assert_int_equal(caltime_paris_month(
			     caltime_utc_ms(2024, 6, 30, 22, 0)),
	    202407);
	/* New year. */
	assert_int_equal(caltime_paris_month(
			     caltime_utc_ms(2024, 12, 31, 23, 0)),
	    202501);
	assert_int_equal(caltime_paris_month(
			     caltime_utc_ms(2024, 12, 31, 22, 59)),
	    202412);
	/* 31 March 2024 was the change day: 22:00 UTC is 00:00 on 1 April. */
	assert_int_equal(caltime_paris_month(
			     caltime_utc_ms(2024, 3, 31, 22, 0)),
	    202404);
	assert_int_equal(caltime_paris_month(
			     caltime_utc_ms(2024, 3, 31, 21, 59)),
	    202403);
	/* 31 October 2024: winter again, 23:00 UTC is midnight. */
	assert_int_equal(caltime_paris_month(
			     caltime_utc_ms(2024, 10, 31, 22, 59)),
	    202410);
	assert_int_equal(caltime_paris_month(
			     caltime_utc_ms(2024, 10, 31, 23, 0)),
	    202411);
}

static void
test_add_months(void **state)
{
	(void)state;
	assert_int_equal(caltime_add_months(caltime_utc_ms(2024, 5, 10, 8, 30),
			     12),
	    caltime_utc_ms(2025, 5, 10, 8, 30));
	assert_int_equal(caltime_add_months(caltime_utc_ms(2024, 1, 31, 0, 0),
			     1),
	    caltime_utc_ms(2024, 2, 29, 0, 0));
	assert_int_equal(caltime_add_months(caltime_utc_ms(2023, 1, 31, 0, 0),
			     1),
	    caltime_utc_ms(2023, 2, 28, 0, 0));
	assert_int_equal(caltime_add_months(caltime_utc_ms(2024, 2, 29, 6, 0),
			     12),
	    caltime_utc_ms(2025, 2, 28, 6, 0));
	assert_int_equal(caltime_add_months(caltime_utc_ms(2024, 11, 30, 0, 0),
			     3),
	    caltime_utc_ms(2025, 2, 28, 0, 0));
}

/* A day count and the time into that day, before 1970 as after. */
static void
test_day_split(void **state)
{
	int64_t of_day = -1;

	(void)state;
	assert_int_equal(caltime_day_split(0, &of_day), 0);
	assert_int_equal(of_day, 0);
	assert_int_equal(caltime_day_split(86400000LL + 3600000, &of_day), 1);
	assert_int_equal(of_day, 3600000);
	assert_int_equal(caltime_day_split(-1, &of_day), -1);
	assert_int_equal(of_day, 86400000LL - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_split),
		cmocka_unit_test(test_civil_round_trip),
		cmocka_unit_test(test_last_sunday),
		cmocka_unit_test(test_paris_offset_boundaries),
		cmocka_unit_test(test_paris_month),
		cmocka_unit_test(test_add_months),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
