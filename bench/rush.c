/*
 * bench/rush.c - the exam-slot rush: many driving schools race for the
 * same newly published slots through the real HTTP API, and the database
 * is checked afterwards.
 *
 * What it measures, and why: RULES.md rule 10 asks that when many schools
 * race for newly published slots each slot goes to exactly one basket, no
 * quota is exceeded and no school waits on another's lock. This program
 * sets up SCHOOLS schools (each with one school manager signed in with
 * TOTP, QUOTA places in department 44 category B for the month of the
 * slots, and as many candidates under mandate) and SLOTS free slots, then
 * releases every school at once: each adds slots to its basket four at a
 * time (a candidate on each), validates, and goes on until its quota is
 * used or no free slot is left. It prints validated bookings per second,
 * the latency of each kind of request, the conflicts seen, and then:
 *
 *   - the invariants read from the database once the server has stopped
 *     (no slot booked twice, no school over its quota, every booked slot
 *     with exactly one exam, no held slot outside a basket, as many exams
 *     stored as the server confirmed); a violation fails the run;
 *   - the ceiling: single-row INSERT transactions per second on a fresh
 *     SQLite file beside the database, with the product's pragmas (WAL,
 *     synchronous=FULL), and the ratio of bookings per second to it. Every
 *     state change of a booking is one such durable transaction, so the
 *     ratio says how much of the disk's commit rate the booking path turns
 *     into bookings, whatever the machine.
 *
 * A benchmark, not a test: apart from the invariants it asserts nothing.
 * Knobs are environment variables (see bench/README.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>

#include "appkeys.h"
#include "auth/account.h"
#include "booking/caltime.h"
#include "booking/config.h"
#include "booking/mandate.h"
#include "client.h"
#include "core/config.h"
#include "core/log.h"
#include "harness.h"
#include "store/driver.h"
#include "store/mandates.h"
#include "store/school.h"

#define DEPT "44"
#define CAT "B"
#define NEW_PW "violet Chaton rivière %d sable doux"
#define ADD_MAX 4 /* rule 4: slots per action */
#define BASKET_MAX 12 /* rule 4: slots per basket */
#define ERRORS_MAX 5 /* a school gives up after this many in a row */
#define SEARCHES_MAX 200 /* and after this many searches */

/* Knobs. */
static long n_schools, n_slots, quota, extra, threads, server_threads, page;
static long refresh;
static double ceiling_s;
static uint64_t seed;
static int keep, verbose;

/* The CPU seconds of every server instance. */
static double servers_cpu_s(void);

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
		fprintf(stderr, "rush: %s=%s: want an integer in %ld..%ld\n",
		    name, v, min, max);
		exit(2);
	}
	return n;
}

/* xorshift64*: each school's own shuffle, reproducible from SEED. */
static uint64_t
next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* Latencies of one kind of request, in seconds. */
struct lat {
	double *v;
	size_t n, cap;
};

static void
lat_add(struct lat *l, double x)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		double *p = realloc(l->v, cap * sizeof(*p));

		if (p == NULL)
			return;
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n++] = x;
}

enum kind { K_BASKET, K_SEARCH, K_ADD, K_VALIDATE, K_RELEASE, K_COUNT };
static const char *const kind_name[K_COUNT] = { "GET basket", "GET slots",
	"POST add", "POST validation", "DELETE slot" };

/* Refusal codes seen, counted (besides conflicts). */
#define CODES_MAX 32
static struct {
	char code[48];
	long n;
} codes[CODES_MAX];
static pthread_mutex_t codes_lock = PTHREAD_MUTEX_INITIALIZER;

static void
code_count(const char *code)
{
	size_t i;

	pthread_mutex_lock(&codes_lock);
	for (i = 0; i < CODES_MAX && codes[i].code[0]; i++)
		if (strcmp(codes[i].code, code) == 0)
			break;
	if (i < CODES_MAX) {
		if (codes[i].code[0] == '\0')
			snprintf(codes[i].code, sizeof(codes[i].code), "%s",
			    code);
		codes[i].n++;
	}
	pthread_mutex_unlock(&codes_lock);
}

/* One school: its set-up, its client, what it did in the rush. */
struct school {
	int idx;
	int64_t id;
	char org[AUTH_ID_HEX];
	char email[64];
	char temp[ACCOUNT_TEMP_PW_LEN];
	int64_t *cands; /* quota + extra candidates under mandate */
	int *cand_state; /* 0 free, 1 in the basket, 2 booked, 3 given up */
	struct client *c;
	int64_t basket;
	/* the rush */
	int64_t *list; /* slot ids from the last search */
	size_t nlist, pos;
	int64_t held[BASKET_MAX], held_cand[BASKET_MAX];
	size_t nheld;
	long booked, conflicts, quota_hit;
	long errors; /* server or transport errors in a row */
	long errors_total, searches;
	long streak; /* conflicts in a row */
	int gave_up; /* stopped on errors */
	struct lat lat[K_COUNT];
	uint64_t rng;
	int failed;
};

static struct school *schools;
static struct proc srv;
/* INSTANCES > 1: more servers on the same database (PostgreSQL, or the
 * same SQLite file); school i talks to instance i % INSTANCES. */
#define INSTANCES_MAX 4
static struct proc more_srv[INSTANCES_MAX - 1];
static long n_instances;

/* The CPU seconds (user and system) of every server instance. */
static double
servers_cpu_s(void)
{
	double sum = harness_proc_cpu_ms(srv.pid);
	long i;

	for (i = 1; i < n_instances; i++)
		sum += harness_proc_cpu_ms(more_srv[i - 1].pid);
	return sum / 1000;
}

static double
tv_s(const struct timeval *t)
{
	return (double)t->tv_sec + (double)t->tv_usec / 1e6;
}

/* The length of every instance's log so far: the rush's lines are those
 * between two such readings (each instance's log is one file, and
 * grows only). */
static size_t logs_at[INSTANCES_MAX][2];

static size_t
log_size(void)
{
	long i;

	for (i = 0; i < n_instances; i++) {
		char *log = harness_log(i == 0 ? &srv : &more_srv[i - 1]);

		logs_at[i][0] = logs_at[i][1];
		logs_at[i][1] = log ? strlen(log) : 0;
		free(log);
	}
	return logs_at[0][1];
}

#define ROUTES_MAX 32

struct route_cpu {
	char name[96]; /* method and route pattern */
	long n;
	double sum, max;
};

/* Adds the access lines of text (len bytes) to r. */
static void
route_cpu_add(struct route_cpu *r, size_t *nr, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl, *m, *rt, *cpu;
	char name[96];
	size_t k;
	double v;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			break;
		if ((m = strstr(p, " access ")) == NULL || m > nl ||
		    (m = strstr(m, "method=")) == NULL || m > nl ||
		    (rt = strstr(m, " route=")) == NULL || rt > nl ||
		    (cpu = strstr(rt, " cpu_ms=")) == NULL || cpu > nl)
			continue;
		snprintf(name, sizeof(name), "%.*s %.*s",
		    (int)strcspn(m + 7, " "), m + 7, (int)strcspn(rt + 7, " "),
		    rt + 7);
		v = strtod(cpu + 8, NULL);
		for (k = 0; k < *nr && strcmp(r[k].name, name) != 0; k++)
			;
		if (k == *nr) {
			if (*nr == ROUTES_MAX)
				continue;
			snprintf(r[k].name, sizeof(r[k].name), "%s", name);
			(*nr)++;
		}
		r[k].n++;
		r[k].sum += v;
		if (v > r[k].max)
			r[k].max = v;
	}
}

/* Prints the handlers' CPU time per route over the rush, from the access
 * lines every instance logged between the two log_size readings. */
static void
route_cpu(void)
{
	struct route_cpu r[ROUTES_MAX];
	size_t nr = 0, k;
	long i;

	memset(r, 0, sizeof(r));
	for (i = 0; i < n_instances; i++) {
		char *log = harness_log(i == 0 ? &srv : &more_srv[i - 1]);
		size_t len = log ? strlen(log) : 0;

		if (log != NULL && logs_at[i][0] < len &&
		    logs_at[i][1] <= len && logs_at[i][0] < logs_at[i][1])
			route_cpu_add(r, &nr, log + logs_at[i][0],
			    logs_at[i][1] - logs_at[i][0]);
		free(log);
	}
	printf("server CPU per request, in the handler (access log "
	       "cpu_ms):\n");
	printf("%-40s %8s %9s %9s %9s\n", "route", "count", "mean ms", "max ms",
	    "total s");
	for (k = 0; k < nr; k++)
		printf("%-40s %8ld %9.3f %9.3f %9.2f\n", r[k].name, r[k].n,
		    r[k].sum / (double)r[k].n, r[k].max, r[k].sum / 1000);
}

/* Prints the lines of a server log at warn and above. */
static void
print_warnings(const char *log)
{
	const char *p = log, *nl;
	int header = 0;

	for (; *p; p = nl + 1) {
		const char *sp = strchr(p, ' ');

		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p) - 1;
		if (sp != NULL && sp < nl &&
		    (strncmp(sp, " warn ", 6) == 0 ||
			strncmp(sp, " error ", 7) == 0)) {
			if (!header++)
				printf("server log (warn and above):\n");
			printf("%.*s\n", (int)(nl - p), p);
		}
		if (nl[1] == '\0')
			break;
	}
}

static int
port_of(int idx)
{
	long k = idx % n_instances;

	return k == 0 ? srv.port : more_srv[k - 1].port;
}
static int64_t t_publish;

/* --- set-up, in-process ---------------------------------------------- */

struct setup {
	struct store *st;
	struct auth a;
	struct booking_rules r;
	int64_t now;
	atomic_long next;
	atomic_int failed;
};

static int
exec_int(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t n, int64_t *out)
{
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c, sql, p, n, store_row_int, &o) != 0 ||
	    (out != NULL && !o.found))
		return -1;
	if (out != NULL)
		*out = o.v;
	return 0;
}

struct school_tx {
	struct setup *su;
	struct school *s;
};

/* Department, trainers' ETP and candidates under mandate of one school. */
static int
school_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct school_tx *t = arg;
	struct school *s = t->s;
	int64_t etp = (quota * 10000 + t->su->r.coefficient_centi - 1) /
	    t->su->r.coefficient_centi;
	struct store_val p[4];
	struct mandate m;
	char ref[32], ix[48];
	long k, ncand = quota + extra;
	int trainer = 0;

	p[0] = SV_I(s->id);
	if (exec_int(st, c,
		"INSERT INTO school_departments (school_id, department)"
		" VALUES ($1, '" DEPT "')",
		p, 1, NULL) != 0)
		return -1;
	/* The schema caps one trainer's ETP at 1.00. */
	while (etp > 0) {
		snprintf(ref, sizeof(ref), "T%d", ++trainer);
		p[1] = SV_T(ref);
		p[2] = SV_I(etp > 100 ? 100 : etp);
		if (exec_int(st, c,
			"INSERT INTO trainer_etp (school_id, trainer_ref,"
			" department, category, etp_centi) VALUES ($1, $2,"
			" '" DEPT "', '" CAT "', $3)",
			p, 3, NULL) != 0)
			return -1;
		etp -= 100;
	}
	for (k = 0; k < ncand; k++) {
		/* Placeholder bytes for the sealed fields: the bench never
		 * reads them, and sealing would only slow the set-up. */
		snprintf(ix, sizeof(ix), "rush-%d-%ld", s->idx, k);
		p[0] = SV_T(ix);
		p[1] = SV_I(t->su->now);
		p[2] = SV_B("", 1); /* one zero byte (x'00' is SQLite's) */
		if (exec_int(st, c,
			"INSERT INTO candidates (neph_index, category, neph,"
			" last_name, first_names, gearbox, created_at,"
			" updated_at) VALUES ($1, '" CAT "', $3, $3,"
			" $3, 'manual', $2, $2) RETURNING id",
			p, 3, &s->cands[k]) != 0)
			return -1;
		memset(&m, 0, sizeof(m));
		m.candidate_id = s->cands[k];
		m.school_id = s->id;
		snprintf(m.category, sizeof(m.category), CAT);
		m.state = MANDATE_ACTIVE;
		m.activated_at = t->su->now;
		m.expires_at = mandate_expiry(&t->su->r, t->su->now);
		if (store_mandate_insert(st, c, &m, MANDATE_BY_SCHOOL, NULL,
			t->su->now) != 0)
			return -1;
	}
	return 0;
}

static int
setup_school(struct setup *su, struct school *s)
{
	const char *roles[2] = { "school_manager", NULL };
	char name[64], person[64], why[ACCOUNT_WHY_MAX] = "", acc[AUTH_ID_HEX];
	struct account_new in;
	struct school_tx t = { su, s };

	snprintf(name, sizeof(name), "Auto-école de la Ruée %04d", s->idx);
	snprintf(person, sizeof(person), "Gestionnaire Ruée %04d", s->idx);
	snprintf(s->email, sizeof(s->email), "gestion-%04d@ruee.example",
	    s->idx);
	in = (struct account_new){ s->org, s->email, person, roles };
	if (org_create(&su->a, NULL, name, "school", su->now, s->org, why,
		sizeof(why)) != 0 ||
	    account_create(&su->a, NULL, &in, su->now, acc, s->temp, why,
		sizeof(why)) != 0 ||
	    store_school_ensure(su->st, store_conn(su->st), s->org, su->now,
		&s->id) != 0 ||
	    store_tx(su->st, 1, school_tx, &t) != 0) {
		fprintf(stderr, "rush: school %d: %s\n", s->idx,
		    why[0] ? why : "store error");
		return -1;
	}
	return 0;
}

static void *
setup_worker(void *arg)
{
	struct setup *su = arg;
	long i;

	while (!atomic_load(&su->failed) &&
	    (i = atomic_fetch_add(&su->next, 1)) < n_schools)
		if (setup_school(su, &schools[i]) != 0)
			atomic_store(&su->failed, 1);
	return NULL;
}

struct slots_tx {
	int64_t centre, now, month_start_days;
	int64_t year;
	int month;
};

/* The centre and n_slots slots spread over days 1..28 of the month,
 * 07:00 to 15:45 UTC: all in one Paris calendar month, so one quota. */
static int
slots_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct slots_tx *t = arg;
	struct store_val p[4];
	char insp[24];
	long i;

	p[0] = SV_I(t->now);
	if (exec_int(st, c,
		"INSERT INTO exam_centres (name, department, address,"
		" created_at) VALUES ('Centre de la Ruée', '" DEPT "',"
		" '1 rue du Banc', $1) RETURNING id",
		p, 1, &t->centre) != 0)
		return -1;
	for (i = 0; i < n_slots; i++) {
		int day = 1 + (int)(i % 28), slot = (int)((i / 28) % 36);

		snprintf(insp, sizeof(insp), "INSP-%ld", i / (28 * 36) + 1);
		p[0] = SV_I(t->centre);
		p[1] = SV_I(caltime_utc_ms(t->year, t->month, day, 7 + slot / 4,
		    (slot % 4) * 15));
		p[2] = SV_T(insp);
		p[3] = SV_I(t_publish);
		if (exec_int(st, c,
			"INSERT INTO slots (centre_id, category, start_at,"
			" inspector, published_at, state, created_at) VALUES"
			" ($1, '" CAT "', $2, $3, $4, 'free', $4)",
			p, 4, NULL) != 0)
			return -1;
	}
	return 0;
}

static int
setup_data(const char *db, int64_t *month)
{
	char envs[400], err[512], pg[5][600];
	char *envp[7] = { envs, NULL };
	struct store_config sc;
	struct config cfg;
	struct app_keys k;
	struct setup su;
	struct slots_tx st;
	pthread_t *th;
	int64_t y;
	int m, d, from, to, rc = -1;
	long i;

	snprintf(envs, sizeof(envs), "CRENEAU_STORE_PATH=%s", db);
	if (harness_pg()) {
		if (harness_pg_env(db, pg) != 0)
			return -1;
		for (i = 0; i < 5; i++)
			envp[1 + i] = pg[i];
	}
	if (config_load(&cfg, NULL, envp, err, sizeof(err)) != 0 ||
	    app_keys_open(&k, &cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "rush: %s\n", err);
		return -1;
	}
	memset(&su, 0, sizeof(su));
	store_config_from(&sc, &cfg, STORE_SCHEMA_MAIN);
	su.st = store_open(&sc, err, sizeof(err));
	if (su.st == NULL ||
	    store_migrate(su.st, &from, &to, err, sizeof(err)) != 0) {
		fprintf(stderr, "rush: %s\n", err);
		goto out;
	}
	su.a = (struct auth){ su.st, k.keystore, k.audit };
	su.r = booking_rules_default();
	su.now = wall_ms();
	t_publish = su.now - 60 * 1000;
	/* The slots' month: the next calendar month. */
	caltime_civil_from_days(su.now / 86400000, &y, &m, &d);
	memset(&st, 0, sizeof(st));
	st.year = m == 12 ? y + 1 : y;
	st.month = m == 12 ? 1 : m + 1;
	st.now = su.now;
	*month = st.year * 100 + st.month;
	if (store_tx(su.st, 1, slots_tx, &st) != 0) {
		fprintf(stderr, "rush: cannot create the slots\n");
		goto out;
	}
	th = calloc((size_t)threads, sizeof(*th));
	if (th == NULL)
		goto out;
	for (i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, setup_worker, &su);
	for (i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	free(th);
	rc = atomic_load(&su.failed) ? -1 : 0;
out:
	store_free(su.st);
	app_keys_close(&k);
	return rc;
}

/* --- sign-in ------------------------------------------------------------ */

static atomic_long onboard_next;
static atomic_int onboard_failed;

static void *
onboard_worker(void *arg)
{
	char pw[64];
	long i;

	(void)arg;
	while (!atomic_load(&onboard_failed) &&
	    (i = atomic_fetch_add(&onboard_next, 1)) < n_schools) {
		struct school *s = &schools[i];

		snprintf(pw, sizeof(pw), NEW_PW, s->idx);
		client_init(s->c, port_of(s->idx));
		if (client_onboard(s->c, s->email, s->temp, pw, 1) != 0) {
			fprintf(stderr, "rush: %s could not sign in\n",
			    s->email);
			atomic_store(&onboard_failed, 1);
		}
		sodium_memzero(s->temp, sizeof(s->temp));
	}
	return NULL;
}

/* --- the rush ----------------------------------------------------------- */

static pthread_barrier_t start_line;

/* One timed call; its latency goes to kind k. Returns the status. */
static long
timed(struct school *s, enum kind k, const char *method, const char *path,
    const char *json)
{
	double t0 = now_s();
	long st = client_call(s->c, method, path, json);

	lat_add(&s->lat[k], now_s() - t0);
	if (st < 0 || st >= 500) {
		s->errors++;
		s->errors_total++;
		if (verbose)
			fprintf(stderr, "rush: school %d: %s %s: %ld %s\n",
			    s->idx, method, path, st, s->c->body);
	}
	return st;
}

struct grow {
	char *p;
	size_t n;
};

static size_t
grow_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct grow *g = arg;
	size_t n = size * nmemb;
	char *q = realloc(g->p, g->n + n + 1);

	if (q == NULL)
		return 0;
	memcpy(q + g->n, ptr, n);
	g->n += n;
	q[g->n] = '\0';
	g->p = q;
	return n;
}

/* Searches the free slots (the answer can outgrow the client's buffer:
 * read it here with the client's own connection and cookies), keeps
 * their ids in a shuffled order. Returns 0 or -1. */
static int
search(struct school *s)
{
	char url[256];
	struct grow g = { NULL, 0 };
	json_t *o, *list;
	long status = -1;
	double t0;
	size_t i, j, n;
	CURLcode rc;
	int64_t tmp;

	snprintf(url, sizeof(url),
	    "http://127.0.0.1:%d/api/v1/slots?department=" DEPT "&category=" CAT
	    "&limit=%ld",
	    s->c->port, page);
	curl_easy_setopt(s->c->curl, CURLOPT_URL, url);
	curl_easy_setopt(s->c->curl, CURLOPT_CUSTOMREQUEST, "GET");
	curl_easy_setopt(s->c->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(s->c->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(s->c->curl, CURLOPT_WRITEFUNCTION, grow_data);
	curl_easy_setopt(s->c->curl, CURLOPT_WRITEDATA, &g);
	curl_easy_setopt(s->c->curl, CURLOPT_HEADERFUNCTION, NULL);
	curl_easy_setopt(s->c->curl, CURLOPT_HEADERDATA, NULL);
	t0 = now_s();
	rc = curl_easy_perform(s->c->curl);
	lat_add(&s->lat[K_SEARCH], now_s() - t0);
	if (rc == CURLE_OK)
		curl_easy_getinfo(s->c->curl, CURLINFO_RESPONSE_CODE, &status);
	o = status == 200 && g.p ? json_loadb(g.p, g.n, 0, NULL) : NULL;
	free(g.p);
	list = json_object_get(o, "slots");
	if (!json_is_array(list)) {
		s->errors++;
		s->errors_total++;
		json_decref(o);
		return -1;
	}
	n = json_array_size(list);
	free(s->list);
	s->list = calloc(n + 1, sizeof(*s->list));
	if (s->list == NULL) {
		json_decref(o);
		return -1;
	}
	s->nlist = 0;
	s->pos = 0;
	for (i = 0; i < n; i++) {
		json_t *e = json_array_get(list, i);

		if (json_is_true(json_object_get(e, "bookable_now")))
			s->list[s->nlist++] =
			    json_integer_value(json_object_get(e, "id"));
	}
	json_decref(o);
	s->errors = 0;
	for (i = s->nlist; i > 1; i--) {
		j = (size_t)(next_rand(&s->rng) % i);
		tmp = s->list[i - 1];
		s->list[i - 1] = s->list[j];
		s->list[j] = tmp;
	}
	return 0;
}

/* Index of a free candidate, or -1. */
static long
free_candidate(const struct school *s)
{
	long k;

	for (k = 0; k < quota + extra; k++)
		if (s->cand_state[k] == 0)
			return k;
	return -1;
}

/* Copies the last answer's problem code into out ("" if none). Not
 * client_code: its static buffer is shared by every thread. */
static void
problem_code(const struct client *c, char *out, size_t outlen)
{
	json_t *o = client_json(c);
	const char *v =
	    o ? json_string_value(json_object_get(o, "code")) : NULL;

	snprintf(out, outlen, "%s", v ? v : "");
	json_decref(o);
}

/* Reads the index i of a problem's field "slots[i]..." or -1. */
static long
field_index(const struct client *c)
{
	json_t *o = client_json(c);
	const char *f =
	    o ? json_string_value(json_object_get(o, "field")) : NULL;
	long i = -1;
	char *end;

	if (f != NULL && strncmp(f, "slots[", 6) == 0) {
		i = strtol(f + 6, &end, 10);
		if (*end != ']')
			i = -1;
	}
	json_decref(o);
	return i;
}

/* Moves slot window index i (of the n just sent, from s->pos) out of the
 * list's live part. */
static void
drop_at(struct school *s, size_t i)
{
	s->list[s->pos + i] = s->list[s->pos];
	s->pos++;
}

/* After a CRENEAU_DEJA_RESERVE: drops the slots of the problem's
 * "taken" list found among the n just sent, or the one named by bad when
 * the answer has no list. */
static void
drop_taken(struct school *s, size_t n, long bad)
{
	json_t *o = client_json(s->c), *taken, *v;
	size_t i, k, dropped = 0;

	taken = o ? json_object_get(o, "taken") : NULL;
	json_array_foreach (taken, k, v) {
		for (i = 0; i < n - dropped; i++)
			if (s->list[s->pos + i] == json_integer_value(v)) {
				drop_at(s, i);
				dropped++;
				break;
			}
	}
	json_decref(o);
	if (dropped == 0)
		drop_at(s, (size_t)bad);
}

/* Adds up to 4 slots of the list with a free candidate each. Returns 1
 * when something was added, 0 when nothing could be (list or candidates
 * exhausted), -1 when the school must stop. */
static int
add_some(struct school *s, long want)
{
	char body[512], path[64], code[48];
	int64_t slot[ADD_MAX];
	long cand[ADD_MAX], k, n, i, bad;
	size_t len;
	long st;

	snprintf(path, sizeof(path), "/api/v1/baskets/%" PRId64 "/slots",
	    s->basket);
	for (;;) {
		n = 0;
		for (i = 0;
		     i < ADD_MAX && i < want && s->pos + (size_t)i < s->nlist;
		     i++) {
			if ((k = free_candidate(s)) < 0)
				break;
			slot[n] = s->list[s->pos + (size_t)i];
			cand[n] = k;
			s->cand_state[k] = 1; /* provisionally, for the next */
			n++;
		}
		for (i = 0; i < n; i++)
			s->cand_state[cand[i]] = 0;
		if (n == 0)
			return 0;
		len = (size_t)snprintf(body, sizeof(body), "{\"slots\":[");
		for (i = 0; i < n; i++)
			len += (size_t)snprintf(body + len, sizeof(body) - len,
			    "%s{\"slot_id\":%" PRId64
			    ",\"candidate_id\":%" PRId64 "}",
			    i ? "," : "", slot[i], s->cands[cand[i]]);
		snprintf(body + len, sizeof(body) - len, "]}");
		st = timed(s, K_ADD, "POST", path, body);
		if (st == 200) {
			for (i = 0; i < n; i++) {
				s->held[s->nheld] = slot[i];
				s->held_cand[s->nheld++] = cand[i];
				s->cand_state[cand[i]] = 1;
			}
			s->pos += (size_t)n;
			s->errors = 0;
			s->streak = 0;
			return 1;
		}
		if (st < 0 || st >= 500) {
			if (s->errors >= ERRORS_MAX)
				return -1;
			continue;
		}
		bad = field_index(s->c);
		problem_code(s->c, code, sizeof(code));
		if (strcmp(code, "CRENEAU_DEJA_RESERVE") == 0)
			s->conflicts++;
		else
			code_count(code);
		if (strcmp(code, "SEUIL_ATTEINT") == 0) {
			/* Rule 3 said at the add: the school's quota is
			 * taken by its exams and its basket. */
			s->quota_hit = 1;
			return 0;
		}
		if (bad < 0 || bad >= n) {
			if (verbose)
				fprintf(stderr,
				    "rush: school %d: add: %ld %s\n", s->idx,
				    st, s->c->body);
			return -1;
		}
		/* Drop every slot the answer lists as taken (at least the
		 * one named), retry the others. */
		drop_taken(s, (size_t)n, bad);
		if (refresh > 0 && ++s->streak >= refresh) {
			/* The list is stale: others took these. */
			s->streak = 0;
			if (++s->searches > SEARCHES_MAX || search(s) != 0)
				return 0;
		}
	}
}

/* Validates the basket; failed slots are given back. Returns 0 or -1. */
static int
validate(struct school *s)
{
	char path[96];
	json_t *o, *res, *e;
	size_t i, j;
	long st, k;
	int64_t slot;
	const char *code;

	snprintf(path, sizeof(path), "/api/v1/baskets/%" PRId64 "/validation",
	    s->basket);
	do
		st = timed(s, K_VALIDATE, "POST", path, NULL);
	while ((st < 0 || st >= 500) && s->errors < ERRORS_MAX);
	if (st != 200 && st != 207) {
		problem_code(s->c, path, sizeof(path));
		code_count(st >= 500 || st < 0 ? "(validation failed)" : path);
		return -1;
	}
	s->errors = 0;
	o = client_json(s->c);
	res = json_object_get(o, "results");
	json_array_foreach (res, i, e) {
		slot = json_integer_value(json_object_get(e, "slot_id"));
		for (j = 0; j < s->nheld && s->held[j] != slot; j++)
			;
		if (j == s->nheld)
			continue;
		k = s->held_cand[j];
		if (json_is_true(json_object_get(e, "booked"))) {
			s->booked++;
			s->cand_state[k] = 2;
		} else {
			code = json_string_value(json_object_get(e, "code"));
			code_count(code ? code : "(no code)");
			if (code && strcmp(code, "SEUIL_ATTEINT") == 0)
				s->quota_hit = 1;
			s->cand_state[k] = 3;
			snprintf(path, sizeof(path),
			    "/api/v1/baskets/%" PRId64 "/slots/%" PRId64,
			    s->basket, slot);
			timed(s, K_RELEASE, "DELETE", path, NULL);
		}
	}
	json_decref(o);
	s->nheld = 0;
	return 0;
}

static void *
rush_worker(void *arg)
{
	struct school *s = arg;
	json_t *o;
	long target = quota + extra, room;
	int rc;

	pthread_barrier_wait(&start_line);
	if (timed(s, K_BASKET, "GET", "/api/v1/basket", NULL) != 200 ||
	    (o = client_json(s->c)) == NULL) {
		s->failed = 1;
		return NULL;
	}
	s->basket = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	while (!s->quota_hit && s->booked < target) {
		room = target - s->booked - (long)s->nheld;
		if (room > BASKET_MAX - (long)s->nheld)
			room = BASKET_MAX - (long)s->nheld;
		rc = room > 0 ? add_some(s, room) : 0;
		if (rc < 0)
			break;
		if (rc == 1)
			continue;
		/* Basket as full as it may be, or the list is used up. */
		if (s->nheld > 0) {
			if (validate(s) != 0)
				break;
			continue;
		}
		if (free_candidate(s) < 0)
			break; /* every candidate booked or given up */
		/* A fresh list: free slots only, so each search brings
		 * some that were not tried, or none when all are gone. */
		if (++s->searches > SEARCHES_MAX)
			break;
		if (search(s) != 0) {
			if (s->errors >= ERRORS_MAX)
				break;
			continue;
		}
		if (s->nlist == 0)
			break; /* no free slot left */
	}
	s->gave_up = s->errors >= ERRORS_MAX || s->searches > SEARCHES_MAX;
	return NULL;
}

/* --- figures ------------------------------------------------------------ */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
pct(const struct lat *l, double p)
{
	size_t i;

	if (l->n == 0)
		return 0;
	i = (size_t)(p * (double)l->n + 0.999999);
	if (i < 1)
		i = 1;
	if (i > l->n)
		i = l->n;
	return l->v[i - 1] * 1000;
}

/* Single-row write transactions per second on a fresh file with the
 * product's pragmas (src/store/sqlite.c). Returns the rate, or -1. */
static double
ceiling(const char *dir, long *count, double *secs)
{
	char path[400];
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	double t0, t = 0;
	long n = 0;
	int ok = 0;

	snprintf(path, sizeof(path), "%s/ceiling.db", dir);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db,
		"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		" PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
		" PRAGMA trusted_schema=OFF;"
		" CREATE TABLE t (id INTEGER PRIMARY KEY,"
		" v INTEGER NOT NULL, at INTEGER NOT NULL) STRICT;",
		NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO t (v, at) VALUES (?1, ?2)", -1,
		&ins, NULL) != SQLITE_OK)
		goto out;
	t0 = now_s();
	do {
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
		    SQLITE_OK)
			goto out;
		sqlite3_bind_int64(ins, 1, n);
		sqlite3_bind_int64(ins, 2, wall_ms());
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto out;
		sqlite3_reset(ins);
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			goto out;
		n++;
		t = now_s() - t0;
	} while (t < ceiling_s);
	ok = 1;
out:
	if (!ok)
		fprintf(stderr, "rush: ceiling: %s\n",
		    db ? sqlite3_errmsg(db) : "cannot open");
	sqlite3_finalize(ins);
	sqlite3_close(db);
	*count = n;
	*secs = t;
	return ok && t > 0 ? (double)n / t : -1;
}

/* Prints up to 5 rows (each row's columns) after label. */
struct viol {
	const struct store_driver *d;
	const char *label;
	int ncols;
	long n;
};

static int
viol_row(void *arg, const struct store_row *r)
{
	struct viol *v = arg;
	int i;

	if (v->n++ < 5) {
		printf("violation: %s:", v->label);
		for (i = 0; i < v->ncols; i++)
			printf(" %s",
			    v->d->row_is_null(r, i) ? "NULL"
						    : v->d->row_text(r, i));
		printf("\n");
	}
	return 0;
}

/* Returns how many rows sql gives (printing a few), -1 on error. */
static long
violations(struct store *st, const char *label, int ncols, const char *sql,
    int64_t bind)
{
	struct viol v = { store_drv(st), label, ncols, 0 };
	struct store_conn *c = store_conn(st);
	struct store_val p[1];

	p[0] = SV_I(bind);
	if (c == NULL ||
	    v.d->exec(c, sql, p, bind >= 0 ? 1 : 0, viol_row, &v) != 0) {
		fprintf(stderr, "rush: %s: query failed\n", label);
		return -1;
	}
	if (v.n > 5)
		printf("violation: %s: %ld rows in all\n", label, v.n);
	return v.n;
}

/* Reads the booking tables once the servers have stopped, through the
 * store (SQLite or PostgreSQL). Returns the number of violations, -1 on
 * error. */
static long
check_invariants(const char *dbpath, long answered)
{
	struct booking_rules r = booking_rules_default();
	long bad = 0, n, i;
	char envs[400], err[512], pg[5][600];
	char *envp[7] = { envs, NULL };
	struct store_config sc;
	struct config cfg;
	struct store *st;
	struct store_int_out stored;
	static const struct {
		const char *label;
		int ncols;
		const char *sql;
	} checks[] = {
		{ "slot booked twice (slot, exams)", 2,
		    "SELECT slot_id, COUNT(*) FROM exams"
		    " WHERE status <> 'cancelled' GROUP BY slot_id"
		    " HAVING COUNT(*) > 1" },
		{ "school over its quota (school, dept, cat, month, exams,"
		  " quota)",
		    6,
		    "SELECT * FROM (SELECT e.school_id, e.department,"
		    " e.category, e.month, COUNT(*) AS exams,"
		    " COALESCE((SELECT SUM(etp_centi)"
		    " FROM trainer_etp t WHERE t.school_id = e.school_id"
		    " AND t.department = e.department AND t.category ="
		    " e.category), 0) * COALESCE((SELECT centi FROM"
		    " coefficients c WHERE c.department = e.department AND"
		    " c.category = e.category AND c.month = e.month), $1)"
		    " / 10000 AS quota FROM exams e WHERE e.status <>"
		    " 'cancelled' GROUP BY e.school_id, e.department,"
		    " e.category, e.month) AS q WHERE exams > quota" },
		{ "booked slot without exactly one exam (slot, exams)", 2,
		    "SELECT * FROM (SELECT s.id AS slot_id, (SELECT COUNT(*)"
		    " FROM exams e WHERE e.slot_id = s.id AND e.status <>"
		    " 'cancelled') AS exams FROM slots s WHERE s.state ="
		    " 'booked') AS q WHERE exams <> 1" },
		{ "exam on a slot not booked (exam, slot, state)", 3,
		    "SELECT e.id, s.id, s.state FROM"
		    " exams e JOIN slots s ON s.id = e.slot_id WHERE"
		    " e.status <> 'cancelled' AND s.state <> 'booked'" },
		{ "held slot outside a basket (slot, basket)", 2,
		    "SELECT s.id, s.basket_id FROM slots s WHERE"
		    " s.state = 'held' AND NOT EXISTS (SELECT 1 FROM"
		    " basket_items b WHERE b.slot_id = s.id AND b.basket_id"
		    " = s.basket_id)" },
		{ "basket item on a slot not held (basket, slot, state)", 3,
		    "SELECT b.basket_id, b.slot_id, s.state FROM basket_items"
		    " b JOIN slots s ON s.id = b.slot_id WHERE s.state <>"
		    " 'held' OR s.basket_id IS NULL OR s.basket_id <>"
		    " b.basket_id" },
	};

	snprintf(envs, sizeof(envs), "CRENEAU_STORE_PATH=%s", dbpath);
	if (harness_pg()) {
		if (harness_pg_env(dbpath, pg) != 0)
			return -1;
		for (i = 0; i < 5; i++)
			envp[1 + i] = pg[i];
	}
	if (config_load(&cfg, NULL, envp, err, sizeof(err)) != 0) {
		fprintf(stderr, "rush: %s\n", err);
		return -1;
	}
	store_config_from(&sc, &cfg, STORE_SCHEMA_MAIN);
	if ((st = store_open(&sc, err, sizeof(err))) == NULL) {
		fprintf(stderr, "rush: %s\n", err);
		return -1;
	}
	for (i = 0; i < (long)(sizeof(checks) / sizeof(checks[0])); i++) {
		n = violations(st, checks[i].label, checks[i].ncols,
		    checks[i].sql, i == 1 ? r.coefficient_centi : -1);
		if (n < 0) {
			store_free(st);
			return -1;
		}
		bad += n;
	}
	stored = (struct store_int_out){ store_drv(st), -1, 0 };
	if (store_drv(st)->exec(store_conn(st),
		"SELECT COUNT(*) FROM exams WHERE status <> 'cancelled'", NULL,
		0, store_row_int, &stored) != 0)
		stored.v = -1;
	store_free(st);
	if (stored.v != answered) {
		printf("violation: the server confirmed %ld bookings, the"
		       " database holds %ld exams\n",
		    answered, (long)stored.v);
		bad++;
	}
	return bad;
}

static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int
main(void)
{
	static const char *const demo[] = { "demo-data", NULL };
	char env_store[400], env_threads[64], env_conns[64], out[4096];
	const char *denv[] = { env_store, NULL };
	const char *senv[] = { env_threads, env_conns,
		"CRENEAU_HTTP_PER_IP_CONNECTIONS=65535",
		/* The rush measures the booking engine, not the rate
		 * limits: each school here is one client calling as fast
		 * as it can, far above 210 calls a minute. */
		"CRENEAU_RATELIMIT_SCHOOL_PER_MINUTE=1000000",
		"CRENEAU_RATELIMIT_EMPLOYEE_PER_MINUTE=1000000",
		/* The access log gives each request's handler CPU time
		 * (the per-route table); it costs a line per request. */
		"CRENEAU_HTTP_ACCESS_LOG=on", "CRENEAU_LOG_LEVEL=info", NULL };
	struct lat all[K_COUNT];
	pthread_t *th;
	double t0, t_data, t_start, t_sign, t_rush, rate, ceil_rate, ceil_s;
	double cpu_srv, rss_srv, hwm_srv;
	int peak_reset;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct rusage ru0, ru1;
	long i, k, booked = 0, conflicts = 0, errors = 0, failed = 0, bad;
	long gave_up = 0;
	long ceil_n, max_conns;
	int64_t month = 0;
	int status = 1;

	n_schools = knob("SCHOOLS", 200, 1, 5000);
	n_slots = knob("SLOTS", 2000, 1, 1000000);
	quota = knob("QUOTA", 12, 1, 1000);
	extra = knob("EXTRA", 0, 0, 1000);
	threads = knob("THREADS", 4, 1, 64);
	server_threads = knob("SERVER_THREADS", 4, 1, 64);
	page = knob("PAGE", 500, 1, 500);
	refresh = knob("REFRESH", 2, 0, 1000);
	ceiling_s = (double)knob("CEILING_SECONDS", 3, 1, 60);
	seed = (uint64_t)knob("SEED", 1, 1, 2147483647L);
	keep = (int)knob("KEEP", 0, 0, 1);
	verbose = (int)knob("VERBOSE", 0, 0, 1);
	n_instances = knob("INSTANCES", 1, 1, INSTANCES_MAX);

	if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		return 1;
	log_set_level(LOG_WARN);
	raise_nofile();
	schools = calloc((size_t)n_schools, sizeof(*schools));
	if (schools == NULL)
		return 1;
	for (i = 0; i < n_schools; i++) {
		struct school *s = &schools[i];

		s->idx = (int)i + 1;
		s->cands = calloc((size_t)(quota + extra), sizeof(*s->cands));
		s->cand_state =
		    calloc((size_t)(quota + extra), sizeof(*s->cand_state));
		s->c = calloc(1, sizeof(*s->c));
		s->rng = seed * 0x9E3779B97F4A7C15ULL + (uint64_t)i + 1;
		if (s->cands == NULL || s->cand_state == NULL || s->c == NULL)
			return 1;
	}

	/* Set-up: demo data and keys, then the schools in-process. */
	t0 = now_s();
	if (harness_tmpdir(&srv) != 0) {
		fprintf(stderr, "rush: cannot create a temporary directory\n");
		return 1;
	}
	snprintf(env_store, sizeof(env_store), "CRENEAU_STORE_PATH=%s", srv.db);
	if (harness_run(demo, denv, out, sizeof(out)) != 0) {
		fprintf(stderr, "rush: demo-data failed:\n%s", out);
		goto done;
	}
	if (setup_data(srv.db, &month) != 0)
		goto done;
	t_data = now_s() - t0;

	/* The server, and every school signed in with TOTP. */
	max_conns = 1024 + 4 * n_schools;
	snprintf(env_threads, sizeof(env_threads), "CRENEAU_HTTP_THREADS=%ld",
	    server_threads);
	snprintf(env_conns, sizeof(env_conns),
	    "CRENEAU_HTTP_MAX_CONNECTIONS=%ld",
	    max_conns > 65535 ? 65535 : max_conns);
	t_start = now_s();
	if (harness_start(&srv, senv, 0) != 0) {
		char *log = harness_log(&srv);

		fprintf(stderr, "rush: the server did not start:\n%s", log);
		free(log);
		goto done;
	}
	for (i = 1; i < n_instances; i++) {
		struct proc *p = &more_srv[i - 1];

		memcpy(p->dir, srv.dir, sizeof(p->dir));
		memcpy(p->db, srv.db, sizeof(p->db));
		snprintf(p->log, sizeof(p->log), "%s/server-%ld.log", p->dir,
		    i + 1);
		if (harness_start(p, senv, 0) != 0) {
			fprintf(stderr, "rush: instance %ld did not start\n",
			    i + 1);
			goto done;
		}
	}
	t_start = now_s() - t_start;
	t_sign = now_s();
	th = calloc((size_t)(n_schools > threads ? n_schools : threads),
	    sizeof(*th));
	if (th == NULL)
		goto done;
	for (i = 0; i < threads; i++)
		pthread_create(&th[i], NULL, onboard_worker, NULL);
	for (i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	t_sign = now_s() - t_sign;
	if (atomic_load(&onboard_failed)) {
		free(th);
		goto done;
	}
	printf("rush: %ld schools (quota %ld in %s/%s for %04" PRId64
	       "-%02" PRId64 ", %ld candidates each), %ld slots, "
	       "server threads %ld; store %s, %ld instance(s)\n",
	    n_schools, quota, DEPT, CAT, month / 100, month % 100,
	    quota + extra, n_slots, server_threads,
	    harness_pg() ? "postgresql" : "sqlite", n_instances);
	if (refresh > 0)
		printf("rush: a school searches again after %ld conflicts in "
		       "a row\n",
		    refresh);
	printf("set-up: %.1f s (schools and slots %.1f s, server start %.1f "
	       "s, sign-in with password change and TOTP %.1f s, %ld "
	       "threads)\n",
	    now_s() - t0, t_data, t_start, t_sign, threads);
	fflush(stdout);

	/* The rush. */
	if (pthread_barrier_init(&start_line, NULL, (unsigned)n_schools + 1) !=
	    0) {
		free(th);
		goto done;
	}
	for (i = 0; i < n_schools; i++)
		if (pthread_create(&th[i], NULL, rush_worker, &schools[i]) !=
		    0) {
			fprintf(stderr, "rush: cannot start thread %ld\n", i);
			exit(1);
		}
	(void)log_size();
	peak_reset = harness_proc_reset_peak(srv.pid) == 0;
	pthread_barrier_wait(&start_line);
	t_rush = now_s();
	cpu_srv = servers_cpu_s();
	getrusage(RUSAGE_SELF, &ru0);
	for (i = 0; i < n_schools; i++)
		pthread_join(th[i], NULL);
	t_rush = now_s() - t_rush;
	cpu_srv = servers_cpu_s() - cpu_srv;
	getrusage(RUSAGE_SELF, &ru1);
	(void)log_size();
	rss_srv = harness_proc_mem_mb(srv.pid, "VmRSS:");
	hwm_srv = harness_proc_mem_mb(srv.pid, "VmHWM:");
	free(th);
	pthread_barrier_destroy(&start_line);

	memset(all, 0, sizeof(all));
	for (i = 0; i < n_schools; i++) {
		struct school *s = &schools[i];

		booked += s->booked;
		conflicts += s->conflicts;
		failed += s->failed;
		errors += s->errors_total;
		gave_up += s->gave_up;
		for (k = 0; k < K_COUNT; k++) {
			size_t j;

			for (j = 0; j < s->lat[k].n; j++)
				lat_add(&all[k], s->lat[k].v[j]);
		}
	}
	rate = t_rush > 0 ? (double)booked / t_rush : 0;
	printf("rush: %.2f s, %ld bookings validated, %.1f bookings/s\n",
	    t_rush, booked, rate);
	printf("%-16s %8s %9s %9s %9s\n", "request", "count", "p50 ms",
	    "p99 ms", "max ms");
	for (k = 0; k < K_COUNT; k++) {
		if (all[k].n == 0)
			continue;
		qsort(all[k].v, all[k].n, sizeof(double), cmp_double);
		printf("%-16s %8zu %9.1f %9.1f %9.1f\n", kind_name[k], all[k].n,
		    pct(&all[k], 0.50), pct(&all[k], 0.99),
		    all[k].v[all[k].n - 1] * 1000);
	}
	printf("cpu: server %.2f s (%.2f ms per booking, %.0f%% of the "
	       "machine's %ld CPUs), bench client %.2f s\n",
	    cpu_srv, booked > 0 ? cpu_srv * 1000 / (double)booked : 0,
	    t_rush > 0 ? 100 * cpu_srv / (t_rush * ncpu) : 0, ncpu,
	    tv_s(&ru1.ru_utime) + tv_s(&ru1.ru_stime) - tv_s(&ru0.ru_utime) -
		tv_s(&ru0.ru_stime));
	printf("memory: server RSS %.1f MB after the rush, peak %.1f MB %s "
	       "(first instance; target < 100 MB)\n",
	    rss_srv, hwm_srv,
	    peak_reset ? "during it" : "since start (set-up included)");
	route_cpu();
	printf("conflicts (CRENEAU_DEJA_RESERVE): %ld\n", conflicts);
	for (i = 0; i < CODES_MAX && codes[i].code[0]; i++)
		printf("other refusals: %s x%ld\n", codes[i].code, codes[i].n);
	if (failed)
		printf("schools that could not start: %ld\n", failed);
	if (errors || gave_up)
		printf("server or transport errors: %ld; schools that gave "
		       "up: %ld (VERBOSE=1 shows them)\n",
		    errors, gave_up);
	fflush(stdout);

	for (i = 0; i < n_schools; i++)
		client_free(schools[i].c);
	for (i = 1; i < n_instances; i++) {
		if (harness_stop(&more_srv[i - 1], SIGTERM) != 0)
			fprintf(stderr,
			    "rush: instance %ld did not stop "
			    "cleanly\n",
			    i + 1);
	}
	if (harness_stop(&srv, SIGTERM) != 0)
		fprintf(stderr, "rush: the server did not stop cleanly\n");
	{
		char *log = harness_log(&srv);

		if (log != NULL)
			print_warnings(log);
		free(log);
	}

	/* The ceiling, with the server stopped: SQLite's commit rate (on
	 * PostgreSQL the disk is the database server's). */
	ceil_rate = harness_pg() ? -1 : ceiling(srv.dir, &ceil_n, &ceil_s);
	if (ceil_rate > 0) {
		printf("ceiling: %.0f single-row transactions/s (%ld in %.1f "
		       "s, WAL, synchronous=FULL)\n",
		    ceil_rate, ceil_n, ceil_s);
		printf("ratio: bookings/s / ceiling = %.2f (target >= 0.5)\n",
		    rate / ceil_rate);
	}

	bad = check_invariants(srv.db, booked);
	if (bad == 0) {
		printf("invariants: OK\n");
		status = 0;
	} else if (bad < 0)
		printf("invariants: could not be read\n");
	else
		printf("invariants: %ld violation(s)\n", bad);
done:
	for (i = 1; i < n_instances; i++)
		if (more_srv[i - 1].pid > 0)
			harness_stop(&more_srv[i - 1], SIGKILL);
	if (keep)
		printf("kept: %s\n", srv.dir);
	else
		harness_cleanup(&srv);
	curl_global_cleanup();
	return status;
}
