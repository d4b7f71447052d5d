/* sms_outbox.c (store) - SQL for the SMS outbox. */
#include "store/sms_outbox.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

#define COLS                                                                   \
	"id, key_owner, recipient, body, state, attempts, next_attempt_at,"    \
	" created_at, sent_at, gateway_id, delivery_status, last_error"

void
store_sms_clear(struct store_sms *m)
{
	if (m == NULL)
		return;
	if (m->recipient.p != NULL)
		sodium_memzero(m->recipient.p, m->recipient.len);
	if (m->body.p != NULL)
		sodium_memzero(m->body.p, m->body.len);
	free(m->recipient.p);
	free(m->body.p);
	memset(m, 0, sizeof(*m));
}

int
store_sms_insert(struct store *st, struct store_conn *c, const char *key_owner,
    int64_t now, int64_t *id)
{
	struct store_int_out out = { store_drv(st), 0, 0 };
	struct store_val p[2];

	p[0] = SV_T(key_owner);
	p[1] = SV_I(now);
	if (out.d->exec(c,
		"INSERT INTO sms_outbox (key_owner, state, attempts,"
		" next_attempt_at, created_at)"
		" VALUES ($1, 'pending', 0, $2, $2) RETURNING id",
		p, 2, store_row_int, &out) != 0 ||
	    !out.found)
		return -1;
	*id = out.v;
	return 0;
}

int
store_sms_set_sealed(struct store *st, struct store_conn *c, int64_t id,
    const unsigned char *to, size_t tolen, const unsigned char *body,
    size_t blen)
{
	struct store_val p[3];

	if (to == NULL || body == NULL || tolen == 0 || blen == 0)
		return -1;
	p[0] = SV_I(id);
	p[1] = SV_B(to, tolen);
	p[2] = SV_B(body, blen);
	return store_exec_changed(st, c,
	    "UPDATE sms_outbox SET recipient = $2, body = $3 WHERE id = $1"
	    " RETURNING id",
	    p, 3);
}

struct due_scan {
	const struct store_driver *d;
	int64_t *ids;
	size_t max, n;
};

static int
due_row(void *arg, const struct store_row *r)
{
	struct due_scan *x = arg;

	if (x->n >= x->max)
		return 1;
	x->ids[x->n++] = x->d->row_int(r, 0);
	return 0;
}

int
store_sms_due(struct store *st, struct store_conn *c, int64_t now, int64_t *ids,
    size_t max, size_t *n)
{
	struct due_scan x = { store_drv(st), ids, max, 0 };
	struct store_val p[2];

	p[0] = SV_I(now);
	p[1] = SV_I((int64_t)max);
	*n = 0;
	if (x.d->exec(c,
		"SELECT id FROM sms_outbox WHERE state = 'pending'"
		" AND next_attempt_at <= $1 ORDER BY next_attempt_at, id"
		" LIMIT $2",
		p, 2, due_row, &x) != 0)
		return -1;
	*n = x.n;
	return 0;
}

struct get_scan {
	const struct store_driver *d;
	struct store_sms *m;
	int found, bad;
};

static int
get_row(void *arg, const struct store_row *r)
{
	struct get_scan *x = arg;
	const struct store_driver *d = x->d;
	struct store_sms *m = x->m;

	x->found = 1;
	m->id = d->row_int(r, 0);
	if (store_row_copy_text(m->key_owner, sizeof(m->key_owner), d, r, 1) !=
		0 ||
	    store_row_copy_blob(d, r, 2, &m->recipient) != 0 ||
	    store_row_copy_blob(d, r, 3, &m->body) != 0 ||
	    store_row_copy_text(m->state, sizeof(m->state), d, r, 4) != 0 ||
	    store_row_copy_text(m->gateway_id, sizeof(m->gateway_id), d, r,
		9) != 0 ||
	    store_row_copy_text(m->delivery_status, sizeof(m->delivery_status),
		d, r, 10) != 0 ||
	    store_row_copy_text(m->last_error, sizeof(m->last_error), d, r,
		11) != 0)
		x->bad = 1;
	m->attempts = d->row_int(r, 5);
	m->next_attempt_at = d->row_int(r, 6);
	m->created_at = d->row_int(r, 7);
	m->sent_at = d->row_is_null(r, 8) ? 0 : d->row_int(r, 8);
	return 1;
}

int
store_sms_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_sms *m)
{
	struct get_scan x;
	struct store_val p[1];

	memset(m, 0, sizeof(*m));
	x.d = store_drv(st);
	x.m = m;
	x.found = x.bad = 0;
	p[0] = SV_I(id);
	if (x.d->exec(c, "SELECT " COLS " FROM sms_outbox WHERE id = $1", p, 1,
		get_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.found ? 0 : 1;
}

int
store_sms_mark_sent(struct store *st, struct store_conn *c, int64_t id,
    int64_t now, const char *gateway_id, const char *status)
{
	struct store_val p[4];

	p[0] = SV_I(id);
	p[1] = SV_I(now);
	p[2] = SV_T(gateway_id);
	p[3] = SV_T(status);
	return store_exec_changed(st, c,
	    "UPDATE sms_outbox SET state = 'sent', sent_at = $2,"
	    " attempts = attempts + 1, recipient = NULL, body = NULL,"
	    " gateway_id = $3, delivery_status = $4, last_error = NULL"
	    " WHERE id = $1 AND state = 'pending' RETURNING id",
	    p, 4);
}

int
store_sms_set_delivery(struct store *st, struct store_conn *c,
    const char *gateway_id, const char *status)
{
	struct store_val p[2];

	p[0] = SV_T(gateway_id);
	p[1] = SV_T(status);
	return store_exec_changed(st, c,
	    "UPDATE sms_outbox SET delivery_status = $2"
	    " WHERE gateway_id = $1 AND state = 'sent' RETURNING id",
	    p, 2);
}

int
store_sms_mark_retry(struct store *st, struct store_conn *c, int64_t id,
    int64_t attempts, int64_t next_at, const char *error)
{
	struct store_val p[4];

	p[0] = SV_I(id);
	p[1] = SV_I(attempts);
	p[2] = SV_I(next_at);
	p[3] = SV_T(error);
	return store_exec_changed(st, c,
	    "UPDATE sms_outbox SET attempts = $2, next_attempt_at = $3,"
	    " last_error = $4 WHERE id = $1 AND state = 'pending' RETURNING id",
	    p, 4);
}

int
store_sms_mark_failed(struct store *st, struct store_conn *c, int64_t id,
    int64_t attempts, int64_t now, const char *error)
{
	struct store_val p[4];

	p[0] = SV_I(id);
	p[1] = SV_I(attempts);
	p[2] = SV_I(now);
	p[3] = SV_T(error);
	return store_exec_changed(st, c,
	    "UPDATE sms_outbox SET state = 'failed', attempts = $2,"
	    " next_attempt_at = $3, last_error = $4, recipient = NULL,"
	    " body = NULL, delivery_status = 'failed'"
	    " WHERE id = $1 AND state = 'pending' RETURNING id",
	    p, 4);
}

long
store_sms_purge_before(struct store *st, struct store_conn *c, int64_t cutoff)
{
	struct store_val p[1];
	long n = 0;

	p[0] = SV_I(cutoff);
	if (store_drv(st)->exec(c,
		"DELETE FROM sms_outbox WHERE (state = 'sent' AND sent_at < $1)"
		" OR (state = 'failed' AND next_attempt_at < $1) RETURNING id",
		p, 1, store_row_count, &n) != 0)
		return -1;
	return n;
}
