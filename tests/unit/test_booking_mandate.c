/* test_booking_mandate.c - src/booking/mandate.c: rule 1, mandate first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "booking/caltime.h"
#include "booking/mandate.h"
#include "unit.h"

#define CAND 7
#define MINE 1
#define OTHER 2

static struct mandate
mk(int64_t school, const char *cat, enum mandate_state st)
{
	struct mandate m;

	memset(&m, 0, sizeof(m));
	m.candidate_id = CAND;
	m.school_id = school;
	snprintf(m.category, sizeof(m.category), "%s", cat);
	m.state = st;
	return m;
}

static void
test_identity(void **state)
{
	struct candidate_identity reg = { "123456789012", "Dupont",
		"Marie Anne", "B" };
	struct candidate_identity claim = reg;

	(void)state;
	assert_int_equal(mandate_check_identity(&reg, &claim), BK_OK);
	claim.last_name = " DUPONT ";
	claim.first_names = "marie anne";
	assert_int_equal(mandate_check_identity(&reg, &claim), BK_OK);
	claim.last_name = "Dupond";
	assert_int_equal(mandate_check_identity(&reg, &claim),
	    BK_CANDIDAT_INCONNU);
	claim = reg;
	claim.neph = "123456789013";
	assert_int_equal(mandate_check_identity(&reg, &claim),
	    BK_CANDIDAT_INCONNU);
	claim = reg;
	claim.category = "A";
	assert_int_equal(mandate_check_identity(&reg, &claim),
	    BK_CANDIDAT_INCONNU);
	claim = reg;
	claim.first_names = "";
	assert_int_equal(mandate_check_identity(&reg, &claim),
	    BK_CANDIDAT_INCONNU);
	claim.first_names = NULL;
	assert_int_equal(mandate_check_identity(&reg, &claim),
	    BK_CANDIDAT_INCONNU);
	assert_int_equal(mandate_check_identity(NULL, &reg),
	    BK_CANDIDAT_INCONNU);
}

static void
test_expiry_twelve_months(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct mandate m[1];
	int64_t t0 = caltime_utc_ms(2024, 3, 15, 9, 0);
	int64_t end = caltime_utc_ms(2025, 3, 15, 9, 0);

	(void)state;
	m[0] = mk(MINE, "B", MANDATE_PENDING);
	assert_int_equal(mandate_expiry(&r, t0), end);
	assert_int_equal(mandate_check_action(m, 1, CAND, MINE, "B", t0),
	    BK_CANDIDAT_PAS_SOUS_MANDAT); /* pending */
	assert_int_equal(mandate_activate(&r, m, 1, 0, t0), 0);
	assert_int_equal(m[0].expires_at, end);
	assert_int_equal(mandate_state_at(&m[0], end - 1), MANDATE_ACTIVE);
	assert_int_equal(mandate_state_at(&m[0], end), MANDATE_EXPIRED);
	assert_int_equal(mandate_check_action(m, 1, CAND, MINE, "B", end - 1),
	    BK_OK);
	assert_int_equal(mandate_check_action(m, 1, CAND, MINE, "B", end),
	    BK_CANDIDAT_PAS_SOUS_MANDAT);
	/* Activating twice is refused. */
	assert_int_equal(mandate_activate(&r, m, 1, 0, t0), -1);
	assert_int_equal(mandate_activate(&r, m, 1, 1, t0), -1);
	/* Expired cannot be revoked; a new request is possible again. */
	assert_int_equal(mandate_revoke(&m[0], end), -1);
	assert_int_equal(mandate_check_create(m, 1, CAND, MINE, "B",
			     MANDATE_BY_SCHOOL, end),
	    BK_OK);
}

static void
test_action_needs_my_active_mandate(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct mandate m[2];

	(void)state;
	m[0] = mk(OTHER, "B", MANDATE_PENDING);
	m[1] = mk(MINE, "A", MANDATE_PENDING);
	assert_int_equal(mandate_activate(&r, m, 2, 0, 1000), 0);
	assert_int_equal(mandate_activate(&r, m, 2, 1, 1000), 0);
	assert_int_equal(mandate_check_action(m, 2, CAND, MINE, "B", 2000),
	    BK_CANDIDAT_PAS_SOUS_MANDAT); /* other school */
	assert_int_equal(mandate_check_action(m, 2, CAND, MINE, "A", 2000),
	    BK_OK);
	assert_int_equal(mandate_check_action(m, 2, CAND + 1, MINE, "A", 2000),
	    BK_CANDIDAT_PAS_SOUS_MANDAT);
	assert_int_equal(mandate_check_action(NULL, 0, CAND, MINE, "A", 2000),
	    BK_CANDIDAT_PAS_SOUS_MANDAT);
	/* Revocation blocks at once. */
	assert_int_equal(mandate_revoke(&m[1], 3000), 0);
	assert_int_equal(m[1].ended_at, 3000);
	assert_int_equal(mandate_check_action(m, 2, CAND, MINE, "A", 3000),
	    BK_CANDIDAT_PAS_SOUS_MANDAT);
	assert_int_equal(mandate_revoke(&m[1], 3001), -1);
}

static void
test_create_conflicts(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct mandate m[3];

	(void)state;
	m[0] = mk(OTHER, "B", MANDATE_PENDING);
	assert_int_equal(mandate_activate(&r, m, 1, 0, 1000), 0);
	assert_int_equal(mandate_check_create(m, 1, CAND, MINE, "B",
			     MANDATE_BY_SCHOOL, 2000),
	    BK_CANDIDAT_DEJA_SOUS_MANDAT);
	assert_int_equal(mandate_check_create(m, 1, CAND, OTHER, "B",
			     MANDATE_BY_SCHOOL, 2000),
	    BK_CANDIDAT_DEJA_SOUS_MON_MANDAT);
	/* Another category is free. */
	assert_int_equal(mandate_check_create(m, 1, CAND, MINE, "A",
			     MANDATE_BY_SCHOOL, 2000),
	    BK_OK);
	/* The candidate may choose a new school... */
	assert_int_equal(mandate_check_create(m, 1, CAND, MINE, "B",
			     MANDATE_BY_CANDIDATE, 2000),
	    BK_OK);
	m[1] = mk(MINE, "B", MANDATE_PENDING);
	/* ...whose pending request counts as mine. */
	assert_int_equal(mandate_check_create(m, 2, CAND, MINE, "B",
			     MANDATE_BY_CANDIDATE, 2000),
	    BK_CANDIDAT_DEJA_SOUS_MON_MANDAT);
	/* Activating it revokes the old school's mandate. */
	m[2] = mk(OTHER, "A", MANDATE_PENDING);
	assert_int_equal(mandate_activate(&r, m, 3, 2, 2500), 0);
	assert_int_equal(mandate_activate(&r, m, 3, 1, 3000), 1);
	assert_int_equal(m[0].state, MANDATE_REVOKED);
	assert_int_equal(m[0].ended_at, 3000);
	assert_int_equal(m[2].state, MANDATE_ACTIVE); /* other category */
	assert_int_equal(mandate_check_action(m, 3, CAND, OTHER, "B", 3000),
	    BK_CANDIDAT_PAS_SOUS_MANDAT);
	assert_int_equal(mandate_check_action(m, 3, CAND, MINE, "B", 3000),
	    BK_OK);
}

/* When a mandate ends, only the exams it covers and that are still to
 * come end with it. */
static void
test_exams_that_end_with_a_mandate(void **state)
{
	struct mandate m = { 3, CAND, MINE, "B", MANDATE_REVOKED, 0, 0, 0 };
	struct bk_exam e = { 10, 20, MINE, CAND, "44", "B", 5000, EXAM_BOOKED,
		0, 0 };
	struct bk_exam x;

	(void)state;
	assert_int_equal(mandate_exam_ends(&m, &e, 4999), 1);
	/* Started, or sat: it stays as it is. */
	assert_int_equal(mandate_exam_ends(&m, &e, 5000), 0);
	x = e;
	x.status = EXAM_PASSED;
	assert_int_equal(mandate_exam_ends(&m, &x, 100), 0);
	x = e;
	x.status = EXAM_CANCELLED;
	assert_int_equal(mandate_exam_ends(&m, &x, 100), 0);
	/* Another school's exam, another category, another candidate. */
	x = e;
	x.school_id = OTHER;
	assert_int_equal(mandate_exam_ends(&m, &x, 100), 0);
	x = e;
	snprintf(x.category, sizeof(x.category), "A");
	assert_int_equal(mandate_exam_ends(&m, &x, 100), 0);
	x = e;
	x.candidate_id = CAND + 1;
	assert_int_equal(mandate_exam_ends(&m, &x, 100), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_expiry_twelve_months),
		cmocka_unit_test(test_action_needs_my_active_mandate),
		cmocka_unit_test(test_create_conflicts),
		cmocka_unit_test(test_exams_that_end_with_a_mandate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
