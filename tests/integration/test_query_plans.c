/*
 * test_query_plans.c - no hot path scans a table that grows. The server
 * runs on the demo data with [store] plan_check on: SQLite plans every
 * statement it compiles and the server logs each full scan ("store:
 * plan: SCAN <table> ..."). The test walks the hot paths of the issue's
 * list (the slot search, a basket's add and validation, the school's
 * exams and candidates, the agent's free slots and booking, the public
 * free slots and hold) and fails on a scan of any table whose size grows
 * with the schools, candidates, slots or people. A scan of a table the
 * size of the configuration (centres, categories, services...) is
 * allowed: it stays small at national size. SQLite only: PostgreSQL has
 * a planner of its own, with statistics.
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

#include "appointments/appt_time.h"
#include "client.h"
#include "core/clock.h"
#include "demo.h"
#include "harness.h"

static struct proc srv;
static struct demo_account school = { "gestion@tilleuls.example", 1 };
static struct demo_account agent = { "as.martin@solidarites44.example", 1 };
static struct demo_account *const all[] = { &school, &agent };
#define NALL (sizeof(all) / sizeof(all[0]))

/* Tables whose rows grow with the country: a scan of one is a hot path
 * that slows as the data grows. */
static const char *const growing[] = { "accounts", "account_roles", "sessions",
	"login_journal", "audit_log", "slots", "baskets", "basket_items",
	"exams", "candidates", "mandates", "notifications", "email_outbox",
	"sms_outbox", "appt_appointments", "appt_appointment_agents",
	"appt_participants", "appt_holds", "appt_users", "appt_waitlist",
	"appt_manage_links", "appt_guest_requests", "dossiers",
	"dossier_documents", "rate_windows", "throttle", NULL };

static int
setup(void **state)
{
	/* No jobs: their hourly batch statements (retention cutoffs) are
	 * not request paths. */
	static const char *const env[] = { "CRENEAU_STORE_PLAN_CHECK=on",
		"CRENEAU_JOBS_ENABLED=off", NULL };

	(void)state;
	if (harness_pg())
		return 0;
	return demo_start_env(&srv, env, all, NALL);
}

static int
teardown(void **state)
{
	(void)state;
	if (!harness_pg())
		demo_stop(&srv, all, NALL);
	return 0;
}

static json_t *
get_json(struct client *c, const char *path)
{
	if (client_call(c, "GET", path, NULL) != 200)
		fail_msg("GET %s: %s", path, c->body);
	return client_json(c);
}

/* A Paris date-time next week (day from Monday, minute) as the API
 * writes it. */
static void
paris(int week_day, int minute, char *out, size_t size)
{
	int64_t now = clock_now_ms(clock_real());
	int64_t day = appt_week_monday(appt_paris_day(now)) + week_day;
	time_t t = (time_t)(appt_paris_to_utc(day, minute, NULL) / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The exam booking of a school: search, basket, add, validate, lists. */
static void
school_paths(void)
{
	char path[160], body[160];
	long long slot = 0, cand = 0, basket;
	json_t *o, *v;
	size_t i;

	o = get_json(&school.c,
	    "/api/v1/slots?department=44&category=B&limit=60");
	json_array_foreach (json_object_get(o, "slots"), i, v) {
		if (slot == 0 &&
		    json_is_true(json_object_get(v, "bookable_now")))
			slot = json_integer_value(json_object_get(v, "id"));
	}
	json_decref(o);
	o = get_json(&school.c, "/api/v1/candidates");
	json_array_foreach (json_object_get(o, "candidates"), i, v) {
		const char *cat =
		    json_string_value(json_object_get(v, "category"));

		if (cand == 0 && cat != NULL && strcmp(cat, "B") == 0)
			cand = json_integer_value(json_object_get(v, "id"));
	}
	json_decref(o);
	assert_true(slot > 0 && cand > 0);
	o = get_json(&school.c, "/api/v1/basket");
	basket = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":%lld,\"candidate_id\":%lld}]}", slot,
	    cand);
	assert_int_equal(client_call(&school.c, "POST", path, body), 200);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	assert_true(client_call(&school.c, "POST", path, NULL) / 100 == 2);
	snprintf(path, sizeof(path), "/api/v1/candidates/%lld", cand);
	json_decref(get_json(&school.c, path));
	json_decref(get_json(&school.c, "/api/v1/exams"));
	json_decref(get_json(&school.c, "/api/v1/notifications"));
}

/* The appointments of a social service: free slots, a booking, the
 * agenda; the public's free slots and a hold. */
static void
agent_paths(void)
{
	char path[320], body[400], day[40], org[64], me[64], start[40] = "";
	char who[64] = "";
	long long motif = 0, place = 0, user;
	json_t *o, *v;
	size_t i;

	o = get_json(&agent.c, "/api/v1/me");
	snprintf(org, sizeof(org), "%s",
	    json_string_value(json_object_get(o, "org_id")));
	snprintf(me, sizeof(me), "%s",
	    json_string_value(json_object_get(o, "id")));
	json_decref(o);
	o = get_json(&agent.c, "/api/v1/appointments/motifs");
	json_array_foreach (json_object_get(o, "motifs"), i, v) {
		if (strcmp(json_string_value(json_object_get(v, "name")),
			"Premier accueil social") == 0)
			motif = json_integer_value(json_object_get(v, "id"));
	}
	json_decref(o);
	o = get_json(&agent.c, "/api/v1/appointments/places");
	json_array_foreach (json_object_get(o, "places"), i, v) {
		if (strcmp(json_string_value(json_object_get(v, "name")),
			"MDS Nantes Nord") == 0)
			place = json_integer_value(json_object_get(v, "id"));
	}
	json_decref(o);
	assert_true(motif > 0 && place > 0);
	paris(7, 12 * 60, day, sizeof(day)); /* next Monday */
	snprintf(path, sizeof(path),
	    "/api/v1/appointments/free-slots?motif_id=%lld&place_id=%lld"
	    "&from=%.11s00:00:00Z&to=%.11s23:00:00Z",
	    motif, place, day, day);
	o = get_json(&agent.c, path);
	json_array_foreach (json_object_get(o, "slots"), i, v) {
		if (start[0] != '\0')
			continue;
		snprintf(start, sizeof(start), "%s",
		    json_string_value(json_object_get(v, "start_at")));
		snprintf(who, sizeof(who), "%s",
		    json_string_value(
			json_array_get(json_object_get(v, "agent_ids"), 0)));
	}
	json_decref(o);
	assert_true(start[0] != '\0');
	assert_int_equal(client_call(&agent.c, "POST",
			     "/api/v1/appointments/users",
			     "{\"last_name\":\"Plan\",\"first_names\":\"Q\"}"),
	    201);
	o = client_json(&agent.c);
	user = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	snprintf(body, sizeof(body),
	    "{\"motif_id\":%lld,\"place_id\":%lld,\"agent_ids\":[\"%s\"],"
	    "\"user_ids\":[%lld],\"start_at\":\"%s\"}",
	    motif, place, who, user, start);
	assert_int_equal(client_call(&agent.c, "POST",
			     "/api/v1/appointments/bookings", body),
	    201);
	snprintf(path, sizeof(path),
	    "/api/v1/appointments/bookings?from=%.11s00:00:00Z"
	    "&to=%.11s23:00:00Z&agent_id=%s",
	    day, day, me);
	json_decref(get_json(&agent.c, path));
	snprintf(path, sizeof(path),
	    "/api/v1/public/appointments/free-slots?org_id=%s&motif_id=%lld"
	    "&place_id=%lld&from=%.11s00:00:00Z&to=%.11s23:00:00Z",
	    org, motif, place, day, day);
	o = get_json(&agent.c, path);
	snprintf(start, sizeof(start), "%s",
	    json_string_value(
		json_object_get(json_array_get(json_object_get(o, "slots"), 0),
		    "start_at")));
	json_decref(o);
	snprintf(body, sizeof(body),
	    "{\"org_id\":\"%s\",\"motif_id\":%lld,\"place_id\":%lld,"
	    "\"start_at\":\"%s\"}",
	    org, motif, place, start);
	assert_int_equal(client_call(&agent.c, "POST",
			     "/api/v1/public/appointments/holds", body),
	    201);
}

/* Whether the table a plan line scans ("SCAN slots USING ...", or an
 * alias: "SCAN x | ... FROM exams x ...") grows. */
static const char *
grows(const char *line)
{
	const char *p = strstr(line, "store: plan: SCAN "), *sql;
	char name[64], pat[160];
	size_t i, n;

	p += strlen("store: plan: SCAN ");
	n = strcspn(p, " |\n");
	if (n == 0 || n >= sizeof(name))
		return NULL;
	memcpy(name, p, n);
	name[n] = '\0';
	sql = strstr(p, " | ");
	for (i = 0; growing[i] != NULL; i++) {
		if (strcmp(name, growing[i]) == 0)
			return growing[i];
		if (sql == NULL)
			continue;
		snprintf(pat, sizeof(pat), " %s %s ", growing[i], name);
		if (strstr(sql, pat) != NULL)
			return growing[i];
		snprintf(pat, sizeof(pat), " %s AS %s ", growing[i], name);
		if (strstr(sql, pat) != NULL)
			return growing[i];
	}
	return NULL;
}

static void
test_hot_paths_scan_no_growing_table(void **state)
{
	char line[1024];
	FILE *f;
	int scans = 0, bad = 0;

	(void)state;
	if (harness_pg())
		skip();
	school_paths();
	agent_paths();
	f = fopen(srv.log, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, "store: plan: SCAN ") == NULL)
			continue;
		scans++;
		if (grows(line) != NULL) {
			fprintf(stderr, "full scan on a hot path: %s", line);
			bad++;
		} else
			fprintf(stderr, "small table: %.140s\n",
			    strstr(line, "SCAN "));
	}
	fclose(f);
	/* The check runs: the demo's small tables are scanned somewhere. */
	fprintf(stderr,
	    "plan check: %d scans of small tables, %d of growing "
	    "ones\n",
	    scans - bad, bad);
	assert_int_equal(bad, 0);
}

/*
 * The retention engine's run, a year ahead so that every purger has
 * rows past its cut-off: each statement finds them through an index.
 * One scan is known and allowed: the inactivity check reads every
 * account's last activity (a computed value: sign-in or creation).
 */
static void
test_retention_run_scans_no_growing_table(void **state)
{
	static char out[1 << 20];
	const char *args[] = { "retention", "run", "--at", "", NULL };
	char env_store[400], at[40], *line, *save = NULL;
	const char *env[] = { env_store, "CRENEAU_STORE_PLAN_CHECK=on", NULL };
	time_t t = time(NULL) + 366 * 86400;
	struct tm tm;
	int scans = 0, bad = 0;

	(void)state;
	if (harness_pg())
		skip();
	gmtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	args[3] = at;
	snprintf(env_store, sizeof(env_store), "CRENEAU_STORE_PATH=%s", srv.db);
	if (harness_run(args, env, out, sizeof(out)) != 0)
		fail_msg("%s", out);
	for (line = strtok_r(out, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "store: plan: SCAN ") == NULL)
			continue;
		scans++;
		if (grows(line) != NULL &&
		    strstr(line,
			"SCAN accounts | SELECT a.id, a.org_id,"
			" a.active") == NULL) {
			fprintf(stderr, "full scan in the retention run: %s\n",
			    line);
			bad++;
		}
	}
	fprintf(stderr,
	    "retention plan check: %d scans, %d of growing tables\n", scans,
	    bad);
	assert_true(scans > 0); /* the check ran */
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hot_paths_scan_no_growing_table),
		cmocka_unit_test(test_retention_run_scans_no_growing_table),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
