/* consent.c - the consent ledger and policy acknowledgements. */
#include "gdpr/consent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "store/driver.h"
#include "store/privacy.h"

static int
refuse(char *why, size_t whylen, const char *msg)
{
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s", msg);
	return 1;
}

/* Appends an audit entry on account_id with details {purpose?, version}. */
static int
audit_consent(const struct auth *a, struct store_conn *c, int64_t now,
    const char *account_id, const char *org_id, const char *action,
    const char *purpose, const char *version, const char *via, const char *ip)
{
	struct audit_entry e;
	json_t *d;
	char *details;
	int rc;

	d = json_pack("{s:s?, s:s, s:s?}", "purpose", purpose, "version",
	    version, "via", via);
	if (d == NULL || (details = json_dumps(d, JSON_COMPACT)) == NULL) {
		json_decref(d);
		return -1;
	}
	json_decref(d);
	memset(&e, 0, sizeof(e));
	e.actor = account_id;
	e.action = action;
	e.target_type = "account";
	e.target_ids = account_id;
	e.org = org_id;
	e.ip = ip;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	rc = audit_append(a->st, c, a->audit_key, now, &e, NULL);
	free(details);
	return rc;
}

struct set_tx {
	const struct auth *a;
	const char *account_id, *org_id, *purpose, *via, *version, *ip;
	int given;
	int64_t now;
	int changed;
};

static int
set_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct set_tx *t = arg;
	struct store_consent cur, row;
	int rc;

	if ((rc = store_consent_open_get(st, c, t->account_id, t->purpose,
		 &cur)) < 0)
		return -1;
	if (!t->given) {
		if (rc == 1)
			return 0;
		if (store_consent_close(st, c, cur.id, t->now, t->via) != 0)
			return -1;
	} else {
		if (rc == 0 && strcmp(cur.policy_version, t->version) == 0)
			return 0;
		/* Given under an older text: renewed, not withdrawn. */
		if (rc == 0 &&
		    store_consent_close(st, c, cur.id, t->now, "renewed") != 0)
			return -1;
		memset(&row, 0, sizeof(row));
		snprintf(row.account_id, sizeof(row.account_id), "%s",
		    t->account_id);
		snprintf(row.purpose, sizeof(row.purpose), "%s", t->purpose);
		snprintf(row.policy_version, sizeof(row.policy_version), "%s",
		    t->version);
		snprintf(row.given_via, sizeof(row.given_via), "%s", t->via);
		row.given_at = t->now;
		if (store_consent_insert(st, c, &row) != 0)
			return -1;
	}
	t->changed = 1;
	return audit_consent(t->a, c, t->now, t->account_id, t->org_id,
	    t->given ? "consent.give" : "consent.withdraw", t->purpose,
	    t->version, t->via, t->ip);
}

int
consent_set(const struct auth *a, const struct datamap *m,
    const char *account_id, const char *org_id, const char *purpose, int given,
    const char *via, const char *version, int64_t now, const char *ip,
    int *changed, char *why, size_t whylen)
{
	struct set_tx t;
	int rc;

	*changed = 0;
	if (purpose == NULL || datamap_consent_find(m, purpose) == NULL)
		return refuse(why, whylen,
		    "Le champ « purpose » doit désigner une finalité soumise "
		    "à consentement déclarée dans la politique.");
	if (via == NULL || (strcmp(via, "web") != 0 && strcmp(via, "api") != 0))
		return refuse(why, whylen, "Le champ « via » vaut web ou api.");
	if (version == NULL || strlen(version) >= STORE_VERSION_MAX)
		return -1;
	memset(&t, 0, sizeof(t));
	t.a = a;
	t.account_id = account_id;
	t.org_id = org_id;
	t.purpose = purpose;
	t.via = via;
	t.version = version;
	t.ip = ip;
	t.given = given;
	t.now = now;
	rc = store_tx(a->st, 1, set_tx, &t);
	if (rc == 0)
		*changed = t.changed;
	return rc == 0 ? 0 : -1;
}

struct ack_tx {
	const struct auth *a;
	const char *account_id, *org_id, *version, *ip;
	int64_t now;
};

static int
ack_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct ack_tx *t = arg;
	int64_t at;
	int rc;

	if ((rc = store_policy_ack_get(st, c, t->account_id, t->version,
		 &at)) <= 0)
		return rc; /* already acknowledged: nothing to record */
	if (store_policy_ack_insert(st, c, t->account_id, t->version, t->now) !=
	    0)
		return -1;
	return audit_consent(t->a, c, t->now, t->account_id, t->org_id,
	    "policy.acknowledge", NULL, t->version, NULL, t->ip);
}

int
consent_acknowledge_tx(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *org_id, const char *version,
    int64_t now, const char *ip)
{
	struct ack_tx t = { a, account_id, org_id, version, ip, now };

	return ack_tx(a->st, c, &t) == 0 ? 0 : -1;
}

int
consent_acknowledge(const struct auth *a, const char *account_id,
    const char *org_id, const char *version, const char *current, int64_t now,
    const char *ip, char *why, size_t whylen)
{
	struct ack_tx t = { a, account_id, org_id, version, ip, now };

	if (version == NULL || current == NULL || strcmp(version, current) != 0)
		return refuse(why, whylen,
		    "Le champ « version » doit être la version en vigueur de "
		    "la politique de confidentialité.");
	return store_tx(a->st, 1, ack_tx, &t) == 0 ? 0 : -1;
}

int
consent_policy_pending(const struct auth *a, const char *account_id,
    const char *current)
{
	struct store_conn *c = store_conn(a->st);
	int64_t at;
	int rc;

	if (c == NULL)
		return -1;
	rc = store_policy_ack_get(a->st, c, account_id, current, &at);
	return rc < 0 ? -1 : rc;
}

static int
count_ack(void *arg, const char *version, int64_t at)
{
	(void)version;
	(void)at;
	(*(int *)arg)++;
	return 0;
}

int
consent_policy_ever(const struct auth *a, const char *account_id)
{
	struct store_conn *c = store_conn(a->st);
	int n = 0;

	if (c == NULL ||
	    store_policy_ack_list(a->st, c, account_id, count_ack, &n) != 0)
		return -1;
	return n > 0;
}

int
consent_active(const struct auth *a, const char *account_id,
    const char *purpose, const char *current)
{
	struct store_conn *c = store_conn(a->st);
	struct store_consent cur;
	int64_t restricted;
	int rc;

	if (c == NULL)
		return -1;
	if ((rc = store_account_restricted(a->st, c, account_id,
		 &restricted)) != 0)
		return rc < 0 ? -1 : 0;
	if (restricted != 0)
		return 0;
	if ((rc = store_consent_open_get(a->st, c, account_id, purpose,
		 &cur)) != 0)
		return rc < 0 ? -1 : 0;
	return strcmp(cur.policy_version, current) == 0;
}

static int
add_history(void *arg, const struct store_consent *r)
{
	return json_array_append_new(arg,
	    json_pack("{s:s, s:s, s:I, s:s, s:o, s:o}", "purpose", r->purpose,
		"policy_version", r->policy_version, "given_at",
		(json_int_t)r->given_at, "given_via", r->given_via,
		"withdrawn_at",
		r->withdrawn_at ? json_integer(r->withdrawn_at) : json_null(),
		"withdrawn_via",
		r->withdrawn_via[0] ? json_string(r->withdrawn_via)
				    : json_null()));
}

/* One declared purpose with the person's open consent (if any). */
static json_t *
purpose_state(const struct auth *a, struct store_conn *c,
    const struct datamap_consent *dc, const char *account_id,
    const char *current, int restricted)
{
	struct store_consent cur;
	int rc, renew;
	json_t *o;

	if ((rc = store_consent_open_get(a->st, c, account_id, dc->id, &cur)) <
	    0)
		return NULL;
	o = json_pack("{s:s, s:s, s:s, s:b}", "purpose", dc->id, "label",
	    dc->label, "description", dc->description, "given", rc == 0);
	if (o == NULL || rc != 0)
		return o;
	renew = strcmp(cur.policy_version, current) != 0;
	json_object_set_new(o, "given_at", json_integer(cur.given_at));
	json_object_set_new(o, "given_via", json_string(cur.given_via));
	json_object_set_new(o, "policy_version",
	    json_string(cur.policy_version));
	json_object_set_new(o, "needs_renewal", json_boolean(renew));
	json_object_set_new(o, "active", json_boolean(!renew && !restricted));
	return o;
}

int
consent_state(const struct auth *a, const struct datamap *m,
    const char *account_id, const char *current, json_t **out)
{
	struct store_conn *c = store_conn(a->st);
	json_t *purposes = NULL, *history = NULL, *o;
	int64_t at = 0, restricted = 0;
	size_t i;
	int rc = -1, acked;

	*out = NULL;
	if (c == NULL || (purposes = json_array()) == NULL ||
	    (history = json_array()) == NULL)
		goto done;
	if ((acked = store_policy_ack_get(a->st, c, account_id, current, &at)) <
		0 ||
	    store_account_restricted(a->st, c, account_id, &restricted) < 0)
		goto done;
	for (i = 0; i < m->nconsents; i++) {
		o = purpose_state(a, c, &m->consents[i], account_id, current,
		    restricted != 0);
		if (o == NULL || json_array_append_new(purposes, o) != 0)
			goto done;
	}
	if (store_consent_list(a->st, c, account_id, add_history, history) != 0)
		goto done;
	*out = json_pack("{s:{s:s, s:b, s:o}, s:b, s:O, s:O}", "policy",
	    "version", current, "acknowledged", acked == 0, "acknowledged_at",
	    acked == 0 ? json_integer(at) : json_null(), "restricted",
	    restricted != 0, "purposes", purposes, "history", history);
	rc = *out != NULL ? 0 : -1;
done:
	json_decref(purposes);
	json_decref(history);
	return rc;
}
