/* tenancy.c - a client organisation's changes of state and settings, each
 * in one transaction with its audit entry and notifications. */
#include "service/tenancy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/audit.h"
#include "gdpr/datamap.h"
#include "notify/notify.h"
#include "store/driver.h"
#include "service/tenant_export.h"
#include "store/tenants.h"

#define DAY_MS (24LL * 3600 * 1000)

void
tenancy_view_clear(struct tenancy_view *v)
{
	char **texts[] = { &v->reason, &v->contact, &v->dpo_contact,
		&v->mail_sender, &v->mail_signature };
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		if (*texts[i] != NULL)
			field_free(*texts[i], strlen(*texts[i]));
	sodium_memzero(v, sizeof(*v));
}

int
tenancy_key_owner(const char *org_id, char out[AUTH_OWNER_MAX])
{
	int n = snprintf(out, AUTH_OWNER_MAX, "%s%s", TENANCY_KEY_PREFIX,
	    org_id ? org_id : "");

	return n < 0 || n >= AUTH_OWNER_MAX ? -1 : 0;
}

/* Opens a sealed column of the row into *out (NULL when unset). */
static int
open_text(const struct data_key *k, const char *column, const char *org_id,
    const struct store_blob *b, char **out)
{
	size_t n;

	*out = NULL;
	if (b->p == NULL || k == NULL)
		return 0;
	return field_open(k, "tenants", column, org_id, b->p, b->len, out, &n);
}

/* Fills v from row t, opening its sealed texts with the tenant's key
 * (left NULL when the key is gone: a deleted organisation). */
static int
view_of(const struct auth *a, const struct store_tenant *t,
    struct tenancy_view *v)
{
	char owner[AUTH_OWNER_MAX];
	struct data_key k;
	int rc, have;

	memset(v, 0, sizeof(*v));
	memcpy(v->org_id, t->org_id, sizeof(v->org_id));
	memcpy(v->name, t->name, sizeof(v->name));
	memcpy(v->kind, t->kind, sizeof(v->kind));
	memcpy(v->state_by, t->state_by, sizeof(v->state_by));
	if (tenant_state_parse(t->state, &v->state) != 0)
		return -1;
	v->created_at = t->created_at;
	v->state_at = t->state_at;
	v->terminated_at = t->terminated_at;
	v->delete_after = t->delete_after;
	v->updated_at = t->updated_at;
	snprintf(v->display_name, sizeof(v->display_name), "%s",
	    t->display_name);
	snprintf(v->retention, sizeof(v->retention), "%s",
	    t->retention[0] ? t->retention : "{}");
	v->policy.password_min_length = t->password_min_length;
	v->policy.password_max_age_days = t->password_max_age_days;
	v->policy.session_idle_minutes = t->session_idle_minutes;
	v->policy.session_max_hours = t->session_max_hours;
	if (!t->has_row)
		return 0;
	if (tenancy_key_owner(t->org_id, owner) != 0 ||
	    (have = auth_key(a, owner, 0, &k)) < 0)
		return -1;
	rc = 0;
	if (have == 0 &&
	    (open_text(&k, "reason", t->org_id, &t->reason, &v->reason) != 0 ||
		open_text(&k, "contact", t->org_id, &t->contact, &v->contact) !=
		    0 ||
		open_text(&k, "dpo_contact", t->org_id, &t->dpo_contact,
		    &v->dpo_contact) != 0 ||
		open_text(&k, "mail_sender", t->org_id, &t->mail_sender,
		    &v->mail_sender) != 0 ||
		open_text(&k, "mail_signature", t->org_id, &t->mail_signature,
		    &v->mail_signature) != 0))
		rc = -1;
	sodium_memzero(&k, sizeof(k));
	return rc;
}

struct get_arg {
	const struct auth *a;
	const char *org_id;
	struct store_tenant row;
	int found;
};

static int
get_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct get_arg *x = arg;
	int rc = store_tenant_get(st, c, x->org_id, &x->row);

	if (rc < 0)
		return -1;
	x->found = rc == 0 && strcmp(x->row.kind, "platform") != 0;
	return 0;
}

int
tenancy_get(const struct auth *a, const char *org_id, struct tenancy_view *out)
{
	struct get_arg x;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.org_id = org_id;
	if (store_tx(a->st, 0, get_tx, &x) != 0) {
		store_tenant_clear(&x.row);
		return -1;
	}
	if (!x.found) {
		store_tenant_clear(&x.row);
		return 1;
	}
	rc = view_of(a, &x.row, out);
	store_tenant_clear(&x.row);
	if (rc != 0)
		tenancy_view_clear(out);
	return rc;
}

struct list_arg {
	const struct auth *a;
	int (*fn)(void *arg, const struct tenancy_view *v);
	void *arg;
};

static int
list_one(void *arg, const struct store_tenant *t)
{
	struct list_arg *x = arg;
	struct tenancy_view v;
	int rc;

	if (view_of(x->a, t, &v) != 0) {
		tenancy_view_clear(&v);
		return -1;
	}
	rc = x->fn(x->arg, &v);
	tenancy_view_clear(&v);
	return rc;
}

static int
list_tx(struct store *st, struct store_conn *c, void *arg)
{
	return store_tenant_list(st, c, list_one, arg);
}

int
tenancy_list(const struct auth *a,
    int (*fn)(void *arg, const struct tenancy_view *v), void *arg)
{
	struct list_arg x = { a, fn, arg };

	return store_tx(a->st, 0, list_tx, &x);
}

/* Notifies every admin of the organisation. */
struct fanout {
	const struct auth *a;
	struct store_conn *c;
	const char *org_id;
	const struct notice *n;
	int64_t now;
};

static int
each_admin(void *arg, const char *account_id)
{
	struct fanout *f = arg;

	return notify_account(f->a, f->c, account_id, f->org_id, f->n, f->now);
}

static int
notify_admins(const struct auth *a, struct store_conn *c, const char *org_id,
    const struct notice *n, int64_t now)
{
	struct fanout f = { a, c, org_id, n, now };

	return store_tenant_admins(a->st, c, org_id, each_admin, &f);
}

static int
refuse(struct tenant_refusal *r, const char *field, const char *text)
{
	snprintf(r->field, sizeof(r->field), "%s", field);
	snprintf(r->text, sizeof(r->text), "%s", text);
	return 2;
}

/* Seals s (NULL or "": cleared) into *b under k. */
static int
seal_text(const struct data_key *k, const char *column, const char *org_id,
    const char *s, struct store_blob *b)
{
	b->p = NULL;
	b->len = 0;
	if (s == NULL || s[0] == '\0')
		return 0;
	return auth_seal(k, "tenants", column, org_id, s, b);
}

static int
audit_tenant(const struct auth *a, struct store_conn *c,
    const struct svc_actor *who, const char *action, const char *org_id,
    json_t *details, int64_t now)
{
	struct audit_entry e;
	char *text = json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS);
	int rc;

	if (text == NULL)
		return -1;
	memset(&e, 0, sizeof(e));
	e.actor = who->account_id;
	e.action = action;
	e.target_type = "organisation";
	e.target_ids = org_id;
	e.org = org_id;
	e.ip = who->ip;
	e.request_id = who->request_id;
	e.outcome = AUDIT_SUCCESS;
	e.details = text;
	rc = audit_append(a->st, c, a->audit_key, now, &e, NULL);
	free(text);
	return rc;
}

struct move_arg {
	const struct auth *a;
	const struct svc_actor *who;
	const char *org_id;
	enum tenant_action act;
	const char *reason;
	long grace_days;
	int64_t now;
	const struct data_key *key;
	struct tenant_refusal *why;
};

static const char *const notice_kinds[] = {
	[TENANT_SUSPEND] = "tenant.suspended",
	[TENANT_REACTIVATE] = "tenant.reactivated",
	[TENANT_TERMINATE] = "tenant.terminated",
	[TENANT_DELETE] = NULL,
};

static int
move_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct move_arg *x = arg;
	struct store_tenant t;
	enum tenant_state from, to;
	char params[64], action[32];
	struct notice n;
	json_t *details;
	int rc;

	memset(&t, 0, sizeof(t));
	if ((rc = store_tenant_get(st, c, x->org_id, &t)) != 0)
		return rc;
	if (strcmp(t.kind, "platform") == 0) {
		store_tenant_clear(&t);
		return 1;
	}
	if (tenant_state_parse(t.state, &from) != 0) {
		store_tenant_clear(&t);
		return -1;
	}
	if (tenant_next(from, x->act, &to) != 0) {
		store_tenant_clear(&t);
		refuse(x->why, "state", tenant_refusal_text(from, x->act));
		snprintf(x->why->field, sizeof(x->why->field), "state");
		return 2;
	}
	snprintf(t.state, sizeof(t.state), "%s", tenant_state_name(to));
	t.state_at = x->now;
	snprintf(t.state_by, sizeof(t.state_by), "%s",
	    x->who->account_id ? x->who->account_id : "");
	if (t.reason.p != NULL) {
		sodium_memzero(t.reason.p, t.reason.len);
		free(t.reason.p);
		t.reason.p = NULL;
		t.reason.len = 0;
	}
	rc = -1;
	if (seal_text(x->key, "reason", x->org_id, x->reason, &t.reason) != 0)
		goto done;
	if (to == TENANT_TERMINATED) {
		t.terminated_at = x->now;
		t.delete_after = x->now + (int64_t)x->grace_days * DAY_MS;
	}
	if (!t.has_row)
		t.updated_at = x->now;
	if (store_tenant_put(st, c, &t) != 0)
		goto done;
	/* Terminated: nobody of the organisation stays signed in. */
	if (to == TENANT_TERMINATED &&
	    store_tenant_sessions_end(st, c, x->org_id) < 0)
		goto done;
	/* Terminated: the export of everything is offered for a month. */
	if (to == TENANT_TERMINATED &&
	    tenant_export_on_terminate(x->a, c, x->org_id, x->now) != 0)
		goto done;
	details = json_pack("{s:s, s:s, s:s?}", "from", tenant_state_name(from),
	    "to", tenant_state_name(to), "reason", x->reason);
	if (details != NULL && to == TENANT_TERMINATED)
		json_object_set_new(details, "delete_after",
		    json_integer(t.delete_after));
	snprintf(action, sizeof(action), "tenant.%s",
	    tenant_action_name(x->act));
	rc = details == NULL ||
		audit_tenant(x->a, c, x->who, action, x->org_id, details,
		    x->now) != 0
	    ? -1
	    : 0;
	json_decref(details);
	if (rc != 0 || notice_kinds[x->act] == NULL)
		goto done;
	n.kind = notice_kinds[x->act];
	n.params = NULL;
	if (to == TENANT_TERMINATED) {
		snprintf(params, sizeof(params), "{\"expires_at\":%lld}",
		    (long long)t.delete_after);
		n.params = params;
	}
	rc = notify_admins(x->a, c, x->org_id, &n, x->now);
done:
	store_tenant_clear(&t);
	return rc;
}

/* Reads (creating it) the tenant's data key into *k. */
static int
tenant_key(const struct auth *a, const char *org_id, struct data_key *k)
{
	char owner[AUTH_OWNER_MAX];

	if (tenancy_key_owner(org_id, owner) != 0)
		return -1;
	return auth_key(a, owner, 1, k) == 0 ? 0 : -1;
}

int
tenancy_transition(const struct auth *a, const struct svc_actor *who,
    const char *org_id, enum tenant_action act, const char *reason,
    long grace_days, int64_t now, struct tenant_refusal *why)
{
	struct move_arg x;
	struct data_key k;
	int rc;

	memset(why, 0, sizeof(*why));
	if ((act == TENANT_SUSPEND || act == TENANT_TERMINATE) &&
	    (reason == NULL || reason[0] == '\0'))
		return refuse(why, "reason",
		    act == TENANT_SUSPEND
			? "Le champ « reason » est obligatoire : le motif de "
			  "la suspension est montré à l'organisme."
			: "Le champ « reason » est obligatoire : le motif de "
			  "la résiliation est gardé avec le contrat.");
	if (tenant_text_check("reason", reason, TENANT_REASON_MAX, 1, why) != 0)
		return 2;
	if (reason != NULL && reason[0] == '\0')
		reason = NULL;
	if (tenant_key(a, org_id, &k) != 0)
		return -1;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.who = who;
	x.org_id = org_id;
	x.act = act;
	x.reason = reason;
	x.grace_days = grace_days;
	x.now = now;
	x.key = &k;
	x.why = why;
	rc = store_tx(a->st, 1, move_tx, &x);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

/* Checks the retention object text and writes its canonical form into
 * out. Returns 0, or 2 with why filled. */
static int
check_retention(const struct datamap *map, const char *text, char *out,
    size_t outlen, struct tenant_refusal *why)
{
	json_t *o, *v;
	const char *rule;
	char *dump;
	int rc = 0;

	if (text == NULL || text[0] == '\0')
		text = "{}";
	o = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return refuse(why, "retention",
		    "Le champ « retention » est un objet : règle -> durée "
		    "(nombre entier, dans l'unité de la règle).");
	}
	json_object_foreach (o, rule, v) {
		if (!json_is_integer(v)) {
			snprintf(why->field, sizeof(why->field),
			    "retention.%.60s", rule);
			snprintf(why->text, sizeof(why->text),
			    "La durée « %.60s » est un nombre entier.", rule);
			rc = 2;
			break;
		}
		if (tenant_retention_check(map, rule, json_integer_value(v),
			why) != 0) {
			rc = 2;
			break;
		}
	}
	if (rc == 0) {
		dump = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
		if (dump == NULL || strlen(dump) >= outlen)
			rc = refuse(why, "retention",
			    "Le champ « retention » est trop long.");
		else
			snprintf(out, outlen, "%s", dump);
		free(dump);
	}
	json_decref(o);
	return rc;
}

struct save_arg {
	const struct auth *a;
	const struct svc_actor *who;
	const char *org_id;
	const struct tenancy_settings *in;
	const char *retention;
	int64_t now;
	const struct data_key *key;
	struct tenant_refusal *why;
};

static void
blob_drop(struct store_blob *b)
{
	if (b->p != NULL) {
		sodium_memzero(b->p, b->len);
		free(b->p);
	}
	b->p = NULL;
	b->len = 0;
}

static int
save_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct save_arg *x = arg;
	const struct tenancy_settings *in = x->in;
	struct notice n = { "tenant.settings_changed", NULL };
	struct store_tenant t;
	json_t *details;
	int rc;

	memset(&t, 0, sizeof(t));
	if ((rc = store_tenant_get(st, c, x->org_id, &t)) != 0)
		return rc;
	if (strcmp(t.kind, "platform") == 0) {
		store_tenant_clear(&t);
		return 1;
	}
	if (strcmp(t.state, "active") != 0) {
		store_tenant_clear(&t);
		return refuse(x->why, "state",
		    "Les réglages d'un organisme suspendu ou résilié ne "
		    "changent pas.");
	}
	if (!t.has_row) {
		t.state_at = x->now;
		snprintf(t.state, sizeof(t.state), "active");
	}
	snprintf(t.display_name, sizeof(t.display_name), "%s",
	    in->display_name ? in->display_name : "");
	snprintf(t.retention, sizeof(t.retention), "%s", x->retention);
	t.password_min_length = in->policy.password_min_length;
	t.password_max_age_days = in->policy.password_max_age_days;
	t.session_idle_minutes = in->policy.session_idle_minutes;
	t.session_max_hours = in->policy.session_max_hours;
	t.updated_at = x->now;
	blob_drop(&t.contact);
	blob_drop(&t.dpo_contact);
	blob_drop(&t.mail_sender);
	blob_drop(&t.mail_signature);
	rc = -1;
	if (seal_text(x->key, "contact", x->org_id, in->contact, &t.contact) !=
		0 ||
	    seal_text(x->key, "dpo_contact", x->org_id, in->dpo_contact,
		&t.dpo_contact) != 0 ||
	    seal_text(x->key, "mail_sender", x->org_id, in->mail_sender,
		&t.mail_sender) != 0 ||
	    seal_text(x->key, "mail_signature", x->org_id, in->mail_signature,
		&t.mail_signature) != 0 ||
	    store_tenant_put(st, c, &t) != 0)
		goto done;
	/* The audit entry keeps what is not personal; the contacts and the
	 * branding are only said to be set or not. */
	details = json_pack("{s:s, s:o, s:{s:I, s:I, s:I, s:I}, s:b, s:b, "
			    "s:b, s:b}",
	    "display_name", t.display_name, "retention",
	    json_loads(t.retention, 0, NULL), "policy", "password_min_length",
	    (json_int_t)t.password_min_length, "password_max_age_days",
	    (json_int_t)t.password_max_age_days, "session_idle_minutes",
	    (json_int_t)t.session_idle_minutes, "session_max_hours",
	    (json_int_t)t.session_max_hours, "contact", t.contact.p != NULL,
	    "dpo_contact", t.dpo_contact.p != NULL, "mail_sender",
	    t.mail_sender.p != NULL, "mail_signature",
	    t.mail_signature.p != NULL);
	if (details == NULL ||
	    audit_tenant(x->a, c, x->who, "tenant.settings", x->org_id, details,
		x->now) != 0) {
		json_decref(details);
		goto done;
	}
	json_decref(details);
	rc = notify_admins(x->a, c, x->org_id, &n, x->now);
done:
	store_tenant_clear(&t);
	return rc;
}

int
tenancy_settings_save(const struct auth *a, const struct datamap *map,
    const struct svc_actor *who, const char *org_id,
    const struct tenancy_settings *in, int64_t now, struct tenant_refusal *why)
{
	struct save_arg x;
	struct data_key k;
	char retention[1024];
	int rc;

	memset(why, 0, sizeof(*why));
	if (tenant_text_check("display_name", in->display_name, TENANT_NAME_MAX,
		0, why) != 0 ||
	    tenant_text_check("contact", in->contact, TENANT_CONTACT_MAX, 1,
		why) != 0 ||
	    tenant_text_check("dpo_contact", in->dpo_contact,
		TENANT_CONTACT_MAX, 1, why) != 0 ||
	    tenant_text_check("mail_sender", in->mail_sender, TENANT_SENDER_MAX,
		0, why) != 0 ||
	    tenant_text_check("mail_signature", in->mail_signature,
		TENANT_SIGNATURE_MAX, 1, why) != 0 ||
	    tenant_policy_check(&in->policy, why) != 0)
		return 2;
	if ((rc = check_retention(map, in->retention, retention,
		 sizeof(retention), why)) != 0)
		return rc;
	if (tenant_key(a, org_id, &k) != 0)
		return -1;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.who = who;
	x.org_id = org_id;
	x.in = in;
	x.retention = retention;
	x.now = now;
	x.key = &k;
	x.why = why;
	rc = store_tx(a->st, 1, save_tx, &x);
	sodium_memzero(&k, sizeof(k));
	return rc;
}
