/* pwreset.c (store) - SQL of the password reset links. */
#include "store/pwreset.h"

#include <string.h>

#include "store/driver.h"

struct pwreset_rd {
	const struct store_driver *d;
	struct store_pwreset *out;
	long n;
	int bad;
};

static int
pwreset_row(void *arg, const struct store_row *r)
{
	struct pwreset_rd *x = arg;
	const void *p;
	size_t n = 0;

	x->n++;
	p = x->d->row_blob(r, 0, &n);
	if (p == NULL || n != STORE_HASH_BYTES ||
	    store_row_copy_text(x->out->account_id, sizeof(x->out->account_id),
		x->d, r, 1) != 0) {
		x->bad = 1;
		return 1;
	}
	memcpy(x->out->token_hash, p, STORE_HASH_BYTES);
	x->out->created_at = x->d->row_int(r, 2);
	x->out->expires_at = x->d->row_int(r, 3);
	return 0;
}

int
store_pwreset_insert(struct store *st, struct store_conn *c,
    const struct store_pwreset *r)
{
	struct store_val p[4];

	p[0] = SV_B(r->token_hash, STORE_HASH_BYTES);
	p[1] = SV_T(r->account_id);
	p[2] = SV_I(r->created_at);
	p[3] = SV_I(r->expires_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO password_resets (token_hash, account_id,"
	    " created_at, expires_at) VALUES ($1, $2, $3, $4)",
	    p, 4, NULL, NULL);
}

/* Runs sql (one token hash parameter, returning one link's columns). */
static int
pwreset_one(struct store *st, struct store_conn *c, const char *sql,
    const unsigned char token_hash[STORE_HASH_BYTES], struct store_pwreset *r)
{
	struct pwreset_rd x = { store_drv(st), r, 0, 0 };
	struct store_val p[1];

	memset(r, 0, sizeof(*r));
	p[0] = SV_B(token_hash, STORE_HASH_BYTES);
	if (x.d->exec(c, sql, p, 1, pwreset_row, &x) != 0 || x.bad)
		return -1;
	return x.n == 0 ? 1 : 0;
}

int
store_pwreset_get(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], struct store_pwreset *r)
{
	return pwreset_one(st, c,
	    "SELECT token_hash, account_id, created_at, expires_at"
	    " FROM password_resets WHERE token_hash = $1",
	    token_hash, r);
}

int
store_pwreset_take(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], struct store_pwreset *r)
{
	struct store_val p[1];
	int rc;

	rc = pwreset_one(st, c,
	    "DELETE FROM password_resets WHERE token_hash = $1"
	    " RETURNING token_hash, account_id, created_at, expires_at",
	    token_hash, r);
	if (rc != 0)
		return rc;
	p[0] = SV_T(r->account_id);
	return store_drv(st)->exec(c,
	    "DELETE FROM password_resets WHERE account_id = $1", p, 1, NULL,
	    NULL);
}

long
store_pwreset_purge(struct store *st, struct store_conn *c, int64_t now)
{
	struct store_val p[1];

	p[0] = SV_I(now);
	return store_exec_count(st, c,
	    "DELETE FROM password_resets WHERE expires_at <= $1 RETURNING 1", p,
	    1);
}
