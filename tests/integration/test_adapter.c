/*
 * test_adapter.c - the HTTP adapter (src/http/server.c) against well-formed
 * and malformed requests, over a real socket.
 *
 * The server runs in this process with test routes, so the JSON, limit and
 * shutdown paths are reached without needing product endpoints for them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "core/log.h"
#include "harness.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "http/server.h"

#define MAX_BODY 4096
#define MAX_HEADER 8192
#define PER_IP 8

static struct http_server *srv;
static int port;
static char logpath[] = "/tmp/creneau-adapter-log-XXXXXX";
static int logfd = -1;

static void
h_echo(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "name", JK_STRING, 1, 1, 20 },
		{ "count", JK_INTEGER, 0, 0, 10 },
		{ "flag", JK_BOOLEAN, 0, 0, 0 },
	};
	json_t *o = http_json_body(req, resp);

	if (o == NULL)
		return;
	if (http_json_check(req, resp, o, fields, 3) != 0) {
		json_decref(o);
		return;
	}
	http_response_json(resp, 200, o);
}

static void
h_params(struct http_request *req, struct http_response *resp)
{
	http_response_json(resp, 200,
	    json_pack("{s:s, s:s}", "id", http_request_param(req, "id"), "part",
		http_request_param(req, "part")));
}

static void
h_query(struct http_request *req, struct http_response *resp)
{
	char q[64];
	int rc = http_request_query(req, "q", q, sizeof(q));

	if (rc < 0) {
		http_problem(req, resp, 400, "invalid_query", "q",
		    "q invalide");
		return;
	}
	http_response_json(resp, 200, json_pack("{s:s}", "q", rc ? "" : q));
}

static void
h_len(struct http_request *req, struct http_response *resp)
{
	http_response_json(resp, 200,
	    json_pack("{s:I}", "len", (json_int_t)req->body_len));
}

static void
h_slow(struct http_request *req, struct http_response *resp)
{
	struct timespec ts = { 0, 600 * 1000 * 1000 };

	(void)req;
	nanosleep(&ts, NULL);
	http_response_json(resp, 200, json_pack("{s:s}", "slow", "done"));
}

static const struct http_route routes[] = {
	{ HTTP_POST, "/t/echo", h_echo },
	{ HTTP_GET, "/t/items/{id}/parts/{part}", h_params },
	{ HTTP_GET, "/t/query", h_query },
	{ HTTP_POST, "/t/len", h_len },
	{ HTTP_PUT, "/t/len", h_len },
	{ HTTP_GET, "/t/slow", h_slow },
};

static struct http_server *
start_server(void)
{
	struct sockaddr_in sa;
	struct http_server_config c;
	char err[256];
	struct http_server *s;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(&c, 0, sizeof(c));
	c.addr = (struct sockaddr *)&sa;
	c.addrlen = sizeof(sa);
	c.threads = 2;
	c.max_body_bytes = MAX_BODY;
	c.max_header_bytes = MAX_HEADER;
	c.timeout_s = 5;
	c.per_ip_connections = PER_IP;
	c.max_connections = 64;
	c.access_log = 1;
	s = http_server_new(&c, routes, sizeof(routes) / sizeof(routes[0]),
	    NULL, err, sizeof(err));
	if (s == NULL)
		fprintf(stderr, "start: %s\n", err);
	return s;
}

static int
setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	logfd = mkstemp(logpath);
	if (logfd < 0)
		return -1;
	log_set_fd(logfd);
	srv = start_server();
	if (srv == NULL)
		return -1;
	port = http_server_port(srv);
	return port > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	http_server_free(srv);
	log_set_fd(2);
	close(logfd);
	unlink(logpath);
	curl_global_cleanup();
	return 0;
}

static json_t *
body_json(const struct reply *r)
{
	json_t *o = json_loads(r->body, 0, NULL);

	assert_non_null(o);
	return o;
}

static void
assert_problem(const struct reply *r, long status, const char *code)
{
	json_t *o;
	char *ct;

	assert_int_equal(r->status, status);
	ct = reply_header(r, "Content-Type");
	assert_non_null(ct);
	assert_string_equal(ct, "application/problem+json; charset=utf-8");
	free(ct);
	o = body_json(r);
	assert_string_equal(json_string_value(json_object_get(o, "code")),
	    code);
	assert_int_equal(json_integer_value(json_object_get(o, "status")),
	    status);
	assert_non_null(json_object_get(o, "title"));
	assert_non_null(json_object_get(o, "detail"));
	json_decref(o);
}

static void
assert_security_headers(const struct reply *r)
{
	size_t i;
	char *v;

	for (i = 0; i < http_security_headers_count; i++) {
		v = reply_header(r, http_security_headers[i].name);
		assert_non_null(v);
		assert_string_equal(v, http_security_headers[i].value);
		free(v);
	}
	v = reply_header(r, "Cache-Control");
	assert_non_null(v);
	assert_string_equal(v, "no-store");
	free(v);
	v = reply_header(r, "Content-Type");
	assert_non_null(v);
	assert_non_null(strstr(v, "charset=utf-8"));
	free(v);
	v = reply_header(r, "X-Request-Id");
	assert_non_null(v);
	assert_int_equal(strlen(v), 32);
	free(v);
	/* HSTS only over TLS. */
	assert_null(reply_header(r, "Strict-Transport-Security"));
}

static const char *const json_ct[] = { "Content-Type: application/json", NULL };

static void
post_echo(const char *body, struct reply *r)
{
	assert_int_equal(http_call(port, "POST", "/t/echo", json_ct, body,
			     strlen(body), r),
	    0);
}

static void
test_json_ok(void **state)
{
	struct reply r;
	json_t *o;

	(void)state;
	post_echo("{\"name\":\"Zoé\",\"count\":3,\"flag\":true}", &r);
	assert_int_equal(r.status, 200);
	assert_security_headers(&r);
	o = body_json(&r);
	assert_string_equal(json_string_value(json_object_get(o, "name")),
	    "Zoé");
	assert_int_equal(json_integer_value(json_object_get(o, "count")), 3);
	json_decref(o);
	reply_free(&r);
}

static void
test_json_malformed(void **state)
{
	struct reply r;
	json_t *o;

	(void)state;
	post_echo("{\"name\": \"a\",", &r);
	assert_problem(&r, 400, "invalid_json");
	o = body_json(&r);
	assert_non_null(
	    strstr(json_string_value(json_object_get(o, "detail")), "ligne 1"));
	json_decref(o);
	assert_security_headers(&r);
	reply_free(&r);
}

static void
test_json_duplicate_keys(void **state)
{
	struct reply r;

	(void)state;
	post_echo("{\"name\":\"a\",\"name\":\"b\"}", &r);
	assert_problem(&r, 400, "invalid_json");
	reply_free(&r);
}

static void
test_json_wrong_types(void **state)
{
	static const char *const bodies[] = {
		"{\"name\":\"a\",\"count\":\"3\"}",
		"{\"name\":\"a\",\"count\":3.0}",
		"{\"name\":\"a\",\"flag\":1}",
		"{\"name\":7}",
	};
	static const char *const field[] = { "count", "count", "flag", "name" };
	struct reply r;
	json_t *o;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		post_echo(bodies[i], &r);
		assert_problem(&r, 422, "wrong_type");
		o = body_json(&r);
		assert_string_equal(json_string_value(
					json_object_get(o, "field")),
		    field[i]);
		json_decref(o);
		reply_free(&r);
	}
}

static void
test_json_fields(void **state)
{
	struct reply r;
	json_t *o;

	(void)state;
	post_echo("{\"name\":\"a\",\"admin\":true}", &r);
	assert_problem(&r, 422, "unknown_field");
	o = body_json(&r);
	assert_string_equal(json_string_value(json_object_get(o, "field")),
	    "admin");
	json_decref(o);
	reply_free(&r);

	post_echo("{\"count\":1}", &r);
	assert_problem(&r, 422, "missing_field");
	reply_free(&r);

	post_echo("{\"name\":\"a\",\"count\":11}", &r);
	assert_problem(&r, 422, "out_of_range");
	reply_free(&r);

	post_echo("[1,2]", &r);
	assert_problem(&r, 400, "invalid_json");
	reply_free(&r);
}

static void
test_json_content_type(void **state)
{
	static const char *const text[] = { "Content-Type: text/plain", NULL };
	static const char body[] = "{\"name\":\"a\"}";
	struct reply r;

	(void)state;
	assert_int_equal(http_call(port, "POST", "/t/echo", text, body,
			     strlen(body), &r),
	    0);
	assert_problem(&r, 415, "unsupported_media_type");
	reply_free(&r);
}

static void
test_body_limits(void **state)
{
	char *big = malloc(MAX_BODY + 2);
	struct reply r;
	json_t *o;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', MAX_BODY + 1);
	big[MAX_BODY + 1] = '\0';

	/* Exactly at the cap: accepted and read whole. */
	assert_int_equal(http_call(port, "POST", "/t/len", NULL, big, MAX_BODY,
			     &r),
	    0);
	assert_int_equal(r.status, 200);
	o = body_json(&r);
	assert_int_equal(json_integer_value(json_object_get(o, "len")),
	    MAX_BODY);
	json_decref(o);
	reply_free(&r);

	/* One byte over, declared by Content-Length: 413 problem. */
	assert_int_equal(http_call(port, "POST", "/t/len", NULL, big,
			     MAX_BODY + 1, &r),
	    0);
	assert_problem(&r, 413, "body_too_large");
	assert_security_headers(&r);
	reply_free(&r);

	/* Over the cap on a route that does not exist: still 413, the body
	 * is judged before routing. */
	assert_int_equal(http_call(port, "POST", "/nowhere", NULL, big,
			     MAX_BODY + 1, &r),
	    0);
	assert_problem(&r, 413, "body_too_large");
	reply_free(&r);
	free(big);
}

static void
test_body_expect_continue(void **state)
{
	static const char *const expect[] = { "Expect: 100-continue", NULL };
	char *big = calloc(1, MAX_BODY * 2);
	struct reply r;

	(void)state;
	memset(big, 'y', MAX_BODY * 2 - 1);
	assert_int_equal(http_call(port, "PUT", "/t/len", expect, big,
			     MAX_BODY * 2 - 1, &r),
	    0);
	assert_problem(&r, 413, "body_too_large");
	reply_free(&r);
	free(big);
}

/* Builds a chunked request of total bytes in 1000-byte chunks. */
static char *
chunked_request(size_t total, size_t *len)
{
	size_t cap = total + total / 1000 * 16 + 256, o = 0, left = total, n;
	char *s = malloc(cap);

	o += (size_t)snprintf(s, cap,
	    "POST /t/len HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
	    "Connection: close\r\n\r\n");
	while (left > 0) {
		n = left > 1000 ? 1000 : left;
		o += (size_t)snprintf(s + o, cap - o, "%zx\r\n", n);
		memset(s + o, 'z', n);
		o += n;
		memcpy(s + o, "\r\n", 2);
		o += 2;
		left -= n;
	}
	o += (size_t)snprintf(s + o, cap - o, "0\r\n\r\n");
	*len = o;
	return s;
}

static void
test_chunked_limits(void **state)
{
	char out[4096];
	size_t len;
	char *req;
	long n;

	(void)state;
	/* Under the cap, chunked: read whole. */
	req = chunked_request(MAX_BODY - 10, &len);
	n = raw_exchange(port, req, len, out, sizeof(out), 3000);
	assert_true(n > 0);
	assert_int_equal(raw_status(out), 200);
	assert_non_null(strstr(out, "\"len\":4086"));
	free(req);

	/* Over the cap, chunked, no length declared: the body is read to
	 * its end and answered 413. */
	req = chunked_request(MAX_BODY * 2, &len);
	n = raw_exchange(port, req, len, out, sizeof(out), 3000);
	assert_true(n > 0);
	assert_int_equal(raw_status(out), 413);
	assert_non_null(strstr(out, "body_too_large"));
	free(req);

	/* Far over the cap: the connection is cut, nothing is accepted. */
	req = chunked_request(MAX_BODY * (LIMIT_HTTP_DRAIN_FACTOR + 4), &len);
	n = raw_exchange(port, req, len, out, sizeof(out), 3000);
	assert_true(n <= 0 || raw_status(out) >= 400);
	free(req);
}

static void
test_header_limit(void **state)
{
	size_t hl = MAX_HEADER * 2, o;
	char *req = malloc(hl + 256);
	char out[2048];
	int st;

	(void)state;
	o = (size_t)snprintf(req, 256,
	    "GET /t/query HTTP/1.1\r\nHost: x\r\nX-Big: ");
	memset(req + o, 'h', hl);
	o += hl;
	memcpy(req + o, "\r\n\r\n", 4);
	o += 4;
	assert_true(raw_exchange(port, req, o, out, sizeof(out), 3000) > 0);
	st = raw_status(out);
	/* libmicrohttpd answers an oversized head itself (431 or 413). */
	assert_true(st == 431 || st == 413 || st == 400);
	free(req);
}

static void
test_routes(void **state)
{
	struct reply r;
	char *allow;
	json_t *o;

	(void)state;
	assert_int_equal(http_call(port, "GET", "/nope", NULL, NULL, 0, &r), 0);
	assert_problem(&r, 404, "not_found");
	assert_security_headers(&r);
	reply_free(&r);

	assert_int_equal(http_call(port, "DELETE", "/t/query", NULL, NULL, 0,
			     &r),
	    0);
	assert_problem(&r, 405, "method_not_allowed");
	allow = reply_header(&r, "Allow");
	assert_non_null(allow);
	assert_string_equal(allow, "GET, HEAD");
	free(allow);
	assert_security_headers(&r);
	reply_free(&r);

	assert_int_equal(http_call(port, "GET", "/t/len", NULL, NULL, 0, &r),
	    0);
	assert_problem(&r, 405, "method_not_allowed");
	allow = reply_header(&r, "Allow");
	assert_string_equal(allow, "POST, PUT");
	free(allow);
	reply_free(&r);

	assert_int_equal(http_call(port, "GET", "/t/items/a%20b/parts/%C3%A9",
			     NULL, NULL, 0, &r),
	    0);
	assert_int_equal(r.status, 200);
	o = body_json(&r);
	assert_string_equal(json_string_value(json_object_get(o, "id")), "a b");
	assert_string_equal(json_string_value(json_object_get(o, "part")), "é");
	json_decref(o);
	reply_free(&r);

	assert_int_equal(http_call(port, "GET", "/t/query?q=a+b%26c", NULL,
			     NULL, 0, &r),
	    0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"q\":\"a b&c\""));
	reply_free(&r);

	assert_int_equal(http_call(port, "HEAD", "/t/query", NULL, NULL, 0, &r),
	    0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 0);
	reply_free(&r);
}

static void
test_path_traversal(void **state)
{
	static const char *const paths[] = {
		"/t/../t/query",
		"/t/%2e%2e/t/query",
		"/t/items/a%2Fb/parts/c",
		"/t/items/a%5Cb/parts/c",
		"/t/items/a%00b/parts/c",
		"/t//query",
		"/t/items/%zz/parts/c",
		"/t/./query",
	};
	char req[512], out[2048];
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		n = snprintf(req, sizeof(req),
		    "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
		    paths[i]);
		assert_true(raw_exchange(port, req, (size_t)n, out, sizeof(out),
				3000) > 0);
		if (raw_status(out) != 400)
			fail_msg("%s answered %d", paths[i], raw_status(out));
		assert_non_null(strstr(out, "invalid_path"));
	}
}

static void
test_malformed_requests(void **state)
{
	static const char *const reqs[] = {
		"GARBAGE\r\n\r\n",
		"GET /t/query HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
		"GET /t/query HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
		"POST /t/len HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
		"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
	};
	char out[2048];
	size_t i;
	int st;
	struct reply r;

	(void)state;
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		raw_exchange(port, reqs[i], strlen(reqs[i]), out, sizeof(out),
		    2000);
		st = raw_status(out);
		if (st != -1 && (st < 400 || st >= 500))
			fail_msg("request %zu answered %d", i, st);
	}
	/* Unknown method: a problem, not a crash. */
	raw_exchange(port, "BREW /t/query HTTP/1.1\r\nHost: x\r\n\r\n", 36, out,
	    sizeof(out), 2000);
	st = raw_status(out);
	assert_true(st == 501 || st == 400 || st == 405);
	/* And the server still serves. */
	assert_int_equal(http_call(port, "GET", "/t/query", NULL, NULL, 0, &r),
	    0);
	assert_int_equal(r.status, 200);
	reply_free(&r);
}

/* Counts the status lines in a raw answer. */
static int
responses_in(const char *out)
{
	int n = 0;

	for (; (out = strstr(out, "HTTP/1.1 ")) != NULL; out++)
		n++;
	return n;
}

/*
 * Two Content-Length headers are how a request is smuggled behind a
 * proxy that reads the other one (RFC 9112 6.3): refused with 400 and the
 * connection closed, so the bytes after the first length are never read
 * as a second request. Identical repeats are refused too (no client
 * sends them; a proxy that merges them would send one list value).
 */
static void
test_duplicate_content_length(void **state)
{
	static const char *const reqs[] = {
		/* The first length takes "abcde"; the rest would be a GET. */
		"POST /t/len HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
		"Content-Length: 41\r\n\r\n"
		"abcdeGET /t/query?q=smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /t/len HTTP/1.1\r\nHost: x\r\nContent-Length: 41\r\n"
		"Content-Length: 5\r\n\r\n"
		"abcdeGET /t/query?q=smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /t/len HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
		"content-length: 5\r\n\r\n"
		"abcdeGET /t/query?q=smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /t/len HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 41\r\n"
		"\r\nabcdeGET /t/query?q=smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
	};
	char out[4096];
	struct reply r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		assert_true(raw_exchange(port, reqs[i], strlen(reqs[i]), out,
				sizeof(out), 2000) > 0);
		if (raw_status(out) != 400)
			fail_msg("request %zu answered %d", i, raw_status(out));
		/* A list value is not a number: libmicrohttpd refuses it
		 * itself, before the adapter sees the request. */
		if (i < 3 && strstr(out, "ambiguous_length") == NULL)
			fail_msg("request %zu: %s", i, out);
		if ((i < 3 && responses_in(out) != 1) ||
		    strstr(out, "HTTP/1.1 200") != NULL)
			fail_msg("request %zu: a second request was read: %s",
			    i, out);
	}
	/* One length is fine, and the server still serves. */
	assert_int_equal(http_call(port, "POST", "/t/len", NULL, "abcde", 5,
			     &r),
	    0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "5"));
	reply_free(&r);
}

static void
test_request_ids_unique(void **state)
{
	struct reply a, b;
	char *ia, *ib;
	json_t *o;
	char want[80];

	(void)state;
	assert_int_equal(http_call(port, "GET", "/nope", NULL, NULL, 0, &a), 0);
	assert_int_equal(http_call(port, "GET", "/nope", NULL, NULL, 0, &b), 0);
	ia = reply_header(&a, "X-Request-Id");
	ib = reply_header(&b, "X-Request-Id");
	assert_string_not_equal(ia, ib);
	o = body_json(&a);
	snprintf(want, sizeof(want), "urn:creneau:request:%s", ia);
	assert_string_equal(json_string_value(json_object_get(o, "instance")),
	    want);
	json_decref(o);
	free(ia);
	free(ib);
	reply_free(&a);
	reply_free(&b);
}

static void
test_access_log_private(void **state)
{
	struct reply r;
	char buf[65536];
	ssize_t n;

	(void)state;
	assert_int_equal(http_call(port, "GET",
			     "/t/items/NEPH123456789012/parts/Dupont%0Aforged",
			     NULL, NULL, 0, &r),
	    0);
	reply_free(&r);
	assert_int_equal(http_call(port, "GET", "/t/query?q=jean.dupont", NULL,
			     NULL, 0, &r),
	    0);
	reply_free(&r);
	usleep(100 * 1000);
	n = pread(logfd, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "route=/t/items/{id}/parts/{part}"));
	assert_null(strstr(buf, "NEPH123456789012"));
	assert_null(strstr(buf, "Dupont"));
	assert_null(strstr(buf, "jean.dupont"));
	assert_null(strstr(buf, "127.0.0.1"));
}

struct slow_arg {
	long status;
	char body[256];
};

static void *
slow_request(void *p)
{
	struct slow_arg *a = p;
	struct reply r;

	if (http_call(port, "GET", "/t/slow", NULL, NULL, 0, &r) == 0) {
		a->status = r.status;
		snprintf(a->body, sizeof(a->body), "%s", r.body);
		reply_free(&r);
	}
	return NULL;
}

static size_t
sink(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* 50 requests on one kept-alive connection, as a browser would send. */
static void
hammer(int *ok)
{
	CURL *c = curl_easy_init();
	char url[128];
	long st;
	int i;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/t/query?q=x", port);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	for (i = 0; i < 50; i++)
		if (curl_easy_perform(c) == CURLE_OK &&
		    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &st) ==
			CURLE_OK &&
		    st == 200)
			(*ok)++;
	curl_easy_cleanup(c);
}

static void *
hammer_thread(void *p)
{
	hammer(p);
	return NULL;
}

static void
test_concurrent(void **state)
{
	pthread_t t[6];
	int ok[6] = { 0 };
	int i, sum = 0;

	(void)state;
	/* Fewer clients than the per-IP limit: every request must succeed. */
	for (i = 0; i < 6; i++)
		pthread_create(&t[i], NULL, hammer_thread, &ok[i]);
	for (i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		sum += ok[i];
	}
	assert_int_equal(sum, 300);
}

/* Sends a GET on fd and waits up to ms for an answer: its byte count
 * (out NUL-terminated), 0 or -1 when none came. */
static long
ask(int fd, char *out, size_t outlen, int ms)
{
	static const char get[] = "GET /t/query HTTP/1.1\r\nHost: x\r\n\r\n";
	struct pollfd pfd;
	long n;

	if (send(fd, get, sizeof(get) - 1, 0) != (ssize_t)(sizeof(get) - 1))
		return -1;
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ms) != 1)
		return 0;
	n = recv(fd, out, outlen - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	return n;
}

static void
test_per_ip_limit(void **state)
{
	/* From an address of its own (127.0.0.20): the connections of the
	 * earlier tests, from 127.0.0.1, may not all be released yet on a
	 * busy machine, and they count against their own address only. */
	enum { HOST = 20 };
	int fds[PER_IP], i, refused = 0, extra;
	char out[1024];
	long n;
	struct reply r;

	(void)state;
	for (i = 0; i < PER_IP; i++) {
		fds[i] = raw_idle_socket(port, HOST);
		assert_true(fds[i] >= 0);
		/* An answered request proves the server holds the connection
		 * (kept alive afterwards), however slow the machine. */
		assert_true(ask(fds[i], out, sizeof(out), 5000) > 0);
	}
	/* One connection more than the per-IP limit gets no answer. */
	extra = raw_idle_socket(port, HOST);
	n = extra >= 0 ? ask(extra, out, sizeof(out), 1000) : -1;
	if (n <= 0 || raw_status(out) != 200)
		refused = 1;
	if (extra >= 0)
		close(extra);
	for (i = 0; i < PER_IP; i++)
		close(fds[i]);
	assert_true(refused);
	usleep(200 * 1000);
	assert_int_equal(http_call(port, "GET", "/t/query", NULL, NULL, 0, &r),
	    0);
	assert_int_equal(r.status, 200);
	reply_free(&r);
}

/*
 * Near the connection limit (64 here, over 2 threads), idle connections
 * are closed, the longest idle first, so a new client is served; a
 * request in progress is never cut.
 */
static void
test_idle_closed_near_limit(void **state)
{
	enum { IDLE = 7 * 10 };
	int fds[IDLE], i, n = 0, first_closed = 0;
	struct timespec ts = { 0, 100 * 1000 * 1000 }, t0, t1;
	struct slow_arg a;
	struct pollfd pfd;
	long ms;
	struct reply r;
	char c;
	pthread_t t;

	(void)state;
	memset(&a, 0, sizeof(a));
	pthread_create(&t, NULL, slow_request, &a);
	nanosleep(&ts, NULL); /* the slow handler is now running */
	/* 7 from each of 10 addresses: under the per-IP limit of 8, over
	 * the limit of 64 in all. */
	for (i = 0; i < IDLE; i++) {
		fds[n] = raw_idle_socket(port, 2 + i / 7);
		if (fds[n] >= 0)
			n++;
	}
	assert_int_equal(n, IDLE);
	/* A new client is served at once, not when the idle ones time out
	 * (5 s here). */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(http_call(port, "GET", "/t/query", NULL, NULL, 0, &r),
	    0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	if (ms > 2000)
		fail_msg("a new client waited %ld ms", ms);
	/* The first idle socket, idle the longest, was closed. */
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 500) == 1 && recv(fds[0], &c, 1, 0) <= 0)
		first_closed = 1;
	assert_true(first_closed);
	/* The request in progress was not cut. */
	pthread_join(t, NULL);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "done"));
	for (i = 0; i < n; i++)
		close(fds[i]);
}

/* Runs last: shuts the shared server down. */
static void
test_shutdown_lets_request_finish(void **state)
{
	pthread_t t;
	struct slow_arg a;
	struct timespec ts = { 0, 150 * 1000 * 1000 };
	struct reply r;

	(void)state;
	memset(&a, 0, sizeof(a));
	pthread_create(&t, NULL, slow_request, &a);
	nanosleep(&ts, NULL); /* the slow handler is now running */
	assert_true(http_server_inflight(srv) >= 1);
	assert_int_equal(http_server_shutdown(srv, 5), 0);
	pthread_join(t, NULL);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "done"));
	/* No longer accepting. */
	assert_int_equal(http_call(port, "GET", "/t/query", NULL, NULL, 0, &r),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_ok),
		cmocka_unit_test(test_json_malformed),
		cmocka_unit_test(test_json_duplicate_keys),
		cmocka_unit_test(test_json_wrong_types),
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_json_content_type),
		cmocka_unit_test(test_body_limits),
		cmocka_unit_test(test_body_expect_continue),
		cmocka_unit_test(test_chunked_limits),
		cmocka_unit_test(test_header_limit),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_path_traversal),
		cmocka_unit_test(test_malformed_requests),
		cmocka_unit_test(test_duplicate_content_length),
		cmocka_unit_test(test_request_ids_unique),
		cmocka_unit_test(test_access_log_private),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_per_ip_limit),
		cmocka_unit_test(test_idle_closed_near_limit),
		cmocka_unit_test(test_shutdown_lets_request_finish),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
