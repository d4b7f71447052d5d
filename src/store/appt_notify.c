/* appt_notify.c (store) - SQL for reminders, feed tokens, waiting list. */
#include "store/appt_notify.h"

#include <string.h>

#include "store/driver.h"

struct due_scan {
	const struct store_driver *d;
	struct store_appt_due_reminder *v;
	size_t max, n;
};

static int
due_row(void *arg, const struct store_row *r)
{
	struct due_scan *x = arg;

	if (x->n >= x->max)
		return 1;
	x->v[x->n].appointment_id = x->d->row_int(r, 0);
	x->v[x->n].user_id = x->d->row_int(r, 1);
	x->v[x->n].start_at = x->d->row_int(r, 2);
	x->n++;
	return 0;
}

int
store_appt_reminders_due(struct store *st, struct store_conn *c, int64_t now,
    struct store_appt_due_reminder *v, size_t max, size_t *n)
{
	struct due_scan x = { store_drv(st), v, max, 0 };
	struct store_val p[2];

	p[0] = SV_I(now);
	p[1] = SV_I((int64_t)max);
	*n = 0;
	if (x.d->exec(c,
		"SELECT a.id, p.user_id, a.start_at FROM appt_appointments a"
		" JOIN appt_participants p ON p.appointment_id = a.id"
		" JOIN appt_motifs m ON m.id = a.motif_id"
		" WHERE a.status = 'a_venir' AND a.start_at > $1"
		" AND m.reminder_before_min > 0"
		" AND a.start_at - m.reminder_before_min * 60000 <= $1"
		" AND a.updated_at < a.start_at - m.reminder_before_min * 60000"
		" AND NOT EXISTS (SELECT 1 FROM appt_reminders r"
		"  WHERE r.appointment_id = a.id AND r.user_id = p.user_id"
		"  AND r.start_at = a.start_at)"
		" ORDER BY a.start_at, a.id, p.user_id LIMIT $2",
		p, 2, due_row, &x) != 0)
		return -1;
	*n = x.n;
	return 0;
}

int
store_appt_reminder_mark(struct store *st, struct store_conn *c,
    const struct store_appt_due_reminder *r, int64_t now)
{
	struct store_val p[4];

	p[0] = SV_I(r->appointment_id);
	p[1] = SV_I(r->user_id);
	p[2] = SV_I(r->start_at);
	p[3] = SV_I(now);
	return store_drv(st)->exec(c,
	    "INSERT INTO appt_reminders (appointment_id, user_id, start_at,"
	    " sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
	    p, 4, NULL, NULL);
}

int
store_appt_feed_put(struct store *st, struct store_conn *c,
    const char *agent_id, const char *org_id,
    const unsigned char hash[APPT_FEED_HASH], int64_t now)
{
	struct store_val p[4];

	p[0] = SV_T(agent_id);
	p[1] = SV_T(org_id);
	p[2] = SV_B(hash, APPT_FEED_HASH);
	p[3] = SV_I(now);
	return store_drv(st)->exec(c,
	    "INSERT INTO appt_feed_tokens (agent_id, org_id, token_hash,"
	    " created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (agent_id)"
	    " DO UPDATE SET org_id = excluded.org_id,"
	    " token_hash = excluded.token_hash,"
	    " created_at = excluded.created_at",
	    p, 4, NULL, NULL);
}

int
store_appt_feed_delete(struct store *st, struct store_conn *c,
    const char *agent_id)
{
	struct store_val p[1];

	p[0] = SV_T(agent_id);
	return store_exec_changed(st, c,
	    "DELETE FROM appt_feed_tokens WHERE agent_id = $1"
	    " RETURNING agent_id",
	    p, 1);
}

struct feed_scan {
	const struct store_driver *d;
	char *agent, *org;
	int found, bad;
};

static int
feed_row(void *arg, const struct store_row *r)
{
	struct feed_scan *x = arg;

	x->found = 1;
	if (store_row_copy_text(x->agent, STORE_ID_MAX, x->d, r, 0) != 0 ||
	    store_row_copy_text(x->org, STORE_ID_MAX, x->d, r, 1) != 0)
		x->bad = 1;
	return 1;
}

int
store_appt_feed_find(struct store *st, struct store_conn *c,
    const unsigned char hash[APPT_FEED_HASH], char agent_id[STORE_ID_MAX],
    char org_id[STORE_ID_MAX])
{
	struct feed_scan x = { store_drv(st), agent_id, org_id, 0, 0 };
	struct store_val p[1];

	p[0] = SV_B(hash, APPT_FEED_HASH);
	if (x.d->exec(c,
		"SELECT agent_id, org_id FROM appt_feed_tokens"
		" WHERE token_hash = $1",
		p, 1, feed_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.found ? 0 : 1;
}

int
store_appt_wait_add(struct store *st, struct store_conn *c, const char *org_id,
    int64_t motif_id, int64_t user_id, int64_t now, int64_t expires_at,
    int64_t *id)
{
	struct store_int_out out = { store_drv(st), 0, 0 };
	struct store_val p[5];

	p[0] = SV_T(org_id);
	p[1] = SV_I(motif_id);
	p[2] = SV_I(user_id);
	p[3] = SV_I(now);
	p[4] = SV_I(expires_at);
	/* An entry told or expired gives way to a new one at the back. */
	if (out.d->exec(c,
		"DELETE FROM appt_waitlist WHERE motif_id = $1 AND user_id = $2"
		" AND (notified_at IS NOT NULL OR expires_at <= $3)",
		p + 1, 3, NULL, NULL) != 0 ||
	    out.d->exec(c,
		"SELECT id FROM appt_waitlist WHERE motif_id = $1"
		" AND user_id = $2",
		p + 1, 2, store_row_int, &out) != 0)
		return -1;
	if (out.found) {
		*id = out.v;
		return 1;
	}
	if (out.d->exec(c,
		"INSERT INTO appt_waitlist (org_id, motif_id, user_id,"
		" created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"
		" RETURNING id",
		p, 5, store_row_int, &out) != 0 ||
	    !out.found)
		return -1;
	*id = out.v;
	return 0;
}

#define WAIT_COLS                                                              \
	"id, motif_id, user_id, created_at, expires_at,"                       \
	" COALESCE(notified_at, 0)"

struct wait_scan {
	const struct store_driver *d;
	struct store_appt_wait *v;
	size_t max, n;
};

static int
wait_row(void *arg, const struct store_row *r)
{
	struct wait_scan *x = arg;
	struct store_appt_wait *w;

	if (x->n >= x->max)
		return 1;
	w = &x->v[x->n++];
	w->id = x->d->row_int(r, 0);
	w->motif_id = x->d->row_int(r, 1);
	w->user_id = x->d->row_int(r, 2);
	w->created_at = x->d->row_int(r, 3);
	w->expires_at = x->d->row_int(r, 4);
	w->notified_at = x->d->row_int(r, 5);
	return 0;
}

int
store_appt_wait_first(struct store *st, struct store_conn *c, int64_t motif_id,
    int64_t now, struct store_appt_wait *v, size_t max, size_t *n)
{
	struct wait_scan x = { store_drv(st), v, max, 0 };
	struct store_val p[3];

	p[0] = SV_I(motif_id);
	p[1] = SV_I(now);
	p[2] = SV_I((int64_t)max);
	*n = 0;
	if (x.d->exec(c,
		"SELECT " WAIT_COLS " FROM appt_waitlist WHERE motif_id = $1"
		" AND expires_at > $2 AND notified_at IS NULL"
		" ORDER BY created_at, id LIMIT $3",
		p, 3, wait_row, &x) != 0)
		return -1;
	*n = x.n;
	return 0;
}

int
store_appt_wait_told(struct store *st, struct store_conn *c, int64_t id,
    int64_t now)
{
	struct store_val p[2];

	p[0] = SV_I(id);
	p[1] = SV_I(now);
	return store_exec_changed(st, c,
	    "UPDATE appt_waitlist SET notified_at = $2 WHERE id = $1"
	    " RETURNING id",
	    p, 2);
}

int
store_appt_wait_of_user(struct store *st, struct store_conn *c, int64_t user_id,
    struct store_appt_wait *v, size_t max, size_t *n)
{
	struct wait_scan x = { store_drv(st), v, max, 0 };
	struct store_val p[1];

	p[0] = SV_I(user_id);
	*n = 0;
	if (x.d->exec(c,
		"SELECT " WAIT_COLS " FROM appt_waitlist WHERE user_id = $1"
		" ORDER BY created_at, id",
		p, 1, wait_row, &x) != 0)
		return -1;
	*n = x.n;
	return 0;
}

int
store_appt_wait_delete(struct store *st, struct store_conn *c, int64_t id,
    int64_t user_id)
{
	struct store_val p[2];

	p[0] = SV_I(id);
	p[1] = SV_I(user_id);
	return store_exec_changed(st, c,
	    "DELETE FROM appt_waitlist WHERE id = $1 AND user_id = $2"
	    " RETURNING id",
	    p, 2);
}

long
store_appt_wait_purge(struct store *st, struct store_conn *c, int64_t now,
    int64_t cutoff)
{
	struct store_val p[2];
	long n = 0;

	p[0] = SV_I(now);
	p[1] = SV_I(cutoff);
	if (store_drv(st)->exec(c,
		"DELETE FROM appt_waitlist WHERE expires_at <= $1"
		" OR created_at < $2 RETURNING id",
		p, 2, store_row_count, &n) != 0)
		return -1;
	return n;
}
