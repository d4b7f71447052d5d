/* notify.c - in-app notifications, written in the caller's transaction. */
#include "notify/notify.h"

#include <stdio.h>
#include <string.h>

#include "store/notify.h"

int
notify_account(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *org_id, const struct notice *n,
    int64_t now)
{
	struct store_notification row;

	memset(&row, 0, sizeof(row));
	if (account_id == NULL || n->kind == NULL ||
	    snprintf(row.account_id, sizeof(row.account_id), "%s",
		account_id) >= (int)sizeof(row.account_id) ||
	    snprintf(row.org_id, sizeof(row.org_id), "%s",
		org_id ? org_id : "") >= (int)sizeof(row.org_id) ||
	    snprintf(row.kind, sizeof(row.kind), "%s", n->kind) >=
		(int)sizeof(row.kind) ||
	    snprintf(row.params, sizeof(row.params), "%s",
		n->params ? n->params : "{}") >= (int)sizeof(row.params))
		return -1;
	row.created_at = now;
	return store_notification_insert(a->st, c, &row);
}

struct fanout {
	const struct auth *a;
	struct store_conn *c;
	const char *org_id;
	const char *actor;
	const struct notice *n;
	int64_t now;
	int actor_done;
};

static int
each_staff(void *arg, const char *account_id)
{
	struct fanout *f = arg;

	if (f->actor != NULL && strcmp(f->actor, account_id) == 0)
		f->actor_done = 1;
	return notify_account(f->a, f->c, account_id, f->org_id, f->n, f->now);
}

int
notify_school(const struct auth *a, struct store_conn *c, const char *org_id,
    const char *actor, const struct notice *n, int64_t now)
{
	struct fanout f = { a, c, org_id, actor, n, now, 0 };

	if (store_org_school_staff(a->st, c, org_id, each_staff, &f) != 0)
		return -1;
	if (actor != NULL && !f.actor_done)
		return notify_account(a, c, actor, org_id, n, now);
	return 0;
}
