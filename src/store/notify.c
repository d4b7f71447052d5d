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
