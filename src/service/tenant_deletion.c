/* tenant_deletion.c - deleting a terminated client organisation: keys
 * first, then its rows, its certificate signed. */
#include "service/tenant_deletion.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/log.h"
#include "crypto/field.h"
#include "crypto/keystore.h"
#include "notify/outbox.h"
#include "service/tenancy.h"
#include "store/driver.h"
#include "store/identity.h"
#include "store/tenant_deletion.h"
#include "store/tenants.h"
#include "tenancy/deletion_cert.h"
#include "tenancy/tenant.h"

/* The owners whose keys go; candidates are also deleted by id. */
struct owners {
	char **v;
	size_t n, cap;
};

static void
owners_free(struct owners *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		free(o->v[i]);
	free(o->v);
	memset(o, 0, sizeof(*o));
}

/* Frees o's strings after wiping them (the admins' addresses). */
static void
owners_wipe(struct owners *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		sodium_memzero(o->v[i], strlen(o->v[i]));
	owners_free(o);
}

static int
owners_add(void *arg, const char *owner)
{
	struct owners *o = arg;
	char **nv;

	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		if ((nv = realloc(o->v, o->cap * sizeof(*nv))) == NULL)
			return -1;
		o->v = nv;
	}
	if ((o->v[o->n] = strdup(owner)) == NULL)
		return -1;
	o->n++;
	return 0;
}

struct plan_arg {
	const struct auth *a;
	const char *org_id;
	int64_t now;
	struct store_tenant t;
	struct owners keys;
	struct owners mails; /* the admins' addresses, opened */
	struct store_conn *c;
	int due;
	int after_restore; /* its key already destroyed: see key_gone */
};

/*
 * 1 if organisation org_id (not yet deleted) has lost its key already:
 * it was deleted after the backup this database was restored from. Such
 * an organisation is deleted again at once, whatever its state says,
 * rather than come back to life with data nobody can read. 0, or -1.
 */
static int
key_gone(const struct auth *a, const char *org_id, enum tenant_state s)
{
	char owner[AUTH_OWNER_MAX];

	if (s == TENANT_DELETED)
		return 0;
	if (tenancy_key_owner(org_id, owner) != 0)
		return -1;
	return keystore_destroyed(a->ks, owner);
}

/* Opens the address of admin account_id while its key still exists: the
 * email telling of the deletion is queued with the deletion itself,
 * sealed under the outbox's key, which outlives the person's. */
static int
admin_mail(void *arg, const char *account_id)
{
	struct plan_arg *x = arg;
	char owner[AUTH_OWNER_MAX], *email = NULL;
	struct store_account acc;
	struct data_key k;
	size_t n = 0;
	int rc;

	memset(&acc, 0, sizeof(acc));
	if (store_account_get(x->a->st, x->c, account_id, &acc) != 0 ||
	    acc.email.p == NULL || auth_subject_owner(account_id, owner) != 0 ||
	    auth_key(x->a, owner, 0, &k) != 0) {
		store_account_clear(&acc);
		return 0; /* unreadable already: nobody to write to */
	}
	rc = field_open(&k, "accounts", "email", acc.id, acc.email.p,
	    acc.email.len, &email, &n);
	sodium_memzero(&k, sizeof(k));
	store_account_clear(&acc);
	if (rc != 0)
		return 0;
	rc = owners_add(&x->mails, email);
	field_free(email, n);
	return rc;
}

/* Reads the tenant and, when due, the owners of the keys to destroy. */
static int
plan_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct plan_arg *x = arg;
	char owner[AUTH_OWNER_MAX];
	enum tenant_state s;
	int rc;

	if ((rc = store_tenant_get(st, c, x->org_id, &x->t)) != 0)
		return rc;
	if (strcmp(x->t.kind, "platform") == 0)
		return 1;
	if (tenant_state_parse(x->t.state, &s) != 0)
		return -1;
	x->due = tenant_deletion_due(s, x->t.delete_after, x->now);
	if (!x->due) {
		if ((rc = key_gone(x->a, x->org_id, s)) < 0)
			return -1;
		x->due = x->after_restore = rc;
	}
	if (!x->due)
		return 0;
	x->c = c;
	if (store_tenant_admins(st, c, x->org_id, admin_mail, x) != 0)
		return -1;
	if (tenancy_key_owner(x->org_id, owner) != 0 ||
	    owners_add(&x->keys, owner) != 0)
		return -1;
	return store_deletion_key_owners(st, c, x->org_id, owners_add,
	    &x->keys);
}

struct delete_arg {
	const struct auth *a;
	const unsigned char *sk, *pk;
	const struct plan_arg *plan;
	long keys, rows;
};

static json_t *
utc(int64_t ms)
{
	char s[32];

	if (ms <= 0 || clock_format_utc(ms, s, sizeof(s)) != 0)
		return json_null();
	return json_string(s);
}

#define DELETED_SUBJECT "Les données de votre organisme sont supprimées"
#define DELETED_BODY                                                                 \
	"Bonjour,\n\n"                                                               \
	"Le délai de grâce qui suivait la résiliation du contrat de votre\n"      \
	"organisme est écoulé : ses données viennent d'être supprimées de la\n" \
	"plateforme. Les clés qui protégeaient les données personnelles de\n"     \
	"ses membres sont détruites, ce qui rend aussi illisibles les copies\n"     \
	"de sauvegarde. Vos comptes n'existent plus.\n\n"                            \
	"Le certificat de suppression, signé, est tenu à votre disposition\n"      \
	"par l'administrateur de la plateforme.\n"

static int
delete_tx(struct store *st, struct store_conn *c, void *arg)
{
	static const char cand[] = "subject:candidate:";
	struct delete_arg *x = arg;
	const char *org = x->plan->org_id;
	unsigned char head[AUDIT_HASH_BYTES];
	char headhex[AUDIT_HASH_BYTES * 2 + 1], *text = NULL, *cert = NULL;
	json_t *counts = json_object(), *body = NULL;
	struct audit_entry e;
	int64_t seq = 0, now = x->plan->now;
	size_t i;
	long n;
	int rc = -1;

	if (counts == NULL)
		goto done;
	x->rows = 0;
	for (i = 0; i < store_deletion_steps_count; i++) {
		const struct store_deletion_step *s = &store_deletion_steps[i];
		json_t *prev = json_object_get(counts, s->table);

		if ((n = store_deletion_step_run(st, c, s, org)) < 0) {
			log_warnx("%s: step %s failed", __func__, s->name);
			goto done;
		}
		/* Counted per table: two steps may share one. */
		n += prev != NULL ? (long)json_integer_value(prev) : 0;
		if (n > 0 &&
		    json_object_set_new(counts, s->table, json_integer(n)) != 0)
			goto done;
		x->rows += n - (prev != NULL ? json_integer_value(prev) : 0);
	}
	n = 0;
	for (i = 0; i < x->plan->keys.n; i++) {
		const char *o = x->plan->keys.v[i];

		if (strncmp(o, cand, sizeof(cand) - 1) != 0)
			continue;
		if (store_deletion_candidate_delete(st, c,
			o + sizeof(cand) - 1) != 0)
			goto done;
		n++;
	}
	if (n > 0 &&
	    json_object_set_new(counts, "candidates", json_integer(n)) != 0)
		goto done;
	x->rows += n;
	if (store_deletion_tenant_mark(st, c, org, now) != 0)
		goto done;
	for (i = 0; i < x->plan->mails.n; i++)
		if (outbox_enqueue(x->a, c, NULL, x->plan->mails.v[i],
			DELETED_SUBJECT, DELETED_BODY, now) != 0)
			goto done;
	body =
	    json_pack("{s:O, s:I, s:I}", "rows_deleted", counts, "rows_total",
		(json_int_t)x->rows, "keys_destroyed", (json_int_t)x->keys);
	if (body == NULL ||
	    (text = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		goto done;
	memset(&e, 0, sizeof(e));
	e.action = "tenant.deleted";
	e.target_type = "organisation";
	e.target_ids = org;
	e.org = org;
	e.outcome = AUDIT_SUCCESS;
	e.details = text;
	if (audit_append(st, c, x->a->audit_key, now, &e, &seq) != 0 ||
	    store_audit_head(st, c, &seq, head) != 0)
		goto done;
	sodium_bin2hex(headhex, sizeof(headhex), head, sizeof(head));
	if (json_object_set_new(body, "kind",
		json_string("creneau.tenant_deletion")) != 0 ||
	    json_object_set_new(body, "version", json_integer(1)) != 0 ||
	    json_object_set_new(body, "organisation",
		json_pack("{s:s, s:s}", "id", org, "name", x->plan->t.name)) !=
		0 ||
	    json_object_set_new(body, "terminated_at",
		utc(x->plan->t.terminated_at)) != 0 ||
	    json_object_set_new(body, "delete_after",
		utc(x->plan->t.delete_after)) != 0 ||
	    json_object_set_new(body, "deleted_at", utc(now)) != 0 ||
	    (x->plan->after_restore &&
		json_object_set_new(body, "after_restore", json_true()) != 0) ||
	    json_object_set_new(body, "audit",
		json_pack("{s:I, s:s}", "seq", (json_int_t)seq, "head_hash",
		    headhex)) != 0)
		goto done;
	if ((cert = deletion_cert_sign(body, x->sk, x->pk)) == NULL ||
	    store_deletion_certificate_put(st, c, org, now, cert) != 0)
		goto done;
	rc = 0;
done:
	free(cert);
	free(text);
	json_decref(body);
	json_decref(counts);
	return rc;
}

int
tenant_deletion_run(const struct auth *a, const unsigned char *sk,
    const unsigned char *pk, const char *org_id, int64_t now,
    struct tenant_deletion_result *res)
{
	struct plan_arg plan;
	struct delete_arg d;
	size_t i;
	int rc;

	memset(&plan, 0, sizeof(plan));
	plan.a = a;
	plan.org_id = org_id;
	plan.now = now;
	if (sk == NULL || pk == NULL)
		return -1;
	if ((rc = store_tx(a->st, 0, plan_tx, &plan)) != 0)
		goto done;
	if (!plan.due) {
		rc = 2;
		goto done;
	}
	/* Keys first: from here every backup's copy is unreadable, even if
	 * the rows' deletion below has to be run again. */
	memset(&d, 0, sizeof(d));
	for (i = 0; i < plan.keys.n; i++) {
		if (keystore_destroy(a->ks, plan.keys.v[i], now) != 0) {
			log_warnx("%s: a key could not be destroyed", __func__);
			rc = -1;
			goto done;
		}
		d.keys++;
	}
	d.a = a;
	d.sk = sk;
	d.pk = pk;
	d.plan = &plan;
	if ((rc = store_tx(a->st, 1, delete_tx, &d)) != 0) {
		rc = -1;
		goto done;
	}
	if (res != NULL) {
		res->rows = d.rows;
		res->keys = d.keys;
	}
done:
	owners_free(&plan.keys);
	owners_wipe(&plan.mails);
	store_tenant_clear(&plan.t);
	return rc;
}

struct due_arg {
	const struct auth *a;
	int64_t now;
	struct owners ids;
};

static int
due_one(void *arg, const struct store_tenant *t)
{
	struct due_arg *x = arg;
	enum tenant_state s;

	if (strcmp(t->kind, "platform") == 0 ||
	    tenant_state_parse(t->state, &s) != 0)
		return 0;
	if (!tenant_deletion_due(s, t->delete_after, x->now)) {
		int gone = key_gone(x->a, t->org_id, s);

		if (gone < 0)
			return -1;
		if (!gone)
			return 0;
		log_warnx("tenancy: organisation %s lost its key after the "
			  "backup this database was restored from: deleted "
			  "again",
		    t->org_id);
	}
	return owners_add(&x->ids, t->org_id);
}

static int
due_tx(struct store *st, struct store_conn *c, void *arg)
{
	return store_tenant_list(st, c, due_one, arg);
}

long
tenant_deletion_due_all(const struct auth *a, const unsigned char *sk,
    const unsigned char *pk, int64_t now, long *rows, long *keys)
{
	struct tenant_deletion_result r;
	struct due_arg x;
	long done = 0;
	int failed = 0;
	size_t i;

	memset(&x, 0, sizeof(x));
	x.a = a;
	x.now = now;
	if (rows != NULL)
		*rows = 0;
	if (keys != NULL)
		*keys = 0;
	if (store_tx(a->st, 0, due_tx, &x) != 0) {
		owners_free(&x.ids);
		return -1;
	}
	for (i = 0; i < x.ids.n; i++) {
		memset(&r, 0, sizeof(r));
		switch (tenant_deletion_run(a, sk, pk, x.ids.v[i], now, &r)) {
		case 0:
			done++;
			if (rows != NULL)
				*rows += r.rows;
			if (keys != NULL)
				*keys += r.keys;
			break;
		case 1:
		case 2:
			break;
		default:
			failed = 1;
		}
	}
	owners_free(&x.ids);
	return failed ? -1 : done;
}

struct cert_arg {
	const char *org_id;
	char *text;
};

static int
cert_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct cert_arg *x = arg;

	return store_deletion_certificate_get(st, c, x->org_id, &x->text, NULL);
}

int
tenant_deletion_certificate(const struct auth *a, const char *org_id,
    char **out)
{
	struct cert_arg x = { org_id, NULL };
	int rc = store_tx(a->st, 0, cert_tx, &x);

	if (rc == 0)
		*out = x.text;
	return rc;
}
