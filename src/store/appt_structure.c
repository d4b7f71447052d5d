/* appt_structure.c (store) - SQL for the organisation side of
 * appointments: services, places, agents, motifs, plages, absences. */
#include "store/appt_structure.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"

/* The table of each kind, and its key column. */
static const struct {
	const char *table, *key;
} kinds[] = {
	[STORE_APPT_SERVICE] = { "appt_services", "id" },
	[STORE_APPT_PLACE] = { "appt_places", "id" },
	[STORE_APPT_AGENT] = { "appt_agents", "account_id" },
	[STORE_APPT_MOTIF] = { "appt_motifs", "id" },
	[STORE_APPT_PLAGE] = { "appt_plages", "id" },
	[STORE_APPT_ABSENCE] = { "appt_absences", "id" },
};

/* A nullable integer column: 0 for NULL. */
static int64_t
int_or_zero(const struct store_driver *d, const struct store_row *r, int col)
{
	return d->row_is_null(r, col) ? 0 : d->row_int(r, col);
}

typedef int (*row_read_fn)(const struct store_driver *d,
    const struct store_row *r, void *rec);

/* Rows read into records: one (a get) or an array that grows (a list).
 * A row that does not read is flagged in bad, since the driver stops a
 * walk when a callback returns non-zero but reports success. */
struct walk {
	const struct store_driver *d;
	row_read_fn read;
	size_t size; /* of one record */
	void *one; /* a get: the record; NULL for a list */
	char *v; /* a list: n records, room for cap */
	size_t n, cap;
	int found, bad;
};

static int
walk_row(void *arg, const struct store_row *r)
{
	struct walk *w = arg;
	char *nv;
	size_t cap;

	w->found = 1;
	if (w->one != NULL) {
		w->bad = w->read(w->d, r, w->one) != 0;
		return w->bad;
	}
	if (w->n == w->cap) {
		cap = w->cap ? w->cap * 2 : 16;
		if (cap > SIZE_MAX / w->size ||
		    (nv = realloc(w->v, cap * w->size)) == NULL) {
			w->bad = 1;
			return 1;
		}
		w->v = nv;
		w->cap = cap;
	}
	w->bad = w->read(w->d, r, w->v + w->n * w->size) != 0;
	w->n += !w->bad;
	return w->bad;
}

/* Runs sql over p (n) into w (read, size and one set). Returns 0, 1
 * when a get found no row, or -1 (a list's array is then freed). */
static int
run(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t n, struct walk *w)
{
	w->d = store_drv(st);
	w->found = w->bad = 0;
	w->v = NULL;
	w->n = w->cap = 0;
	if (w->d->exec(c, sql, p, n, walk_row, w) != 0 || w->bad) {
		free(w->v);
		w->v = NULL;
		return -1;
	}
	return w->one != NULL && !w->found ? 1 : 0;
}

/* Runs sql over p (n) wanting one integer (RETURNING id, a count). */
static int
one_int(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t n, struct store_int_out *o)
{
	o->d = store_drv(st);
	o->v = 0;
	o->found = 0;
	return o->d->exec(c, sql, p, n, store_row_int, o);
}

/* Runs a statement with no rows wanted. */
static int
exec0(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t n)
{
	return store_drv(st)->exec(c, sql, p, n, NULL, NULL);
}

int
store_appt_archive(struct store *st, struct store_conn *c,
    enum store_appt_kind kind, const char *org_id, int64_t id,
    const char *account_id, int64_t now, int *was_live)
{
	struct store_val p[3];
	struct store_int_out o;
	char sql[256];

	if (was_live != NULL)
		*was_live = 0;
	if ((unsigned)kind >= sizeof(kinds) / sizeof(kinds[0]))
		return -1;
	p[0] = kind == STORE_APPT_AGENT ? SV_T(account_id) : SV_I(id);
	p[1] = SV_T(org_id);
	p[2] = SV_I(now);
	snprintf(sql, sizeof(sql),
	    "SELECT CASE WHEN archived_at IS NULL THEN 1 ELSE 0 END"
	    " FROM %s WHERE %s = $1 AND org_id = $2",
	    kinds[kind].table, kinds[kind].key);
	if (one_int(st, c, sql, p, 2, &o) != 0)
		return -1;
	if (!o.found)
		return 1;
	if (o.v == 0)
		return 0;
	snprintf(sql, sizeof(sql),
	    "UPDATE %s SET archived_at = $3 WHERE %s = $1 AND org_id = $2",
	    kinds[kind].table, kinds[kind].key);
	if (exec0(st, c, sql, p, 3) != 0)
		return -1;
	if (was_live != NULL)
		*was_live = 1;
	return 0;
}

int
store_appt_live(struct store *st, struct store_conn *c,
    enum store_appt_kind kind, const char *org_id, int64_t id)
{
	struct store_val p[2] = { SV_I(id), SV_T(org_id) };
	struct store_int_out o;
	char sql[200];

	if (kind != STORE_APPT_SERVICE && kind != STORE_APPT_PLACE &&
	    kind != STORE_APPT_MOTIF)
		return -1;
	snprintf(sql, sizeof(sql),
	    "SELECT 1 FROM %s WHERE id = $1 AND org_id = $2 AND"
	    " archived_at IS NULL",
	    kinds[kind].table);
	if (one_int(st, c, sql, p, 2, &o) != 0)
		return -1;
	return o.found;
}

/* Whether a live record of table other than id has the same values of
 * the unique columns: sql selects 1 with $1.. bound to p. */
static int
taken(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t n)
{
	struct store_int_out o;

	if (one_int(st, c, sql, p, n, &o) != 0)
		return -1;
	return o.found;
}

/* The live filter of lists: $2 is 1 for archived records too. */
#define LIVE " AND (archived_at IS NULL OR $2 = 1)"

/* Services. */

#define SERVICE_COLS "id, org_id, name, created_at, archived_at"

static int
service_read(const struct store_driver *d, const struct store_row *r, void *rec)
{
	struct store_appt_service *s = rec;

	memset(s, 0, sizeof(*s));
	s->id = d->row_int(r, 0);
	if (store_row_copy_text(s->org_id, sizeof(s->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(s->name, sizeof(s->name), d, r, 2) != 0)
		return -1;
	s->created_at = d->row_int(r, 3);
	s->archived_at = int_or_zero(d, r, 4);
	return 0;
}

int
store_appt_service_insert(struct store *st, struct store_conn *c,
    struct store_appt_service *s, int64_t now)
{
	struct store_val p[3] = { SV_T(s->org_id), SV_T(s->name), SV_I(now) };
	struct store_int_out o;
	int rc;

	rc = taken(st, c,
	    "SELECT 1 FROM appt_services WHERE org_id = $1 AND name = $2", p,
	    2);
	if (rc != 0)
		return rc;
	if (one_int(st, c,
		"INSERT INTO appt_services (org_id, name, created_at)"
		" VALUES ($1, $2, $3) RETURNING id",
		p, 3, &o) != 0 ||
	    !o.found)
		return -1;
	s->id = o.v;
	s->created_at = now;
	return 0;
}

int
store_appt_service_update(struct store *st, struct store_conn *c,
    const struct store_appt_service *s)
{
	struct store_val p[3] = { SV_T(s->org_id), SV_T(s->name), SV_I(s->id) };
	struct store_appt_service cur = { 0 };
	int rc;

	if ((rc = store_appt_service_get(st, c, s->org_id, s->id, &cur)) != 0)
		return rc;
	rc = taken(st, c,
	    "SELECT 1 FROM appt_services WHERE org_id = $1 AND name = $2"
	    " AND id <> $3",
	    p, 3);
	if (rc != 0)
		return rc < 0 ? -1 : 2;
	return exec0(st, c,
	    "UPDATE appt_services SET name = $2 WHERE org_id = $1 AND id = $3",
	    p, 3);
}

/* Places. */

#define PLACE_COLS                                                             \
	"id, org_id, name, address, phone, opening_notes, created_at,"         \
	" archived_at, rooms"

static int
place_read(const struct store_driver *d, const struct store_row *r, void *rec)
{
	struct store_appt_place *pl = rec;

	memset(pl, 0, sizeof(*pl));
	pl->id = d->row_int(r, 0);
	if (store_row_copy_text(pl->org_id, sizeof(pl->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(pl->name, sizeof(pl->name), d, r, 2) != 0 ||
	    store_row_copy_text(pl->address, sizeof(pl->address), d, r, 3) !=
		0 ||
	    store_row_copy_text(pl->phone, sizeof(pl->phone), d, r, 4) != 0 ||
	    store_row_copy_text(pl->opening_notes, sizeof(pl->opening_notes), d,
		r, 5) != 0)
		return -1;
	pl->created_at = d->row_int(r, 6);
	pl->archived_at = int_or_zero(d, r, 7);
	pl->rooms = (int)d->row_int(r, 8);
	return 0;
}

int
store_appt_place_insert(struct store *st, struct store_conn *c,
    struct store_appt_place *pl, int64_t now)
{
	struct store_val p[7] = { SV_T(pl->org_id), SV_T(pl->name),
		SV_T(pl->address), SV_T(pl->phone), SV_T(pl->opening_notes),
		SV_I(now), SV_I(pl->rooms) };
	struct store_int_out o;
	int rc;

	rc = taken(st, c,
	    "SELECT 1 FROM appt_places WHERE org_id = $1 AND name = $2", p, 2);
	if (rc != 0)
		return rc;
	if (one_int(st, c,
		"INSERT INTO appt_places (org_id, name, address, phone,"
		" opening_notes, created_at, rooms) VALUES ($1, $2, $3, $4,"
		" $5, $6, $7) RETURNING id",
		p, 7, &o) != 0 ||
	    !o.found)
		return -1;
	pl->id = o.v;
	pl->created_at = now;
	return 0;
}

int
store_appt_place_update(struct store *st, struct store_conn *c,
    const struct store_appt_place *pl)
{
	struct store_val p[7] = { SV_T(pl->org_id), SV_T(pl->name),
		SV_I(pl->id), SV_T(pl->address), SV_T(pl->phone),
		SV_T(pl->opening_notes), SV_I(pl->rooms) };
	struct store_appt_place cur = { 0 };
	int rc;

	if ((rc = store_appt_place_get(st, c, pl->org_id, pl->id, &cur)) != 0)
		return rc;
	rc = taken(st, c,
	    "SELECT 1 FROM appt_places WHERE org_id = $1 AND name = $2"
	    " AND id <> $3",
	    p, 3);
	if (rc != 0)
		return rc < 0 ? -1 : 2;
	return exec0(st, c,
	    "UPDATE appt_places SET name = $2, address = $4, phone = $5,"
	    " opening_notes = $6, rooms = $7 WHERE org_id = $1 AND id = $3",
	    p, 7);
}

/* Agents. */

int
store_appt_account_is_agent(struct store *st, struct store_conn *c,
    const char *org_id, const char *account_id)
{
	struct store_val p[2] = { SV_T(account_id), SV_T(org_id) };
	struct store_int_out o;

	if (one_int(st, c,
		"SELECT 1 FROM accounts a JOIN account_roles r ON"
		" r.account_id = a.id AND r.org_id = a.org_id"
		" WHERE a.id = $1 AND a.org_id = $2 AND a.status = 'active'"
		" AND r.role IN ('agent', 'agent_admin') LIMIT 1",
		p, 2, &o) != 0)
		return -1;
	return o.found;
}

/* Appends an id read from a row to a bounded list. */
struct ids {
	const struct store_driver *d;
	int64_t *v;
	size_t n, cap;
	int bad;
};

static int
id_row(void *arg, const struct store_row *r)
{
	struct ids *l = arg;

	if (l->n == l->cap) {
		l->bad = 1;
		return 1;
	}
	l->v[l->n++] = l->d->row_int(r, 0);
	return 0;
}

/* Reads the ids sql selects for key $1 into v (cap). Returns 0, or -1
 * (also when they do not fit). */
static int
ids_read(struct store *st, struct store_conn *c, const char *sql,
    struct store_val key, int64_t *v, size_t cap, size_t *n)
{
	struct ids l = { store_drv(st), v, 0, cap, 0 };

	if (l.d->exec(c, sql, &key, 1, id_row, &l) != 0 || l.bad)
		return -1;
	*n = l.n;
	return 0;
}

/* Writes the ids v (n) as rows (key $1, id $2) of sql, after deleting
 * the old ones with del. Returns 0 or -1. */
static int
ids_write(struct store *st, struct store_conn *c, const char *del,
    const char *ins, struct store_val key, const int64_t *v, size_t n)
{
	struct store_val p[2] = { key, SV_I(0) };
	size_t i;

	if (exec0(st, c, del, p, 1) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		p[1] = SV_I(v[i]);
		if (exec0(st, c, ins, p, 2) != 0)
			return -1;
	}
	return 0;
}

#define AGENT_COLS "account_id, org_id, created_at, archived_at"

static int
agent_read(const struct store_driver *d, const struct store_row *r, void *rec)
{
	struct store_appt_agent *a = rec;

	memset(a, 0, sizeof(*a));
	if (store_row_copy_text(a->account_id, sizeof(a->account_id), d, r,
		0) != 0 ||
	    store_row_copy_text(a->org_id, sizeof(a->org_id), d, r, 1) != 0)
		return -1;
	a->created_at = d->row_int(r, 2);
	a->archived_at = int_or_zero(d, r, 3);
	return 0;
}

static int
agent_services(struct store *st, struct store_conn *c, void *rec)
{
	struct store_appt_agent *a = rec;

	return ids_read(st, c,
	    "SELECT service_id FROM appt_agent_services WHERE account_id = $1"
	    " ORDER BY service_id",
	    SV_T(a->account_id), a->services, APPT_AGENT_SERVICES_MAX,
	    &a->n_services);
}

int
store_appt_agent_put(struct store *st, struct store_conn *c,
    const struct store_appt_agent *a, int64_t now)
{
	struct store_val p[3] = { SV_T(a->account_id), SV_T(a->org_id),
		SV_I(now) };
	struct store_int_out o;

	if (one_int(st, c, "SELECT 1 FROM appt_agents WHERE account_id = $1", p,
		1, &o) != 0)
		return -1;
	if (exec0(st, c,
		o.found ? "UPDATE appt_agents SET archived_at = NULL,"
			  " org_id = $2 WHERE account_id = $1"
			: "INSERT INTO appt_agents (account_id, org_id,"
			  " created_at) VALUES ($1, $2, $3)",
		p, o.found ? 2 : 3) != 0)
		return -1;
	return ids_write(st, c,
	    "DELETE FROM appt_agent_services WHERE account_id = $1",
	    "INSERT INTO appt_agent_services (account_id, service_id)"
	    " VALUES ($1, $2)",
	    p[0], a->services, a->n_services);
}

/* Motifs. */

#define MOTIF_COLS                                                             \
	"id, org_id, service_id, name, duration_min, location_type, online,"   \
	" min_delay_min, max_delay_min, collective, capacity,"                 \
	" cancel_deadline_min, reminder_before_min, instructions,"             \
	" created_at, archived_at"

static int
motif_read(const struct store_driver *d, const struct store_row *r, void *rec)
{
	struct store_appt_motif *m = rec;

	memset(m, 0, sizeof(*m));
	m->id = d->row_int(r, 0);
	if (store_row_copy_text(m->org_id, sizeof(m->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(m->name, sizeof(m->name), d, r, 3) != 0 ||
	    store_row_copy_text(m->location_type, sizeof(m->location_type), d,
		r, 5) != 0 ||
	    store_row_copy_text(m->instructions, sizeof(m->instructions), d, r,
		13) != 0)
		return -1;
	m->service_id = d->row_int(r, 2);
	m->duration_min = (int)d->row_int(r, 4);
	m->online = (int)d->row_int(r, 6);
	m->min_delay_min = d->row_int(r, 7);
	m->max_delay_min = d->row_int(r, 8);
	m->collective = (int)d->row_int(r, 9);
	m->capacity = (int)d->row_int(r, 10);
	m->cancel_deadline_min = d->row_int(r, 11);
	m->reminder_before_min = d->row_int(r, 12);
	m->created_at = d->row_int(r, 14);
	m->archived_at = int_or_zero(d, r, 15);
	return 0;
}

/* The parameters of a motif row: $1 org .. $13 instructions, $14 id or
 * created_at. */
static void
motif_params(const struct store_appt_motif *m, struct store_val p[14],
    int64_t last)
{
	p[0] = SV_T(m->org_id);
	p[1] = SV_I(m->service_id);
	p[2] = SV_T(m->name);
	p[3] = SV_I(m->duration_min);
	p[4] = SV_T(m->location_type);
	p[5] = SV_I(m->online);
	p[6] = SV_I(m->min_delay_min);
	p[7] = SV_I(m->max_delay_min);
	p[8] = SV_I(m->collective);
	p[9] = SV_I(m->capacity);
	p[10] = SV_I(m->cancel_deadline_min);
	p[11] = SV_I(m->reminder_before_min);
	p[12] = SV_T(m->instructions);
	p[13] = SV_I(last);
}

/* A live motif of the same service, name and location type, other than
 * id ($14; 0 for a new one). */
#define MOTIF_TAKEN                                                            \
	"SELECT 1 FROM appt_motifs WHERE org_id = $1 AND service_id = $2"      \
	" AND name = $3 AND location_type = $5 AND archived_at IS NULL"        \
	" AND id <> $14"

int
store_appt_motif_insert(struct store *st, struct store_conn *c,
    struct store_appt_motif *m, int64_t now)
{
	struct store_val p[14];
	struct store_int_out o;
	int rc;

	motif_params(m, p, 0);
	if ((rc = taken(st, c, MOTIF_TAKEN, p, 14)) != 0)
		return rc;
	p[13] = SV_I(now);
	if (one_int(st, c,
		"INSERT INTO appt_motifs (org_id, service_id, name,"
		" duration_min, location_type, online, min_delay_min,"
		" max_delay_min, collective, capacity, cancel_deadline_min,"
		" reminder_before_min, instructions, created_at) VALUES ($1,"
		" $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
		" RETURNING id",
		p, 14, &o) != 0 ||
	    !o.found)
		return -1;
	m->id = o.v;
	m->created_at = now;
	return 0;
}

int
store_appt_motif_update(struct store *st, struct store_conn *c,
    const struct store_appt_motif *m)
{
	struct store_val p[14];
	struct store_appt_motif cur = { 0 };
	int rc;

	if ((rc = store_appt_motif_get(st, c, m->org_id, m->id, &cur)) != 0)
		return rc;
	motif_params(m, p, m->id);
	if ((rc = taken(st, c, MOTIF_TAKEN, p, 14)) != 0)
		return rc < 0 ? -1 : 2;
	return exec0(st, c,
	    "UPDATE appt_motifs SET service_id = $2, name = $3,"
	    " duration_min = $4, location_type = $5, online = $6,"
	    " min_delay_min = $7, max_delay_min = $8, collective = $9,"
	    " capacity = $10, cancel_deadline_min = $11,"
	    " reminder_before_min = $12, instructions = $13"
	    " WHERE org_id = $1 AND id = $14",
	    p, 14);
}

/* Plages and absences: the recurrence columns. */

#define RECUR_COLS                                                             \
	"first_day, last_day, every_weeks, weekdays, start_min, end_min"

static void
recur_read(const struct store_driver *d, const struct store_row *r, int col,
    struct store_appt_recur *x)
{
	x->first_day = d->row_int(r, col);
	x->last_day =
	    d->row_is_null(r, col + 1) ? APPT_DAY_NONE : d->row_int(r, col + 1);
	x->every_weeks = (int)d->row_int(r, col + 2);
	x->weekdays = (unsigned)d->row_int(r, col + 3);
	x->start_min = (int)d->row_int(r, col + 4);
	x->end_min = (int)d->row_int(r, col + 5);
}

static void
recur_params(const struct store_appt_recur *x, struct store_val *p)
{
	p[0] = SV_I(x->first_day);
	p[1] = x->last_day == APPT_DAY_NONE ? SV_T(NULL) : SV_I(x->last_day);
	p[2] = SV_I(x->every_weeks);
	p[3] = SV_I(x->weekdays);
	p[4] = SV_I(x->start_min);
	p[5] = SV_I(x->end_min);
}

/* Plages. */

#define PLAGE_COLS                                                             \
	"id, org_id, agent_id, place_id, name, " RECUR_COLS                    \
	", created_at, archived_at"

static int
plage_read(const struct store_driver *d, const struct store_row *r, void *rec)
{
	struct store_appt_plage *pl = rec;

	memset(pl, 0, sizeof(*pl));
	pl->id = d->row_int(r, 0);
	if (store_row_copy_text(pl->org_id, sizeof(pl->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(pl->agent_id, sizeof(pl->agent_id), d, r, 2) !=
		0 ||
	    store_row_copy_text(pl->name, sizeof(pl->name), d, r, 4) != 0)
		return -1;
	pl->place_id = int_or_zero(d, r, 3);
	recur_read(d, r, 5, &pl->r);
	pl->created_at = d->row_int(r, 11);
	pl->archived_at = int_or_zero(d, r, 12);
	return 0;
}

static int
plage_children_read(struct store *st, struct store_conn *c, void *rec)
{
	struct store_appt_plage *pl = rec;

	return ids_read(st, c,
		   "SELECT motif_id FROM appt_plage_motifs WHERE plage_id = $1"
		   " ORDER BY motif_id",
		   SV_I(pl->id), pl->motifs, APPT_PLAGE_MOTIFS_MAX,
		   &pl->n_motifs) != 0 ||
		ids_read(st, c,
		    "SELECT day FROM appt_plage_exceptions WHERE plage_id = $1"
		    " ORDER BY day",
		    SV_I(pl->id), pl->exceptions, APPT_PLAGE_EXCEPTIONS_MAX,
		    &pl->n_exceptions) != 0
	    ? -1
	    : 0;
}

static int
plage_children_write(struct store *st, struct store_conn *c,
    const struct store_appt_plage *pl)
{
	return ids_write(st, c,
		   "DELETE FROM appt_plage_motifs WHERE plage_id = $1",
		   "INSERT INTO appt_plage_motifs (plage_id, motif_id)"
		   " VALUES ($1, $2)",
		   SV_I(pl->id), pl->motifs, pl->n_motifs) != 0 ||
		ids_write(st, c,
		    "DELETE FROM appt_plage_exceptions WHERE plage_id = $1",
		    "INSERT INTO appt_plage_exceptions (plage_id, day)"
		    " VALUES ($1, $2)",
		    SV_I(pl->id), pl->exceptions, pl->n_exceptions) != 0
	    ? -1
	    : 0;
}

/* $1 org, $2 agent, $3 place, $4 name, $5..$10 recurrence, $11 id or
 * created_at. */
static void
plage_params(const struct store_appt_plage *pl, struct store_val p[11],
    int64_t last)
{
	p[0] = SV_T(pl->org_id);
	p[1] = SV_T(pl->agent_id);
	p[2] = pl->place_id > 0 ? SV_I(pl->place_id) : SV_T(NULL);
	p[3] = SV_T(pl->name);
	recur_params(&pl->r, p + 4);
	p[10] = SV_I(last);
}

int
store_appt_plage_insert(struct store *st, struct store_conn *c,
    struct store_appt_plage *pl, int64_t now)
{
	struct store_val p[11];
	struct store_int_out o;

	plage_params(pl, p, now);
	if (one_int(st, c,
		"INSERT INTO appt_plages (org_id, agent_id, place_id, name, " RECUR_COLS
		", created_at) VALUES ($1, $2, $3, $4, $5, $6, $7,"
		" $8, $9, $10, $11) RETURNING id",
		p, 11, &o) != 0 ||
	    !o.found)
		return -1;
	pl->id = o.v;
	pl->created_at = now;
	return plage_children_write(st, c, pl);
}

int
store_appt_plage_update(struct store *st, struct store_conn *c,
    const struct store_appt_plage *pl)
{
	struct store_val p[11];
	struct store_int_out o;

	plage_params(pl, p, pl->id);
	if (one_int(st, c,
		"UPDATE appt_plages SET agent_id = $2, place_id = $3,"
		" name = $4, first_day = $5, last_day = $6, every_weeks = $7,"
		" weekdays = $8, start_min = $9, end_min = $10"
		" WHERE org_id = $1 AND id = $11 RETURNING id",
		p, 11, &o) != 0)
		return -1;
	if (!o.found)
		return 1;
	return plage_children_write(st, c, pl);
}

/* Absences. */

#define ABSENCE_COLS                                                           \
	"id, org_id, agent_id, " RECUR_COLS ", created_at, archived_at"

static int
absence_read(const struct store_driver *d, const struct store_row *r, void *rec)
{
	struct store_appt_absence *a = rec;

	memset(a, 0, sizeof(*a));
	a->id = d->row_int(r, 0);
	if (store_row_copy_text(a->org_id, sizeof(a->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(a->agent_id, sizeof(a->agent_id), d, r, 2) != 0)
		return -1;
	recur_read(d, r, 3, &a->r);
	a->created_at = d->row_int(r, 9);
	a->archived_at = int_or_zero(d, r, 10);
	return 0;
}

/* $1 org, $2 agent, $3..$8 recurrence, $9 id or created_at. */
static void
absence_params(const struct store_appt_absence *a, struct store_val p[9],
    int64_t last)
{
	p[0] = SV_T(a->org_id);
	p[1] = SV_T(a->agent_id);
	recur_params(&a->r, p + 2);
	p[8] = SV_I(last);
}

int
store_appt_absence_insert(struct store *st, struct store_conn *c,
    struct store_appt_absence *a, int64_t now)
{
	struct store_val p[9];
	struct store_int_out o;

	absence_params(a, p, now);
	if (one_int(st, c,
		"INSERT INTO appt_absences (org_id, agent_id, " RECUR_COLS
		", created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
		" RETURNING id",
		p, 9, &o) != 0 ||
	    !o.found)
		return -1;
	a->id = o.v;
	a->created_at = now;
	return 0;
}

int
store_appt_absence_update(struct store *st, struct store_conn *c,
    const struct store_appt_absence *a)
{
	struct store_val p[9];
	struct store_int_out o;

	absence_params(a, p, a->id);
	if (one_int(st, c,
		"UPDATE appt_absences SET agent_id = $2, first_day = $3,"
		" last_day = $4, every_weeks = $5, weekdays = $6,"
		" start_min = $7, end_min = $8 WHERE org_id = $1 AND id = $9"
		" RETURNING id",
		p, 9, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

/* Reads and lists, the same for every kind of record. */

/* What a kind of record is made of: its columns, how a row reads, what
 * else is read for each record (a connection runs one statement at a
 * time, so lists read the records first and their children after), the
 * extra filter of a list on $3 and its order. */
static const struct {
	const char *cols;
	row_read_fn read;
	size_t size;
	int (*children)(struct store *st, struct store_conn *c, void *rec);
	const char *filter, *order;
} shapes[] = {
	[STORE_APPT_SERVICE] = { SERVICE_COLS, service_read,
	    sizeof(struct store_appt_service), NULL, "", "name, id" },
	[STORE_APPT_PLACE] = { PLACE_COLS, place_read,
	    sizeof(struct store_appt_place), NULL, "", "name, id" },
	[STORE_APPT_AGENT] = { AGENT_COLS, agent_read,
	    sizeof(struct store_appt_agent), agent_services, "", "account_id" },
	[STORE_APPT_MOTIF] = { MOTIF_COLS, motif_read,
	    sizeof(struct store_appt_motif), NULL,
	    " AND (service_id = $3 OR $3 = 0)", "service_id, name, id" },
	[STORE_APPT_PLAGE] = { PLAGE_COLS, plage_read,
	    sizeof(struct store_appt_plage), plage_children_read,
	    " AND (agent_id = $3 OR $3 IS NULL)",
	    "agent_id, first_day, start_min, id" },
	[STORE_APPT_ABSENCE] = { ABSENCE_COLS, absence_read,
	    sizeof(struct store_appt_absence), NULL,
	    " AND (agent_id = $3 OR $3 IS NULL)",
	    "agent_id, first_day, start_min, id" },
};

/* Reads record key (of org, or of any organisation when org is NULL)
 * into out. Returns 0, 1, or -1. */
static int
kind_get(struct store *st, struct store_conn *c, enum store_appt_kind kind,
    const char *org_id, struct store_val key, void *out)
{
	struct store_val p[2] = { key, SV_T(org_id) };
	struct walk w;
	char sql[512];
	int rc;

	memset(out, 0, shapes[kind].size);
	memset(&w, 0, sizeof(w));
	w.read = shapes[kind].read;
	w.size = shapes[kind].size;
	w.one = out;
	snprintf(sql, sizeof(sql),
	    "SELECT %s FROM %s WHERE %s = $1 AND (org_id = $2 OR $2 IS NULL)",
	    shapes[kind].cols, kinds[kind].table, kinds[kind].key);
	rc = run(st, c, sql, p, 2, &w);
	if (rc == 0 && shapes[kind].children != NULL)
		rc = shapes[kind].children(st, c, out);
	return rc;
}

/* Lists the records of org under f into w (w->v to free). Returns 0 or
 * -1. */
static int
kind_list(struct store *st, struct store_conn *c, enum store_appt_kind kind,
    const char *org_id, const struct store_appt_filter *f, struct walk *w)
{
	struct store_val p[3] = { SV_T(org_id), SV_I(f != NULL && f->archived),
		SV_T(NULL) };
	char sql[640];
	size_t i;
	int rc;

	if (kind == STORE_APPT_MOTIF)
		p[2] = SV_I(f != NULL ? f->service_id : 0);
	else if (kind == STORE_APPT_PLAGE || kind == STORE_APPT_ABSENCE)
		p[2] = SV_T(f != NULL ? f->agent_id : NULL);
	memset(w, 0, sizeof(*w));
	w->read = shapes[kind].read;
	w->size = shapes[kind].size;
	snprintf(sql, sizeof(sql),
	    "SELECT %s FROM %s WHERE org_id = $1" LIVE "%s ORDER BY %s",
	    shapes[kind].cols, kinds[kind].table, shapes[kind].filter,
	    shapes[kind].order);
	rc = run(st, c, sql, p, shapes[kind].filter[0] ? 3 : 2, w);
	for (i = 0; rc == 0 && shapes[kind].children != NULL && i < w->n; i++)
		rc = shapes[kind].children(st, c, w->v + i * w->size);
	return rc;
}

/* Calls fn for each record of type of w, then frees w's array. */
#define EACH(type, w, fn, arg, rc)                                             \
	do {                                                                   \
		const type *v_ = (const void *)(w).v;                          \
		size_t i_;                                                     \
		for (i_ = 0; (rc) == 0 && i_ < (w).n; i_++)                    \
			(rc) = (fn)((arg), &v_[i_]) != 0 ? -1 : 0;             \
		free((w).v);                                                   \
	} while (0)

int
store_appt_service_get(struct store *st, struct store_conn *c,
    const char *org_id, int64_t id, struct store_appt_service *out)
{
	return kind_get(st, c, STORE_APPT_SERVICE, org_id, SV_I(id), out);
}

int
store_appt_services_list(struct store *st, struct store_conn *c,
    const char *org_id, const struct store_appt_filter *f,
    store_appt_service_fn fn, void *arg)
{
	struct walk w;
	int rc = kind_list(st, c, STORE_APPT_SERVICE, org_id, f, &w);

	EACH(struct store_appt_service, w, fn, arg, rc);
	return rc;
}

int
store_appt_place_get(struct store *st, struct store_conn *c, const char *org_id,
    int64_t id, struct store_appt_place *out)
{
	return kind_get(st, c, STORE_APPT_PLACE, org_id, SV_I(id), out);
}

int
store_appt_places_list(struct store *st, struct store_conn *c,
    const char *org_id, const struct store_appt_filter *f,
    store_appt_place_fn fn, void *arg)
{
	struct walk w;
	int rc = kind_list(st, c, STORE_APPT_PLACE, org_id, f, &w);

	EACH(struct store_appt_place, w, fn, arg, rc);
	return rc;
}

int
store_appt_agent_get(struct store *st, struct store_conn *c, const char *org_id,
    const char *account_id, struct store_appt_agent *out)
{
	return kind_get(st, c, STORE_APPT_AGENT, org_id, SV_T(account_id), out);
}

int
store_appt_agents_list(struct store *st, struct store_conn *c,
    const char *org_id, const struct store_appt_filter *f,
    store_appt_agent_fn fn, void *arg)
{
	struct walk w;
	int rc = kind_list(st, c, STORE_APPT_AGENT, org_id, f, &w);

	EACH(struct store_appt_agent, w, fn, arg, rc);
	return rc;
}

int
store_appt_motif_get(struct store *st, struct store_conn *c, const char *org_id,
    int64_t id, struct store_appt_motif *out)
{
	return kind_get(st, c, STORE_APPT_MOTIF, org_id, SV_I(id), out);
}

int
store_appt_motifs_list(struct store *st, struct store_conn *c,
    const char *org_id, const struct store_appt_filter *f,
    store_appt_motif_fn fn, void *arg)
{
	struct walk w;
	int rc = kind_list(st, c, STORE_APPT_MOTIF, org_id, f, &w);

	EACH(struct store_appt_motif, w, fn, arg, rc);
	return rc;
}

int
store_appt_plage_get(struct store *st, struct store_conn *c, const char *org_id,
    int64_t id, struct store_appt_plage *out)
{
	return kind_get(st, c, STORE_APPT_PLAGE, org_id, SV_I(id), out);
}

int
store_appt_plages_list(struct store *st, struct store_conn *c,
    const char *org_id, const struct store_appt_filter *f,
    store_appt_plage_fn fn, void *arg)
{
	struct walk w;
	int rc = kind_list(st, c, STORE_APPT_PLAGE, org_id, f, &w);

	EACH(struct store_appt_plage, w, fn, arg, rc);
	return rc;
}

int
store_appt_absence_get(struct store *st, struct store_conn *c,
    const char *org_id, int64_t id, struct store_appt_absence *out)
{
	return kind_get(st, c, STORE_APPT_ABSENCE, org_id, SV_I(id), out);
}

int
store_appt_absences_list(struct store *st, struct store_conn *c,
    const char *org_id, const struct store_appt_filter *f,
    store_appt_absence_fn fn, void *arg)
{
	struct walk w;
	int rc = kind_list(st, c, STORE_APPT_ABSENCE, org_id, f, &w);

	EACH(struct store_appt_absence, w, fn, arg, rc);
	return rc;
}
