/*
 * bench/scale.c - the hot paths at national size: do they stay flat?
 *
 * What it measures, and why: issue 20 asks that the figures of a school's
 * day (the slot search, the basket's add, the validation, the candidate
 * search by NEPH, the school's exam list) and the retention run stay
 * within 2x of the same figures on the demo data once the store holds a
 * national-size year: about 12,000 schools, 1.5 million candidates under
 * mandate, 2 million slots, their exams, 500 centres. This program runs
 * the SAME measurements twice, through the real binary and its HTTP API
 * with the demo school manager (gestion@tilleuls.example):
 *
 *   1. "demo": the demo data alone, plus a week of bench slots in the
 *      demo school's department (44, category B) two weeks ahead;
 *   2. "national": the demo data, the same bench slots, and the national
 *      volume bulk-loaded with SQL (scaled by SCALE) before the server
 *      starts, then ANALYZE.
 *
 * and prints a table: figure, demo, national, ratio, and a flag when the
 * ratio is over 2. Also: the load time per table, the database's size,
 * the server's peak RSS (VmHWM), the full scans of growing tables that
 * SQLite's plan check logged (CRENEAU_STORE_PLAN_CHECK=on), and an
 * estimate of what sealing the bulk candidates would cost, from the time
 * the real registry import takes to seal SEAL_N candidates.
 *
 * What is real and what is not: the demo rows (accounts, the demo
 * school, its sealed candidates) are the product's own. The bulk rows
 * satisfy every constraint and foreign key of the schema, but the sealed
 * columns of the bulk candidates hold random bytes of the ciphertext's
 * size and their blind index random hex of the real shape: nobody reads
 * them, and the hot paths the bench drives never open them.
 *
 * A benchmark, not a test: it fails only when it cannot set up or a
 * request it measures is refused. Knobs are environment variables (see
 * bench/README.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "booking/caltime.h"
#include "client.h"
#include "harness.h"

#define DAY_MS ((int64_t)86400000)
#define BASE_ID 10000000L /* first id of the bulk candidates and slots */
#define CANDS_MAX 8

static double scale;
static long n_req, seal_n, ret_runs;
static int keep, verbose;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long
knob(const char *name, long def, long min, long max)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return def;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max) {
		fprintf(stderr, "scale: %s=%s: want an integer in %ld..%ld\n",
		    name, v, min, max);
		exit(2);
	}
	return n;
}

static double
knob_real(const char *name, double def, double min, double max)
{
	const char *v = getenv(name);
	char *end;
	double x;

	if (v == NULL || *v == '\0')
		return def;
	errno = 0;
	x = strtod(v, &end);
	if (errno != 0 || *end != '\0' || x < min || x > max) {
		fprintf(stderr, "scale: %s=%s: want a number in %g..%g\n", name,
		    v, min, max);
		exit(2);
	}
	return x;
}

/* --- latencies ---------------------------------------------------------- */

struct lat {
	double *v; /* milliseconds */
	size_t n, cap;
	long bad; /* answers other than the one expected */
	double cpu_ms; /* the server's CPU (user + system) during the calls */
};

/* The server under measure, whose CPU each timed call reads. */
static pid_t server_pid;

static void
lat_add(struct lat *l, double ms)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		double *p = realloc(l->v, cap * sizeof(*p));

		if (p == NULL)
			abort();
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n++] = ms;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The p-quantile (nearest rank), l sorted first. */
static double
pct(struct lat *l, double p)
{
	size_t i;

	if (l->n == 0)
		return 0;
	qsort(l->v, l->n, sizeof(double), cmp_double);
	i = (size_t)(p * (double)l->n + 0.999999);
	if (i < 1)
		i = 1;
	if (i > l->n)
		i = l->n;
	return l->v[i - 1];
}

/* The figures of one phase. */
enum fig {
	F_SEARCH,
	F_ADD,
	F_REMOVE,
	F_VALIDATE,
	F_CANCEL,
	F_NEPH,
	F_EXAMS,
	F_RETENTION,
	F_COUNT
};
static const char *const fig_name[F_COUNT] = { "GET slots (a week, 44/B)",
	"POST basket add", "DELETE basket slot", "POST validation",
	"POST exam cancellation", "POST mandates (NEPH)", "GET exams",
	"retention run (s)" };

struct phase {
	const char *name;
	struct lat lat[F_COUNT];
	double db_mb, hwm_mb;
	long scans, growing_scans, ret_scans, ret_growing;
	double seal_s; /* seconds to import seal_n candidates, or 0 */
	double load_s;
};

/* --- plan check (as tests/integration/test_query_plans.c) -------------- */

static const char *const growing[] = { "accounts", "account_roles", "sessions",
	"login_journal", "audit_log", "slots", "baskets", "basket_items",
	"exams", "candidates", "mandates", "notifications", "email_outbox",
	"sms_outbox", "appt_appointments", "appt_appointment_agents",
	"appt_participants", "appt_holds", "appt_users", "appt_waitlist",
	"appt_manage_links", "appt_guest_requests", "dossiers",
	"dossier_documents", "rate_windows", "throttle", NULL };

static const char *
grows(const char *line)
{
	const char *p = strstr(line, "store: plan: SCAN "), *sql;
	char name[64], pat[160];
	size_t i, n;

	if (p == NULL)
		return NULL;
	p += strlen("store: plan: SCAN ");
	n = strcspn(p, " |\n");
	if (n == 0 || n >= sizeof(name))
		return NULL;
	memcpy(name, p, n);
	name[n] = '\0';
	sql = strstr(p, " | ");
	for (i = 0; growing[i] != NULL; i++) {
		if (strcmp(name, growing[i]) == 0)
			return growing[i];
		if (sql == NULL)
			continue;
		snprintf(pat, sizeof(pat), " %s %s ", growing[i], name);
		if (strstr(sql, pat) != NULL)
			return growing[i];
		snprintf(pat, sizeof(pat), " %s AS %s ", growing[i], name);
		if (strstr(sql, pat) != NULL)
			return growing[i];
	}
	return NULL;
}

/* Counts the plan lines of text (scans, and scans of growing tables,
 * printed with prefix). */
static void
count_scans(char *text, const char *prefix, long *scans, long *bad)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "store: plan: SCAN ") == NULL)
			continue;
		(*scans)++;
		if (grows(line) != NULL) {
			(*bad)++;
			printf("  %s full scan of a growing table: %.240s\n",
			    prefix, strstr(line, "SCAN "));
		}
	}
}

/* --- the bulk load ------------------------------------------------------ */

static int pg;

/* SQL fragments that differ between SQLite and PostgreSQL, each in a
 * buffer of its own (up to 8 live at once). */
static const char *
frag(const char *t_sqlite, const char *t_pg, const char *e)
{
	static char buf[8][200];
	static unsigned k;
	char *b = buf[k++ % 8];
	const char *t = pg ? t_pg : t_sqlite;
	size_t n = 0, el = strlen(e);

	for (; *t != '\0' && n + el + 1 < sizeof(buf[0]); t++) {
		if (*t == '@') {
			memcpy(b + n, e, el);
			n += el;
		} else
			b[n++] = *t;
	}
	b[n] = '\0';
	return b;
}

/* Text id of 32 hex digits, like the product's. */
#define HEXID(e)                                                               \
	frag("printf('ca1e%028x', @)", "'ca1e' || lpad(to_hex(@), 28, '0')", e)
/* Department code of two digits. */
#define DEPT(e) frag("printf('%02d', @)", "lpad((@)::text, 2, '0')", e)
/* 64 hex digits: a blind index's shape. */
#define HEX64(e)                                                               \
	frag("lower(hex(randomblob(32)))",                                     \
	    "encode(sha256(int8send(@)), 'hex')", e)
/* Opaque bytes, the size of a sealed field (n <= 64). */
static const char *
blob(int n)
{
	static char buf[4][200];
	static unsigned k;
	char *b = buf[k++ % 4];

	if (pg)
		snprintf(b, sizeof(buf[0]),
		    "substring(sha256(int8send(i)) || sha256(int8send(-i - %d))"
		    " from 1 for %d)",
		    n, n);
	else
		snprintf(b, sizeof(buf[0]), "randomblob(%d)", n);
	return b;
}
/* YYYYMM of a time in ms (UTC: the slots are in the day, so Paris's). */
#define MONTH(e)                                                                               \
	frag("CAST(strftime('%Y%m', (@) / 1000, 'unixepoch') AS INTEGER)",                     \
	    "CAST(to_char(to_timestamp((@) / 1000) AT TIME ZONE 'UTC', 'YYYYMM') AS INTEGER)", \
	    e)

static int
load_step(const char *db, const char *label, const char *sql, long rows)
{
	char *full;
	size_t n = strlen(sql) + 128;
	double t0 = now_s();
	int rc;

	full = malloc(n);
	if (full == NULL)
		return -1;
	/* A page cache large enough for the indexes being filled. */
	snprintf(full, n, "%s%s", pg ? "" : "PRAGMA cache_size = -262144; ",
	    sql);
	rc = harness_store_exec(db, full);
	free(full);
	if (rc != 0) {
		fprintf(stderr, "scale: load %s failed\n", label);
		return -1;
	}
	if (rows >= 0)
		printf("  %-20s %10ld rows %8.1f s\n", label, rows,
		    now_s() - t0);
	else
		printf("  %-20s %10s      %8.1f s\n", label, "", now_s() - t0);
	fflush(stdout);
	return 0;
}

static int
bulk_load(const char *db, int64_t now, double *seconds)
{
	long S = (long)(12000 * scale + 0.5), C, SL = (long)(2000000 * scale);
	long CE = (long)(500 * scale + 0.5), M;
	int64_t day0 = (now / DAY_MS - 182) * DAY_MS;
	/* What the hourly retention run has already done to a year that
	 * went by: results past their validity (4 months) purged, the
	 * inspectors of slots older than that removed. */
	int64_t cutoff = caltime_add_months(now, -4);
	char sql[4096], start[256], istr[64];
	double t0 = now_s();

	if (S < 10)
		S = 10;
	if (CE < 5)
		CE = 5;
	if (SL < 1000)
		SL = 1000;
	C = ((long)(1500000 * scale) / 5) * 5; /* a multiple of 5 */
	if (C < 1000)
		C = 1000;
	M = C > SL ? C : SL;
	printf("national volume (SCALE %g): %ld schools, %ld candidates and "
	       "mandates, %ld slots over a year (3 in 5 booked, with an "
	       "exam), %ld centres\n",
	    scale, S, C, SL, CE);
	if (pg)
		snprintf(sql, sizeof(sql),
		    "CREATE TABLE scale_seq (i BIGINT PRIMARY KEY);"
		    " INSERT INTO scale_seq (i) SELECT generate_series(1, %ld);",
		    M);
	else
		snprintf(sql, sizeof(sql),
		    "CREATE TABLE scale_seq (i INTEGER PRIMARY KEY);"
		    " WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1"
		    " FROM n WHERE i < %ld) INSERT INTO scale_seq (i)"
		    " SELECT i FROM n;",
		    M);
	if (load_step(db, "(sequence)", sql, M) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
	    "INSERT INTO exam_centres (id, name, department, address,"
	    " created_at) SELECT 1000 + i, 'Centre national ' || i, %s,"
	    " i || ' rue des Examens', %" PRId64
	    " FROM scale_seq WHERE i <= %ld;",
	    DEPT("(1000 + i) % 95 + 1"), now, CE);
	if (load_step(db, "exam_centres", sql, CE) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
	    "INSERT INTO organisations (id, name, kind, created_at)"
	    " SELECT %s, 'Auto-école nationale ' || i, 'school', %" PRId64
	    " FROM scale_seq WHERE i <= %ld;",
	    HEXID("i"), now, S);
	if (load_step(db, "organisations", sql, S) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
	    "INSERT INTO schools (id, org_id, created_at) SELECT 1000 + i,"
	    " %s, %" PRId64 " FROM scale_seq WHERE i <= %ld;",
	    HEXID("i"), now, S);
	if (load_step(db, "schools", sql, S) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
	    "INSERT INTO school_departments (school_id, department)"
	    " SELECT 1000 + i, %s FROM scale_seq WHERE i <= %ld;",
	    DEPT("i % 95 + 1"), S);
	if (load_step(db, "school_departments", sql, S) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
	    "INSERT INTO trainer_etp (school_id, trainer_ref, department,"
	    " category, etp_centi) SELECT 1000 + i, 'T1', %s, 'B', 100"
	    " FROM scale_seq WHERE i <= %ld;"
	    " INSERT INTO trainer_etp (school_id, trainer_ref, department,"
	    " category, etp_centi) SELECT 1000 + i, 'T2', %s, 'B', 100"
	    " FROM scale_seq WHERE i <= %ld;",
	    DEPT("i % 95 + 1"), S, DEPT("i % 95 + 1"), S);
	if (load_step(db, "trainer_etp", sql, 2 * S) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
	    "INSERT INTO candidates (id, neph_index, category, neph,"
	    " last_name, first_names, email, gearbox, account_id,"
	    " created_at, updated_at, closed_at, birth_date)"
	    " SELECT %ld + i, %s, CASE WHEN i %% 5 = 0 THEN 'A' ELSE 'B'"
	    " END, %s, %s, %s, NULL, 'manual', NULL, %" PRId64 ", %" PRId64
	    ", NULL, %s FROM scale_seq WHERE i <= %ld;",
	    BASE_ID, HEX64("i"), blob(57), blob(52), blob(50), now, now,
	    blob(55), C);
	if (load_step(db, "candidates", sql, C) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
	    "INSERT INTO mandates (candidate_id, school_id, category, state,"
	    " origin, created_by, created_at, activated_at, expires_at,"
	    " ended_at) SELECT %ld + i, 1001 + i %% %ld, CASE WHEN i %% 5 ="
	    " 0 THEN 'A' ELSE 'B' END, 'active', 'school', NULL, %" PRId64
	    ", %" PRId64 ", %" PRId64 ", NULL FROM scale_seq WHERE i <= %ld;",
	    BASE_ID, S, now, now, now + 365 * DAY_MS, C);
	if (load_step(db, "mandates", sql, C) != 0)
		return -1;
	/* Slot i: centre 1 + i % CE, day (i / CE) % 365 of the year around
	 * today, quarter-hour (13 i) % 36 from 07:00 UTC (spread over the
	 * working day whatever the scale). */
	snprintf(start, sizeof(start),
	    "(%" PRId64 " + ((i / %ld) %% 365) * %" PRId64 " + 25200000 +"
	    " ((i * 13) %% 36) * 900000)",
	    day0, CE, DAY_MS);
	snprintf(sql, sizeof(sql),
	    "INSERT INTO slots (id, centre_id, category, start_at, inspector,"
	    " published_at, state, basket_id, created_at) SELECT %ld + i,"
	    " 1001 + i %% %ld, CASE WHEN i %% 5 = 0 THEN 'A' ELSE 'B' END,"
	    " %s, CASE WHEN %s <= %" PRId64 " THEN '' ELSE 'INSP-' ||"
	    " (1001 + i %% %ld) END, %s - 5184000000,"
	    " CASE WHEN (i / 7) %% 5 < 3 THEN 'booked' ELSE 'free' END, NULL,"
	    " %s - 5184000000 FROM scale_seq WHERE i <= %ld;",
	    BASE_ID, CE, start, start, cutoff, CE, start, start, SL);
	if (load_step(db, "slots", sql, SL) != 0)
		return -1;
	/* The exam of booked slot i: candidate 1 + (i - 1) % C (same
	 * category: C is a multiple of 5), its mandate's school; a result
	 * the day after when the slot is past. */
	snprintf(istr, sizeof(istr), "(q.id - %ld)", BASE_ID);
	snprintf(sql, sizeof(sql),
	    "INSERT INTO exams (slot_id, school_id, candidate_id, department,"
	    " category, start_at, month, status, replacements, booked_by,"
	    " created_at, cancelled_at, result_at) SELECT q.id,"
	    " 1001 + (1 + (%s - 1) %% %ld) %% %ld, %ld + 1 + (%s - 1) %% %ld,"
	    " %s, q.category, q.start_at, %s, CASE WHEN q.start_at >= %" PRId64
	    " THEN 'booked' WHEN %s %% 3 = 0 THEN 'failed' ELSE 'passed' END,"
	    " 0, NULL, q.start_at - 2592000000, NULL, CASE WHEN q.start_at >="
	    " %" PRId64 " THEN NULL ELSE q.start_at + 86400000 END"
	    " FROM slots q WHERE q.id > %ld AND q.state = 'booked'"
	    " AND q.start_at + 86400000 > %" PRId64 ";",
	    istr, C, S, BASE_ID, istr, C, DEPT("q.centre_id % 95 + 1"),
	    MONTH("q.start_at"), now, istr, now, BASE_ID, cutoff);
	if (load_step(db, "exams", sql, -1) != 0)
		return -1;
	if (load_step(db, "(drop sequence)", "DROP TABLE scale_seq;", -1) != 0)
		return -1;
	if (pg &&
	    load_step(db, "(identity sequences)",
		"SELECT setval(pg_get_serial_sequence('exam_centres', 'id'),"
		" (SELECT max(id) FROM exam_centres));"
		" SELECT setval(pg_get_serial_sequence('schools', 'id'),"
		" (SELECT max(id) FROM schools));"
		" SELECT setval(pg_get_serial_sequence('candidates', 'id'),"
		" (SELECT max(id) FROM candidates));"
		" SELECT setval(pg_get_serial_sequence('slots', 'id'),"
		" (SELECT max(id) FROM slots));",
		-1) != 0)
		return -1;
	/* PostgreSQL's planner needs statistics (autovacuum would gather
	 * them); SQLite gathers its own with PRAGMA optimize when the
	 * product closes the store. */
	if (pg && load_step(db, "ANALYZE", "ANALYZE;", -1) != 0)
		return -1;
	*seconds = now_s() - t0;
	printf("  %-20s %10s      %8.1f s\n", "total", "", *seconds);
	return 0;
}

/* A week of bench slots in centre 1 (44), category B, from day +14:
 * more than 7 days ahead, so a cancellation carries no delay. */
static int
bench_slots(const char *db, int64_t now, int64_t *from, int64_t *to)
{
	char sql[1024];

	*from = (now / DAY_MS + 14) * DAY_MS;
	*to = *from + 7 * DAY_MS;
	snprintf(sql, sizeof(sql),
	    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n"
	    " WHERE i < 251) INSERT INTO slots (centre_id, category,"
	    " start_at, inspector, published_at, state, created_at)"
	    " SELECT 1, 'B', %" PRId64 " + (i / 36) * %" PRId64 " + 25200000 +"
	    " (i %% 36) * 900000, 'INSP-BENCH', %" PRId64 ", 'free', %" PRId64
	    " FROM n;",
	    *from, DAY_MS, now - 3 * DAY_MS, now - 3 * DAY_MS);
	return harness_store_exec(db, sql);
}

/* --- helpers ------------------------------------------------------------ */

static int
temp_of(const char *out, const char *email, char *temp, size_t n)
{
	const char *p = strstr(out, email);
	char e[128], t[64];

	if (p == NULL || sscanf(p, "%127s %63s", e, t) != 2 ||
	    strcmp(e, email) != 0)
		return -1;
	snprintf(temp, n, "%s", t);
	return 0;
}

static double
db_mb(const char *db)
{
	char v[64], wal[320];
	struct stat st;
	double b = 0;

	if (pg) {
		if (harness_store_value(db,
			"SELECT pg_database_size(current_database())", v,
			sizeof(v)) != 0)
			return -1;
		return strtod(v, NULL) / 1048576;
	}
	if (stat(db, &st) == 0)
		b += (double)st.st_size;
	snprintf(wal, sizeof(wal), "%s-wal", db);
	if (stat(wal, &st) == 0)
		b += (double)st.st_size;
	return b / 1048576;
}

/* One timed call; counts it bad unless its status is want (or want2). */
static long
timed(struct client *c, struct lat *l, const char *method, const char *path,
    const char *json, long want, long want2)
{
	double c0 = harness_proc_cpu_ms(server_pid), t0 = now_s(), c1;
	long st = client_call(c, method, path, json);

	lat_add(l, (now_s() - t0) * 1e3);
	c1 = harness_proc_cpu_ms(server_pid);
	if (c0 >= 0 && c1 >= c0)
		l->cpu_ms += c1 - c0;
	if (verbose && l->n == 1)
		fprintf(stderr, "scale: %s %s: %ld %.200s\n", method, path, st,
		    c->body);
	if (st != want && st != want2) {
		if (l->bad++ == 0)
			fprintf(stderr, "scale: %s %s: %ld %.300s\n", method,
			    path, st, c->body);
	}
	return st;
}

static void
iso(int64_t ms, char *out, size_t n)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Posts a registry of n new candidates as the dispatcher: the real
 * sealing path. Returns the seconds it took, or -1. */
static double
seal_import(struct client *c, long n)
{
	size_t cap = 64 + (size_t)n * 96, len;
	char *csv = malloc(cap), url[256], xsrf[128], hdr[200];
	struct curl_slist *h = NULL;
	long status = -1, i;
	double t0;

	if (csv == NULL)
		return -1;
	len = (size_t)snprintf(csv, cap,
	    "neph;last_name;first_names;category;gearbox;email\n");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(csv + len, cap - len,
		    "%012ld;Scellé%ld;Léa Marie;B;manual;s%ld@exemple.fr\n",
		    710000000000L + i, i, i);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/v1/registry/import",
	    c->port);
	if (client_cookie(c, "XSRF-TOKEN", xsrf, sizeof(xsrf)) == 0) {
		snprintf(hdr, sizeof(hdr), "X-XSRF-TOKEN: %s", xsrf);
		h = curl_slist_append(h, hdr);
	}
	h = curl_slist_append(h, "Expect:");
	h = curl_slist_append(h, "Content-Type: text/csv; charset=utf-8");
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, "POST");
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, csv);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 600L);
	t0 = now_s();
	c->body_len = 0;
	c->body[0] = '\0';
	if (curl_easy_perform(c->curl) == CURLE_OK)
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	t0 = now_s() - t0;
	if (verbose)
		fprintf(stderr, "scale: registry import: %ld %.300s\n", status,
		    c->body);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, NULL);
	curl_slist_free_all(h);
	free(csv);
	if (status != 200) {
		fprintf(stderr, "scale: registry import: %ld %.300s\n", status,
		    c->body);
		return -1;
	}
	return t0;
}

/* --- one phase ---------------------------------------------------------- */

struct cand {
	long long id;
	char neph[32], last[128], first[128];
};

static int
measure(struct client *c, struct phase *ph, int64_t from, int64_t to)
{
	char path[320], body[400], f[40], t[40];
	long long slots[300], basket, exam;
	struct cand cands[CANDS_MAX];
	size_t ns = 0, nc = 0, i;
	json_t *o, *v;
	long k;

	iso(from, f, sizeof(f));
	iso(to, t, sizeof(t));
	snprintf(path, sizeof(path),
	    "/api/v1/slots?department=44&category=B&from=%s&to=%s&limit=200", f,
	    t);
	for (k = 0; k < n_req; k++) {
		if (timed(c, &ph->lat[F_SEARCH], "GET", path, NULL, 200, 0) !=
		    200)
			return -1;
		if (ns > 0)
			continue;
		o = client_json(c);
		json_array_foreach (json_object_get(o, "slots"), i, v) {
			if (ns < 300 &&
			    json_is_true(json_object_get(v, "bookable_now")))
				slots[ns++] = json_integer_value(
				    json_object_get(v, "id"));
		}
		json_decref(o);
	}
	if (client_call(c, "GET", "/api/v1/candidates", NULL) != 200)
		return -1;
	o = client_json(c);
	json_array_foreach (json_object_get(o, "candidates"), i, v) {
		const char *cat =
		    json_string_value(json_object_get(v, "category"));

		if (nc == CANDS_MAX || cat == NULL || strcmp(cat, "B") != 0)
			continue;
		cands[nc].id = json_integer_value(json_object_get(v, "id"));
		snprintf(cands[nc].neph, sizeof(cands[nc].neph), "%s",
		    json_string_value(json_object_get(v, "neph")));
		snprintf(cands[nc].last, sizeof(cands[nc].last), "%s",
		    json_string_value(json_object_get(v, "last_name")));
		snprintf(cands[nc].first, sizeof(cands[nc].first), "%s",
		    json_string_value(json_object_get(v, "first_names")));
		nc++;
	}
	json_decref(o);
	if (client_call(c, "GET", "/api/v1/basket", NULL) != 200)
		return -1;
	o = client_json(c);
	basket = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	printf("  %s: %zu bookable slots in the searched week, %zu candidates"
	       " (B) of the demo school, basket %lld\n",
	    ph->name, ns, nc, basket);
	if (ns < 10 || nc == 0 || basket <= 0)
		return -1;

	/* The add, then the remove (the slot is free again). */
	for (k = 0; k < n_req; k++) {
		long long s = slots[(size_t)k % ns];

		snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots",
		    basket);
		snprintf(body, sizeof(body), "{\"slots\":[{\"slot_id\":%lld}]}",
		    s);
		timed(c, &ph->lat[F_ADD], "POST", path, body, 200, 0);
		snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots/%lld",
		    basket, s);
		timed(c, &ph->lat[F_REMOVE], "DELETE", path, NULL, 200, 0);
	}

	/* The validation: a slot with a candidate, validated, then the exam
	 * cancelled (more than 7 days ahead: no delay, the place is free). */
	for (k = 0; k < n_req; k++) {
		long long s = slots[(size_t)k % ns];
		const struct cand *cd = &cands[(size_t)k % nc];

		snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots",
		    basket);
		snprintf(body, sizeof(body),
		    "{\"slots\":[{\"slot_id\":%lld,\"candidate_id\":%lld}]}", s,
		    cd->id);
		if (client_call(c, "POST", path, body) != 200) {
			fprintf(stderr, "scale: add for validation: %.300s\n",
			    c->body);
			return -1;
		}
		snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation",
		    basket);
		if (timed(c, &ph->lat[F_VALIDATE], "POST", path, NULL, 200,
			0) != 200)
			return -1;
		o = client_json(c);
		exam = json_integer_value(
		    json_object_get(json_array_get(json_object_get(o,
						       "results"),
					0),
			"exam_id"));
		json_decref(o);
		if (exam <= 0)
			return -1;
		snprintf(path, sizeof(path), "/api/v1/exams/%lld/cancellation",
		    exam);
		if (timed(c, &ph->lat[F_CANCEL], "POST", path, NULL, 200, 0) !=
		    200)
			return -1;
	}

	/* The candidate search by NEPH: a mandate asked for a candidate the
	 * school already holds (found by blind index, opened, compared, and
	 * refused without a write). */
	for (k = 0; k < n_req; k++) {
		const struct cand *cd = &cands[(size_t)k % nc];
		json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "neph", cd->neph,
		    "last_name", cd->last, "first_names", cd->first, "category",
		    "B");
		char *js = json_dumps(b, JSON_COMPACT);

		timed(c, &ph->lat[F_NEPH], "POST", "/api/v1/mandates", js, 409,
		    422);
		free(js);
		json_decref(b);
	}

	for (k = 0; k < n_req; k++)
		timed(c, &ph->lat[F_EXAMS], "GET", "/api/v1/exams", NULL, 200,
		    0);
	return 0;
}

static int
run_phase(struct phase *ph, int national)
{
	static const char *const demo[] = { "demo-data", NULL };
	static char out[1 << 20];
	const char *senv[] = { "CRENEAU_STORE_PLAN_CHECK=on",
		"CRENEAU_JOBS_ENABLED=off", "CRENEAU_HTTP_ACCESS_LOG=off",
		"CRENEAU_RATELIMIT_SCHOOL_PER_MINUTE=1000000",
		"CRENEAU_RATELIMIT_EMPLOYEE_PER_MINUTE=1000000", NULL };
	char env_store[400], temp_m[64], temp_d[64];
	const char *denv[] = { env_store, NULL };
	const char *renv[] = { env_store, "CRENEAU_STORE_PLAN_CHECK=on", NULL };
	const char *ret[] = { "retention", "run", "--at", NULL, NULL };
	char at[40];
	struct client *mc = calloc(1, sizeof(*mc)),
		      *dc = calloc(1, sizeof(*dc));
	struct proc srv;
	int64_t now = wall_ms(), from, to;
	int rc = -1;
	long r;
	char *log;

	memset(&srv, 0, sizeof(srv));
	if (mc == NULL || dc == NULL || harness_tmpdir(&srv) != 0)
		return -1;
	printf("== %s (%s)\n", ph->name, pg ? "postgresql" : "sqlite");
	fflush(stdout);
	snprintf(env_store, sizeof(env_store), "CRENEAU_STORE_PATH=%s", srv.db);
	if (harness_run(demo, denv, out, sizeof(out)) != 0 ||
	    temp_of(out, "gestion@tilleuls.example", temp_m, sizeof(temp_m)) !=
		0 ||
	    temp_of(out, "repartition@demo.example", temp_d, sizeof(temp_d)) !=
		0) {
		fprintf(stderr, "scale: demo-data failed:\n%.2000s", out);
		goto done;
	}
	if (bench_slots(srv.db, now, &from, &to) != 0)
		goto done;
	if (national && bulk_load(srv.db, now, &ph->load_s) != 0)
		goto done;
	if (harness_start(&srv, senv, 0) != 0) {
		log = harness_log(&srv);
		fprintf(stderr, "scale: the server did not start:\n%s", log);
		free(log);
		goto done;
	}
	server_pid = srv.pid;
	client_init(mc, srv.port);
	if (client_onboard(mc, "gestion@tilleuls.example", temp_m,
		"galet Orange tulipe 1 vent", 1) != 0)
		goto stop;
	if (measure(mc, ph, from, to) != 0)
		goto stop;
	if (!national && seal_n > 0) {
		client_init(dc, srv.port);
		if (client_onboard(dc, "repartition@demo.example", temp_d,
			"galet Orange tulipe 2 vent", 1) != 0)
			goto stop;
		if ((ph->seal_s = seal_import(dc, seal_n)) < 0)
			goto stop;
	}
	ph->hwm_mb = harness_proc_mem_mb(srv.pid, "VmHWM:");
	rc = 0;
stop:
	client_free(mc);
	if (dc->curl != NULL)
		client_free(dc);
	harness_stop(&srv, SIGTERM);
	log = harness_log(&srv);
	if (log != NULL) {
		count_scans(log, "server:", &ph->scans, &ph->growing_scans);
		free(log);
	}
	if (rc != 0)
		goto done;
	/* The retention run, as the hourly job would, tomorrow from 08:00
	 * UTC, one hour apart: each purges the hour of slots and exams
	 * whose cut-off it passes. Wall time. */
	for (r = 0; r < ret_runs; r++) {
		double t0;
		const char *p;

		iso((now / DAY_MS + 1) * DAY_MS + (8 + r) * 3600000LL, at,
		    sizeof(at));
		ret[3] = at;
		t0 = now_s();

		if (harness_run(ret, renv, out, sizeof(out)) != 0) {
			fprintf(stderr, "scale: retention run:\n%.2000s", out);
			rc = -1;
			goto done;
		}
		lat_add(&ph->lat[F_RETENTION], now_s() - t0);
		p = strstr(out, "retention run at ");
		printf("  retention run at %s: %.2f s, %.40s\n", at,
		    now_s() - t0,
		    p != NULL && strstr(p, ": ") != NULL ? strstr(p, ": ") + 2
							 : "?");
		if (verbose)
			printf("%.3000s\n", out);
		count_scans(out, "retention:", &ph->ret_scans,
		    &ph->ret_growing);
	}
	ph->db_mb = db_mb(srv.db);
done:
	free(mc);
	free(dc);
	if (keep)
		printf("kept: %s\n", srv.dir);
	else {
		if (pg)
			harness_pg_drop(srv.db);
		harness_cleanup(&srv);
	}
	return rc;
}

/* --- the table ---------------------------------------------------------- */

static void
row(const char *name, double demo, double nat, const char *unit)
{
	double ratio = demo > 0 ? nat / demo : 0;

	printf("%-34s %10.2f %10.2f %7.2f%s  %s\n", name, demo, nat, ratio,
	    ratio > 2 ? " >2x" : "    ", unit);
}

int
main(void)
{
	struct phase demo = { "demo" }, nat = { "national" };
	double ms_each;
	long bad = 0;
	int k;

	scale = knob_real("SCALE", 1.0, 0.0001, 4.0);
	n_req = knob("REQUESTS", 200, 10, 100000);
	seal_n = knob("SEAL_N", 2000, 0, 20000);
	ret_runs = knob("RETENTION_RUNS", 3, 1, 100);
	keep = (int)knob("KEEP", 0, 0, 1);
	verbose = (int)knob("VERBOSE", 0, 0, 1);
	pg = harness_pg();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	printf("scale: %ld requests per figure, store %s, SCALE %g\n", n_req,
	    pg ? "postgresql" : "sqlite", scale);
	if (run_phase(&demo, 0) != 0 || run_phase(&nat, 1) != 0) {
		fprintf(stderr, "scale: a phase failed\n");
		return 1;
	}

	printf("\n%-34s %10s %10s %7s\n", "figure (ms unless said)", "demo",
	    "national", "ratio");
	for (k = 0; k < F_COUNT; k++) {
		char name[64];

		bad += demo.lat[k].bad + nat.lat[k].bad;
		if (k == F_RETENTION) {
			snprintf(name, sizeof(name), "%s p50", fig_name[k]);
			row(name, pct(&demo.lat[k], 0.5), pct(&nat.lat[k], 0.5),
			    "s");
			snprintf(name, sizeof(name), "%s max", fig_name[k]);
			row(name, pct(&demo.lat[k], 1), pct(&nat.lat[k], 1),
			    "s");
			continue;
		}
		snprintf(name, sizeof(name), "%s p50", fig_name[k]);
		row(name, pct(&demo.lat[k], 0.5), pct(&nat.lat[k], 0.5), "");
		snprintf(name, sizeof(name), "%s p99", fig_name[k]);
		row(name, pct(&demo.lat[k], 0.99), pct(&nat.lat[k], 0.99), "");
	}
	printf("\n%-34s %10s %10s %7s\n", "server CPU per request (ms)", "demo",
	    "national", "ratio");
	for (k = 0; k < F_RETENTION; k++)
		row(fig_name[k],
		    demo.lat[k].n ? demo.lat[k].cpu_ms / (double)demo.lat[k].n
				  : 0,
		    nat.lat[k].n ? nat.lat[k].cpu_ms / (double)nat.lat[k].n : 0,
		    pg ? "(the server process; not PostgreSQL's)" : "");
	printf("\n");
	row("database size", demo.db_mb, nat.db_mb, "MB");
	row("server peak RSS (VmHWM)", demo.hwm_mb, nat.hwm_mb, "MB");
	if (!pg) {
		printf("\nplan check (SQLite): server %ld scans, %ld of growing"
		       " tables (demo); %ld scans, %ld of growing tables"
		       " (national)\n",
		    demo.scans, demo.growing_scans, nat.scans,
		    nat.growing_scans);
		printf("plan check (SQLite): retention %ld scans, %ld of"
		       " growing tables (demo); %ld scans, %ld of growing"
		       " tables (national)\n",
		    demo.ret_scans, demo.ret_growing, nat.ret_scans,
		    nat.ret_growing);
	}
	if (demo.seal_s > 0) {
		ms_each = demo.seal_s * 1e3 / (double)seal_n;
		printf("\nsealing (estimated): the registry import sealed %ld"
		       " real candidates in %.2f s (%.3f ms each, one request);"
		       " the %ld bulk candidates would take about %.0f s"
		       " (%.1f min) that way; the bulk load wrote random bytes"
		       " in their sealed columns instead\n",
		    seal_n, demo.seal_s, ms_each,
		    ((long)(1500000 * scale) / 5) * 5,
		    ms_each * (double)(((long)(1500000 * scale) / 5) * 5) / 1e3,
		    ms_each * (double)(((long)(1500000 * scale) / 5) * 5) /
			6e4);
	}
	printf("bulk load: %.1f s\n", nat.load_s);
	if (bad) {
		printf("unexpected answers: %ld (the first of each kind is "
		       "printed above)\n",
		    bad);
		return 1;
	}
	curl_global_cleanup();
	return 0;
}
