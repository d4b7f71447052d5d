/*
 * test_authority.c - src/service/authority.c: the dispatcher's changes
 * are all or nothing with their audit entry; publication names the first
 * item at fault with its RULES.md code; withdrawal keeps the past frozen
 * and leaves schools' slots alone; coefficients and establishments are
 * checked before anything is written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "authfx.h"
#include "service/authority.h"
#include "store/school.h"

#define HOUR (3600LL * 1000)

struct fx {
	struct authfx *f;
	struct booking_rules r;
	struct svc s;
	struct svc_actor who;
	int64_t centre;
};

static int
setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	struct store_centre ce;
	void *inner = NULL;
	struct svc_fault f = { 0, NULL, NULL };

	if (x == NULL || authfx_setup(&inner) != 0)
		return -1;
	x->f = inner;
	x->r = booking_rules_default();
	x->s.a = &x->f->a;
	x->s.r = &x->r;
	x->who.account_id = "dispatcher-1";
	x->who.org_id = "authority-1";
	x->who.ip = "192.0.2.1";
	memset(&ce, 0, sizeof(ce));
	snprintf(ce.name, sizeof(ce.name), "Nantes");
	snprintf(ce.department, sizeof(ce.department), "44");
	snprintf(ce.address, sizeof(ce.address), "Boulevard de la Prairie");
	if (svc_centre_create(&x->s, &x->who, &ce, FX_T0, &f) != BK_OK)
		return -1;
	x->centre = ce.id;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;
	void *inner = x->f;

	authfx_teardown(&inner);
	free(x);
	return 0;
}

static int64_t
audits(struct fx *x, const char *action)
{
	char sql[160];

	snprintf(sql, sizeof(sql),
	    "SELECT seq FROM audit_log WHERE action = '%s'", action);
	return authfx_rows(x->f, sql);
}

static void
test_centre_create(void **state)
{
	struct fx *x = *state;
	struct store_centre ce;
	struct svc_fault f = { 0, NULL, NULL };

	assert_int_equal(audits(x, "centre.create"), 1);
	memset(&ce, 0, sizeof(ce));
	snprintf(ce.name, sizeof(ce.name), "Nantes");
	snprintf(ce.department, sizeof(ce.department), "44");
	assert_int_equal(svc_centre_create(&x->s, &x->who, &ce, FX_T0, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(f.field, "name");
	snprintf(ce.department, sizeof(ce.department), "20");
	assert_int_equal(svc_centre_create(&x->s, &x->who, &ce, FX_T0, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(f.field, "department");
	assert_non_null(f.why);
	/* Refusals write neither a centre nor an entry. */
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM exam_centres"), 1);
	assert_int_equal(audits(x, "centre.create"), 1);
}

static void
slot(struct store_slot *s, int64_t centre, int64_t start)
{
	memset(s, 0, sizeof(*s));
	s->centre_id = centre;
	snprintf(s->s.category, sizeof(s->s.category), "B");
	s->s.start_at = start;
	s->s.published_at = FX_T0;
	snprintf(s->inspector, sizeof(s->inspector), "I-0042");
}

static void
test_publish(void **state)
{
	struct fx *x = *state;
	struct store_slot in[3];
	struct svc_fault f = { 0, NULL, NULL };
	struct bk_slot got;
	int64_t ids[3];
	int i;

	for (i = 0; i < 3; i++)
		slot(&in[i], x->centre, FX_T0 + (24 + i) * HOUR);
	assert_int_equal(svc_slots_publish(&x->s, &x->who, in, 3, FX_T0, ids,
			     &f),
	    BK_OK);
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM slots"), 3);
	assert_int_equal(audits(x, "slots.publish"), 1);
	assert_int_equal(store_slot_get(x->f->st, store_conn(x->f->st), ids[2],
			     &got),
	    0);
	assert_string_equal(got.department, "44");
	assert_int_equal(got.state, SLOT_FREE);
	assert_int_equal(got.start_at, FX_T0 + 26 * HOUR);
}

/* Publishes in (3 slots) expecting code at item index, field. */
static void
refused(struct fx *x, struct store_slot *in, int code, long index,
    const char *field)
{
	struct svc_fault f = { 0, NULL, NULL };
	int64_t ids[3];

	assert_int_equal(svc_slots_publish(&x->s, &x->who, in, 3, FX_T0, ids,
			     &f),
	    code);
	assert_int_equal(f.index, index);
	assert_string_equal(f.field, field);
	/* All or nothing: the good items before it are not inserted. */
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM slots"), 0);
	assert_int_equal(audits(x, "slots.publish"), 0);
}

static void
test_publish_all_or_nothing(void **state)
{
	struct fx *x = *state;
	struct store_slot in[3];
	struct svc_fault f = { 0, NULL, NULL };
	int64_t ids[3];
	int i;

	for (i = 0; i < 3; i++)
		slot(&in[i], x->centre, FX_T0 + 24 * HOUR);
	in[2].centre_id = x->centre + 1;
	refused(x, in, BK_CENTRE_INCONNU, 2, "centre_id");
	in[2].centre_id = 0;
	refused(x, in, BK_CENTRE_INCONNU, 2, "centre_id");
	in[2].centre_id = x->centre;

	snprintf(in[1].s.category, sizeof(in[1].s.category), "Z");
	refused(x, in, BK_PARAMETRE_INVALIDE, 1, "category");
	snprintf(in[1].s.category, sizeof(in[1].s.category), "BE");

	in[2].s.start_at = FX_T0; /* now is already the past */
	refused(x, in, BK_PARAMETRE_INVALIDE, 2, "start_at");
	in[2].s.start_at = FX_T0 + 24 * HOUR;

	in[0].s.published_at = in[0].s.start_at + 1;
	refused(x, in, BK_PARAMETRE_INVALIDE, 0, "published_at");
	in[0].s.published_at = in[0].s.start_at; /* may equal the start */

	snprintf(in[1].inspector, sizeof(in[1].inspector), "Jean Dupont");
	refused(x, in, BK_PARAMETRE_INVALIDE, 1, "inspector");
	in[1].inspector[0] = '\0';
	refused(x, in, BK_PARAMETRE_INVALIDE, 1, "inspector");
	snprintf(in[1].inspector, sizeof(in[1].inspector), "A-1");

	/* 1..500 per call. */
	assert_int_equal(svc_slots_publish(&x->s, &x->who, in, 0, FX_T0, ids,
			     &f),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(svc_slots_publish(&x->s, &x->who, in,
			     AUTHORITY_SLOTS_MAX + 1, FX_T0, ids, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(svc_slots_publish(&x->s, &x->who, in, 3, FX_T0, ids,
			     &f),
	    BK_OK);
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM slots"), 3);
}

static void
test_publish_500(void **state)
{
	struct fx *x = *state;
	static struct store_slot in[AUTHORITY_SLOTS_MAX];
	static int64_t ids[AUTHORITY_SLOTS_MAX];
	struct svc_fault f = { 0, NULL, NULL };
	int i;

	for (i = 0; i < AUTHORITY_SLOTS_MAX; i++)
		slot(&in[i], x->centre, FX_T0 + (i + 1) * HOUR);
	in[AUTHORITY_SLOTS_MAX - 1].s.start_at = FX_T0 - HOUR;
	assert_int_equal(svc_slots_publish(&x->s, &x->who, in,
			     AUTHORITY_SLOTS_MAX, FX_T0, ids, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(f.index, AUTHORITY_SLOTS_MAX - 1);
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM slots"), 0);
	in[AUTHORITY_SLOTS_MAX - 1].s.start_at = FX_T0 + HOUR;
	assert_int_equal(svc_slots_publish(&x->s, &x->who, in,
			     AUTHORITY_SLOTS_MAX, FX_T0, ids, &f),
	    BK_OK);
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM slots"),
	    AUTHORITY_SLOTS_MAX);
}

static void
test_withdraw(void **state)
{
	struct fx *x = *state;
	struct store_slot in[3], out;
	struct svc_fault f = { 0, NULL, NULL };
	int64_t ids[3], start = FX_T0 + 24 * HOUR;
	int i;

	for (i = 0; i < 3; i++)
		slot(&in[i], x->centre, start);
	assert_int_equal(svc_slots_publish(&x->s, &x->who, in, 3, FX_T0, ids,
			     &f),
	    BK_OK);
	assert_int_equal(authfx_rows(x->f,
			     "UPDATE slots SET state = 'held' WHERE id = 2"
			     " RETURNING id"),
	    1);
	assert_int_equal(authfx_rows(x->f,
			     "UPDATE slots SET state = 'booked' WHERE id = 3"
			     " RETURNING id"),
	    1);

	assert_int_equal(svc_slot_withdraw(&x->s, &x->who, 99, FX_T0, &out),
	    BK_CRENEAU_INCONNU);
	assert_int_equal(svc_slot_withdraw(&x->s, &x->who, ids[1], FX_T0, &out),
	    BK_CRENEAU_DEJA_RESERVE);
	assert_int_equal(svc_slot_withdraw(&x->s, &x->who, ids[2], FX_T0, &out),
	    BK_CRENEAU_DEJA_RESERVE);
	/* The past is frozen: at its start a free slot stays free. */
	assert_int_equal(svc_slot_withdraw(&x->s, &x->who, ids[0], start, &out),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(svc_slot_withdraw(&x->s, &x->who, ids[1], start + 1,
			     &out),
	    BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(audits(x, "slot.withdraw"), 0);

	assert_int_equal(svc_slot_withdraw(&x->s, &x->who, ids[0], start - 1,
			     &out),
	    BK_OK);
	assert_int_equal(out.s.state, SLOT_CANCELLED);
	assert_int_equal(out.s.id, ids[0]);
	assert_int_equal(audits(x, "slot.withdraw"), 1);
	/* Again: done already, nothing more written. */
	assert_int_equal(svc_slot_withdraw(&x->s, &x->who, ids[0], FX_T0, &out),
	    BK_OK);
	assert_int_equal(audits(x, "slot.withdraw"), 1);
	assert_int_equal(authfx_rows(x->f,
			     "SELECT id FROM slots WHERE state = 'cancelled'"),
	    1);
}

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
test_coefficients(void **state)
{
	struct fx *x = *state;
	struct quota_coefficient q[2] = { coef("44", "B", 202612, 550),
		coef("85", "B", 202612, 450) };
	struct store_conn *c = store_conn(x->f->st);
	struct svc_fault f = { 0, NULL, NULL };
	int64_t centi = 0;

	q[1].month = 202613;
	assert_int_equal(svc_coefficients_set(&x->s, &x->who, q, 2, FX_T0, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(f.index, 1);
	assert_string_equal(f.field, "month");
	q[1].month = 202612;
	q[1].centi = AUTHORITY_COEFFICIENT_MAX_CENTI + 1;
	assert_int_equal(svc_coefficients_set(&x->s, &x->who, q, 2, FX_T0, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(f.field, "coefficient");
	q[1].centi = 450;
	snprintf(q[0].department, sizeof(q[0].department), "99");
	assert_int_equal(svc_coefficients_set(&x->s, &x->who, q, 2, FX_T0, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(f.index, 0);
	assert_string_equal(f.field, "department");
	snprintf(q[0].department, sizeof(q[0].department), "44");
	snprintf(q[0].category, sizeof(q[0].category), "b");
	assert_int_equal(svc_coefficients_set(&x->s, &x->who, q, 2, FX_T0, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(f.field, "category");
	snprintf(q[0].category, sizeof(q[0].category), "B");
	assert_int_equal(authfx_rows(x->f, "SELECT month FROM coefficients"),
	    0);

	assert_int_equal(svc_coefficients_set(&x->s, &x->who, q, 2, FX_T0, &f),
	    BK_OK);
	assert_int_equal(audits(x, "coefficients.set"), 1);
	assert_int_equal(store_coefficient_get(x->f->st, c, "44", "B", 202612,
			     &centi),
	    0);
	assert_int_equal(centi, 550);
	/* Not set for January: the default applies. */
	assert_int_equal(store_coefficient_get(x->f->st, c, "44", "B", 202701,
			     &centi),
	    1);
	assert_int_equal(quota_coefficient(&x->r, NULL, 0, "44", "B", 202701),
	    500);
	/* The quota of rule 3 with 1.5 ETP at 5.5: floor(8.25) = 8. */
	assert_int_equal(quota_places(150, 550), 8);
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
test_establishments(void **state)
{
	struct fx *x = *state;
	struct authority_establishments *e = calloc(1, sizeof(*e));
	struct authority_establishments *got = calloc(1, sizeof(*got));
	struct store_conn *c = store_conn(x->f->st);
	struct svc_fault f = { 0, NULL, NULL };
	int64_t school, sum = 0;

	assert_non_null(e);
	assert_non_null(got);
	assert_int_equal(svc_school_of(&x->s, x->f->org, FX_T0, &school), 0);
	snprintf(e->depts[0], BK_DEPARTMENT_MAX, "44");
	snprintf(e->depts[1], BK_DEPARTMENT_MAX, "85");
	e->ndepts = 2;
	e->trainers[0] = etp("acct-1", "44", "B", 100);
	e->trainers[1] = etp("acct-2", "44", "B", 50);
	e->trainers[2] = etp("acct-2", "49", "B", 50);
	e->ntrainers = 3;
	/* A trainer's department must be one of the school's. */
	assert_int_equal(svc_establishments_set(&x->s, &x->who, school,
			     x->f->org, e, FX_T0, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(f.index, 2);
	assert_string_equal(f.field, "department");
	e->trainers[2] = etp("acct-2", "44", "B", 25);
	assert_int_equal(svc_establishments_set(&x->s, &x->who, school,
			     x->f->org, e, FX_T0, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(f.field, "trainer"); /* twice the same row */
	e->trainers[2] = etp("acct-2", "85", "B", 101);
	assert_int_equal(svc_establishments_set(&x->s, &x->who, school,
			     x->f->org, e, FX_T0, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(f.field, "etp");
	e->trainers[2] = etp("acct 2", "85", "B", 25);
	assert_int_equal(svc_establishments_set(&x->s, &x->who, school,
			     x->f->org, e, FX_T0, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(f.field, "trainer");
	snprintf(e->depts[1], BK_DEPARTMENT_MAX, "44");
	assert_int_equal(svc_establishments_set(&x->s, &x->who, school,
			     x->f->org, e, FX_T0, &f),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(f.index, 1);
	assert_string_equal(f.field, "departments");
	snprintf(e->depts[1], BK_DEPARTMENT_MAX, "85");
	assert_int_equal(authfx_rows(x->f, "SELECT school_id FROM trainer_etp"),
	    0);
	assert_int_equal(authfx_rows(x->f,
			     "SELECT school_id FROM school_departments"),
	    0);

	e->trainers[2] = etp("acct-2", "85", "B", 25);
	assert_int_equal(svc_establishments_set(&x->s, &x->who, school,
			     x->f->org, e, FX_T0, &f),
	    BK_OK);
	assert_int_equal(audits(x, "school.establishments"), 1);
	assert_int_equal(store_school_etp(x->f->st, c, school, "44", "B", &sum),
	    0);
	assert_int_equal(sum, 150);
	assert_int_equal(svc_establishments_get(&x->s, school, got), 0);
	assert_int_equal(got->ndepts, 2);
	assert_int_equal(got->ntrainers, 3);
	assert_string_equal(got->trainers[2].department, "85");

	/* Replaced as a whole: a school may lose an establishment. */
	e->ndepts = 1;
	e->ntrainers = 1;
	assert_int_equal(svc_establishments_set(&x->s, &x->who, school,
			     x->f->org, e, FX_T0, &f),
	    BK_OK);
	assert_int_equal(store_school_etp(x->f->st, c, school, "44", "B", &sum),
	    0);
	assert_int_equal(sum, 100);
	assert_int_equal(svc_establishments_get(&x->s, school, got), 0);
	assert_int_equal(got->ndepts, 1);
	assert_int_equal(got->ntrainers, 1);
	free(e);
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_centre_create, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_publish, setup, teardown),
		cmocka_unit_test_setup_teardown(test_publish_all_or_nothing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_publish_500, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_withdraw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_coefficients, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_establishments, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
