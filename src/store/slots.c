/* slots.c (store) - SQL for exam slots. */
#include "store/slots.h"

#include <string.h>

#include "store/driver.h"

/* Every read joins the centre for the department of rule 2. */
#define COLS                                                                   \
	"s.id, c.department, s.category, s.start_at, s.published_at,"          \
	" s.state, s.centre_id, s.inspector, s.created_at"
#define FROM " FROM slots s JOIN exam_centres c ON c.id = s.centre_id"

static const char *const state_names[] = {
	[SLOT_FREE] = "free",
	[SLOT_HELD] = "held",
	[SLOT_BOOKED] = "booked",
	[SLOT_CANCELLED] = "cancelled",
};

const char *
store_slot_state_name(enum slot_state s)
{
	return (unsigned)s <= SLOT_CANCELLED ? state_names[s] : "cancelled";
}

int
store_slot_state_parse(const char *s, enum slot_state *out)
{
	int i;

	for (i = 0; i <= SLOT_CANCELLED; i++)
		if (s != NULL && strcmp(s, state_names[i]) == 0) {
			*out = (enum slot_state)i;
			return 0;
		}
	return -1;
}

static int
get_row(const struct store_driver *d, const struct store_row *r,
    struct store_slot *o)
{
	memset(o, 0, sizeof(*o));
	o->s.id = d->row_int(r, 0);
	if (store_row_copy_text(o->s.department, sizeof(o->s.department), d, r,
		1) != 0 ||
	    store_row_copy_text(o->s.category, sizeof(o->s.category), d, r,
		2) != 0 ||
	    store_slot_state_parse(d->row_text(r, 5), &o->s.state) != 0 ||
	    store_row_copy_text(o->inspector, sizeof(o->inspector), d, r, 7) !=
		0)
		return -1;
	o->s.start_at = d->row_int(r, 3);
	o->s.published_at = d->row_int(r, 4);
	o->centre_id = d->row_int(r, 6);
	o->created_at = d->row_int(r, 8);
	return 0;
}

int
store_slots_insert(struct store *st, struct store_conn *c,
    const struct store_slot *in, size_t n, int64_t now, int64_t *ids)
{
	struct store_val p[6];
	size_t i;

	for (i = 0; i < n; i++) {
		struct store_int_out o = { store_drv(st), 0, 0 };

		p[0] = SV_I(in[i].centre_id);
		p[1] = SV_T(in[i].s.category);
		p[2] = SV_I(in[i].s.start_at);
		p[3] = SV_T(in[i].inspector);
		p[4] = SV_I(in[i].s.published_at);
		p[5] = SV_I(now);
		if (store_drv(st)->exec(c,
			"INSERT INTO slots (centre_id, category, start_at,"
			" inspector, published_at, state, created_at)"
			" VALUES ($1, $2, $3, $4, $5, 'free', $6)"
			" RETURNING id",
			p, 6, store_row_int, &o) != 0 ||
		    !o.found)
			return -1;
		ids[i] = o.v;
	}
	return 0;
}

/* The driver stops a walk when a row callback returns non-zero but
 * reports success: a row that does not read is flagged in bad. */
struct one {
	const struct store_driver *d;
	struct store_slot *out;
	int found, bad;
};

static int
one_row(void *arg, const struct store_row *r)
{
	struct one *o = arg;

	o->found = 1;
	o->bad = get_row(o->d, r, o->out) != 0;
	return o->bad;
}

int
store_slot_get_full(struct store *st, struct store_conn *c, int64_t id,
    struct store_slot *out)
{
	struct store_val p[1] = { SV_I(id) };
	struct one o = { store_drv(st), out, 0, 0 };

	memset(out, 0, sizeof(*out));
	if (store_drv(st)->exec(c, "SELECT " COLS FROM " WHERE s.id = $1", p, 1,
		one_row, &o) != 0 ||
	    o.bad)
		return -1;
	return o.found ? 0 : 1;
}

int
store_slot_get(struct store *st, struct store_conn *c, int64_t id,
    struct bk_slot *out)
{
	struct store_slot full;
	int rc;

	memset(&full, 0, sizeof(full));
	if ((rc = store_slot_get_full(st, c, id, &full)) == 0)
		*out = full.s;
	return rc;
}

struct walk {
	const struct store_driver *d;
	store_slot_fn fn;
	void *arg;
	size_t limit, n;
	int bad, more;
};

static int
walk_row(void *arg, const struct store_row *r)
{
	struct walk *w = arg;
	struct store_slot s;

	/* One row past the page says whether there is another page. */
	if (w->n == w->limit) {
		w->more = 1;
		return 1;
	}
	w->n++;
	w->bad = get_row(w->d, r, &s) != 0 || w->fn(w->arg, &s) != 0;
	return w->bad;
}

int
store_slots_list(struct store *st, struct store_conn *c,
    const struct store_slot_query *q, store_slot_fn fn, void *arg, int *more)
{
	struct store_val p[6];
	struct walk w = { store_drv(st), fn, arg, q->limit, 0, 0, 0 };

	if (more != NULL)
		*more = 0;
	if (q->limit == 0 || q->limit > STORE_SLOTS_PAGE_MAX ||
	    q->offset > (size_t)INT64_MAX - STORE_SLOTS_PAGE_MAX)
		return -1;
	/* Open criteria bind as bounds that match everything, so one text
	 * serves every combination. */
	p[0] = SV_I(q->centre_id);
	p[1] = SV_I(q->from);
	p[2] = SV_I(q->to > 0 ? q->to : INT64_MAX);
	p[3] = SV_T(q->state != NULL ? q->state : "");
	p[4] = SV_I((int64_t)q->limit + 1);
	p[5] = SV_I((int64_t)q->offset);
	if (w.d->exec(c,
		"SELECT " COLS FROM " WHERE ($1 = 0 OR s.centre_id = $1)"
		" AND s.start_at >= $2 AND s.start_at < $3"
		" AND ($4 = '' OR s.state = $4)"
		" ORDER BY s.start_at, s.id LIMIT $5 OFFSET $6",
		p, 6, walk_row, &w) != 0 ||
	    w.bad)
		return -1;
	if (more != NULL)
		*more = w.more;
	return 0;
}

int
store_slot_withdraw(struct store *st, struct store_conn *c, int64_t id,
    int64_t now)
{
	struct store_val p[2] = { SV_I(id), SV_I(now) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"UPDATE slots SET state = 'cancelled'"
		" WHERE id = $1 AND state = 'free' AND start_at > $2"
		" RETURNING id",
		p, 2, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}
