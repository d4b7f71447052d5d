/* test_appt_interval.c - src/appointments/appt_interval.c: half-open
 * intervals (touching is not overlapping), normalization, lookup and
 * subtraction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "appointments/appt_interval.h"
#include "unit.h"

static struct appt_interval
iv(int64_t s, int64_t e)
{
	return (struct appt_interval){ s, e };
}

static void
test_overlap_and_contain(void **state)
{
	(void)state;
	assert_true(appt_interval_overlaps(iv(10, 20), iv(15, 25)));
	assert_true(appt_interval_overlaps(iv(10, 20), iv(12, 13)));
	/* Touching: 10:00-10:30 and 10:30-11:00 may both be booked. */
	assert_false(appt_interval_overlaps(iv(10, 20), iv(20, 30)));
	assert_false(appt_interval_overlaps(iv(20, 30), iv(10, 20)));
	assert_false(appt_interval_overlaps(iv(10, 10), iv(5, 15)));
	assert_true(appt_interval_contains(iv(10, 20), iv(10, 20)));
	assert_true(appt_interval_contains(iv(10, 20), iv(15, 20)));
	assert_false(appt_interval_contains(iv(10, 20), iv(15, 21)));
	assert_false(appt_interval_contains(iv(10, 20), iv(9, 12)));
}

static void
test_normalize(void **state)
{
	struct appt_interval v[] = { iv(50, 60), iv(10, 20), iv(15, 30),
		iv(30, 35), iv(40, 40), iv(70, 65), iv(52, 55) };
	size_t n;

	(void)state;
	n = appt_intervals_normalize(v, sizeof(v) / sizeof(v[0]));
	assert_int_equal(n, 2);
	/* Overlapping and touching merged, empty and reversed dropped. */
	assert_int_equal(v[0].start, 10);
	assert_int_equal(v[0].end, 35);
	assert_int_equal(v[1].start, 50);
	assert_int_equal(v[1].end, 60);
	assert_int_equal(appt_intervals_normalize(NULL, 0), 0);
}

static void
test_lookup(void **state)
{
	const struct appt_interval v[] = { iv(10, 20), iv(30, 40), iv(50, 60) };

	(void)state;
	assert_true(appt_intervals_overlap(v, 3, iv(35, 36)));
	assert_true(appt_intervals_overlap(v, 3, iv(0, 11)));
	assert_true(appt_intervals_overlap(v, 3, iv(59, 100)));
	assert_false(appt_intervals_overlap(v, 3, iv(20, 30)));
	assert_false(appt_intervals_overlap(v, 3, iv(60, 70)));
	assert_false(appt_intervals_overlap(v, 3, iv(0, 10)));
	assert_false(appt_intervals_overlap(v, 0, iv(0, 100)));
	assert_true(appt_intervals_cover(v, 3, iv(30, 40)));
	assert_true(appt_intervals_cover(v, 3, iv(55, 60)));
	assert_false(appt_intervals_cover(v, 3, iv(15, 35)));
	assert_false(appt_intervals_cover(v, 3, iv(55, 61)));
	assert_false(appt_intervals_cover(v, 3, iv(60, 61)));
	assert_false(appt_intervals_cover(v, 3, iv(35, 35)));
}

static void
test_subtract(void **state)
{
	const struct appt_interval v[] = { iv(0, 100), iv(200, 300) };
	const struct appt_interval cut[] = { iv(-10, 5), iv(20, 30), iv(50, 60),
		iv(90, 210), iv(250, 260), iv(300, 400) };
	struct appt_interval out[8];
	size_t n;

	(void)state;
	n = appt_intervals_subtract(v, 2, cut, 6, out, 8);
	assert_int_equal(n, 5);
	assert_int_equal(out[0].start, 5);
	assert_int_equal(out[0].end, 20);
	assert_int_equal(out[1].start, 30);
	assert_int_equal(out[1].end, 50);
	assert_int_equal(out[2].start, 60);
	assert_int_equal(out[2].end, 90);
	assert_int_equal(out[3].start, 210);
	assert_int_equal(out[3].end, 250);
	assert_int_equal(out[4].start, 260);
	assert_int_equal(out[4].end, 300);
	/* Too small: the count of the full answer, the first ones written. */
	assert_int_equal(appt_intervals_subtract(v, 2, cut, 6, out, 2), 5);
	assert_int_equal(appt_intervals_subtract(v, 2, cut, 6, NULL, 0), 5);
	/* Nothing to cut; everything cut. */
	assert_int_equal(appt_intervals_subtract(v, 2, NULL, 0, out, 8), 2);
	assert_int_equal(appt_intervals_subtract(v, 2,
			     (struct appt_interval[]){ iv(0, 300) }, 1, out, 8),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlap_and_contain),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_subtract),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
