/* test_appt_recur.c - src/appointments/appt_recur.c: weekly opening
 * hours in Paris local time across the daylight-saving weeks, every N
 * weeks, exceptions, the window's edges, validation naming the field, and
 * absences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "appointments/appt_recur.h"
#include "appointments/appt_time.h"
#include "booking/caltime.h"
#include "unit.h"

#define UTC(y, mo, d, h, mi) caltime_utc_ms(y, mo, d, h, mi)
#define DAY(y, mo, d) caltime_days_from_civil(y, mo, d)

/* Weekdays 09:00-12:00 from first_day, every week, no end. */
static struct appt_recur
mornings(int64_t first_day)
{
	struct appt_recur r = { 0 };

	r.first_day = first_day;
	r.last_day = APPT_NO_END;
	r.every_weeks = 1;
	r.weekdays = APPT_MONDAY | APPT_TUESDAY | APPT_WEDNESDAY |
	    APPT_THURSDAY | APPT_FRIDAY;
	r.start_minute = 9 * 60;
	r.end_minute = 12 * 60;
	return r;
}

static void
test_spring_week_keeps_local_time(void **state)
{
	/* Daily 09:00-12:00, week of Sunday 2026-03-29. */
	struct appt_recur r = mornings(DAY(2026, 1, 1));
	struct appt_interval o[16];
	size_t n;

	(void)state;
	r.weekdays = APPT_WEEKDAYS_ALL;
	n = appt_recur_expand(&r, UTC(2026, 3, 27, 0, 0),
	    UTC(2026, 3, 31, 0, 0), o, 16);
	assert_int_equal(n, 4);
	/* Friday and Saturday in winter: 08:00 UTC. */
	assert_int_equal(o[0].start, UTC(2026, 3, 27, 8, 0));
	assert_int_equal(o[0].end, UTC(2026, 3, 27, 11, 0));
	assert_int_equal(o[1].start, UTC(2026, 3, 28, 8, 0));
	/* The switch Sunday and Monday in summer: 07:00 UTC. */
	assert_int_equal(o[2].start, UTC(2026, 3, 29, 7, 0));
	assert_int_equal(o[2].end, UTC(2026, 3, 29, 10, 0));
	assert_int_equal(o[3].start, UTC(2026, 3, 30, 7, 0));
}

static void
test_autumn_week_keeps_local_time(void **state)
{
	struct appt_recur r = mornings(DAY(2026, 1, 1));
	struct appt_interval o[16];
	size_t n;

	(void)state;
	r.weekdays = APPT_SATURDAY | APPT_SUNDAY | APPT_MONDAY;
	n = appt_recur_expand(&r, UTC(2026, 10, 24, 0, 0),
	    UTC(2026, 10, 27, 0, 0), o, 16);
	assert_int_equal(n, 3);
	assert_int_equal(o[0].start, UTC(2026, 10, 24, 7, 0));
	assert_int_equal(o[1].start, UTC(2026, 10, 25, 8, 0));
	assert_int_equal(o[1].end, UTC(2026, 10, 25, 11, 0));
	assert_int_equal(o[2].start, UTC(2026, 10, 26, 8, 0));
}

static void
test_plage_over_the_switch_hours(void **state)
{
	/* A night plage 01:00-04:00 on the switch days: 2 h of real time
	 * in spring, 4 h in autumn. 02:30-03:00 in spring is empty. */
	struct appt_recur r = mornings(DAY(2026, 1, 1));
	struct appt_interval o[4];

	(void)state;
	r.weekdays = APPT_SUNDAY;
	r.start_minute = 60;
	r.end_minute = 240;
	assert_int_equal(appt_recur_expand(&r, UTC(2026, 3, 28, 0, 0),
			     UTC(2026, 3, 30, 0, 0), o, 4),
	    1);
	assert_int_equal(o[0].end - o[0].start, 2 * APPT_HOUR_MS);
	assert_int_equal(appt_recur_expand(&r, UTC(2026, 10, 24, 0, 0),
			     UTC(2026, 10, 26, 0, 0), o, 4),
	    1);
	assert_int_equal(o[0].end - o[0].start, 4 * APPT_HOUR_MS);
	r.start_minute = 150;
	r.end_minute = 180;
	assert_int_equal(appt_recur_expand(&r, UTC(2026, 3, 28, 0, 0),
			     UTC(2026, 3, 30, 0, 0), o, 4),
	    0);
	/* 02:30-03:15 reads 01:30-01:15 UTC: empty; 02:30-03:45 is the
	 * quarter 01:30-01:45 UTC (03:30-03:45 on the clock). */
	r.end_minute = 195;
	assert_int_equal(appt_recur_expand(&r, UTC(2026, 3, 28, 0, 0),
			     UTC(2026, 3, 30, 0, 0), o, 4),
	    0);
	r.end_minute = 225;
	assert_int_equal(appt_recur_expand(&r, UTC(2026, 3, 28, 0, 0),
			     UTC(2026, 3, 30, 0, 0), o, 4),
	    1);
	assert_int_equal(o[0].start, UTC(2026, 3, 29, 1, 30));
	assert_int_equal(o[0].end, UTC(2026, 3, 29, 1, 45));
}

static void
test_every_two_weeks(void **state)
{
	/* From Wednesday 2026-01-07, every 2 weeks on Mondays and Fridays:
	 * the week of 01-05 counts as week 0. */
	struct appt_recur r = mornings(DAY(2026, 1, 7));
	struct appt_interval o[16];
	size_t n;

	(void)state;
	r.every_weeks = 2;
	r.weekdays = APPT_MONDAY | APPT_FRIDAY;
	n = appt_recur_expand(&r, UTC(2026, 1, 1, 0, 0), UTC(2026, 2, 1, 0, 0),
	    o, 16);
	/* Fri 9, Mon 19, Fri 23; then Mon 2 February, outside. */
	assert_int_equal(n, 3);
	assert_int_equal(appt_paris_day(o[0].start), DAY(2026, 1, 9));
	assert_int_equal(appt_paris_day(o[1].start), DAY(2026, 1, 19));
	assert_int_equal(appt_paris_day(o[2].start), DAY(2026, 1, 23));
	assert_true(appt_recur_on_day(&r, DAY(2026, 2, 2)));
	assert_false(appt_recur_on_day(&r, DAY(2026, 1, 5)));
	assert_false(appt_recur_on_day(&r, DAY(2026, 1, 12)));
	assert_true(appt_recur_on_day(&r, DAY(2026, 1, 19)));
	/* Every 3 weeks, far away: still aligned on the first week. */
	r.every_weeks = 3;
	assert_true(appt_recur_on_day(&r, DAY(2026, 1, 5) + 7 * 3 * 20));
	assert_false(appt_recur_on_day(&r, DAY(2026, 1, 5) + 7 * 31));
}

static void
test_bounds_and_exceptions(void **state)
{
	const int64_t holidays[] = { DAY(2026, 5, 14), DAY(2026, 5, 1) };
	struct appt_recur r = mornings(DAY(2026, 4, 29));
	struct appt_interval o[16];
	size_t n;

	(void)state;
	r.last_day = DAY(2026, 5, 15);
	r.exceptions = holidays;
	r.n_exceptions = 2;
	/* Wed 29/4, Thu 30/4, (Fri 1/5 off), 4..8, 11..13, (14 off), 15. */
	n = appt_recur_expand(&r, UTC(2026, 4, 1, 0, 0), UTC(2026, 6, 1, 0, 0),
	    o, 16);
	assert_int_equal(n, 11);
	assert_int_equal(appt_paris_day(o[0].start), DAY(2026, 4, 29));
	assert_int_equal(appt_paris_day(o[2].start), DAY(2026, 5, 4));
	assert_int_equal(appt_paris_day(o[10].start), DAY(2026, 5, 15));
	assert_false(appt_recur_on_day(&r, DAY(2026, 5, 1)));
	assert_false(appt_recur_on_day(&r, DAY(2026, 5, 18)));
	assert_false(appt_recur_on_day(&r, DAY(2026, 4, 28)));
	/* Counting with cap 0, and a buffer too small. */
	assert_int_equal(appt_recur_expand(&r, UTC(2026, 4, 1, 0, 0),
			     UTC(2026, 6, 1, 0, 0), NULL, 0),
	    11);
	assert_int_equal(appt_recur_expand(&r, UTC(2026, 4, 1, 0, 0),
			     UTC(2026, 6, 1, 0, 0), o, 3),
	    11);
	assert_int_equal(appt_paris_day(o[2].start), DAY(2026, 5, 4));
}

static void
test_window_edges(void **state)
{
	/* An occurrence overlapping the window's edge is given whole; one
	 * touching it is not. 2026-01-15 09:00-12:00 is 08:00-11:00 UTC. */
	struct appt_recur r = mornings(DAY(2026, 1, 1));
	struct appt_interval o[4];

	(void)state;
	assert_int_equal(appt_recur_expand(&r, UTC(2026, 1, 15, 10, 0),
			     UTC(2026, 1, 15, 10, 30), o, 4),
	    1);
	assert_int_equal(o[0].start, UTC(2026, 1, 15, 8, 0));
	assert_int_equal(o[0].end, UTC(2026, 1, 15, 11, 0));
	assert_int_equal(appt_recur_expand(&r, UTC(2026, 1, 15, 11, 0),
			     UTC(2026, 1, 16, 8, 0), o, 4),
	    0);
	assert_int_equal(appt_recur_expand(&r, UTC(2026, 1, 15, 0, 0),
			     UTC(2026, 1, 15, 8, 0), o, 4),
	    0);
	assert_int_equal(appt_recur_expand(&r, UTC(2026, 1, 15, 10, 0),
			     UTC(2026, 1, 15, 10, 0), o, 4),
	    0);
}

static void
test_covers(void **state)
{
	struct appt_recur r = mornings(DAY(2026, 1, 1));

	(void)state;
	/* Summer: 09:00-12:00 Paris is 07:00-10:00 UTC. */
	assert_true(appt_recur_covers(&r,
	    (struct appt_interval){ UTC(2026, 7, 15, 7, 0),
		UTC(2026, 7, 15, 7, 30) }));
	/* A slot ending exactly at the plage's end is inside. */
	assert_true(appt_recur_covers(&r,
	    (struct appt_interval){ UTC(2026, 7, 15, 9, 30),
		UTC(2026, 7, 15, 10, 0) }));
	assert_false(appt_recur_covers(&r,
	    (struct appt_interval){ UTC(2026, 7, 15, 9, 45),
		UTC(2026, 7, 15, 10, 15) }));
	/* 09:00 UTC in winter is 10:00 Paris: inside; 07:30 UTC is not. */
	assert_true(appt_recur_covers(&r,
	    (struct appt_interval){ UTC(2026, 1, 15, 9, 0),
		UTC(2026, 1, 15, 9, 30) }));
	assert_false(appt_recur_covers(&r,
	    (struct appt_interval){ UTC(2026, 1, 15, 7, 30),
		UTC(2026, 1, 15, 8, 0) }));
	/* Saturday. */
	assert_false(appt_recur_covers(&r,
	    (struct appt_interval){ UTC(2026, 1, 17, 9, 0),
		UTC(2026, 1, 17, 9, 30) }));
}

static void
expect_field(const struct appt_recur *r, const char *field)
{
	struct appt_error e = { APPT_OK, NULL, NULL };

	assert_int_equal(appt_recur_validate(r, &e), APPT_PARAMETRE_INVALIDE);
	assert_int_equal(e.code, APPT_PARAMETRE_INVALIDE);
	assert_string_equal(e.field, field);
	assert_non_null(e.rule);
}

static void
test_validate_names_the_field(void **state)
{
	const struct appt_recur good = mornings(DAY(2026, 1, 1));
	struct appt_recur r;
	struct appt_error e;

	(void)state;
	assert_int_equal(appt_recur_validate(&good, &e), APPT_OK);
	assert_int_equal(e.code, APPT_OK);
	assert_null(e.field);
	r = good;
	r.first_day = APPT_DAY_MAX + 1;
	expect_field(&r, "first_day");
	r = good;
	r.last_day = good.first_day - 1;
	expect_field(&r, "last_day");
	r.last_day = good.first_day;
	assert_int_equal(appt_recur_validate(&r, NULL), APPT_OK);
	r = good;
	r.every_weeks = 0;
	expect_field(&r, "every_weeks");
	r.every_weeks = 53;
	expect_field(&r, "every_weeks");
	r = good;
	r.weekdays = 0;
	expect_field(&r, "weekdays");
	r.weekdays = 0x80;
	expect_field(&r, "weekdays");
	r = good;
	r.start_minute = 1440;
	expect_field(&r, "start_time");
	r.start_minute = -1;
	expect_field(&r, "start_time");
	r = good;
	r.end_minute = r.start_minute;
	expect_field(&r, "end_time");
	r.end_minute = 1441;
	expect_field(&r, "end_time");
	r.end_minute = 1440;
	assert_int_equal(appt_recur_validate(&r, NULL), APPT_OK);
	r = good;
	r.n_exceptions = 1;
	expect_field(&r, "exceptions");
	assert_int_equal(appt_recur_validate(NULL, NULL),
	    APPT_PARAMETRE_INVALIDE);
}

static void
test_absences(void **state)
{
	struct appt_absence a = { 0 };
	struct appt_interval o[8];
	struct appt_error e;

	(void)state;
	a.once = (struct appt_interval){ UTC(2026, 8, 3, 6, 0),
		UTC(2026, 8, 14, 16, 0) };
	assert_int_equal(appt_absence_validate(&a, &e), APPT_OK);
	assert_int_equal(appt_absence_expand(&a, UTC(2026, 8, 10, 0, 0),
			     UTC(2026, 8, 11, 0, 0), o, 8),
	    1);
	assert_int_equal(o[0].start, a.once.start);
	/* Touching the window is not overlapping it. */
	assert_int_equal(appt_absence_expand(&a, a.once.end,
			     a.once.end + APPT_DAY_MS, o, 8),
	    0);
	a.once.end = a.once.start;
	assert_int_equal(appt_absence_validate(&a, &e),
	    APPT_PARAMETRE_INVALIDE);
	assert_string_equal(e.field, "end");
	a.once.end = a.once.start + APPT_ABSENCE_SPAN_MAX_MS + 1;
	assert_int_equal(appt_absence_validate(&a, &e),
	    APPT_PARAMETRE_INVALIDE);
	/* Every Wednesday afternoon. */
	a.recurring = 1;
	a.recur = mornings(DAY(2026, 1, 1));
	a.recur.weekdays = APPT_WEDNESDAY;
	a.recur.start_minute = 14 * 60;
	a.recur.end_minute = 18 * 60;
	assert_int_equal(appt_absence_validate(&a, &e), APPT_OK);
	assert_int_equal(appt_absence_expand(&a, UTC(2026, 3, 1, 0, 0),
			     UTC(2026, 4, 1, 0, 0), o, 8),
	    4);
	assert_int_equal(o[3].start, UTC(2026, 3, 25, 13, 0));
	a.recur.every_weeks = 0;
	assert_int_equal(appt_absence_validate(&a, &e),
	    APPT_PARAMETRE_INVALIDE);
	assert_string_equal(e.field, "every_weeks");
}

/* Two plages of one agent: same days, dates and times overlap; touching
 * times, other weekdays, disjoint dates or alternate weeks do not. */
static void
test_overlap(void **state)
{
	struct appt_recur a = mornings(DAY(2026, 1, 5)),
			  b = mornings(DAY(2026, 1, 5));
	int64_t day = 0;

	(void)state;
	assert_true(appt_recur_overlap(&a, &b, &day));
	assert_int_equal(day, DAY(2026, 1, 5));
	/* 11:00-14:00 meets 09:00-12:00; 12:00-14:00 only touches it. */
	b.start_minute = 11 * 60;
	b.end_minute = 14 * 60;
	assert_true(appt_recur_overlap(&a, &b, NULL));
	assert_true(appt_recur_overlap(&b, &a, NULL));
	b.start_minute = 12 * 60;
	assert_false(appt_recur_overlap(&a, &b, NULL));
	/* Same times on Saturdays only: no common weekday. */
	b = mornings(DAY(2026, 1, 5));
	b.weekdays = APPT_SATURDAY;
	assert_false(appt_recur_overlap(&a, &b, NULL));
	/* Dates: a ends on Friday 01-30, b starts on Monday 02-02. */
	b = mornings(DAY(2026, 2, 2));
	a.last_day = DAY(2026, 1, 30);
	assert_false(appt_recur_overlap(&a, &b, NULL));
	a.last_day = DAY(2026, 2, 2);
	assert_true(appt_recur_overlap(&a, &b, &day));
	assert_int_equal(day, DAY(2026, 2, 2));
	/* Later start: the first common day is b's first Wednesday. */
	a = mornings(DAY(2026, 1, 5));
	a.weekdays = APPT_WEDNESDAY;
	b = mornings(DAY(2026, 3, 2));
	assert_true(appt_recur_overlap(&a, &b, &day));
	assert_int_equal(day, DAY(2026, 3, 4));
}

static void
test_overlap_every_n_weeks(void **state)
{
	struct appt_recur a = mornings(DAY(2026, 1, 5)),
			  b = mornings(DAY(2026, 1, 12));
	int64_t ex[2], day = 0;

	(void)state;
	/* Every other week from week 0 and from week 1: alternate weeks. */
	a.every_weeks = 2;
	b.every_weeks = 2;
	assert_false(appt_recur_overlap(&a, &b, NULL));
	assert_false(appt_recur_overlap(&b, &a, NULL));
	/* Every week meets every other week. */
	b.every_weeks = 1;
	assert_true(appt_recur_overlap(&a, &b, &day));
	assert_int_equal(day, DAY(2026, 1, 19));
	/* Every 2 weeks from 01-05 and every 3 weeks from 01-12: weeks
	 * 0, 2, 4, 6... and 1, 4, 7...: they meet in week 4 (02-02). */
	b.every_weeks = 3;
	assert_true(appt_recur_overlap(&a, &b, &day));
	assert_int_equal(day, DAY(2026, 2, 2));
	/* Every 4 weeks from week 0 and every 4 weeks from week 2: never. */
	a.every_weeks = 4;
	b = mornings(DAY(2026, 1, 19));
	b.every_weeks = 4;
	assert_false(appt_recur_overlap(&a, &b, NULL));
	/* Every 52 weeks and every 51 weeks from another week: the common
	 * period is 2652 weeks, and they meet once in it. */
	a.every_weeks = 52;
	b = mornings(DAY(2026, 1, 12));
	b.every_weeks = 51;
	assert_true(appt_recur_overlap(&a, &b, &day));
	assert_int_equal(appt_recur_on_day(&a, day), 1);
	assert_int_equal(appt_recur_on_day(&b, day), 1);
	/* Exception days: the only common day of two one-day plages is
	 * skipped by one of them. */
	a = mornings(DAY(2026, 1, 7));
	a.last_day = DAY(2026, 1, 7);
	b = mornings(DAY(2026, 1, 5));
	ex[0] = DAY(2026, 1, 7);
	ex[1] = DAY(2026, 1, 8);
	b.exceptions = ex;
	b.n_exceptions = 1;
	assert_false(appt_recur_overlap(&a, &b, NULL));
	/* Skipped on the first common Wednesday and Thursday only. */
	a = mornings(DAY(2026, 1, 5));
	a.weekdays = APPT_WEDNESDAY | APPT_THURSDAY;
	b.n_exceptions = 2;
	assert_true(appt_recur_overlap(&a, &b, &day));
	assert_int_equal(day, DAY(2026, 1, 14));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spring_week_keeps_local_time),
		cmocka_unit_test(test_autumn_week_keeps_local_time),
		cmocka_unit_test(test_plage_over_the_switch_hours),
		cmocka_unit_test(test_every_two_weeks),
		cmocka_unit_test(test_bounds_and_exceptions),
		cmocka_unit_test(test_window_edges),
		cmocka_unit_test(test_covers),
		cmocka_unit_test(test_validate_names_the_field),
		cmocka_unit_test(test_absences),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_overlap_every_n_weeks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
