/* test_appt_time.c - src/appointments/appt_time.c: Europe/Paris local
 * time to UTC across the daylight-saving changes (the spring gap, the
 * autumn fold), weekdays, and dates and times as text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "appointments/appt_time.h"
#include "booking/caltime.h"
#include "unit.h"

#define UTC(y, mo, d, h, mi) caltime_utc_ms(y, mo, d, h, mi)
#define DAY(y, mo, d) caltime_days_from_civil(y, mo, d)

static void
test_local_to_utc_keeps_the_wall_clock(void **state)
{
	enum appt_local_kind k;

	(void)state;
	/* 09:00 Paris: 08:00 UTC in winter, 07:00 UTC in summer. */
	assert_int_equal(appt_paris_to_utc(DAY(2026, 1, 15), 9 * 60, &k),
	    UTC(2026, 1, 15, 8, 0));
	assert_int_equal(k, APPT_LOCAL_NORMAL);
	assert_int_equal(appt_paris_to_utc(DAY(2026, 7, 15), 9 * 60, &k),
	    UTC(2026, 7, 15, 7, 0));
	assert_int_equal(k, APPT_LOCAL_NORMAL);
	/* The switch days themselves, at office hours. */
	assert_int_equal(appt_paris_to_utc(DAY(2026, 3, 29), 9 * 60, NULL),
	    UTC(2026, 3, 29, 7, 0));
	assert_int_equal(appt_paris_to_utc(DAY(2026, 3, 28), 9 * 60, NULL),
	    UTC(2026, 3, 28, 8, 0));
	assert_int_equal(appt_paris_to_utc(DAY(2026, 10, 25), 9 * 60, NULL),
	    UTC(2026, 10, 25, 8, 0));
	assert_int_equal(appt_paris_to_utc(DAY(2026, 10, 24), 9 * 60, NULL),
	    UTC(2026, 10, 24, 7, 0));
	/* Midnight and 24:00. */
	assert_int_equal(appt_paris_to_utc(DAY(2026, 1, 15), 0, NULL),
	    UTC(2026, 1, 14, 23, 0));
	assert_int_equal(appt_paris_to_utc(DAY(2026, 1, 15), 1440, NULL),
	    UTC(2026, 1, 15, 23, 0));
}

static void
test_spring_gap(void **state)
{
	enum appt_local_kind k;
	int64_t day = DAY(2026, 3, 29);

	(void)state;
	/* 01:59 exists (winter), 02:00..02:59 do not, 03:00 does (summer). */
	assert_int_equal(appt_paris_to_utc(day, 1 * 60 + 59, &k),
	    UTC(2026, 3, 29, 0, 59));
	assert_int_equal(k, APPT_LOCAL_NORMAL);
	assert_int_equal(appt_paris_to_utc(day, 2 * 60 + 30, &k),
	    UTC(2026, 3, 29, 1, 30));
	assert_int_equal(k, APPT_LOCAL_GAP);
	/* ... which shows as 03:30: moved forward by the gap. */
	assert_int_equal(appt_paris_minute(UTC(2026, 3, 29, 1, 30)),
	    3 * 60 + 30);
	assert_int_equal(appt_paris_to_utc(day, 2 * 60, &k),
	    UTC(2026, 3, 29, 1, 0));
	assert_int_equal(k, APPT_LOCAL_GAP);
	assert_int_equal(appt_paris_to_utc(day, 3 * 60, &k),
	    UTC(2026, 3, 29, 1, 0));
	assert_int_equal(k, APPT_LOCAL_NORMAL);
}

static void
test_autumn_fold(void **state)
{
	enum appt_local_kind k;
	int64_t day = DAY(2026, 10, 25);

	(void)state;
	assert_int_equal(appt_paris_to_utc(day, 1 * 60 + 59, &k),
	    UTC(2026, 10, 24, 23, 59));
	assert_int_equal(k, APPT_LOCAL_NORMAL);
	/* 02:30 happens at 00:30 UTC and at 01:30 UTC: the first is taken. */
	assert_int_equal(appt_paris_to_utc(day, 2 * 60 + 30, &k),
	    UTC(2026, 10, 25, 0, 30));
	assert_int_equal(k, APPT_LOCAL_FOLD);
	assert_int_equal(appt_paris_to_utc(day, 2 * 60, &k),
	    UTC(2026, 10, 25, 0, 0));
	assert_int_equal(k, APPT_LOCAL_FOLD);
	assert_int_equal(appt_paris_to_utc(day, 3 * 60, &k),
	    UTC(2026, 10, 25, 2, 0));
	assert_int_equal(k, APPT_LOCAL_NORMAL);
}

static void
test_round_trip_every_quarter_hour(void **state)
{
	int64_t t;

	(void)state;
	/* Every instant of 2026 maps to a local day and minute that map
	 * back to it, but for the second pass of the autumn fold. */
	for (t = UTC(2026, 1, 1, 0, 0); t < UTC(2027, 1, 1, 0, 0);
	     t += 15 * APPT_MINUTE_MS) {
		int64_t back = appt_paris_to_utc(appt_paris_day(t),
		    appt_paris_minute(t), NULL);

		if (t >= UTC(2026, 10, 25, 1, 0) && t < UTC(2026, 10, 25, 2, 0))
			assert_int_equal(back, t - APPT_HOUR_MS);
		else
			assert_int_equal(back, t);
	}
}

static void
test_days_and_weekdays(void **state)
{
	(void)state;
	assert_int_equal(appt_paris_day(UTC(2026, 1, 14, 23, 0)),
	    DAY(2026, 1, 15));
	assert_int_equal(appt_paris_day(UTC(2026, 1, 14, 22, 59)),
	    DAY(2026, 1, 14));
	assert_int_equal(appt_paris_day(UTC(2026, 7, 14, 22, 0)),
	    DAY(2026, 7, 15));
	assert_int_equal(appt_weekday(DAY(1970, 1, 1)), 4);
	assert_int_equal(appt_weekday(DAY(2026, 3, 29)), 7);
	assert_int_equal(appt_weekday(DAY(2026, 3, 30)), 1);
	assert_int_equal(appt_weekday(DAY(1969, 12, 29)), 1);
	assert_int_equal(appt_week_monday(DAY(2026, 3, 29)), DAY(2026, 3, 23));
	assert_int_equal(appt_week_monday(DAY(2026, 3, 30)), DAY(2026, 3, 30));
	assert_int_equal(appt_week_monday(DAY(1969, 12, 31)),
	    DAY(1969, 12, 29));
}

static void
test_text(void **state)
{
	int64_t d = 0;
	int m = 0;
	char buf[32];

	(void)state;
	assert_int_equal(appt_date_parse("2024-02-29", 10, &d), 0);
	assert_int_equal(d, DAY(2024, 2, 29));
	assert_int_equal(appt_date_parse("2025-02-29", 10, &d), -1);
	assert_int_equal(appt_date_parse("2025-13-01", 10, &d), -1);
	assert_int_equal(appt_date_parse("2025-1-01", 9, &d), -1);
	assert_int_equal(appt_date_parse("2025-01-0x", 10, &d), -1);
	assert_int_equal(appt_date_parse("0000-01-01", 10, &d), -1);
	assert_int_equal(appt_date_parse("2025-01-01T", 10, &d), 0);
	assert_int_equal(appt_date_format(DAY(2026, 3, 9), buf, sizeof(buf)),
	    0);
	assert_string_equal(buf, "2026-03-09");
	assert_int_equal(appt_date_format(DAY(2026, 3, 9), buf, 10), -1);
	assert_int_equal(appt_hhmm_parse("09:30", 5, &m), 0);
	assert_int_equal(m, 570);
	assert_int_equal(appt_hhmm_parse("24:00", 5, &m), 0);
	assert_int_equal(m, 1440);
	assert_int_equal(appt_hhmm_parse("24:01", 5, &m), -1);
	assert_int_equal(appt_hhmm_parse("09:60", 5, &m), -1);
	assert_int_equal(appt_hhmm_parse("9:30", 4, &m), -1);
	assert_int_equal(appt_hhmm_format(570, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "09:30");
	assert_int_equal(appt_hhmm_format(1441, buf, sizeof(buf)), -1);
	assert_int_equal(appt_paris_format(UTC(2026, 3, 29, 7, 0), buf,
			     sizeof(buf)),
	    0);
	assert_string_equal(buf, "29/03/2026 à 09:00");
	assert_int_equal(appt_paris_format(UTC(2026, 3, 29, 7, 0), buf, 8), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_to_utc_keeps_the_wall_clock),
		cmocka_unit_test(test_spring_gap),
		cmocka_unit_test(test_autumn_fold),
		cmocka_unit_test(test_round_trip_every_quarter_hour),
		cmocka_unit_test(test_days_and_weekdays),
		cmocka_unit_test(test_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
