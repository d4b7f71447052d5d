/* test_service_exams.c - cancel, replace, swap and results of booked
 * exams against a real store: each refusal code of rules 1, 6, 7 and 8,
 * the slot freed, the late-cancellation delay, the threshold status. */
#include "bookfx.h"
#include "booking/quota.h"
#include "service/basket.h"
#include "service/exams.h"

#define START (BX_NOW + 10 * BK_DAY_MS) /* the exams' day */

/* Books candidate on a new slot starting at start for school 1. Returns
 * the exam id. */
static int64_t
book(struct bookfx *b, int64_t candidate, int64_t start)
{
	struct basket k;
	struct svc_validation v;
	struct svc_refusal why;
	int64_t slot = bx_slot(b, "B", start, BX_NOW);

	assert_int_equal(svc_basket_current(&b->s, &b->who1, b->school1, BX_NOW,
			     &k),
	    BK_OK);
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id,
			     &slot, &candidate, 1, BX_NOW, &why),
	    BK_OK);
	assert_int_equal(svc_basket_validate(&b->s, &b->who1, b->school1, k.id,
			     BX_NOW, &v),
	    BK_OK);
	assert_true(v.res[0].booked);
	return v.res[0].exam_id;
}

static void
test_cancel(void **state)
{
	struct bookfx *b = *state;
	int64_t c = bx_candidate(b, "B", b->school1), e;
	int late = -1;

	bx_etp(b, b->school1, 100);
	e = book(b, c, START);
	/* Another school's exam does not exist for it. */
	assert_int_equal(svc_exam_cancel(&b->s, &b->who2, b->school2, e, BX_NOW,
			     &late),
	    BK_EXAMEN_INCONNU);
	/* Started: frozen. */
	assert_int_equal(svc_exam_cancel(&b->s, &b->who1, b->school1, e, START,
			     &late),
	    BK_EXAMEN_NON_MODIFIABLE);
	/* 6 days before: late, the slot is free, the place counts no more. */
	assert_int_equal(svc_exam_cancel(&b->s, &b->who1, b->school1, e,
			     START - 6 * BK_DAY_MS, &late),
	    BK_OK);
	assert_int_equal(late, 1);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM slots WHERE state ="
			     " 'free'"),
	    1);
	assert_int_equal(svc_exam_cancel(&b->s, &b->who1, b->school1, e,
			     START - 6 * BK_DAY_MS, &late),
	    BK_EXAMEN_DEJA_ANNULE);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM notifications WHERE"
			     " kind = 'booking.cancelled'"),
	    1);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM audit_log WHERE"
			     " action = 'exam.cancel'"),
	    1);
	/* The waiting delay is said when the candidate is put on a slot
	 * before its end, with that end, not only at validation. */
	{
		struct basket k;
		struct svc_refusal why;
		int64_t now = START - 6 * BK_DAY_MS + BK_MINUTE_MS;
		int64_t slot = bx_slot(b, "B", START + 2 * BK_DAY_MS, BX_NOW);
		int64_t free_slot =
		    bx_slot(b, "B", START + 3 * BK_DAY_MS, BX_NOW);
		int64_t none = 0, until = 0;

		assert_int_equal(svc_basket_current(&b->s, &b->who1, b->school1,
				     now, &k),
		    BK_OK);
		memset(&why, 0, sizeof(why));
		assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1,
				     k.id, &slot, &c, 1, now, &why),
		    BK_CANDIDAT_SOUS_PENALITE);
		assert_true(why.at > START);
		assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1,
				     k.id, &free_slot, &none, 1, now, &why),
		    BK_OK);
		assert_int_equal(svc_basket_assign(&b->s, &b->who1, b->school1,
				     k.id, free_slot, c, now, &until),
		    BK_CANDIDAT_SOUS_PENALITE);
		assert_true(until > START);
	}
}

static void
test_cancel_needs_mandate(void **state)
{
	struct bookfx *b = *state;
	int64_t c = bx_candidate(b, "B", b->school1), e;

	bx_etp(b, b->school1, 100);
	e = book(b, c, START);
	bx_exec(b, "UPDATE mandates SET state = 'revoked'");
	assert_int_equal(svc_exam_cancel(&b->s, &b->who1, b->school1, e, BX_NOW,
			     NULL),
	    BK_CANDIDAT_PAS_SOUS_MANDAT);
	/* Once started, the past is frozen (rule 7) before rule 1: for
	 * cancel, replace and swap alike. */
	assert_int_equal(svc_exam_cancel(&b->s, &b->who1, b->school1, e, START,
			     NULL),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(svc_exam_replace(&b->s, &b->who1, b->school1, e, c + 1,
			     START, NULL),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(svc_exam_swap(&b->s, &b->who1, b->school1, e, e,
			     START),
	    BK_EXAMEN_NON_MODIFIABLE);
}

static void
test_replace(void **state)
{
	struct bookfx *b = *state;
	int64_t c1 = bx_candidate(b, "B", b->school1);
	int64_t c2 = bx_candidate(b, "B", b->school1);
	int64_t c3 = bx_candidate(b, "B", b->school1);
	int64_t other = bx_candidate(b, "B", b->school2);
	int64_t busy = bx_candidate(b, "B", b->school1), e, until = 0;

	bx_etp(b, b->school1, 100);
	e = book(b, c1, START);
	book(b, busy, START + BK_HOUR_MS);
	assert_int_equal(svc_exam_replace(&b->s, &b->who1, b->school1, e, other,
			     BX_NOW, &until),
	    BK_CANDIDAT_PAS_SOUS_MANDAT);
	assert_int_equal(svc_exam_replace(&b->s, &b->who1, b->school1, e, busy,
			     BX_NOW, &until),
	    BK_CANDIDAT_DEJA_INSCRIT);
	assert_int_equal(svc_exam_replace(&b->s, &b->who1, b->school1, e, c2,
			     BX_NOW, &until),
	    BK_OK);
	assert_int_equal(svc_exam_replace(&b->s, &b->who1, b->school1, e, c3,
			     BX_NOW, &until),
	    BK_OK);
	assert_int_equal(svc_exam_replace(&b->s, &b->who1, b->school1, e, c1,
			     BX_NOW, &until),
	    BK_NOMBRE_DE_REMPLACEMENTS_AUTORISES_ATTEINT);
	assert_int_equal(bx_int(b,
			     "SELECT candidate_id FROM exams WHERE id ="
			     " (SELECT MIN(id) FROM exams)"),
	    c3);
}

static void
test_penalty_after_failure(void **state)
{
	struct bookfx *b = *state;
	int64_t c1 = bx_candidate(b, "B", b->school1);
	int64_t c2 = bx_candidate(b, "B", b->school1);
	int64_t c3 = bx_candidate(b, "B", b->school1), e1, e2, e3, until = 0;

	bx_etp(b, b->school1, 100);
	e1 = book(b, c1, START);
	e2 = book(b, c2, START + 5 * BK_DAY_MS);
	e3 = book(b, c3, START + 20 * BK_DAY_MS);
	/* The dispatcher: no result before the exam, then failed. */
	assert_int_equal(svc_exam_result(&b->s, &b->who1, e1, EXAM_FAILED,
			     START - 1),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(svc_exam_result(&b->s, &b->who1, e1, EXAM_FAILED,
			     START + BK_HOUR_MS),
	    BK_OK);
	/* c1 is under the 10-day delay: not on an exam held before its
	 * end... */
	assert_int_equal(svc_exam_replace(&b->s, &b->who1, b->school1, e2, c1,
			     START + BK_DAY_MS, &until),
	    BK_CANDIDAT_SOUS_PENALITE);
	assert_int_equal(until, START + 10 * BK_DAY_MS);
	/* ...but the delay is about the exam's date: one held after its
	 * end takes c1 today. */
	assert_int_equal(svc_exam_replace(&b->s, &b->who1, b->school1, e3, c1,
			     START + BK_DAY_MS, &until),
	    BK_OK);
}

/* A candidate refused a slot inside the waiting delay is booked, the
 * same day, on a slot after its end (rule 6 on the exam's date). */
static void
test_penalty_judged_on_slot_date(void **state)
{
	struct bookfx *b = *state;
	int64_t c1 = bx_candidate(b, "B", b->school1), e1, slots[2];
	int64_t now = START + BK_DAY_MS;
	struct svc_validation v;
	struct svc_refusal why;
	struct basket k;

	bx_etp(b, b->school1, 100);
	e1 = book(b, c1, START);
	assert_int_equal(svc_exam_result(&b->s, &b->who1, e1, EXAM_FAILED,
			     START + BK_HOUR_MS),
	    BK_OK);
	slots[0] = bx_slot(b, "B", START + 9 * BK_DAY_MS, BX_NOW);
	slots[1] = bx_slot(b, "B", START + 10 * BK_DAY_MS, BX_NOW);
	assert_int_equal(svc_basket_current(&b->s, &b->who1, b->school1, now,
			     &k),
	    BK_OK);
	/* Refused when the slot is added, with the delay's end. */
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id,
			     &slots[0], &c1, 1, now, &why),
	    BK_CANDIDAT_SOUS_PENALITE);
	assert_int_equal(why.at, START + 10 * BK_DAY_MS);
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id,
			     &slots[1], &c1, 1, now, &why),
	    BK_OK);
	assert_int_equal(svc_basket_validate(&b->s, &b->who1, b->school1, k.id,
			     now, &v),
	    BK_OK);
	assert_true(v.res[0].booked);
}

static void
test_swap(void **state)
{
	struct bookfx *b = *state;
	int64_t c1 = bx_candidate(b, "B", b->school1);
	int64_t c2 = bx_candidate(b, "B", b->school1), e1, e2;

	bx_etp(b, b->school1, 100);
	e1 = book(b, c1, START);
	e2 = book(b, c2, START + BK_HOUR_MS);
	assert_int_equal(svc_exam_swap(&b->s, &b->who1, b->school1, e1, e1,
			     BX_NOW),
	    BK_PERMUTATION_IMPOSSIBLE);
	assert_int_equal(svc_exam_swap(&b->s, &b->who2, b->school2, e1, e2,
			     BX_NOW),
	    BK_EXAMEN_INCONNU);
	assert_int_equal(svc_exam_swap(&b->s, &b->who1, b->school1, e1, e2,
			     BX_NOW),
	    BK_OK);
	assert_int_equal(bx_int(b,
			     "SELECT candidate_id FROM exams ORDER BY id"
			     " LIMIT 1"),
	    c2);
	/* Started: frozen (rule 7), in either order, before rule 8. */
	assert_int_equal(svc_exam_swap(&b->s, &b->who1, b->school1, e1, e2,
			     START),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(svc_exam_swap(&b->s, &b->who1, b->school1, e2, e1,
			     START),
	    BK_EXAMEN_NON_MODIFIABLE);
}

/* The line read, with its department kept (the strings of a line are
 * borrowed during the call only). */
struct one_line {
	struct svc_quota_line l;
	char department[BK_DEPARTMENT_MAX];
};

static int
count_line(void *arg, const struct svc_quota_line *l)
{
	struct one_line *out = arg;

	out->l = *l;
	snprintf(out->department, sizeof(out->department), "%s", l->department);
	out->l.department = out->department;
	out->l.category = NULL;
	return 0;
}

static void
test_quota_status(void **state)
{
	struct bookfx *b = *state;
	struct one_line line;
	struct svc_quota_line *l = &line.l;
	int64_t c = bx_candidate(b, "B", b->school1);
	char sql[200];

	bx_etp(b, b->school1, 50);
	snprintf(sql, sizeof(sql),
	    "INSERT INTO coefficients VALUES ('44', 'B', %lld, 650, NULL, 0)",
	    (long long)quota_month(START));
	bx_exec(b, sql);
	book(b, c, START);
	memset(&line, 0, sizeof(line));
	assert_int_equal(svc_quota_status(&b->s, b->school1, quota_month(START),
			     count_line, &line),
	    0);
	assert_string_equal(l->department, "44");
	assert_int_equal(l->coefficient_centi, 650);
	assert_int_equal(l->quota, 3); /* floor(0.5 x 6.5) */
	assert_int_equal(l->used, 1);
	assert_int_equal(l->left, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cancel, bookfx_setup,
		    bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_cancel_needs_mandate,
		    bookfx_setup, bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_replace, bookfx_setup,
		    bookfx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_penalty_judged_on_slot_date, bookfx_setup,
		    bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_penalty_after_failure,
		    bookfx_setup, bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_swap, bookfx_setup,
		    bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_status, bookfx_setup,
		    bookfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
