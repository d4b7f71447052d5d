/* journal.c - the connection journal. */
#include "auth/journal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/log.h"
#include "store/driver.h"

int
journal_record(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *org_id, const char *event,
    const char *ip, const char *user_agent, int64_t now)
{
	struct store_journal j;
	struct data_key k;
	char id[24], ua[JOURNAL_UA_MAX + 1], ipb[JOURNAL_IP_MAX + 1];
	int rc = -1;

	memset(&j, 0, sizeof(j));
	j.at = now;
	if (account_id != NULL) {
		if (auth_subject_owner(account_id, j.key_owner) != 0 ||
		    snprintf(j.account_id, sizeof(j.account_id), "%s",
			account_id) >= (int)sizeof(j.account_id))
			goto done;
	} else
		snprintf(j.key_owner, sizeof(j.key_owner), "%s",
		    AUTH_KEY_OWNER_JOURNAL);
	if (org_id != NULL &&
	    snprintf(j.org_id, sizeof(j.org_id), "%s", org_id) >=
		(int)sizeof(j.org_id))
		goto done;
	snprintf(j.event, sizeof(j.event), "%s", event);
	if (auth_key(a, j.key_owner, 1, &k) != 0 ||
	    store_journal_next_id(a->st, c, &j.id) != 0)
		goto done;
	snprintf(id, sizeof(id), "%" PRId64, j.id);
	if (ip != NULL) {
		auth_clip(ipb, JOURNAL_IP_MAX, ip);
		if (auth_seal(&k, "login_journal", "ip", id, ipb, &j.ip) != 0)
			goto done;
	}
	if (user_agent != NULL) {
		auth_clip(ua, JOURNAL_UA_MAX, user_agent);
		if (auth_seal(&k, "login_journal", "user_agent", id, ua,
			&j.user_agent) != 0)
			goto done;
	}
	rc = store_journal_insert(a->st, c, &j);
done:
	if (rc != 0)
		log_errorx("%s: cannot journal a %s event", __func__, event);
	sodium_memzero(&k, sizeof(k));
	store_blob_wipe(&j.ip);
	store_blob_wipe(&j.user_agent);
	return rc;
}

struct list_arg {
	const struct auth *a;
	journal_fn fn;
	void *arg;
	char owner[STORE_OWNER_MAX]; /* whose key k is, "" for none */
	int have; /* k holds owner's key */
	struct data_key k;
	int failed;
};

/* Opens a sealed column of entry id; NULL when absent or unreadable. */
static char *
open_col(struct list_arg *l, const char *column, const char *id,
    const struct store_blob *b)
{
	char *pt = NULL;
	size_t n;

	if (b->p == NULL || !l->have ||
	    field_open(&l->k, "login_journal", column, id, b->p, b->len, &pt,
		&n) != 0)
		return NULL;
	return pt;
}

static int
list_row(void *arg, const struct store_journal *j)
{
	struct list_arg *l = arg;
	struct journal_entry e;
	char id[24], *ip, *ua;
	int rc;

	if (strcmp(l->owner, j->key_owner) != 0) {
		snprintf(l->owner, sizeof(l->owner), "%s", j->key_owner);
		rc = auth_key(l->a, j->key_owner, 0, &l->k);
		if (rc < 0) {
			l->failed = 1;
			return 1;
		}
		l->have = rc == 0;
	}
	snprintf(id, sizeof(id), "%" PRId64, j->id);
	ip = open_col(l, "ip", id, &j->ip);
	ua = open_col(l, "user_agent", id, &j->user_agent);
	e.id = j->id;
	e.at = j->at;
	e.account_id = j->account_id;
	e.org_id = j->org_id;
	e.event = j->event;
	e.ip = ip;
	e.user_agent = ua;
	rc = l->fn(l->arg, &e);
	field_free(ip, ip ? strlen(ip) : 0);
	field_free(ua, ua ? strlen(ua) : 0);
	return rc;
}

int
journal_list(const struct auth *a, const char *org_id, int64_t from, int64_t to,
    long limit, journal_fn fn, void *arg)
{
	struct store_conn *c = store_conn(a->st);
	struct list_arg l;
	int rc;

	if (c == NULL)
		return -1;
	memset(&l, 0, sizeof(l));
	l.a = a;
	l.fn = fn;
	l.arg = arg;
	rc =
	    store_journal_list(a->st, c, org_id, from, to, limit, list_row, &l);
	sodium_memzero(&l.k, sizeof(l.k));
	return rc != 0 || l.failed ? -1 : 0;
}

static int
purge_tx(struct store *st, struct store_conn *c, void *arg)
{
	int64_t *cut = arg; /* in: cutoff; out: count */
	long n = store_journal_delete_before(st, c, *cut);

	if (n < 0)
		return -1;
	*cut = n;
	return 0;
}

long
journal_purge_before(const struct auth *a, int64_t cutoff)
{
	int64_t v = cutoff;

	if (store_tx(a->st, 1, purge_tx, &v) != 0)
		return -1;
	return (long)v;
}

long
journal_purge(const struct auth *a, int64_t now)
{
	return journal_purge_before(a, now - JOURNAL_RETENTION_MS);
}
