/* notify.c - in-app notifications and their emails, written in the
 * caller's transaction. */
#include "notify/notify.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/log.h"
#include "crypto/field.h"
#include "notify/branding.h"
#include "notify/outbox.h"
#include "notify/texts.h"
#include "store/driver.h"
#include "store/notify.h"

static atomic_int email_on = 1;

void
notify_email_set(int on)
{
	atomic_store(&email_on, on != 0);
}

int
notify_email_enabled(void)
{
	return atomic_load(&email_on);
}

int
notify_account_email(const struct auth *a, struct store_conn *c,
    const char *account_id, char **email, size_t *len)
{
	struct store_account acc;
	struct data_key k;
	char owner[AUTH_OWNER_MAX];
	int rc;

	*email = NULL;
	if (auth_subject_owner(account_id, owner) != 0)
		return 1;
	if ((rc = store_account_get(a->st, c, account_id, &acc)) != 0) {
		store_account_clear(&acc);
		return rc;
	}
	rc = 1;
	if (!acc.disabled && acc.email.p != NULL &&
	    (rc = auth_key(a, owner, 0, &k)) == 0) {
		if (field_open(&k, "accounts", "email", acc.id, acc.email.p,
			acc.email.len, email, len) != 0)
			rc = -1;
		sodium_memzero(&k, sizeof(k));
	}
	store_account_clear(&acc);
	return rc;
}

/* Queues the email of notice n to account_id, when there is one to send. */
static int
notify_email(const struct auth *a, struct store_conn *c, const char *account_id,
    const char *org_id, const struct notice *n, int64_t now)
{
	char subject[NOTIFY_SUBJECT_MAX + 1], *email = NULL, *body = NULL;
	size_t elen = 0;
	int rc, failed = 0;

	if (!atomic_load(&email_on) || !notify_text_emailed(n->kind))
		return 0;
	if ((rc = notify_text(n->kind, n->params, subject, sizeof(subject),
		 &body)) != 0) {
		/* The notice stands without its email. */
		log_warnx("notify: no email text for a %s notice", n->kind);
		return 0;
	}
	/* The organisation's sender name and signature (its settings). */
	if (notify_brand(a, c, org_id, subject, sizeof(subject), &body) != 0)
		log_warnx("notify: the branding of an organisation is "
			  "unreadable");
	rc = notify_account_email(a, c, account_id, &email, &elen);
	if (rc == 0)
		failed = outbox_enqueue(a, c, account_id, email, subject, body,
			     now) != 0;
	else if (rc < 0)
		log_warnx("notify: the address of an account is unreadable");
	field_free(email, elen);
	field_free(body, body ? strlen(body) : 0);
	/* Only a failed write breaks the transaction; an account without
	 * a readable address simply gets no email. */
	return failed ? -1 : 0;
}

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
	if (store_notification_insert(a->st, c, &row) != 0)
		return -1;
	return notify_email(a, c, account_id, org_id, n, now);
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

struct list_arg {
	const char *account_id;
	int unread_only;
	long limit;
	int (*fn)(void *arg, const struct store_notification *n);
	void *arg;
	long *unread;
	int rc;
};

static int
list_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct list_arg *x = arg;

	if (store_notification_unread(st, c, x->account_id, x->unread) != 0)
		return -1;
	x->rc = store_notification_list(st, c, x->account_id, x->unread_only,
	    x->limit, x->fn, x->arg);
	return x->rc < 0 ? -1 : 0;
}

int
notify_list(const struct auth *a, const char *account_id, int unread_only,
    long limit, int (*fn)(void *arg, const struct store_notification *n),
    void *arg, long *unread)
{
	struct list_arg x;

	*unread = 0;
	x.account_id = account_id;
	x.unread_only = unread_only;
	x.limit = limit;
	x.fn = fn;
	x.arg = arg;
	x.unread = unread;
	x.rc = 0;
	if (store_tx(a->st, 0, list_tx, &x) != 0)
		return -1;
	return x.rc;
}

struct read_arg {
	const char *account_id;
	int64_t id, now;
	long n;
	int rc;
};

static int
read_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct read_arg *x = arg;

	x->rc =
	    store_notification_mark_read(st, c, x->account_id, x->id, x->now);
	return x->rc < 0 ? -1 : 0;
}

int
notify_read(const struct auth *a, const char *account_id, int64_t id,
    int64_t now)
{
	struct read_arg x = { account_id, id, now, 0, 0 };

	if (store_tx(a->st, 1, read_tx, &x) != 0)
		return -1;
	return x.rc;
}

static int
read_all_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct read_arg *x = arg;

	return store_notification_mark_all_read(st, c, x->account_id, x->now,
	    &x->n);
}

int
notify_read_all(const struct auth *a, const char *account_id, int64_t now,
    long *n)
{
	struct read_arg x = { account_id, 0, now, 0, 0 };

	*n = 0;
	if (store_tx(a->st, 1, read_all_tx, &x) != 0)
		return -1;
	*n = x.n;
	return 0;
}
