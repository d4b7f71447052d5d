/* appt_guest.c (store) - SQL of booking without an account: requests
 * waiting for their emailed link, manage links. */
#include "store/appt_guest.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

#define COLS                                                                   \
	"token_hash, hold_id, org_id, email_index, details, created_at,"       \
	" expires_at"

void
store_appt_guest_clear(struct store_appt_guest *r)
{
	if (r == NULL)
		return;
	if (r->details.p != NULL) {
		sodium_memzero(r->details.p, r->details.len);
		free(r->details.p);
	}
	memset(r, 0, sizeof(*r));
}

struct guest_rd {
	const struct store_driver *d;
	struct store_appt_guest *out;
	long n;
	int bad;
};

static int
guest_row(void *arg, const struct store_row *r)
{
	struct guest_rd *x = arg;
	const void *p, *e;
	size_t n = 0, en = 0;

	x->n++;
	p = x->d->row_blob(r, 0, &n);
	e = x->d->row_blob(r, 4, &en);
	if (p == NULL || n != STORE_HASH_BYTES || e == NULL || en == 0 ||
	    store_row_copy_text(x->out->org_id, sizeof(x->out->org_id), x->d, r,
		2) != 0 ||
	    store_row_copy_text(x->out->email_index,
		sizeof(x->out->email_index), x->d, r, 3) != 0 ||
	    (x->out->details.p = malloc(en)) == NULL) {
		x->bad = 1;
		return 1;
	}
	memcpy(x->out->token_hash, p, STORE_HASH_BYTES);
	x->out->hold_id = x->d->row_int(r, 1);
	memcpy(x->out->details.p, e, en);
	x->out->details.len = en;
	x->out->created_at = x->d->row_int(r, 5);
	x->out->expires_at = x->d->row_int(r, 6);
	return 0;
}

int
store_appt_guest_put(struct store *st, struct store_conn *c,
    const struct store_appt_guest *r)
{
	struct store_val p[7];

	p[0] = SV_I(r->hold_id);
	if (store_drv(st)->exec(c,
		"DELETE FROM appt_guest_requests WHERE hold_id = $1", p, 1,
		NULL, NULL) != 0)
		return -1;
	p[0] = SV_B(r->token_hash, STORE_HASH_BYTES);
	p[1] = SV_I(r->hold_id);
	p[2] = SV_T(r->org_id);
	p[3] = SV_T(r->email_index);
	p[4] = SV_B(r->details.p, r->details.len);
	p[5] = SV_I(r->created_at);
	p[6] = SV_I(r->expires_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO appt_guest_requests (" COLS
	    ") VALUES ($1, $2, $3, $4, $5, $6, $7)",
	    p, 7, NULL, NULL);
}

/* Runs sql (one token hash parameter, returning COLS). */
static int
guest_one(struct store *st, struct store_conn *c, const char *sql,
    const unsigned char token_hash[STORE_HASH_BYTES],
    struct store_appt_guest *r)
{
	struct guest_rd x = { store_drv(st), r, 0, 0 };
	struct store_val p[1];

	memset(r, 0, sizeof(*r));
	p[0] = SV_B(token_hash, STORE_HASH_BYTES);
	if (x.d->exec(c, sql, p, 1, guest_row, &x) != 0 || x.bad) {
		store_appt_guest_clear(r);
		return -1;
	}
	return x.n == 0 ? 1 : 0;
}

int
store_appt_guest_get(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES],
    struct store_appt_guest *r)
{
	return guest_one(st, c,
	    "SELECT " COLS " FROM appt_guest_requests WHERE token_hash = $1",
	    token_hash, r);
}

int
store_appt_guest_take(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES],
    struct store_appt_guest *r)
{
	return guest_one(st, c,
	    "DELETE FROM appt_guest_requests WHERE token_hash = $1"
	    " RETURNING " COLS,
	    token_hash, r);
}

int
store_appt_manage_put(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES],
    const struct store_appt_manage *m)
{
	struct store_val p[6];

	p[0] = SV_B(token_hash, STORE_HASH_BYTES);
	p[1] = SV_T(m->org_id);
	p[2] = SV_I(m->appointment_id);
	p[3] = SV_I(m->user_id);
	p[4] = SV_I(m->created_at);
	p[5] = SV_I(m->expires_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO appt_manage_links (token_hash, org_id,"
	    " appointment_id, user_id, created_at, expires_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6)",
	    p, 6, NULL, NULL);
}

struct manage_rd {
	const struct store_driver *d;
	struct store_appt_manage *out;
	int found, bad;
};

static int
manage_row(void *arg, const struct store_row *r)
{
	struct manage_rd *x = arg;

	x->found = 1;
	if (store_row_copy_text(x->out->org_id, sizeof(x->out->org_id), x->d, r,
		0) != 0) {
		x->bad = 1;
		return 1;
	}
	x->out->appointment_id = x->d->row_int(r, 1);
	x->out->user_id = x->d->row_int(r, 2);
	x->out->created_at = x->d->row_int(r, 3);
	x->out->expires_at = x->d->row_int(r, 4);
	return 0;
}

int
store_appt_manage_get(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES],
    struct store_appt_manage *m)
{
	struct manage_rd x = { store_drv(st), m, 0, 0 };
	struct store_val p[1];

	memset(m, 0, sizeof(*m));
	p[0] = SV_B(token_hash, STORE_HASH_BYTES);
	if (x.d->exec(c,
		"SELECT org_id, appointment_id, user_id, created_at,"
		" expires_at FROM appt_manage_links WHERE token_hash = $1",
		p, 1, manage_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.found ? 0 : 1;
}

int
store_appt_manage_delete(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES])
{
	struct store_val p[1];
	long n;

	p[0] = SV_B(token_hash, STORE_HASH_BYTES);
	n = store_exec_count(st, c,
	    "DELETE FROM appt_manage_links WHERE token_hash = $1 RETURNING 1",
	    p, 1);
	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

int
store_appt_manage_follow(struct store *st, struct store_conn *c,
    int64_t appointment_id, int64_t expires_at)
{
	struct store_val p[2] = { SV_I(appointment_id), SV_I(expires_at) };

	return store_drv(st)->exec(c,
		   "UPDATE appt_manage_links SET expires_at = $2"
		   " WHERE appointment_id = $1",
		   p, 2, NULL, NULL) != 0
	    ? -1
	    : 0;
}

long
store_appt_guest_purge(struct store *st, struct store_conn *c, int64_t now)
{
	struct store_val p[1];
	long a, b;

	p[0] = SV_I(now);
	a = store_exec_count(st, c,
	    "DELETE FROM appt_guest_requests WHERE expires_at <= $1"
	    " RETURNING 1",
	    p, 1);
	b = store_exec_count(st, c,
	    "DELETE FROM appt_manage_links WHERE expires_at <= $1 RETURNING 1",
	    p, 1);
	return a < 0 || b < 0 ? -1 : a + b;
}
