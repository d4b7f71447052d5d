/*
 * test_partner_openapi.c - the partner surface answers as docs/openapi.yaml
 * says, every documented operation under /api/v2/ taken from the file
 * itself (a path documented later is tested without a line here):
 *  - without a token: 401, documented, with WWW-Authenticate;
 *  - with a token of the scope "lecture" only, an operation that changes
 *    something: 403 insufficient_scope;
 *  - with a full token: a GET gives 200 and JSON; a change with an empty
 *    object gives a status the file lists for it (exactly or by its
 *    class), and a refusal carries its code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "client.h"
#include "demo.h"
#include "harness.h"

#define REDIRECT "https://logiciel.example/retour"
#define VERIFIER "verificateur-du-test-openapi-0123456789-abcdefghij"
#define OPS_MAX 64

static struct proc srv;
static struct demo_account admin = { "plateforme@demo.example", 1 };
static struct demo_account tilleuls = { "gestion@tilleuls.example", 1 };
static struct demo_account *const all[] = { &admin, &tilleuls };

static char client_id[64], secret[64], full[64], readonly[64];
static long long basket, slot;

/* One documented operation. */
struct op {
	char method[8];
	char path[160];
	char codes[16][4]; /* "200", "4XX"... */
	size_t ncodes;
};
static struct op ops[OPS_MAX];
static size_t nops;

/* Reads the /api/v2/ operations of docs/openapi.yaml: a path at two
 * spaces, its methods at four, their response codes at eight. */
static int
load_ops(void)
{
	FILE *f = fopen("docs/openapi.yaml", "r");
	char line[512], path[160] = "";
	int in_responses = 0;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t n = strcspn(line, "\r\n");

		line[n] = '\0';
		if (strncmp(line, "  /", 3) == 0 && line[n - 1] == ':') {
			snprintf(path, sizeof(path), "%.*s", (int)(n - 3),
			    line + 2);
			in_responses = 0;
			continue;
		}
		if (strncmp(line, "  ", 2) == 0 && line[2] != ' ') {
			path[0] = '\0'; /* another top-level key */
			continue;
		}
		if (strncmp(path, "/api/v2/", 8) != 0)
			continue;
		if (strncmp(line, "    ", 4) == 0 &&
		    islower((unsigned char)line[4]) && line[n - 1] == ':' &&
		    strchr(line + 4, ' ') == NULL) {
			struct op *o;

			if (nops == OPS_MAX)
				break;
			o = &ops[nops++];
			snprintf(o->method, sizeof(o->method), "%.*s",
			    (int)(n - 5), line + 4);
			for (char *p = o->method; *p; p++)
				*p = (char)toupper((unsigned char)*p);
			snprintf(o->path, sizeof(o->path), "%s", path);
			in_responses = 0;
			continue;
		}
		if (nops > 0 && strcmp(line, "      responses:") == 0) {
			in_responses = 1;
			continue;
		}
		if (in_responses && strncmp(line, "        \"", 9) == 0 &&
		    ops[nops - 1].ncodes < 16)
			snprintf(ops[nops - 1].codes[ops[nops - 1].ncodes++], 4,
			    "%.3s", line + 9);
	}
	fclose(f);
	return nops > 0 ? 0 : -1;
}

static int
documented(const struct op *o, long status)
{
	char code[24], cls[24];
	size_t i;

	snprintf(code, sizeof(code), "%ld", status);
	snprintf(cls, sizeof(cls), "%ldXX", status / 100);
	for (i = 0; i < o->ncodes; i++)
		if (strcmp(o->codes[i], code) == 0 ||
		    strcmp(o->codes[i], cls) == 0)
			return 1;
	return 0;
}

static void
member(const char *s, const char *name, char *out, size_t outlen)
{
	json_t *o = json_loads(s, 0, NULL);
	const char *v = json_string_value(json_object_get(o, name));

	snprintf(out, outlen, "%s", v ? v : "");
	json_decref(o);
}

/* A query argument of url, into out. */
static void
query_of(const char *url, const char *name, char *out, size_t outlen)
{
	char key[40];
	const char *p;
	size_t w;

	snprintf(key, sizeof(key), "%s=", name);
	p = strstr(url, key);
	assert_non_null(p);
	p += strlen(key);
	w = strcspn(p, "&");
	snprintf(out, outlen, "%.*s", (int)w, p);
}

/* The employee consents to scope and the code is exchanged: the access
 * token into at. */
static void
token_for(const char *scope, char *at, size_t atlen)
{
	char path[1024], loc[600], url[1200], code[128], body[600],
	    challenge[64], basic[200], raw[140], hdr[240];
	unsigned char h[crypto_hash_sha256_BYTES];
	const char *headers[3] = {
		"Content-Type: application/x-www-form-urlencoded", hdr, NULL
	};
	struct reply r;
	const char *l;

	crypto_hash_sha256(h, (const unsigned char *)VERIFIER,
	    strlen(VERIFIER));
	sodium_bin2base64(challenge, sizeof(challenge), h, sizeof(h),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(path, sizeof(path),
	    "/oauth/authorize?response_type=code&client_id=%s&redirect_uri=%s"
	    "&scope=%s&state=s&code_challenge=%s&code_challenge_method=S256",
	    client_id, REDIRECT, scope, challenge);
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 303);
	l = strcasestr(tilleuls.c.headers, "Location: ");
	assert_non_null(l);
	snprintf(loc, sizeof(loc), "%.*s", (int)strcspn(l + 10, "\r\n"),
	    l + 10);
	snprintf(path, sizeof(path), "/api/v1/oauth/requests/%s/decision",
	    loc + strlen("/#/autorisation/"));
	assert_int_equal(client_call(&tilleuls.c, "POST", path,
			     "{\"approve\":true}"),
	    200);
	member(tilleuls.c.body, "redirect", url, sizeof(url));
	query_of(url, "code", code, sizeof(code));
	snprintf(body, sizeof(body),
	    "grant_type=authorization_code&code=%s&redirect_uri=%s"
	    "&code_verifier=%s",
	    code, REDIRECT, VERIFIER);
	snprintf(raw, sizeof(raw), "%s:%s", client_id, secret);
	sodium_bin2base64(basic, sizeof(basic), (const unsigned char *)raw,
	    strlen(raw), sodium_base64_VARIANT_ORIGINAL);
	snprintf(hdr, sizeof(hdr), "Authorization: Basic %s", basic);
	assert_int_equal(http_call(srv.port, "POST", "/oauth/token", headers,
			     body, strlen(body), &r),
	    0);
	assert_int_equal(r.status, 200);
	member(r.body, "access_token", at, atlen);
	reply_free(&r);
}

static long
call(const char *method, const char *path, const char *at, const char *body,
    struct reply *r)
{
	char auth[120];
	const char *headers[3] = { "Content-Type: application/json", NULL,
		NULL };

	if (at != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", at);
		headers[1] = auth;
	}
	assert_int_equal(http_call(srv.port, method, path, headers, body,
			     body ? strlen(body) : 0, r),
	    0);
	return r->status;
}

static int
setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || load_ops() != 0)
		return -1;
	return demo_start(&srv, all, 2);
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, 2);
	return 0;
}

/* The documented path with its {parameters} filled: the employee's own
 * basket, a real slot, and an exam that is not theirs. */
static void
concrete(const char *doc, char *out, size_t outlen)
{
	const char *p = doc;
	size_t len = 0;

	while (*p != '\0' && len + 24 < outlen) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			long long v = strncmp(p, "{slot}", 6) == 0 ? slot
			    : strstr(doc, "/paniers/") != NULL     ? basket
								   : 999999;

			len += (size_t)snprintf(out + len, outlen - len, "%lld",
			    v);
			p = end + 1;
		} else {
			out[len++] = *p++;
		}
	}
	out[len] = '\0';
}

static void
test_the_file_lists_the_partner_surface(void **state)
{
	size_t i;

	(void)state;
	/* RULES.md « Partner API shape »: at least these. */
	assert_true(nops >= 14);
	for (i = 0; i < nops; i++) {
		assert_true(ops[i].ncodes > 0);
		assert_true(documented(&ops[i], 401));
	}
}

static void
test_every_documented_operation_answers_as_documented(void **state)
{
	struct reply r;
	json_t *o, *s;
	char path[300], *www;
	size_t i, k;

	(void)state;
	assert_int_equal(client_call(&admin.c, "POST", "/api/v1/oauth-clients",
			     "{\"name\":\"Contrôle OpenAPI\",\"redirect_uris\":"
			     "[\"" REDIRECT "\"],\"scopes\":[\"lecture\","
			     "\"reservation\"]}"),
	    201);
	member(admin.c.body, "client_id", client_id, sizeof(client_id));
	member(admin.c.body, "client_secret", secret, sizeof(secret));
	token_for("lecture%20reservation", full, sizeof(full));
	token_for("lecture", readonly, sizeof(readonly));
	assert_int_equal(call("GET", "/api/v2/auto-ecole/paniers", full, NULL,
			     &r),
	    200);
	o = json_loads(r.body, 0, NULL);
	basket = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	reply_free(&r);
	assert_int_equal(
	    call("GET", "/api/v2/auto-ecole/planning/recherche?department=44",
		full, NULL, &r),
	    200);
	o = json_loads(r.body, 0, NULL);
	json_array_foreach (json_object_get(o, "slots"), k, s)
		if (slot == 0)
			slot = json_integer_value(json_object_get(s, "id"));
	json_decref(o);
	reply_free(&r);
	assert_true(basket > 0 && slot > 0);

	for (i = 0; i < nops; i++) {
		const struct op *op = &ops[i];
		int get = strcmp(op->method, "GET") == 0;

		concrete(op->path, path, sizeof(path));
		/* No token. */
		call(op->method, path, NULL, get ? NULL : "{}", &r);
		www = reply_header(&r, "WWW-Authenticate");
		if (r.status != 401 || !documented(op, r.status) || www == NULL)
			fail_msg("%s %s without a token: %ld", op->method,
			    op->path, r.status);
		free(www);
		reply_free(&r);
		if (!get) {
			/* Reading only. */
			call(op->method, path, readonly, "{}", &r);
			if (r.status != 403 || !documented(op, 403) ||
			    strstr(r.body, "insufficient_scope") == NULL)
				fail_msg("%s %s, scope lecture: %ld %s",
				    op->method, op->path, r.status, r.body);
			reply_free(&r);
		}
		call(op->method, path, full, get ? NULL : "{}", &r);
		o = json_loads(r.body != NULL ? r.body : "", 0, NULL);
		if (!documented(op, r.status) || (get && r.status != 200) ||
		    (r.status != 204 && o == NULL) ||
		    (r.status >= 400 && json_object_get(o, "code") == NULL &&
			json_object_get(o, "error") == NULL))
			fail_msg("%s %s: %ld, not as documented: %s",
			    op->method, op->path, r.status,
			    r.body ? r.body : "");
		json_decref(o);
		reply_free(&r);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_file_lists_the_partner_surface),
		cmocka_unit_test(
		    test_every_documented_operation_answers_as_documented),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
