/* outbox.c (store) - SQL for the email outbox. */
#include "store/outbox.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

#define COLS                                                                   \
	"id, account_id, recipient, subject, body, state, attempts,"           \
	" next_attempt_at, created_at, sent_at, last_error, attachment"

void
store_outbox_clear(struct store_outbox *o)
{
	if (o == NULL)
		return;
	if (o->recipient.p != NULL)
		sodium_memzero(o->recipient.p, o->recipient.len);
	if (o->body.p != NULL)
		sodium_memzero(o->body.p, o->body.len);
	if (o->attachment.p != NULL)
		sodium_memzero(o->attachment.p, o->attachment.len);
	free(o->recipient.p);
	free(o->body.p);
	free(o->attachment.p);
	memset(o, 0, sizeof(*o));
}

int
store_outbox_insert(struct store *st, struct store_conn *c,
    const char *account_id, const char *subject, int64_t now, int64_t *id)
{
	struct store_int_out out = { store_drv(st), 0, 0 };
	struct store_val p[4];

	p[0] = SV_T(account_id);
	p[1] = SV_T(subject);
	p[2] = SV_I(now);
	p[3] = SV_B("", 0); /* an empty blob: X'' is SQLite's only */
	/* Empty sealed columns until the id they are bound to is known. */
	if (out.d->exec(c,
		"INSERT INTO email_outbox (account_id, recipient, subject, body,"
		" state, attempts, next_attempt_at, created_at)"
		" VALUES ($1, $4, $2, $4, 'pending', 0, $3, $3) RETURNING id",
		p, 4, store_row_int, &out) != 0 ||
	    !out.found)
		return -1;
	*id = out.v;
	return 0;
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
store_outbox_set_sealed(struct store *st, struct store_conn *c, int64_t id,
    const unsigned char *recipient, size_t rlen, const unsigned char *body,
    size_t blen)
{
	struct store_val p[3];
	long n = 0;

	if (recipient == NULL || body == NULL || rlen == 0 || blen == 0)
		return -1;
	p[0] = SV_I(id);
	p[1] = SV_B(recipient, rlen);
	p[2] = SV_B(body, blen);
	if (store_drv(st)->exec(c,
		"UPDATE email_outbox SET recipient = $2, body = $3"
		" WHERE id = $1 RETURNING id",
		p, 3, count_row, &n) != 0)
		return -1;
	return n == 0 ? 1 : 0;
}

int
store_outbox_set_attachment(struct store *st, struct store_conn *c, int64_t id,
    const unsigned char *att, size_t len)
{
	struct store_val p[2];
	long n = 0;

	if (att == NULL || len == 0)
		return -1;
	p[0] = SV_I(id);
	p[1] = SV_B(att, len);
	if (store_drv(st)->exec(c,
		"UPDATE email_outbox SET attachment = $2 WHERE id = $1"
		" RETURNING id",
		p, 2, count_row, &n) != 0)
		return -1;
	return n == 0 ? 1 : 0;
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
store_outbox_due(struct store *st, struct store_conn *c, int64_t now,
    int64_t *ids, size_t max, size_t *n)
{
	struct due_scan x = { store_drv(st), ids, max, 0 };
	struct store_val p[2];

	p[0] = SV_I(now);
	p[1] = SV_I((int64_t)max);
	*n = 0;
	if (x.d->exec(c,
		"SELECT id FROM email_outbox WHERE state = 'pending'"
		" AND next_attempt_at <= $1 ORDER BY next_attempt_at, id"
		" LIMIT $2",
		p, 2, due_row, &x) != 0)
		return -1;
	*n = x.n;
	return 0;
}

struct get_scan {
	const struct store_driver *d;
	struct store_outbox *o;
	int found, bad;
};

static int
get_row(void *arg, const struct store_row *r)
{
	struct get_scan *x = arg;
	const struct store_driver *d = x->d;
	struct store_outbox *o = x->o;

	x->found = 1;
	o->id = d->row_int(r, 0);
	if (store_row_copy_text(o->account_id, sizeof(o->account_id), d, r,
		1) != 0 ||
	    store_row_copy_blob(d, r, 2, &o->recipient) != 0 ||
	    store_row_copy_text(o->subject, sizeof(o->subject), d, r, 3) != 0 ||
	    store_row_copy_blob(d, r, 4, &o->body) != 0 ||
	    store_row_copy_text(o->state, sizeof(o->state), d, r, 5) != 0 ||
	    store_row_copy_text(o->last_error, sizeof(o->last_error), d, r,
		10) != 0 ||
	    store_row_copy_blob(d, r, 11, &o->attachment) != 0)
		x->bad = 1;
	o->attempts = d->row_int(r, 6);
	o->next_attempt_at = d->row_int(r, 7);
	o->created_at = d->row_int(r, 8);
	o->sent_at = d->row_is_null(r, 9) ? 0 : d->row_int(r, 9);
	return 1;
}

int
store_outbox_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_outbox *o)
{
	struct get_scan x;
	struct store_val p[1];

	memset(o, 0, sizeof(*o));
	x.d = store_drv(st);
	x.o = o;
	x.found = x.bad = 0;
	p[0] = SV_I(id);
	if (x.d->exec(c, "SELECT " COLS " FROM email_outbox WHERE id = $1", p,
		1, get_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.found ? 0 : 1;
}

int
store_outbox_mark_sent(struct store *st, struct store_conn *c, int64_t id,
    int64_t now)
{
	struct store_val p[3];
	long n = 0;

	p[0] = SV_I(id);
	p[1] = SV_I(now);
	p[2] = SV_B("", 0);
	if (store_drv(st)->exec(c,
		"UPDATE email_outbox SET state = 'sent', sent_at = $2,"
		" attempts = attempts + 1, recipient = $3, body = $3,"
		" attachment = NULL, last_error = NULL WHERE id = $1 AND state = 'pending'"
		" RETURNING id",
		p, 3, count_row, &n) != 0)
		return -1;
	return n == 0 ? 1 : 0;
}

int
store_outbox_mark_retry(struct store *st, struct store_conn *c, int64_t id,
    int64_t attempts, int64_t next_at, const char *error)
{
	struct store_val p[4];
	long n = 0;

	p[0] = SV_I(id);
	p[1] = SV_I(attempts);
	p[2] = SV_I(next_at);
	p[3] = SV_T(error);
	if (store_drv(st)->exec(c,
		"UPDATE email_outbox SET attempts = $2, next_attempt_at = $3,"
		" last_error = $4 WHERE id = $1 AND state = 'pending'"
		" RETURNING id",
		p, 4, count_row, &n) != 0)
		return -1;
	return n == 0 ? 1 : 0;
}

int
store_outbox_mark_failed(struct store *st, struct store_conn *c, int64_t id,
    int64_t attempts, int64_t now, const char *error)
{
	struct store_val p[5];
	long n = 0;

	p[0] = SV_I(id);
	p[1] = SV_I(attempts);
	p[2] = SV_I(now);
	p[3] = SV_T(error);
	p[4] = SV_B("", 0);
	if (store_drv(st)->exec(c,
		"UPDATE email_outbox SET state = 'failed', attempts = $2,"
		" next_attempt_at = $3, last_error = $4, recipient = $5,"
		" body = $5, attachment = NULL WHERE id = $1 AND state = 'pending' RETURNING id",
		p, 5, count_row, &n) != 0)
		return -1;
	return n == 0 ? 1 : 0;
}

long
store_outbox_purge_before(struct store *st, struct store_conn *c,
    int64_t cutoff)
{
	struct store_val p[1];
	long n = 0;

	p[0] = SV_I(cutoff);
	if (store_drv(st)->exec(c,
		"DELETE FROM email_outbox WHERE (state = 'sent' AND sent_at < $1)"
		" OR (state = 'failed' AND next_attempt_at < $1) RETURNING id",
		p, 1, count_row, &n) != 0)
		return -1;
	return n;
}

long
store_outbox_purge_org_before(struct store *st, struct store_conn *c,
    const char *org_id, int64_t cutoff)
{
	struct store_val p[2] = { SV_I(cutoff), SV_T(org_id) };
	long n = 0;

	if (store_drv(st)->exec(c,
		"DELETE FROM email_outbox WHERE ((state = 'sent' AND"
		" sent_at < $1) OR (state = 'failed' AND next_attempt_at < $1))"
		" AND account_id IN (SELECT id FROM accounts WHERE org_id = $2)"
		" RETURNING id",
		p, 2, count_row, &n) != 0)
		return -1;
	return n;
}

struct count_scan {
	const struct store_driver *d;
	long *pending, *sent, *failed;
};

static int
state_row(void *arg, const struct store_row *r)
{
	struct count_scan *x = arg;
	const char *s = x->d->row_text(r, 0);
	long n = (long)x->d->row_int(r, 1);

	if (s == NULL)
		return 0;
	if (strcmp(s, "pending") == 0)
		*x->pending = n;
	else if (strcmp(s, "sent") == 0)
		*x->sent = n;
	else if (strcmp(s, "failed") == 0)
		*x->failed = n;
	return 0;
}

int
store_outbox_counts(struct store *st, struct store_conn *c, long *pending,
    long *sent, long *failed)
{
	struct count_scan x = { store_drv(st), pending, sent, failed };

	*pending = *sent = *failed = 0;
	return x.d->exec(c,
	    "SELECT state, count(*) FROM email_outbox GROUP BY state", NULL, 0,
	    state_row, &x);
}
