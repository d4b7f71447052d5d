/* jobs.c (store) - persistence of background job runs. */
#include <string.h>

#include "core/log.h"
#include "store/driver.h"

struct run {
	const char *name, *outcome;
	int64_t started_ms, finished_ms;
};

static int
record_tx(struct store *st, struct store_conn *c, void *arg)
{
	const struct run *r = arg;
	struct store_val p[4];

	p[0] = SV_T(r->name);
	p[1] = SV_I(r->started_ms);
	p[2] = SV_I(r->finished_ms);
	p[3] = SV_T(r->outcome);
	return store_drv(st)->exec(c,
	    "INSERT INTO job_runs (name, last_started_at, last_finished_at,"
	    " last_outcome, runs) VALUES ($1, $2, $3, $4, 1)"
	    " ON CONFLICT (name) DO UPDATE SET"
	    " last_started_at = excluded.last_started_at,"
	    " last_finished_at = excluded.last_finished_at,"
	    " last_outcome = excluded.last_outcome,"
	    " runs = job_runs.runs + 1",
	    p, 4, NULL, NULL);
}

/* A write transaction of its own, or part of the caller's: it takes its
 * turn with the other writers, and tells the store whether writes go
 * through again (the scheduler records a run every few seconds). */
int
store_job_record(struct store *st, const char *name, int64_t started_ms,
    int64_t finished_ms, const char *outcome)
{
	struct run r = { name, outcome, started_ms, finished_ms };

	return store_tx_join(st, record_tx, &r);
}

struct last {
	const struct store_driver *d;
	int found;
	int64_t at;
};

static int
last_row(void *arg, const struct store_row *r)
{
	struct last *l = arg;

	l->found = 1;
	l->at = l->d->row_int(r, 0);
	return 1;
}

int
store_job_last_start(struct store *st, const char *name, int64_t *at_ms)
{
	struct store_conn *c = store_conn(st);
	struct store_val p[1];
	struct last l = { store_drv(st), 0, 0 };

	if (c == NULL)
		return -1;
	p[0] = SV_T(name);
	if (l.d->exec(c, "SELECT last_started_at FROM job_runs WHERE name = $1",
		p, 1, last_row, &l) != 0)
		return -1;
	if (!l.found)
		return 1;
	*at_ms = l.at;
	return 0;
}

static int
bool_row(void *arg, const struct store_row *r)
{
	struct store_int_out *o = arg;

	o->v = o->d->row_int(r, 0);
	o->found = 1;
	return 1;
}

int
store_job_begin(struct store *st, const char *name, int64_t now_ms,
    int64_t interval_ms, int64_t *next_ms)
{
	const struct store_driver *d = store_drv(st);
	struct store_conn *c;
	struct store_int_out got = { d, 0, 0 };
	struct store_val p[1];
	int64_t last;
	int rc;

	if (d->dialect != DIALECT_POSTGRES)
		return 0;
	if ((c = store_conn(st)) == NULL)
		return -1;
	p[0] = SV_T(name);
	if (d->exec(c,
		"SELECT pg_try_advisory_lock(hashtext('creneau-job:' || $1))",
		p, 1, bool_row, &got) != 0 ||
	    !got.found)
		return -1;
	if (!got.v) {
		*next_ms = now_ms + interval_ms; /* running elsewhere now */
		return 1;
	}
	rc = store_job_last_start(st, name, &last);
	if (rc < 0) {
		store_job_end(st, name);
		return -1;
	}
	if (rc == 0 && last + interval_ms > now_ms && last <= now_ms) {
		store_job_end(st, name);
		*next_ms = last + interval_ms; /* another instance ran it */
		return 1;
	}
	return 0;
}

void
store_job_end(struct store *st, const char *name)
{
	const struct store_driver *d = store_drv(st);
	struct store_conn *c;
	struct store_val p[1];

	if (d->dialect != DIALECT_POSTGRES || (c = store_conn(st)) == NULL)
		return;
	p[0] = SV_T(name);
	if (d->exec(c,
		"SELECT pg_advisory_unlock(hashtext('creneau-job:' || $1))", p,
		1, NULL, NULL) != 0)
		log_warnx("jobs: %s: lock not released", name);
}
