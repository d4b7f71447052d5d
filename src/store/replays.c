/* replays.c (store) - SQL of the outcomes kept for idempotent basket
 * validations. */
#include "store/replays.h"

#include <string.h>

#include "store/driver.h"

struct replay_rd {
	const struct store_driver *d;
	struct store_replay *out;
	int n;
	int bad;
};

static int
replay_row(void *arg, const struct store_row *r)
{
	struct replay_rd *x = arg;
	const struct store_driver *d = x->d;
	struct store_replay *o = x->out;
	const void *h;
	size_t n = 0;

	x->n++;
	h = d->row_blob(r, 1, &n);
	if (h == NULL || n != STORE_HASH_BYTES ||
	    store_row_copy_text(o->account_id, sizeof(o->account_id), d, r,
		0) != 0 ||
	    store_row_copy_text(o->results, sizeof(o->results), d, r, 4) != 0) {
		x->bad = 1;
		return 1;
	}
	memcpy(o->key_hash, h, STORE_HASH_BYTES);
	o->basket_id = d->row_int(r, 2);
	o->status = (int)d->row_int(r, 3);
	o->created_at = d->row_int(r, 5);
	o->expires_at = d->row_int(r, 6);
	return 0;
}

int
store_replay_get(struct store *st, struct store_conn *c, const char *account_id,
    const unsigned char key_hash[STORE_HASH_BYTES], int64_t now,
    struct store_replay *out)
{
	struct store_val p[3] = { SV_T(account_id),
		SV_B(key_hash, STORE_HASH_BYTES), SV_I(now) };
	struct replay_rd x = { store_drv(st), out, 0, 0 };

	memset(out, 0, sizeof(*out));
	if (x.d->exec(c,
		"SELECT account_id, key_hash, basket_id, status, results,"
		" created_at, expires_at FROM partner_replays"
		" WHERE account_id = $1 AND key_hash = $2 AND expires_at > $3",
		p, 3, replay_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.n == 0 ? 1 : 0;
}

int
store_replay_put(struct store *st, struct store_conn *c,
    const struct store_replay *r)
{
	struct store_val p[7];

	p[0] = SV_T(r->account_id);
	p[1] = SV_B(r->key_hash, STORE_HASH_BYTES);
	p[2] = SV_I(r->basket_id);
	p[3] = SV_I(r->status);
	p[4] = SV_T(r->results);
	p[5] = SV_I(r->created_at);
	p[6] = SV_I(r->expires_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO partner_replays (account_id, key_hash, basket_id,"
	    " status, results, created_at, expires_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7)"
	    " ON CONFLICT (account_id, key_hash) DO UPDATE SET"
	    " basket_id = excluded.basket_id, status = excluded.status,"
	    " results = excluded.results, created_at = excluded.created_at,"
	    " expires_at = excluded.expires_at"
	    " WHERE partner_replays.expires_at <= excluded.created_at",
	    p, 7, NULL, NULL);
}

long
store_replays_purge(struct store *st, struct store_conn *c, int64_t now)
{
	struct store_val p[1] = { SV_I(now) };

	return store_exec_count(st, c,
	    "DELETE FROM partner_replays WHERE expires_at <= $1 RETURNING 1", p,
	    1);
}
