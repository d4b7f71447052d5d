/* centres.c (store) - SQL for the exam centres. */
#include "store/centres.h"

#include <string.h>

#include "booking/neph.h"
#include "store/driver.h"

#define COLS "id, name, department, address, created_at"

static int
get_row(const struct store_driver *d, const struct store_row *r,
    struct store_centre *ce)
{
	memset(ce, 0, sizeof(*ce));
	ce->id = d->row_int(r, 0);
	if (store_row_copy_text(ce->name, sizeof(ce->name), d, r, 1) != 0 ||
	    store_row_copy_text(ce->department, sizeof(ce->department), d, r,
		2) != 0 ||
	    store_row_copy_text(ce->address, sizeof(ce->address), d, r, 3) != 0)
		return -1;
	ce->created_at = d->row_int(r, 4);
	return 0;
}

int
store_centre_insert(struct store *st, struct store_conn *c,
    struct store_centre *ce, int64_t now)
{
	struct store_val p[4];
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (booking_department_check(ce->department, strlen(ce->department)) !=
	    BK_OK)
		return 2;
	p[0] = SV_T(ce->name);
	p[1] = SV_T(ce->department);
	p[2] = SV_T(ce->address);
	p[3] = SV_I(now);
	/* The unique index would refuse a twin too, but as a failure that
	 * cannot be told from a broken database: ask first. */
	if (store_drv(st)->exec(c,
		"SELECT id FROM exam_centres WHERE department = $2 AND"
		" name = $1",
		p, 2, store_row_int, &o) != 0)
		return -1;
	if (o.found)
		return 1;
	if (store_drv(st)->exec(c,
		"INSERT INTO exam_centres (name, department, address,"
		" created_at) VALUES ($1, $2, $3, $4) RETURNING id",
		p, 4, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	ce->id = o.v;
	ce->created_at = now;
	return 0;
}

/* The driver stops a walk when a row callback returns non-zero but
 * reports success: a row that does not read is flagged in bad. */
struct one {
	const struct store_driver *d;
	struct store_centre *ce;
	int found, bad;
};

static int
one_row(void *arg, const struct store_row *r)
{
	struct one *o = arg;

	o->found = 1;
	o->bad = get_row(o->d, r, o->ce) != 0;
	return o->bad;
}

int
store_centre_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_centre *out)
{
	struct store_val p[1] = { SV_I(id) };
	struct one o = { store_drv(st), out, 0, 0 };

	memset(out, 0, sizeof(*out));
	if (store_drv(st)->exec(c,
		"SELECT " COLS " FROM exam_centres WHERE id = $1", p, 1,
		one_row, &o) != 0 ||
	    o.bad)
		return -1;
	return o.found ? 0 : 1;
}

struct walk {
	const struct store_driver *d;
	store_centre_fn fn;
	void *arg;
	int bad;
};

static int
walk_row(void *arg, const struct store_row *r)
{
	struct walk *w = arg;
	struct store_centre ce;

	w->bad = get_row(w->d, r, &ce) != 0 || w->fn(w->arg, &ce) != 0;
	return w->bad;
}

int
store_centres_list(struct store *st, struct store_conn *c,
    const char *department, store_centre_fn fn, void *arg)
{
	struct store_val p[1] = { SV_T(department) };
	struct walk w = { store_drv(st), fn, arg, 0 };
	int rc;

	if (department != NULL)
		rc = w.d->exec(c,
		    "SELECT " COLS " FROM exam_centres WHERE department = $1"
		    " ORDER BY name, id",
		    p, 1, walk_row, &w);
	else
		rc = w.d->exec(c,
		    "SELECT " COLS " FROM exam_centres"
		    " ORDER BY department, name, id",
		    NULL, 0, walk_row, &w);
	return rc != 0 || w.bad ? -1 : 0;
}
