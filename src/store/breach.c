/* breach.c (store) - SQL for the breach register. */
#include "store/breach.h"

#include <stdlib.h>
#include <string.h>

#include "store/driver.h"

#define COLS                                                                   \
	"id, org_id, opened_by, created_at, updated_at, discovered_at, risk,"  \
	" people_count, records_count, notified_at, people_informed_at,"       \
	" details"

/* Fills b from row r; details is borrowed. Returns 0 or -1. */
static int
get_row(const struct store_driver *d, const struct store_row *r,
    struct store_breach *b)
{
	const void *p;
	size_t n = 0;

	memset(b, 0, sizeof(*b));
	if (store_row_copy_text(b->id, sizeof(b->id), d, r, 0) != 0 ||
	    store_row_copy_text(b->org_id, sizeof(b->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(b->opened_by, sizeof(b->opened_by), d, r, 2) !=
		0 ||
	    store_row_copy_text(b->risk, sizeof(b->risk), d, r, 6) != 0)
		return -1;
	b->created_at = d->row_int(r, 3);
	b->updated_at = d->row_int(r, 4);
	b->discovered_at = d->row_int(r, 5);
	b->people_count = d->row_int(r, 7);
	b->records_count = d->row_int(r, 8);
	b->notified_at = d->row_is_null(r, 9) ? 0 : d->row_int(r, 9);
	b->people_informed_at = d->row_is_null(r, 10) ? 0 : d->row_int(r, 10);
	if (d->row_is_null(r, 11) || (p = d->row_blob(r, 11, &n)) == NULL)
		return -1;
	b->details.p = (unsigned char *)(uintptr_t)p;
	b->details.len = n;
	return 0;
}

/* An optional time: 0 is SQL NULL. */
static struct store_val
opt_time(int64_t t)
{
	return t != 0 ? SV_I(t) : SV_T(NULL);
}

int
store_breach_insert(struct store *st, struct store_conn *c,
    const struct store_breach *b)
{
	struct store_val p[12];

	p[0] = SV_T(b->id);
	p[1] = SV_T(b->org_id);
	p[2] = SV_T(b->opened_by[0] ? b->opened_by : NULL);
	p[3] = SV_I(b->created_at);
	p[4] = SV_I(b->updated_at);
	p[5] = SV_I(b->discovered_at);
	p[6] = SV_T(b->risk);
	p[7] = SV_I(b->people_count);
	p[8] = SV_I(b->records_count);
	p[9] = opt_time(b->notified_at);
	p[10] = opt_time(b->people_informed_at);
	p[11] = SV_B(b->details.p, b->details.len);
	return store_drv(st)->exec(c,
	    "INSERT INTO breaches (" COLS ") VALUES ($1, $2, $3, $4, $5, $6,"
	    " $7, $8, $9, $10, $11, $12)",
	    p, 12, NULL, NULL);
}

/* Row callback counting rows. */
static int
count_row(void *arg, const struct store_row *r)
{
	(void)r;
	(*(long *)arg)++;
	return 0;
}

int
store_breach_update(struct store *st, struct store_conn *c,
    const struct store_breach *b)
{
	struct store_val p[9];
	long n = 0;

	p[0] = SV_T(b->id);
	p[1] = SV_I(b->updated_at);
	p[2] = SV_I(b->discovered_at);
	p[3] = SV_T(b->risk);
	p[4] = SV_I(b->people_count);
	p[5] = SV_I(b->records_count);
	p[6] = opt_time(b->notified_at);
	p[7] = opt_time(b->people_informed_at);
	p[8] = SV_B(b->details.p, b->details.len);
	if (store_drv(st)->exec(c,
		"UPDATE breaches SET updated_at = $2, discovered_at = $3,"
		" risk = $4, people_count = $5, records_count = $6,"
		" notified_at = $7, people_informed_at = $8, details = $9"
		" WHERE id = $1 RETURNING id",
		p, 9, count_row, &n) != 0)
		return -1;
	return n == 0 ? 1 : 0;
}

struct get_scan {
	const struct store_driver *d;
	struct store_breach *out;
	int found, bad;
};

static int
get_one(void *arg, const struct store_row *r)
{
	struct get_scan *x = arg;
	struct store_breach b;

	if (get_row(x->d, r, &b) != 0 ||
	    (x->out->details.p = malloc(b.details.len ? b.details.len : 1)) ==
		NULL) {
		x->bad = 1;
		return 1;
	}
	memcpy(x->out->details.p, b.details.p, b.details.len);
	b.details.p = x->out->details.p;
	*x->out = b;
	x->found = 1;
	return 1;
}

int
store_breach_get(struct store *st, struct store_conn *c, const char *id,
    struct store_breach *out)
{
	struct get_scan x;
	struct store_val p[1];

	memset(out, 0, sizeof(*out));
	x.d = store_drv(st);
	x.out = out;
	x.found = x.bad = 0;
	p[0] = SV_T(id);
	if (x.d->exec(c, "SELECT " COLS " FROM breaches WHERE id = $1", p, 1,
		get_one, &x) != 0 ||
	    x.bad) {
		free(out->details.p);
		out->details.p = NULL;
		return -1;
	}
	return x.found ? 0 : 1;
}

struct list_scan {
	const struct store_driver *d;
	store_breach_fn fn;
	void *arg;
	int bad;
};

static int
list_row(void *arg, const struct store_row *r)
{
	struct list_scan *x = arg;
	struct store_breach b;

	if (get_row(x->d, r, &b) != 0 || x->fn(x->arg, &b) != 0) {
		x->bad = 1;
		return 1;
	}
	return 0;
}

int
store_breach_list(struct store *st, struct store_conn *c, const char *org_id,
    store_breach_fn fn, void *arg)
{
	struct list_scan x = { store_drv(st), fn, arg, 0 };
	struct store_val p[1];

	p[0] = SV_T(org_id);
	if (x.d->exec(c,
		"SELECT " COLS " FROM breaches WHERE org_id = $1"
		" ORDER BY discovered_at DESC, id",
		p, 1, list_row, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}
