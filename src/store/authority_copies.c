/* authority_copies.c (store) - SQL of remote mode's copies of lists. */
#include "store/authority_copies.h"

#include <string.h>

#include "store/driver.h"

int
store_authority_copy_put(struct store *st, struct store_conn *c,
    const char *account_id, const char *org_id, const char *kind,
    const struct store_blob *body, int64_t fetched_at)
{
	struct store_val p[5] = { SV_T(account_id), SV_T(org_id), SV_T(kind),
		SV_B(body->p, body->len), SV_I(fetched_at) };

	return store_drv(st)->exec(c,
	    "INSERT INTO authority_copies (account_id, org_id, kind, body,"
	    " fetched_at) VALUES ($1, $2, $3, $4, $5)"
	    " ON CONFLICT (account_id, kind) DO UPDATE SET org_id = $2,"
	    " body = $4, fetched_at = $5",
	    p, 5, NULL, NULL);
}

struct copy_read {
	const struct store_driver *d;
	struct store_blob *body;
	int64_t *fetched_at;
	int found, bad;
};

static int
read_copy(void *arg, const struct store_row *r)
{
	struct copy_read *x = arg;

	x->found = 1;
	*x->fetched_at = x->d->row_int(r, 1);
	if (store_row_copy_blob(x->d, r, 0, x->body) != 0)
		x->bad = 1;
	return 1;
}

int
store_authority_copy_get(struct store *st, struct store_conn *c,
    const char *account_id, const char *kind, struct store_blob *body,
    int64_t *fetched_at)
{
	struct store_val p[2] = { SV_T(account_id), SV_T(kind) };
	struct copy_read x = { store_drv(st), body, fetched_at, 0, 0 };

	memset(body, 0, sizeof(*body));
	*fetched_at = 0;
	if (store_drv(st)->exec(c,
		"SELECT body, fetched_at FROM authority_copies"
		" WHERE account_id = $1 AND kind = $2",
		p, 2, read_copy, &x) != 0 ||
	    x.bad)
		return -1;
	return x.found ? 0 : 1;
}

long
store_authority_copy_purge(struct store *st, struct store_conn *c,
    int64_t cutoff)
{
	struct store_val p[1] = { SV_I(cutoff) };

	return store_exec_count(st, c,
	    "DELETE FROM authority_copies WHERE fetched_at < $1 RETURNING 1", p,
	    1);
}
