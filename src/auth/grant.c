/* grant.c - temporary permissions. */
#include "auth/grant.h"

#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/rbac.h"
#include "store/driver.h"

struct grant_tx {
	const struct auth *a;
	struct store_grant g;
	int64_t now;
	char *why;
	size_t whylen;
};

static int
insert_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct grant_tx *t = arg;
	struct store_account acc;
	struct audit_entry e;
	char details[160];
	int rc, same;

	memset(&acc, 0, sizeof(acc));
	rc = store_account_get(st, c, t->g.account_id, &acc);
	same = rc == 0 && strcmp(acc.org_id, t->g.org_id) == 0;
	store_account_clear(&acc);
	if (!same) {
		snprintf(t->why, t->whylen,
		    "Le compte « account_id » n'existe pas dans cet "
		    "établissement.");
		return -2;
	}
	if (store_grant_insert(st, c, &t->g) != 0)
		return -1;
	snprintf(details, sizeof(details),
	    "{\"permission\":\"%s\",\"expires_at\":%lld}", t->g.permission,
	    (long long)t->g.expires_at);
	memset(&e, 0, sizeof(e));
	e.actor = t->g.granted_by;
	e.action = "grant.create";
	e.target_type = "account";
	e.target_ids = t->g.account_id;
	e.org = t->g.org_id;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	return audit_append(st, c, t->a->audit_key, t->now, &e, NULL);
}

int
grant_create(const struct auth *a, const char *actor, const char *org_id,
    const char *account_id, const char *perm, int64_t expires_at, int64_t now,
    char id[AUTH_ID_HEX], char *why, size_t whylen)
{
	struct grant_tx t;
	enum perm p;

	if (rbac_perm_parse(perm, &p) != 0 || p == PERM_PUBLIC ||
	    p == PERM_SESSION || p == PERM_SELF || p == PERM_ORG_MANAGE) {
		snprintf(why, whylen,
		    "Le champ « permission » ne désigne pas une permission "
		    "qui peut être accordée temporairement.");
		return -1;
	}
	if (expires_at <= now || expires_at - now > GRANT_MAX_MS) {
		snprintf(why, whylen,
		    "Le champ « expires_at » doit être dans le futur et à "
		    "moins de 90 jours.");
		return -1;
	}
	memset(&t, 0, sizeof(t));
	t.a = a;
	t.now = now;
	t.why = why;
	t.whylen = whylen;
	auth_id_new(t.g.id);
	snprintf(t.g.account_id, sizeof(t.g.account_id), "%s", account_id);
	snprintf(t.g.org_id, sizeof(t.g.org_id), "%s", org_id);
	snprintf(t.g.permission, sizeof(t.g.permission), "%s", perm);
	snprintf(t.g.granted_by, sizeof(t.g.granted_by), "%s", actor);
	t.g.created_at = now;
	t.g.expires_at = expires_at;
	if (store_tx(a->st, 1, insert_tx, &t) != 0) {
		if (why[0] == '\0')
			snprintf(why, whylen,
			    "La permission n'a pas pu être "
			    "enregistrée.");
		return -1;
	}
	memcpy(id, t.g.id, AUTH_ID_HEX);
	return 0;
}

int
grant_active_mask(const struct auth *a, const char *account_id,
    const char *org_id, int64_t now, uint64_t *mask)
{
	struct store_grant g[32];
	struct store_conn *c = store_conn(a->st);
	enum perm p;
	long n, i;

	*mask = 0;
	if (c == NULL)
		return -1;
	n = store_grant_list_active(a->st, c, account_id, now, g, 32);
	if (n < 0)
		return -1;
	if (n > 32)
		n = 32;
	for (i = 0; i < n; i++)
		if (strcmp(g[i].org_id, org_id) == 0 &&
		    rbac_perm_parse(g[i].permission, &p) == 0)
			*mask |= 1ULL << p;
	return 0;
}

long
grant_purge(const struct auth *a, int64_t now)
{
	struct store_conn *c = store_conn(a->st);

	return c == NULL ? -1 : store_grant_delete_expired(a->st, c, now);
}
