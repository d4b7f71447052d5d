/* test_booking_exam.c - src/booking/exam.c: rules 7 and 8. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "booking/exam.h"
#include "unit.h"

#define T0 INT64_C(1700000000000)
#define SCHOOL 1

static struct bk_exam
ex(int64_t id, int64_t candidate, const char *cat, int64_t start)
{
	struct bk_exam e;

	memset(&e, 0, sizeof(e));
	e.id = id;
	e.slot_id = id;
	e.school_id = SCHOOL;
	e.candidate_id = candidate;
	snprintf(e.category, sizeof(e.category), "%s", cat);
	e.start_at = start;
	e.status = EXAM_BOOKED;
	return e;
}

static void
test_past_is_frozen(void **state)
{
	(void)state;
	assert_int_equal(exam_check_modifiable(T0, T0 - 1), BK_OK);
	assert_int_equal(exam_check_modifiable(T0, T0),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(exam_check_modifiable(T0, T0 + 1),
	    BK_EXAMEN_NON_MODIFIABLE);
}

static void
test_cancel(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct bk_exam e = ex(1, 10, "B", T0);
	struct bk_slot s;
	int late = -1;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.state = SLOT_BOOKED;
	assert_int_equal(exam_cancel(&r, &e, &s, SCHOOL + 1, T0 - 1, &late),
	    BK_EXAMEN_INCONNU);
	assert_int_equal(exam_cancel(&r, &e, &s, SCHOOL, T0, &late),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(e.status, EXAM_BOOKED);
	assert_int_equal(s.state, SLOT_BOOKED);
	assert_int_equal(late, -1);
	/* Exactly 7 days before: not late. */
	assert_int_equal(exam_cancel(&r, &e, &s, SCHOOL, T0 - 7 * BK_DAY_MS,
			     &late),
	    BK_OK);
	assert_int_equal(late, 0);
	assert_int_equal(e.status, EXAM_CANCELLED);
	assert_int_equal(e.cancelled_at, T0 - 7 * BK_DAY_MS);
	assert_int_equal(s.state, SLOT_FREE);
	assert_int_equal(exam_cancel(&r, &e, &s, SCHOOL, T0 - 1, &late),
	    BK_EXAMEN_DEJA_ANNULE);
	/* One millisecond later: late. */
	e = ex(1, 10, "B", T0);
	assert_int_equal(exam_cancel(&r, &e, NULL, SCHOOL,
			     T0 - 7 * BK_DAY_MS + 1, &late),
	    BK_OK);
	assert_int_equal(late, 1);
	/* An exam with a result is frozen. */
	e = ex(1, 10, "B", T0);
	e.status = EXAM_FAILED;
	assert_int_equal(exam_cancel(&r, &e, NULL, SCHOOL, T0 - 1, NULL),
	    BK_EXAMEN_NON_MODIFIABLE);
}

static void
test_replace_at_most_two(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct bk_exam e = ex(1, 10, "B", T0);

	(void)state;
	assert_int_equal(exam_replace(&r, &e, SCHOOL + 1, 11, T0 - 1),
	    BK_EXAMEN_INCONNU);
	assert_int_equal(exam_replace(&r, &e, SCHOOL, 10, T0 - 1),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(exam_replace(&r, &e, SCHOOL, 0, T0 - 1),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(exam_replace(&r, &e, SCHOOL, 11, T0),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(exam_replace(&r, &e, SCHOOL, 11, T0 - 1), BK_OK);
	assert_int_equal(e.candidate_id, 11);
	assert_int_equal(e.replacements, 1);
	assert_int_equal(exam_replace(&r, &e, SCHOOL, 12, T0 - 1), BK_OK);
	assert_int_equal(e.replacements, 2);
	assert_int_equal(exam_replace(&r, &e, SCHOOL, 13, T0 - 1),
	    BK_NOMBRE_DE_REMPLACEMENTS_AUTORISES_ATTEINT);
	assert_int_equal(e.candidate_id, 12);
	assert_int_equal(e.replacements, 2);
	e.status = EXAM_CANCELLED;
	assert_int_equal(exam_replace(&r, &e, SCHOOL, 13, T0 - 1),
	    BK_EXAMEN_DEJA_ANNULE);
}

static void
test_swap(void **state)
{
	struct bk_exam a = ex(1, 10, "B", T0), b = ex(2, 20, "B", T0 + 1000);
	struct bk_exam c = ex(3, 30, "A", T0 + 1000);

	(void)state;
	assert_int_equal(exam_swap(&a, &b, SCHOOL, T0 - 1), BK_OK);
	assert_int_equal(a.candidate_id, 20);
	assert_int_equal(b.candidate_id, 10);
	/* One has started: rule 7 answers, in either order, even when
	 * rule 8 would refuse too (different categories). */
	assert_int_equal(exam_swap(&a, &b, SCHOOL, T0),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(exam_swap(&b, &a, SCHOOL, T0),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(exam_swap(&a, &c, SCHOOL, T0),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(a.candidate_id, 20);
	assert_int_equal(b.candidate_id, 10);
	/* Different categories, the same exam. */
	assert_int_equal(exam_swap(&a, &c, SCHOOL, T0 - 1),
	    BK_PERMUTATION_IMPOSSIBLE);
	assert_int_equal(exam_swap(&a, &a, SCHOOL, T0 - 1),
	    BK_PERMUTATION_IMPOSSIBLE);
	/* Another school's exam. */
	b.school_id = SCHOOL + 1;
	assert_int_equal(exam_swap(&a, &b, SCHOOL, T0 - 1), BK_EXAMEN_INCONNU);
	b.school_id = SCHOOL;
	b.status = EXAM_CANCELLED;
	assert_int_equal(exam_swap(&a, &b, SCHOOL, T0 - 1),
	    BK_EXAMEN_DEJA_ANNULE);
	/* With a result: frozen as well. */
	b.status = EXAM_ABSENT;
	assert_int_equal(exam_swap(&a, &b, SCHOOL, T0 - 1),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(exam_check_swap(&a, &b, SCHOOL, T0 - 1),
	    BK_EXAMEN_NON_MODIFIABLE);
	/* The check alone changes nothing. */
	b.status = EXAM_BOOKED;
	assert_int_equal(exam_check_swap(&a, &b, SCHOOL, T0 - 1), BK_OK);
	assert_int_equal(a.candidate_id, 20);
	assert_int_equal(b.candidate_id, 10);
}

static void
test_check_change(void **state)
{
	struct bk_exam e = ex(1, 10, "B", T0);

	(void)state;
	assert_int_equal(exam_check_change(&e, SCHOOL, T0 - 1), BK_OK);
	assert_int_equal(exam_check_change(&e, SCHOOL, T0),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(exam_check_change(&e, SCHOOL + 1, T0),
	    BK_EXAMEN_INCONNU);
	e.status = EXAM_FAILED;
	assert_int_equal(exam_check_change(&e, SCHOOL, T0 - 1),
	    BK_EXAMEN_NON_MODIFIABLE);
	e.status = EXAM_CANCELLED;
	assert_int_equal(exam_check_change(&e, SCHOOL, T0),
	    BK_EXAMEN_DEJA_ANNULE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_past_is_frozen),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_replace_at_most_two),
		cmocka_unit_test(test_swap),
		cmocka_unit_test(test_check_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
