/*
 * test_rights.c - the rights of access and erasure against the real
 * `creneau` binary: a candidate made with `creneau org add` and `user
 * add` signs in, changes the password, downloads the export (JSON and
 * HTML), then erases the account; signing in again fails and the DPO of
 * the people's place (where candidates live) no longer sees the address.
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

#include <curl/curl.h>

#include "auth/auth.h"
#include "client.h"
#include "harness.h"

#define CAND_EMAIL "camille.durand@rights-test.example"
#define CAND_PW "violet Chaton rivière 42 sable doux"
#define ADMIN_EMAIL "dpo@rights-test.example"
#define ADMIN_PW "ambre Falaise lanterne 7 houle claire"

static struct proc srv;
static char store_env[400];
static char org[64];
static char cand_temp[64], admin_temp[64];

static int
run(const char *const *args, char *out, size_t outlen)
{
	const char *env[] = { store_env, NULL };

	return harness_run(args, env, out, outlen);
}

/* The line of 32 hex digits in out (logs may precede it). */
static int
hex_line(const char *out, char id[64])
{
	const char *p = out, *nl;
	size_t n;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n == 32 && strspn(p, "0123456789abcdef") == 32) {
			memcpy(id, p, 32);
			id[32] = '\0';
			return 0;
		}
		p += n + (nl != NULL);
	}
	return -1;
}

static int
user_add(const char *email, const char *role, char temp[64])
{
	/* Candidates and the DPO answering them: the people's place. */
	const char *args[] = { "user", "add", "--org", AUTH_PEOPLE_ORG,
		"--email", email, "--name", "Camille Durand", "--role", role,
		NULL };
	char buf[1024];
	const char *t;

	if (run(args, buf, sizeof(buf)) != 0 ||
	    (t = strstr(buf, "temporary password ")) == NULL) {
		fprintf(stderr, "user add: %s\n", buf);
		return -1;
	}
	return sscanf(t + 19, "%63s", temp) == 1 ? 0 : -1;
}

static int
setup(void **state)
{
	static const char *const demo[] = { "demo-data", NULL };
	const char *args[] = { "org", "add", "--name", "Auto-école des Droits",
		"--kind", "school", NULL };
	char buf[1024];

	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&srv, 0, sizeof(srv));
	if (harness_tmpdir(&srv) != 0)
		return -1;
	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s", srv.db);
	if (run(demo, buf, sizeof(buf)) != 0 ||
	    run(args, buf, sizeof(buf)) != 0 || hex_line(buf, org) != 0 ||
	    user_add(CAND_EMAIL, "candidate", cand_temp) != 0 ||
	    user_add(ADMIN_EMAIL, "dpo", admin_temp) != 0)
		return -1;
	return harness_start(&srv, NULL, 0);
}

static int
teardown(void **state)
{
	(void)state;
	harness_stop(&srv, SIGTERM);
	harness_cleanup(&srv);
	curl_global_cleanup();
	return 0;
}

static int
sign_in(struct client *c, const char *email, const char *pw)
{
	char body[256];

	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    email, pw);
	return (int)client_call(c, "POST", "/api/v1/session", body);
}

static void
test_export_then_erase(void **state)
{
	struct client cand, admin, again;
	char path[128];
	json_t *o;

	(void)state;
	client_init(&cand, srv.port);
	client_init(&admin, srv.port);
	client_init(&again, srv.port);
	assert_int_equal(client_onboard(&cand, CAND_EMAIL, cand_temp, CAND_PW,
			     0),
	    0);
	assert_int_equal(client_onboard(&admin, ADMIN_EMAIL, admin_temp,
			     ADMIN_PW, 1),
	    0);

	/* The export, JSON: the address and the categories. */
	assert_int_equal(client_call(&cand, "GET", "/api/v1/me/export", NULL),
	    200);
	assert_non_null(strstr(cand.body, CAND_EMAIL));
	assert_non_null(strstr(cand.body, "\"category\":\"contact\""));
	assert_non_null(strstr(cand.body, "\"category\":\"connection_data\""));
	assert_non_null(strstr(cand.body, "Coordonnées : adresse e-mail"));
	assert_non_null(strstr(cand.body, "\"retention\""));
	assert_non_null(strstr(cand.headers, "attachment"));
	o = client_json(&cand);
	assert_non_null(o);
	assert_true(json_array_size(json_object_get(o, "items")) > 5);
	json_decref(o);
	/* The readable summary. */
	assert_int_equal(client_call(&cand, "GET",
			     "/api/v1/me/export?format=html", NULL),
	    200);
	assert_non_null(strstr(cand.headers, "text/html"));
	assert_non_null(strstr(cand.headers, "attachment"));
	/* A download is sandboxed (SECURITY.md). */
	assert_non_null(strstr(cand.headers,
	    "Content-Security-Policy: sandbox; default-src 'none'"));
	assert_non_null(strstr(cand.body, CAND_EMAIL));
	assert_null(strstr(cand.body, "<script"));
	assert_int_equal(client_call(&cand, "GET",
			     "/api/v1/me/export?format=pdf", NULL),
	    400);

	/* Erasure: the wrong password is refused, the right one erases. */
	assert_int_equal(client_call(&cand, "POST", "/api/v1/me/erasure",
			     "{\"password\":\"pas le bon\"}"),
	    422);
	assert_string_equal(client_code(&cand), "password_refused");
	assert_int_equal(client_call(&cand, "POST", "/api/v1/me/erasure",
			     "{\"password\":\"" CAND_PW "\"}"),
	    200);
	assert_non_null(strstr(cand.body, "\"status\":\"erased\""));
	assert_non_null(strstr(cand.body, "Journal des connexions"));
	assert_non_null(strstr(cand.headers, "Clear-Site-Data"));
	/* The session is gone. */
	assert_int_equal(client_call(&cand, "GET", "/api/v1/me", NULL), 401);
	/* Signing in again fails. */
	assert_int_equal(sign_in(&again, CAND_EMAIL, CAND_PW), 401);
	/* The people's DPO no longer sees the address. */
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts",
	    AUTH_PEOPLE_ORG);
	assert_int_equal(client_call(&admin, "GET", path, NULL), 200);
	assert_non_null(strstr(admin.body, ADMIN_EMAIL));
	assert_null(strstr(admin.body, CAND_EMAIL));
	client_free(&cand);
	client_free(&admin);
	client_free(&again);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_then_erase),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
