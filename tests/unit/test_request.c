/* test_request.c - the rights-request register: due dates, steps,
 * restriction, reminders, purge. */
#include <string.h>

#include "authfx.h"
#include "gdpr/request.h"

#define DAY REQUEST_DAY_MS
#define FEB1 (FX_T0 + 31 * DAY) /* 2030-02-01 */
#define MAR1 (FEB1 + 28 * DAY) /* 2030-03-01 */
#define APR1 (MAR1 + 31 * DAY) /* 2030-04-01 */

static void
test_due(void **state)
{
	struct rights_request r;

	(void)state;
	assert_int_equal(request_due(FX_T0, 0), FEB1);
	assert_int_equal(request_due(FX_T0, 2), APR1);
	/* 31 January: one calendar month is the end of February. */
	assert_int_equal(request_due(FEB1 - DAY, 0), MAR1 - DAY);
	request_init(&r);
	r.received_at = FX_T0;
	r.due_at = FEB1;
	assert_false(request_late(&r, FEB1));
	assert_true(request_late(&r, FEB1 + 1));
	r.closed_at = FEB1;
	assert_false(request_late(&r, FEB1 + 1));
	assert_true(request_kind_valid("portability"));
	assert_false(request_kind_valid("deletion"));
}

/* A request from someone without an account, by the DPO. */
static void
open_free(struct authfx *f, const char *dpo, struct rights_request *r,
    int64_t received)
{
	char why[REQUEST_WHY_MAX] = "";

	request_init(r);
	snprintf(r->kind, sizeof(r->kind), "access");
	snprintf(r->org_id, sizeof(r->org_id), "%s", f->org);
	snprintf(r->text[RQ_IDENTITY], REQUEST_TEXT_MAX,
	    "Jeanne Martin, jeanne@exemple.fr");
	snprintf(r->text[RQ_MESSAGE], REQUEST_TEXT_MAX, "Copie de mes données");
	r->received_at = received;
	if (request_open(&f->a, dpo, r, 0, FX_T0 + 60 * DAY, why,
		sizeof(why)) != 0)
		fail_msg("request_open: %s", why);
}

static void
test_steps(void **state)
{
	struct authfx *f = *state;
	struct rights_request r, got;
	struct request_action act;
	char dpo[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];
	char why[REQUEST_WHY_MAX] = "";

	authfx_account(f, "dpo@exemple.fr", "Délégué", "dpo", dpo, pw);
	open_free(f, dpo, &r, FX_T0);
	assert_string_equal(r.state, "received");
	assert_int_equal(r.due_at, FEB1);
	/* The texts are sealed, read back in clear. */
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM rights_requests WHERE "
			     "instr(details, 'Jeanne') > 0"),
	    0);
	assert_int_equal(request_get(&f->a, r.id, &got), 0);
	assert_string_equal(got.text[RQ_IDENTITY],
	    "Jeanne Martin, jeanne@exemple.fr");
	request_clear(&got);
	/* No outcome before the identity is verified. */
	memset(&act, 0, sizeof(act));
	act.op = RQ_CLOSE;
	act.outcome = "Données envoyées";
	assert_int_equal(request_update(&f->a, dpo, f->org, r.id, &act,
			     FX_T0 + DAY, NULL, why, sizeof(why)),
	    2);
	assert_non_null(strstr(why, "vérification de l'identité"));
	/* Extension: a reason is required, 2 months at most in all. */
	memset(&act, 0, sizeof(act));
	act.op = RQ_EXTEND;
	act.months = 1;
	assert_int_equal(request_update(&f->a, dpo, f->org, r.id, &act,
			     FX_T0 + DAY, NULL, why, sizeof(why)),
	    2);
	assert_non_null(strstr(why, "reason"));
	act.reason = "Demandes nombreuses ce mois-ci";
	assert_int_equal(request_update(&f->a, dpo, f->org, r.id, &act,
			     FX_T0 + DAY, &got, why, sizeof(why)),
	    0);
	assert_string_equal(got.state, "extended");
	assert_int_equal(got.due_at, MAR1);
	act.months = 2;
	assert_int_equal(request_update(&f->a, dpo, f->org, r.id, &act,
			     FX_T0 + 2 * DAY, NULL, why, sizeof(why)),
	    2);
	assert_non_null(strstr(why, "trois mois"));
	act.months = 1;
	assert_int_equal(request_update(&f->a, dpo, f->org, r.id, &act,
			     FX_T0 + 2 * DAY, &got, why, sizeof(why)),
	    0);
	assert_int_equal(got.due_at, APR1);
	/* Verify, then close. */
	memset(&act, 0, sizeof(act));
	act.op = RQ_VERIFY;
	assert_int_equal(request_update(&f->a, dpo, f->org, r.id, &act,
			     FX_T0 + 3 * DAY, NULL, why, sizeof(why)),
	    0);
	act.op = RQ_CLOSE;
	act.outcome = "Données envoyées par courrier";
	assert_int_equal(request_update(&f->a, dpo, f->org, r.id, &act,
			     FX_T0 + 4 * DAY, &got, why, sizeof(why)),
	    0);
	assert_string_equal(got.state, "done");
	assert_string_equal(got.text[RQ_OUTCOME],
	    "Données envoyées par courrier");
	assert_int_equal(request_update(&f->a, dpo, f->org, r.id, &act,
			     FX_T0 + 5 * DAY, NULL, why, sizeof(why)),
	    2);
	/* Another organisation does not see it. */
	assert_int_equal(request_update(&f->a, dpo, "other", r.id, &act,
			     FX_T0 + 5 * DAY, NULL, why, sizeof(why)),
	    1);
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM audit_log WHERE action LIKE "
			     "'rights.request.%'"),
	    5);
	request_clear(&r);
	request_clear(&got);
}

/* Extension after the first month is refused. */
static void
test_late_extension(void **state)
{
	struct authfx *f = *state;
	struct rights_request r;
	struct request_action act = { RQ_EXTEND, 1, "Complexe", NULL, 0 };
	char dpo[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[REQUEST_WHY_MAX];

	authfx_account(f, "dpo@exemple.fr", "Délégué", "dpo", dpo, pw);
	open_free(f, dpo, &r, FX_T0);
	assert_int_equal(request_update(&f->a, dpo, f->org, r.id, &act,
			     FEB1 + 1, NULL, why, sizeof(why)),
	    2);
	assert_non_null(strstr(why, "dans le mois"));
	request_clear(&r);
}

/* A restriction granted to an account sets its flag, notifies the person;
 * lift ends it. */
static void
test_restriction(void **state)
{
	struct authfx *f = *state;
	struct rights_request r;
	struct request_action act;
	char dpo[AUTH_ID_HEX], who[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];
	char why[REQUEST_WHY_MAX] = "", sql[256];

	authfx_account(f, "dpo@exemple.fr", "Délégué", "dpo", dpo, pw);
	authfx_account(f, "p@exemple.fr", "Paul", "trainer", who, pw);
	request_init(&r);
	snprintf(r.kind, sizeof(r.kind), "restriction");
	snprintf(r.org_id, sizeof(r.org_id), "%s", f->org);
	snprintf(r.subject_account, sizeof(r.subject_account), "%s", who);
	assert_int_equal(request_open(&f->a, who, &r, 1, FX_T0, why,
			     sizeof(why)),
	    0);
	assert_string_equal(r.state, "verified");
	memset(&act, 0, sizeof(act));
	act.op = RQ_CLOSE;
	act.outcome = "Traitement limité le temps de vérifier l'exactitude";
	assert_int_equal(request_update(&f->a, dpo, f->org, r.id, &act,
			     FX_T0 + DAY, NULL, why, sizeof(why)),
	    0);
	snprintf(sql, sizeof(sql),
	    "SELECT 1 FROM accounts WHERE id = '%s' AND restricted_at = %lld",
	    who, (long long)(FX_T0 + DAY));
	assert_int_equal(authfx_rows(f, sql), 1);
	snprintf(sql, sizeof(sql),
	    "SELECT 1 FROM notifications WHERE account_id = '%s' AND kind = "
	    "'rights.request.closed'",
	    who);
	assert_int_equal(authfx_rows(f, sql), 1);
	act.op = RQ_LIFT;
	assert_int_equal(request_update(&f->a, dpo, f->org, r.id, &act,
			     FX_T0 + 2 * DAY, NULL, why, sizeof(why)),
	    0);
	snprintf(sql, sizeof(sql),
	    "SELECT 1 FROM accounts WHERE id = '%s' AND restricted_at IS NULL",
	    who);
	assert_int_equal(authfx_rows(f, sql), 1);
	request_clear(&r);
}

/* Reminders 7 days and 1 day before the due date, once each, to the DPO
 * accounts only; closed requests are not reminded; purge after 5 years. */
static void
test_reminders_and_purge(void **state)
{
	struct authfx *f = *state;
	struct rights_request r, r2;
	struct request_action act;
	char dpo[AUTH_ID_HEX], other[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];
	char why[REQUEST_WHY_MAX] = "";

	authfx_account(f, "dpo@exemple.fr", "Délégué", "dpo", dpo, pw);
	authfx_account(f, "t@exemple.fr", "Tom", "trainer", other, pw);
	open_free(f, dpo, &r, FX_T0);
	open_free(f, dpo, &r2, FX_T0);
	memset(&act, 0, sizeof(act));
	act.op = RQ_VERIFY;
	assert_int_equal(request_update(&f->a, dpo, f->org, r2.id, &act, FX_T0,
			     NULL, why, sizeof(why)),
	    0);
	act.op = RQ_CLOSE;
	act.outcome = "Fait";
	assert_int_equal(request_update(&f->a, dpo, f->org, r2.id, &act, FX_T0,
			     NULL, why, sizeof(why)),
	    0);
	assert_int_equal(request_reminders(&f->a, FEB1 - 8 * DAY), 0);
	assert_int_equal(request_reminders(&f->a, FEB1 - 7 * DAY), 1);
	assert_int_equal(request_reminders(&f->a, FEB1 - 6 * DAY), 0);
	assert_int_equal(request_reminders(&f->a, FEB1 - DAY), 1);
	assert_int_equal(request_reminders(&f->a, FEB1), 0);
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM notifications WHERE kind = "
			     "'rights.request.due'"),
	    2);
	assert_int_equal(request_purge(&f->a, FX_T0 + 1), 1);
	assert_int_equal(authfx_rows(f, "SELECT 1 FROM rights_requests"), 1);
	request_clear(&r);
	request_clear(&r2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_due),
		cmocka_unit_test_setup_teardown(test_steps, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_late_extension,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_restriction, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_reminders_and_purge,
		    authfx_setup, authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
