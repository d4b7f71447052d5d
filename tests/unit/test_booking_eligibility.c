/* test_booking_eligibility.c - src/booking/eligibility.c: rule 6. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "booking/eligibility.h"
#include "unit.h"

#define T0 INT64_C(1700000000000)

static struct bk_exam
ex(const char *cat, int64_t start, enum exam_status st)
{
	struct bk_exam e;

	memset(&e, 0, sizeof(e));
	snprintf(e.category, sizeof(e.category), "%s", cat);
	e.start_at = start;
	e.status = st;
	return e;
}

static void
test_no_history(void **state)
{
	struct booking_rules r = booking_rules_default();

	(void)state;
	assert_int_equal(eligibility_check(&r, NULL, 0, "B", T0, T0, NULL),
	    BK_OK);
}

static void
test_booked_then_awaiting(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct bk_exam e = ex("B", T0, EXAM_BOOKED);

	(void)state;
	assert_int_equal(eligibility_check(&r, &e, 1, "B", T0 - 1,
			     T0 + 60 * BK_DAY_MS, NULL),
	    BK_CANDIDAT_DEJA_INSCRIT);
	assert_int_equal(eligibility_check(&r, &e, 1, "B", T0,
			     T0 + 60 * BK_DAY_MS, NULL),
	    BK_CANDIDAT_EN_ATTENTE_DE_RESULTAT);
	/* Another category is not concerned. */
	assert_int_equal(eligibility_check(&r, &e, 1, "A", T0 - 1, T0 - 1,
			     NULL),
	    BK_OK);
}

static void
test_passed(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct bk_exam e[2] = { ex("B", T0, EXAM_FAILED),
		ex("B", T0 + 30 * BK_DAY_MS, EXAM_PASSED) };

	(void)state;
	assert_int_equal(eligibility_check(&r, e, 2, "B", T0 + 31 * BK_DAY_MS,
			     T0 + 31 * BK_DAY_MS, NULL),
	    BK_CANDIDAT_AYANT_DEJA_OBTENU_SON_EXAMEN);
	assert_int_equal(eligibility_check(&r, e, 2, "BE", T0, T0, NULL),
	    BK_OK);
}

static void
test_failure_delay(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct bk_exam e = ex("B", T0, EXAM_FAILED);
	int64_t end = T0 + 10 * BK_DAY_MS, at = 0;

	(void)state;
	assert_int_equal(eligibility_penalty_end(&r, &e), end);
	assert_int_equal(eligibility_check(&r, &e, 1, "B", T0 + BK_DAY_MS,
			     end - 1, &at),
	    BK_CANDIDAT_SOUS_PENALITE);
	assert_int_equal(at, end);
	assert_int_equal(eligibility_check(&r, &e, 1, "B", T0 + BK_DAY_MS, end,
			     &at),
	    BK_OK);
	/* Configured per category. */
	r.delays[0] = r.delays_default;
	snprintf(r.delays[0].category, BK_CATEGORY_MAX, "B");
	r.delays[0].failure_ms = 14 * BK_DAY_MS;
	r.ndelays = 1;
	assert_int_equal(eligibility_check(&r, &e, 1, "B", T0 + BK_DAY_MS, end,
			     &at),
	    BK_CANDIDAT_SOUS_PENALITE);
	assert_int_equal(at, T0 + 14 * BK_DAY_MS);
}

static void
test_absence_delay(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct bk_exam e = ex("A", T0, EXAM_ABSENT);
	int64_t end = T0 + 40 * BK_DAY_MS, at = 0;

	(void)state;
	assert_int_equal(eligibility_check(&r, &e, 1, "A", T0 + BK_DAY_MS,
			     end - 1, &at),
	    BK_CANDIDAT_SOUS_PENALITE);
	assert_int_equal(at, end);
	assert_int_equal(eligibility_check(&r, &e, 1, "A", T0 + BK_DAY_MS, end,
			     NULL),
	    BK_OK);
}

static void
test_late_cancellation(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct bk_exam e = ex("B", T0, EXAM_CANCELLED);
	int64_t end = T0 + 30 * BK_DAY_MS, at = 0;

	(void)state;
	/* Exactly 7 days before is not late; one millisecond after is. */
	assert_int_equal(eligibility_cancel_is_late(&r, T0, T0 - 7 * BK_DAY_MS),
	    0);
	assert_int_equal(eligibility_cancel_is_late(&r, T0,
			     T0 - 7 * BK_DAY_MS + 1),
	    1);
	e.cancelled_at = T0 - 7 * BK_DAY_MS;
	assert_int_equal(eligibility_penalty_end(&r, &e), 0);
	assert_int_equal(eligibility_check(&r, &e, 1, "B", T0, T0, NULL),
	    BK_OK);
	e.cancelled_at = T0 - 7 * BK_DAY_MS + 1;
	assert_int_equal(eligibility_penalty_end(&r, &e), end);
	assert_int_equal(eligibility_check(&r, &e, 1, "B", T0 - BK_DAY_MS,
			     end - 1, &at),
	    BK_CANDIDAT_SOUS_PENALITE);
	assert_int_equal(at, end);
	assert_int_equal(eligibility_check(&r, &e, 1, "B", T0 - BK_DAY_MS, end,
			     NULL),
	    BK_OK);
}

static void
test_latest_penalty_wins(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct bk_exam e[2] = { ex("B", T0, EXAM_ABSENT),
		ex("B", T0 + 35 * BK_DAY_MS, EXAM_FAILED) };
	int64_t at = 0;

	(void)state;
	assert_int_equal(eligibility_check(&r, e, 2, "B", T0 + 36 * BK_DAY_MS,
			     T0 + 36 * BK_DAY_MS, &at),
	    BK_CANDIDAT_SOUS_PENALITE);
	assert_int_equal(at, T0 + 45 * BK_DAY_MS);
	/* A booked future exam comes before a penalty. */
	e[1].status = EXAM_BOOKED;
	e[1].start_at = T0 + 50 * BK_DAY_MS;
	assert_int_equal(eligibility_check(&r, e, 2, "B", T0 + 1, T0 + 1, NULL),
	    BK_CANDIDAT_DEJA_INSCRIT);
}

/*
 * The delay is about the exam's date, not today's: the day after a
 * failure, a slot starting at or after the delay's end may be booked,
 * one starting before may not, and a day past the end nothing bars.
 */
static void
test_delay_is_about_the_exam_date(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct bk_exam e = ex("B", T0, EXAM_FAILED);
	int64_t end = T0 + 10 * BK_DAY_MS, today = T0 + BK_DAY_MS, at = 0;

	(void)state;
	assert_int_equal(eligibility_check(&r, &e, 1, "B", today,
			     end + 2 * BK_DAY_MS, &at),
	    BK_OK);
	assert_int_equal(at, 0);
	assert_int_equal(eligibility_check(&r, &e, 1, "B", today, end, &at),
	    BK_OK);
	assert_int_equal(eligibility_check(&r, &e, 1, "B", today,
			     today + 3 * BK_DAY_MS, &at),
	    BK_CANDIDAT_SOUS_PENALITE);
	assert_int_equal(at, end);
	/* Booked after the delay for an exam after it: nothing bars. */
	assert_int_equal(eligibility_check(&r, &e, 1, "B", end + 1,
			     end + BK_DAY_MS, NULL),
	    BK_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_history),
		cmocka_unit_test(test_booked_then_awaiting),
		cmocka_unit_test(test_passed),
		cmocka_unit_test(test_failure_delay),
		cmocka_unit_test(test_absence_delay),
		cmocka_unit_test(test_late_cancellation),
		cmocka_unit_test(test_latest_penalty_wins),
		cmocka_unit_test(test_delay_is_about_the_exam_date),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
