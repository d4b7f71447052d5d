/*
 * test_privacy.c - the privacy policy, the consent ledger and the
 * rights-request register against the real `creneau` binary: the policy
 * is public; a new account sees the policy update pending until it
 * acknowledges the current version; it gives and withdraws a consent,
 * rectifies its name and files a request; the DPO sees the register with
 * late requests, cannot close before verifying the identity nor extend
 * beyond three months; the person reads the extension's reason. A run of
 * the retention engine shows up in the DPO's purge reports.
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

#define CAND_EMAIL "camille.durand@privacy-test.example"
#define CAND_PW "violet Chaton rivière 42 sable doux"
#define ADMIN_EMAIL "dpo@privacy-test.example"
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
	/* Candidates live in the people's place; so does the DPO who
	 * answers their rights requests (appointed by the platform). */
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
	const char *args[] = { "org", "add", "--name",
		"Auto-école de la Vie Privée", "--kind", "school", NULL };
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

/* The string member k of the last JSON body of c, copied into out. */
static void
member(const struct client *c, const char *k, char *out, size_t n)
{
	json_t *o = client_json(c);
	const char *v = json_string_value(json_object_get(o, k));

	assert_non_null(v);
	snprintf(out, n, "%s", v);
	json_decref(o);
}

static void
test_policy_public(void **state)
{
	struct client anon;
	char version[128];

	(void)state;
	client_init(&anon, srv.port);
	assert_int_equal(client_call(&anon, "GET", "/api/v1/privacy-policy",
			     NULL),
	    200);
	member(&anon, "version", version, sizeof(version));
	assert_int_equal(strncmp(version, "1.0+", 4), 0);
	assert_non_null(strstr(anon.body, "\"sections\""));
	assert_int_equal(client_call(&anon, "GET",
			     "/api/v1/privacy-policy?format=html", NULL),
	    200);
	assert_non_null(strstr(anon.headers, "text/html"));
	assert_non_null(strstr(anon.body, "Politique de confidentialité"));
	assert_non_null(strstr(anon.body, version));
	assert_non_null(strstr(anon.body, "XSRF-TOKEN"));
	assert_null(strstr(anon.body, "<script"));
	assert_int_equal(client_call(&anon, "GET",
			     "/api/v1/privacy-policy?format=pdf", NULL),
	    400);
	/* The page of the web UI that shows it. */
	assert_int_equal(client_call(&anon, "GET", "/confidentialite.html",
			     NULL),
	    200);
	assert_non_null(strstr(anon.body, "/js/confidentialite.js"));
	client_free(&anon);
}

static void
test_consents_and_requests(void **state)
{
	struct client cand, dpo;
	char version[128], body[256], mine[64], old[64], path[128];
	json_t *o, *list, *it;
	size_t i;
	int late_seen = 0;

	(void)state;
	client_init(&cand, srv.port);
	client_init(&dpo, srv.port);
	assert_int_equal(client_onboard(&cand, CAND_EMAIL, cand_temp, CAND_PW,
			     0),
	    0);
	assert_int_equal(client_call(&cand, "GET", "/api/v1/privacy-policy",
			     NULL),
	    200);
	member(&cand, "version", version, sizeof(version));

	/* A new account has not read the policy yet. */
	assert_int_equal(client_call(&cand, "GET", "/api/v1/me", NULL), 200);
	assert_non_null(strstr(cand.body, "\"policy_update_pending\":true"));
	assert_int_equal(client_call(&cand, "POST",
			     "/api/v1/me/policy-acknowledgement",
			     "{\"version\":\"0.9+0000000000000000\"}"),
	    422);
	assert_string_equal(client_code(&cand), "stale_version");
	snprintf(body, sizeof(body), "{\"version\":\"%s\"}", version);
	assert_int_equal(client_call(&cand, "POST",
			     "/api/v1/me/policy-acknowledgement", body),
	    200);
	assert_int_equal(client_call(&cand, "GET", "/api/v1/me", NULL), 200);
	assert_non_null(strstr(cand.body, "\"policy_update_pending\":false"));

	/* Giving and withdrawing, the same way. */
	assert_int_equal(client_call(&cand, "POST", "/api/v1/me/consents",
			     "{\"purpose\":\"optional_emails\",\"given\":true,"
			     "\"via\":\"web\"}"),
	    200);
	assert_non_null(strstr(cand.body, "\"active\":true"));
	assert_int_equal(client_call(&cand, "POST", "/api/v1/me/consents",
			     "{\"purpose\":\"optional_emails\","
			     "\"given\":false}"),
	    200);
	assert_non_null(strstr(cand.body, "\"withdrawn_via\":\"api\""));
	assert_int_equal(client_call(&cand, "POST", "/api/v1/me/consents",
			     "{\"purpose\":\"publicite\",\"given\":true}"),
	    422);

	/* Rectification of the name. */
	assert_int_equal(client_call(&cand, "POST", "/api/v1/me/rectification",
			     "{\"display_name\":\"Camille Dupont\"}"),
	    200);
	assert_int_equal(client_call(&cand, "GET", "/api/v1/me", NULL), 200);
	assert_non_null(strstr(cand.body, "Camille Dupont"));

	/* A request for oneself, verified by signing in. */
	assert_int_equal(client_call(&cand, "POST",
			     "/api/v1/me/rights-requests",
			     "{\"kind\":\"portability\",\"message\":\"Mes "
			     "données\"}"),
	    201);
	member(&cand, "id", mine, sizeof(mine));
	assert_non_null(strstr(cand.body, "\"state\":\"verified\""));
	assert_int_equal(client_call(&cand, "GET", "/api/v1/rights-requests",
			     NULL),
	    403);

	/* The DPO's register. */
	assert_int_equal(client_onboard(&dpo, ADMIN_EMAIL, admin_temp, ADMIN_PW,
			     1),
	    0);
	assert_int_equal(client_call(&dpo, "POST", "/api/v1/rights-requests",
			     "{\"kind\":\"access\",\"identity\":\"Jeanne "
			     "Martin, par courrier\",\"received_at\":"
			     "\"2020-01-06T09:00:00Z\"}"),
	    201);
	member(&dpo, "id", old, sizeof(old));
	assert_non_null(
	    strstr(dpo.body, "\"due_at\":\"2020-02-06T09:00:00Z\""));
	assert_int_equal(client_call(&dpo, "GET", "/api/v1/rights-requests",
			     NULL),
	    200);
	o = client_json(&dpo);
	list = json_object_get(o, "requests");
	assert_int_equal(json_array_size(list), 2);
	json_array_foreach (list, i, it) {
		if (strcmp(json_string_value(json_object_get(it, "id")), old) ==
		    0) {
			assert_true(json_is_true(json_object_get(it, "late")));
			late_seen = 1;
		} else {
			assert_false(json_is_true(json_object_get(it, "late")));
		}
	}
	json_decref(o);
	assert_true(late_seen);
	/* No outcome before the identity is verified. */
	snprintf(path, sizeof(path), "/api/v1/rights-requests/%s", old);
	assert_int_equal(client_call(&dpo, "POST", path,
			     "{\"action\":\"close\",\"outcome\":\"Envoyé\"}"),
	    422);
	assert_non_null(strstr(dpo.body, "vérification de l'identité"));
	/* No extension beyond three months in all. */
	snprintf(path, sizeof(path), "/api/v1/rights-requests/%s", mine);
	assert_int_equal(client_call(&dpo, "POST", path,
			     "{\"action\":\"extend\",\"months\":3,"
			     "\"reason\":\"Complexe\"}"),
	    422);
	assert_string_equal(client_code(&dpo), "invalid_step");
	assert_non_null(strstr(dpo.body, "trois mois"));
	assert_int_equal(client_call(&dpo, "POST", path,
			     "{\"action\":\"extend\",\"months\":2,"
			     "\"reason\":\"Archives à rassembler\"}"),
	    200);
	assert_non_null(strstr(dpo.body, "\"state\":\"extended\""));
	/* The person reads the reason. */
	assert_int_equal(client_call(&cand, "GET", "/api/v1/me/rights-requests",
			     NULL),
	    200);
	assert_non_null(strstr(cand.body, "Archives à rassembler"));
	assert_null(strstr(cand.body, "Jeanne"));
	/* Another request id is not found. */
	assert_int_equal(client_call(&dpo, "GET",
			     "/api/v1/rights-requests/"
			     "00000000000000000000000000000000",
			     NULL),
	    404);
	client_free(&cand);
	client_free(&dpo);
}

/* How many reports GET /api/v1/purge-reports lists for c (the newest in
 * *first, a new reference, when there is one). */
static size_t
purge_reports(struct client *c, json_t **first)
{
	json_t *o, *list;
	size_t n;

	assert_int_equal(client_call(c, "GET", "/api/v1/purge-reports?limit=5",
			     NULL),
	    200);
	o = client_json(c);
	list = json_object_get(o, "reports");
	assert_true(json_is_array(list));
	n = json_array_size(list);
	if (first != NULL)
		*first = n ? json_incref(json_array_get(list, 0)) : NULL;
	json_decref(o);
	return n;
}

static void
test_purge_reports(void **state)
{
	static const char *const retention[] = { "retention", "run", NULL };
	const char *email = "dpo2@privacy-test.example";
	struct client dpo;
	char temp[64], out[8192];
	json_t *rep, *rules, *it;
	size_t before, i;
	int held = 0, applied = 0;

	(void)state;
	assert_int_equal(user_add(email, "dpo", temp), 0);
	client_init(&dpo, srv.port);
	assert_int_equal(client_onboard(&dpo, email, temp, ADMIN_PW, 1), 0);
	before = purge_reports(&dpo, NULL);
	assert_true(before < 5);
	assert_int_equal(client_call(&dpo, "GET",
			     "/api/v1/purge-reports?limit=0", NULL),
	    400);
	assert_string_equal(client_code(&dpo), "out_of_range");

	/* The daily job's run, at once from the command line. */
	assert_int_equal(run(retention, out, sizeof(out)), 0);
	assert_int_equal(purge_reports(&dpo, &rep), before + 1);
	assert_non_null(rep);
	assert_true(json_integer_value(json_object_get(rep, "id")) > 0);
	assert_true(json_is_false(json_object_get(rep, "simulated")));
	assert_true(json_is_integer(json_object_get(rep, "total")));
	assert_non_null(json_string_value(json_object_get(rep, "started_at")));
	rules = json_object_get(rep, "rules");
	assert_true(json_array_size(rules) > 0);
	json_array_foreach (rules, i, it) {
		const char *st =
		    json_string_value(json_object_get(it, "status"));

		assert_non_null(st);
		held += strcmp(st, "held") == 0;
		applied += strcmp(st, "applied") == 0;
	}
	assert_true(held > 0 && applied > 0); /* codes, not sentences */
	assert_true(json_array_size(json_object_get(rep, "categories")) > 0);
	assert_non_null(json_string_value(
	    json_object_get(json_array_get(json_object_get(rep, "categories"),
				0),
		"category")));
	json_decref(rep);
	client_free(&dpo);
}

/*
 * A person known only to the registry (no account) exercises their
 * rights through the DPO: the DPO finds them by NEPH (in the body, never
 * the URL) once the identity is verified, downloads their data, and
 * erases their file with the same crypto-shredding; an erasure request of
 * such a person cannot be declared done without it.
 */
static void
test_registry_person(void **state)
{
	const char *email = "dpo3@privacy-test.example";
	struct client dpo;
	char temp[64], path[160], export[200], access[64], erase[64];

	(void)state;
	assert_int_equal(user_add(email, "dpo", temp), 0);
	client_init(&dpo, srv.port);
	assert_int_equal(client_onboard(&dpo, email, temp, ADMIN_PW, 1), 0);

	/* Access. */
	assert_int_equal(client_call(&dpo, "POST", "/api/v1/rights-requests",
			     "{\"kind\":\"access\",\"identity\":\"M. Bernard,"
			     " par courrier\"}"),
	    201);
	member(&dpo, "id", access, sizeof(access));
	snprintf(export, sizeof(export),
	    "/api/v1/rights-requests/%s/registry-export", access);
	/* Not before the identity is verified. */
	assert_int_equal(client_call(&dpo, "POST", export,
			     "{\"neph\":\"000130400007\"}"),
	    422);
	snprintf(path, sizeof(path), "/api/v1/rights-requests/%s", access);
	assert_int_equal(client_call(&dpo, "POST", path,
			     "{\"action\":\"verify\"}"),
	    200);
	assert_int_equal(client_call(&dpo, "POST", export,
			     "{\"neph\":\"12AB\"}"),
	    422);
	assert_string_equal(client_code(&dpo), "invalid_neph");
	assert_int_equal(client_call(&dpo, "POST", export,
			     "{\"neph\":\"999999999999\"}"),
	    404);
	assert_string_equal(client_code(&dpo), "registry_not_found");
	assert_int_equal(client_call(&dpo, "POST", export,
			     "{\"neph\":\"000130400007\"}"),
	    200);
	assert_non_null(strstr(dpo.body, "Bernard"));
	assert_non_null(strstr(dpo.body, "000130400007"));
	assert_non_null(
	    strstr(dpo.body, "\"category\":\"candidate_identity\""));
	assert_non_null(strstr(dpo.headers, "attachment"));
	assert_non_null(strstr(dpo.headers,
	    "Content-Security-Policy: sandbox; default-src 'none'"));
	assert_int_equal(client_call(&dpo, "POST", export,
			     "{\"neph\":\"000130400007\",\"format\":\"html\"}"),
	    200);
	assert_non_null(strstr(dpo.headers, "text/html"));
	assert_non_null(strstr(dpo.body, "Bernard"));
	assert_null(strstr(dpo.body, "<script"));

	/* Erasure. */
	assert_int_equal(client_call(&dpo, "POST", "/api/v1/rights-requests",
			     "{\"kind\":\"erasure\",\"identity\":\"M. Bernard,"
			     " par courrier\"}"),
	    201);
	member(&dpo, "id", erase, sizeof(erase));
	snprintf(path, sizeof(path), "/api/v1/rights-requests/%s", erase);
	assert_int_equal(client_call(&dpo, "POST", path,
			     "{\"action\":\"verify\"}"),
	    200);
	/* Declared done without erasing anything: refused. */
	assert_int_equal(client_call(&dpo, "POST", path,
			     "{\"action\":\"close\",\"outcome\":\"Fait\"}"),
	    422);
	assert_non_null(strstr(dpo.body, "erase_registry"));
	assert_int_equal(client_call(&dpo, "POST", path,
			     "{\"action\":\"erase_registry\","
			     "\"neph\":\"000130400007\"}"),
	    200);
	assert_non_null(strstr(dpo.body, "\"state\":\"done\""));
	assert_non_null(strstr(dpo.body, "\"registry_files_erased\":1"));
	assert_non_null(strstr(dpo.body, "clé qui chiffrait"));
	/* The file is gone: the NEPH finds nothing any more. */
	snprintf(path, sizeof(path), "/api/v1/rights-requests/%s", access);
	assert_int_equal(client_call(&dpo, "POST", export,
			     "{\"neph\":\"000130400007\"}"),
	    404);
	client_free(&dpo);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_public),
		cmocka_unit_test(test_consents_and_requests),
		cmocka_unit_test(test_purge_reports),
		cmocka_unit_test(test_registry_person),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
