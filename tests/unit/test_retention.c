/*
 * test_retention.c - src/gdpr/retention.c: the real data map's rules
 * applied at a simulated time remove exactly the old journal entries,
 * throttling rows, ended grants and audit entries; the report counts them
 * per rule and category, lists the rules with no purger yet and the legal
 * holds; the audit chain still verifies; a second run removes nothing.
 */
#include "authfx.h"

#include "appkeys.h"
#include "audit/audit.h"
#include "auth/grant.h"
#include "auth/journal.h"
#include "auth/throttle.h"
#include "booking/caltime.h"
#include "gdpr/datamap.h"
#include "gdpr/retention.h"

/* The run: 2031-03-15T00:00:00Z; 12 months before: 2030-03-15. */
#define NOW_MS caltime_utc_ms(2031, 3, 15, 0, 0)
#define CUT_MS caltime_utc_ms(2030, 3, 15, 0, 0)

struct rfx {
	struct authfx fx; /* first: authfx_setup's state */
	struct datamap *map;
	struct app_keys keys;
	unsigned char sk[64], pk[32];
	char keypath[160];
};

static int
setup(void **state)
{
	struct authfx *f;
	struct rfx *r;
	char err[256];

	if (authfx_setup(state) != 0)
		return -1;
	f = *state;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return -1;
	memcpy(&r->fx, f, sizeof(*f));
	sodium_memzero(f, sizeof(*f));
	free(f);
	r->fx.a.audit_key = &r->fx.audit_key;
	*state = r;
	snprintf(r->keypath, sizeof(r->keypath), "%s/audit.key", r->fx.dir);
	if (audit_signing_key(r->keypath, 1, r->sk, r->pk, err, sizeof(err)) !=
	    0)
		return -1;
	r->keys.keystore = r->fx.ks;
	r->keys.audit = &r->fx.audit_key;
	r->keys.audit_sk = r->sk;
	r->map = datamap_load("config/datamap.ini", err, sizeof(err));
	if (r->map == NULL || datamap_validate(r->map, err, sizeof(err)) != 0) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	struct rfx *r = *state;

	if (r == NULL)
		return 0;
	datamap_free(r->map);
	sodium_memzero(r->sk, sizeof(r->sk));
	store_free(r->fx.st);
	keystore_free(r->fx.ks);
	keyring_free(r->fx.kr);
	unit_rmdir(r->fx.dir);
	sodium_memzero(r, sizeof(*r));
	free(r);
	return 0;
}

static void
ctx_init(struct rfx *r, struct retention_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->st = r->fx.st;
	ctx->auth = &r->fx.a;
	ctx->keys = &r->keys;
	ctx->simulated = 1;
}

struct rec {
	struct authfx *f;
	int64_t at;
};

static int
rec_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct rec *x = arg;

	(void)st;
	return journal_record(&x->f->a, c, NULL, NULL, JOURNAL_FAILURE,
	    "192.0.2.1", "UA/1", x->at);
}

static void
journal_at(struct authfx *f, int64_t at)
{
	struct rec x = { f, at };

	assert_int_equal(store_tx(f->st, 1, rec_tx, &x), 0);
}

struct thr {
	const char *key;
	int64_t at;
};

static int
thr_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct thr *t = arg;
	struct throttle_keys k;

	memset(&k, 0, sizeof(k));
	snprintf(k.account, sizeof(k.account), "%s", t->key);
	return throttle_begin(st, c, &k, t->at, NULL) < 0 ? -1 : 0;
}

static void
throttle_at(struct authfx *f, const char *key, int64_t at)
{
	struct thr t = { key, at };

	assert_int_equal(store_tx(f->st, 1, thr_tx, &t), 0);
}

static void
audit_at(struct authfx *f, int64_t at)
{
	struct audit_entry e;

	memset(&e, 0, sizeof(e));
	e.action = "test.event";
	e.details = "{\"n\":1}";
	assert_int_equal(audit_record(f->st, &f->audit_key, at, &e), 0);
}

static const struct retention_rule_result *
rule_of(const struct retention_report *rep, const char *id)
{
	size_t i;

	for (i = 0; i < rep->nrules; i++)
		if (strcmp(rep->rules[i].rule, id) == 0)
			return &rep->rules[i];
	fail_msg("rule %s not in the report", id);
	return NULL;
}

static long
category_of(const struct retention_report *rep, const char *id)
{
	size_t i;

	for (i = 0; i < rep->ncategories; i++)
		if (strcmp(rep->categories[i].category, id) == 0)
			return rep->categories[i].removed;
	return -1;
}

static int64_t
count_before(struct authfx *f, const char *table, const char *col, int64_t cut)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE %s < %lld", table,
	    col, (long long)cut);
	return authfx_rows(f, sql);
}

static void
test_run(void **state)
{
	struct rfx *r = *state;
	struct authfx *f = &r->fx;
	struct retention_report *rep = calloc(1, sizeof(*rep));
	struct retention_ctx ctx;
	struct audit_verify_result vr;
	char admin[AUTH_ID_HEX], user[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];
	int64_t old_audit, j_total, a_total;

	assert_non_null(rep);
	authfx_account(f, "admin@example.fr", "A", "school_admin", admin, pw);
	authfx_account(f, "user@example.fr", "U", "trainer", user, pw);

	/* Journal: two old entries, one at the cutoff, one young. */
	journal_at(f, FX_T0 + 3600 * 1000);
	journal_at(f, CUT_MS - 1000);
	journal_at(f, CUT_MS);
	journal_at(f, caltime_utc_ms(2030, 6, 1, 0, 0));

	/* Throttling: one key idle two days, one failing an hour ago. */
	throttle_at(f, "account:old", NOW_MS - 2 * AUTH_DAY_MS);
	throttle_at(f, "account:young", NOW_MS - 3600 * 1000);

	/* Grants: one ended last year, one still running. */
	authfx_grant_row(f, user, f->org, "journal.read", FX_T0,
	    FX_T0 + AUTH_DAY_MS);
	/* Audit: old and young entries around the cutoff. */
	audit_at(f, CUT_MS - 1);
	audit_at(f, CUT_MS + 1);
	authfx_grant_row(f, user, f->org, "audit.read", NOW_MS - AUTH_DAY_MS,
	    NOW_MS + 10 * AUTH_DAY_MS);

	/* Audit: young entries (the trail is appended in time order:
	 * retention removes a prefix). */
	audit_at(f, NOW_MS - 1000);
	old_audit = count_before(f, "audit_log", "at", CUT_MS);
	assert_true(old_audit >= 4); /* org, accounts, grant, entry */
	j_total = authfx_rows(f, "SELECT 1 FROM login_journal");
	a_total = authfx_rows(f, "SELECT 1 FROM audit_log");

	ctx_init(r, &ctx);
	assert_int_equal(retention_run(&ctx, r->map, NOW_MS, rep), 0);

	/* Exactly the old ones are gone. */
	assert_int_equal(authfx_rows(f, "SELECT 1 FROM login_journal"),
	    j_total - 2);
	assert_int_equal(count_before(f, "login_journal", "at", CUT_MS), 0);
	assert_int_equal(authfx_rows(f, "SELECT 1 FROM throttle"), 1);
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM throttle WHERE key = "
			     "'account:young'"),
	    1);
	assert_int_equal(authfx_rows(f, "SELECT 1 FROM grants"), 1);
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM grants WHERE permission = "
			     "'audit.read'"),
	    1);
	assert_int_equal(count_before(f, "audit_log", "at", CUT_MS), 0);
	/* + audit.purge and retention.run entries. */
	assert_int_equal(authfx_rows(f, "SELECT 1 FROM audit_log"),
	    a_total - old_audit + 2);

	/* The report. */
	assert_int_equal(rep->failures, 0);
	assert_true(rep->report_id > 0);
	assert_int_equal(rule_of(rep, "host_data")->status, RETENTION_APPLIED);
	assert_int_equal(rule_of(rep, "host_data")->removed, 2 + 1);
	assert_int_equal(rule_of(rep, "host_data")->cutoff_ms, CUT_MS);
	assert_int_equal(rule_of(rep, "audit_trail")->status,
	    RETENTION_APPLIED);
	assert_int_equal(rule_of(rep, "audit_trail")->removed, old_audit);
	assert_int_equal(rule_of(rep, "pro_account")->status,
	    RETENTION_APPLIED);
	assert_int_equal(rule_of(rep, "pro_account")->removed, 1);
	assert_int_equal(rule_of(rep, "candidate_identity")->status,
	    RETENTION_APPLIED);
	assert_int_equal(rule_of(rep, "candidate_identity")->removed, 0);
	assert_int_equal(rule_of(rep, "pedagogical_data")->status,
	    RETENTION_NOT_YET);
	assert_int_equal(rule_of(rep, "dossier_documents")->status,
	    RETENTION_APPLIED);
	assert_int_equal(rule_of(rep, "cookie_consent")->status,
	    RETENTION_NOT_YET);
	assert_int_equal(rule_of(rep, "commercial_documents")->status,
	    RETENTION_HELD);
	assert_int_equal(rep->nrules, r->map->nretentions);
	assert_int_equal(rep->total, 2 + 1 + 1 + old_audit);
	assert_int_equal(category_of(rep, "throttle_key"), 1);
	assert_int_equal(category_of(rep, "account_ref"), 1);
	assert_int_equal(category_of(rep, "audit_details"), old_audit);
	assert_int_equal(category_of(rep, "connection_data"), 2 + old_audit);
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM purge_reports WHERE simulated = 1"
			     " AND report LIKE '%\"host_data\"%'"),
	    1);
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM audit_log WHERE action = "
			     "'retention.run' AND target_type = "
			     "'purge_report'"),
	    1);
	/* No data in the report: no address, no user agent. */
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM purge_reports WHERE report LIKE "
			     "'%192.0.2%' OR report LIKE '%UA/1%'"),
	    0);
	memset(&vr, 0, sizeof(vr));
	assert_int_equal(audit_verify(f->st, r->pk, &vr), 0);

	/* Idempotent: nothing more, but a report all the same. */
	assert_int_equal(retention_run(&ctx, r->map, NOW_MS, rep), 0);
	assert_int_equal(rep->total, 0);
	assert_int_equal(authfx_rows(f, "SELECT 1 FROM purge_reports"), 2);
	assert_int_equal(authfx_rows(f, "SELECT 1 FROM login_journal"),
	    j_total - 2);
	assert_int_equal(authfx_rows(f, "SELECT 1 FROM grants"), 1);
	assert_int_equal(authfx_rows(f, "SELECT 1 FROM throttle"), 1);
	assert_int_equal(audit_verify(f->st, r->pk, &vr), 0);
	free(rep);
}

/* [audit] retention_days, when set, decides the audit trail's cutoff. */
static void
test_audit_days(void **state)
{
	struct rfx *r = *state;
	struct retention_report *rep = calloc(1, sizeof(*rep));
	struct retention_ctx ctx;
	struct audit_verify_result vr;
	size_t i;

	assert_non_null(rep);
	audit_at(&r->fx, NOW_MS - 40 * AUTH_DAY_MS);
	audit_at(&r->fx, NOW_MS - 20 * AUTH_DAY_MS);
	ctx_init(r, &ctx);
	ctx.audit_retention_days = 30;
	assert_int_equal(retention_run(&ctx, r->map, NOW_MS, rep), 0);
	for (i = 0; i < rep->npurges; i++)
		if (strcmp(rep->purges[i].purger->rule, "audit_trail") == 0)
			assert_int_equal(rep->purges[i].cutoff_ms,
			    NOW_MS - 30 * AUTH_DAY_MS);
	assert_int_equal(count_before(&r->fx, "audit_log", "at",
			     NOW_MS - 30 * AUTH_DAY_MS),
	    0);
	assert_int_equal(count_before(&r->fx, "audit_log", "at",
			     NOW_MS - 10 * AUTH_DAY_MS),
	    1);
	assert_int_equal(audit_verify(r->fx.st, r->pk, &vr), 0);
	free(rep);
}

/* Months are calendar months in UTC; days are days. */
static void
test_cutoff(void **state)
{
	struct datamap_duration m1 = { 1, 1, DATAMAP_MONTHS };
	struct datamap_duration m12 = { 1, 12, DATAMAP_MONTHS };
	struct datamap_duration d30 = { 1, 30, DATAMAP_DAYS };
	struct datamap_duration zero = { 1, 0, DATAMAP_DAYS };
	int64_t t = caltime_utc_ms(2031, 3, 31, 12, 30);

	(void)state;
	assert_int_equal(retention_cutoff(&m1, t),
	    caltime_utc_ms(2031, 2, 28, 12, 30));
	assert_int_equal(retention_cutoff(&m12, t),
	    caltime_utc_ms(2030, 3, 31, 12, 30));
	assert_int_equal(retention_cutoff(&m12,
			     caltime_utc_ms(2032, 2, 29, 0, 0)),
	    caltime_utc_ms(2031, 2, 28, 0, 0));
	assert_int_equal(retention_cutoff(&d30, t), t - 30 * AUTH_DAY_MS);
	assert_int_equal(retention_cutoff(&zero, t), t);
}

/* Every purger names a rule and categories the real map declares. */
static void
test_registry_matches_map(void **state)
{
	struct rfx *r = *state;
	size_t i, k;

	for (i = 0; i < retention_purgers_count; i++) {
		const struct retention_purger *p = &retention_purgers[i];

		assert_non_null(datamap_retention_find(r->map, p->rule));
		assert_non_null(p->categories[0]);
		for (k = 0;
		     k < RETENTION_MAX_CATEGORIES && p->categories[k] != NULL;
		     k++)
			assert_non_null(
			    datamap_category_find(r->map, p->categories[k]));
	}
}

/* A purger whose rule the map lacks is a failure, not a silent skip. */
static void
test_rule_missing_from_map(void **state)
{
	struct rfx *r = *state;
	struct retention_report *rep = calloc(1, sizeof(*rep));
	struct retention_ctx ctx;
	struct datamap *m = calloc(1, sizeof(*m));

	assert_non_null(rep);
	assert_non_null(m);
	ctx_init(r, &ctx);
	assert_int_equal(retention_run(&ctx, m, NOW_MS, rep), -1);
	assert_true(rep->failures > 0);
	assert_int_equal(rep->total, 0);
	assert_true(rep->report_id > 0); /* reported all the same */
	datamap_free(m);
	free(rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_days, setup,
		    teardown),
		cmocka_unit_test(test_cutoff),
		cmocka_unit_test_setup_teardown(test_registry_matches_map,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_missing_from_map,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
