/*
 * test_identity.c - accounts, sign-in, TOTP, sessions, CSRF and the
 * endpoint x role matrix, against the real `creneau` binary.
 *
 * Accounts are made the way an operator makes them (`creneau org add`,
 * `creneau user add`) and each is onboarded as a person would: temporary
 * password, new password, TOTP enrolment with an authenticator (liboath
 * here). The matrix then calls every route of the route table as every
 * role and expects exactly what src/auth/rbac.c says.
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
#include <unistd.h>

#include <curl/curl.h>

#include "api/api.h"
#include "auth/auth.h"
#include "auth/rbac.h"
#include "client.h"
#include "harness.h"

#define NEW_PW "orange Tulipe galet %d nuage vif"

struct person {
	enum role role;
	char email[96];
	char id[64];
	char temp[64];
	char pw[96];
	struct client c;
};

static struct proc srv;
static char store_env[400];
static char org_p[64], org_a[64], org_b[64];
static struct person people[ROLE_COUNT];
static struct person admin_b;

static int
run(const char *const *args, char *out, size_t outlen)
{
	const char *env[] = { store_env, NULL };

	return harness_run(args, env, out, outlen);
}

static int
org_add(const char *name, const char *kind, char out[64])
{
	const char *args[] = { "org", "add", "--name", name, "--kind", kind,
		NULL };
	char buf[512];

	char *line, *save = NULL;

	if (run(args, buf, sizeof(buf)) != 0)
		return -1;
	/* The id is the line of 32 hex digits (logs may precede it). */
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		if (strlen(line) == 32 &&
		    strspn(line, "0123456789abcdef") == 32) {
			snprintf(out, 64, "%s", line);
			return 0;
		}
	return -1;
}

static int
user_add(const char *org, struct person *p, const char *name)
{
	const char *args[] = { "user", "add", "--org", org, "--email", p->email,
		"--name", name, "--role", rbac_role_name(p->role), NULL };
	char buf[1024];
	char *a, *t;

	if (run(args, buf, sizeof(buf)) != 0) {
		fprintf(stderr, "user add: %s\n", buf);
		return -1;
	}
	a = strstr(buf, "account ");
	t = strstr(buf, "temporary password ");
	if (a == NULL || t == NULL)
		return -1;
	sscanf(a + 8, "%63s", p->id);
	sscanf(t + 19, "%63s", p->temp);
	return 0;
}

static int
setup(void **state)
{
	static const char *const demo[] = { "demo-data", NULL };
	char buf[512], name[64];
	int r;

	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&srv, 0, sizeof(srv));
	if (harness_tmpdir(&srv) != 0)
		return -1;
	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s", srv.db);
	if (run(demo, buf, sizeof(buf)) != 0 ||
	    org_add("Plateforme", "platform", org_p) != 0 ||
	    org_add("Auto-école des Tilleuls", "school", org_a) != 0 ||
	    org_add("Auto-école du Rivage", "school", org_b) != 0)
		return -1;
	for (r = 0; r < ROLE_COUNT; r++) {
		people[r].role = (enum role)r;
		snprintf(people[r].email, sizeof(people[r].email),
		    "%s@tilleuls-test.example", rbac_role_name((enum role)r));
		snprintf(name, sizeof(name), "Dominique Essai%c", 'A' + r);
		/* Candidates live in the people's place, not the school. */
		if (user_add(r == ROLE_PLATFORM_ADMIN ? org_p
			    : r == ROLE_CANDIDATE     ? AUTH_PEOPLE_ORG
						      : org_a,
			&people[r], name) != 0)
			return -1;
	}
	admin_b.role = ROLE_SCHOOL_ADMIN;
	snprintf(admin_b.email, sizeof(admin_b.email),
	    "admin@rivage-test.example");
	if (user_add(org_b, &admin_b, "Sacha Rivage") != 0)
		return -1;
	if (harness_start(&srv, NULL, 0) != 0)
		return -1;
	for (r = 0; r < ROLE_COUNT; r++) {
		client_init(&people[r].c, srv.port);
		snprintf(people[r].pw, sizeof(people[r].pw), NEW_PW, r);
		if (client_onboard(&people[r].c, people[r].email,
			people[r].temp, people[r].pw,
			rbac_role_requires_mfa((enum role)r)) != 0)
			return -1;
	}
	client_init(&admin_b.c, srv.port);
	snprintf(admin_b.pw, sizeof(admin_b.pw), NEW_PW, 99);
	return client_onboard(&admin_b.c, admin_b.email, admin_b.temp,
	    admin_b.pw, 1);
}

static int
teardown(void **state)
{
	int r;

	(void)state;
	for (r = 0; r < ROLE_COUNT; r++)
		client_free(&people[r].c);
	client_free(&admin_b.c);
	harness_stop(&srv, SIGTERM);
	harness_cleanup(&srv);
	curl_global_cleanup();
	return 0;
}

/* Builds the concrete path of a route pattern for person p. */
static void
concrete(const char *pattern, const struct person *p, char *out, size_t n)
{
	const char *org = p->role == ROLE_PLATFORM_ADMIN ? org_p : org_a;
	size_t o = 0;
	const char *s = pattern;

	while (*s && o + 1 < n) {
		if (strncmp(s, "{org}", 5) == 0) {
			o += (size_t)snprintf(out + o, n - o, "%s", org);
			s += 5;
		} else if (strncmp(s, "{id}", 4) == 0) {
			/* An id that names nothing: allowed callers get 404
			 * from the handler, refused ones 403 before it. */
			o += (size_t)snprintf(out + o, n - o,
			    "00000000000000000000000000000000");
			s += 4;
		} else {
			out[o++] = *s++;
		}
	}
	out[o < n ? o : n - 1] = '\0';
}

static void
test_matrix(void **state)
{
	size_t i;
	int r, allowed;
	char path[256];
	enum perm p;
	long st;

	(void)state;
	for (i = 0; i < api_routes_count; i++) {
		const struct http_route *rt = &api_routes[i];

		/* Signing out is checked on its own below; the partner
		 * surface takes bearer tokens, not sessions (test_partner). */
		if ((rt->method == HTTP_DELETE &&
			strcmp(rt->pattern, "/api/v1/session") == 0) ||
		    strncmp(rt->pattern, "/api/v2/", 8) == 0)
			continue;
		p = (enum perm)rt->tag;
		for (r = 0; r < ROLE_COUNT; r++) {
			struct person *who = &people[r];

			concrete(rt->pattern, who, path, sizeof(path));
			st = client_call(&who->c, http_method_name(rt->method),
			    path, rt->method == HTTP_GET ? NULL : "{}");
			allowed = rbac_role_has((enum role)r, p);
			/* A change of password or second factor may ask for
			 * a fresh proof: that is past the permission check. */
			if (allowed && st == 403 &&
			    strcmp(client_code(&who->c), "reauth_required") ==
				0)
				continue;
			/* Consenting for partner software is for school
			 * employees only: past the permission check too. */
			if (allowed && st == 403 &&
			    strcmp(client_code(&who->c),
				"not_school_employee") == 0)
				continue;
			/* Linking a registry file is for candidates' own
			 * accounts only. */
			if (allowed && st == 403 &&
			    strcmp(client_code(&who->c), "not_candidate") == 0)
				continue;
			/* Respite times are for people whose dossier the
			 * association validated (a family asks, a volunteer
			 * accepts): a rule of the service, past the
			 * permission check. */
			if (allowed && st == 403 &&
			    (strcmp(client_code(&who->c),
				 "pause_dossier_non_valide") == 0 ||
				strcmp(client_code(&who->c),
				    "pause_profil_invalide") == 0))
				continue;
			if (allowed && (st == 401 || st == 403))
				fail_msg(
				    "%s %s as %s: %ld %s, expected allowed",
				    http_method_name(rt->method), rt->pattern,
				    rbac_role_name((enum role)r), st,
				    who->c.body);
			if (!allowed &&
			    (st != 403 ||
				strcmp(client_code(&who->c), "forbidden") != 0))
				fail_msg("%s %s as %s: %ld %s, expected 403",
				    http_method_name(rt->method), rt->pattern,
				    rbac_role_name((enum role)r), st,
				    who->c.body);
		}
	}
}

static void
test_other_organisation_is_not_found(void **state)
{
	struct person *admin = &people[ROLE_SCHOOL_ADMIN];
	char path[256];

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts", org_b);
	assert_int_equal(client_call(&admin->c, "GET", path, NULL), 404);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts", org_a);
	assert_int_equal(client_call(&admin->c, "GET", path, NULL), 200);
	assert_non_null(strstr(admin->c.body, "school_manager@tilleuls"));
	assert_null(strstr(admin->c.body, "rivage"));
	/* A school admin hands out school roles only: not the authority's. */
	assert_int_equal(
	    client_call(&admin->c, "POST", path,
		"{\"email\":\"x@tilleuls-test.example\","
		"\"display_name\":\"X\",\"roles\":[\"dispatcher\"]}"),
	    403);
	assert_string_equal(client_code(&admin->c), "role_not_grantable");
}

/* The problem's member k, or "". */
static const char *
problem_member(const struct client *c, const char *k, char *out, size_t n)
{
	json_t *o = client_json(c);
	const char *v = json_string_value(json_object_get(o, k));

	snprintf(out, n, "%s", v ? v : "");
	json_decref(o);
	return out;
}

static void
until_in(int seconds, char out[32])
{
	time_t t = time(NULL) + seconds;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * Issue, access control 1: a school admin lent staff.manage or
 * journal.read to a candidate (no TOTP), who then read the connection
 * journal and made a school_admin with a password only. Candidates are
 * out of the school's reach; a staff account without a second factor is
 * refused any grant.
 */
static void
test_staff_grant_needs_second_factor(void **state)
{
	struct person *admin = &people[ROLE_SCHOOL_ADMIN];
	struct person *cand = &people[ROLE_CANDIDATE];
	struct person p;
	char path[256], body[160], until[32], journal[160], v[512];
	const char *perms[] = { "journal.read", "staff.manage" };
	size_t i;

	(void)state;
	until_in(3600, until);
	snprintf(journal, sizeof(journal), "/api/v1/orgs/%s/journal", org_a);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path),
		    "/api/v1/orgs/%s/accounts/%s/grants", org_a, cand->id);
		snprintf(body, sizeof(body),
		    "{\"permission\":\"%s\",\"expires_at\":\"%s\"}", perms[i],
		    until);
		assert_int_equal(client_call(&admin->c, "POST", path, body),
		    404);
	}
	assert_int_equal(client_call(&cand->c, "GET", journal, NULL), 403);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts", org_a);
	assert_int_equal(client_call(&cand->c, "POST", path,
			     "{\"email\":\"pirate@tilleuls-test.example\","
			     "\"display_name\":\"Pirate\","
			     "\"roles\":[\"school_admin\"]}"),
	    403);
	/* A staff account that has not enrolled TOTP yet: refused, with
	 * the rule's code, until it has. */
	memset(&p, 0, sizeof(p));
	p.role = ROLE_TRAINER;
	snprintf(p.email, sizeof(p.email), "sans-totp@tilleuls-test.example");
	assert_int_equal(user_add(org_a, &p, "Alix Sanstotp"), 0);
	client_init(&p.c, srv.port);
	snprintf(p.pw, sizeof(p.pw), NEW_PW, 55);
	assert_int_equal(client_onboard(&p.c, p.email, p.temp, p.pw, 0), 0);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts/%s/grants",
	    org_a, p.id);
	snprintf(body, sizeof(body),
	    "{\"permission\":\"journal.read\",\"expires_at\":\"%s\"}", until);
	assert_int_equal(client_call(&admin->c, "POST", path, body), 403);
	assert_string_equal(client_code(&admin->c), "grant_requires_mfa");
	assert_non_null(
	    strstr(problem_member(&admin->c, "detail", v, sizeof(v)),
		"second facteur"));
	assert_string_equal(problem_member(&admin->c, "field", v, sizeof(v)),
	    "account_id");
	assert_int_equal(client_call(&p.c, "GET", journal, NULL), 403);
	client_free(&p.c);
	/* What separation of duties keeps apart is not lent either: the
	 * supervisor who asks for slot changes does not approve them. */
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts/%s/grants",
	    org_a, people[ROLE_REGIONAL_SUPERVISOR].id);
	snprintf(body, sizeof(body),
	    "{\"permission\":\"slot.approve\",\"expires_at\":\"%s\"}", until);
	assert_int_equal(client_call(&admin->c, "POST", path, body), 403);
	assert_string_equal(client_code(&admin->c), "separation_of_duties");
}

/*
 * Issue, access control 2: a school admin refused audit.read,
 * breach.manage and rights.manage as grants made an account with the dpo
 * role instead. A school's DPO is appointed from the platform side.
 */
static void
test_dpo_comes_from_the_platform(void **state)
{
	struct person *admin = &people[ROLE_SCHOOL_ADMIN];
	struct person *plat = &people[ROLE_PLATFORM_ADMIN];
	char path[256], body[256], until[32], v[512];
	const char *perms[] = { "audit.read", "breach.manage",
		"rights.manage" };
	size_t i;

	(void)state;
	until_in(3600, until);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path),
		    "/api/v1/orgs/%s/accounts/%s/grants", org_a,
		    people[ROLE_SCHOOL_MANAGER].id);
		snprintf(body, sizeof(body),
		    "{\"permission\":\"%s\",\"expires_at\":\"%s\"}", perms[i],
		    until);
		assert_int_equal(client_call(&admin->c, "POST", path, body),
		    403);
		assert_string_equal(client_code(&admin->c),
		    "permission_not_grantable");
	}
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts", org_a);
	assert_int_equal(client_call(&admin->c, "POST", path,
			     "{\"email\":\"dpo2@tilleuls-test.example\","
			     "\"display_name\":\"Dana Deleguee\","
			     "\"roles\":[\"dpo\"]}"),
	    403);
	assert_string_equal(client_code(&admin->c), "role_not_grantable");
	assert_string_equal(problem_member(&admin->c, "field", v, sizeof(v)),
	    "roles");
	assert_non_null(
	    strstr(problem_member(&admin->c, "detail", v, sizeof(v)),
		"désigné par la plateforme"));
	/* Nothing was made: the address does not sign in. */
	assert_int_equal(client_call(&admin->c, "GET", path, NULL), 200);
	assert_null(strstr(admin->c.body, "dpo2@tilleuls-test.example"));
	/* Nor can the school admin shut out the DPO who oversees it. */
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts/%s/deactivation",
	    org_a, people[ROLE_DPO].id);
	assert_int_equal(client_call(&admin->c, "POST", path, NULL), 403);
	assert_string_equal(client_code(&admin->c), "role_not_grantable");
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts/%s/sessions",
	    org_a, people[ROLE_DPO].id);
	assert_int_equal(client_call(&admin->c, "DELETE", path, NULL), 403);
	assert_string_equal(client_code(&admin->c), "role_not_grantable");
	assert_int_equal(client_call(&people[ROLE_DPO].c, "GET",
			     "/api/v1/audit/verification", NULL),
	    200);
	/* The platform appoints it; never on an admin's own account. */
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts", org_a);
	assert_int_equal(client_call(&plat->c, "POST", path,
			     "{\"email\":\"dpo3@tilleuls-test.example\","
			     "\"display_name\":\"Dana Deleguee\","
			     "\"roles\":[\"school_admin\",\"dpo\"]}"),
	    403);
	assert_string_equal(client_code(&plat->c), "separation_of_duties");
	assert_int_equal(client_call(&plat->c, "POST", path,
			     "{\"email\":\"dpo3@tilleuls-test.example\","
			     "\"display_name\":\"Dana Deleguee\","
			     "\"roles\":[\"dpo\"]}"),
	    201);
}

/*
 * Issue, access control 3: candidates lived in the school's organisation,
 * whose admin could end their sessions and deactivate them. They live in
 * the people's place now; no school role reaches their account.
 */
static void
test_candidates_out_of_school_reach(void **state)
{
	struct person *admin = &people[ROLE_SCHOOL_ADMIN];
	struct person *cand = &people[ROLE_CANDIDATE];
	char path[256], v[64];

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts", org_a);
	assert_int_equal(client_call(&admin->c, "GET", path, NULL), 200);
	assert_null(strstr(admin->c.body, cand->email));
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts/%s/sessions",
	    org_a, cand->id);
	assert_int_equal(client_call(&admin->c, "DELETE", path, NULL), 404);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts/%s/deactivation",
	    org_a, cand->id);
	assert_int_equal(client_call(&admin->c, "POST", path, NULL), 404);
	assert_string_equal(client_code(&admin->c), "not_found");
	/* The people's place is no school's. */
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts",
	    AUTH_PEOPLE_ORG);
	assert_int_equal(client_call(&admin->c, "GET", path, NULL), 404);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts/%s/sessions",
	    AUTH_PEOPLE_ORG, cand->id);
	assert_int_equal(client_call(&admin->c, "DELETE", path, NULL), 404);
	/* Nor does a school admin make a candidate. */
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts", org_a);
	assert_int_equal(client_call(&admin->c, "POST", path,
			     "{\"email\":\"c2@tilleuls-test.example\","
			     "\"display_name\":\"C\","
			     "\"roles\":[\"candidate\"]}"),
	    403);
	assert_string_equal(client_code(&admin->c), "role_not_grantable");
	/* The candidate's session lives on, in its own place. */
	assert_int_equal(client_call(&cand->c, "GET", "/api/v1/me", NULL), 200);
	assert_string_equal(problem_member(&cand->c, "org_id", v, sizeof(v)),
	    AUTH_PEOPLE_ORG);
	assert_int_equal(client_call(&cand->c, "GET", "/api/v1/me/sessions",
			     NULL),
	    200);
}

static void
test_anonymous_and_csrf(void **state)
{
	struct client anon;
	struct person *m = &people[ROLE_SCHOOL_MANAGER];

	(void)state;
	client_init(&anon, srv.port);
	assert_int_equal(client_call(&anon, "GET", "/api/v1/me", NULL), 401);
	assert_string_equal(client_code(&anon), "unauthenticated");
	client_free(&anon);
	/* With a token that is not the session's, a state change is
	 * refused; with the right one it goes through. */
	{
		char xsrf[128], line[256];

		assert_int_equal(client_cookie(&m->c, "XSRF-TOKEN", xsrf,
				     sizeof(xsrf)),
		    0);
		curl_easy_setopt(m->c.curl, CURLOPT_COOKIELIST,
		    "127.0.0.1\tFALSE\t/\tTRUE\t0\tXSRF-TOKEN\tforged");
		assert_int_equal(client_call(&m->c, "POST",
				     "/api/v1/me/mfa/confirmation", "{}"),
		    403);
		assert_string_equal(client_code(&m->c), "csrf_failed");
		snprintf(line, sizeof(line),
		    "127.0.0.1\tFALSE\t/\tTRUE\t0\tXSRF-TOKEN\t%s", xsrf);
		curl_easy_setopt(m->c.curl, CURLOPT_COOKIELIST, line);
		assert_int_equal(client_call(&m->c, "POST",
				     "/api/v1/me/mfa/confirmation", "{}"),
		    422);
	}
}

static void
test_wrong_passwords_lock(void **state)
{
	struct person p;
	char body[256];
	struct client c;
	int i;
	long st;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.role = ROLE_SCHOOL_MANAGER;
	snprintf(p.email, sizeof(p.email), "locked@tilleuls-test.example");
	assert_int_equal(user_add(org_a, &p, "Claude Verrou"), 0);
	client_init(&c, srv.port);
	for (i = 0; i < 10; i++) {
		snprintf(body, sizeof(body),
		    "{\"email\":\"%s\",\"password\":\"wrong-%d\"}", p.email, i);
		st = client_call(&c, "POST", "/api/v1/session", body);
		if (st != 401 && st != 429)
			fail_msg("attempt %d: %ld %s", i, st, c.body);
	}
	/* The 11th attempt, with the right password, is refused too. */
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    p.email, p.temp);
	st = client_call(&c, "POST", "/api/v1/session", body);
	assert_true(st == 401 || st == 429);
	/* An unknown account gets the same kind of answer. */
	st = client_call(&c, "POST", "/api/v1/session",
	    "{\"email\":\"nobody@tilleuls-test.example\",\"password\":\"x\"}");
	assert_true(st == 401 || st == 429);
	client_free(&c);
}

static void
test_replayed_totp_refused(void **state)
{
	struct person *p = &people[ROLE_DPO];
	struct client c;
	char body[256], code[7];

	(void)state;
	client_init(&c, srv.port);
	memcpy(c.secret_b32, p->c.secret_b32, sizeof(c.secret_b32));
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    p->email, p->pw);
	assert_int_equal(client_call(&c, "POST", "/api/v1/session", body), 200);
	assert_non_null(strstr(c.body, "\"mfa\":\"code\""));
	/* Nothing personal before the second factor. */
	assert_int_equal(client_call(&c, "GET", "/api/v1/me", NULL), 200);
	assert_null(strstr(c.body, "display_name"));
	assert_int_equal(client_call(&c, "GET", "/api/v1/audit", NULL), 403);
	assert_string_equal(client_code(&c), "mfa_required");
	/* The code used at enrolment (same step) or any code used once is
	 * refused the second time. */
	assert_int_equal(client_totp(&c, 1, code), 0);
	snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
	assert_int_equal(client_call(&c, "POST", "/api/v1/session/mfa", body),
	    200);
	assert_int_equal(client_call(&c, "GET", "/api/v1/audit", NULL), 200);
	client_free(&c);
	client_init(&c, srv.port);
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    p->email, p->pw);
	assert_int_equal(client_call(&c, "POST", "/api/v1/session", body), 200);
	snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
	assert_int_equal(client_call(&c, "POST", "/api/v1/session/mfa", body),
	    422);
	assert_string_equal(client_code(&c), "invalid_code");
	client_free(&c);
}

static void
test_deactivation_ends_sessions(void **state)
{
	struct person *admin = &people[ROLE_SCHOOL_ADMIN];
	struct person p;
	char path[256];

	(void)state;
	memset(&p, 0, sizeof(p));
	p.role = ROLE_TRAINER;
	snprintf(p.email, sizeof(p.email), "leaving@tilleuls-test.example");
	assert_int_equal(user_add(org_a, &p, "Morgan Depart"), 0);
	client_init(&p.c, srv.port);
	snprintf(p.pw, sizeof(p.pw), NEW_PW, 77);
	assert_int_equal(client_onboard(&p.c, p.email, p.temp, p.pw, 1), 0);
	assert_int_equal(client_call(&p.c, "GET", "/api/v1/me/sessions", NULL),
	    200);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts/%s/deactivation",
	    org_a, p.id);
	assert_int_equal(client_call(&admin->c, "POST", path, NULL), 200);
	/* The open session is refused at its very next request. */
	assert_int_equal(client_call(&p.c, "GET", "/api/v1/me", NULL), 401);
	client_free(&p.c);
}

static void
test_temporary_grant_expires(void **state)
{
	struct person *admin = &people[ROLE_SCHOOL_ADMIN];
	struct person *mgr = &people[ROLE_SCHOOL_MANAGER];
	char path[256], body[128], until[32];
	char journal[256];

	(void)state;
	snprintf(journal, sizeof(journal), "/api/v1/orgs/%s/journal", org_a);
	assert_int_equal(client_call(&mgr->c, "GET", journal, NULL), 403);
	/* Two seconds from now. */
	{
		time_t t = time(NULL) + 3;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(until, sizeof(until), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts/%s/grants",
	    org_a, mgr->id);
	snprintf(body, sizeof(body),
	    "{\"permission\":\"journal.read\",\"expires_at\":\"%s\"}", until);
	/* What the admin does not hold cannot be lent. */
	{
		char nope[128];

		snprintf(nope, sizeof(nope),
		    "{\"permission\":\"breach.manage\",\"expires_at\":\"%s\"}",
		    until);
		assert_int_equal(client_call(&admin->c, "POST", path, nope),
		    403);
	}
	assert_int_equal(client_call(&admin->c, "POST", path, body), 201);
	assert_int_equal(client_call(&mgr->c, "GET", journal, NULL), 200);
	assert_non_null(strstr(mgr->c.body, "\"event\""));
	sleep(4);
	assert_int_equal(client_call(&mgr->c, "GET", journal, NULL), 403);
}

static void
test_secrets_not_in_clear(void **state)
{
	char path[400], sess[128];
	const char *suffix[] = { "", "-wal" };
	FILE *f;
	char *buf, *log;
	long n;
	int i, r;

	(void)state;
	assert_int_equal(client_cookie(&people[ROLE_SCHOOL_ADMIN].c,
			     "__Host-creneau", sess, sizeof(sess)),
	    0);
	log = harness_log(&srv);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s%s", srv.db, suffix[i]);
		f = fopen(path, "rb");
		if (f == NULL)
			continue;
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc((size_t)n + 1);
		assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
		fclose(f);
		for (r = 0; r < ROLE_COUNT; r++) {
			assert_null(memmem(buf, (size_t)n, people[r].temp,
			    strlen(people[r].temp)));
			assert_null(memmem(buf, (size_t)n, people[r].pw,
			    strlen(people[r].pw)));
			assert_null(memmem(buf, (size_t)n, people[r].email,
			    strlen(people[r].email)));
			if (people[r].c.secret_b32[0])
				assert_null(memmem(buf, (size_t)n,
				    people[r].c.secret_b32,
				    strlen(people[r].c.secret_b32)));
		}
		assert_null(memmem(buf, (size_t)n, sess, strlen(sess)));
		free(buf);
	}
	for (r = 0; r < ROLE_COUNT; r++) {
		assert_null(strstr(log, people[r].temp));
		assert_null(strstr(log, people[r].pw));
		assert_null(strstr(log, people[r].email));
	}
	assert_null(strstr(log, sess));
	free(log);
}

static void
test_register_for_the_dpo(void **state)
{
	struct person *dpo = &people[ROLE_DPO];

	(void)state;
	assert_int_equal(client_call(&dpo->c, "GET", "/api/v1/register", NULL),
	    200);
	assert_non_null(strstr(dpo->c.body, "\"activities\""));
	assert_int_equal(client_call(&dpo->c, "GET",
			     "/api/v1/register?format=html", NULL),
	    200);
	assert_non_null(strstr(dpo->c.body, "<table"));
	assert_null(strstr(dpo->c.body, "<script"));
	assert_non_null(strstr(dpo->c.headers, "text/html; charset=utf-8"));
	assert_non_null(strstr(dpo->c.headers,
	    "Content-Security-Policy: sandbox; default-src 'none'"));
	/* The CSV too, its cells neutralised against formulas. */
	assert_int_equal(client_call(&dpo->c, "GET",
			     "/api/v1/register?format=csv", NULL),
	    200);
	assert_non_null(strstr(dpo->c.headers,
	    "Content-Security-Policy: sandbox; default-src 'none'"));
	assert_non_null(strstr(dpo->c.headers, "attachment"));
	assert_int_equal(client_call(&dpo->c, "GET",
			     "/api/v1/register?format=pdf", NULL),
	    400);
}

/* The DPO checks the whole audit chain over HTTP; the check is audited. */
static void
test_audit_verification(void **state)
{
	struct person *dpo = &people[ROLE_DPO];

	(void)state;
	assert_int_equal(client_call(&dpo->c, "GET",
			     "/api/v1/audit/verification", NULL),
	    200);
	assert_non_null(strstr(dpo->c.body, "\"intact\":true"));
	assert_non_null(strstr(dpo->c.body, "\"checked\":"));
	assert_int_equal(client_call(&dpo->c, "GET",
			     "/api/v1/audit?action=audit.verify", NULL),
	    200);
	assert_non_null(strstr(dpo->c.body, "\"action\":\"audit.verify\""));
}

static void
test_breach_register(void **state)
{
	struct person *dpo = &people[ROLE_DPO];
	struct person *admin = &people[ROLE_SCHOOL_ADMIN];
	char path[256], at[32], body[1024];
	json_t *o;
	const char *id;
	time_t t = time(NULL) - 3600;
	struct tm tm;

	(void)state;
	gmtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(body, sizeof(body),
	    "{\"discovered_at\":\"%s\",\"high_risk\":true,"
	    "\"people_count\":120,\"records_count\":300,"
	    "\"nature\":\"Ordinateur portable volé\","
	    "\"people_categories\":\"Candidats\","
	    "\"record_categories\":\"Identité, NEPH\","
	    "\"consequences\":\"Usurpation possible\","
	    "\"measures\":\"Clés révoquées, comptes réinitialisés\"}",
	    at);
	assert_int_equal(client_call(&admin->c, "POST", "/api/v1/breaches",
			     body),
	    403);
	assert_int_equal(client_call(&dpo->c, "POST", "/api/v1/breaches", body),
	    201);
	o = client_json(&dpo->c);
	id = json_string_value(json_object_get(o, "id"));
	assert_non_null(id);
	assert_string_equal(json_string_value(
				json_object_get(json_object_get(o, "clock"),
				    "state")),
	    "pending");
	/* The contact defaults to the data map's DPO. */
	assert_true(json_string_length(json_object_get(o, "contact")) > 0);
	snprintf(path, sizeof(path), "/api/v1/breaches/%s/cnil-notification",
	    id);
	assert_int_equal(client_call(&dpo->c, "GET", path, NULL), 200);
	assert_non_null(strstr(dpo->c.body, "Ordinateur portable volé"));
	assert_non_null(strstr(dpo->c.body, "120"));
	snprintf(path, sizeof(path), "/api/v1/breaches/%s/notice", id);
	assert_int_equal(client_call(&dpo->c, "GET", path, NULL), 200);
	snprintf(path, sizeof(path), "/api/v1/breaches/%s", id);
	assert_int_equal(client_call(&dpo->c, "POST", path,
			     "{\"cnil_notified\":true}"),
	    200);
	assert_non_null(strstr(dpo->c.body, "\"notified\""));
	assert_int_equal(client_call(&dpo->c, "GET", "/api/v1/breaches", NULL),
	    200);
	assert_non_null(strstr(dpo->c.body, id));
	json_decref(o);
}

static void
test_sign_out(void **state)
{
	struct person *p = &people[ROLE_CANDIDATE];
	char *clear;

	(void)state;
	assert_int_equal(client_call(&p->c, "DELETE", "/api/v1/session", NULL),
	    200);
	clear = strstr(p->c.headers, "Clear-Site-Data");
	assert_non_null(clear);
	assert_int_equal(client_call(&p->c, "GET", "/api/v1/me", NULL), 401);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_other_organisation_is_not_found),
		cmocka_unit_test(test_staff_grant_needs_second_factor),
		cmocka_unit_test(test_dpo_comes_from_the_platform),
		cmocka_unit_test(test_candidates_out_of_school_reach),
		cmocka_unit_test(test_anonymous_and_csrf),
		cmocka_unit_test(test_replayed_totp_refused),
		cmocka_unit_test(test_deactivation_ends_sessions),
		cmocka_unit_test(test_temporary_grant_expires),
		cmocka_unit_test(test_secrets_not_in_clear),
		cmocka_unit_test(test_register_for_the_dpo),
		cmocka_unit_test(test_audit_verification),
		cmocka_unit_test(test_breach_register),
		cmocka_unit_test(test_sign_out),
		/* Last: ten failures from this address slow it down too. */
		cmocka_unit_test(test_wrong_passwords_lock),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
