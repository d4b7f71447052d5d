/* dossier_keys.c - SQL for the validators' public keys. */
#include <stdlib.h>
#include <string.h>

#include "store/dossier_rows.h"
#include "store/dossier_store.h"
#include "store/driver.h"

struct count {
	const struct store_driver *drv;
	long n;
};

static int
count_row(void *arg, const struct store_row *r)
{
	(void)r;
	((struct count *)arg)->n++;
	return 0;
}

int
store_validator_key_insert(struct store *st, struct store_conn *c,
    struct store_validator_key *k, const char *wrapped)
{
	struct store_val p[6];
	struct store_int_out o = { store_drv(st), 0, 0 };
	struct count seen = { store_drv(st), 0 };

	p[0] = SV_T(k->fingerprint);
	if (store_drv(st)->exec(c,
		"SELECT id FROM validator_keys WHERE fingerprint = $1", p, 1,
		count_row, &seen) != 0)
		return -1;
	if (seen.n > 0)
		return 1;
	p[0] = SV_T(k->org_id);
	p[1] = SV_T(k->account_id);
	p[2] = SV_T(k->jwk);
	p[3] = SV_T(k->fingerprint);
	p[4] = SV_T(wrapped);
	p[5] = SV_I(k->created_at);
	if (store_drv(st)->exec(c,
		"INSERT INTO validator_keys (org_id, account_id, jwk,"
		" fingerprint, wrapped_private, created_at) VALUES ($1, $2,"
		" $3, $4, $5, $6) RETURNING id",
		p, 6, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	k->id = o.v;
	k->has_private = wrapped != NULL;
	return 0;
}

struct each {
	const struct store_driver *drv;
	store_validator_key_fn fn;
	void *arg;
};

static int
key_row(void *arg, const struct store_row *r)
{
	struct each *e = arg;
	struct store_validator_key k;

	memset(&k, 0, sizeof(k));
	k.id = e->drv->row_int(r, 0);
	if (store_row_copy_text(k.org_id, sizeof(k.org_id), e->drv, r, 1) !=
		0 ||
	    store_row_copy_text(k.account_id, sizeof(k.account_id), e->drv, r,
		2) != 0 ||
	    store_row_copy_text(k.jwk, sizeof(k.jwk), e->drv, r, 3) != 0 ||
	    store_row_copy_text(k.fingerprint, sizeof(k.fingerprint), e->drv, r,
		4) != 0)
		return -1;
	k.has_private = (int)e->drv->row_int(r, 5);
	k.created_at = e->drv->row_int(r, 6);
	k.revoked_at = e->drv->row_is_null(r, 7) ? 0 : e->drv->row_int(r, 7);
	return e->fn(e->arg, &k);
}

int
store_validator_keys_of_org(struct store *st, struct store_conn *c,
    const char *org_id, int in_force, store_validator_key_fn fn, void *arg)
{
	struct store_val p[2] = { SV_T(org_id), SV_I(in_force ? 1 : 0) };
	struct each e = { store_drv(st), fn, arg };

	return store_drv(st)->exec(c,
	    "SELECT id, org_id, account_id, jwk, fingerprint,"
	    " CASE WHEN wrapped_private IS NULL THEN 0 ELSE 1 END,"
	    " created_at, revoked_at FROM validator_keys WHERE org_id = $1"
	    " AND ($2 = 0 OR revoked_at IS NULL) ORDER BY id",
	    p, 2, key_row, &e);
}

int
store_validator_key_revoke(struct store *st, struct store_conn *c,
    const char *org_id, int64_t id, int64_t now)
{
	struct store_val p[3] = { SV_T(org_id), SV_I(id), SV_I(now) };
	struct count n = { store_drv(st), 0 };

	/* The wrapped private key goes with it: a revoked key opens
	 * nothing new, and its holder has no reason to fetch it again. */
	if (store_drv(st)->exec(c,
		"UPDATE validator_keys SET revoked_at = $3, wrapped_private ="
		" NULL WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL"
		" RETURNING id",
		p, 3, count_row, &n) != 0)
		return -1;
	return n.n > 0 ? 0 : 1;
}

int
store_validator_key_private(struct store *st, struct store_conn *c,
    const char *account_id, int64_t id, char **out)
{
	struct store_val p[2] = { SV_T(account_id), SV_I(id) };
	struct dossier_text t = { store_drv(st), NULL, 0 };

	*out = NULL;
	if (store_drv(st)->exec(c,
		"SELECT wrapped_private FROM validator_keys WHERE"
		" account_id = $1 AND id = $2 AND revoked_at IS NULL AND"
		" wrapped_private IS NOT NULL",
		p, 2, dossier_text_row, &t) != 0) {
		free(t.s);
		return -1;
	}
	*out = t.s;
	return t.s != NULL ? 0 : 1;
}

int
store_validator_keys_delete_of_account(struct store *st, struct store_conn *c,
    const char *account_id, long *n)
{
	struct store_val p[1] = { SV_T(account_id) };
	struct count k = { store_drv(st), 0 };

	*n = 0;
	if (store_drv(st)->exec(c,
		"DELETE FROM validator_keys WHERE account_id = $1 RETURNING id",
		p, 1, count_row, &k) != 0)
		return -1;
	*n = k.n;
	return 0;
}
