/* rectify.c - self-service rectification of one's display name. */
#include "gdpr/rectify.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "auth/account.h"
#include "store/driver.h"
#include "store/privacy.h"

struct rectify_tx {
	const struct auth *a;
	const char *account_id, *ip;
	const struct store_blob *name;
	int64_t now;
	int missing;
};

static int
rectify_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct rectify_tx *t = arg;
	struct store_account acc;
	struct audit_entry e;
	int rc;

	if ((rc = store_account_get(st, c, t->account_id, &acc)) != 0) {
		store_account_clear(&acc);
		t->missing = rc > 0;
		return rc < 0 ? -1 : 1;
	}
	if ((rc = store_account_name_set(st, c, t->account_id, t->name)) != 0) {
		store_account_clear(&acc);
		return rc < 0 ? -1 : 1;
	}
	memset(&e, 0, sizeof(e));
	e.actor = t->account_id;
	e.action = "rights.rectify";
	e.target_type = "account";
	e.target_ids = t->account_id;
	e.org = acc.org_id;
	e.ip = t->ip;
	e.outcome = AUDIT_SUCCESS;
	e.details = "{\"fields\":[\"display_name\"]}";
	rc = audit_append(st, c, t->a->audit_key, t->now, &e, NULL);
	store_account_clear(&acc);
	return rc;
}

int
rectify_display_name(const struct auth *a, const char *account_id,
    const char *name, int64_t now, const char *ip, char *why, size_t whylen)
{
	struct rectify_tx t;
	struct store_blob sealed = { NULL, 0 };
	struct data_key k;
	char owner[AUTH_OWNER_MAX];
	int rc;

	if ((rc = account_check_name(name, why, whylen)) != 0)
		return rc;
	if (auth_subject_owner(account_id, owner) != 0)
		return -1;
	if ((rc = auth_key(a, owner, 0, &k)) != 0) {
		if (rc > 0)
			snprintf(why, whylen, "Compte introuvable.");
		return rc;
	}
	rc = auth_seal(&k, "accounts", "display_name", account_id, name,
	    &sealed);
	sodium_memzero(&k, sizeof(k));
	if (rc != 0)
		return -1;
	memset(&t, 0, sizeof(t));
	t.a = a;
	t.account_id = account_id;
	t.ip = ip;
	t.name = &sealed;
	t.now = now;
	rc = store_tx(a->st, 1, rectify_tx, &t);
	store_blob_wipe(&sealed);
	if (rc > 0 || t.missing) {
		snprintf(why, whylen, "Compte introuvable.");
		return 1;
	}
	return rc == 0 ? 0 : -1;
}
