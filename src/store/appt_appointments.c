/* appt_appointments.c (store) - SQL for appointments, their agents and
 * participants, holds and busy times. */
#include "store/appt_appointments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/appt_rows.h"
#include "store/driver.h"

#define ACTIVE "('a_venir', 'vu', 'non_venu')"

#define COLS                                                                   \
	"id, org_id, motif_id, place_id, location_type, home_address,"         \
	" address_user_id, start_at, duration_min, end_at, status,"            \
	" collective, capacity, created_by, created_via, created_at,"          \
	" updated_at"

int
store_appt_status_active(const char *s)
{
	return strcmp(s, "a_venir") == 0 || strcmp(s, "vu") == 0 ||
	    strcmp(s, "non_venu") == 0;
}

void
store_appt_clear(struct store_appt *a)
{
	if (a == NULL)
		return;
	if (a->home_address.p != NULL) {
		sodium_memzero(a->home_address.p, a->home_address.len);
		free(a->home_address.p);
	}
	memset(a, 0, sizeof(*a));
}

static struct store_val
opt_id(int64_t v)
{
	return v > 0 ? SV_I(v) : SV_T(NULL);
}

struct one {
	const struct store_driver *d;
	struct store_appt *out;
	int found;
};

static int
one_row(void *arg, const struct store_row *r)
{
	struct one *o = arg;
	const struct store_driver *d = o->d;
	struct store_appt *a = o->out;
	const void *p;
	size_t n = 0;

	o->found = 1;
	a->id = d->row_int(r, 0);
	a->motif_id = d->row_int(r, 2);
	a->place_id = store_appt_opt_int(d, r, 3);
	a->address_user_id = store_appt_opt_int(d, r, 6);
	a->start_at = d->row_int(r, 7);
	a->duration_min = d->row_int(r, 8);
	a->end_at = d->row_int(r, 9);
	a->collective = (int)d->row_int(r, 11);
	a->capacity = d->row_int(r, 12);
	a->created_at = d->row_int(r, 15);
	a->updated_at = d->row_int(r, 16);
	if (store_row_copy_text(a->org_id, sizeof(a->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(a->location_type, sizeof(a->location_type), d,
		r, 4) != 0 ||
	    store_row_copy_text(a->status, sizeof(a->status), d, r, 10) != 0 ||
	    store_row_copy_text(a->created_by, sizeof(a->created_by), d, r,
		13) != 0 ||
	    store_row_copy_text(a->created_via, sizeof(a->created_via), d, r,
		14) != 0)
		return -1;
	if (!d->row_is_null(r, 5)) {
		p = d->row_blob(r, 5, &n);
		if ((a->home_address.p = malloc(n > 0 ? n : 1)) == NULL)
			return -1;
		if (n > 0)
			memcpy(a->home_address.p, p, n);
		a->home_address.len = n;
	}
	return 0;
}

int
store_appt_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_appt *out)
{
	struct store_val p[1] = { SV_I(id) };
	struct one o = { store_drv(st), out, 0 };

	memset(out, 0, sizeof(*out));
	if (store_drv(st)->exec(c,
		"SELECT " COLS " FROM appt_appointments WHERE id = $1", p, 1,
		one_row, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

static struct store_val
blob_val(const struct store_blob *b)
{
	return b->p != NULL ? SV_B(b->p, b->len) : SV_T(NULL);
}

int
store_appt_insert(struct store *st, struct store_conn *c,
    const struct store_appt *a, int64_t *id)
{
	struct store_val p[15];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[0] = SV_T(a->org_id);
	p[1] = SV_I(a->motif_id);
	p[2] = opt_id(a->place_id);
	p[3] = SV_T(a->location_type);
	p[4] = blob_val(&a->home_address);
	p[5] = opt_id(a->address_user_id);
	p[6] = SV_I(a->start_at);
	p[7] = SV_I(a->duration_min);
	p[8] = SV_I(a->end_at);
	p[9] = SV_T(a->status);
	p[10] = SV_I(a->collective);
	p[11] = SV_I(a->capacity);
	p[12] = SV_T(a->created_by);
	p[13] = SV_T(a->created_via);
	p[14] = SV_I(a->created_at);
	if (store_drv(st)->exec(c,
		"INSERT INTO appt_appointments (org_id, motif_id, place_id,"
		" location_type, home_address, address_user_id, start_at,"
		" duration_min, end_at, status, collective, capacity,"
		" created_by, created_via, created_at, updated_at) VALUES ($1,"
		" $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
		" $15) RETURNING id",
		p, 15, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	*id = o.v;
	return 0;
}

int
store_appt_update(struct store *st, struct store_conn *c,
    const struct store_appt *a)
{
	struct store_val p[8];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[0] = SV_I(a->id);
	p[1] = SV_I(a->start_at);
	p[2] = SV_I(a->duration_min);
	p[3] = SV_I(a->end_at);
	p[4] = SV_T(a->status);
	p[5] = blob_val(&a->home_address);
	p[6] = opt_id(a->address_user_id);
	p[7] = SV_I(a->updated_at);
	if (store_drv(st)->exec(c,
		"UPDATE appt_appointments SET start_at = $2, duration_min = $3,"
		" end_at = $4, status = $5, home_address = $6,"
		" address_user_id = $7, updated_at = $8 WHERE id = $1"
		" RETURNING id",
		p, 8, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_appt_agent_add(struct store *st, struct store_conn *c, int64_t id,
    const char *agent_id)
{
	struct store_val p[2] = { SV_I(id), SV_T(agent_id) };

	return store_drv(st)->exec(c,
	    "INSERT INTO appt_appointment_agents (appointment_id, agent_id)"
	    " VALUES ($1, $2)",
	    p, 2, NULL, NULL);
}

int
store_appt_agent_remove(struct store *st, struct store_conn *c, int64_t id,
    const char *agent_id)
{
	struct store_val p[2] = { SV_I(id), SV_T(agent_id) };

	return store_drv(st)->exec(c,
	    "DELETE FROM appt_appointment_agents WHERE appointment_id = $1"
	    " AND agent_id = $2",
	    p, 2, NULL, NULL);
}

struct agents {
	const struct store_driver *d;
	char (*v)[STORE_ID_MAX];
	size_t max, n;
};

static int
agent_row(void *arg, const struct store_row *r)
{
	struct agents *x = arg;

	if (x->n >= x->max)
		return 1;
	if (store_row_copy_text(x->v[x->n], STORE_ID_MAX, x->d, r, 0) != 0)
		return -1;
	x->n++;
	return 0;
}

int
store_appt_agents(struct store *st, struct store_conn *c, int64_t id,
    char (*agents)[STORE_ID_MAX], size_t max, size_t *n)
{
	struct store_val p[1] = { SV_I(id) };
	struct agents x = { store_drv(st), agents, max, 0 };
	int rc = store_drv(st)->exec(c,
	    "SELECT agent_id FROM appt_appointment_agents"
	    " WHERE appointment_id = $1 ORDER BY agent_id",
	    p, 1, agent_row, &x);

	*n = x.n;
	return rc < 0 ? -1 : 0;
}

int
store_appt_participant_add(struct store *st, struct store_conn *c, int64_t id,
    int64_t user_id, const char *booked_by, int64_t now)
{
	struct store_val p[4] = { SV_I(id), SV_I(user_id), SV_T(booked_by),
		SV_I(now) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"INSERT INTO appt_participants (appointment_id, user_id,"
		" booked_by, booked_at) VALUES ($1, $2, $3, $4)"
		" ON CONFLICT DO NOTHING RETURNING user_id",
		p, 4, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_appt_participant_remove(struct store *st, struct store_conn *c,
    int64_t id, int64_t user_id)
{
	struct store_val p[2] = { SV_I(id), SV_I(user_id) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"DELETE FROM appt_participants WHERE appointment_id = $1 AND"
		" user_id = $2 RETURNING user_id",
		p, 2, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_appt_participants(struct store *st, struct store_conn *c, int64_t id,
    int64_t *users, size_t max, size_t *n)
{
	struct store_val p[1] = { SV_I(id) };

	return store_appt_read_ids(st, c,
	    "SELECT user_id FROM appt_participants WHERE appointment_id = $1"
	    " ORDER BY user_id",
	    p, 1, users, max, n);
}

int
store_appt_lock(struct store *st, struct store_conn *c,
    const char (*agents)[STORE_ID_MAX], size_t n, const int64_t *users,
    size_t m)
{
	const struct store_driver *d = store_drv(st);
	struct store_val p[1];
	size_t i;

	if (d->dialect != DIALECT_POSTGRES)
		return 0;
	/* Callers pass agents and users sorted, so two transactions take
	 * the locks in the same order and never wait on each other in a
	 * circle. */
	for (i = 0; i < n; i++) {
		p[0] = SV_T(agents[i]);
		if (d->exec(c,
			"SELECT account_id FROM appt_agents WHERE account_id ="
			" $1 FOR UPDATE",
			p, 1, NULL, NULL) != 0)
			return -1;
	}
	for (i = 0; i < m; i++) {
		p[0] = SV_I(users[i]);
		if (d->exec(c,
			"SELECT id FROM appt_users WHERE id = $1 FOR UPDATE", p,
			1, NULL, NULL) != 0)
			return -1;
	}
	return 0;
}

int
store_appt_agent_busy(struct store *st, struct store_conn *c,
    const char *agent_id, int64_t start, int64_t end, int64_t exclude_id,
    int64_t exclude_hold, int64_t now)
{
	struct store_val p[6] = { SV_T(agent_id), SV_I(start), SV_I(end),
		SV_I(exclude_id), SV_I(exclude_hold), SV_I(now) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"SELECT 1 FROM appt_appointment_agents g JOIN"
		" appt_appointments a ON a.id = g.appointment_id"
		" WHERE g.agent_id = $1 AND a.start_at < $3 AND a.end_at > $2"
		" AND a.id <> $4 AND a.status IN " ACTIVE
		" UNION ALL SELECT 1 FROM appt_holds WHERE agent_id = $1 AND"
		" start_at < $3 AND end_at > $2 AND id <> $5 AND"
		" expires_at > $6 AND session_id IS NULL LIMIT 1",
		p, 6, store_row_int, &o) != 0)
		return -1;
	return o.found;
}

int
store_appt_user_busy(struct store *st, struct store_conn *c, int64_t user_id,
    int64_t start, int64_t end, int64_t exclude_id)
{
	struct store_val p[4] = { SV_I(user_id), SV_I(start), SV_I(end),
		SV_I(exclude_id) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"SELECT 1 FROM appt_participants u JOIN appt_appointments a"
		" ON a.id = u.appointment_id WHERE u.user_id = $1 AND"
		" a.start_at < $3 AND a.end_at > $2 AND a.id <> $4 AND"
		" a.status IN " ACTIVE " LIMIT 1",
		p, 4, store_row_int, &o) != 0)
		return -1;
	return o.found;
}

struct busy {
	const struct store_driver *d;
	struct appt_interval *v;
	size_t max, n;
	int more;
};

static int
busy_row(void *arg, const struct store_row *r)
{
	struct busy *b = arg;

	if (b->n >= b->max) {
		b->more = 1;
		return 1;
	}
	b->v[b->n].start = b->d->row_int(r, 0);
	b->v[b->n].end = b->d->row_int(r, 1);
	b->n++;
	return 0;
}

int
store_appt_agent_busy_list(struct store *st, struct store_conn *c,
    const char *agent_id, int64_t from, int64_t to, int64_t now,
    struct appt_interval *v, size_t max, size_t *n)
{
	struct store_val p[4] = { SV_T(agent_id), SV_I(from), SV_I(to),
		SV_I(now) };
	struct busy b = { store_drv(st), v, max, 0, 0 };
	int rc = store_drv(st)->exec(c,
	    "SELECT a.start_at, a.end_at FROM appt_appointment_agents g JOIN"
	    " appt_appointments a ON a.id = g.appointment_id"
	    " WHERE g.agent_id = $1 AND a.start_at < $3 AND a.end_at > $2"
	    " AND a.status IN " ACTIVE
	    " UNION ALL SELECT start_at, end_at FROM appt_holds"
	    " WHERE agent_id = $1 AND start_at < $3 AND end_at > $2 AND"
	    " expires_at > $4 AND session_id IS NULL",
	    p, 4, busy_row, &b);

	*n = b.n;
	if (rc < 0)
		return -1;
	return b.more ? 1 : 0;
}

int
store_appt_place_busy_list(struct store *st, struct store_conn *c,
    int64_t place_id, int64_t from, int64_t to, int64_t exclude_id,
    int64_t exclude_hold, int64_t now, struct appt_interval *v, size_t max,
    size_t *n)
{
	struct store_val p[6] = { SV_I(place_id), SV_I(from), SV_I(to),
		SV_I(exclude_id), SV_I(exclude_hold), SV_I(now) };
	struct busy b = { store_drv(st), v, max, 0, 0 };
	/* A collective session takes one room whatever its participants,
	 * and a seat held in it takes none of its own. */
	int rc = store_drv(st)->exec(c,
	    "SELECT start_at, end_at FROM appt_appointments"
	    " WHERE place_id = $1 AND start_at < $3 AND end_at > $2"
	    " AND id <> $4 AND status IN " ACTIVE
	    " UNION ALL SELECT start_at, end_at FROM appt_holds"
	    " WHERE place_id = $1 AND start_at < $3 AND end_at > $2 AND"
	    " id <> $5 AND expires_at > $6 AND session_id IS NULL",
	    p, 6, busy_row, &b);

	*n = b.n;
	if (rc < 0)
		return -1;
	return b.more ? 1 : 0;
}

int
store_appt_session_holds(struct store *st, struct store_conn *c,
    int64_t session_id, int64_t exclude_hold, int64_t now, int64_t *n)
{
	struct store_val p[3] = { SV_I(session_id), SV_I(exclude_hold),
		SV_I(now) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	*n = 0;
	if (store_drv(st)->exec(c,
		"SELECT COUNT(*) FROM appt_holds WHERE session_id = $1"
		" AND id <> $2 AND expires_at > $3",
		p, 3, store_row_int, &o) != 0)
		return -1;
	*n = o.v;
	return 0;
}

struct listed {
	const struct store_driver *d;
	store_appt_fn fn;
	void *arg;
	int rc;
};

static int
listed_row(void *arg, const struct store_row *r)
{
	struct listed *l = arg;
	const struct store_driver *d = l->d;
	struct store_appt_listed a;

	memset(&a, 0, sizeof(a));
	a.id = d->row_int(r, 0);
	a.motif_id = d->row_int(r, 1);
	a.place_id = store_appt_opt_int(d, r, 2);
	a.start_at = d->row_int(r, 4);
	a.duration_min = d->row_int(r, 5);
	a.collective = (int)d->row_int(r, 7);
	a.capacity = d->row_int(r, 8);
	a.participants = d->row_int(r, 9);
	if (store_row_copy_text(a.location_type, sizeof(a.location_type), d, r,
		3) != 0 ||
	    store_row_copy_text(a.status, sizeof(a.status), d, r, 6) != 0 ||
	    store_row_copy_text(a.org_id, sizeof(a.org_id), d, r, 10) != 0 ||
	    store_row_copy_text(a.motif_name, sizeof(a.motif_name), d, r, 11) !=
		0 ||
	    store_row_copy_text(a.place_name, sizeof(a.place_name), d, r, 12) !=
		0 ||
	    store_row_copy_text(a.place_address, sizeof(a.place_address), d, r,
		13) != 0)
		return -1;
	return l->rc = l->fn(l->arg, &a);
}

/* The motif's name, the place's name and address, by their primary keys
 * (columns 11 to 13 of every listed row). */
#define LISTED_NAMES                                                           \
	" COALESCE((SELECT m.name FROM appt_motifs m WHERE m.id ="             \
	" a.motif_id), ''), COALESCE((SELECT l.name FROM appt_places l"        \
	" WHERE l.id = a.place_id), ''), COALESCE((SELECT l.address FROM"      \
	" appt_places l WHERE l.id = a.place_id), '')"

#define LISTED                                                                 \
	"SELECT a.id, a.motif_id, a.place_id, a.location_type, a.start_at,"    \
	" a.duration_min, a.status, a.collective, a.capacity,"                 \
	" (SELECT COUNT(*) FROM appt_participants x"                           \
	" WHERE x.appointment_id = a.id), a.org_id," LISTED_NAMES              \
	" FROM appt_appointments a"

int
store_appt_list_org(struct store *st, struct store_conn *c, const char *org_id,
    const char *agent_id, int64_t from, int64_t to, long limit,
    store_appt_fn fn, void *arg)
{
	struct store_val p[5] = { SV_T(org_id), SV_I(from), SV_I(to),
		SV_I(limit), SV_T(agent_id) };
	struct listed l = { store_drv(st), fn, arg, 0 };
	int rc = store_drv(st)->exec(c,
	    LISTED " WHERE a.org_id = $1 AND a.start_at >= $2 AND"
		   " a.start_at < $3 AND ($5 IS NULL OR a.id IN (SELECT"
		   " appointment_id FROM appt_appointment_agents WHERE"
		   " agent_id = $5)) ORDER BY a.start_at, a.id LIMIT $4",
	    p, 5, listed_row, &l);

	if (l.rc != 0)
		return l.rc;
	return rc < 0 ? -1 : 0;
}

int
store_appt_sessions_open(struct store *st, struct store_conn *c,
    const char *org_id, int64_t motif_id, int64_t place_id, int64_t from,
    int64_t to, int64_t now, long limit, store_appt_fn fn, void *arg)
{
	struct store_val p[7] = { SV_T(org_id), SV_I(motif_id), SV_I(place_id),
		SV_I(from), SV_I(to), SV_I(now), SV_I(limit) };
	struct listed l = { store_drv(st), fn, arg, 0 };
	/* Seats taken: the participants, and the seats held online. */
	int rc = store_drv(st)->exec(c,
	    "SELECT a.id, a.motif_id, a.place_id, a.location_type,"
	    " a.start_at, a.duration_min, a.status, a.collective, a.capacity,"
	    " (SELECT COUNT(*) FROM appt_participants x"
	    " WHERE x.appointment_id = a.id) + (SELECT COUNT(*) FROM"
	    " appt_holds h WHERE h.session_id = a.id AND h.expires_at > $6),"
	    " a.org_id," LISTED_NAMES " FROM appt_appointments a"
	    " WHERE a.org_id = $1 AND a.motif_id = $2 AND a.collective = 1"
	    " AND a.status = 'a_venir' AND ($3 = 0 OR a.place_id = $3)"
	    " AND a.start_at >= $4 AND a.start_at < $5"
	    " ORDER BY a.start_at, a.id LIMIT $7",
	    p, 7, listed_row, &l);

	if (l.rc != 0)
		return l.rc;
	return rc < 0 ? -1 : 0;
}

int
store_appt_list_user(struct store *st, struct store_conn *c, int64_t user_id,
    long limit, store_appt_fn fn, void *arg)
{
	struct store_val p[2] = { SV_I(user_id), SV_I(limit) };
	struct listed l = { store_drv(st), fn, arg, 0 };
	int rc = store_drv(st)->exec(c,
	    LISTED " WHERE a.id IN (SELECT appointment_id FROM"
		   " appt_participants WHERE user_id = $1)"
		   " ORDER BY a.start_at DESC, a.id LIMIT $2",
	    p, 2, listed_row, &l);

	if (l.rc != 0)
		return l.rc;
	return rc < 0 ? -1 : 0;
}

int
store_appt_hold_insert(struct store *st, struct store_conn *c,
    const struct store_appt_hold *h, const unsigned char *hash, size_t hash_len,
    int64_t *id)
{
	struct store_val p[10];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[0] = SV_B(hash, hash_len);
	p[1] = SV_T(h->org_id);
	p[2] = SV_I(h->motif_id);
	p[3] = opt_id(h->place_id);
	p[4] = SV_T(h->agent_id);
	p[5] = SV_I(h->start_at);
	p[6] = SV_I(h->end_at);
	p[7] = SV_I(h->expires_at);
	p[8] = SV_I(h->created_at);
	p[9] = opt_id(h->session_id);
	if (store_drv(st)->exec(c,
		"INSERT INTO appt_holds (token_hash, org_id, motif_id,"
		" place_id, agent_id, start_at, end_at, expires_at,"
		" created_at, session_id) VALUES ($1, $2, $3, $4, $5, $6, $7,"
		" $8, $9, $10) RETURNING id",
		p, 10, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	*id = o.v;
	return 0;
}

struct hold_one {
	const struct store_driver *d;
	struct store_appt_hold *h;
	int found;
};

static int
hold_row(void *arg, const struct store_row *r)
{
	struct hold_one *o = arg;
	const struct store_driver *d = o->d;

	o->found = 1;
	o->h->id = d->row_int(r, 0);
	o->h->motif_id = d->row_int(r, 2);
	o->h->place_id = store_appt_opt_int(d, r, 3);
	o->h->start_at = d->row_int(r, 5);
	o->h->end_at = d->row_int(r, 6);
	o->h->expires_at = d->row_int(r, 7);
	o->h->created_at = d->row_int(r, 8);
	o->h->session_id = store_appt_opt_int(d, r, 9);
	if (store_row_copy_text(o->h->org_id, sizeof(o->h->org_id), d, r, 1) !=
		0 ||
	    store_row_copy_text(o->h->agent_id, sizeof(o->h->agent_id), d, r,
		4) != 0)
		return -1;
	return 0;
}

int
store_appt_hold_find(struct store *st, struct store_conn *c,
    const unsigned char *hash, size_t hash_len, struct store_appt_hold *out)
{
	struct store_val p[1] = { SV_B(hash, hash_len) };
	struct hold_one o = { store_drv(st), out, 0 };

	memset(out, 0, sizeof(*out));
	if (store_drv(st)->exec(c,
		"SELECT id, org_id, motif_id, place_id, agent_id, start_at,"
		" end_at, expires_at, created_at, session_id FROM appt_holds"
		" WHERE token_hash = $1",
		p, 1, hold_row, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_appt_hold_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_appt_hold *out)
{
	struct store_val p[1] = { SV_I(id) };
	struct hold_one o = { store_drv(st), out, 0 };

	memset(out, 0, sizeof(*out));
	if (store_drv(st)->exec(c,
		"SELECT id, org_id, motif_id, place_id, agent_id, start_at,"
		" end_at, expires_at, created_at FROM appt_holds"
		" WHERE id = $1",
		p, 1, hold_row, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_appt_hold_extend(struct store *st, struct store_conn *c, int64_t id,
    int64_t expires_at)
{
	struct store_val p[2] = { SV_I(id), SV_I(expires_at) };

	return store_drv(st)->exec(c,
	    "UPDATE appt_holds SET expires_at = $2 WHERE id = $1", p, 2, NULL,
	    NULL);
}

int
store_appt_hold_delete(struct store *st, struct store_conn *c, int64_t id)
{
	struct store_val p[1] = { SV_I(id) };

	return store_drv(st)->exec(c, "DELETE FROM appt_holds WHERE id = $1", p,
	    1, NULL, NULL);
}

int
store_appt_holds_expire(struct store *st, struct store_conn *c, int64_t now,
    long *n)
{
	struct store_val p[1] = { SV_I(now) };

	*n = 0;
	return store_drv(st)->exec(c,
	    "DELETE FROM appt_holds WHERE expires_at <= $1 RETURNING id", p, 1,
	    store_appt_count_row, n);
}
