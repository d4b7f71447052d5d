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
