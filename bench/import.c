/*
 * bench/import.c - how long other requests wait while a large candidate
 * registry import runs.
 *
 * What it measures, and why: a registry import of up to 20,000 lines
 * (the documented maximum) must not hold the database's write lock for
 * long, or every other writer, and with them the server's threads and
 * /healthz, waits behind it. This program starts the real binary with
 * the demo data, signs in the dispatcher and a school manager, and posts
 * a registry of LINES new candidates; while it runs it probes, every
 * PROBE_MS milliseconds, GET /healthz and a small write (the manager's
 * POST /api/v1/notifications/read-all), each on a new connection, and
 * prints the import's time and the longest and median wait of each
 * probe. With REPEAT=2 the same file is imported a second time (every
 * line then known and unchanged).
 *
 * A benchmark, not a test: it fails only when it cannot set up or the
 * import is refused.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "client.h"
#include "demo.h"
#include "harness.h"

static struct proc srv;
static struct demo_account dispatcher = { "repartition@demo.example", 1 };
static struct demo_account manager = { "gestion@tilleuls.example", 1 };
static struct demo_account *const all[] = { &dispatcher, &manager };

static atomic_int import_done;

struct import_run {
	const char *csv;
	size_t len;
	long status;
	double seconds;
	char answer[512];
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
keep_body(char *p, size_t size, size_t n, void *arg)
{
	struct import_run *r = arg;
	size_t have = strlen(r->answer), k = size * n;

	if (have + k < sizeof(r->answer)) {
		memcpy(r->answer + have, p, k);
		r->answer[have + k] = '\0';
	}
	return size * n;
}

static size_t
drop(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static void *
run_import(void *arg)
{
	struct import_run *r = arg;
	struct curl_slist *h = NULL;
	char url[256], xsrf[128], hdr[200];
	CURL *cu = dispatcher.c.curl;
	double t0 = now_s();

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/registry/import",
	    srv.port);
	r->answer[0] = '\0';
	if (client_cookie(&dispatcher.c, "XSRF-TOKEN", xsrf, sizeof(xsrf)) ==
	    0) {
		snprintf(hdr, sizeof(hdr), "X-XSRF-TOKEN: %s", xsrf);
		h = curl_slist_append(h, hdr);
	}
	h = curl_slist_append(h, "Expect:");
	h = curl_slist_append(h, "Content-Type: text/csv; charset=utf-8");
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_CUSTOMREQUEST, "POST");
	curl_easy_setopt(cu, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, keep_body);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(cu, CURLOPT_HEADERFUNCTION, drop);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDS, r->csv);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDSIZE, (long)r->len);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT, 600L);
	r->status = -1;
	if (curl_easy_perform(cu) == CURLE_OK)
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	curl_easy_setopt(cu, CURLOPT_POSTFIELDS, NULL);
	r->seconds = now_s() - t0;
	atomic_store(&import_done, 1);
	return NULL;
}

struct probe {
	const char *name;
	double *ms;
	size_t n, cap;
	long failures;
};

static void
probe_add(struct probe *p, double ms, int ok)
{
	if (!ok)
		p->failures++;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->ms = realloc(p->ms, p->cap * sizeof(*p->ms));
		if (p->ms == NULL)
			abort();
	}
	p->ms[p->n++] = ms;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
probe_print(struct probe *p)
{
	if (p->n == 0) {
		printf("  %-34s no probe\n", p->name);
		return;
	}
	qsort(p->ms, p->n, sizeof(*p->ms), cmp_double);
	printf("  %-34s %6zu probes  median %8.1f ms  max %8.1f ms  "
	       "failed %ld\n",
	    p->name, p->n, p->ms[p->n / 2], p->ms[p->n - 1], p->failures);
	free(p->ms);
	memset(p, 0, sizeof(*p));
}

static int
healthz_once(double *ms)
{
	CURL *cu = curl_easy_init();
	char url[128];
	long status = 0;
	double t0 = now_s();

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/healthz", srv.port);
	curl_easy_setopt(cu, CURLOPT_URL, url);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, drop);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT, 120L);
	if (curl_easy_perform(cu) == CURLE_OK)
		curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(cu);
	*ms = (now_s() - t0) * 1e3;
	return status == 200;
}

static int
write_once(double *ms)
{
	double t0 = now_s();
	long st = client_call(&manager.c, "POST",
	    "/api/v1/notifications/read-all", NULL);

	*ms = (now_s() - t0) * 1e3;
	return st == 200;
}

static char *
make_csv(long lines, size_t *len)
{
	size_t cap = 64 + (size_t)lines * 96, n;
	char *csv = malloc(cap);
	long i;

	if (csv == NULL)
		return NULL;
	n = (size_t)snprintf(csv, cap,
	    "neph;last_name;first_names;category;gearbox;email\n");
	for (i = 0; i < lines; i++)
		n += (size_t)snprintf(csv + n, cap - n,
		    "%012ld;Candidat%ld;Léa Marie;B;manual;"
		    "c%ld@exemple.fr\n",
		    700000000000L + i, i, i);
	*len = n;
	return csv;
}

static int
one_run(int round, const char *csv, size_t len, long probe_ms)
{
	struct probe hz = { "GET /healthz", NULL, 0, 0, 0 };
	struct probe wr = { "POST /notifications/read-all", NULL, 0, 0, 0 };
	struct import_run r = { csv, len, 0, 0, "" };
	pthread_t t;
	double ms;
	int ok;

	atomic_store(&import_done, 0);
	if (pthread_create(&t, NULL, run_import, &r) != 0)
		return -1;
	while (!atomic_load(&import_done)) {
		struct timespec nap = { 0, probe_ms * 1000 * 1000 };

		ok = healthz_once(&ms);
		probe_add(&hz, ms, ok);
		ok = write_once(&ms);
		probe_add(&wr, ms, ok);
		nanosleep(&nap, NULL);
	}
	pthread_join(t, NULL);
	printf("round %d: import answered %ld after %.2f s: %.200s\n", round,
	    r.status, r.seconds, r.answer);
	probe_print(&hz);
	probe_print(&wr);
	return r.status == 200 ? 0 : -1;
}

int
main(void)
{
	static const char *const env[] = {
		"CRENEAU_HTTP_MAX_BODY_BYTES=16777216",
		"CRENEAU_LOG_LEVEL=warn", NULL
	};
	const char *e;
	long lines = 20000, probe_ms = 20, repeat = 1, i;
	size_t len;
	char *csv;
	int rc = 0;

	if ((e = getenv("LINES")) != NULL)
		lines = strtol(e, NULL, 10);
	if ((e = getenv("PROBE_MS")) != NULL)
		probe_ms = strtol(e, NULL, 10);
	if ((e = getenv("REPEAT")) != NULL)
		repeat = strtol(e, NULL, 10);
	if (lines < 1 || probe_ms < 1 || probe_ms > 999 || repeat < 1)
		return 2;
	if ((csv = make_csv(lines, &len)) == NULL)
		return 1;
	if (demo_start_env(&srv, env, all, 2) != 0) {
		demo_stop(&srv, all, 2);
		return 1;
	}
	curl_easy_setopt(manager.c.curl, CURLOPT_FORBID_REUSE, 1L);
	printf("registry import of %ld lines (%zu bytes), probes every %ld "
	       "ms on new connections\n",
	    lines, len, probe_ms);
	for (i = 1; i <= repeat && rc == 0; i++)
		rc = one_run((int)i, csv, len, probe_ms);
	demo_stop(&srv, all, 2);
	free(csv);
	return rc == 0 ? 0 : 1;
}
