/*
 * bench/appt_book.c - appointment booking throughput under concurrent
 * agents, through the real HTTP API of `creneau serve` on its demo data.
 *
 * What it measures: the booking transaction of the appointments module
 * (every check of src/service/appt_book.c, the row locks, the audit entry
 * and the notices) under concurrent requests. Eight agents of the demo
 * organisation sign in (TOTP), each creates a few users, then all are
 * released at once: each reads the free slots of its own motif at its own
 * place over the next four weeks and books every one offered to it, then
 * a second round races all agents for the same agent's slots (one agent's
 * first free slots, every thread trying each: exactly one may win each).
 * It prints bookings per second, the latency of a booking (median, p95,
 * max) and the conflicts seen (409 CRENEAU_DEJA_PRIS). A benchmark, not a
 * test: it only checks that the race gave each slot to one booking.
 *
 * Knobs: APPT_BOOK_WEEKS (default 4), APPT_BOOK_RACE (race slots, 20).
 * On PostgreSQL: run it under the environment of tests/pg/server.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "client.h"
#include "../tests/integration/demo.h" /* not src/demo.h */
#include "harness.h"

#define NAGENTS 8
#define LAT_MAX 20000

static struct demo_account acc[NAGENTS] = {
	{ "as.martin@solidarites44.example", 1 },
	{ "as.nguyen@solidarites44.example", 1 },
	{ "as.leroux@solidarites44.example", 1 },
	{ "pmi.dupuis@solidarites44.example", 1 },
	{ "pmi.benali@solidarites44.example", 1 },
	{ "pmi.morel@solidarites44.example", 1 },
	{ "ins.garcia@solidarites44.example", 1 },
	{ "ins.fabre@solidarites44.example", 1 },
};
/* Each agent's motif and place (demo_appt.c). */
static const char *const motif_of[NAGENTS] = { "Premier accueil social",
	"Premier accueil social", "Premier accueil social",
	"Consultation nourrisson", "Consultation nourrisson",
	"Consultation nourrisson", "Entretien RSA", "Entretien RSA" };
static const char *const place_of[NAGENTS] = { "MDS Nantes Nord",
	"MDS Saint-Nazaire", "MDS Rezé", "MDS Nantes Nord", "MDS Rezé",
	"MDS Châteaubriant", "MDS Saint-Nazaire", "MDS Châteaubriant" };

static struct proc srv;
static double lat[LAT_MAX];
static size_t nlat;
static long booked, conflicts, others;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t go;
static long weeks = 4, race_slots = 20;

struct agent {
	struct demo_account *d;
	char id[64];
	long long motif, place, user;
	char slots[512][24]; /* race: the shared slots */
	size_t nslots;
	char race_agent[64];
	long long race_motif, race_place;
};

static struct agent ag[NAGENTS];

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long
id_named(struct client *c, const char *path, const char *key, const char *name)
{
	json_t *o, *v;
	long long id = 0;
	size_t i;

	if (client_call(c, "GET", path, NULL) != 200)
		return 0;
	o = client_json(c);
	json_array_foreach (json_object_get(o, key), i, v)
		if (strcmp(json_string_value(json_object_get(v, "name")),
			name) == 0)
			id = json_integer_value(json_object_get(v, "id"));
	json_decref(o);
	return id;
}

static void
iso(time_t t, char *out, size_t n)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Reads the free slots of motif at place offered to agent into slots. */
static size_t
free_of(struct client *c, long long motif, long long place, const char *agent,
    char (*slots)[24], size_t max)
{
	char path[300], from[32], to[32];
	time_t t = time(NULL);
	json_t *o, *v, *a;
	size_t i, k, n = 0;

	iso(t + 86400, from, sizeof(from));
	iso(t + 86400 * (1 + 7 * weeks), to, sizeof(to));
	snprintf(path, sizeof(path),
	    "/api/v1/appointments/free-slots?motif_id=%lld&place_id=%lld"
	    "&from=%s&to=%s",
	    motif, place, from, to);
	if (client_call(c, "GET", path, NULL) != 200)
		return 0;
	o = client_json(c);
	json_array_foreach (json_object_get(o, "slots"), i, v) {
		json_array_foreach (json_object_get(v, "agent_ids"), k, a)
			if (strcmp(json_string_value(a), agent) == 0 && n < max)
				snprintf(slots[n++], 24, "%s",
				    json_string_value(
					json_object_get(v, "start_at")));
	}
	json_decref(o);
	return n;
}

static void
book_one(struct client *c, const char *agent, long long motif, long long place,
    long long user, const char *start)
{
	char body[400];
	double t0 = now_s();
	long st;

	snprintf(body, sizeof(body),
	    "{\"motif_id\":%lld,\"place_id\":%lld,\"agent_ids\":[\"%s\"],"
	    "\"user_ids\":[%lld],\"start_at\":\"%s\"}",
	    motif, place, agent, user, start);
	st = client_call(c, "POST", "/api/v1/appointments/bookings", body);
	t0 = now_s() - t0;
	pthread_mutex_lock(&mu);
	if (nlat < LAT_MAX)
		lat[nlat++] = t0;
	if (st == 201)
		booked++;
	else if (st == 409 || st == 422)
		conflicts++;
	else
		others++;
	pthread_mutex_unlock(&mu);
}

static void *
run_agent(void *arg)
{
	struct agent *a = arg;
	static char slots[NAGENTS][1024][24];
	size_t n, i, me = (size_t)(a - ag);

	n = free_of(&a->d->c, a->motif, a->place, a->id, slots[me], 1024);
	pthread_barrier_wait(&go);
	for (i = 0; i < n; i++)
		book_one(&a->d->c, a->id, a->motif, a->place, a->user,
		    slots[me][i]);
	pthread_barrier_wait(&go);
	/* The race: every thread on the same agent's slots. */
	for (i = 0; i < a->nslots; i++)
		book_one(&a->d->c, a->race_agent, a->race_motif, a->race_place,
		    a->user, a->slots[i]);
	return NULL;
}

static int
cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static void
report(const char *what, double secs, long b0, long c0)
{
	size_t i = nlat;

	qsort(lat, nlat, sizeof(lat[0]), cmp);
	printf("%s: %ld booked, %ld refused as taken, %ld other answers in "
	       "%.2f s: %.1f bookings/s; latency median %.1f ms, p95 %.1f ms, "
	       "max %.1f ms\n",
	    what, booked - b0, conflicts - c0, others, secs,
	    (double)(booked - b0) / secs, i ? lat[i / 2] * 1e3 : 0,
	    i ? lat[i * 95 / 100] * 1e3 : 0, i ? lat[i - 1] * 1e3 : 0);
	nlat = 0;
}

int
main(void)
{
	struct demo_account *list[NAGENTS];
	pthread_t t[NAGENTS];
	char race[512][24];
	double t0;
	long b0, c0;
	size_t i, k, n;
	json_t *o;
	const char *e;

	if ((e = getenv("APPT_BOOK_WEEKS")) != NULL)
		weeks = strtol(e, NULL, 10);
	if ((e = getenv("APPT_BOOK_RACE")) != NULL)
		race_slots = strtol(e, NULL, 10);
	if (race_slots > 512)
		race_slots = 512;
	for (i = 0; i < NAGENTS; i++)
		list[i] = &acc[i];
	printf("appt-book: starting the server with the demo data...\n");
	if (demo_start(&srv, list, NAGENTS) != 0)
		return 1;
	for (i = 0; i < NAGENTS; i++) {
		struct client *c = &acc[i].c;
		char body[128];

		ag[i].d = &acc[i];
		client_call(c, "GET", "/api/v1/me", NULL);
		o = client_json(c);
		snprintf(ag[i].id, sizeof(ag[i].id), "%s",
		    json_string_value(json_object_get(o, "id")));
		json_decref(o);
		ag[i].motif = id_named(c, "/api/v1/appointments/motifs",
		    "motifs", motif_of[i]);
		ag[i].place = id_named(c, "/api/v1/appointments/places",
		    "places", place_of[i]);
		snprintf(body, sizeof(body),
		    "{\"last_name\":\"Banc%zu\",\"first_names\":\"Essai\"}", i);
		client_call(c, "POST", "/api/v1/appointments/users", body);
		o = client_json(c);
		ag[i].user = json_integer_value(json_object_get(o, "id"));
		json_decref(o);
		if (ag[i].motif == 0 || ag[i].place == 0 || ag[i].user == 0) {
			fprintf(stderr, "appt-book: set-up failed for %s\n",
			    acc[i].email);
			demo_stop(&srv, list, NAGENTS);
			return 1;
		}
	}
	/* The race's slots: the last agent's, far ahead (weeks 5-8). */
	weeks += 4;
	n = free_of(&acc[0].c, ag[NAGENTS - 1].motif, ag[NAGENTS - 1].place,
	    ag[NAGENTS - 1].id, race, 512);
	weeks -= 4;
	k = n > (size_t)race_slots ? n - (size_t)race_slots : 0;
	for (i = 0; i < NAGENTS; i++) {
		memcpy(ag[i].slots, race + k, (n - k) * sizeof(race[0]));
		ag[i].nslots = n - k;
		snprintf(ag[i].race_agent, sizeof(ag[i].race_agent), "%s",
		    ag[NAGENTS - 1].id);
		ag[i].race_motif = ag[NAGENTS - 1].motif;
		ag[i].race_place = ag[NAGENTS - 1].place;
	}
	pthread_barrier_init(&go, NULL, NAGENTS + 1);
	for (i = 0; i < NAGENTS; i++)
		pthread_create(&t[i], NULL, run_agent, &ag[i]);
	pthread_barrier_wait(&go);
	t0 = now_s();
	pthread_barrier_wait(&go);
	report("appt-book: 8 agents, each its own free slots", now_s() - t0, 0,
	    0);
	b0 = booked;
	c0 = conflicts;
	t0 = now_s();
	for (i = 0; i < NAGENTS; i++)
		pthread_join(t[i], NULL);
	report("appt-book: 8 agents racing for one agent's slots", now_s() - t0,
	    b0, c0);
	printf("appt-book: race: %zu slots, %ld won (each slot once: %s)\n",
	    n - k, booked - b0, booked - b0 == (long)(n - k) ? "yes" : "NO");
	demo_stop(&srv, list, NAGENTS);
	return booked - b0 == (long)(n - k) && others == 0 ? 0 : 1;
}
