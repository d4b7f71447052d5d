/*
 * test_tenancy.c - a client organisation's life against the real
 * `creneau` binary and its demo data (seed 003): its admin keeps its
 * settings within the product's floors, each refusal naming the field
 * and the rule; the platform admin suspends it (its people read, every
 * write answers tenant_suspended), reactivates it, then terminates it
 * (sessions ended, no more sign-in); each step audited and told to the
 * organisation's admin, in the application and by email, in the
 * organisation's own words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "client.h"
#include "demo.h"
#include "harness.h"
#include "store/driver.h"

static struct proc srv;
static struct demo_account platform = { "plateforme@demo.example", 1 };
static struct demo_account admin = { "direction@tilleuls.example", 1 };
static struct demo_account manager = { "gestion@tilleuls.example", 1 };

static struct demo_account *const all[] = { &platform, &admin, &manager };
#define NALL (sizeof(all) / sizeof(all[0]))

static char org[64];

static int
setup(void **state)
{
	json_t *o;

	(void)state;
	if (demo_start(&srv, all, NALL) != 0)
		return -1;
	if (client_call(&admin.c, "GET", "/api/v1/me", NULL) != 200)
		return -1;
	o = client_json(&admin.c);
	snprintf(org, sizeof(org), "%s",
	    json_string_value(json_object_get(o, "org_id")));
	json_decref(o);
	return org[0] ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, NALL);
	return 0;
}

/* method on path, where "%s" in path stands for the organisation. */
static long
call(struct demo_account *a, const char *method, const char *path,
    const char *body)
{
	const char *at = strstr(path, "%s");
	char full[256];

	if (at == NULL)
		return client_call(&a->c, method, path, body);
	snprintf(full, sizeof(full), "%.*s%s%s", (int)(at - path), path, org,
	    at + 2);
	return client_call(&a->c, method, full, body);
}

/* The "field" member of the last answer. */
static void
assert_field(struct demo_account *a, const char *code, const char *field)
{
	json_t *o = client_json(&a->c);

	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "code")),
	    code);
	assert_string_equal(json_string_value(json_object_get(o, "field")),
	    field);
	json_decref(o);
}

/* Whether a's notifications hold one of kind. */
static int
notified(struct demo_account *a, const char *kind)
{
	json_t *o, *x;
	size_t i;
	int found = 0;

	if (client_call(&a->c, "GET", "/api/v1/notifications", NULL) != 200)
		return 0;
	o = client_json(&a->c);
	json_array_foreach (json_object_get(o, "notifications"), i, x)
		found |= strcmp(json_string_value(json_object_get(x, "kind")),
			     kind) == 0;
	json_decref(o);
	return found;
}

struct subject_arg {
	const char *like;
	long n;
};

static int
subject_tx(const struct auth *a, struct store_conn *c, void *arg)
{
	struct subject_arg *x = arg;
	struct store_val p[1];

	p[0] = SV_T(x->like);
	return store_drv(a->st)->exec(c,
	    "SELECT id FROM email_outbox WHERE subject LIKE $1", p, 1,
	    store_row_count, &x->n);
}

/* How many queued emails have a subject like like. */
static long
emails_like(const char *like)
{
	struct subject_arg x = { like, 0 };

	assert_int_equal(harness_with_auth(srv.db, subject_tx, &x), 0);
	return x.n;
}

static const char good[] =
    "{\"display_name\":\"Auto-école des Tilleuls\","
    "\"contact\":\"Nadia Directrice, 02 40 00 00 00\","
    "\"dpo_contact\":\"Dominique Délégué, dpo@tilleuls.example\","
    "\"mail_sender\":\"Les Tilleuls\","
    "\"mail_signature\":\"L'équipe des Tilleuls\\n02 40 00 00 00\","
    "\"retention\":{\"host_data\":6,\"email_outbox\":7},"
    "\"policy\":{\"password_min_length\":14,\"session_idle_minutes\":20,"
    "\"session_max_hours\":8,\"password_max_age_days\":90}}";

static void
test_settings_saved_and_read(void **state)
{
	char body[512];
	json_t *o;

	(void)state;
	assert_int_equal(call(&admin, "GET", "/api/v1/orgs/%s/settings", NULL),
	    200);
	o = client_json(&admin.c);
	assert_string_equal(json_string_value(json_object_get(o, "state")),
	    "active");
	/* The rules it may set come with their range. */
	assert_true(
	    json_array_size(json_object_get(o, "retention_choices")) >= 2);
	json_decref(o);
	assert_int_equal(call(&admin, "PUT", "/api/v1/orgs/%s/settings", good),
	    200);
	o = client_json(&admin.c);
	assert_string_equal(json_string_value(json_object_get(o, "contact")),
	    "Nadia Directrice, 02 40 00 00 00");
	assert_string_equal(json_string_value(
				json_object_get(o, "mail_signature")),
	    "L'équipe des Tilleuls\n02 40 00 00 00");
	assert_int_equal(json_integer_value(
			     json_object_get(json_object_get(o, "retention"),
				 "host_data")),
	    6);
	assert_int_equal(json_integer_value(
			     json_object_get(json_object_get(o, "policy"),
				 "session_idle_minutes")),
	    20);
	json_decref(o);
	/* Its password rule holds from now on: 13 characters are short. */
	snprintf(body, sizeof(body),
	    "{\"current_password\":\"%s\",\"new_password\":"
	    "\"Qz8!mRt2#vLp9\"}",
	    admin.pw);
	assert_int_equal(client_call(&admin.c, "POST", "/api/v1/me/password",
			     body),
	    422);
	assert_field(&admin, "password_refused", "new_password");
	assert_non_null(strstr(admin.c.body, "14 caractères"));
	/* Told in the application and by email, with its sender name. */
	assert_true(notified(&admin, "tenant.settings_changed"));
	assert_true(emails_like("Les Tilleuls : Les réglages%") >= 1);
}

/*
 * Art. 30 registers: the school's own (after the settings above) names it
 * as controller with its DPO, lists the exam booking and not the
 * appointments, names the operator as processor and carries its
 * retention choice; the processor register is the platform's only and
 * lists the school with its activities.
 */
static void
test_registers(void **state)
{
	json_t *o, *a, *security = NULL;
	size_t i;
	int exams = 0, appts = 0;

	(void)state;
	assert_int_equal(call(&admin, "GET", "/api/v1/orgs/%s/register", NULL),
	    200);
	o = client_json(&admin.c);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(json_object_get(o,
								  "controller"),
				"name")),
	    "Auto-école des Tilleuls");
	assert_string_equal(json_string_value(json_object_get(json_object_get(o,
								  "controller"),
				"dpo")),
	    "Dominique Délégué, dpo@tilleuls.example");
	json_array_foreach (json_object_get(o, "activities"), i, a) {
		const char *id = json_string_value(json_object_get(a, "id"));

		exams += strcmp(id, "exam_booking") == 0;
		appts += strcmp(id, "appointments") == 0;
		if (strcmp(id, "security") == 0)
			security = a;
		assert_non_null(
		    strstr(json_string_value(json_object_get(a, "processors")),
			"sous-traitant au sens de l'article 28"));
	}
	assert_int_equal(exams, 1);
	assert_int_equal(appts, 0);
	assert_non_null(security);
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(json_object_get(security,
						 "retention"),
				 "duration"),
			     "value")),
	    6);
	json_decref(o);
	assert_int_equal(call(&admin, "GET",
			     "/api/v1/orgs/%s/register?format=html", NULL),
	    200);
	assert_non_null(strstr(admin.c.body, "Auto-école des Tilleuls"));
	/* Not for the manager, not for another organisation's admin. */
	assert_int_equal(call(&manager, "GET", "/api/v1/orgs/%s/register",
			     NULL),
	    403);
	assert_int_equal(call(&admin, "GET", "/api/v1/processor-register",
			     NULL),
	    403);
	assert_int_equal(call(&platform, "GET", "/api/v1/processor-register",
			     NULL),
	    200);
	assert_non_null(strstr(platform.c.body, "Auto-école des Tilleuls"));
	assert_non_null(strstr(platform.c.body, "\"exam_booking\""));
	assert_int_equal(call(&platform, "GET",
			     "/api/v1/processor-register?format=csv", NULL),
	    200);
	assert_non_null(strstr(platform.c.body, "Organisme client"));
}

static void
test_settings_refusals_name_field_and_rule(void **state)
{
	static const struct {
		const char *body, *field;
	} bad[] = {
		{ "{\"policy\":{\"session_idle_minutes\":45}}",
		    "session_idle_minutes" },
		{ "{\"policy\":{\"session_max_hours\":24}}",
		    "session_max_hours" },
		{ "{\"policy\":{\"password_min_length\":8}}",
		    "password_min_length" },
		{ "{\"policy\":{\"password_max_age_days\":365}}",
		    "password_max_age_days" },
		{ "{\"retention\":{\"host_data\":13}}", "retention.host_data" },
		{ "{\"retention\":{\"host_data\":3}}", "retention.host_data" },
		{ "{\"retention\":{\"audit_trail\":24}}",
		    "retention.audit_trail" },
		{ "{\"retention\":{\"breach_register\":12}}",
		    "retention.breach_register" },
		{ "{\"mail_sender\":\"Les\\nTilleuls\"}", "mail_sender" },
	};
	size_t i;
	json_t *o;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(call(&admin, "PUT", "/api/v1/orgs/%s/settings",
				     bad[i].body),
		    422);
		assert_field(&admin, "invalid_setting", bad[i].field);
	}
	/* Nothing of a refused change is kept. */
	assert_int_equal(call(&admin, "GET", "/api/v1/orgs/%s/settings", NULL),
	    200);
	o = client_json(&admin.c);
	assert_int_equal(json_integer_value(
			     json_object_get(json_object_get(o, "policy"),
				 "session_idle_minutes")),
	    20);
	json_decref(o);
	/* Only the organisation's admin sets them. */
	assert_int_equal(call(&manager, "GET", "/api/v1/orgs/%s/settings",
			     NULL),
	    403);
	assert_int_equal(call(&platform, "PUT", "/api/v1/orgs/%s/settings",
			     good),
	    403);
}

static void
test_suspension_reads_but_never_writes(void **state)
{
	json_t *o;

	(void)state;
	/* Only the platform moves an organisation. */
	assert_int_equal(call(&admin, "POST", "/api/v1/tenants/%s/suspension",
			     "{\"reason\":\"x\"}"),
	    403);
	assert_int_equal(call(&platform, "POST",
			     "/api/v1/tenants/%s/suspension", "{}"),
	    422);
	assert_field(&platform, "invalid_reason", "reason");
	assert_int_equal(call(&platform, "POST",
			     "/api/v1/tenants/%s/suspension",
			     "{\"reason\":\"Facture impayée\"}"),
	    200);
	o = client_json(&platform.c);
	assert_string_equal(json_string_value(json_object_get(o, "state")),
	    "suspended");
	json_decref(o);
	assert_int_equal(call(&platform, "POST",
			     "/api/v1/tenants/%s/suspension",
			     "{\"reason\":\"encore\"}"),
	    409);
	assert_field(&platform, "invalid_tenant_state", "state");
	/* Reads go on; its admin sees why. */
	assert_int_equal(call(&admin, "GET", "/api/v1/orgs/%s/settings", NULL),
	    200);
	o = client_json(&admin.c);
	assert_string_equal(json_string_value(json_object_get(o, "reason")),
	    "Facture impayée");
	json_decref(o);
	assert_int_equal(client_call(&manager.c, "GET", "/api/v1/candidates",
			     NULL),
	    200);
	/* Every write is refused in one place, whatever the route. */
	assert_int_equal(call(&admin, "PUT", "/api/v1/orgs/%s/settings", good),
	    403);
	assert_string_equal(client_code(&admin.c), "tenant_suspended");
	assert_int_equal(client_call(&manager.c, "POST", "/api/v1/exams/swap",
			     "{}"),
	    403);
	assert_string_equal(client_code(&manager.c), "tenant_suspended");
	assert_true(notified(&admin, "tenant.suspended"));
	assert_true(emails_like("Les Tilleuls : Votre organisme est "
				"suspendu%") >= 1);
	/* The platform's list shows it. */
	assert_int_equal(client_call(&platform.c, "GET", "/api/v1/tenants",
			     NULL),
	    200);
	assert_non_null(strstr(platform.c.body, "\"suspended\""));
}

static void
test_reactivation_writes_again(void **state)
{
	(void)state;
	assert_int_equal(call(&platform, "POST",
			     "/api/v1/tenants/%s/reactivation", "{}"),
	    200);
	assert_int_equal(call(&admin, "PUT", "/api/v1/orgs/%s/settings", good),
	    200);
	assert_true(notified(&admin, "tenant.reactivated"));
}

static void
test_termination_ends_sessions_and_sign_in(void **state)
{
	char body[256];
	json_t *o;

	(void)state;
	assert_int_equal(call(&platform, "POST",
			     "/api/v1/tenants/%s/termination",
			     "{\"reason\":\"Fin du contrat\"}"),
	    200);
	o = client_json(&platform.c);
	assert_string_equal(json_string_value(json_object_get(o, "state")),
	    "terminated");
	assert_true(json_is_string(json_object_get(o, "delete_after")));
	json_decref(o);
	/* The open sessions are over. */
	assert_int_equal(client_call(&admin.c, "GET", "/api/v1/me", NULL), 401);
	assert_int_equal(client_call(&manager.c, "GET", "/api/v1/candidates",
			     NULL),
	    401);
	/* The right password opens nothing. */
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    admin.email, admin.pw);
	assert_int_equal(client_call(&admin.c, "POST", "/api/v1/session", body),
	    403);
	assert_string_equal(client_code(&admin.c), "tenant_terminated");
	/* The way back is closed. */
	assert_int_equal(call(&platform, "POST",
			     "/api/v1/tenants/%s/reactivation", "{}"),
	    409);
	assert_int_equal(client_call(&platform.c, "POST",
			     "/api/v1/tenants/0123456789abcdef0123456789abcdef/"
			     "suspension",
			     "{\"reason\":\"x\"}"),
	    404);
	assert_true(emails_like("Les Tilleuls : Le contrat de votre "
				"organisme est résilié%") >= 1);
}

/* Runs `retention run --at` at_ms; the report into out. */
static void
retention_at(int64_t at_ms, char *out, size_t size)
{
	char at[40];
	time_t t = (time_t)(at_ms / 1000);
	struct tm tm;
	const char *args[] = { "retention", "run", "--at", at, NULL };
	char env_store[400];
	const char *env[] = { env_store, NULL };

	snprintf(env_store, sizeof(env_store), "CRENEAU_STORE_PATH=%s", srv.db);
	gmtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (harness_run(args, env, out, size) != 0)
		fail_msg("%s", out);
}

/* How many records the purger what removed in report out. */
static long
removed(const char *out, const char *what)
{
	const char *p = strstr(out, what);
	long n = -1;

	if (p == NULL || sscanf(p + strlen(what), " %ld removed", &n) != 1)
		fail_msg("no « %s » in %s", what, out);
	return n;
}

struct org_count {
	const char *sql, *org;
	long n;
};

static int
org_count_tx(const struct auth *a, struct store_conn *c, void *arg)
{
	struct org_count *x = arg;
	struct store_val p[1];

	p[0] = SV_T(x->org);
	x->n = 0;
	return store_drv(a->st)->exec(c, x->sql, p, 1, store_row_count, &x->n);
}

/* Rows sql (one parameter: an organisation id) counts for org. */
static long
org_rows(const char *sql, const char *org_id)
{
	struct org_count x = { sql, org_id, 0 };

	assert_int_equal(harness_with_auth(srv.db, org_count_tx, &x), 0);
	return x.n;
}

static int
sent_now_tx(const struct auth *a, struct store_conn *c, void *arg)
{
	struct store_val p[1];

	p[0] = SV_I(*(const int64_t *)arg);
	return store_drv(a->st)->exec(c,
	    "UPDATE email_outbox SET state = 'sent', sent_at = $1", p, 1, NULL,
	    NULL);
}

#define JOURNAL_OF "SELECT 1 FROM login_journal WHERE org_id = $1"
#define EMAILS_OF                                                              \
	"SELECT e.id FROM email_outbox e JOIN accounts a ON"                   \
	" a.id = e.account_id WHERE a.org_id = $1"

/*
 * The school chose 6 months for its connection journal and 7 days for
 * its notification emails (test_settings_saved_and_read): the retention
 * run applies them to its rows only, on top of the map's 12 months and
 * 30 days for everyone else. Runs last: a far-future run ends every
 * session.
 */
static void
test_retention_choices_applied(void **state)
{
	static char out[32768];
	int64_t now = (int64_t)time(NULL) * 1000, day = 86400000LL;
	char platform_org[64];
	long school_journal, platform_journal, school_emails;
	json_t *o;

	(void)state;
	assert_int_equal(call(&platform, "GET", "/api/v1/me", NULL), 200);
	o = client_json(&platform.c);
	snprintf(platform_org, sizeof(platform_org), "%s",
	    json_string_value(json_object_get(o, "org_id")));
	json_decref(o);
	/* Whatever was queued counts as sent now. */
	assert_int_equal(harness_with_auth(srv.db, sent_now_tx, &now), 0);
	school_emails = org_rows(EMAILS_OF, org);
	school_journal = org_rows(JOURNAL_OF, org);
	platform_journal = org_rows(JOURNAL_OF, platform_org);
	assert_true(school_emails >= 1);
	assert_true(school_journal >= 1);
	assert_true(platform_journal >= 1);
	/* 8 days on: the school's emails go, nobody else's. */
	retention_at(now + 8 * day, out, sizeof(out));
	assert_int_equal(removed(out, "sent notification emails"), 0);
	assert_int_equal(removed(out,
			     "sent notification emails, "
			     "organisations' shorter periods"),
	    school_emails);
	assert_int_equal(org_rows(EMAILS_OF, org), 0);
	/* 7 months on: the school's journal goes, the platform's stays. */
	retention_at(now + 7 * 31 * day, out, sizeof(out));
	assert_int_equal(removed(out, "connection journal"), 0);
	assert_true(removed(out,
			"connection journal, organisations' "
			"shorter periods") >= school_journal);
	assert_int_equal(org_rows(JOURNAL_OF, platform_org), platform_journal);
	/* 13 months on, the map's period reaches it. */
	retention_at(now + 13 * 31 * day, out, sizeof(out));
	assert_true(removed(out, "connection journal") >= platform_journal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_settings_saved_and_read),
		cmocka_unit_test(test_registers),
		cmocka_unit_test(test_settings_refusals_name_field_and_rule),
		cmocka_unit_test(test_suspension_reads_but_never_writes),
		cmocka_unit_test(test_reactivation_writes_again),
		cmocka_unit_test(test_termination_ends_sessions_and_sign_in),
		cmocka_unit_test(test_retention_choices_applied),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
