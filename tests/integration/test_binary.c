/*
 * test_binary.c - the real `creneau` binary: start-up, configuration
 * errors, health, limits, TLS, migrations and a clean stop on SIGTERM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sqlite3.h>

#include "demo.h"
#include "harness.h"

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void
assert_headers(const struct reply *r)
{
	static const char *const names[] = { "Content-Security-Policy",
		"X-Content-Type-Options", "Referrer-Policy",
		"Permissions-Policy", "Cache-Control", "X-Request-Id" };
	size_t i;
	char *v;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		v = reply_header(r, names[i]);
		if (v == NULL)
			fail_msg("missing header %s", names[i]);
		free(v);
	}
	v = reply_header(r, "Content-Security-Policy");
	assert_non_null(strstr(v, "default-src 'self'"));
	assert_non_null(strstr(v, "frame-ancestors 'none'"));
	free(v);
}

static void
test_health_and_errors(void **state)
{
	struct proc p;
	struct reply r;
	char *big, *log;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_start(&p, NULL, 0), 0);

	assert_int_equal(http_call(p.port, "GET", "/healthz", NULL, NULL, 0,
			     &r),
	    0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"database\":\"ok\""));
	assert_headers(&r);
	reply_free(&r);

	assert_int_equal(http_call(p.port, "GET", "/readyz", NULL, NULL, 0, &r),
	    0);
	assert_int_equal(r.status, 200);
	reply_free(&r);

	assert_int_equal(http_call(p.port, "GET", "/api/v1/nothing", NULL, NULL,
			     0, &r),
	    0);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body, "\"code\":\"not_found\""));
	assert_headers(&r);
	reply_free(&r);

	assert_int_equal(http_call(p.port, "DELETE", "/healthz", NULL, NULL, 0,
			     &r),
	    0);
	assert_int_equal(r.status, 405);
	assert_headers(&r);
	reply_free(&r);

	/* Default body cap is 1 MiB. */
	big = malloc(2 * 1024 * 1024);
	memset(big, '{', 2 * 1024 * 1024);
	assert_int_equal(http_call(p.port, "POST", "/healthz", NULL, big,
			     2 * 1024 * 1024, &r),
	    0);
	assert_int_equal(r.status, 413);
	assert_non_null(strstr(r.body, "body_too_large"));
	assert_headers(&r);
	reply_free(&r);
	free(big);

	assert_int_equal(harness_stop(&p, SIGTERM), 0);
	log = harness_log(&p);
	assert_non_null(strstr(log, "route=/healthz status=200"));
	assert_non_null(strstr(log, "serve: stopped"));
	free(log);
	harness_cleanup(&p);
}

/*
 * A request whose body is still arriving when SIGTERM comes is finished
 * and answered; then the server exits 0 and the database is intact.
 */
static void
test_sigterm_finishes_request(void **state)
{
	/* The body is 10 bytes: 5 now, 5 after the signal. */
	static const char head[] =
	    "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Type: "
	    "application/json\r\nContent-Length: 10\r\n\r\n{\"a\":";
	struct proc p;
	struct sockaddr_in sa;
	char out[4096];
	int status, fd;
	ssize_t n = 0, k;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_start(&p, NULL, 0), 0);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)p.port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(send(fd, head, sizeof(head) - 1, 0),
	    (ssize_t)(sizeof(head) - 1));
	nap_ms(300);
	assert_int_equal(kill(p.pid, SIGTERM), 0);
	nap_ms(500);
	/* Still running: a request is in flight. */
	assert_int_equal(waitpid(p.pid, &status, WNOHANG), 0);
	assert_int_equal(send(fd, "\"b\"}", 5, 0), 5);
	while ((k = recv(fd, out + n, sizeof(out) - 1 - (size_t)n, 0)) > 0)
		n += k;
	out[n] = '\0';
	close(fd);
	/* The in-flight request was answered (405: /healthz is GET only),
	 * with the connection closed since the server is stopping. */
	assert_int_equal(raw_status(out), 405);
	assert_non_null(strstr(out, "Connection: close"));
	assert_int_equal(harness_stop(&p, 0), 0);
	assert_true(harness_store_sound(p.db));
	harness_cleanup(&p);
}

static void
test_config_errors(void **state)
{
	static const char *const check[] = { "serve", "--check-config", NULL };
	static const char *const bad_listen[] = { "CRENEAU_HTTP_LISTEN=nowhere",
		NULL };
	static const char *const public_plain[] = {
		"CRENEAU_HTTP_LISTEN=0.0.0.0:8443", NULL
	};
	static const char *const typo[] = { "CRENEAU_HTTP_THREDS=4", NULL };
	static const char *const range[] = { "CRENEAU_HTTP_THREADS=0", NULL };
	static const char *const half_tls[] = {
		"CRENEAU_HTTP_TLS_CERT=/etc/hosts", NULL
	};
	static const char *const no_map[] = {
		"CRENEAU_GDPR_DATAMAP=/nonexistent/datamap.ini", NULL
	};
	static const char *const reg_csv[] = { "register", "export", "--format",
		"csv", NULL };
	static const char *const reg_bad[] = { "register", "export", "--format",
		"pdf", NULL };
	char out[8192];

	(void)state;
	assert_int_equal(harness_run(check, NULL, out, sizeof(out)), 0);
	assert_int_equal(harness_run(check, bad_listen, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "[http] listen"));
	assert_int_equal(harness_run(check, public_plain, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "loopback"));
	assert_int_equal(harness_run(check, typo, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "CRENEAU_HTTP_THREDS"));
	assert_int_equal(harness_run(check, range, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "[http] threads"));
	assert_int_equal(harness_run(check, no_map, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "[gdpr] datamap"));
	assert_int_equal(harness_run(reg_csv, NULL, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "accounts,"));
	assert_int_equal(harness_run(reg_bad, NULL, out, sizeof(out)), 1);
	assert_int_equal(harness_run(check, half_tls, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "tls_key"));
	/* One line only. */
	assert_non_null(strchr(out, '\n'));
	assert_null(strchr(strchr(out, '\n') + 1, '\n'));
}

static void
test_config_file(void **state)
{
	struct proc p;
	char path[400], arg[400], out[2048];
	const char *args[] = { "--config", arg, "serve", "--check-config",
		NULL };
	FILE *f;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_tmpdir(&p), 0);
	snprintf(path, sizeof(path), "%s/c.ini", p.dir);
	snprintf(arg, sizeof(arg), "%s", path);
	f = fopen(path, "w");
	fputs("[http]\nlisten = 127.0.0.1:9999\n[store]\nsize = 3\n", f);
	fclose(f);
	assert_int_equal(harness_run(args, NULL, out, sizeof(out)), 1);
	assert_non_null(strstr(out, ":4: [store] size: unknown key"));
	f = fopen(path, "w");
	fputs("[http]\nlisten = 127.0.0.1:9999\nthreads = 2\n", f);
	fclose(f);
	assert_int_equal(harness_run(args, NULL, out, sizeof(out)), 0);
	harness_cleanup(&p);
}

static void
test_commands(void **state)
{
	static const char *const help[] = { "--help", NULL };
	static const char *const version[] = { "--version", NULL };
	static const char *const bogus[] = { "frobnicate", NULL };
	static const char *const serve_help[] = { "serve", "--help", NULL };
	static const char *const migrate_help[] = { "migrate", "--help", NULL };
	static const char *const demo_help[] = { "demo-data", "--help", NULL };
	static const char *const bad_arg[] = { "migrate", "--force", NULL };
	char out[4096];

	(void)state;
	assert_int_equal(harness_run(help, NULL, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "demo-data"));
	assert_int_equal(harness_run(version, NULL, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "creneau "));
	assert_int_equal(harness_run(bogus, NULL, out, sizeof(out)), 2);
	assert_non_null(strstr(out, "unknown command"));
	assert_int_equal(harness_run(serve_help, NULL, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "--check-config"));
	assert_int_equal(harness_run(migrate_help, NULL, out, sizeof(out)), 0);
	assert_int_equal(harness_run(demo_help, NULL, out, sizeof(out)), 0);
	assert_int_equal(harness_run(bad_arg, NULL, out, sizeof(out)), 2);
}

static void
test_migrate_and_newer_schema(void **state)
{
	struct proc p;
	char store[400], out[16384];
	const char *env[] = { store, NULL };
	static const char *const migrate[] = { "migrate", NULL };
	static const char *const status[] = { "migrate", "--status", NULL };
	static const char *const demo[] = { "demo-data", NULL };

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_tmpdir(&p), 0);
	snprintf(store, sizeof(store), "CRENEAU_STORE_PATH=%s", p.db);
	assert_int_equal(harness_run(migrate, env, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "migrated from version 0"));
	assert_int_equal(harness_run(migrate, env, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "already at version"));
	assert_int_equal(harness_run(demo, env, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "demo database ready"));

	/* A database from a newer release is refused, untouched. */
	assert_int_equal(harness_store_exec(p.db,
			     "INSERT INTO schema_migrations VALUES "
			     "(999, 'future', '2030-01-01T00:00:00Z')"),
	    0);
	assert_int_equal(harness_run(migrate, env, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "newer than this binary"));
	assert_int_equal(harness_run(status, env, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "database schema 999"));
	harness_cleanup(&p);
}

/*
 * Operational logs hold no personal data: a name, an email and a NEPH sent
 * every way a client can send them (path, query, headers, JSON body,
 * malformed requests) never reach the server's log.
 */
static void
test_logs_hold_no_personal_data(void **state)
{
	static const char *const hdrs[] = { "Content-Type: application/json",
		"User-Agent: Camille-Durand-Browser",
		"Referer: https://example.org/?email=camille.durand@example.org",
		"X-Forwarded-For: 203.0.113.77", NULL };
	static const char body[] = "{\"nom\":\"Camille Durand\","
				   "\"neph\":\"120394857612\","
				   "\"email\":\"camille.durand@example.org\"}";
	static const char *const needles[] = { "Camille", "Durand",
		"120394857612", "camille.durand", "203.0.113.77" };
	char raw[512], out[2048];
	struct proc p;
	struct reply r;
	size_t i;
	char *log;
	int n;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_start(&p, NULL, 0), 0);
	assert_int_equal(
	    http_call(p.port, "POST",
		"/api/v1/candidates/120394857612?nom=Camille+Durand", hdrs,
		body, strlen(body), &r),
	    0);
	reply_free(&r);
	assert_int_equal(http_call(p.port, "GET",
			     "/healthz?email=camille.durand%40example.org",
			     hdrs, NULL, 0, &r),
	    0);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	n = snprintf(raw, sizeof(raw),
	    "GET /api/v1/x/Camille%%0ADurand%%00/120394857612 HTTP/1.1\r\n"
	    "Host: x\r\nConnection: close\r\n\r\n");
	raw_exchange(p.port, raw, (size_t)n, out, sizeof(out), 2000);
	n = snprintf(raw, sizeof(raw),
	    "CAMILLE /120394857612 HTTP/1.1\r\nHost: Durand\r\n\r\n");
	raw_exchange(p.port, raw, (size_t)n, out, sizeof(out), 2000);
	assert_int_equal(harness_stop(&p, SIGTERM), 0);
	log = harness_log(&p);
	assert_non_null(strstr(log, "access id="));
	for (i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
		if (strstr(log, needles[i]) != NULL)
			fail_msg("the log holds '%s'", needles[i]);
	/* The client's address (loopback here) is not in request lines
	 * either; the server's own listening address may be. */
	{
		char *line, *save = NULL;

		for (line = strtok_r(log, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save))
			if (strstr(line, "access ") &&
			    strstr(line, "127.0.0.1"))
				fail_msg("access line holds the client IP");
	}
	free(log);
	harness_cleanup(&p);
}

static void
test_audit_verify_command(void **state)
{
	struct proc p;
	char store[400], out[2048];
	const char *env[] = { store, NULL };
	static const char *const verify[] = { "audit", "verify", NULL };
	static const char *const search[] = { "audit", "search", "--since",
		"2000-01-01T00:00:00Z", NULL };
	static const char *const bad[] = { "audit", "search", "--since",
		"yesterday", NULL };
	static const char *const demo[] = { "demo-data", NULL };

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_tmpdir(&p), 0);
	snprintf(store, sizeof(store), "CRENEAU_STORE_PATH=%s", p.db);
	assert_int_equal(harness_run(demo, env, out, sizeof(out)), 0);
	assert_int_equal(harness_run(verify, env, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "audit trail verified"));
	assert_int_equal(harness_run(search, env, out, sizeof(out)), 0);
	assert_int_equal(harness_run(bad, env, out, sizeof(out)), 2);
	assert_non_null(strstr(out, "2026-01-31T08:00:00Z"));
	harness_cleanup(&p);
}

/* `retention run` at a simulated time on a demo database: exit 0, the
 * journal and audit rules named, the trail still verifies. */
static void
test_retention_run_command(void **state)
{
	struct proc p;
	char store[400], out[8192];
	const char *env[] = { store, NULL };
	static const char *const demo[] = { "demo-data", NULL };
	static const char *const run[] = { "retention", "run", "--at",
		"2030-01-01T00:00:00Z", NULL };
	static const char *const bad[] = { "retention", "run", "--at",
		"tomorrow", NULL };
	static const char *const verify[] = { "audit", "verify", NULL };

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_tmpdir(&p), 0);
	snprintf(store, sizeof(store), "CRENEAU_STORE_PATH=%s", p.db);
	assert_int_equal(harness_run(demo, env, out, sizeof(out)), 0);
	assert_int_equal(harness_run(run, env, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "(simulated)"));
	assert_non_null(strstr(out, "host_data"));
	assert_non_null(strstr(out, "connection journal"));
	assert_non_null(strstr(out, "audit_trail"));
	assert_non_null(strstr(out, "not applicable yet"));
	assert_int_equal(harness_run(verify, env, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "audit trail verified"));
	assert_int_equal(harness_run(run, env, out, sizeof(out)), 0);
	assert_non_null(strstr(out, ": 0 removed"));
	assert_int_equal(harness_run(verify, env, out, sizeof(out)), 0);
	assert_int_equal(harness_run(bad, env, out, sizeof(out)), 2);
	harness_cleanup(&p);
}

static size_t
sink(char *ptr, size_t size, size_t n, void *arg)
{
	(void)ptr;
	(void)arg;
	return size * n;
}

static size_t
keep_headers(char *ptr, size_t size, size_t n, void *arg)
{
	char *h = arg;
	size_t have = strlen(h), add = size * n;

	if (have + add < 4096) {
		memcpy(h + have, ptr, add);
		h[have + add] = '\0';
	}
	return size * n;
}

/* GET over HTTPS, trusting cafile; tls_max 0 means no cap. */
static long
https_get(int port, const char *cafile, long tls_max, char *headers)
{
	CURL *c = curl_easy_init();
	char url[128];
	long code = -1;

	snprintf(url, sizeof(url), "https://localhost:%d/healthz", port);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CAINFO, cafile);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, keep_headers);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, headers);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (tls_max != 0)
		curl_easy_setopt(c, CURLOPT_SSLVERSION,
		    CURL_SSLVERSION_TLSv1_0 | tls_max);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	return code;
}

/*
 * The TLS 1.2 suite the server picks when the client offers ciphers (an
 * OpenSSL cipher list) in that order, read from openssl s_client into
 * out. Returns 0, or -1 when no suite was agreed.
 */
static int
tls12_suite(int port, const char *ciphers, char *out, size_t outlen)
{
	char cmd[512], line[512];
	FILE *f;
	int rc = -1;

	snprintf(cmd, sizeof(cmd),
	    "openssl s_client -connect 127.0.0.1:%d -servername localhost "
	    "-tls1_2 -cipher '%s' </dev/null 2>/dev/null",
	    port, ciphers);
	out[0] = '\0';
	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = strstr(line, "Cipher is ");

		if (p != NULL && rc != 0) {
			snprintf(out, outlen, "%s", p + strlen("Cipher is "));
			out[strcspn(out, "\r\n")] = '\0';
			rc = strcmp(out, "(NONE)") == 0 ? -1 : 0;
		}
	}
	pclose(f);
	return rc;
}

static void
test_tls(void **state)
{
	struct proc p;
	char cmd[1200], cert[300], key[300], ecert[340], ekey[340];
	char headers[4096] = "";
	const char *env[] = { ecert, ekey, NULL };
	char out[2048];
	struct reply r;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_tmpdir(&p), 0);
	snprintf(cert, sizeof(cert), "%s/cert.pem", p.dir);
	snprintf(key, sizeof(key), "%s/key.pem", p.dir);
	snprintf(cmd, sizeof(cmd),
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
	    "-nodes -keyout %s -out %s -days 2 -subj /CN=localhost "
	    "-addext subjectAltName=DNS:localhost >/dev/null 2>&1",
	    key, cert);
	assert_int_equal(system(cmd), 0);
	snprintf(ecert, sizeof(ecert), "CRENEAU_HTTP_TLS_CERT=%s", cert);
	snprintf(ekey, sizeof(ekey), "CRENEAU_HTTP_TLS_KEY=%s", key);
	assert_int_equal(harness_start(&p, env, 1), 0);

	assert_int_equal(https_get(p.port, cert, 0, headers), 200);
	assert_non_null(strstr(headers,
	    "Strict-Transport-Security: max-age=31536000; includeSubDomains"));
	/* The server's order wins: a client offering the weaker suite
	 * first gets the stronger one (testssl.sh: "server cipher order"). */
	assert_int_equal(tls12_suite(p.port,
			     "ECDHE-ECDSA-AES128-GCM-SHA256:"
			     "ECDHE-ECDSA-CHACHA20-POLY1305:"
			     "ECDHE-ECDSA-AES256-GCM-SHA384",
			     out, sizeof(out)),
	    0);
	assert_string_equal(out, "ECDHE-ECDSA-AES256-GCM-SHA384");
	assert_int_equal(tls12_suite(p.port,
			     "ECDHE-ECDSA-AES128-GCM-SHA256:"
			     "ECDHE-ECDSA-CHACHA20-POLY1305",
			     out, sizeof(out)),
	    0);
	assert_string_equal(out, "ECDHE-ECDSA-CHACHA20-POLY1305");
	/* A suite outside the list is not agreed at all. */
	assert_int_equal(tls12_suite(p.port, "ECDHE-ECDSA-AES128-SHA", out,
			     sizeof(out)),
	    -1);
	/* TLS 1.1 and below are refused. */
	assert_int_equal(https_get(p.port, cert, CURL_SSLVERSION_MAX_TLSv1_1,
			     headers),
	    -1);
	/* Plain HTTP on the TLS port gets no HTTP answer. */
	if (http_call(p.port, "GET", "/healthz", NULL, NULL, 0, &r) == 0) {
		assert_int_not_equal(r.status, 200);
		reply_free(&r);
	}
	assert_int_equal(harness_stop(&p, SIGTERM), 0);

	/* With TLS, a non-loopback address is allowed. */
	{
		const char *env2[] = { ecert, ekey,
			"CRENEAU_HTTP_LISTEN=0.0.0.0:8443", NULL };
		static const char *const check[] = { "serve", "--check-config",
			NULL };

		assert_int_equal(harness_run(check, env2, out, sizeof(out)), 0);
	}
	harness_cleanup(&p);
}

/* Runs sql on the database file at path from this process (as another
 * program would). */
static void
db_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_close(db);
}

/* Counts the lines of s. */
static int
count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/* Asserts that `serve` with env exits 1 with one line holding want (and
 * want2, if not NULL). */
static void
assert_refused(const char *const *env, const char *want, const char *want2)
{
	static const char *const serve[] = { "serve", NULL };
	char out[4096];

	assert_int_equal(harness_run(serve, env, out, sizeof(out)), 1);
	if (strstr(out, want) == NULL ||
	    (want2 != NULL && strstr(out, want2) == NULL))
		fail_msg("expected '%s' in: %s", want, out);
	if (count_lines(out) != 1)
		fail_msg("more than one line: %s", out);
}

/*
 * The keys of an instance must be there: a missing or empty keystore, a
 * keystore readable by others, a missing master key (with `keys init`
 * refused, since a new key would not open the keystore) or another
 * instance's master key each stop the start with one line naming the
 * file, and nothing is created in their place.
 */
static void
test_keys_must_be_present(void **state)
{
	static const char *const init[] = { "keys", "init", NULL };
	struct proc p;
	char store[400], keys[400], master[400], saved[400], out[4096],
	    cmd[1400];
	const char *env[] = { store, NULL };

	(void)state;
	/* SQLite files: the store's own file faults. */
	if (harness_pg())
		skip();
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_start(&p, NULL, 0), 0);
	assert_int_equal(harness_stop(&p, SIGTERM), 0);
	snprintf(store, sizeof(store), "CRENEAU_STORE_PATH=%s", p.db);
	snprintf(keys, sizeof(keys), "%s/data/keys.db", p.dir);
	snprintf(master, sizeof(master), "%s/data/master.key", p.dir);
	snprintf(saved, sizeof(saved), "%s/keys.saved", p.dir);

	/* Missing keystore: refused, and not made anew. */
	assert_int_equal(rename(keys, saved), 0);
	assert_refused(env, keys, "is missing");
	assert_int_equal(access(keys, F_OK), -1);
	/* An empty keystore in its place: refused too (its schema is
	 * brought up to date first, which says so at info level). */
	db_exec(keys, "CREATE TABLE t (x INTEGER)");
	assert_int_equal(chmod(keys, 0600), 0);
	{
		const char *quiet[] = { store, "CRENEAU_LOG_LEVEL=warn", NULL };

		assert_refused(quiet, keys, "holds no keys");
	}
	assert_int_equal(unlink(keys), 0);
	assert_int_equal(rename(saved, keys), 0);

	/* Readable by others: refused like the master key. */
	assert_int_equal(chmod(keys, 0644), 0);
	assert_refused(env, keys, "mode 644");
	assert_int_equal(chmod(keys, 0600), 0);

	/* Missing master key: no `keys init` suggested, and init refused. */
	snprintf(cmd, sizeof(cmd), "%s.saved", master);
	assert_int_equal(rename(master, cmd), 0);
	assert_refused(env, master, "put the file back");
	assert_int_equal(harness_run(init, env, out, sizeof(out)), 1);
	assert_non_null(strstr(out, master));
	assert_non_null(strstr(out, "is missing"));
	assert_int_equal(count_lines(out), 1);
	assert_int_equal(access(master, F_OK), -1);

	/* Another master key: named as such, in one line (not blamed on
	 * the audit key). */
	{
		static const char *const init2[] = { "keys", "init", NULL };
		char other[400], other_env[440], sign_env[440];
		const char *env2[] = { store, other_env, sign_env, NULL };

		snprintf(other, sizeof(other), "%s/other/master.key", p.dir);
		snprintf(other_env, sizeof(other_env),
		    "CRENEAU_KEYS_MASTER_KEY_FILE=%s", other);
		snprintf(sign_env, sizeof(sign_env),
		    "CRENEAU_KEYS_KEYSTORE=%s/other/keys.db", p.dir);
		/* A new instance elsewhere gets its own master key... */
		{
			char db_env[440];
			const char *env3[] = { db_env, other_env, sign_env,
				NULL };

			snprintf(db_env, sizeof(db_env),
			    "CRENEAU_STORE_PATH=%s/other/creneau.db", p.dir);
			assert_int_equal(harness_run(init2, env3, out,
					     sizeof(out)),
			    0);
		}
		/* ...which does not open this instance's keystore. */
		snprintf(sign_env, sizeof(sign_env), "CRENEAU_KEYS_KEYSTORE=%s",
		    keys);
		assert_refused(env2, other, "does not open");
	}
	assert_int_equal(rename(cmd, master), 0);
	harness_cleanup(&p);
}

/*
 * A database with damaged pages is not served: the start-up check finds
 * them and the server stops with one line, having written nothing.
 */
static void
test_damaged_database_refused(void **state)
{
	struct proc p;
	char store[400];
	const char *env[] = { store, NULL };
	unsigned char junk[4096];
	FILE *f;

	(void)state;
	/* SQLite files: the store's own file faults. */
	if (harness_pg())
		skip();
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_start(&p, NULL, 0), 0);
	assert_int_equal(harness_stop(&p, SIGTERM), 0);
	snprintf(store, sizeof(store), "CRENEAU_STORE_PATH=%s", p.db);
	/* Garbage over the fifth page of the file. */
	memset(junk, 0x5a, sizeof(junk));
	f = fopen(p.db, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 4 * 4096L, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, sizeof(junk), f), sizeof(junk));
	fclose(f);
	assert_refused(env, "fails its integrity check", p.db);
	harness_cleanup(&p);
}

/*
 * Another process holds the write lock: a write waits the busy timeout
 * (here 300 ms) and is answered 503 store_busy with Retry-After, not a
 * hang; reads and /healthz are answered meanwhile.
 */
static void
test_store_busy_answered(void **state)
{
	static struct demo_account cand = { "candidat@demo.example", 0 };
	struct demo_account *accts[] = { &cand };
	const char *env[] = { "CRENEAU_STORE_BUSY_TIMEOUT_MS=300", NULL };
	struct proc p;
	struct reply r;
	sqlite3 *db;
	char *v;

	(void)state;
	/* SQLite files: the store's own file faults. */
	if (harness_pg())
		skip();
	assert_int_equal(demo_start(&p, accts, 1), 0);
	assert_int_equal(harness_stop(&p, SIGTERM), 0);
	assert_int_equal(harness_start(&p, env, 0), 0);

	assert_int_equal(sqlite3_open(p.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(client_call(&cand.c, "GET", "/api/v1/me", NULL), 200);
	assert_int_equal(client_call(&cand.c, "DELETE", "/api/v1/session",
			     NULL),
	    503);
	assert_string_equal(client_code(&cand.c), "store_busy");
	assert_non_null(strstr(cand.c.headers, "Retry-After: 2"));
	assert_int_equal(http_call(p.port, "GET", "/healthz", NULL, NULL, 0,
			     &r),
	    0);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	/* Free again: the same request goes through. */
	assert_int_equal(client_call(&cand.c, "DELETE", "/api/v1/session",
			     NULL),
	    200);
	v = harness_log(&p);
	assert_non_null(strstr(v, "status=503"));
	free(v);
	demo_stop(&p, accts, 1);
}

/* Sets the soft file size limit of process pid (RLIM_INFINITY: none). */
static void
limit_files(pid_t pid, rlim_t bytes)
{
	struct rlimit now, want;

	assert_int_equal(prlimit(pid, RLIMIT_FSIZE, NULL, &now), 0);
	want.rlim_cur = bytes;
	want.rlim_max = now.rlim_max;
	assert_int_equal(prlimit(pid, RLIMIT_FSIZE, &want, NULL), 0);
}

/*
 * Disk full, as the server meets it: the system refuses its writes (a
 * file size limit of 0 on the running process, which the kernel enforces
 * on every write as it does a full disk). Reads of a signed-in user go on
 * although the session's touch cannot be written; a write answers 507
 * storage_full with Retry-After; /healthz says 503 storage_full and
 * /readyz stays 200 saying writes are refused. Once writes succeed again
 * everything says ok.
 */
static void
test_disk_full(void **state)
{
	static struct demo_account cand = { "candidat@demo.example", 0 };
	struct demo_account *accts[] = { &cand };
	struct proc p;
	struct reply r;

	(void)state;
	/* SQLite files: the store's own file faults. */
	if (harness_pg())
		skip();
	assert_int_equal(demo_start(&p, accts, 1), 0);
	/* The session was last marked used two minutes ago: the next
	 * request must touch it. */
	db_exec(p.db,
	    "UPDATE sessions SET last_seen_at = last_seen_at - 120000");
	limit_files(p.pid, 0);

	assert_int_equal(client_call(&cand.c, "GET", "/api/v1/me", NULL), 200);
	assert_int_equal(client_call(&cand.c, "DELETE", "/api/v1/session",
			     NULL),
	    507);
	assert_string_equal(client_code(&cand.c), "storage_full");
	assert_non_null(strstr(cand.c.headers, "Retry-After: 300"));
	assert_int_equal(http_call(p.port, "GET", "/healthz", NULL, NULL, 0,
			     &r),
	    0);
	assert_int_equal(r.status, 503);
	assert_non_null(strstr(r.body, "\"code\":\"storage_full\""));
	reply_free(&r);
	assert_int_equal(http_call(p.port, "GET", "/readyz", NULL, NULL, 0, &r),
	    0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"writes\":\"refused_full\""));
	reply_free(&r);
	assert_int_equal(client_call(&cand.c, "GET", "/api/v1/me", NULL), 200);

	limit_files(p.pid, RLIM_INFINITY);
	assert_int_equal(client_call(&cand.c, "DELETE", "/api/v1/session",
			     NULL),
	    200);
	assert_int_equal(http_call(p.port, "GET", "/healthz", NULL, NULL, 0,
			     &r),
	    0);
	assert_int_equal(r.status, 200);
	reply_free(&r);
	demo_stop(&p, accts, 1);
}

/*
 * A port another process listens on is said in one true line (not
 * libmicrohttpd's "port 0"); temporary files of a killed backup or
 * restore are removed at start.
 */
static void
test_port_in_use_and_leftovers(void **state)
{
	struct proc p, q;
	char listen[64], store[400], path[500], out[4096];
	const char *env[] = { listen, store, NULL };
	static const char *const serve[] = { "serve", NULL };
	FILE *f;

	(void)state;
	/* SQLite files: the store's own file faults. */
	if (harness_pg())
		skip();
	memset(&p, 0, sizeof(p));
	memset(&q, 0, sizeof(q));
	assert_int_equal(harness_start(&p, NULL, 0), 0);
	assert_int_equal(harness_tmpdir(&q), 0);
	snprintf(listen, sizeof(listen), "CRENEAU_HTTP_LISTEN=127.0.0.1:%d",
	    p.port);
	snprintf(store, sizeof(store), "CRENEAU_STORE_PATH=%s", q.db);
	assert_int_equal(harness_run(serve, env, out, sizeof(out)), 1);
	if (strstr(out, "already in use") == NULL ||
	    strstr(out, "port 0") != NULL || count_lines(out) != 1)
		fail_msg("%s", out);
	assert_int_equal(harness_stop(&p, SIGTERM), 0);

	snprintf(path, sizeof(path), "%s.restore-0123456789abcdef", p.db);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("decrypted database", f);
	fclose(f);
	p.pid = 0;
	assert_int_equal(harness_start(&p, NULL, 0), 0);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(harness_stop(&p, SIGTERM), 0);
	harness_cleanup(&p);
	harness_cleanup(&q);
}

/*
 * A column added to the live database without being declared in
 * src/store/columns.c and the data map stops the server at start-up,
 * with one line naming the table and the column.
 */
static void
test_undeclared_column_refused(void **state)
{
	struct proc p;
	char *log, *line, *end;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_start(&p, NULL, 0), 0);
	assert_int_equal(harness_stop(&p, SIGTERM), 0);
	assert_int_equal(harness_store_exec(p.db,
			     "ALTER TABLE candidates ADD COLUMN nickname TEXT"),
	    0);
	assert_int_equal(harness_start(&p, NULL, 0), -1);
	log = harness_log(&p);
	line = strstr(log, "undeclared column candidates.nickname");
	assert_non_null(line);
	/* One line, from the [gdpr] start-up check; the server only listened
	 * the first time. */
	end = strchr(line, '\n');
	while (line > log && line[-1] != '\n')
		line--;
	assert_non_null(strstr(line, "serve: [gdpr] undeclared column"));
	assert_true(end == NULL || strstr(end, "serve: listening") == NULL);
	free(log);
	harness_cleanup(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health_and_errors),
		cmocka_unit_test(test_sigterm_finishes_request),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_migrate_and_newer_schema),
		cmocka_unit_test(test_tls),
		cmocka_unit_test(test_logs_hold_no_personal_data),
		cmocka_unit_test(test_audit_verify_command),
		cmocka_unit_test(test_retention_run_command),
		cmocka_unit_test(test_keys_must_be_present),
		cmocka_unit_test(test_damaged_database_refused),
		cmocka_unit_test(test_store_busy_answered),
		cmocka_unit_test(test_disk_full),
		cmocka_unit_test(test_port_in_use_and_leftovers),
		cmocka_unit_test(test_undeclared_column_refused),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
