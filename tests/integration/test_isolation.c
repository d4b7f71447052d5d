/*
 * Isolation between organisations (seed 003: the operator keeps each
 * client's data apart). Accounts of every role, each in an organisation
 * of its own with no data, try every route of the table on the records of
 * the demo organisations: every answer must be 403 or 404, never the
 * record, never a change, never a 500.
 *
 * The list of routes is the server's own (api_routes): a route whose path
 * takes an id and that has no source of victim ids below makes the test
 * fail, so a new route is covered by construction. The few exempt ones
 * say why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "api/api.h"
#include "auth/auth.h"
#include "auth/rbac.h"
#include "client.h"
#include "harness.h"

#define PW "galet Orange nuage %d tulipe lente"
#define VICTIM 900001 /* integer ids of the rows planted below */

struct attacker {
	enum role role;
	const char *kind; /* the kind of its own, empty, organisation */
	char org[64];
	char peer[64]; /* a demo organisation of the same kind */
	char email[96], id[64], temp[64], pw[96];
	struct client c;
};

static struct attacker attackers[] = {
	{ ROLE_DPO, "school" }, { ROLE_SCHOOL_ADMIN, "school" },
	{ ROLE_SCHOOL_MANAGER, "school" }, { ROLE_TRAINER, "school" },
	{ ROLE_REGIONAL_SUPERVISOR, "school" },
	{ ROLE_DISPATCHER, "authority" }, { ROLE_AGENT, "service" },
	{ ROLE_AGENT_ADMIN, "service" }, { ROLE_VALIDATOR, "association" },
	{ ROLE_CANDIDATE, NULL }, /* the people's place */
};
#define NATTACKERS (sizeof(attackers) / sizeof(attackers[0]))

/*
 * Where a route's {id} (and {slot}, {doc}) come from: a query on the
 * store giving a record of a demo organisation, or of another person for
 * the /me routes. NULL sql: exempt, with the reason in the comment.
 */
struct source {
	const char *pattern;
	const char *id_sql;
	const char *slot_sql;
};

static const struct source sources[] = {
	/* Instance-wide identity providers, named in the configuration:
	 * not a tenant's record. */
	{ "/api/v1/oidc/{name}/authorization", NULL, NULL },
	{ "/api/v1/oidc/{name}/callback", NULL, NULL },
	{ "/api/v1/oidc/{name}/signup/check", NULL, NULL },
	{ "/api/v1/oidc/{name}/signup", NULL, NULL },
	{ "/api/v1/me/oidc-links/{name}", NULL, NULL },
	/* A secret handle (stored hashed), not an id one could enumerate. */
	{ "/api/v1/oauth/requests/{id}", NULL, NULL },
	{ "/api/v1/oauth/requests/{id}/decision", NULL, NULL },
	{ "/api/v1/public/appointments/feeds/{token}", NULL, NULL },
	/* One's own dossier at the association one applies to: the
	 * organisation there is the caller's choice, not a victim. */
	{ "/api/v1/me/dossiers/{org}/keys", NULL, NULL },
	{ "/api/v1/me/dossiers/{org}", NULL, NULL },
	{ "/api/v1/me/dossiers/{org}/documents", NULL, NULL },
	{ "/api/v1/me/dossiers/{org}/submission", NULL, NULL },
	{ "/api/v1/me/dossiers/{org}/documents/{id}",
	    "SELECT id FROM dossier_documents WHERE id = 900001", NULL },
	{ "/api/v1/me/oauth-grants/{id}",
	    "SELECT id FROM oauth_grants WHERE id = "
	    "'9999999999999999999999999999999a'",
	    NULL },
	{ "/api/v1/oauth-clients/{id}/revocation",
	    "SELECT id FROM oauth_clients WHERE id = "
	    "'9999999999999999999999999999999c'",
	    NULL },
	/* The partner surface (/api/v2) is filled in below: bearer tokens
	 * there, so sessions are refused whatever the id. */
	{ "/api/v1/me/sessions/{id}", "", NULL }, /* another's session */
	{ "/api/v1/orgs/{org}/accounts/{id}/deactivation", "@account", NULL },
	{ "/api/v1/orgs/{org}/accounts/{id}/sessions", "@account", NULL },
	{ "/api/v1/orgs/{org}/accounts/{id}/grants", "@account", NULL },
	{ "/api/v1/orgs/{org}/export/{id}/archive",
	    "SELECT id FROM tenant_exports", NULL },
	{ "/api/v1/tenants/{org}/export/{id}/archive",
	    "SELECT id FROM tenant_exports", NULL },
	{ "/api/v1/orgs/{org}/contacts/{id}", "SELECT id FROM tenant_contacts",
	    NULL },
	{ "/api/v1/orgs/{org}/contacts/{id}/documents",
	    "SELECT id FROM tenant_contacts", NULL },
	{ "/api/v1/orgs/{org}/contacts/{id}/documents/{doc}",
	    "SELECT id FROM tenant_contacts",
	    "SELECT id FROM tenant_contact_documents" },
	{ "/api/v1/baskets/{id}/slots", "SELECT id FROM baskets", NULL },
	{ "/api/v1/baskets/{id}/slots/{slot}", "SELECT id FROM baskets",
	    "SELECT min(id) FROM slots" },
	{ "/api/v1/baskets/{id}/validation", "SELECT id FROM baskets", NULL },
	{ "/api/v1/exams/{id}/convocation", "SELECT id FROM exams", NULL },
	{ "/api/v1/trainer/exams/{id}/convocation", "SELECT id FROM exams",
	    NULL },
	{ "/api/v1/exams/{id}/calendar", "SELECT id FROM exams", NULL },
	{ "/api/v1/exams/{id}/cancellation", "SELECT id FROM exams", NULL },
	{ "/api/v1/exams/{id}/replacement", "SELECT id FROM exams", NULL },
	{ "/api/v1/exams/{id}/result", "SELECT id FROM exams", NULL },
	{ "/api/v1/breaches/{id}", "SELECT id FROM breaches", NULL },
	{ "/api/v1/breaches/{id}/cnil-notification", "SELECT id FROM breaches",
	    NULL },
	{ "/api/v1/breaches/{id}/notice", "SELECT id FROM breaches", NULL },
	{ "/api/v1/candidates/{id}", "SELECT min(id) FROM candidates", NULL },
	{ "/api/v1/candidates/{id}/trainer", "SELECT min(id) FROM candidates",
	    NULL },
	{ "/api/v1/validator-keys/{id}/private",
	    "SELECT id FROM validator_keys", NULL },
	{ "/api/v1/validator-keys/{id}/revocation",
	    "SELECT id FROM validator_keys", NULL },
	{ "/api/v1/validator-keys/{id}/recipients",
	    "SELECT id FROM validator_keys", NULL },
	{ "/api/v1/dossiers/{id}", "SELECT id FROM dossiers", NULL },
	{ "/api/v1/dossiers/{id}/documents/{doc}", "SELECT id FROM dossiers",
	    "SELECT id FROM dossier_documents" },
	{ "/api/v1/dossiers/{id}/decision", "SELECT id FROM dossiers", NULL },
	{ "/api/v1/dossiers/pauses/{id}/acceptance",
	    "SELECT id FROM dossier_pauses", NULL },
	{ "/api/v1/dossiers/pauses/{id}/cancellation",
	    "SELECT id FROM dossier_pauses", NULL },
	{ "/api/v1/me/mandates/{id}/revocation",
	    "SELECT min(id) FROM mandates WHERE ended_at IS NULL", NULL },
	{ "/api/v1/me/exams/{id}/convocation", "SELECT id FROM exams", NULL },
	{ "/api/v1/me/exams/{id}/calendar", "SELECT id FROM exams", NULL },
	{ "/api/v1/notifications/{id}/read",
	    "SELECT min(id) FROM notifications", NULL },
	{ "/api/v1/slots/{id}", "SELECT max(id) FROM slots", NULL },
	{ "/api/v1/rights-requests/{id}", "SELECT id FROM rights_requests",
	    NULL },
	{ "/api/v1/rights-requests/{id}/registry-export",
	    "SELECT id FROM rights_requests", NULL },
	{ "/api/v1/slot-requests/{id}/decision", "SELECT id FROM slot_requests",
	    NULL },
	{ "/api/v1/appointments/users/{id}", "SELECT min(id) FROM appt_users",
	    NULL },
	{ "/api/v1/appointments/users/{id}/appointments",
	    "SELECT min(id) FROM appt_users", NULL },
	{ "/api/v1/appointments/bookings/{id}",
	    "SELECT max(id) FROM appt_appointments", NULL },
	{ "/api/v1/appointments/bookings/{id}/status",
	    "SELECT max(id) FROM appt_appointments", NULL },
	{ "/api/v1/appointments/bookings/{id}/move",
	    "SELECT max(id) FROM appt_appointments", NULL },
	{ "/api/v1/me/appointments/{id}/cancellation",
	    "SELECT max(id) FROM appt_appointments", NULL },
	{ "/api/v1/me/appointments/{id}/move",
	    "SELECT max(id) FROM appt_appointments", NULL },
	{ "/api/v1/me/relatives/{id}",
	    "SELECT max(id) FROM appt_users WHERE responsible_id IS NOT NULL",
	    NULL },
	{ "/api/v1/me/appointments/waitlist/{id}",
	    "SELECT id FROM appt_waitlist", NULL },
	{ "/api/v1/appointments/services/{id}",
	    "SELECT min(id) FROM appt_services", NULL },
	{ "/api/v1/appointments/services/{id}/archival",
	    "SELECT min(id) FROM appt_services", NULL },
	{ "/api/v1/appointments/places/{id}", "SELECT min(id) FROM appt_places",
	    NULL },
	{ "/api/v1/appointments/places/{id}/archival",
	    "SELECT min(id) FROM appt_places", NULL },
	{ "/api/v1/appointments/motifs/{id}", "SELECT min(id) FROM appt_motifs",
	    NULL },
	{ "/api/v1/appointments/motifs/{id}/archival",
	    "SELECT min(id) FROM appt_motifs", NULL },
	{ "/api/v1/appointments/plages/{id}", "SELECT min(id) FROM appt_plages",
	    NULL },
	{ "/api/v1/appointments/plages/{id}/archival",
	    "SELECT min(id) FROM appt_plages", NULL },
	{ "/api/v1/appointments/absences/{id}",
	    "SELECT min(id) FROM appt_absences", NULL },
	{ "/api/v1/appointments/absences/{id}/archival",
	    "SELECT min(id) FROM appt_absences", NULL },
	{ "/api/v1/appointments/agents/{id}",
	    "SELECT min(account_id) FROM appt_agents", NULL },
	{ "/api/v1/appointments/agents/{id}/archival",
	    "SELECT min(account_id) FROM appt_agents", NULL },
};

static struct proc srv;
static char store_env[400];

static int
run(const char *const *args, char *out, size_t outlen)
{
	const char *env[] = { store_env, NULL };

	return harness_run(args, env, out, outlen);
}

/* The line of 32 hex digits in out (logs may precede it). */
static int
hex_line(char *out, char id[64])
{
	char *line, *save = NULL;

	for (line = strtok_r(out, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		if (strlen(line) == 32 &&
		    strspn(line, "0123456789abcdef") == 32) {
			snprintf(id, 64, "%s", line);
			return 0;
		}
	return -1;
}

static int
value(const char *sql, char *out, size_t n)
{
	return harness_store_value(srv.db, sql, out, n);
}

/*
 * Rows of kinds the demo does not make (baskets, exams, breaches,
 * dossiers...), planted under demo organisations with ids VICTIM. Their
 * sealed fields are junk: a handler must refuse the stranger before it
 * opens them.
 */
static int
plant_victims(void)
{
	const char *blob = harness_pg() ? "'\\x00'::bytea" : "X'00'";
	/* Recent, so that the retention run at start keeps them. */
	long long now = (long long)time(NULL) * 1000;
	char sql[8192];

	snprintf(sql, sizeof(sql),
	    "INSERT INTO baskets (id, school_id, owner_account, warned, "
	    " created_at) SELECT 900001, (SELECT min(id) FROM schools), "
	    " (SELECT min(a.id) FROM accounts a JOIN account_roles r ON "
	    "  r.account_id = a.id WHERE r.role = 'school_manager'), 0, 0;"
	    "INSERT INTO exams (id, slot_id, school_id, candidate_id, "
	    " department, category, start_at, month, status, replacements, "
	    " created_at) SELECT 900001, (SELECT min(id) FROM slots), "
	    " (SELECT min(id) FROM schools), (SELECT min(id) FROM candidates),"
	    " '44', 'B', 4102444800000, 0, 'booked', 0, 0;"
	    "INSERT INTO breaches (id, org_id, created_at, updated_at, "
	    " discovered_at, risk, people_count, records_count, details) "
	    " SELECT '99999999999999999999999999999b01', min(id), 0, 0, 0, "
	    " 'low', 0, 0, %s FROM organisations WHERE kind = 'school';"
	    "INSERT INTO dossiers (id, org_id, account_id, kind, state, "
	    " created_at, updated_at) SELECT 900001, o.id, (SELECT min(a.id) "
	    " FROM accounts a JOIN account_roles r ON r.account_id = a.id "
	    " WHERE r.role = 'candidate'), 'family', 'soumis', 0, 0 "
	    " FROM organisations o WHERE o.kind = 'association';"
	    "INSERT INTO dossier_documents (id, dossier_id, doc_type, size, "
	    " jwe, uploaded_at) VALUES (900001, 900001, 'identite', 1, 'x', 0);"
	    "INSERT INTO dossier_pauses (id, org_id, family_dossier_id, "
	    " start_at, duration, state, created_at) SELECT 900001, org_id, "
	    " 900001, 4102444800000, 60, 'demandee', 0 FROM dossiers "
	    " WHERE id = 900001;"
	    "INSERT INTO validator_keys (id, org_id, account_id, jwk, "
	    " fingerprint, created_at) SELECT 900001, o.id, (SELECT min(a.id) "
	    " FROM accounts a JOIN account_roles r ON r.account_id = a.id "
	    " WHERE r.role = 'validator'), '{}', 'victim', 0 "
	    " FROM organisations o WHERE o.kind = 'association';"
	    "INSERT INTO rights_requests (id, org_id, kind, received_at, "
	    " due_at, state, updated_at, details) SELECT "
	    " '99999999999999999999999999999f01', min(id), 'access', 0, "
	    " 4102444800000, 'received', 0, %s FROM organisations "
	    " WHERE kind = 'school';"
	    "INSERT INTO slot_requests (id, org_id, exam_id, kind, reason, "
	    " requested_by, requested_at, state, reason_sealed) SELECT "
	    " 900001, o.id, 900001, 'cancel', '', 'x', 0, 'pending', %s "
	    " FROM organisations o "
	    " WHERE o.kind = 'school' ORDER BY o.id LIMIT 1;"
	    "INSERT INTO appt_waitlist (id, org_id, motif_id, user_id, "
	    " created_at, expires_at) SELECT 900001, org_id, "
	    " (SELECT min(id) FROM appt_motifs), (SELECT min(id) FROM "
	    " appt_users), %lld, 4102444800000 FROM appt_motifs "
	    " ORDER BY id LIMIT 1;"
	    "INSERT INTO oauth_clients (id, name, secret_hash, redirect_uris, "
	    " scopes, created_at) VALUES ('9999999999999999999999999999999c',"
	    " 'Victime', %s, 'https://victime.example/cb', 'lecture', 0);"
	    "INSERT INTO oauth_grants (id, client_id, account_id, org_id, "
	    " scope, created_at, last_used_at) SELECT "
	    " '9999999999999999999999999999999a', "
	    " '9999999999999999999999999999999c', min(a.id), min(a.org_id), "
	    " 'lecture', %lld, %lld FROM accounts a JOIN account_roles r ON "
	    " r.account_id = a.id WHERE r.role = 'school_admin';"
	    "INSERT INTO tenant_exports (id, org_id, state, origin, "
	    " requested_at, file_name, expires_at) SELECT "
	    " '9999999999999999999999999999e001', min(id), 'ready', 'admin', "
	    " %lld, 'export-victim.creneau-export', 4102444800000 "
	    " FROM organisations WHERE kind = 'school';"
	    "INSERT INTO tenant_contacts (id, org_id, kind, company, "
	    " created_at, updated_at) SELECT "
	    " '9999999999999999999999999999c001', min(id), 'client', %s, 0, 0"
	    " FROM organisations WHERE kind = 'school';"
	    "INSERT INTO tenant_contact_documents (id, org_id, contact_id, "
	    " doc_type, size, content, uploaded_at) SELECT "
	    " '9999999999999999999999999999d001', org_id, id, 'image/png', 1,"
	    " %s, 0 FROM tenant_contacts"
	    " WHERE id = '9999999999999999999999999999c001';",
	    blob, blob, blob, now, blob, now, now, now, blob, blob);
	return harness_store_exec(srv.db, sql);
}

static int
attacker_add(struct attacker *t, int i)
{
	char buf[1024], name[64];
	const char *org_args[] = { "org", "add", "--name", name, "--kind",
		t->kind, NULL };
	const char *user_args[] = { "user", "add", "--org", t->org, "--email",
		t->email, "--name", "Camille Intruse", "--role",
		rbac_role_name(t->role), NULL };
	char sql[300];
	char *a, *p;

	if (t->kind != NULL) {
		snprintf(name, sizeof(name), "Organisme isolé %d", i);
		if (run(org_args, buf, sizeof(buf)) != 0 ||
		    hex_line(buf, t->org) != 0)
			return -1;
		snprintf(sql, sizeof(sql),
		    "SELECT min(o.id) FROM organisations o WHERE o.kind = "
		    "'%s' AND o.name NOT LIKE 'Organisme isol%%' AND EXISTS "
		    "(SELECT 1 FROM accounts a WHERE a.org_id = o.id)",
		    t->kind);
		if (value(sql, t->peer, sizeof(t->peer)) != 0)
			return -1;
	} else {
		snprintf(t->org, sizeof(t->org), "%s", AUTH_PEOPLE_ORG);
		if (value("SELECT min(id) FROM organisations WHERE kind = "
			  "'school'",
			t->peer, sizeof(t->peer)) != 0)
			return -1;
	}
	snprintf(t->email, sizeof(t->email), "intrus%d@isole.example", i);
	if (run(user_args, buf, sizeof(buf)) != 0) {
		fprintf(stderr, "user add: %s\n", buf);
		return -1;
	}
	a = strstr(buf, "account ");
	p = strstr(buf, "temporary password ");
	if (a == NULL || p == NULL)
		return -1;
	sscanf(a + 8, "%63s", t->id);
	sscanf(p + 19, "%63s", t->temp);
	return 0;
}

static int
setup(void **state)
{
	static const char *const demo[] = { "demo-data", NULL };
	char buf[512];
	size_t i;

	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&srv, 0, sizeof(srv));
	if (harness_tmpdir(&srv) != 0)
		return -1;
	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s", srv.db);
	if (run(demo, buf, sizeof(buf)) != 0)
		return -1;
	if (plant_victims() != 0) {
		fprintf(stderr, "could not plant the victims' rows\n");
		return -1;
	}
	for (i = 0; i < NATTACKERS; i++)
		if (attacker_add(&attackers[i], (int)i) != 0)
			return -1;
	if (harness_start(&srv, NULL, 0) != 0) {
		char *log = harness_log(&srv);

		fprintf(stderr, "the server did not start:\n%s\n",
		    log != NULL ? log : "");
		free(log);
		return -1;
	}
	for (i = 0; i < NATTACKERS; i++) {
		struct attacker *t = &attackers[i];

		client_init(&t->c, srv.port);
		snprintf(t->pw, sizeof(t->pw), PW, (int)i);
		if (client_onboard(&t->c, t->email, t->temp, t->pw,
			rbac_role_requires_mfa(t->role)) != 0)
			return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < NATTACKERS; i++)
		client_free(&attackers[i].c);
	harness_stop(&srv, SIGTERM);
	harness_cleanup(&srv);
	curl_global_cleanup();
	return 0;
}

static const struct source *
source_of(const char *pattern)
{
	size_t i;

	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (strcmp(sources[i].pattern, pattern) == 0)
			return &sources[i];
	return NULL;
}

/* The id of one of the first attacker's sessions: another person's. */
static void
foreign_session(char out[128])
{
	json_t *o, *s;
	size_t i;

	out[0] = '\0';
	assert_int_equal(client_call(&attackers[0].c, "GET",
			     "/api/v1/me/sessions", NULL),
	    200);
	o = client_json(&attackers[0].c);
	json_array_foreach (json_object_get(o, "sessions"), i, s) {
		const char *id = json_string_value(json_object_get(s, "id"));

		if (id != NULL)
			snprintf(out, 128, "%s", id);
	}
	json_decref(o);
	assert_true(out[0] != '\0');
}

/* Fills the pattern's placeholders for attacker t; 0 or -1. */
static int
concrete(const char *pattern, const struct source *src,
    const struct attacker *t, const char *session, char *out, size_t n)
{
	char id[128] = "", slot[64] = "", sql[200];
	const char *s = pattern;
	size_t o = 0;

	if (strncmp(pattern, "/api/v2/", 8) == 0) {
		snprintf(id, sizeof(id), "1");
		snprintf(slot, sizeof(slot), "1");
	} else if (src != NULL && src->id_sql != NULL) {
		if (strcmp(src->id_sql, "") == 0) {
			snprintf(id, sizeof(id), "%s", session);
		} else if (strcmp(src->id_sql, "@account") == 0) {
			snprintf(sql, sizeof(sql),
			    "SELECT min(id) FROM accounts WHERE org_id = '%s'",
			    t->peer);
			if (value(sql, id, sizeof(id)) != 0)
				return -1;
		} else if (value(src->id_sql, id, sizeof(id)) != 0 ||
		    id[0] == '\0') {
			return -1;
		}
		if (src->slot_sql != NULL &&
		    value(src->slot_sql, slot, sizeof(slot)) != 0)
			return -1;
	}
	while (*s && o + 1 < n) {
		const char *v = NULL;
		size_t k = 0;

		if (strncmp(s, "{org}", 5) == 0)
			v = t->peer, k = 5;
		else if (strncmp(s, "{id}", 4) == 0)
			v = id, k = 4;
		else if (strncmp(s, "{slot}", 6) == 0)
			v = slot, k = 6;
		else if (strncmp(s, "{doc}", 5) == 0)
			v = slot, k = 5;
		if (v != NULL) {
			o += (size_t)snprintf(out + o, n - o, "%s", v);
			s += k;
		} else {
			out[o++] = *s++;
		}
	}
	out[o < n ? o : n - 1] = '\0';
	return 0;
}

/*
 * The exam authority is one per instance (the State's examiners): its
 * centres and slots belong to no organisation, and every authority
 * account acts on all of them. Several authorities on one instance would
 * need centres owned by an authority; until then these are not a
 * stranger's records to a dispatcher.
 */
static int
authority_wide(const char *pattern)
{
	return strcmp(pattern, "/api/v1/slots/{id}") == 0 ||
	    strcmp(pattern, "/api/v1/exams/{id}/result") == 0 ||
	    strcmp(pattern, "/api/v1/schools/{org}/establishments") == 0;
}

/* Whether the pattern names a record beyond the organisation. */
static int
names_a_record(const char *pattern)
{
	const char *p;

	for (p = strchr(pattern, '{'); p != NULL; p = strchr(p + 1, '{'))
		if (strncmp(p, "{org}", 5) != 0)
			return 1;
	return 0;
}

/*
 * Every route that names a record or an organisation, as every attacker,
 * on a record of another organisation (or person): 403 or 404.
 */
static void
test_every_route_refuses_strangers(void **state)
{
	char path[512], session[128];
	int failures = 0, tried = 0, before_lookup = 0;
	size_t i, j;

	(void)state;
	foreign_session(session);
	for (i = 0; i < api_routes_count; i++) {
		const struct http_route *rt = &api_routes[i];
		const struct source *src;

		if (strchr(rt->pattern, '{') == NULL)
			continue;
		src = source_of(rt->pattern);
		if (strncmp(rt->pattern, "/api/v2/", 8) == 0) {
			/* Bearer tokens only: a session is refused, 401. */
			src = NULL;
		} else if (src != NULL && src->id_sql == NULL) {
			continue; /* exempt, see sources[] */
		} else if (src == NULL && names_a_record(rt->pattern)) {
			print_error("%s has no source of victim ids: add one "
				    "to sources[]\n",
			    rt->pattern);
			failures++;
			continue;
		}
		for (j = 0; j < NATTACKERS; j++) {
			struct attacker *t = &attackers[j];
			long st;

			/* The first attacker's own session is not a
			 * stranger's to it. */
			if (j == 0 &&
			    strcmp(rt->pattern, "/api/v1/me/sessions/{id}") ==
				0)
				continue;
			if (concrete(rt->pattern, src, t, session, path,
				sizeof(path)) != 0) {
				print_error("%s: no victim id\n", rt->pattern);
				failures++;
				break;
			}
			if (t->role == ROLE_DISPATCHER &&
			    authority_wide(rt->pattern))
				continue;
			st = client_call(&t->c, http_method_name(rt->method),
			    path, rt->method == HTTP_GET ? NULL : "{}");
			tried++;
			/* The empty body refused before the record is looked
			 * up: nothing read, nothing changed. */
			if (st == 422 &&
			    strcmp(client_code(&t->c), "missing_field") == 0) {
				before_lookup++;
				continue;
			}
			if (strncmp(rt->pattern, "/api/v2/", 8) == 0
				? st != 401
				: st != 403 && st != 404) {
				print_error("%s %s as %s: %ld %.200s\n",
				    http_method_name(rt->method), path,
				    rbac_role_name(t->role), st, t->c.body);
				failures++;
			}
		}
	}
	print_message("%d calls on other organisations' records (%d refused "
		      "on their empty body first)\n",
	    tried, before_lookup);
	assert_true(tried > 500);
	assert_int_equal(failures, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_refuses_strangers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
