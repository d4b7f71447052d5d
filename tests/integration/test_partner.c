/*
 * test_partner.c - partner software against the real `creneau` binary:
 * the platform admin registers a client; a school employee, signed in
 * with their second factor, consents; the software plays the whole
 * authorization code + PKCE dance, refreshes, revokes and introspects
 * over libcurl, as an integrator's program would; then books through
 * /api/v2/auto-ecole with the same services, answers and audit as the
 * web UI, up to the per-employee rate limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "client.h"
#include "demo.h"
#include "harness.h"

#define REDIRECT "https://logiciel.example/retour"
#define VERIFIER "dBjftJeZ4CVP-mJ92K9ZcdE0M7ekVvGZWxQy1dvU0ux-verifier"

static struct proc srv;
static struct demo_account admin = { "plateforme@demo.example", 1 };
static struct demo_account tilleuls = { "gestion@tilleuls.example", 1 };
static struct demo_account camille = { "candidat@demo.example", 0 };
static struct demo_account dpo = { "dpo@tilleuls.example", 1 };
static struct demo_account *const all[] = { &admin, &tilleuls, &camille, &dpo };
#define NALL (sizeof(all) / sizeof(all[0]))

static char client_id[64], secret[64], other_id[64], other_secret[64];
static char challenge[64];

static int
setup(void **state)
{
	static const char *const env[] = {
		"CRENEAU_RATELIMIT_EMPLOYEE_PER_MINUTE=80", NULL
	};
	unsigned char h[crypto_hash_sha256_BYTES];

	(void)state;
	if (sodium_init() < 0)
		return -1;
	crypto_hash_sha256(h, (const unsigned char *)VERIFIER,
	    strlen(VERIFIER));
	sodium_bin2base64(challenge, sizeof(challenge), h, sizeof(h),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return demo_start_env(&srv, env, all, NALL);
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, NALL);
	return 0;
}

/* A string member of the JSON text s, copied into out. */
static void
member(const char *s, const char *name, char *out, size_t outlen)
{
	json_t *o = json_loads(s, 0, NULL);
	const char *v;

	assert_non_null(o);
	v = json_string_value(json_object_get(o, name));
	assert_non_null(v);
	snprintf(out, outlen, "%s", v);
	json_decref(o);
}

/* The value of query parameter name in url, into out; 0 or -1. */
static int
query_of(const char *url, const char *name, char *out, size_t outlen)
{
	const char *p = strchr(url, '?');
	size_t n = strlen(name);

	while (p != NULL) {
		p++;
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			size_t w = strcspn(p + n + 1, "&");
			char *d;
			int len;

			d = curl_easy_unescape(NULL, p + n + 1, (int)w, &len);
			snprintf(out, outlen, "%s", d);
			curl_free(d);
			return 0;
		}
		p = strchr(p, '&');
	}
	return -1;
}

/* The Location header of the employee's last answer, into out. */
static void
location(const struct client *c, char *out, size_t outlen)
{
	const char *h = strstr(c->headers, "Location: ");

	if (h == NULL)
		h = strstr(c->headers, "location: ");
	assert_non_null(h);
	h += 10;
	snprintf(out, outlen, "%.*s", (int)strcspn(h, "\r\n"), h);
}

/* Opens /oauth/authorize as the employee with the extra query q and
 * returns the consent request id (from /#/autorisation/<id>). */
static void
authorize(const char *scope, char *id, size_t idlen)
{
	char path[1024], loc[600];

	snprintf(path, sizeof(path),
	    "/oauth/authorize?response_type=code&client_id=%s"
	    "&redirect_uri=%s&scope=%s&state=etat%%20123"
	    "&code_challenge=%s&code_challenge_method=S256",
	    client_id, REDIRECT, scope, challenge);
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 303);
	location(&tilleuls.c, loc, sizeof(loc));
	assert_int_equal(strncmp(loc, "/#/autorisation/", 16), 0);
	assert_true(strlen(loc + 16) < idlen);
	memcpy(id, loc + 16, strlen(loc + 16) + 1);
}

/* Consents (or not) to request id; returns the redirect URL. */
static void
decide(const char *id, int approve, char *url, size_t urllen)
{
	char path[256];

	snprintf(path, sizeof(path), "/api/v1/oauth/requests/%s/decision", id);
	assert_int_equal(client_call(&tilleuls.c, "POST", path,
			     approve ? "{\"approve\":true}"
				     : "{\"approve\":false}"),
	    200);
	member(tilleuls.c.body, "redirect", url, urllen);
}

/* A whole consent: the code it gives. */
static void
consent(const char *scope, char *code, size_t codelen)
{
	char id[64], url[1200], state[64];

	authorize(scope, id, sizeof(id));
	decide(id, 1, url, sizeof(url));
	assert_int_equal(strncmp(url, REDIRECT "?code=", strlen(REDIRECT) + 6),
	    0);
	assert_int_equal(query_of(url, "state", state, sizeof(state)), 0);
	assert_string_equal(state, "etat 123");
	assert_int_equal(query_of(url, "code", code, codelen), 0);
}

/* POSTs the form body to an /oauth endpoint with HTTP Basic as client
 * id:sec (id NULL: no Authorization header). */
static long
form_post(const char *path, const char *id, const char *sec, const char *body,
    struct reply *r)
{
	char basic[200], raw[140], hdr[240];
	const char *headers[3] = {
		"Content-Type: application/x-www-form-urlencoded", NULL, NULL
	};

	if (id != NULL) {
		snprintf(raw, sizeof(raw), "%s:%s", id, sec);
		sodium_bin2base64(basic, sizeof(basic),
		    (const unsigned char *)raw, strlen(raw),
		    sodium_base64_VARIANT_ORIGINAL);
		snprintf(hdr, sizeof(hdr), "Authorization: Basic %s", basic);
		headers[1] = hdr;
	}
	assert_int_equal(http_call(srv.port, "POST", path, headers, body,
			     strlen(body), r),
	    0);
	return r->status;
}

/* Exchanges code (verifier v, redirect uri) for tokens. */
static long
exchange(const char *code, const char *v, const char *uri, char *at, char *rt,
    struct reply *r)
{
	char body[600];

	snprintf(body, sizeof(body),
	    "grant_type=authorization_code&code=%s&redirect_uri=%s"
	    "&code_verifier=%s",
	    code, uri, v);
	form_post("/oauth/token", client_id, secret, body, r);
	if (r->status == 200) {
		member(r->body, "access_token", at, 64);
		member(r->body, "refresh_token", rt, 64);
	} else {
		print_message("token exchange: %ld %s\n", r->status,
		    r->body != NULL ? r->body : "");
	}
	return r->status;
}

static long
refresh(const char *rt, char *at2, char *rt2, struct reply *r)
{
	char body[200];

	snprintf(body, sizeof(body),
	    "grant_type=refresh_token&refresh_token=%s", rt);
	form_post("/oauth/token", client_id, secret, body, r);
	if (r->status == 200) {
		member(r->body, "access_token", at2, 64);
		member(r->body, "refresh_token", rt2, 64);
	}
	return r->status;
}

/* A call of the partner surface with bearer token at. */
static long
partner(const char *method, const char *path, const char *at, const char *body,
    struct reply *r)
{
	char auth[120];
	const char *headers[3] = { auth, "Content-Type: application/json",
		NULL };

	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", at);
	assert_int_equal(http_call(srv.port, method, path, headers, body,
			     body ? strlen(body) : 0, r),
	    0);
	return r->status;
}

static const char *
error_of(const struct reply *r, char *out, size_t outlen)
{
	json_t *o = json_loads(r->body, 0, NULL);
	const char *e = json_string_value(json_object_get(o, "error"));

	if (e == NULL)
		e = json_string_value(json_object_get(o, "code"));
	snprintf(out, outlen, "%s", e ? e : "");
	json_decref(o);
	return out;
}

static void
test_clients_registered_by_the_platform_admin(void **state)
{
	(void)state;
	/* Only the platform admin registers software. */
	assert_int_equal(client_call(&tilleuls.c, "POST",
			     "/api/v1/oauth-clients",
			     "{\"name\":\"X\",\"redirect_uris\":[\"" REDIRECT
			     "\"],\"scopes\":[\"lecture\"]}"),
	    403);
	/* An address in clear over the network is refused, naming the
	 * field. */
	assert_int_equal(client_call(&admin.c, "POST", "/api/v1/oauth-clients",
			     "{\"name\":\"X\",\"redirect_uris\":["
			     "\"http://logiciel.example/retour\"],"
			     "\"scopes\":[\"lecture\"]}"),
	    422);
	assert_string_equal(client_code(&admin.c), "invalid_redirect_uri");
	assert_non_null(strstr(admin.c.body, "\"field\":\"redirect_uris\""));
	assert_int_equal(client_call(&admin.c, "POST", "/api/v1/oauth-clients",
			     "{\"name\":\"X\",\"redirect_uris\":[\"" REDIRECT
			     "\"],\"scopes\":[\"tout\"]}"),
	    422);
	assert_string_equal(client_code(&admin.c), "invalid_scope");

	assert_int_equal(client_call(&admin.c, "POST", "/api/v1/oauth-clients",
			     "{\"name\":\"Logiciel École\",\"redirect_uris\":"
			     "[\"" REDIRECT "\",\"http://127.0.0.1:8123/cb\"],"
			     "\"scopes\":[\"lecture\",\"reservation\"]}"),
	    201);
	member(admin.c.body, "client_id", client_id, sizeof(client_id));
	member(admin.c.body, "client_secret", secret, sizeof(secret));
	assert_int_equal(client_call(&admin.c, "POST", "/api/v1/oauth-clients",
			     "{\"name\":\"Autre logiciel\",\"redirect_uris\":"
			     "[\"https://autre.example/cb\"],"
			     "\"scopes\":[\"lecture\"]}"),
	    201);
	member(admin.c.body, "client_id", other_id, sizeof(other_id));
	member(admin.c.body, "client_secret", other_secret,
	    sizeof(other_secret));
	/* The secret is shown once: never in the list. */
	assert_int_equal(client_call(&admin.c, "GET", "/api/v1/oauth-clients",
			     NULL),
	    200);
	assert_non_null(strstr(admin.c.body, "Logiciel École"));
	assert_null(strstr(admin.c.body, secret));
	assert_null(strstr(admin.c.body, "client_secret"));
}

static void
test_authorize_refusals(void **state)
{
	char path[1024], loc[600], id[64], url[1200], v[64];

	(void)state;
	/* An unknown redirect URI: nothing goes to it. */
	snprintf(path, sizeof(path),
	    "/oauth/authorize?response_type=code&client_id=%s"
	    "&redirect_uri=https://pirate.example/cb&state=s"
	    "&code_challenge=%s&code_challenge_method=S256",
	    client_id, challenge);
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 303);
	location(&tilleuls.c, loc, sizeof(loc));
	assert_string_equal(loc, "/#/autorisation/invalide");
	/* PKCE is mandatory, and S256 only. */
	snprintf(path, sizeof(path),
	    "/oauth/authorize?response_type=code&client_id=%s"
	    "&redirect_uri=" REDIRECT "&state=s1",
	    client_id);
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 303);
	location(&tilleuls.c, loc, sizeof(loc));
	assert_string_equal(loc, REDIRECT "?error=invalid_request&state=s1");
	snprintf(path, sizeof(path),
	    "/oauth/authorize?response_type=code&client_id=%s"
	    "&redirect_uri=" REDIRECT "&state=s2&code_challenge=%s"
	    "&code_challenge_method=plain",
	    client_id, challenge);
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 303);
	location(&tilleuls.c, loc, sizeof(loc));
	assert_string_equal(loc, REDIRECT "?error=invalid_request&state=s2");
	/* A scope the client was not registered for. */
	snprintf(path, sizeof(path),
	    "/oauth/authorize?response_type=code&client_id=%s"
	    "&redirect_uri=https://autre.example/cb&scope=reservation"
	    "&code_challenge=%s&code_challenge_method=S256",
	    other_id, challenge);
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 303);
	location(&tilleuls.c, loc, sizeof(loc));
	assert_string_equal(loc,
	    "https://autre.example/cb?error=invalid_scope");

	/* The consent page names the client and the scopes, for a school
	 * employee only. */
	authorize("lecture%20reservation", id, sizeof(id));
	snprintf(path, sizeof(path), "/api/v1/oauth/requests/%s", id);
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 200);
	assert_non_null(strstr(tilleuls.c.body, "Logiciel École"));
	assert_non_null(strstr(tilleuls.c.body, "\"name\":\"reservation\""));
	assert_int_equal(client_call(&camille.c, "GET", path, NULL), 403);
	/* Refusing sends access_denied with the state back. */
	decide(id, 0, url, sizeof(url));
	assert_int_equal(query_of(url, "error", v, sizeof(v)), 0);
	assert_string_equal(v, "access_denied");
	assert_int_equal(query_of(url, "state", v, sizeof(v)), 0);
	assert_string_equal(v, "etat 123");
	/* And the request is used up. */
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 404);
	assert_string_equal(client_code(&tilleuls.c),
	    "authorization_request_unknown");
}

static void
test_code_exchange(void **state)
{
	char code[64], at[64], rt[64], e[64];
	struct reply r;

	(void)state;
	consent("lecture%20reservation", code, sizeof(code));
	/* Wrong verifier, wrong redirect URI, wrong client, bad secret. */
	assert_int_equal(exchange(code, VERIFIER "x", REDIRECT, at, rt, &r),
	    400);
	assert_string_equal(error_of(&r, e, sizeof(e)), "invalid_grant");
	reply_free(&r);
	assert_int_equal(exchange(code, VERIFIER, "http://127.0.0.1:8123/cb",
			     at, rt, &r),
	    400);
	assert_string_equal(error_of(&r, e, sizeof(e)), "invalid_grant");
	reply_free(&r);
	{
		char body[400];

		snprintf(body, sizeof(body),
		    "grant_type=authorization_code&code=%s&redirect_uri=" REDIRECT
		    "&code_verifier=" VERIFIER,
		    code);
		assert_int_equal(form_post("/oauth/token", other_id,
				     other_secret, body, &r),
		    400);
		reply_free(&r);
		assert_int_equal(form_post("/oauth/token", client_id,
				     other_secret, body, &r),
		    401);
		assert_string_equal(error_of(&r, e, sizeof(e)),
		    "invalid_client");
		{
			char *w = reply_header(&r, "WWW-Authenticate");

			assert_non_null(w);
			free(w);
		}
		reply_free(&r);
	}
	/* The right one. */
	assert_int_equal(exchange(code, VERIFIER, REDIRECT, at, rt, &r), 200);
	assert_non_null(strstr(r.body, "\"token_type\":\"Bearer\""));
	assert_non_null(strstr(r.body, "\"expires_in\":600"));
	{
		char *cc = reply_header(&r, "Cache-Control");

		assert_non_null(cc);
		assert_string_equal(cc, "no-store");
		free(cc);
	}
	reply_free(&r);
	assert_int_equal(partner("GET", "/api/v2/auto-ecole/paniers", at, NULL,
			     &r),
	    200);
	reply_free(&r);
	/* Replayed: refused, and what the code gave is revoked. */
	assert_int_equal(exchange(code, VERIFIER, REDIRECT, e, e, &r), 400);
	reply_free(&r);
	assert_int_equal(partner("GET", "/api/v2/auto-ecole/paniers", at, NULL,
			     &r),
	    401);
	{
		char *w = reply_header(&r, "WWW-Authenticate");

		assert_non_null(w);
		assert_non_null(strstr(w, "invalid_token"));
		free(w);
	}
	reply_free(&r);
	assert_int_equal(refresh(rt, e, e, &r), 400);
	reply_free(&r);
}

static void
test_refresh_rotation_and_reuse(void **state)
{
	char code[64], at[64], rt[64], at2[64], rt2[64], at3[64], rt3[64];
	char x[64], body[300];
	struct reply r;

	(void)state;
	consent("lecture", code, sizeof(code));
	assert_int_equal(exchange(code, VERIFIER, REDIRECT, at, rt, &r), 200);
	reply_free(&r);
	/* Read-only: booking is out of scope. */
	assert_int_equal(partner("POST",
			     "/api/v2/auto-ecole/examens/permutation", at,
			     "{\"exam_ids\":[1,2]}", &r),
	    403);
	assert_string_equal(error_of(&r, x, sizeof(x)), "insufficient_scope");
	reply_free(&r);
	/* Each refresh gives a new pair; the old refresh token is spent. */
	assert_int_equal(refresh(rt, at2, rt2, &r), 200);
	reply_free(&r);
	assert_string_not_equal(rt, rt2);
	assert_int_equal(refresh(rt2, at3, rt3, &r), 200);
	reply_free(&r);
	/* client_secret_post works as well as Basic. */
	snprintf(body, sizeof(body),
	    "grant_type=refresh_token&refresh_token=%s&client_id=%s"
	    "&client_secret=%s",
	    rt3, client_id, secret);
	assert_int_equal(form_post("/oauth/token", NULL, NULL, body, &r), 200);
	member(r.body, "access_token", at3, sizeof(at3));
	member(r.body, "refresh_token", rt3, sizeof(rt3));
	reply_free(&r);
	assert_int_equal(partner("GET", "/api/v2/auto-ecole/examens", at3, NULL,
			     &r),
	    200);
	reply_free(&r);
	/* A spent refresh token comes back: the whole family ends. */
	assert_int_equal(refresh(rt, x, x, &r), 400);
	assert_string_equal(error_of(&r, x, sizeof(x)), "invalid_grant");
	reply_free(&r);
	assert_int_equal(refresh(rt3, x, x, &r), 400);
	reply_free(&r);
	assert_int_equal(partner("GET", "/api/v2/auto-ecole/examens", at3, NULL,
			     &r),
	    401);
	reply_free(&r);
	/* The reuse is in the audit trail. */
	assert_int_equal(client_call(&dpo.c, "GET",
			     "/api/v1/audit?action=oauth.refresh_reuse", NULL),
	    200);
	assert_non_null(strstr(dpo.c.body, "oauth.refresh_reuse"));
	/* And the employee is told, in the app (and by email). */
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/notifications", NULL),
	    200);
	assert_non_null(
	    strstr(tilleuls.c.body, "\"account.partner_token_reused\""));
	assert_non_null(
	    strstr(tilleuls.c.body, "\"account.partner_authorised\""));
}

static void
test_revocation_and_introspection(void **state)
{
	char code[64], at[64], rt[64], body[300], x[64];
	struct reply r;

	(void)state;
	consent("lecture", code, sizeof(code));
	assert_int_equal(exchange(code, VERIFIER, REDIRECT, at, rt, &r), 200);
	reply_free(&r);
	snprintf(body, sizeof(body), "token=%s", at);
	assert_int_equal(form_post("/oauth/introspect", client_id, secret, body,
			     &r),
	    200);
	assert_non_null(strstr(r.body, "\"active\":true"));
	assert_non_null(strstr(r.body, "\"scope\":\"lecture\""));
	reply_free(&r);
	/* Another client learns nothing about it. */
	assert_int_equal(form_post("/oauth/introspect", other_id, other_secret,
			     body, &r),
	    200);
	assert_string_equal(r.body, "{\"active\":false}");
	reply_free(&r);
	/* The employee sees the application, then the software revokes
	 * its refresh token: the grant ends, access token included. */
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/me/oauth-grants", NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.body, "Logiciel École"));
	snprintf(body, sizeof(body), "token=%s&token_type_hint=refresh_token",
	    rt);
	assert_int_equal(form_post("/oauth/revoke", client_id, secret, body,
			     &r),
	    200);
	reply_free(&r);
	snprintf(body, sizeof(body), "token=%s", at);
	assert_int_equal(form_post("/oauth/introspect", client_id, secret, body,
			     &r),
	    200);
	assert_string_equal(r.body, "{\"active\":false}");
	reply_free(&r);
	/* An unknown token revokes nothing and says so to no one. */
	assert_int_equal(form_post("/oauth/revoke", client_id, secret,
			     "token=inconnu", &r),
	    200);
	reply_free(&r);
	/* The employee revokes from the « Applications autorisées » page. */
	consent("lecture", code, sizeof(code));
	assert_int_equal(exchange(code, VERIFIER, REDIRECT, at, rt, &r), 200);
	reply_free(&r);
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/me/oauth-grants", NULL),
	    200);
	{
		json_t *o = client_json(&tilleuls.c);
		const char *gid = json_string_value(
		    json_object_get(json_array_get(json_object_get(o, "grants"),
					0),
			"id"));
		char path[160];

		assert_non_null(gid);
		snprintf(path, sizeof(path), "/api/v1/me/oauth-grants/%s", gid);
		json_decref(o);
		assert_int_equal(client_call(&admin.c, "DELETE", path, NULL),
		    404);
		assert_int_equal(client_call(&tilleuls.c, "DELETE", path, NULL),
		    204);
	}
	assert_int_equal(partner("GET", "/api/v2/auto-ecole/paniers", at, NULL,
			     &r),
	    401);
	reply_free(&r);
	assert_int_equal(refresh(rt, x, x, &r), 400);
	reply_free(&r);
}

static void
test_booking_through_v2(void **state)
{
	char code[64], at[64], rt[64], path[300], body[400], me[64];
	long long slots[2] = { 0, 0 }, cands[2] = { 0, 0 }, basket;
	size_t i, n = 0;
	json_t *o, *list, *s;
	struct reply r;

	(void)state;
	consent("lecture%20reservation", code, sizeof(code));
	assert_int_equal(exchange(code, VERIFIER, REDIRECT, at, rt, &r), 200);
	reply_free(&r);
	/* No cookie works here, only the token. */
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v2/auto-ecole/paniers", NULL),
	    401);
	assert_int_equal(
	    partner("GET", "/api/v2/auto-ecole/centres/recherche?department=44",
		at, NULL, &r),
	    200);
	assert_non_null(strstr(r.body, "\"centres\""));
	reply_free(&r);
	assert_int_equal(
	    partner("GET",
		"/api/v2/auto-ecole/planning/recherche?department=44"
		"&category=B&limit=60",
		at, NULL, &r),
	    200);
	o = json_loads(r.body, 0, NULL);
	reply_free(&r);
	list = json_object_get(o, "slots");
	json_array_foreach (list, i, s)
		if (n < 2 && json_is_true(json_object_get(s, "bookable_now")))
			slots[n++] =
			    json_integer_value(json_object_get(s, "id"));
	json_decref(o);
	assert_int_equal(n, 2);
	assert_int_equal(partner("GET",
			     "/api/v2/auto-ecole/candidats/recherche", at, NULL,
			     &r),
	    200);
	o = json_loads(r.body, 0, NULL);
	reply_free(&r);
	n = 0;
	json_array_foreach (json_object_get(o, "candidates"), i, s) {
		const char *cat =
		    json_string_value(json_object_get(s, "category"));
		const char *ln =
		    json_string_value(json_object_get(s, "last_name"));

		if (n < 1 && cat && strcmp(cat, "B") == 0 &&
		    (ln == NULL || strcmp(ln, "Candidate") != 0))
			cands[n++] =
			    json_integer_value(json_object_get(s, "id"));
	}
	json_decref(o);
	assert_int_equal(n, 1);
	assert_int_equal(partner("GET", "/api/v2/auto-ecole/paniers", at, NULL,
			     &r),
	    200);
	o = json_loads(r.body, 0, NULL);
	basket = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	reply_free(&r);
	/* Several slots at once: one with a candidate, one without. */
	snprintf(path, sizeof(path),
	    "/api/v2/auto-ecole/paniers/%lld/creneaux-multiples", basket);
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":%lld,\"candidate_id\":%lld},"
	    "{\"slot_id\":%lld}]}",
	    slots[0], cands[0], slots[1]);
	assert_int_equal(partner("POST", path, at, body, &r), 200);
	reply_free(&r);
	/* The same refusals as the web UI, with RULES.md's codes. */
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":1},{\"slot_id\":2},{\"slot_id\":3},"
	    "{\"slot_id\":4},{\"slot_id\":5}]}");
	assert_int_equal(partner("POST", path, at, body, &r), 422);
	assert_non_null(strstr(r.body, "\"code\":\"TROP_DE_CRENEAUX\""));
	reply_free(&r);
	/* Validation slot by slot: 207, one booked, one CANDIDAT_OBLIGATOIRE.
	 */
	snprintf(path, sizeof(path), "/api/v2/auto-ecole/paniers/%lld/valider",
	    basket);
	assert_int_equal(partner("POST", path, at, NULL, &r), 207);
	o = json_loads(r.body, 0, NULL);
	reply_free(&r);
	assert_true(json_is_true(json_object_get(o, "contains_errors")));
	list = json_object_get(o, "results");
	assert_int_equal(json_array_size(list), 2);
	assert_true(
	    json_is_true(json_object_get(json_array_get(list, 0), "booked")));
	assert_string_equal(json_string_value(
				json_object_get(json_array_get(list, 1),
				    "code")),
	    "CANDIDAT_OBLIGATOIRE");
	json_decref(o);
	/* The same audit entry as a booking from the web UI: the
	 * employee is the actor. */
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/me", NULL),
	    200);
	member(tilleuls.c.body, "id", me, sizeof(me));
	snprintf(path, sizeof(path),
	    "/api/v1/audit?action=booking.validate&actor=%s", me);
	assert_int_equal(client_call(&dpo.c, "GET", path, NULL), 200);
	assert_non_null(strstr(dpo.c.body, "booking.validate"));
	/* Replacement needs an exam of the school. */
	assert_int_equal(partner("POST",
			     "/api/v2/auto-ecole/examens/remplacement", at,
			     "{\"exam_id\":999999,\"candidate_id\":1}", &r),
	    404);
	assert_non_null(strstr(r.body, "\"code\":\"EXAMEN_INCONNU\""));
	reply_free(&r);
	assert_int_equal(partner("GET", "/api/v2/auto-ecole/mandats", at, NULL,
			     &r),
	    200);
	reply_free(&r);
}

/* A validation with an Idempotency-Key (key NULL: none). */
static long
validate_keyed(long long basket, const char *at, const char *key,
    struct reply *r)
{
	char auth[120], idem[120], path[120];
	const char *headers[3] = { auth, key ? idem : NULL, NULL };

	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", at);
	snprintf(idem, sizeof(idem), "Idempotency-Key: %s", key ? key : "");
	snprintf(path, sizeof(path), "/api/v2/auto-ecole/paniers/%lld/valider",
	    basket);
	assert_int_equal(http_call(srv.port, "POST", path, headers, NULL, 0, r),
	    0);
	return r->status;
}

/* How many exams of the school hold slot (any status). */
static size_t
exams_on_slot(const char *at, long long slot)
{
	json_t *o, *e;
	struct reply r;
	size_t i, n = 0;

	assert_int_equal(partner("GET", "/api/v2/auto-ecole/examens", at, NULL,
			     &r),
	    200);
	o = json_loads(r.body, 0, NULL);
	reply_free(&r);
	json_array_foreach (json_object_get(o, "exams"), i, e)
		n += json_integer_value(json_object_get(e, "slot_id")) == slot;
	json_decref(o);
	return n;
}

/* A partner's software retrying a validation (a timeout, a 5xx) with the
 * same Idempotency-Key gets the first answer again, byte for byte, and
 * books nothing more; a key is for one basket; a malformed key is a 422
 * naming the header. */
static void
test_idempotent_validation(void **state)
{
	char code[64], at[64], rt[64], path[300], body[200], field[64];
	long long slot = 0, basket, exam;
	json_t *o, *list, *s;
	struct reply r, again;
	size_t i;
	int placed = 0;
	char *h, *first;

	(void)state;
	consent("lecture%20reservation", code, sizeof(code));
	assert_int_equal(exchange(code, VERIFIER, REDIRECT, at, rt, &r), 200);
	reply_free(&r);
	/* An empty basket: what an earlier test left in it goes back. */
	assert_int_equal(partner("GET", "/api/v2/auto-ecole/paniers", at, NULL,
			     &r),
	    200);
	o = json_loads(r.body, 0, NULL);
	reply_free(&r);
	basket = json_integer_value(json_object_get(o, "id"));
	json_array_foreach (json_object_get(o, "slots"), i, s) {
		snprintf(path, sizeof(path),
		    "/api/v2/auto-ecole/paniers/%lld/creneaux/%lld", basket,
		    (long long)json_integer_value(
			json_object_get(s, "slot_id")));
		assert_int_equal(partner("DELETE", path, at, NULL, &r), 200);
		reply_free(&r);
	}
	json_decref(o);
	/* A slot open now, into the basket. */
	assert_int_equal(
	    partner("GET",
		"/api/v2/auto-ecole/planning/recherche?department=44"
		"&category=B&limit=60",
		at, NULL, &r),
	    200);
	o = json_loads(r.body, 0, NULL);
	reply_free(&r);
	json_array_foreach (json_object_get(o, "slots"), i, s)
		if (slot == 0 &&
		    json_is_true(json_object_get(s, "bookable_now")))
			slot = json_integer_value(json_object_get(s, "id"));
	json_decref(o);
	assert_true(slot > 0);
	snprintf(path, sizeof(path),
	    "/api/v2/auto-ecole/paniers/%lld/creneaux-multiples", basket);
	snprintf(body, sizeof(body), "{\"slots\":[{\"slot_id\":%lld}]}", slot);
	assert_int_equal(partner("POST", path, at, body, &r), 200);
	reply_free(&r);
	/* A candidate of category B the rules let book (the first the
	 * assignment accepts). */
	assert_int_equal(partner("GET",
			     "/api/v2/auto-ecole/candidats/recherche", at, NULL,
			     &r),
	    200);
	o = json_loads(r.body, 0, NULL);
	reply_free(&r);
	snprintf(path, sizeof(path),
	    "/api/v2/auto-ecole/paniers/%lld/creneaux/%lld", basket, slot);
	list = json_object_get(o, "candidates");
	json_array_foreach (list, i, s) {
		const char *cat =
		    json_string_value(json_object_get(s, "category"));

		if (placed || cat == NULL || strcmp(cat, "B") != 0)
			continue;
		snprintf(body, sizeof(body), "{\"candidate_id\":%lld}",
		    (long long)json_integer_value(json_object_get(s, "id")));
		placed = partner("PUT", path, at, body, &r) == 200;
		reply_free(&r);
	}
	json_decref(o);
	assert_true(placed);

	/* A malformed key: 422 naming the header, nothing booked. */
	assert_int_equal(validate_keyed(basket, at, "essai/0001", &r), 422);
	assert_string_equal(error_of(&r, field, sizeof(field)),
	    "invalid_idempotency_key");
	assert_non_null(strstr(r.body, "\"field\":\"Idempotency-Key\""));
	reply_free(&r);
	assert_int_equal(validate_keyed(basket, at, "court", &r), 422);
	assert_non_null(strstr(r.body, "\"field\":\"Idempotency-Key\""));
	reply_free(&r);
	assert_int_equal(exams_on_slot(at, slot), 0);
	/* A refused validation (not the caller's basket) keeps nothing: the
	 * key is still free for the real one. */
	assert_int_equal(validate_keyed(basket + 1000000, at, "essai-0001", &r),
	    404);
	reply_free(&r);

	/* The first validation books. */
	assert_int_equal(validate_keyed(basket, at, "essai-0001", &r), 200);
	assert_null(reply_header(&r, "Idempotent-Replayed"));
	o = json_loads(r.body, 0, NULL);
	s = json_array_get(json_object_get(o, "results"), 0);
	assert_true(json_is_true(json_object_get(s, "booked")));
	assert_int_equal(json_integer_value(json_object_get(s, "slot_id")),
	    slot);
	exam = json_integer_value(json_object_get(s, "exam_id"));
	assert_true(exam > 0);
	json_decref(o);
	/* The retry: same status, the same bytes, marked replayed; still
	 * one exam on the slot. */
	assert_int_equal(validate_keyed(basket, at, "essai-0001", &again), 200);
	assert_int_equal(again.body_len, r.body_len);
	assert_memory_equal(again.body, r.body, r.body_len);
	h = reply_header(&again, "Idempotent-Replayed");
	assert_non_null(h);
	assert_string_equal(h, "true");
	free(h);
	reply_free(&again);
	reply_free(&r);
	assert_int_equal(exams_on_slot(at, slot), 1);
	/* Without the key, a new validation of the (now empty) basket
	 * books nothing either: the slot left it. */
	assert_int_equal(validate_keyed(basket, at, NULL, &r), 200);
	assert_null(strstr(r.body, "\"booked\":true"));
	reply_free(&r);
	assert_int_equal(exams_on_slot(at, slot), 1);
	/* The same key for another basket id: refused, naming the header. */
	assert_int_equal(validate_keyed(basket + 1000000, at, "essai-0001", &r),
	    422);
	assert_string_equal(error_of(&r, field, sizeof(field)),
	    "idempotency_key_reused");
	assert_non_null(strstr(r.body, "\"field\":\"Idempotency-Key\""));
	reply_free(&r);

	/* The web twin takes the header too (the same handler). */
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	tilleuls.c.extra_header = "Idempotency-Key: essai web";
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 422);
	assert_non_null(
	    strstr(tilleuls.c.body, "\"code\":\"invalid_idempotency_key\""));
	tilleuls.c.extra_header = "Idempotency-Key: essai-web-0001";
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 200);
	assert_null(strstr(tilleuls.c.headers, "Idempotent-Replayed"));
	first = strdup(tilleuls.c.body);
	assert_non_null(first);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 200);
	assert_string_equal(tilleuls.c.body, first);
	free(first);
	assert_non_null(
	    strstr(tilleuls.c.headers, "Idempotent-Replayed: true"));
	/* The key is the account's, whichever surface sent it. */
	assert_int_equal(validate_keyed(basket + 1000000, at, "essai-web-0001",
			     &r),
	    422);
	reply_free(&r);
	tilleuls.c.extra_header = NULL;
}

static void
test_rate_limit(void **state)
{
	char code[64], at[64], rt[64];
	struct reply r;
	int i, limited = 0;
	char *ra = NULL;
	long secs;

	(void)state;
	consent("lecture", code, sizeof(code));
	assert_int_equal(exchange(code, VERIFIER, REDIRECT, at, rt, &r), 200);
	reply_free(&r);
	for (i = 0; i < 200 && !limited; i++) {
		partner("GET", "/api/v2/auto-ecole/paniers", at, NULL, &r);
		if (r.status == 429) {
			limited = 1;
			ra = reply_header(&r, "Retry-After");
			assert_non_null(strstr(r.body, "rate_limited"));
		} else
			assert_int_equal(r.status, 200);
		reply_free(&r);
	}
	assert_true(limited);
	assert_non_null(ra);
	secs = strtol(ra, NULL, 10);
	assert_true(secs >= 1 && secs <= 60);
	free(ra);
}

/* Last: the platform admin revokes the software; its authorisations
 * end with it and it can no longer authenticate. */
static void
test_client_revocation(void **state)
{
	char code[64], at[64], rt[64], path[160], body[200];
	struct reply r;

	(void)state;
	consent("lecture", code, sizeof(code));
	assert_int_equal(exchange(code, VERIFIER, REDIRECT, at, rt, &r), 200);
	reply_free(&r);
	snprintf(path, sizeof(path), "/api/v1/oauth-clients/%s/revocation",
	    client_id);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 403);
	assert_int_equal(client_call(&admin.c, "POST", path, NULL), 204);
	assert_int_equal(client_call(&admin.c, "POST", path, NULL), 404);
	snprintf(body, sizeof(body), "token=%s", at);
	assert_int_equal(form_post("/oauth/introspect", client_id, secret, body,
			     &r),
	    401);
	reply_free(&r);
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/me/oauth-grants", NULL),
	    200);
	assert_null(strstr(tilleuls.c.body, "Logiciel École"));
	assert_int_equal(client_call(&admin.c, "GET", "/api/v1/oauth-clients",
			     NULL),
	    200);
	assert_non_null(strstr(admin.c.body, "\"revoked_at\":\"20"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clients_registered_by_the_platform_admin),
		cmocka_unit_test(test_authorize_refusals),
		cmocka_unit_test(test_code_exchange),
		cmocka_unit_test(test_refresh_rotation_and_reuse),
		cmocka_unit_test(test_revocation_and_introspection),
		cmocka_unit_test(test_booking_through_v2),
		cmocka_unit_test(test_idempotent_validation),
		cmocka_unit_test(test_rate_limit),
		cmocka_unit_test(test_client_revocation),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
