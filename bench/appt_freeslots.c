/*
 * appt_freeslots.c (bench) - time to compute a month of free slots for a
 * department's social services: 300 agents with weekly opening hours
 * (some every other week), holidays and recurring absences, about 60 %
 * of their time already booked. Each run does what a request for a
 * month's slots of a motif costs in the rules: expand every agent's
 * plages and absences over the month, normalize, sweep, merge the agents
 * by start. Loading the rows from the store is not counted.
 *
 * Not a test: it prints figures (median and p99 over the runs) and
 * checks only that slots were found. Run with `make bench-appt`.
 * Knobs: APPT_BENCH_AGENTS (300), APPT_BENCH_RUNS (101).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "appointments/appt_recur.h"
#include "appointments/appt_slots.h"
#include "appointments/appt_time.h"
#include "booking/caltime.h"

#define PLAGES_PER_AGENT 3
#define ABSENCES_PER_AGENT 2
#define OPEN_CAP 128 /* expanded plages of one agent over the month */
#define BLOCK_CAP 512 /* expanded absences and appointments */
#define FILLED_PERCENT 60
#define DURATION_MIN 30

struct agent {
	struct appt_recur plage[PLAGES_PER_AGENT];
	size_t n_plages;
	struct appt_absence absence[ABSENCES_PER_AGENT];
	size_t n_absences;
	struct appt_interval booked[BLOCK_CAP];
	size_t n_booked;
	/* Per run scratch. */
	struct appt_interval open[OPEN_CAP];
	struct appt_interval blocked[BLOCK_CAP];
};

static uint64_t seed = UINT64_C(0x2545f4914f6cdd1d);

static uint64_t
next(void)
{
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return seed * UINT64_C(2685821657736338717);
}

static int
pick(int lo, int hi)
{
	return lo + (int)(next() % (uint64_t)(hi - lo + 1));
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* A realistic week: mornings 09:00-12:00 and afternoons 13:30-17:00 on
 * four days out of five, one plage of three every other week. */
static void
make_plages(struct agent *a, int64_t first_day)
{
	unsigned days = APPT_WEEKDAYS_ALL & ~(APPT_SATURDAY | APPT_SUNDAY);
	size_t i;

	days &= ~(1u << pick(0, 4)); /* one day off a week */
	a->n_plages = PLAGES_PER_AGENT;
	for (i = 0; i < a->n_plages; i++) {
		struct appt_recur *r = &a->plage[i];

		memset(r, 0, sizeof(*r));
		r->first_day = first_day - pick(0, 200);
		r->last_day = APPT_NO_END;
		r->every_weeks = 1;
		r->weekdays = days;
	}
	a->plage[0].start_minute = 9 * 60;
	a->plage[0].end_minute = 12 * 60;
	a->plage[1].start_minute = 13 * 60 + 30;
	a->plage[1].end_minute = 17 * 60;
	a->plage[1].weekdays &= ~APPT_FRIDAY;
	/* Friday afternoons 13:30-16:00, every other week. */
	a->plage[2].every_weeks = 2;
	a->plage[2].weekdays = APPT_FRIDAY;
	a->plage[2].start_minute = 13 * 60 + 30;
	a->plage[2].end_minute = 16 * 60;
}

static void
make_absences(struct agent *a, int64_t from, int64_t first_day)
{
	a->n_absences = 0;
	if (pick(0, 9) == 0) { /* a week of holidays for one in ten */
		struct appt_absence *h = &a->absence[a->n_absences++];
		int64_t start = from + pick(0, 25) * APPT_DAY_MS;

		memset(h, 0, sizeof(*h));
		h->once =
		    (struct appt_interval){ start, start + 7 * APPT_DAY_MS };
	}
	if (pick(0, 4) == 0) { /* Wednesday afternoons off for one in five */
		struct appt_absence *w = &a->absence[a->n_absences++];

		memset(w, 0, sizeof(*w));
		w->recurring = 1;
		w->recur.first_day = first_day - 30;
		w->recur.last_day = APPT_NO_END;
		w->recur.every_weeks = 1;
		w->recur.weekdays = APPT_WEDNESDAY;
		w->recur.start_minute = 12 * 60;
		w->recur.end_minute = 18 * 60;
	}
}

/* Expands one agent's plages and absences over q's window and merges its
 * appointments in: the per-request work before the sweep. */
static void
prepare(struct agent *a, const struct appt_slot_query *q,
    struct appt_agent_avail *av, int64_t id)
{
	size_t i, no = 0, nb = 0;

	for (i = 0; i < a->n_plages; i++)
		no += appt_recur_expand(&a->plage[i], q->from, q->to,
		    a->open + no, OPEN_CAP - no);
	for (i = 0; i < a->n_absences; i++)
		nb += appt_absence_expand(&a->absence[i], q->from, q->to,
		    a->blocked + nb, BLOCK_CAP - nb);
	if (no > OPEN_CAP || nb + a->n_booked > BLOCK_CAP) {
		fprintf(stderr, "appt-freeslots: scratch too small\n");
		exit(1);
	}
	memcpy(a->blocked + nb, a->booked, a->n_booked * sizeof(*a->booked));
	nb += a->n_booked;
	av->agent_id = id;
	av->open = a->open;
	av->n_open = appt_intervals_normalize(a->open, no);
	av->blocked = a->blocked;
	av->n_blocked = appt_intervals_normalize(a->blocked, nb);
}

/* Books about FILLED_PERCENT of each agent's free slots (one in ten an
 * hour long), as the store would hold them. */
static void
book(struct agent *agents, size_t n, const struct appt_slot_query *q)
{
	int64_t starts[BLOCK_CAP];
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		struct appt_agent_avail av;

		agents[i].n_booked = 0;
		prepare(&agents[i], q, &av, (int64_t)i);
		k = appt_slots_agent(q, &av, starts, BLOCK_CAP);
		if (k > BLOCK_CAP)
			k = BLOCK_CAP;
		for (j = 0; j < k && agents[i].n_booked < BLOCK_CAP / 2; j++) {
			int64_t len = q->duration_ms;

			if (pick(1, 100) > FILLED_PERCENT)
				continue;
			if (pick(0, 9) == 0)
				len *= 2;
			agents[i].booked[agents[i].n_booked++] =
			    (struct appt_interval){ starts[j],
				    starts[j] + len };
			if (len > q->duration_ms)
				j++;
		}
	}
}

static const char *
env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return (v != NULL && *v != '\0') ? v : def;
}

int
main(void)
{
	size_t n_agents = strtoul(env_or("APPT_BENCH_AGENTS", "300"), NULL, 10);
	size_t runs = strtoul(env_or("APPT_BENCH_RUNS", "101"), NULL, 10);
	struct appt_slot_query q = { 0 };
	struct agent *agents;
	struct appt_agent_avail *av;
	double *times, *sweep;
	size_t i, r, pairs = 0, starts = 0, open_ms = 0, free_total = 0;
	int64_t first_day;

	if (n_agents == 0 || n_agents > 100000 || runs == 0 || runs > 100000) {
		fprintf(stderr, "appt-freeslots: bad APPT_BENCH_AGENTS/RUNS\n");
		return 1;
	}
	/* March 2026: a month with the spring daylight-saving change. */
	q.from = caltime_utc_ms(2026, 2, 28, 23, 0);
	q.to = caltime_utc_ms(2026, 3, 31, 22, 0);
	q.now = q.from - APPT_DAY_MS;
	q.duration_ms = DURATION_MIN * APPT_MINUTE_MS;
	q.min_delay_ms = APPT_HOUR_MS / 2;
	first_day = appt_paris_day(q.from);
	agents = calloc(n_agents, sizeof(*agents));
	av = calloc(n_agents, sizeof(*av));
	times = calloc(runs, sizeof(*times));
	sweep = calloc(runs, sizeof(*sweep));
	if (agents == NULL || av == NULL || times == NULL || sweep == NULL) {
		fprintf(stderr, "appt-freeslots: out of memory\n");
		return 1;
	}
	for (i = 0; i < n_agents; i++) {
		make_plages(&agents[i], first_day);
		make_absences(&agents[i], q.from, first_day);
	}
	book(agents, n_agents, &q);
	for (r = 0; r < runs; r++) {
		struct appt_slot_list l;
		double t0 = now_ms(), t1;

		for (i = 0; i < n_agents; i++)
			prepare(&agents[i], &q, &av[i], (int64_t)i + 1);
		t1 = now_ms();
		if (appt_slots_place(&q, av, n_agents, &l) != 0) {
			perror("appt-freeslots: appt_slots_place");
			return 1;
		}
		times[r] = now_ms() - t0;
		sweep[r] = now_ms() - t1;
		pairs = l.n_agent_ids;
		starts = l.n_slots;
		appt_slot_list_free(&l);
	}
	for (i = 0; i < n_agents; i++) {
		size_t j;

		for (j = 0; j < av[i].n_open; j++)
			open_ms +=
			    (size_t)(av[i].open[j].end - av[i].open[j].start);
		free_total += appt_slots_agent(&q, &av[i], NULL, 0);
	}
	if (pairs == 0 || pairs != free_total) {
		fprintf(stderr,
		    "appt-freeslots: no slots or a merge mismatch\n");
		return 1;
	}
	qsort(times, runs, sizeof(*times), cmp_double);
	qsort(sweep, runs, sizeof(*sweep), cmp_double);
	printf("appt-freeslots: %zu agents, March 2026 (DST week), "
	       "%d-min motif, %zu runs\n",
	    n_agents, DURATION_MIN, runs);
	printf("  open hours %zu h, %zu free agent-slots at %zu distinct "
	       "starts (%.0f %% of the open time free)\n",
	    open_ms / (size_t)APPT_HOUR_MS, pairs, starts,
	    100.0 * (double)pairs * (double)q.duration_ms / (double)open_ms);
	printf("  whole request (expand + normalize + sweep + merge): "
	       "median %.2f ms, p99 %.2f ms\n",
	    times[runs / 2], times[(runs * 99) / 100]);
	printf("  sweep + merge alone: median %.2f ms, p99 %.2f ms\n",
	    sweep[runs / 2], sweep[(runs * 99) / 100]);
	free(agents);
	free(av);
	free(times);
	free(sweep);
	return 0;
}
