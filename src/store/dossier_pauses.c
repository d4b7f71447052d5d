/* dossier_pauses.c - SQL for respite times (dossier_pauses). */
#include "store/dossier_pauses.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

#define COLS                                                                   \
	"p.id, p.org_id, p.family_dossier_id, p.volunteer_dossier_id,"         \
	" f.account_id, v.account_id, p.start_at, p.duration, p.place,"        \
	" p.note, p.state, p.created_at, p.decided_at"
#define FROM                                                                   \
	" FROM dossier_pauses p JOIN dossiers f ON f.id = p.family_dossier_id" \
	" LEFT JOIN dossiers v ON v.id = p.volunteer_dossier_id"

void
store_pause_clear(struct store_pause *p)
{
	store_blob_wipe(&p->place);
	store_blob_wipe(&p->note);
}

static int
copy_blob(const struct store_driver *drv, const struct store_row *r, int col,
    struct store_blob *b)
{
	const void *p;
	size_t n = 0;

	if (drv->row_is_null(r, col))
		return 0;
	p = drv->row_blob(r, col, &n);
	if ((b->p = malloc(n + 1)) == NULL)
		return -1;
	if (n > 0 && p != NULL)
		memcpy(b->p, p, n);
	b->len = n;
	return 0;
}

static int64_t
opt_int(const struct store_driver *drv, const struct store_row *r, int col)
{
	return drv->row_is_null(r, col) ? 0 : drv->row_int(r, col);
}

static int
get_row(const struct store_driver *drv, const struct store_row *r,
    struct store_pause *p)
{
	memset(p, 0, sizeof(*p));
	p->id = drv->row_int(r, 0);
	if (store_row_copy_text(p->org_id, sizeof(p->org_id), drv, r, 1) != 0 ||
	    store_row_copy_text(p->family_account, sizeof(p->family_account),
		drv, r, 4) != 0 ||
	    (!drv->row_is_null(r, 5) &&
		store_row_copy_text(p->volunteer_account,
		    sizeof(p->volunteer_account), drv, r, 5) != 0) ||
	    copy_blob(drv, r, 8, &p->place) != 0 ||
	    copy_blob(drv, r, 9, &p->note) != 0 ||
	    pause_state_parse(drv->row_text(r, 10), &p->state) != 0) {
		store_pause_clear(p);
		return -1;
	}
	p->family_dossier = drv->row_int(r, 2);
	p->volunteer_dossier = opt_int(drv, r, 3);
	p->start_at = drv->row_int(r, 6);
	p->duration = (long)drv->row_int(r, 7);
	p->created_at = drv->row_int(r, 11);
	p->decided_at = opt_int(drv, r, 12);
	return 0;
}

int
store_pause_insert(struct store *st, struct store_conn *c,
    struct store_pause *p)
{
	struct store_val v[5];
	struct store_int_out o = { store_drv(st), 0, 0 };

	v[0] = SV_T(p->org_id);
	v[1] = SV_I(p->family_dossier);
	v[2] = SV_I(p->start_at);
	v[3] = SV_I((int64_t)p->duration);
	v[4] = SV_I(p->created_at);
	if (store_drv(st)->exec(c,
		"INSERT INTO dossier_pauses (org_id, family_dossier_id,"
		" start_at, duration, state, created_at) VALUES ($1, $2, $3,"
		" $4, 'demandee', $5) RETURNING id",
		v, 5, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	p->id = o.v;
	p->state = PAUSE_DEMANDEE;
	return 0;
}

static struct store_val
opt_blob(const struct store_blob *b)
{
	return b->p != NULL ? SV_B(b->p, b->len) : SV_T(NULL);
}

int
store_pause_seal(struct store *st, struct store_conn *c,
    const struct store_pause *p)
{
	struct store_val v[3] = { SV_I(p->id), opt_blob(&p->place),
		opt_blob(&p->note) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"UPDATE dossier_pauses SET place = $2, note = $3 WHERE id = $1"
		" RETURNING id",
		v, 3, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct one {
	const struct store_driver *drv;
	struct store_pause *p;
	int found;
};

static int
one_row(void *arg, const struct store_row *r)
{
	struct one *o = arg;

	if (o->found)
		return 0;
	if (get_row(o->drv, r, o->p) != 0)
		return -1;
	o->found = 1;
	return 0;
}

int
store_pause_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_pause *p)
{
	struct store_val v[1] = { SV_I(id) };
	struct one o = { store_drv(st), p, 0 };

	memset(p, 0, sizeof(*p));
	if (store_drv(st)->exec(c, "SELECT " COLS FROM " WHERE p.id = $1", v, 1,
		one_row, &o) != 0) {
		if (o.found)
			store_pause_clear(p);
		return -1;
	}
	return o.found ? 0 : 1;
}

int
store_pause_accept(struct store *st, struct store_conn *c, int64_t id,
    int64_t volunteer_dossier, int64_t now)
{
	struct store_val v[3] = { SV_I(id), SV_I(volunteer_dossier),
		SV_I(now) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"UPDATE dossier_pauses SET state = 'acceptee',"
		" volunteer_dossier_id = $2, decided_at = $3 WHERE id = $1 AND"
		" state = 'demandee' AND volunteer_dossier_id IS NULL"
		" RETURNING id",
		v, 3, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_pause_cancel(struct store *st, struct store_conn *c, int64_t id,
    enum pause_state from, int64_t now)
{
	struct store_val v[3] = { SV_I(id), SV_T(pause_state_name(from)),
		SV_I(now) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"UPDATE dossier_pauses SET state = 'annulee', decided_at = $3"
		" WHERE id = $1 AND state = $2 RETURNING id",
		v, 3, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct each {
	const struct store_driver *drv;
	store_pause_fn fn;
	void *arg;
};

static int
each_row(void *arg, const struct store_row *r)
{
	struct each *e = arg;
	struct store_pause p;
	int rc;

	if (get_row(e->drv, r, &p) != 0)
		return -1;
	rc = e->fn(e->arg, &p);
	store_pause_clear(&p);
	return rc;
}

int
store_pauses_list(struct store *st, struct store_conn *c,
    enum store_pause_list which, int64_t key, const char *org_id, int64_t now,
    long limit, store_pause_fn fn, void *arg)
{
	struct store_val v[2];
	struct each e = { store_drv(st), fn, arg };
	const char *sql;

	v[1] = SV_I(limit);
	switch (which) {
	case STORE_PAUSES_FAMILY:
		v[0] = SV_I(key);
		sql = "SELECT " COLS FROM " WHERE p.family_dossier_id = $1"
		      " ORDER BY p.start_at, p.id LIMIT $2";
		break;
	case STORE_PAUSES_VOLUNTEER:
		v[0] = SV_I(key);
		sql = "SELECT " COLS FROM " WHERE p.volunteer_dossier_id = $1"
		      " ORDER BY p.start_at, p.id LIMIT $2";
		break;
	case STORE_PAUSES_OPEN: {
		struct store_val w[3] = { SV_T(org_id), SV_I(now),
			SV_I(limit) };

		return store_drv(st)->exec(c,
		    "SELECT " COLS FROM " WHERE p.org_id = $1 AND"
		    " p.state = 'demandee' AND p.start_at > $2"
		    " ORDER BY p.start_at, p.id LIMIT $3",
		    w, 3, each_row, &e);
	}
	default:
		v[0] = SV_T(org_id);
		sql = "SELECT " COLS FROM " WHERE p.org_id = $1"
		      " ORDER BY p.start_at DESC, p.id LIMIT $2";
		break;
	}
	return store_drv(st)->exec(c, sql, v, 2, each_row, &e);
}

static int
count_row(void *arg, const struct store_row *r)
{
	(void)r;
	(*(long *)arg)++;
	return 0;
}

int
store_pauses_erase_of_account(struct store *st, struct store_conn *c,
    const char *account_id, int64_t now, long *n)
{
	struct store_val v[2] = { SV_T(account_id), SV_I(now) };

	*n = 0;
	if (store_drv(st)->exec(c,
		"UPDATE dossier_pauses SET state = CASE WHEN state ="
		" 'acceptee' AND start_at > $2 THEN 'annulee' ELSE state END,"
		" volunteer_dossier_id = NULL WHERE volunteer_dossier_id IN"
		" (SELECT id FROM dossiers WHERE account_id = $1)",
		v, 2, NULL, NULL) != 0)
		return -1;
	return store_drv(st)->exec(c,
	    "DELETE FROM dossier_pauses WHERE family_dossier_id IN (SELECT id"
	    " FROM dossiers WHERE account_id = $1) RETURNING id",
	    v, 1, count_row, n);
}

int
store_pauses_expire(struct store *st, struct store_conn *c, int64_t cutoff,
    long *n)
{
	struct store_val v[1] = { SV_I(cutoff) };

	*n = 0;
	return store_drv(st)->exec(c,
	    "DELETE FROM dossier_pauses WHERE start_at + duration * 60000 <= $1"
	    " RETURNING id",
	    v, 1, count_row, n);
}
