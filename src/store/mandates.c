/* mandates.c (store) - SQL for mandates. */
#include "store/mandates.h"

#include <string.h>

#include "store/driver.h"

#define COLS                                                                   \
	"id, candidate_id, school_id, category, state, activated_at,"          \
	" expires_at, ended_at"

static const char *const state_names[] = {
	[MANDATE_PENDING] = "pending",
	[MANDATE_ACTIVE] = "active",
	[MANDATE_REVOKED] = "revoked",
	[MANDATE_EXPIRED] = "expired",
};

const char *
store_mandate_state_name(enum mandate_state s)
{
	return (unsigned)s <= MANDATE_EXPIRED ? state_names[s] : "pending";
}

static int
parse_state(const char *s, enum mandate_state *out)
{
	int i;

	for (i = 0; i <= MANDATE_EXPIRED; i++)
		if (s != NULL && strcmp(s, state_names[i]) == 0) {
			*out = (enum mandate_state)i;
			return 0;
		}
	return -1;
}

static int64_t
opt_int(const struct store_driver *d, const struct store_row *r, int col)
{
	return d->row_is_null(r, col) ? 0 : d->row_int(r, col);
}

static int
get_row(const struct store_driver *d, const struct store_row *r,
    struct mandate *m)
{
	memset(m, 0, sizeof(*m));
	m->id = d->row_int(r, 0);
	m->candidate_id = d->row_int(r, 1);
	m->school_id = d->row_int(r, 2);
	if (store_row_copy_text(m->category, sizeof(m->category), d, r, 3) !=
		0 ||
	    parse_state(d->row_text(r, 4), &m->state) != 0)
		return -1;
	m->activated_at = opt_int(d, r, 5);
	m->expires_at = opt_int(d, r, 6);
	m->ended_at = opt_int(d, r, 7);
	return 0;
}

struct list {
	const struct store_driver *d;
	struct mandate *out;
	size_t max, n;
};

static int
list_row(void *arg, const struct store_row *r)
{
	struct list *l = arg;

	if (l->n >= l->max)
		return 0;
	if (get_row(l->d, r, &l->out[l->n]) != 0)
		return -1;
	l->n++;
	return 0;
}

int
store_mandates_of_candidate(struct store *st, struct store_conn *c,
    int64_t candidate_id, struct mandate *out, size_t max, size_t *n)
{
	struct store_val p[1] = { SV_I(candidate_id) };
	struct list l = { store_drv(st), out, max, 0 };
	int rc;

	rc = store_drv(st)->exec(c,
	    "SELECT " COLS " FROM mandates WHERE candidate_id = $1"
	    " ORDER BY id",
	    p, 1, list_row, &l);
	*n = l.n;
	return rc;
}

static struct store_val
opt_time(int64_t t)
{
	return t != 0 ? SV_I(t) : SV_T(NULL);
}

int
store_mandate_insert(struct store *st, struct store_conn *c, struct mandate *m,
    enum mandate_origin origin, const char *created_by, int64_t now)
{
	struct store_val p[10];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[0] = SV_I(m->candidate_id);
	p[1] = SV_I(m->school_id);
	p[2] = SV_T(m->category);
	p[3] = SV_T(store_mandate_state_name(m->state));
	p[4] = SV_T(origin == MANDATE_BY_CANDIDATE ? "candidate" : "school");
	p[5] = SV_T(created_by);
	p[6] = SV_I(now);
	p[7] = opt_time(m->activated_at);
	p[8] = opt_time(m->expires_at);
	p[9] = opt_time(m->ended_at);
	if (store_drv(st)->exec(c,
		"INSERT INTO mandates (candidate_id, school_id, category,"
		" state, origin, created_by, created_at, activated_at,"
		" expires_at, ended_at) VALUES ($1, $2, $3, $4, $5, $6, $7,"
		" $8, $9, $10) RETURNING id",
		p, 10, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	m->id = o.v;
	return 0;
}

int
store_mandate_update(struct store *st, struct store_conn *c,
    const struct mandate *m)
{
	struct store_val p[5];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[0] = SV_I(m->id);
	p[1] = SV_T(store_mandate_state_name(m->state));
	p[2] = opt_time(m->activated_at);
	p[3] = opt_time(m->expires_at);
	p[4] = opt_time(m->ended_at);
	if (store_drv(st)->exec(c,
		"UPDATE mandates SET state = $2, activated_at = $3,"
		" expires_at = $4, ended_at = $5 WHERE id = $1 RETURNING id",
		p, 5, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct one {
	const struct store_driver *d;
	struct mandate *m;
	int found;
};

static int
one_row(void *arg, const struct store_row *r)
{
	struct one *o = arg;

	o->found = 1;
	return get_row(o->d, r, o->m);
}

int
store_mandate_get(struct store *st, struct store_conn *c, int64_t id,
    struct mandate *m)
{
	struct store_val p[1] = { SV_I(id) };
	struct one o = { store_drv(st), m, 0 };

	if (store_drv(st)->exec(c,
		"SELECT " COLS " FROM mandates WHERE id = $1", p, 1, one_row,
		&o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct each {
	const struct store_driver *d;
	store_mandate_fn fn;
	void *arg;
};

static int
each_row(void *arg, const struct store_row *r)
{
	struct each *e = arg;
	struct mandate m;

	if (get_row(e->d, r, &m) != 0)
		return -1;
	return e->fn(e->arg, &m);
}

int
store_mandates_of_school(struct store *st, struct store_conn *c,
    int64_t school_id, const char *state, long limit, store_mandate_fn fn,
    void *arg)
{
	struct store_val p[3] = { SV_I(school_id), SV_I(limit), SV_T(state) };
	struct each e = { store_drv(st), fn, arg };

	if (state == NULL)
		return store_drv(st)->exec(c,
		    "SELECT " COLS " FROM mandates WHERE school_id = $1"
		    " ORDER BY id DESC LIMIT $2",
		    p, 2, each_row, &e);
	return store_drv(st)->exec(c,
	    "SELECT " COLS " FROM mandates WHERE school_id = $1"
	    " AND state = $3 ORDER BY id DESC LIMIT $2",
	    p, 3, each_row, &e);
}

struct ids {
	const struct store_driver *d;
	int64_t *ids;
	size_t max, n;
};

static int
id_row(void *arg, const struct store_row *r)
{
	struct ids *l = arg;

	if (l->n < l->max)
		l->ids[l->n++] = l->d->row_int(r, 0);
	return 0;
}

int
store_mandates_due(struct store *st, struct store_conn *c, int64_t now,
    int64_t *ids, size_t max, size_t *n)
{
	struct store_val p[2] = { SV_I(now), SV_I((int64_t)max) };
	struct ids l = { store_drv(st), ids, max, 0 };
	int rc;

	rc = store_drv(st)->exec(c,
	    "SELECT id FROM mandates WHERE state = 'active' AND"
	    " expires_at <= $1 ORDER BY expires_at, id LIMIT $2",
	    p, 2, id_row, &l);
	*n = l.n;
	return rc;
}
