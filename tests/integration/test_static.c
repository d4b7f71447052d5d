/*
 * test_static.c - the web UI's static files (src/http/static.c) through
 * the real adapter, over a real socket, from a temporary web directory.
 *
 * Checks the types and headers of what is served, and that nothing else
 * is: traversal, encoded separators, symbolic links leading out, hidden
 * names, directories, other extensions, oversized files, and /api/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "harness.h"
#include "http/response.h"
#include "http/server.h"
#include "http/static.h"

static struct http_server *srv;
static int port;
static struct proc tmp; /* only its dir: the tree below */
static char webdir[512];

static const char index_html[] = "<!doctype html><title>Accueil</title>";
static const char app_js[] = "export const x = 1;\n";
static const char app_css[] = "body { color: #000; }\n";
static const char data_json[] = "{\"a\":1}";
static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
	'\n', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R' };
static const char secret[] = "TOP-SECRET-OUTSIDE";

static void
h_ping(struct http_request *req, struct http_response *resp)
{
	(void)req;
	http_response_json(resp, 200, json_pack("{s:s}", "pong", "route"));
}

static const struct http_route routes[] = {
	{ HTTP_GET, "/api/v1/ping", h_ping },
	{ HTTP_GET, "/route.html", h_ping },
};

static int
put(const char *rel, const void *data, size_t len)
{
	char path[768];
	int fd;
	ssize_t w;

	snprintf(path, sizeof(path), "%s/%s", tmp.dir, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	w = len > 0 ? write(fd, data, len) : 0;
	close(fd);
	return w == (ssize_t)len ? 0 : -1;
}

static int
mk(const char *rel)
{
	char path[768];

	snprintf(path, sizeof(path), "%s/%s", tmp.dir, rel);
	return mkdir(path, 0755);
}

static int
ln(const char *target, const char *rel)
{
	char path[768];

	snprintf(path, sizeof(path), "%s/%s", tmp.dir, rel);
	return symlink(target, path);
}

static int
make_tree(void)
{
	static const char *const dirs[] = { "web", "web/css", "web/js",
		"web/img", "web/sub.html", "web/api", "web/api/v1",
		"web/.hidden" };
	char *big;
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		rc |= mk(dirs[i]);
	rc |= put("outside.html", secret, strlen(secret));
	rc |= put("web/index.html", index_html, strlen(index_html));
	rc |= put("web/js/app.js", app_js, strlen(app_js));
	rc |= put("web/css/app.css", app_css, strlen(app_css));
	rc |= put("web/img/logo.png", png, sizeof(png));
	rc |= put("web/data.json", data_json, strlen(data_json));
	rc |= put("web/notes.txt", "notes", 5);
	rc |= put("web/noext", "x", 1);
	rc |= put("web/.env.json", secret, strlen(secret));
	rc |= put("web/.hidden/a.css", secret, strlen(secret));
	rc |= put("web/api/v1/file.json", secret, strlen(secret));
	rc |= put("web/route.html", secret, strlen(secret));
	rc |= ln("../outside.html", "web/link.html");
	rc |= ln(tmp.dir, "web/out");
	rc |= ln("index.html", "web/inside-link.html");
	big = calloc(1, STATIC_FILE_MAX + 1);
	if (big == NULL)
		return -1;
	memset(big, 'a', STATIC_FILE_MAX + 1);
	rc |= put("web/big.js", big, STATIC_FILE_MAX + 1);
	free(big);
	return rc;
}

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
	if (harness_tmpdir(&tmp) != 0 || make_tree() != 0)
		return -1;
	snprintf(webdir, sizeof(webdir), "%s/web", tmp.dir);
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
	c.web_dir = webdir;
	srv = http_server_new(&c, routes, sizeof(routes) / sizeof(routes[0]),
	    NULL, err, sizeof(err));
	if (srv == NULL) {
		fprintf(stderr, "start: %s\n", err);
		return -1;
	}
	port = http_server_port(srv);
	return port > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	http_server_free(srv);
	harness_cleanup(&tmp);
	curl_global_cleanup();
	return 0;
}

/* Checks header name of r is exactly want. */
static void
header_is(const struct reply *r, const char *name, const char *want)
{
	char *v = reply_header(r, name);

	if (v == NULL || strcmp(v, want) != 0)
		fail_msg("%s: got \"%s\", want \"%s\"", name, v ? v : "(none)",
		    want);
	free(v);
}

/* GETs path and checks a 200 with body want (len bytes) and headers. */
static void
served(const char *path, const void *want, size_t len, const char *type,
    const char *cache)
{
	struct reply r;

	assert_int_equal(http_call(port, "GET", path, NULL, NULL, 0, &r), 0);
	if (r.status != 200)
		fail_msg("%s answered %ld: %s", path, r.status, r.body);
	assert_int_equal(r.body_len, len);
	assert_memory_equal(r.body, want, len);
	header_is(&r, "Content-Type", type);
	header_is(&r, "Cache-Control", cache);
	header_is(&r, "X-Content-Type-Options", "nosniff");
	header_is(&r, "Content-Security-Policy",
	    "default-src 'self'; script-src 'self'; object-src 'none'; "
	    "img-src 'self' blob:; frame-src blob:; "
	    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
	header_is(&r, "Referrer-Policy", "no-referrer");
	reply_free(&r);
}

static void
test_index_and_assets(void **state)
{
	(void)state;
	served("/", index_html, strlen(index_html), "text/html; charset=utf-8",
	    "no-cache");
	served("/index.html", index_html, strlen(index_html),
	    "text/html; charset=utf-8", "no-cache");
	served("/js/app.js", app_js, strlen(app_js),
	    "text/javascript; charset=utf-8", "public, max-age=3600");
	served("/css/app.css", app_css, strlen(app_css),
	    "text/css; charset=utf-8", "public, max-age=3600");
	served("/img/logo.png", png, sizeof(png), "image/png",
	    "public, max-age=3600");
	served("/data.json", data_json, strlen(data_json),
	    "application/json; charset=utf-8", "public, max-age=3600");
}

static void
test_etag_and_head(void **state)
{
	struct reply r;
	char *etag, line[160];
	const char *hdrs[2] = { line, NULL };

	(void)state;
	assert_int_equal(http_call(port, "GET", "/js/app.js", NULL, NULL, 0,
			     &r),
	    0);
	etag = reply_header(&r, "ETag");
	assert_non_null(etag);
	reply_free(&r);
	snprintf(line, sizeof(line), "If-None-Match: %s", etag);
	assert_int_equal(http_call(port, "GET", "/js/app.js", hdrs, NULL, 0,
			     &r),
	    0);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.body_len, 0);
	header_is(&r, "Cache-Control", "public, max-age=3600");
	reply_free(&r);
	free(etag);

	assert_int_equal(http_call(port, "HEAD", "/", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 0);
	header_is(&r, "Content-Type", "text/html; charset=utf-8");
	header_is(&r, "Cache-Control", "no-cache");
	reply_free(&r);
}

/* Sends path raw (no client normalisation); returns the status and checks
 * the answer is a problem document that leaks nothing from outside. */
static int
raw_get(const char *path)
{
	char req[512], out[8192];
	int n;

	n = snprintf(req, sizeof(req),
	    "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
	assert_true(
	    raw_exchange(port, req, (size_t)n, out, sizeof(out), 3000) > 0);
	if (strstr(out, secret) != NULL)
		fail_msg("%s leaked a file outside the web directory", path);
	if (strstr(out, "application/problem+json; charset=utf-8") == NULL)
		fail_msg("%s: not a problem document: %s", path, out);
	if (strstr(out, "Cache-Control: no-store") == NULL)
		fail_msg("%s: refusal should not be cached", path);
	return raw_status(out);
}

static void
test_traversal_refused(void **state)
{
	static const char *const paths[] = {
		"/../outside.html",
		"/js/../../outside.html",
		"/%2e%2e/outside.html",
		"/%2E%2E/outside.html",
		"/js/%2e%2e/%2e%2e/outside.html",
		"/..%2foutside.html",
		"/js%2fapp.js",
		"/js%5capp.js",
		"/%2f..%2f..%2fetc%2fpasswd.json",
		"/js//app.js",
		"/./index.html",
		"/index.html%00.js",
	};
	size_t i;
	int st;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		st = raw_get(paths[i]);
		if (st != 400)
			fail_msg("%s answered %d, want 400", paths[i], st);
	}
}

static void
test_not_served(void **state)
{
	static const char *const paths[] = {
		"/link.html", /* symbolic link leading out */
		"/out/outside.html", /* directory link leading out */
		"/inside-link.html", /* no link is followed at all */
		"/sub.html", /* a directory with an allowed name */
		"/sub.html/",
		"/js/",
		"/js",
		"/notes.txt", /* extension not on the allow-list */
		"/noext",
		"/.env.json", /* hidden names */
		"/.hidden/a.css",
		"/big.js", /* over STATIC_FILE_MAX */
		"/missing.css",
		"/JS/APP.JS",
		"/index.HTML",
	};
	size_t i;
	int st;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		st = raw_get(paths[i]);
		if (st != 404)
			fail_msg("%s answered %d, want 404", paths[i], st);
	}
}

static void
test_api_and_routes_first(void **state)
{
	struct reply r;

	(void)state;
	/* Under /api/ nothing is a file, even one that exists. */
	assert_int_equal(raw_get("/api/v1/unknown"), 404);
	assert_int_equal(raw_get("/api/v1/file.json"), 404);
	assert_int_equal(http_call(port, "GET", "/api/v1/unknown", NULL, NULL,
			     0, &r),
	    0);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body, "\"not_found\""));
	header_is(&r, "Content-Type", HTTP_CT_PROBLEM);
	reply_free(&r);
	/* A route wins over a file of the same path. */
	assert_int_equal(http_call(port, "GET", "/route.html", NULL, NULL, 0,
			     &r),
	    0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"route\""));
	header_is(&r, "Content-Type", HTTP_CT_JSON);
	reply_free(&r);
	/* Files are for GET and HEAD only. */
	assert_int_equal(http_call(port, "POST", "/index.html", NULL, "{}", 2,
			     &r),
	    0);
	assert_int_equal(r.status, 404);
	header_is(&r, "Content-Type", HTTP_CT_PROBLEM);
	reply_free(&r);
	assert_int_equal(http_call(port, "DELETE", "/", NULL, NULL, 0, &r), 0);
	assert_int_equal(r.status, 404);
	reply_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_and_assets),
		cmocka_unit_test(test_etag_and_head),
		cmocka_unit_test(test_traversal_refused),
		cmocka_unit_test(test_not_served),
		cmocka_unit_test(test_api_and_routes_first),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
