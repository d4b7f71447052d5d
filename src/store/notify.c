/* notify.c (store) - SQL for in-app notifications. */
#include "store/notify.h"

#include <string.h>

#include "store/driver.h"

int
store_notification_insert(struct store *st, struct store_conn *c,
    const struct store_notification *n)
{
	struct store_val p[5];

	p[0] = SV_T(n->account_id);
	p[1] = SV_T(n->org_id[0] ? n->org_id : NULL);
	p[2] = SV_T(n->kind);
	p[3] = SV_T(n->params[0] ? n->params : "{}");
	p[4] = SV_I(n->created_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO notifications (account_id, org_id, kind, params,"
	    " created_at) VALUES ($1, $2, $3, $4, $5)",
	    p, 5, NULL, NULL);
}

struct each_account {
	const struct store_driver *d;
	int (*fn)(void *arg, const char *account_id);
	void *arg;
};

static int
account_row(void *arg, const struct store_row *r)
{
	struct each_account *e = arg;
	char id[STORE_ID_MAX];

	if (store_row_copy_text(id, sizeof(id), e->d, r, 0) != 0)
		return -1;
	return e->fn(e->arg, id);
}

int
store_org_school_staff(struct store *st, struct store_conn *c,
    const char *org_id, int (*fn)(void *arg, const char *account_id), void *arg)
{
	struct each_account e = { store_drv(st), fn, arg };
	struct store_val p[1];

	p[0] = SV_T(org_id);
	return store_drv(st)->exec(c,
	    "SELECT DISTINCT r.account_id FROM account_roles r"
	    " JOIN accounts a ON a.id = r.account_id"
	    " WHERE r.org_id = $1"
	    " AND r.role IN ('school_admin', 'school_manager')"
	    " AND a.status = 'active' ORDER BY r.account_id",
	    p, 1, account_row, &e);
}

struct list_scan {
	const struct store_driver *d;
	int (*fn)(void *arg, const struct store_notification *n);
	void *arg;
};

static int
list_row(void *arg, const struct store_row *r)
{
	struct list_scan *x = arg;
	const struct store_driver *d = x->d;
	struct store_notification n;

	memset(&n, 0, sizeof(n));
	n.id = d->row_int(r, 0);
	if (store_row_copy_text(n.account_id, sizeof(n.account_id), d, r, 1) !=
		0 ||
	    store_row_copy_text(n.org_id, sizeof(n.org_id), d, r, 2) != 0 ||
	    store_row_copy_text(n.kind, sizeof(n.kind), d, r, 3) != 0 ||
	    store_row_copy_text(n.params, sizeof(n.params), d, r, 4) != 0)
		return -1;
	n.created_at = d->row_int(r, 5);
	n.read_at = d->row_is_null(r, 6) ? 0 : d->row_int(r, 6);
	return x->fn(x->arg, &n);
}

int
store_notification_list(struct store *st, struct store_conn *c,
    const char *account_id, int unread_only, long limit,
    int (*fn)(void *arg, const struct store_notification *n), void *arg)
{
	struct list_scan x = { store_drv(st), fn, arg };
	struct store_val p[3];

	p[0] = SV_T(account_id);
	p[1] = SV_I(unread_only ? 1 : 0);
	p[2] = SV_I(limit);
	return x.d->exec(c,
	    "SELECT id, account_id, org_id, kind, params, created_at, read_at"
	    " FROM notifications WHERE account_id = $1"
	    " AND ($2 = 0 OR read_at IS NULL)"
	    " ORDER BY created_at DESC, id DESC LIMIT $3",
	    p, 3, list_row, &x);
}

int
store_notification_unread(struct store *st, struct store_conn *c,
    const char *account_id, long *n)
{
	struct store_int_out out = { store_drv(st), 0, 0 };
	struct store_val p[1];

	p[0] = SV_T(account_id);
	if (out.d->exec(c,
		"SELECT count(*) FROM notifications WHERE account_id = $1"
		" AND read_at IS NULL",
		p, 1, store_row_int, &out) != 0)
		return -1;
	*n = (long)out.v;
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
store_notification_mark_read(struct store *st, struct store_conn *c,
    const char *account_id, int64_t id, int64_t now)
{
	struct store_val p[3];
	long n = 0;

	p[0] = SV_T(account_id);
	p[1] = SV_I(id);
	p[2] = SV_I(now);
	if (store_drv(st)->exec(c,
		"UPDATE notifications SET read_at = coalesce(read_at, $3)"
		" WHERE account_id = $1 AND id = $2 RETURNING id",
		p, 3, count_row, &n) != 0)
		return -1;
	return n == 0 ? 1 : 0;
}

int
store_notification_mark_all_read(struct store *st, struct store_conn *c,
    const char *account_id, int64_t now, long *n)
{
	struct store_val p[2];

	*n = 0;
	p[0] = SV_T(account_id);
	p[1] = SV_I(now);
	return store_drv(st)->exec(c,
	    "UPDATE notifications SET read_at = $2 WHERE account_id = $1"
	    " AND read_at IS NULL RETURNING id",
	    p, 2, count_row, n);
}
