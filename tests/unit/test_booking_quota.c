/* test_booking_quota.c - src/booking/quota.c: rule 3, the trainer
 * threshold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "booking/caltime.h"
#include "booking/quota.h"
#include "unit.h"

static void
test_places_floor(void **state)
{
	(void)state;
	assert_int_equal(quota_places(100, 500), 5); /* 1 ETP x 5.0 */
	assert_int_equal(quota_places(50, 500), 2); /* 0.5 x 5 = 2.5 */
	assert_int_equal(quota_places(80, 500), 4);
	assert_int_equal(quota_places(29, 10000), 29); /* exact: 0.29 x 100 */
	assert_int_equal(quota_places(19, 500), 0); /* 0.95 */
	assert_int_equal(quota_places(20, 500), 1); /* 1.0 */
	assert_int_equal(quota_places(0, 500), 0);
	assert_int_equal(quota_places(100, 0), 0);
	assert_int_equal(quota_places(-100, 500), 0);
	assert_int_equal(quota_places(INT64_MAX, 500), 0);
}

static void
test_coefficient(void **state)
{
	struct booking_rules r = booking_rules_default();
	const struct quota_coefficient t[] = { { "13", "B", 202405, 700 },
		{ "13", "A", 202405, 300 } };

	(void)state;
	assert_int_equal(quota_coefficient(&r, t, 2, "13", "B", 202405), 700);
	assert_int_equal(quota_coefficient(&r, t, 2, "13", "A", 202405), 300);
	assert_int_equal(quota_coefficient(&r, t, 2, "13", "B", 202406), 500);
	assert_int_equal(quota_coefficient(&r, t, 2, "84", "B", 202405), 500);
	assert_int_equal(quota_coefficient(&r, NULL, 0, "13", "B", 202405),
	    500);
}

static void
test_month_in_paris(void **state)
{
	(void)state;
	/* 31 May 22:30 UTC is 1 June 00:30 in Paris (summer). */
	assert_int_equal(quota_month(caltime_utc_ms(2024, 5, 31, 21, 59)),
	    202405);
	assert_int_equal(quota_month(caltime_utc_ms(2024, 5, 31, 22, 0)),
	    202406);
	/* 29 February 23:00 UTC is 1 March in Paris (winter). */
	assert_int_equal(quota_month(caltime_utc_ms(2024, 2, 29, 22, 59)),
	    202402);
	assert_int_equal(quota_month(caltime_utc_ms(2024, 2, 29, 23, 0)),
	    202403);
}

static struct bk_exam
ex(int64_t school, const char *dept, const char *cat, int64_t start,
    enum exam_status st)
{
	struct bk_exam e;

	memset(&e, 0, sizeof(e));
	e.school_id = school;
	snprintf(e.department, sizeof(e.department), "%s", dept);
	snprintf(e.category, sizeof(e.category), "%s", cat);
	e.start_at = start;
	e.status = st;
	return e;
}

static void
test_count(void **state)
{
	int64_t may = caltime_utc_ms(2024, 5, 10, 8, 0);
	int64_t june = caltime_utc_ms(2024, 5, 31, 22, 0);
	struct bk_exam e[] = {
		ex(1, "13", "B", may, EXAM_BOOKED),
		ex(1, "13", "B", may, EXAM_PASSED),
		ex(1, "13", "B", may, EXAM_CANCELLED), /* frees its place */
		ex(1, "13", "B", june, EXAM_BOOKED), /* June in Paris */
		ex(1, "84", "B", may, EXAM_BOOKED),
		ex(1, "13", "A", may, EXAM_BOOKED),
		ex(2, "13", "B", may, EXAM_BOOKED),
	};

	(void)state;
	assert_int_equal(quota_count(e, 7, 1, "13", "B", 202405), 2);
	assert_int_equal(quota_count(e, 7, 1, "13", "B", 202406), 1);
	assert_int_equal(quota_count(e, 7, 2, "13", "B", 202405), 1);
	assert_int_equal(quota_count(NULL, 0, 1, "13", "B", 202405), 0);
}

static void
test_check_and_left(void **state)
{
	(void)state;
	assert_int_equal(quota_check(5, 4), BK_OK);
	assert_int_equal(quota_check(5, 5), BK_SEUIL_ATTEINT);
	assert_int_equal(quota_check(5, 6), BK_SEUIL_ATTEINT);
	assert_int_equal(quota_check(0, 0), BK_SEUIL_ATTEINT);
	assert_int_equal(quota_places_left(5, 4), 1);
	assert_int_equal(quota_places_left(5, 5), 0);
	assert_int_equal(quota_places_left(5, 7), 0);
	assert_int_equal(quota_places_left(5, 0), 5);
}

static void
test_thresholds(void **state)
{
	struct booking_rules r = booking_rules_default();

	(void)state;
	/* Quota 5: 80 % is exactly 4. */
	assert_int_equal(quota_thresholds_crossed(&r, 2, 3, 5), 0);
	assert_int_equal(quota_thresholds_crossed(&r, 3, 4, 5),
	    QUOTA_CROSSED_LOW);
	assert_int_equal(quota_thresholds_crossed(&r, 4, 5, 5),
	    QUOTA_CROSSED_FULL);
	assert_int_equal(quota_thresholds_crossed(&r, 3, 5, 5),
	    QUOTA_CROSSED_LOW | QUOTA_CROSSED_FULL);
	/* Quota 12: 80 % is 9.6, so 10 reaches it and 9 does not. */
	assert_int_equal(quota_thresholds_crossed(&r, 8, 9, 12), 0);
	assert_int_equal(quota_thresholds_crossed(&r, 9, 10, 12),
	    QUOTA_CROSSED_LOW);
	assert_int_equal(quota_thresholds_crossed(&r, 10, 11, 12), 0);
	/* Quota 1: the first exam reaches both. */
	assert_int_equal(quota_thresholds_crossed(&r, 0, 1, 1),
	    QUOTA_CROSSED_LOW | QUOTA_CROSSED_FULL);
	/* Going down, staying put, no quota. */
	assert_int_equal(quota_thresholds_crossed(&r, 5, 4, 5), 0);
	assert_int_equal(quota_thresholds_crossed(&r, 4, 4, 5), 0);
	assert_int_equal(quota_thresholds_crossed(&r, 0, 1, 0), 0);
	/* Back under then up again notifies again. */
	assert_int_equal(quota_thresholds_crossed(&r, 3, 4, 5),
	    QUOTA_CROSSED_LOW);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_places_floor),
		cmocka_unit_test(test_coefficient),
		cmocka_unit_test(test_month_in_paris),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_check_and_left),
		cmocka_unit_test(test_thresholds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
