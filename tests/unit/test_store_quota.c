/*
 * test_store_quota.c - src/store/quota.c: coefficients upserted and read
 * with the fallback to the default when none is set, a school's
 * departments and trainers' ETP replaced as a whole, and ETP(S, D, C)
 * summed over trainers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "authfx.h"
#include "booking/quota.h"
#include "store/quota.h"
#include "store/school.h"

static struct quota_coefficient
coef(const char *dept, const char *cat, int64_t month, int64_t centi)
{
	struct quota_coefficient q;

	memset(&q, 0, sizeof(q));
	snprintf(q.department, sizeof(q.department), "%s", dept);
	snprintf(q.category, sizeof(q.category), "%s", cat);
	q.month = month;
	q.centi = centi;
	return q;
}

static void
test_coefficient_fallback_and_upsert(void **state)
{
	struct authfx *f = *state;
	struct store_conn *c = store_conn(f->st);
	struct booking_rules r = booking_rules_default();
	struct quota_coefficient q = coef("44", "B", 202612, 550);
	int64_t centi = -1;

	/* None set: 1, and the caller falls back to the default 5.0. */
	assert_int_equal(store_coefficient_get(f->st, c, "44", "B", 202612,
			     &centi),
	    1);
	assert_int_equal(quota_coefficient(&r, NULL, 0, "44", "B", 202612),
	    500);
	assert_int_equal(store_coefficient_set(f->st, c, &q, "acct", FX_T0), 0);
	assert_int_equal(store_coefficient_get(f->st, c, "44", "B", 202612,
			     &centi),
	    0);
	assert_int_equal(centi, 550);
	/* Same key: replaced, not duplicated. */
	q.centi = 0;
	assert_int_equal(store_coefficient_set(f->st, c, &q, "acct", FX_T0), 0);
	assert_int_equal(store_coefficient_get(f->st, c, "44", "B", 202612,
			     &centi),
	    0);
	assert_int_equal(centi, 0);
	assert_int_equal(authfx_rows(f, "SELECT month FROM coefficients"), 1);
	/* Another month, category or department is another key. */
	assert_int_equal(store_coefficient_get(f->st, c, "44", "B", 202701,
			     &centi),
	    1);
	assert_int_equal(store_coefficient_get(f->st, c, "44", "A", 202612,
			     &centi),
	    1);
	assert_int_equal(store_coefficient_get(f->st, c, "85", "B", 202612,
			     &centi),
	    1);
}

static int
count_coef(void *arg, const struct quota_coefficient *q)
{
	(void)q;
	(*(int *)arg)++;
	return 0;
}

static void
test_coefficients_list(void **state)
{
	struct authfx *f = *state;
	struct store_conn *c = store_conn(f->st);
	struct quota_coefficient q[3] = { coef("44", "B", 202612, 550),
		coef("44", "A", 202701, 300), coef("85", "B", 202612, 400) };
	int i, n;

	for (i = 0; i < 3; i++)
		assert_int_equal(store_coefficient_set(f->st, c, &q[i], NULL,
				     FX_T0),
		    0);
	n = 0;
	assert_int_equal(store_coefficients_list(f->st, c, NULL, 0, count_coef,
			     &n),
	    0);
	assert_int_equal(n, 3);
	n = 0;
	assert_int_equal(store_coefficients_list(f->st, c, "44", 0, count_coef,
			     &n),
	    0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(store_coefficients_list(f->st, c, NULL, 202612,
			     count_coef, &n),
	    0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(store_coefficients_list(f->st, c, "85", 202701,
			     count_coef, &n),
	    0);
	assert_int_equal(n, 0);
}

static struct store_trainer_etp
etp(const char *who, const char *dept, const char *cat, int64_t centi)
{
	struct store_trainer_etp t;

	memset(&t, 0, sizeof(t));
	snprintf(t.trainer, sizeof(t.trainer), "%s", who);
	snprintf(t.department, sizeof(t.department), "%s", dept);
	snprintf(t.category, sizeof(t.category), "%s", cat);
	t.etp_centi = centi;
	return t;
}

static void
test_establishments_replace_and_etp_sum(void **state)
{
	struct authfx *f = *state;
	struct store_conn *c = store_conn(f->st);
	char depts[STORE_SCHOOL_DEPTS_MAX][BK_DEPARTMENT_MAX] = { "44", "85" };
	char got[STORE_SCHOOL_DEPTS_MAX][BK_DEPARTMENT_MAX];
	struct store_trainer_etp rows[3] = { etp("t1", "44", "B", 100),
		etp("t2", "44", "B", 50), etp("t2", "85", "B", 25) };
	struct store_trainer_etp list[8];
	int64_t school, sum = -1;
	size_t n;

	assert_int_equal(store_school_ensure(f->st, c, f->org, FX_T0, &school),
	    0);
	/* Nobody declared: 0 ETP, not an error. */
	assert_int_equal(store_school_etp(f->st, c, school, "44", "B", &sum),
	    0);
	assert_int_equal(sum, 0);

	assert_int_equal(store_school_departments_set(f->st, c, school,
			     (const char(*)[BK_DEPARTMENT_MAX])depts, 2),
	    0);
	assert_int_equal(store_trainer_etp_set(f->st, c, school, rows, 3), 0);
	assert_int_equal(store_school_departments(f->st, c, school, got, &n),
	    0);
	assert_int_equal(n, 2);
	assert_string_equal(got[0], "44");
	assert_string_equal(got[1], "85");
	assert_int_equal(store_school_etp(f->st, c, school, "44", "B", &sum),
	    0);
	assert_int_equal(sum, 150);
	assert_int_equal(store_school_etp(f->st, c, school, "85", "B", &sum),
	    0);
	assert_int_equal(sum, 25);
	assert_int_equal(store_school_etp(f->st, c, school, "44", "A", &sum),
	    0);
	assert_int_equal(sum, 0);
	assert_int_equal(store_trainer_etp_list(f->st, c, school, list, 8, &n),
	    0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].trainer, "t1");
	assert_int_equal(list[2].etp_centi, 25);

	/* Replacing drops what is not declared again. */
	assert_int_equal(store_school_departments_set(f->st, c, school,
			     (const char(*)[BK_DEPARTMENT_MAX])depts + 1, 1),
	    0);
	assert_int_equal(store_trainer_etp_set(f->st, c, school, rows + 2, 1),
	    0);
	assert_int_equal(store_school_departments(f->st, c, school, got, &n),
	    0);
	assert_int_equal(n, 1);
	assert_string_equal(got[0], "85");
	assert_int_equal(store_school_etp(f->st, c, school, "44", "B", &sum),
	    0);
	assert_int_equal(sum, 0);
	assert_int_equal(store_school_etp(f->st, c, school, "85", "B", &sum),
	    0);
	assert_int_equal(sum, 25);
	/* Over the ceilings: refused. */
	assert_int_equal(store_school_departments_set(f->st, c, school,
			     (const char(*)[BK_DEPARTMENT_MAX])depts,
			     STORE_SCHOOL_DEPTS_MAX + 1),
	    -1);
}

struct orgs {
	int n;
	char name[STORE_ORG_NAME_MAX];
};

static int
count_org(void *arg, const struct store_school_org *o)
{
	struct orgs *x = arg;

	x->n++;
	snprintf(x->name, sizeof(x->name), "%s", o->name);
	return 0;
}

static void
test_school_orgs(void **state)
{
	struct authfx *f = *state;
	char other[AUTH_ID_HEX], why[ACCOUNT_WHY_MAX];
	struct orgs x;

	assert_int_equal(org_create(&f->a, NULL, "Centre d'examen", "authority",
			     FX_T0, other, why, sizeof(why)),
	    0);
	memset(&x, 0, sizeof(x));
	assert_int_equal(store_school_orgs(f->st, store_conn(f->st), count_org,
			     &x),
	    0);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.name, "Auto-école Dupont");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_coefficient_fallback_and_upsert, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_coefficients_list,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_establishments_replace_and_etp_sum, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_school_orgs, authfx_setup,
		    authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
