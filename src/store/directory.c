/* directory.c (store) - listing an organisation's accounts. */
#include "store/directory.h"

#include "store/driver.h"

struct ids {
	const struct store_driver *d;
	store_id_fn fn;
	void *arg;
};

static int
id_row(void *arg, const struct store_row *r)
{
	struct ids *x = arg;
	const char *id = x->d->row_text(r, 0);

	return id == NULL ? 0 : x->fn(x->arg, id);
}

int
store_account_ids(struct store *st, const char *org_id, long limit,
    store_id_fn fn, void *arg)
{
	struct store_conn *c = store_conn(st);
	struct ids x = { store_drv(st), fn, arg };
	struct store_val p[2];

	if (c == NULL)
		return -1;
	p[0] = SV_T(org_id);
	p[1] = SV_I(limit > 0 ? limit : 1000);
	return x.d->exec(c,
	    "SELECT id FROM accounts WHERE ($1 IS NULL OR org_id = $1)"
	    " ORDER BY created_at, id LIMIT $2",
	    p, 2, id_row, &x);
}
