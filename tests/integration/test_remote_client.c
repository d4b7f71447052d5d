/*
 * test_remote_client.c - the retry policy of remote mode's client
 * (src/remote/client.h) against a real HTTP server on loopback that
 * misbehaves on purpose: a GET is tried again after 5xx and after a
 * refused connection; a 429 waits the Retry-After it was given; a call
 * that changes something is never sent twice after a 5xx, unless it
 * carries an Idempotency-Key (then every attempt carries the same one);
 * the token endpoint gets the client's credentials and its refusals are
 * told apart from an authority that does not answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "harness.h"
#include "http/response.h"
#include "http/server.h"
#include "remote/client.h"

static struct http_server *srv;
static struct remote r;
static atomic_int hits_get, hits_post, hits_idem, hits_busy;
static char idem_seen[3][80];

static void
h_flaky_get(struct http_request *req, struct http_response *resp)
{
	(void)req;
	if (atomic_fetch_add(&hits_get, 1) < 2)
		http_problem(req, resp, 503, "unavailable", NULL, "plus tard");
	else
		http_response_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

static void
h_flaky_post(struct http_request *req, struct http_response *resp)
{
	atomic_fetch_add(&hits_post, 1);
	http_problem(req, resp, 503, "unavailable", NULL, "plus tard");
}

static void
h_flaky_idem(struct http_request *req, struct http_response *resp)
{
	int n = atomic_fetch_add(&hits_idem, 1);
	const char *k = http_request_header(req, "Idempotency-Key");

	if (n < 3)
		snprintf(idem_seen[n], sizeof(idem_seen[n]), "%s", k ? k : "");
	if (n < 1)
		http_problem(req, resp, 502, "bad_gateway", NULL, "plus tard");
	else
		http_response_json(resp, 200,
		    json_pack("{s:s}", "done", "once"));
}

static void
h_busy(struct http_request *req, struct http_response *resp)
{
	if (atomic_fetch_add(&hits_busy, 1) < 1) {
		http_problem(req, resp, 429, "rate_limited", NULL, "trop vite");
		http_response_header(resp, "Retry-After", "1");
	} else {
		http_response_json(resp, 200, json_pack("{s:b}", "ok", 1));
	}
}

/* The authority's token endpoint: Basic id:secret, a refresh token
 * "bon" gives tokens, any other is invalid_grant. */
static void
h_token(struct http_request *req, struct http_response *resp)
{
	const char *auth = http_request_header(req, "Authorization");
	char want[200], raw[100];

	snprintf(raw, sizeof(raw), "%s:%s", "client-1", "secret-1");
	snprintf(want, sizeof(want), "Basic ");
	sodium_bin2base64(want + 6, sizeof(want) - 6,
	    (const unsigned char *)raw, strlen(raw),
	    sodium_base64_VARIANT_ORIGINAL);
	if (auth == NULL || strcmp(auth, want) != 0) {
		http_problem(req, resp, 401, "invalid_client", NULL, "qui ?");
		return;
	}
	if (req->body != NULL && strstr(req->body, "refresh_token=bon") != NULL)
		http_response_json(resp, 200,
		    json_pack("{s:s, s:s, s:i, s:s}", "access_token", "acc-2",
			"refresh_token", "ref-2", "expires_in", 600, "scope",
			"lecture reservation"));
	else
		http_response_json(resp, 400,
		    json_pack("{s:s}", "error", "invalid_grant"));
}

static const struct http_route routes[] = {
	{ HTTP_GET, "/flaky", h_flaky_get, 0 },
	{ HTTP_POST, "/flaky", h_flaky_post, 0 },
	{ HTTP_POST, "/idem", h_flaky_idem, 0 },
	{ HTTP_GET, "/busy", h_busy, 0 },
	{ HTTP_POST, "/oauth/token", h_token, 0 },
};

static int
setup(void **state)
{
	struct sockaddr_in sa;
	struct http_server_config c;
	char err[256];

	(void)state;
	if (sodium_init() < 0)
		return -1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(&c, 0, sizeof(c));
	c.addr = (struct sockaddr *)&sa;
	c.addrlen = sizeof(sa);
	c.threads = 2;
	c.max_body_bytes = 4096;
	c.max_header_bytes = 8192;
	c.timeout_s = 5;
	c.per_ip_connections = 16;
	c.max_connections = 64;
	srv = http_server_new(&c, routes, sizeof(routes) / sizeof(routes[0]),
	    NULL, err, sizeof(err));
	if (srv == NULL)
		return -1;
	memset(&r, 0, sizeof(r));
	snprintf(r.base, sizeof(r.base), "http://127.0.0.1:%u",
	    (unsigned)http_server_port(srv));
	snprintf(r.client_id, sizeof(r.client_id), "client-1");
	snprintf(r.secret, sizeof(r.secret), "secret-1");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	http_server_free(srv);
	curl_global_cleanup();
	return 0;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_get_retried_after_5xx(void **state)
{
	struct remote_answer a;

	(void)state;
	assert_int_equal(remote_call(&r, "GET", "/flaky", "jeton", NULL, 0,
			     NULL, &a),
	    0);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "\"ok\":true"));
	assert_int_equal(atomic_load(&hits_get), 3);
	remote_answer_free(&a);
}

static void
test_change_not_repeated_after_5xx(void **state)
{
	struct remote_answer a;

	(void)state;
	assert_int_equal(remote_call(&r, "POST", "/flaky", "jeton", "{}", 2,
			     NULL, &a),
	    0);
	assert_int_equal(a.status, 503);
	assert_int_equal(atomic_load(&hits_post), 1);
	remote_answer_free(&a);
}

static void
test_idempotent_change_repeated_with_the_same_key(void **state)
{
	struct remote_answer a;

	(void)state;
	assert_int_equal(remote_call(&r, "POST", "/idem", "jeton", "{}", 2,
			     "cle-0001-abcd", &a),
	    0);
	assert_int_equal(a.status, 200);
	assert_int_equal(atomic_load(&hits_idem), 2);
	assert_string_equal(idem_seen[0], "cle-0001-abcd");
	assert_string_equal(idem_seen[1], "cle-0001-abcd");
	remote_answer_free(&a);
}

static void
test_429_waits_its_retry_after(void **state)
{
	struct remote_answer a;
	double t0 = now_s();

	(void)state;
	assert_int_equal(remote_call(&r, "GET", "/busy", "jeton", NULL, 0, NULL,
			     &a),
	    0);
	assert_int_equal(a.status, 200);
	assert_int_equal(atomic_load(&hits_busy), 2);
	assert_true(now_s() - t0 >= 0.9);
	remote_answer_free(&a);
}

static void
test_unreachable_after_the_retries(void **state)
{
	struct remote gone = r;
	struct remote_answer a;
	int port = harness_free_port();

	(void)state;
	snprintf(gone.base, sizeof(gone.base), "http://127.0.0.1:%d", port);
	assert_int_equal(remote_call(&gone, "POST", "/x", "jeton", "{}", 2,
			     NULL, &a),
	    -1);
	assert_null(a.body);
}

static void
test_token_endpoint(void **state)
{
	struct remote_tokens t;
	struct remote wrong = r;

	(void)state;
	assert_int_equal(remote_token(&r,
			     "grant_type=refresh_token&refresh_token=bon", &t),
	    0);
	assert_string_equal(t.access, "acc-2");
	assert_string_equal(t.refresh, "ref-2");
	assert_int_equal(t.expires_in, 600);
	assert_string_equal(t.scope, "lecture reservation");
	/* A refresh token the authority refuses: told apart. */
	assert_int_equal(remote_token(&r,
			     "grant_type=refresh_token&refresh_token=vieux",
			     &t),
	    1);
	/* Wrong client credentials: refused too (401). */
	snprintf(wrong.secret, sizeof(wrong.secret), "pas-le-bon");
	assert_int_equal(remote_token(&wrong,
			     "grant_type=refresh_token&refresh_token=bon", &t),
	    1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_retried_after_5xx),
		cmocka_unit_test(test_change_not_repeated_after_5xx),
		cmocka_unit_test(
		    test_idempotent_change_repeated_with_the_same_key),
		cmocka_unit_test(test_429_waits_its_retry_after),
		cmocka_unit_test(test_unreachable_after_the_retries),
		cmocka_unit_test(test_token_endpoint),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
