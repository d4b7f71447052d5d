/* baskets.c (store) - SQL for baskets, their items and slot holds. */
#include "store/baskets.h"

#include <stdio.h>
#include <string.h>

#include "store/driver.h"
#include "store/identity.h"
#include "store/slots.h"

/* A state the table cannot hold reads as cancelled: the rules then see
 * an unknown slot. */
static enum slot_state
slot_state_parse(const char *s)
{
	enum slot_state st;

	return store_slot_state_parse(s, &st) == 0 ? st : SLOT_CANCELLED;
}

/* Reading a basket: the head row, then its items in order. */
struct head {
	const struct store_driver *d;
	struct basket *b;
	char *owner;
	size_t ownerlen;
	int found;
};

static int
head_row(void *arg, const struct store_row *r)
{
	struct head *h = arg;

	h->found = 1;
	h->b->id = h->d->row_int(r, 0);
	h->b->school_id = h->d->row_int(r, 1);
	h->b->first_added_at =
	    h->d->row_is_null(r, 2) ? 0 : h->d->row_int(r, 2);
	if (h->owner != NULL &&
	    store_row_copy_text(h->owner, h->ownerlen, h->d, r, 3) != 0)
		return -1;
	h->b->expired_at = h->d->row_is_null(r, 4) ? 0 : h->d->row_int(r, 4);
	return 0;
}

static int
item_row(void *arg, const struct store_row *r)
{
	struct head *h = arg;
	struct basket_item *it;

	if (h->b->n >= BK_BASKET_CAP)
		return -1;
	it = &h->b->items[h->b->n];
	memset(it, 0, sizeof(*it));
	it->slot_id = h->d->row_int(r, 0);
	it->candidate_id = h->d->row_is_null(r, 1) ? 0 : h->d->row_int(r, 1);
	if (store_row_copy_text(it->department, sizeof(it->department), h->d, r,
		2) != 0 ||
	    store_row_copy_text(it->category, sizeof(it->category), h->d, r,
		3) != 0)
		return -1;
	it->start_at = h->d->row_int(r, 4);
	if (store_row_copy_text(it->centre, sizeof(it->centre), h->d, r, 5) !=
	    0)
		return -1;
	h->b->n++;
	return 0;
}

static int
read_basket(struct store *st, struct store_conn *c, const char *where,
    struct store_val key, struct basket *b, char *owner, size_t ownerlen)
{
	struct head h;
	struct store_val p[1];
	char sql[256];

	memset(b, 0, sizeof(*b));
	h = (struct head){ store_drv(st), b, owner, ownerlen, 0 };
	snprintf(sql, sizeof(sql),
	    "SELECT id, school_id, first_added_at, owner_account, expired_at"
	    " FROM baskets WHERE %s = $1",
	    where);
	p[0] = key;
	if (store_drv(st)->exec(c, sql, p, 1, head_row, &h) != 0)
		return -1;
	if (!h.found)
		return 1;
	p[0] = SV_I(b->id);
	if (store_drv(st)->exec(c,
		"SELECT i.slot_id, i.candidate_id, e.department, s.category,"
		" s.start_at, e.name FROM basket_items i"
		" JOIN slots s ON s.id = i.slot_id"
		" JOIN exam_centres e ON e.id = s.centre_id"
		" WHERE i.basket_id = $1 ORDER BY i.position, i.slot_id",
		p, 1, item_row, &h) != 0)
		return -1;
	if (b->n == 0)
		b->first_added_at = 0;
	return 0;
}

int
store_basket_of_owner(struct store *st, struct store_conn *c, const char *owner,
    struct basket *b)
{
	return read_basket(st, c, "owner_account", SV_T(owner), b, NULL, 0);
}

int
store_basket_get(struct store *st, struct store_conn *c, int64_t id,
    struct basket *b, char *owner, size_t ownerlen)
{
	return read_basket(st, c, "id", SV_I(id), b, owner, ownerlen);
}

int
store_basket_create(struct store *st, struct store_conn *c, int64_t school_id,
    const char *owner, int64_t now, struct basket *b)
{
	struct store_val p[3] = { SV_I(school_id), SV_T(owner), SV_I(now) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	memset(b, 0, sizeof(*b));
	if (store_drv(st)->exec(c,
		"INSERT INTO baskets (school_id, owner_account, created_at)"
		" VALUES ($1, $2, $3) RETURNING id",
		p, 3, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	b->id = o.v;
	b->school_id = school_id;
	return 0;
}

/* Stored items of a basket, to compare with the new state. */
struct stored {
	const struct store_driver *d;
	int64_t slot[BK_BASKET_CAP];
	size_t n;
};

static int
stored_row(void *arg, const struct store_row *r)
{
	struct stored *s = arg;

	if (s->n >= BK_BASKET_CAP)
		return -1;
	s->slot[s->n++] = s->d->row_int(r, 0);
	return 0;
}

int
store_basket_save(struct store *st, struct store_conn *c,
    const struct basket *b)
{
	const struct store_driver *d = store_drv(st);
	struct stored old = { d, { 0 }, 0 };
	struct store_val p[5];
	size_t i, j;
	int found;

	p[0] = SV_I(b->id);
	if (d->exec(c, "SELECT slot_id FROM basket_items WHERE basket_id = $1",
		p, 1, stored_row, &old) != 0)
		return -1;
	for (i = 0; i < old.n; i++) {
		for (found = 0, j = 0; j < b->n && !found; j++)
			found = b->items[j].slot_id == old.slot[i];
		if (found)
			continue;
		p[1] = SV_I(old.slot[i]);
		if (d->exec(c,
			"DELETE FROM basket_items WHERE basket_id = $1"
			" AND slot_id = $2",
			p, 2, NULL, NULL) != 0)
			return -1;
	}
	for (j = 0; j < b->n; j++) {
		p[1] = SV_I(b->items[j].slot_id);
		p[2] = b->items[j].candidate_id > 0
		    ? SV_I(b->items[j].candidate_id)
		    : SV_T(NULL);
		p[3] = SV_I((int64_t)j);
		p[4] = SV_I(b->first_added_at);
		/* New items take the basket's clock as their time added. */
		if (d->exec(c,
			"INSERT INTO basket_items (basket_id, slot_id,"
			" candidate_id, position, added_at)"
			" VALUES ($1, $2, $3, $4, $5)"
			" ON CONFLICT (basket_id, slot_id) DO UPDATE SET"
			" candidate_id = excluded.candidate_id,"
			" position = excluded.position",
			p, 5, NULL, NULL) != 0)
			return -1;
	}
	p[1] = b->n > 0 ? SV_I(b->first_added_at) : SV_T(NULL);
	p[2] =
	    b->n == 0 && b->expired_at > 0 ? SV_I(b->expired_at) : SV_T(NULL);
	return d->exec(c,
	    "UPDATE baskets SET first_added_at = $2, expired_at = $3,"
	    " warned = CASE WHEN $2 IS NULL OR first_added_at IS NULL OR"
	    " first_added_at <> $2 THEN 0 ELSE warned END WHERE id = $1",
	    p, 3, NULL, NULL);
}

int
store_basket_warned(struct store *st, struct store_conn *c, int64_t id)
{
	struct store_val p[1] = { SV_I(id) };

	return store_drv(st)->exec(c,
	    "UPDATE baskets SET warned = 1 WHERE id = $1", p, 1, NULL, NULL);
}

/* Reading slots for the rules. */
struct slots_out {
	const struct store_driver *d;
	struct bk_slot *out;
	const int64_t *ids;
	size_t n;
};

static int
slot_row(void *arg, const struct store_row *r)
{
	struct slots_out *o = arg;
	struct bk_slot tmp;
	size_t i;

	memset(&tmp, 0, sizeof(tmp));
	tmp.id = o->d->row_int(r, 0);
	if (store_row_copy_text(tmp.department, sizeof(tmp.department), o->d, r,
		1) != 0 ||
	    store_row_copy_text(tmp.category, sizeof(tmp.category), o->d, r,
		2) != 0)
		return -1;
	tmp.start_at = o->d->row_int(r, 3);
	tmp.published_at = o->d->row_int(r, 4);
	tmp.state = slot_state_parse(o->d->row_text(r, 5));
	/* The same id may be asked twice in one action: fill each place. */
	for (i = 0; i < o->n; i++)
		if (o->ids[i] == tmp.id)
			o->out[i] = tmp;
	return 0;
}

int
store_slots_read(struct store *st, struct store_conn *c, const int64_t *ids,
    size_t n, struct bk_slot *out)
{
	struct slots_out o = { store_drv(st), out, ids, n };
	struct store_val p[1];
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].id = ids[i];
		out[i].state = SLOT_CANCELLED;
	}
	for (i = 0; i < n; i++) {
		p[0] = SV_I(ids[i]);
		if (store_drv(st)->exec(c,
			"SELECT s.id, e.department, s.category, s.start_at,"
			" s.published_at, s.state FROM slots s"
			" JOIN exam_centres e ON e.id = s.centre_id"
			" WHERE s.id = $1",
			p, 1, slot_row, &o) != 0)
			return -1;
	}
	return 0;
}

int
store_slot_move(struct store *st, struct store_conn *c, int64_t id,
    enum slot_state from, enum slot_state to, int64_t basket_id)
{
	struct store_val p[4];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[0] = SV_I(id);
	p[1] = SV_T(store_slot_state_name(from));
	p[2] = SV_T(store_slot_state_name(to));
	p[3] = basket_id > 0 ? SV_I(basket_id) : SV_T(NULL);
	if (store_drv(st)->exec(c,
		"UPDATE slots SET state = $3, basket_id = $4"
		" WHERE id = $1 AND state = $2 RETURNING id",
		p, 4, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct ids_out {
	const struct store_driver *d;
	int (*fn)(void *arg, int64_t id);
	void *arg;
};

static int
id_row(void *arg, const struct store_row *r)
{
	struct ids_out *o = arg;

	return o->fn(o->arg, o->d->row_int(r, 0));
}

int
store_baskets_started_before(struct store *st, struct store_conn *c,
    int64_t first_before, int warned, long limit,
    int (*fn)(void *arg, int64_t id), void *arg)
{
	struct ids_out o = { store_drv(st), fn, arg };
	struct store_val p[3] = { SV_I(first_before), SV_I(warned ? 1 : 0),
		SV_I(limit) };

	return store_drv(st)->exec(c,
	    "SELECT id FROM baskets WHERE first_added_at IS NOT NULL"
	    " AND first_added_at <= $1 AND warned <= $2"
	    " ORDER BY first_added_at, id LIMIT $3",
	    p, 3, id_row, &o);
}

struct search {
	const struct store_driver *d;
	int (*fn)(void *arg, const struct store_slot_found *f);
	void *arg;
};

static int
search_row(void *arg, const struct store_row *r)
{
	struct search *s = arg;
	struct store_slot_found f;

	memset(&f, 0, sizeof(f));
	f.slot.id = s->d->row_int(r, 0);
	if (store_row_copy_text(f.slot.department, sizeof(f.slot.department),
		s->d, r, 1) != 0 ||
	    store_row_copy_text(f.slot.category, sizeof(f.slot.category), s->d,
		r, 2) != 0)
		return -1;
	f.slot.start_at = s->d->row_int(r, 3);
	f.slot.published_at = s->d->row_int(r, 4);
	f.slot.state = SLOT_FREE;
	f.centre_id = s->d->row_int(r, 5);
	f.centre_name = s->d->row_text(r, 6);
	return s->fn(s->arg, &f);
}

int
store_slots_search(struct store *st, struct store_conn *c,
    const struct store_slot_search *q,
    int (*fn)(void *arg, const struct store_slot_found *f), void *arg)
{
	struct search s = { store_drv(st), fn, arg };
	struct store_val p[7];

	p[0] = SV_T(q->department ? q->department : "");
	p[1] = SV_I(q->centre_id);
	p[2] = SV_T(q->category ? q->category : "");
	p[3] = SV_I(q->from);
	p[4] = SV_I(q->to > 0 ? q->to : INT64_MAX);
	p[5] = SV_I(q->published_before);
	p[6] = SV_I(q->limit);
	/* Two texts: with a category, the search reads the range (state,
	 * category, start_at) of slots_search; "($3 = '' OR s.category =
	 * $3)" would read every free slot of the country (bench/scale). */
	/* With a department too, its centres first (CROSS JOIN keeps that
	 * order in SQLite), then each centre's range of slots_centre: what
	 * is read is the department's slots of the period, not the
	 * country's free slots of the category (bench/scale). */
	if (q->department != NULL && q->department[0] != '\0' &&
	    q->category != NULL && q->category[0] != '\0')
		return store_drv(st)->exec(c,
		    "SELECT s.id, e.department, s.category, s.start_at,"
		    " s.published_at, e.id, e.name FROM exam_centres e"
		    " CROSS JOIN slots s"
		    " WHERE e.department = $1 AND s.centre_id = e.id"
		    " AND ($2 = 0 OR e.id = $2)"
		    " AND s.start_at >= $4 AND s.start_at < $5"
		    " AND s.state = 'free' AND s.category = $3"
		    " AND s.published_at <= $6"
		    " ORDER BY s.start_at, s.id LIMIT $7",
		    p, 7, search_row, &s);
	return store_drv(st)->exec(c,
	    q->category != NULL && q->category[0] != '\0'
		? "SELECT s.id, e.department, s.category, s.start_at,"
		  " s.published_at, e.id, e.name FROM slots s"
		  " JOIN exam_centres e ON e.id = s.centre_id"
		  " WHERE s.state = 'free' AND s.category = $3"
		  " AND s.start_at >= $4 AND s.start_at < $5"
		  " AND s.published_at <= $6"
		  " AND ($1 = '' OR e.department = $1)"
		  " AND ($2 = 0 OR e.id = $2)"
		  " ORDER BY s.start_at, s.id LIMIT $7"
		: "SELECT s.id, e.department, s.category, s.start_at,"
		  " s.published_at, e.id, e.name FROM slots s"
		  " JOIN exam_centres e ON e.id = s.centre_id"
		  " WHERE s.state = 'free' AND s.start_at >= $4"
		  " AND s.start_at < $5 AND s.published_at <= $6"
		  " AND ($1 = '' OR e.department = $1)"
		  " AND ($2 = 0 OR e.id = $2)"
		  " AND ($3 = '' OR s.category = $3)"
		  " ORDER BY s.start_at, s.id LIMIT $7",
	    p, 7, search_row, &s);
}
