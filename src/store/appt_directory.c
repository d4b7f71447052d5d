/* appt_directory.c (store) - the public directory's rows. */
#include "store/appt_directory.h"

#include "store/driver.h"

struct dir_walk {
	const struct store_driver *d;
	store_appt_dir_fn fn;
	void *arg;
};

static int
dir_row(void *arg, const struct store_row *r)
{
	struct dir_walk *w = arg;
	struct store_appt_dir_row x;

	x.org_id = w->d->row_text(r, 0);
	x.org_name = w->d->row_text(r, 1);
	x.place_name = w->d->row_text(r, 2);
	x.address = w->d->row_text(r, 3);
	if (x.org_id == NULL || x.org_name == NULL || x.place_name == NULL ||
	    x.address == NULL)
		return 0;
	return w->fn(w->arg, &x);
}

int
store_appt_directory(struct store *st, struct store_conn *c,
    store_appt_dir_fn fn, void *arg)
{
	struct dir_walk w = { store_drv(st), fn, arg };

	/* An organisation without a tenants row is active (tenancy). */
	return w.d->exec(c,
	    "SELECT o.id, o.name, p.name, p.address FROM organisations o"
	    " JOIN appt_places p ON p.org_id = o.id AND p.archived_at IS NULL"
	    " LEFT JOIN tenants t ON t.org_id = o.id"
	    " WHERE o.kind = 'service'"
	    " AND (t.state IS NULL OR t.state = 'active')"
	    " AND EXISTS (SELECT 1 FROM appt_motifs m WHERE m.org_id = o.id"
	    "  AND m.online = 1 AND m.archived_at IS NULL)"
	    " ORDER BY o.name, o.id, p.name",
	    NULL, 0, dir_row, &w);
}
