/* purge.c (store) - the reports of the retention engine's runs. */
#include "store/purge.h"

#include "store/driver.h"

struct last_id {
	const struct store_driver *d;
	int found;
	int64_t id;
};

static int
id_row(void *arg, const struct store_row *r)
{
	struct last_id *l = arg;

	l->found = 1;
	l->id = l->d->row_int(r, 0);
	return 0;
}

int
store_purge_report_add(struct store *st, struct store_conn *c,
    int64_t started_ms, int64_t finished_ms, int simulated, const char *report,
    int64_t *id)
{
	struct last_id l = { store_drv(st), 0, 0 };
	struct store_val p[4];

	if (report == NULL)
		return -1;
	p[0] = SV_I(started_ms);
	p[1] = SV_I(finished_ms);
	p[2] = SV_I(simulated ? 1 : 0);
	p[3] = SV_T(report);
	if (l.d->exec(c,
		"INSERT INTO purge_reports (started_at, finished_at, simulated,"
		" report) VALUES ($1, $2, $3, $4) RETURNING id",
		p, 4, id_row, &l) != 0 ||
	    !l.found)
		return -1;
	*id = l.id;
	return 0;
}

struct list_scan {
	const struct store_driver *d;
	store_purge_report_fn fn;
	void *arg;
	int stopped;
};

/* Row callback: one report to the caller's function. */
static int
list_row(void *arg, const struct store_row *r)
{
	struct list_scan *x = arg;
	struct store_purge_report rep;

	rep.id = x->d->row_int(r, 0);
	rep.started_ms = x->d->row_int(r, 1);
	rep.finished_ms = x->d->row_int(r, 2);
	rep.simulated = x->d->row_int(r, 3) != 0;
	rep.report = x->d->row_text(r, 4);
	if (rep.report == NULL)
		rep.report = "";
	if (x->fn(x->arg, &rep) != 0) {
		x->stopped = 1;
		return 1;
	}
	return 0;
}

int
store_purge_report_list(struct store *st, long limit, store_purge_report_fn fn,
    void *arg)
{
	struct list_scan x = { store_drv(st), fn, arg, 0 };
	struct store_conn *c = store_conn(st);
	struct store_val p[1];

	if (c == NULL)
		return -1;
	if (limit < 1)
		limit = 1;
	p[0] = SV_I(limit);
	if (x.d->exec(c,
		"SELECT id, started_at, finished_at, simulated, report"
		" FROM purge_reports ORDER BY started_at DESC, id DESC"
		" LIMIT $1",
		p, 1, list_row, &x) != 0 ||
	    x.stopped)
		return -1;
	return 0;
}
