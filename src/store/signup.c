/* signup.c (store) - SQL of the pending sign-ups. */
#include "store/signup.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

#define COLS                                                                   \
	"token_hash, email_index, email, created_at, expires_at, provider,"    \
	" sub_index"

void
store_signup_clear(struct store_signup *r)
{
	if (r == NULL)
		return;
	if (r->email.p != NULL) {
		sodium_memzero(r->email.p, r->email.len);
		free(r->email.p);
	}
	memset(r, 0, sizeof(*r));
}

struct signup_rd {
	const struct store_driver *d;
	struct store_signup *out;
	long n;
	int bad;
};

static int
signup_row(void *arg, const struct store_row *r)
{
	struct signup_rd *x = arg;
	const void *p, *e;
	size_t n = 0, en = 0;

	x->n++;
	p = x->d->row_blob(r, 0, &n);
	e = x->d->row_blob(r, 2, &en);
	if (p == NULL || n != STORE_HASH_BYTES || e == NULL || en == 0 ||
	    store_row_copy_text(x->out->email_index,
		sizeof(x->out->email_index), x->d, r, 1) != 0 ||
	    (x->out->email.p = malloc(en)) == NULL) {
		x->bad = 1;
		return 1;
	}
	memcpy(x->out->token_hash, p, STORE_HASH_BYTES);
	memcpy(x->out->email.p, e, en);
	x->out->email.len = en;
	x->out->created_at = x->d->row_int(r, 3);
	x->out->expires_at = x->d->row_int(r, 4);
	if ((!x->d->row_is_null(r, 5) &&
		store_row_copy_text(x->out->provider, sizeof(x->out->provider),
		    x->d, r, 5) != 0) ||
	    (!x->d->row_is_null(r, 6) &&
		store_row_copy_text(x->out->sub_index,
		    sizeof(x->out->sub_index), x->d, r, 6) != 0)) {
		x->bad = 1;
		return 1;
	}
	return 0;
}

int
store_signup_put(struct store *st, struct store_conn *c,
    const struct store_signup *r)
{
	struct store_val p[7];

	p[0] = SV_T(r->email_index);
	if (store_drv(st)->exec(c, "DELETE FROM signups WHERE email_index = $1",
		p, 1, NULL, NULL) != 0)
		return -1;
	p[0] = SV_B(r->token_hash, STORE_HASH_BYTES);
	p[1] = SV_T(r->email_index);
	p[2] = SV_B(r->email.p, r->email.len);
	p[3] = SV_I(r->created_at);
	p[4] = SV_I(r->expires_at);
	p[5] = SV_T(r->provider[0] != '\0' ? r->provider : NULL);
	p[6] = SV_T(r->sub_index[0] != '\0' ? r->sub_index : NULL);
	return store_drv(st)->exec(c,
	    "INSERT INTO signups (" COLS
	    ") VALUES ($1, $2, $3, $4, $5, $6, $7)",
	    p, 7, NULL, NULL);
}

/* Runs sql (one token hash parameter, returning COLS). */
static int
signup_one(struct store *st, struct store_conn *c, const char *sql,
    const unsigned char token_hash[STORE_HASH_BYTES], struct store_signup *r)
{
	struct signup_rd x = { store_drv(st), r, 0, 0 };
	struct store_val p[1];

	memset(r, 0, sizeof(*r));
	p[0] = SV_B(token_hash, STORE_HASH_BYTES);
	if (x.d->exec(c, sql, p, 1, signup_row, &x) != 0 || x.bad) {
		store_signup_clear(r);
		return -1;
	}
	return x.n == 0 ? 1 : 0;
}

int
store_signup_get(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], struct store_signup *r)
{
	return signup_one(st, c,
	    "SELECT " COLS " FROM signups WHERE token_hash = $1", token_hash,
	    r);
}

int
store_signup_take(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], struct store_signup *r)
{
	return signup_one(st, c,
	    "DELETE FROM signups WHERE token_hash = $1 RETURNING " COLS,
	    token_hash, r);
}

long
store_signup_purge(struct store *st, struct store_conn *c, int64_t now)
{
	struct store_val p[1];

	p[0] = SV_I(now);
	return store_exec_count(st, c,
	    "DELETE FROM signups WHERE expires_at <= $1 RETURNING 1", p, 1);
}
