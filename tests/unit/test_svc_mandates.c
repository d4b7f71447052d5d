/*
 * test_svc_mandates.c - rule 1 of RULES.md through the mandate services:
 * each code (CANDIDAT_INCONNU, CANDIDAT_DEJA_SOUS_MON_MANDAT,
 * CANDIDAT_DEJA_SOUS_MANDAT), revocation ending the school's access at
 * once, a new school revoking the old one, and the expiry job.
 */
#include "candfx.h"

#include "booking/mandate.h"
#include "service/mandates.h"
#include "store/mandates.h"

#define MONTH_MS (31 * BK_DAY_MS)

static int
create(struct candfx *x, const struct svc_actor *who, int64_t school,
    const char *neph, const char *last, const char *first, const char *category,
    struct mandate *m)
{
	struct svc_mandate_claim claim = { neph, last, first, category };

	return svc_mandate_create(&x->s, who, school, &claim, FX_T0, m);
}

static int64_t
rows(struct candfx *x, const char *sql)
{
	return authfx_rows(x->f, sql);
}

static void
test_create_codes(void **state)
{
	struct candfx *x = *state;
	struct mandate m;

	candfx_registry(x);
	assert_int_equal(create(x, &x->who_a, x->school_a, CFX_NEPH, "Martin",
			     "Léa Marie", "B", &m),
	    BK_OK);
	assert_int_equal(m.state, MANDATE_ACTIVE);
	assert_int_equal(m.activated_at, FX_T0);
	assert_int_equal(m.expires_at, mandate_expiry(&x->r, FX_T0));
	assert_int_equal(m.candidate_id, candfx_id(x, CFX_NEPH, "B"));
	assert_int_equal(rows(x,
			     "SELECT id FROM mandates WHERE state = 'active'"
			     " AND origin = 'school'"),
	    1);
	/* Unknown: wrong name, unknown NEPH, another category. */
	assert_int_equal(create(x, &x->who_b, x->school_b, CFX_NEPH, "Martine",
			     "Léa Marie", "B", &m),
	    BK_CANDIDAT_INCONNU);
	assert_int_equal(create(x, &x->who_b, x->school_b, CFX_NEPH, "Martin",
			     "Léa", "B", &m),
	    BK_CANDIDAT_INCONNU);
	assert_int_equal(create(x, &x->who_b, x->school_b, "999999999999",
			     "Martin", "Léa Marie", "B", &m),
	    BK_CANDIDAT_INCONNU);
	assert_int_equal(create(x, &x->who_b, x->school_b, CFX_NEPH, "Martin",
			     "Léa Marie", "A", &m),
	    BK_CANDIDAT_INCONNU);
	/* Already under a mandate: one's own, another school's. */
	assert_int_equal(create(x, &x->who_a, x->school_a, CFX_NEPH, "Martin",
			     "Léa Marie", "B", &m),
	    BK_CANDIDAT_DEJA_SOUS_MON_MANDAT);
	assert_int_equal(create(x, &x->who_b, x->school_b, CFX_NEPH, "Martin",
			     "Léa Marie", "B", &m),
	    BK_CANDIDAT_DEJA_SOUS_MANDAT);
	/* Refusals wrote nothing. */
	assert_int_equal(rows(x, "SELECT id FROM mandates"), 1);
	assert_int_equal(rows(x,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'mandate.create'"),
	    1);
	/* No account linked: nobody to tell. */
	assert_int_equal(rows(x,
			     "SELECT id FROM notifications WHERE kind ="
			     " 'mandate.created'"),
	    0);
}

struct seen {
	int n, named;
};

static int
count_view(void *arg, const struct svc_mandate_view *v)
{
	struct seen *s = arg;

	s->n++;
	if (v->has_identity) {
		assert_string_equal(v->neph, CFX_NEPH);
		s->named++;
	}
	return 0;
}

static void
test_revocation(void **state)
{
	struct candfx *x = *state;
	struct svc_candidate cand;
	struct svc_actor me = { NULL, NULL, NULL, NULL };
	char acc[AUTH_ID_HEX], other[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];
	char trainer[AUTH_ID_HEX], sql[256];
	struct seen seen = { 0, 0 };
	struct mandate m;
	int64_t lea;

	candfx_registry(x);
	lea = candfx_id(x, CFX_NEPH, "B");
	authfx_account(x->f, "lea@exemple.fr", "Léa Martin", "candidate", acc,
	    pw);
	authfx_account(x->f, "hugo@exemple.fr", "Hugo Durand", "candidate",
	    other, pw);
	authfx_account(x->f, "formation@dupont.example", "Fanny", "trainer",
	    trainer, pw);
	assert_int_equal(svc_candidate_link_account(&x->s, lea, acc), 0);
	assert_int_equal(create(x, &x->who_a, x->school_a, CFX_NEPH, "Martin",
			     "Léa Marie", "B", &m),
	    BK_OK);
	/* The candidate is told. */
	assert_int_equal(rows(x,
			     "SELECT id FROM notifications WHERE kind ="
			     " 'mandate.created'"),
	    1);
	assert_int_equal(svc_candidate_assign(&x->s, &x->who_a, x->school_a,
			     lea, trainer, FX_T0 + 10),
	    BK_OK);
	assert_int_equal(svc_mandates_of_account(&x->s, acc, FX_T0 + 10,
			     count_view, &seen),
	    0);
	assert_int_equal(seen.n, 1);
	/* Only the candidate revokes its own mandates. */
	me.account_id = other;
	assert_int_equal(svc_mandate_revoke(&x->s, &me, m.id, FX_T0 + 20),
	    SVC_MANDATE_UNKNOWN);
	assert_int_equal(svc_mandate_revoke(&x->s, &me, 999, FX_T0 + 20),
	    SVC_MANDATE_UNKNOWN);
	me.account_id = acc;
	assert_int_equal(svc_mandate_revoke(&x->s, &me, m.id, FX_T0 + 20),
	    BK_OK);
	/* At once: no read, no list, no assignment left. */
	assert_int_equal(svc_candidate_get(&x->s, x->school_a, lea, FX_T0 + 20,
			     &cand),
	    BK_CANDIDAT_INCONNU);
	assert_int_equal(rows(x, "SELECT candidate_id FROM candidate_trainers"),
	    0);
	assert_int_equal(svc_candidate_assign(&x->s, &x->who_a, x->school_a,
			     lea, trainer, FX_T0 + 30),
	    BK_CANDIDAT_PAS_SOUS_MANDAT);
	seen.n = seen.named = 0;
	assert_int_equal(svc_mandates_of_school(&x->s, x->school_a, NULL,
			     FX_T0 + 30, count_view, &seen),
	    0);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.named, 0); /* no names once revoked */
	seen.n = 0;
	assert_int_equal(svc_mandates_of_school(&x->s, x->school_a, "active",
			     FX_T0 + 30, count_view, &seen),
	    0);
	assert_int_equal(seen.n, 0);
	/* The school is told, and the candidate too (in-app and by email,
	 * with the mandate's number); a second revocation is refused. */
	assert_int_equal(rows(x,
			     "SELECT id FROM notifications WHERE kind ="
			     " 'mandate.revoked'"),
	    2);
	snprintf(sql, sizeof(sql),
	    "SELECT id FROM notifications WHERE kind = 'mandate.revoked'"
	    " AND account_id = '%s' AND params LIKE '%%\"mandate_id\":%lld%%'",
	    acc, (long long)m.id);
	assert_int_equal(rows(x, sql), 1);
	assert_int_equal(svc_mandate_revoke(&x->s, &me, m.id, FX_T0 + 40),
	    BK_CANDIDAT_PAS_SOUS_MANDAT);
	/* The school may ask again. */
	assert_int_equal(create(x, &x->who_a, x->school_a, CFX_NEPH, "Martin",
			     "Léa Marie", "B", &m),
	    BK_OK);
}

static void
test_new_school_revokes_old(void **state)
{
	struct candfx *x = *state;
	struct svc_candidate cand;
	struct svc_actor me = { NULL, NULL, NULL, NULL };
	char acc[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];
	struct mandate old, m;
	int64_t lea;

	candfx_registry(x);
	lea = candfx_id(x, CFX_NEPH, "B");
	authfx_account(x->f, "lea@exemple.fr", "Léa Martin", "candidate", acc,
	    pw);
	me.account_id = acc;
	/* Not linked yet: the candidate has no registry row. */
	assert_int_equal(svc_mandate_choose(&x->s, &me, x->org_b, "B",
			     FX_T0 + 10, &m),
	    BK_CANDIDAT_INCONNU);
	assert_int_equal(svc_candidate_link_account(&x->s, lea, acc), 0);
	assert_int_equal(create(x, &x->who_a, x->school_a, CFX_NEPH, "Martin",
			     "Léa Marie", "B", &old),
	    BK_OK);
	assert_int_equal(svc_mandate_choose(&x->s, &me, "no-such-org", "B",
			     FX_T0 + 10, &m),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(svc_mandate_choose(&x->s, &me, x->f->org, "B",
			     FX_T0 + 10, &m),
	    BK_CANDIDAT_DEJA_SOUS_MON_MANDAT);
	assert_int_equal(svc_mandate_choose(&x->s, &me, x->org_b, "A",
			     FX_T0 + 10, &m),
	    BK_CANDIDAT_INCONNU);
	assert_int_equal(svc_mandate_choose(&x->s, &me, x->org_b, "B",
			     FX_T0 + 10, &m),
	    BK_OK);
	assert_int_equal(m.school_id, x->school_b);
	assert_int_equal(m.state, MANDATE_ACTIVE);
	assert_int_equal(store_mandate_get(x->f->st, store_conn(x->f->st),
			     old.id, &old),
	    0);
	assert_int_equal(old.state, MANDATE_REVOKED);
	assert_int_equal(old.ended_at, FX_T0 + 10);
	assert_int_equal(svc_candidate_get(&x->s, x->school_a, lea, FX_T0 + 10,
			     &cand),
	    BK_CANDIDAT_INCONNU);
	assert_int_equal(svc_candidate_get(&x->s, x->school_b, lea, FX_T0 + 10,
			     &cand),
	    BK_OK);
	/* The old school is told of the revocation, the new of the
	 * mandate. */
	assert_int_equal(rows(x,
			     "SELECT n.id FROM notifications n JOIN accounts a"
			     " ON a.id = n.account_id WHERE n.kind ="
			     " 'mandate.revoked' AND a.org_id = (SELECT org_id"
			     " FROM schools WHERE id = 1)"),
	    1);
	assert_int_equal(rows(x,
			     "SELECT id FROM notifications WHERE kind ="
			     " 'mandate.created' AND org_id IS NOT NULL"),
	    1);
	assert_int_equal(rows(x,
			     "SELECT id FROM mandates WHERE origin ="
			     " 'candidate' AND state = 'active'"),
	    1);
}

static void
test_expiry_job(void **state)
{
	struct candfx *x = *state;
	struct svc_candidate cand;
	struct seen seen = { 0, 0 };
	static char csv[(SVC_EXPIRE_BATCH + 2) * 64];
	char line[64], neph[16];
	struct mandate m;
	int64_t lea, later;
	long n = -1;
	int i;

	/* One more than a batch, so the job needs two transactions. */
	csv[0] = '\0';
	unit_append(csv, sizeof(csv), CFX_HEADER);
	for (i = 0; i <= SVC_EXPIRE_BATCH; i++) {
		snprintf(line, sizeof(line), "%012d;Nom;Prénom;B;manual;\n",
		    100000 + i);
		unit_append(csv, sizeof(csv), line);
	}
	assert_int_equal(candfx_import(x, csv, FX_T0), 0);
	for (i = 0; i <= SVC_EXPIRE_BATCH; i++) {
		snprintf(neph, sizeof(neph), "%012d", 100000 + i);
		assert_int_equal(create(x, &x->who_a, x->school_a, neph, "Nom",
				     "Prénom", "B", &m),
		    BK_OK);
	}
	lea = m.candidate_id;
	later = m.expires_at;
	/* Before the date: nothing. */
	assert_int_equal(svc_mandates_expire(&x->s, later - 1, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(svc_candidate_get(&x->s, x->school_a, lea, later - 1,
			     &cand),
	    BK_OK);
	/* Past the date the rule already refuses, before the job runs. */
	assert_int_equal(svc_candidate_get(&x->s, x->school_a, lea, later,
			     &cand),
	    BK_CANDIDAT_INCONNU);
	assert_int_equal(svc_mandates_expire(&x->s, later, &n), 0);
	assert_int_equal(n, SVC_EXPIRE_BATCH + 1);
	assert_int_equal(rows(x,
			     "SELECT id FROM mandates WHERE state = 'expired'"),
	    SVC_EXPIRE_BATCH + 1);
	assert_int_equal(rows(x,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'mandate.expire'"),
	    SVC_EXPIRE_BATCH + 1);
	assert_int_equal(rows(x,
			     "SELECT id FROM notifications WHERE kind ="
			     " 'mandate.expired'"),
	    SVC_EXPIRE_BATCH + 1);
	assert_int_equal(svc_mandates_of_school(&x->s, x->school_a, "expired",
			     later, count_view, &seen),
	    0);
	assert_int_equal(seen.n, SVC_EXPIRE_BATCH + 1);
	assert_int_equal(seen.named, 0);
	/* Run again: nothing left. */
	assert_int_equal(svc_mandates_expire(&x->s, later + MONTH_MS, &n), 0);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_codes, candfx_setup,
		    candfx_teardown),
		cmocka_unit_test_setup_teardown(test_revocation, candfx_setup,
		    candfx_teardown),
		cmocka_unit_test_setup_teardown(test_new_school_revokes_old,
		    candfx_setup, candfx_teardown),
		cmocka_unit_test_setup_teardown(test_expiry_job, candfx_setup,
		    candfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
