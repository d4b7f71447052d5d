/*
 * test_booking_purge.c - src/gdpr/booking_purge.c and src/gdpr/inactivity.c
 * through the retention engine and the real data map: each booking rule
 * run just before and just past its limit removes exactly what the rule
 * says and nothing else: closed candidate files shredded 4 months after
 * closing, exams purged 4 months after their result, notifications after
 * 12 months, inactive accounts warned after 24 months and erased 30 days
 * later, except those under restriction (said in the report).
 */
#include "bookfx.h"

#include "appkeys.h"
#include "audit/audit.h"
#include "gdpr/booking_purge.h"
#include "gdpr/inactivity.h"
#include "gdpr/retention.h"
#include "notify/notify.h"
#include "service/candidates.h"

#define DAY BK_DAY_MS

struct pfx {
	struct bookfx *b;
	struct datamap *map;
	struct app_keys keys;
	unsigned char sk[64], pk[32];
};

static int
setup(void **state)
{
	struct pfx *p = calloc(1, sizeof(*p));
	char err[256], path[200];

	if (p == NULL || bookfx_setup((void **)&p->b) != 0)
		return -1;
	*state = p;
	snprintf(path, sizeof(path), "%s/audit.key", p->b->f->dir);
	if (audit_signing_key(path, 1, p->sk, p->pk, err, sizeof(err)) != 0)
		return -1;
	p->keys.keystore = p->b->f->ks;
	p->keys.audit = &p->b->f->audit_key;
	p->keys.audit_sk = p->sk;
	p->map = datamap_load("config/datamap.ini", err, sizeof(err));
	return p->map == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	struct pfx *p = *state;

	if (p == NULL)
		return 0;
	datamap_free(p->map);
	bookfx_teardown((void **)&p->b);
	sodium_memzero(p, sizeof(*p));
	free(p);
	return 0;
}

/* Runs the retention engine at now; returns the report (free it). */
static struct retention_report *
run_at(struct pfx *p, int64_t now)
{
	struct retention_report *rep = calloc(1, sizeof(*rep));
	struct retention_ctx ctx;
	struct audit_verify_result vr;

	assert_non_null(rep);
	memset(&ctx, 0, sizeof(ctx));
	ctx.st = p->b->f->st;
	ctx.auth = &p->b->f->a;
	ctx.keys = &p->keys;
	ctx.simulated = 1;
	assert_int_equal(retention_run(&ctx, p->map, now, rep), 0);
	memset(&vr, 0, sizeof(vr));
	assert_int_equal(audit_verify(p->b->f->st, p->pk, &vr), 0);
	return rep;
}

static long
removed(const struct retention_report *rep, const char *rule)
{
	size_t i;

	for (i = 0; i < rep->nrules; i++)
		if (strcmp(rep->rules[i].rule, rule) == 0) {
			assert_int_equal(rep->rules[i].status,
			    RETENTION_APPLIED);
			return rep->rules[i].removed;
		}
	fail_msg("rule %s not in the report", rule);
	return -1;
}

static const struct retention_purge_result *
purge_of(const struct retention_report *rep, const char *what)
{
	size_t i;

	for (i = 0; i < rep->npurges; i++)
		if (strcmp(rep->purges[i].purger->what, what) == 0)
			return &rep->purges[i];
	fail_msg("purger %s not in the report", what);
	return NULL;
}

static int64_t __attribute__((format(printf, 2, 3)))
rows(struct pfx *p, const char *fmt, ...)
{
	char sql[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return authfx_rows(p->b->f, sql);
}

static void __attribute__((format(printf, 2, 3)))
exec(struct pfx *p, const char *fmt, ...)
{
	char sql[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	bx_exec(p->b, sql);
}

/* A registry row whose data key exists. */
static int64_t
candidate(struct pfx *p)
{
	int64_t id = bx_candidate(p->b, "B", p->b->school1);
	char owner[AUTH_OWNER_MAX];
	struct data_key k;

	assert_int_equal(svc_candidate_owner(id, owner, sizeof(owner)), 0);
	assert_int_equal(keystore_get(p->b->f->ks, owner, 1, &k), 0);
	sodium_memzero(&k, sizeof(k));
	exec(p,
	    "UPDATE candidates SET neph = x'0102', last_name = x'03'"
	    " WHERE id = %lld",
	    (long long)id);
	return id;
}

static int
shredded(struct pfx *p, int64_t id)
{
	char owner[AUTH_OWNER_MAX];
	int gone;

	assert_int_equal(svc_candidate_owner(id, owner, sizeof(owner)), 0);
	gone = keystore_destroyed(p->b->f->ks, owner) == 1;
	assert_int_equal(gone,
	    rows(p,
		"SELECT 1 FROM candidates WHERE id = %lld AND length(neph) = 0"
		" AND closed_at IS NOT NULL",
		(long long)id));
	return gone;
}

/* An exam of candidate cand in a new slot starting start_at, status
 * status, cancelled_at and result_at (0: NULL). Returns its id. */
static int64_t
exam(struct pfx *p, int64_t cand, int64_t start_at, const char *status,
    int64_t cancelled_at, int64_t result_at)
{
	int64_t slot = bx_slot(p->b, "B", start_at, FX_T0);

	exec(p,
	    "INSERT INTO exams (slot_id, school_id, candidate_id, department,"
	    " category, start_at, month, status, created_at, cancelled_at,"
	    " result_at) VALUES (%lld, %lld, %lld, '44', 'B', %lld, 203001,"
	    " '%s', %lld, NULLIF(%lld, 0), NULLIF(%lld, 0))",
	    (long long)slot, (long long)p->b->school1, (long long)cand,
	    (long long)start_at, status, (long long)FX_T0,
	    (long long)cancelled_at, (long long)result_at);
	return bx_int(p->b, "SELECT MAX(id) FROM exams");
}

static void
test_candidate_identity(void **state)
{
	struct pfx *p = *state;
	int64_t t = BX_NOW, limit = caltime_add_months(t, 4);
	int64_t closed, licensed, open, failing, passed_exam;
	struct retention_report *rep;

	closed = candidate(p);
	exec(p, "UPDATE candidates SET closed_at = %lld WHERE id = %lld",
	    (long long)t, (long long)closed);
	licensed = candidate(p);
	passed_exam = exam(p, licensed, t - DAY, "passed", 0, t);
	open = candidate(p);
	failing = candidate(p);
	exam(p, failing, t - DAY, "failed", 0, t);

	rep = run_at(p, limit - DAY);
	assert_int_equal(removed(rep, "candidate_identity"), 0);
	free(rep);
	assert_false(shredded(p, closed));
	assert_false(shredded(p, licensed));

	rep = run_at(p, limit + DAY);
	assert_int_equal(removed(rep, "candidate_identity"), 2);
	free(rep);
	assert_true(shredded(p, closed));
	assert_true(shredded(p, licensed));
	assert_false(shredded(p, open));
	assert_false(shredded(p, failing));
	/* Its mandate revoked with it; the other candidates' untouched. */
	assert_int_equal(rows(p,
			     "SELECT 1 FROM mandates WHERE candidate_id = %lld"
			     " AND state = 'active'",
			     (long long)licensed),
	    0);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM mandates WHERE candidate_id IN"
			     " (%lld, %lld) AND state = 'active'",
			     (long long)open, (long long)failing),
	    2);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM audit_log WHERE action ="
			     " 'candidate.shred' AND actor IS NULL"),
	    2);
	(void)passed_exam;
	/* Once more: nothing left to do. */
	rep = run_at(p, limit + 2 * DAY);
	assert_int_equal(removed(rep, "candidate_identity"), 0);
	free(rep);
}

static void
test_exam_data(void **state)
{
	struct pfx *p = *state;
	int64_t t = BX_NOW, limit = caltime_add_months(t, 4);
	int64_t cand = candidate(p), recent;
	struct retention_report *rep;

	exam(p, cand, t - DAY, "failed", 0, t);
	exam(p, cand, t + 9 * DAY, "cancelled", t, 0);
	exam(p, cand, t, "booked", 0, 0); /* its result never came */
	recent = exam(p, cand, t + 30 * DAY, "absent", 0, t + 30 * DAY);
	exam(p, cand, limit + 60 * DAY, "booked", 0, 0); /* to come */

	rep = run_at(p, limit - DAY);
	assert_int_equal(purge_of(rep, "exams past their validity")->removed,
	    0);
	assert_int_equal(purge_of(rep, "exams past their validity")->cutoff_ms,
	    caltime_add_months(limit - DAY, -4));
	free(rep);
	assert_int_equal(rows(p, "SELECT 1 FROM exams"), 5);

	rep = run_at(p, limit + DAY);
	assert_int_equal(purge_of(rep, "exams past their validity")->removed,
	    3);
	/* The inspectors of the slots past the same cutoff are emptied
	 * (the day before's at the first run, today's now); later slots
	 * keep theirs. */
	assert_int_equal(purge_of(rep, "inspectors of past slots")->removed, 1);
	free(rep);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM slots WHERE inspector <> ''"
			     " AND start_at <= %lld",
			     (long long)(t + DAY)),
	    0);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM slots WHERE inspector <> ''"
			     " AND start_at >= %lld",
			     (long long)(t + 9 * DAY)),
	    3);
	assert_int_equal(rows(p, "SELECT 1 FROM exams"), 2);
	assert_int_equal(rows(p, "SELECT 1 FROM exams WHERE id = %lld",
			     (long long)recent),
	    1);
	/* The candidate's file is not closed by that. */
	assert_false(shredded(p, cand));
}

static void
test_notifications(void **state)
{
	struct pfx *p = *state;
	int64_t t = BX_NOW, limit = caltime_add_months(t, 12);
	struct retention_report *rep;

	exec(p,
	    "INSERT INTO notifications (account_id, org_id, kind, params,"
	    " created_at) VALUES ('%s', '%s', 'booking.confirmed', '{}',"
	    " %lld), ('%s', '%s', 'booking.confirmed', '{}', %lld)",
	    p->b->emp1, p->b->f->org, (long long)t, p->b->emp2, p->b->org2,
	    (long long)(t + 60 * DAY));

	rep = run_at(p, limit);
	assert_int_equal(removed(rep, "notifications"), 0);
	free(rep);
	rep = run_at(p, limit + 1);
	assert_int_equal(removed(rep, "notifications"), 1);
	free(rep);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM notifications WHERE"
			     " account_id = '%s'",
			     p->b->emp2),
	    1);
	assert_int_equal(rows(p, "SELECT 1 FROM notifications"), 1);
}

static void
test_inactive_accounts(void **state)
{
	struct pfx *p = *state;
	int64_t t = FX_T0 + DAY, limit = caltime_add_months(t, 24);
	char idle[AUTH_ID_HEX], back[AUTH_ID_HEX], held[AUTH_ID_HEX],
	    cand[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], *json;
	const struct retention_purge_result *pr;
	struct retention_report *rep;

	authfx_account(p->b->f, "idle@exemple.fr", "Idle", "school_manager",
	    idle, pw);
	authfx_account(p->b->f, "back@exemple.fr", "Back", "school_manager",
	    back, pw);
	authfx_account(p->b->f, "held@exemple.fr", "Held", "school_manager",
	    held, pw);
	authfx_account(p->b->f, "cand@exemple.fr", "Cand", "candidate", cand,
	    pw);
	/* Everybody else stays active. */
	exec(p, "UPDATE accounts SET last_login_at = %lld",
	    (long long)caltime_add_months(t, 12));
	exec(p,
	    "UPDATE accounts SET last_login_at = %lld WHERE id IN ('%s', '%s',"
	    " '%s', '%s')",
	    (long long)t, idle, back, held, cand);
	exec(p, "UPDATE accounts SET restricted_at = %lld WHERE id = '%s'",
	    (long long)t, held);

	/* Just before 24 months: nothing. */
	rep = run_at(p, limit - DAY);
	assert_int_equal(removed(rep, "pro_account"), 0);
	assert_int_equal(purge_of(rep, "inactive accounts")->warned, 0);
	free(rep);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM notifications WHERE kind ="
			     " 'account.inactive'"),
	    0);

	/* Past it: warned (notification and email), not deleted; the
	 * restricted one neither, and the report says why. */
	rep = run_at(p, limit + DAY);
	pr = purge_of(rep, "inactive accounts");
	assert_int_equal(pr->removed, 0);
	assert_int_equal(pr->warned, 2);
	assert_int_equal(pr->skipped, 1);
	assert_non_null(strstr(pr->skipped_why, "art. 18"));
	json = retention_report_json(rep);
	assert_non_null(strstr(json, "\"skipped\":1"));
	free(json);
	assert_int_equal(purge_of(rep, "inactive candidate accounts")->warned,
	    1);
	free(rep);
	assert_int_equal(
	    rows(p,
		"SELECT 1 FROM notifications WHERE kind ="
		" 'account.inactive' AND account_id IN ('%s', '%s',"
		" '%s')",
		idle, back, cand),
	    3);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM email_outbox WHERE account_id ="
			     " '%s' AND subject LIKE 'Compte inutilisé%%'",
			     idle),
	    1);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM notifications WHERE account_id ="
			     " '%s'",
			     held),
	    0);
	/* One signs in again. A second run warns nobody twice. */
	exec(p, "UPDATE accounts SET last_login_at = %lld WHERE id = '%s'",
	    (long long)(limit + 2 * DAY), back);
	rep = run_at(p, limit + 29 * DAY);
	assert_int_equal(purge_of(rep, "inactive accounts")->warned, 0);
	assert_int_equal(removed(rep, "pro_account"), 0);
	free(rep);

	/* 30 days after the warning: erased like a self-erasure, with its
	 * confirmation; the one who came back and the restricted one stay. */
	rep = run_at(p, limit + 31 * DAY);
	assert_int_equal(purge_of(rep, "inactive accounts")->removed, 1);
	assert_int_equal(purge_of(rep, "inactive candidate accounts")->removed,
	    1);
	free(rep);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM accounts WHERE id IN ('%s',"
			     " '%s')",
			     idle, cand),
	    0);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM accounts WHERE id IN ('%s',"
			     " '%s')",
			     back, held),
	    2);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM notifications WHERE account_id ="
			     " '%s'",
			     idle),
	    0);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM audit_log WHERE action ="
			     " 'rights.erase' AND actor IS NULL"),
	    2);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM email_outbox WHERE account_id IS"
			     " NULL AND subject LIKE 'Confirmation%%'"),
	    2);
}

/* A registry file nobody closes: left without activity for the rule's
 * idle period (36 months), it is closed, then shredded 4 months later
 * like any closed file; a file with a mandate in force is not touched. */
static void
test_idle_candidate_files(void **state)
{
	struct pfx *p = *state;
	int64_t t = BX_NOW, limit = caltime_add_months(t, 36);
	int64_t idle, busy;
	struct retention_report *rep;

	idle = candidate(p);
	exec(p,
	    "UPDATE mandates SET state = 'revoked', ended_at = %lld"
	    " WHERE candidate_id = %lld",
	    (long long)t, (long long)idle);
	exec(p, "UPDATE candidates SET updated_at = %lld WHERE id = %lld",
	    (long long)t, (long long)idle);
	busy = candidate(p);

	rep = run_at(p, limit - DAY);
	free(rep);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM candidates WHERE closed_at IS NULL"
			     " AND id IN (%lld, %lld)",
			     (long long)idle, (long long)busy),
	    2);
	rep = run_at(p, limit + DAY);
	assert_int_equal(purge_of(rep,
			     "candidate files closed for lack of activity")
			     ->removed,
	    1);
	free(rep);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM candidates WHERE id = %lld"
			     " AND closed_at = %lld",
			     (long long)idle, (long long)(limit + DAY)),
	    1);
	assert_false(shredded(p, idle));
	assert_int_equal(rows(p,
			     "SELECT 1 FROM candidates WHERE id = %lld"
			     " AND closed_at IS NULL",
			     (long long)busy),
	    1);
	rep = run_at(p, caltime_add_months(limit + DAY, 4) + DAY);
	free(rep);
	assert_true(shredded(p, idle));
	assert_false(shredded(p, busy));
}

/* Sessions that have ended (absolute end, or idle time) are deleted by
 * the retention job with the sealed user agent they hold; a live one
 * stays. */
static void
test_ended_sessions(void **state)
{
	struct pfx *p = *state;
	int64_t t = BX_NOW;
	struct retention_report *rep;

	exec(p,
	    "INSERT INTO sessions (id_hash, account_id, csrf_hash, created_at,"
	    " last_seen_at, expires_at, idle_ms, public, mfa_done, user_agent)"
	    " VALUES (x'01', '%s', x'01', %lld, %lld, %lld, 3600000, 0, 0,"
	    " x'0102'), (x'02', '%s', x'02', %lld, %lld, %lld, 3600000, 0, 0,"
	    " x'0102'), (x'03', '%s', x'03', %lld, %lld, %lld, 3600000, 0, 0,"
	    " x'0102')",
	    p->b->emp1, (long long)(t - 10 * DAY), (long long)(t - DAY),
	    (long long)(t - DAY), p->b->emp1, (long long)(t - DAY),
	    (long long)(t - 2 * 3600000LL), (long long)(t + DAY), p->b->emp1,
	    (long long)(t - 60000), (long long)(t - 60000),
	    (long long)(t + DAY));
	rep = run_at(p, t);
	assert_int_equal(purge_of(rep, "ended sessions")->removed, 2);
	free(rep);
	assert_int_equal(rows(p,
			     "SELECT 1 FROM sessions WHERE id_hash = x'03'"),
	    1);
	assert_int_equal(rows(p, "SELECT 1 FROM sessions"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_idle_candidate_files,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ended_sessions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_candidate_identity, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exam_data, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_notifications, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_inactive_accounts, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
