/* scheduler.c - the background job thread. */
#include "jobs/scheduler.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/limits.h"
#include "core/log.h"

struct job {
	char name[LIMIT_JOB_NAME];
	int64_t interval_ms;
	int64_t next_ms;
	job_fn fn;
	void *arg;
	long runs;
};

struct scheduler {
	struct clock *clk;
	struct store *st;
	struct job jobs[LIMIT_JOBS];
	size_t njobs;
	pthread_t thread;
	int started;
	int stop;
	int woken;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
};

struct scheduler *
scheduler_new(struct clock *clk, struct store *st)
{
	struct scheduler *s = calloc(1, sizeof(*s));
	pthread_condattr_t ca;

	if (s == NULL)
		return NULL;
	s->clk = clk;
	s->st = st;
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &ca);
	pthread_condattr_destroy(&ca);
	return s;
}

int
scheduler_add(struct scheduler *s, const char *name, int64_t interval_ms,
    job_fn fn, void *arg)
{
	struct job *j;
	int64_t last;
	size_t i, nl = strlen(name);

	if (nl == 0 || nl >= LIMIT_JOB_NAME || interval_ms <= 0 || fn == NULL ||
	    s->njobs >= LIMIT_JOBS || s->started)
		return -1;
	for (i = 0; i < s->njobs; i++)
		if (strcmp(s->jobs[i].name, name) == 0)
			return -1;
	j = &s->jobs[s->njobs];
	memcpy(j->name, name, nl + 1);
	j->interval_ms = interval_ms;
	j->fn = fn;
	j->arg = arg;
	j->runs = 0;
	j->next_ms = clock_now_ms(s->clk);
	if (s->st != NULL && store_job_last_start(s->st, name, &last) == 0)
		j->next_ms = last + interval_ms;
	s->njobs++;
	return 0;
}

int
scheduler_run_due(struct scheduler *s)
{
	size_t i;
	int ran = 0, rc, claim;
	int64_t start, end, next;

	for (i = 0; i < s->njobs; i++) {
		struct job *j = &s->jobs[i];

		start = clock_now_ms(s->clk);
		if (start < j->next_ms)
			continue;
		/* Several instances on one database: one of them runs it. */
		if (s->st != NULL &&
		    (claim = store_job_begin(s->st, j->name, start,
			 j->interval_ms, &next)) != 0) {
			j->next_ms = claim > 0 ? next : start + j->interval_ms;
			continue;
		}
		rc = j->fn(j->arg, start);
		end = clock_now_ms(s->clk);
		j->runs++;
		/* From this start, not the old due time: after a long stop
		 * (or a simulated jump) a job runs once, not once per missed
		 * interval. */
		j->next_ms = start + j->interval_ms;
		if (rc != 0)
			log_warnx("jobs: %s failed", j->name);
		if (s->st != NULL &&
		    store_job_record(s->st, j->name, start, end,
			rc == 0 ? "ok" : "failed") != 0)
			log_warnx("jobs: %s: run not recorded", j->name);
		if (s->st != NULL)
			store_job_end(s->st, j->name);
		ran++;
	}
	return ran;
}

long
scheduler_runs(struct scheduler *s, const char *name)
{
	size_t i;
	long n = -1;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->njobs; i++)
		if (strcmp(s->jobs[i].name, name) == 0)
			n = s->jobs[i].runs;
	pthread_mutex_unlock(&s->lock);
	return n;
}

/* Milliseconds until the next job is due, at most a minute. */
static int64_t
wait_ms(struct scheduler *s)
{
	int64_t now = clock_now_ms(s->clk), best = 60000, d;
	size_t i;

	if (s->clk->simulated)
		return 1000; /* simulated time moves only by hand */
	for (i = 0; i < s->njobs; i++) {
		d = s->jobs[i].next_ms - now;
		if (d < best)
			best = d < 0 ? 0 : d;
	}
	return best;
}

static void *
run(void *arg)
{
	struct scheduler *s = arg;
	struct timespec ts;
	int64_t ms;

	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		s->woken = 0;
		/* Jobs run under the lock: scheduler_stop waits for the one
		 * running, and scheduler_runs sees a settled count. */
		scheduler_run_due(s);
		if (s->stop || s->woken)
			continue;
		ms = wait_ms(s);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += ms / 1000;
		ts.tv_nsec += (ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		while (!s->stop && !s->woken &&
		    pthread_cond_timedwait(&s->cond, &s->lock, &ts) !=
			ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int
scheduler_start(struct scheduler *s)
{
	if (s->started)
		return -1;
	if (pthread_create(&s->thread, NULL, run, s) != 0)
		return -1;
	s->started = 1;
	return 0;
}

void
scheduler_wake(struct scheduler *s)
{
	pthread_mutex_lock(&s->lock);
	s->woken = 1;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

void
scheduler_stop(struct scheduler *s)
{
	if (!s->started)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = 1;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	s->started = 0;
}

void
scheduler_free(struct scheduler *s)
{
	if (s == NULL)
		return;
	scheduler_stop(s);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
