/* dossier_person.c - a family's or volunteer's own dossier. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "crypto/field.h"
#include "dossiers/jose.h"
#include "service/dossier_int.h"
#include "store/driver.h"

int
dossier_seal(const struct auth *a, const struct store_dossier *d,
    const char *column, const char *text, struct store_blob *b)
{
	char owner[AUTH_OWNER_MAX], rid[24];
	struct data_key k;
	int rc;

	store_blob_wipe(b);
	if (text == NULL)
		return 0;
	snprintf(rid, sizeof(rid), "%" PRId64, d->id);
	if (auth_subject_owner(d->account_id, owner) != 0 ||
	    auth_key(a, owner, 1, &k) != 0)
		return -1;
	rc = auth_seal(&k, "dossiers", column, rid, text, b);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

/* Opens b of column into *out (NULL when b is empty). 0 or -1. */
static int
open_field(const struct data_key *k, const struct store_dossier *d,
    const char *column, const struct store_blob *b, char **out)
{
	char rid[24], *pt = NULL;
	size_t n = 0;

	*out = NULL;
	if (b->p == NULL)
		return 0;
	snprintf(rid, sizeof(rid), "%" PRId64, d->id);
	if (field_open(k, "dossiers", column, rid, b->p, b->len, &pt, &n) != 0)
		return -1;
	*out = strndup(pt, n);
	field_free(pt, n);
	return *out != NULL ? 0 : -1;
}

static int
add_doc(void *arg, const struct store_dossier_doc *doc)
{
	struct dossier_view *v = arg;

	if (v->ndocs >= DSVC_DOCS_MAX)
		return 0;
	v->docs[v->ndocs++] = *doc;
	return 0;
}

int
dossier_open_view(const struct auth *a, struct store *st, struct store_conn *c,
    struct store_dossier *d, struct dossier_view *v)
{
	char owner[AUTH_OWNER_MAX];
	struct data_key k;
	int rc = 0, krc;

	memset(v, 0, sizeof(*v));
	v->d = *d;
	memset(d, 0, sizeof(*d));
	if (auth_subject_owner(v->d.account_id, owner) != 0)
		return -1;
	/* An erased holder's key is gone: the fields stay closed. */
	if ((krc = auth_key(a, owner, 0, &k)) < 0)
		return -1;
	if (krc == 0) {
		rc = open_field(&k, &v->d, "profile", &v->d.profile,
			 &v->profile) != 0 ||
		    open_field(&k, &v->d, "health", &v->d.health, &v->health) !=
			0 ||
		    open_field(&k, &v->d, "comment", &v->d.comment,
			&v->comment) != 0;
		sodium_memzero(&k, sizeof(k));
	}
	store_dossier_clear(&v->d);
	if (rc != 0)
		return -1;
	return store_dossier_docs(st, c, v->d.id, add_doc, v) == 0 ? 0 : -1;
}

static void
free_text(char **s)
{
	if (*s != NULL) {
		sodium_memzero(*s, strlen(*s));
		free(*s);
	}
	*s = NULL;
}

void
svc_dossier_view_clear(struct dossier_view *v)
{
	store_dossier_clear(&v->d);
	free_text(&v->profile);
	free_text(&v->health);
	free_text(&v->comment);
}

int
dossier_run(struct store *st, int write,
    int (*fn)(struct store *, struct store_conn *, void *), void *arg,
    const int *code)
{
	int rc = store_tx(st, write, fn, arg);

	if (rc < 0)
		return -1;
	return rc == 0 ? DOSSIER_OK : *code;
}

int
dossier_audit(const struct auth *a, struct store_conn *c,
    const struct svc_actor *who, int64_t now, const char *action, int64_t id,
    const char *details)
{
	struct audit_entry e;
	char target[24];

	snprintf(target, sizeof(target), "%" PRId64, id);
	memset(&e, 0, sizeof(e));
	e.actor = who->account_id;
	e.org = who->org_id;
	e.ip = who->ip;
	e.request_id = who->request_id;
	e.action = action;
	e.target_type = "dossier";
	e.target_ids = target;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	return audit_append(a->st, c, a->audit_key, now, &e, NULL);
}

/* What the person's transactions carry. */
struct px {
	const struct dsvc *s;
	const struct svc_actor *who;
	const char *org_id;
	int64_t now;
	/* save */
	enum dossier_kind kind;
	const char *profile, *health;
	/* documents */
	const char *type, *jwe;
	size_t len;
	int64_t doc;
	const char *missing;
	struct dossier_view *view;
	int code;
};

/* Reads the caller's dossier with x->org_id. Returns 0, DSVC_UNKNOWN or
 * -1. */
static int
own(const struct px *x, struct store_conn *c, struct store_dossier *d)
{
	int rc =
	    store_dossier_of(x->s->a->st, c, x->org_id, x->who->account_id, d);

	return rc == 1 ? DSVC_UNKNOWN : rc;
}

static int
save_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct px *x = arg;
	struct store_dossier d;
	struct store_org o;
	int rc, fresh = 0;

	if ((rc = store_org_get(st, c, x->org_id, &o)) != 0 ||
	    strcmp(o.kind, "association") != 0) {
		x->code = rc < 0 ? -1 : DSVC_NOT_ASSOCIATION;
		return 1;
	}
	if ((rc = own(x, c, &d)) == DSVC_UNKNOWN) {
		memset(&d, 0, sizeof(d));
		snprintf(d.org_id, sizeof(d.org_id), "%s", x->org_id);
		snprintf(d.account_id, sizeof(d.account_id), "%s",
		    x->who->account_id);
		d.kind = x->kind;
		d.state = DOSSIER_BROUILLON;
		d.created_at = d.updated_at = x->now;
		if (store_dossier_insert(st, c, &d) != 0)
			return -1;
		fresh = 1;
	} else if (rc != 0) {
		return -1;
	} else if (!dossier_editable(d.state) || d.kind != x->kind) {
		store_dossier_clear(&d);
		x->code = DOSSIER_ETAT_INVALIDE;
		return 1;
	}
	d.updated_at = x->now;
	rc =
	    dossier_seal(x->s->a, &d, "profile", x->profile, &d.profile) == 0 &&
		dossier_seal(x->s->a, &d, "health", x->health, &d.health) ==
		    0 &&
		store_dossier_update(st, c, &d) == 0 &&
		dossier_audit(x->s->a, c, x->who, x->now,
		    fresh ? "dossier.create" : "dossier.update", d.id,
		    NULL) == 0
	    ? 0
	    : -1;
	x->doc = d.id;
	store_dossier_clear(&d);
	return rc;
}

static int
run(const struct dsvc *s, struct px *x,
    int (*fn)(struct store *, struct store_conn *, void *), int write)
{
	x->code = DOSSIER_OK;
	return dossier_run(s->a->st, write, fn, x, &x->code);
}

int
svc_dossier_save(const struct dsvc *s, const struct svc_actor *who,
    const char *org_id, enum dossier_kind kind, const char *profile,
    const char *health, int64_t now, int64_t *id)
{
	struct px x = { 0 };
	int rc;

	x.s = s;
	x.who = who;
	x.org_id = org_id;
	x.now = now;
	x.kind = kind;
	x.profile = profile;
	x.health = health;
	rc = run(s, &x, save_tx, 1);
	*id = x.doc;
	return rc;
}

struct overview {
	const struct svc_actor *who;
	int (*fn)(void *arg, const char *id, const char *name);
	store_dossier_fn fn2;
	void *arg;
};

static int
overview_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct overview *o = arg;

	return store_dossier_associations(st, c, o->fn, o->arg) == 0 &&
		store_dossiers_of_account(st, c, o->who->account_id, o->fn2,
		    o->arg) == 0
	    ? 0
	    : -1;
}

int
svc_dossier_overview(const struct dsvc *s, const struct svc_actor *who,
    int (*fn)(void *arg, const char *id, const char *name),
    store_dossier_fn fn2, void *arg)
{
	struct overview o = { who, fn, fn2, arg };

	return store_tx(s->a->st, 0, overview_tx, &o) == 0 ? 0 : -1;
}

static int
mine_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct px *x = arg;
	struct store_dossier d;
	int rc;

	if ((rc = own(x, c, &d)) != 0) {
		x->code = rc;
		return rc < 0 ? -1 : 1;
	}
	return dossier_open_view(x->s->a, st, c, &d, x->view);
}

int
svc_dossier_mine(const struct dsvc *s, const struct svc_actor *who,
    const char *org_id, struct dossier_view *v)
{
	struct px x = { 0 };

	memset(v, 0, sizeof(*v));
	x.s = s;
	x.who = who;
	x.org_id = org_id;
	x.view = v;
	return run(s, &x, mine_tx, 0);
}

/* The fingerprints of the keys in force, to compare with recipients. */
struct kids {
	char (*kid)[DOSSIER_FINGERPRINT_HEX];
	size_t n;
};

static int
collect_kid(void *arg, const struct store_validator_key *k)
{
	struct kids *ks = arg;

	if (ks->n >= JOSE_RECIPIENTS_MAX)
		return -1;
	memcpy(ks->kid[ks->n++], k->fingerprint, DOSSIER_FINGERPRINT_HEX);
	return 0;
}

/* Whether the n kids are exactly the keys in force of org_id: 1 yes, 0
 * no, -1 on failure. */
static int
recipients_in_force(struct store *st, struct store_conn *c, const char *org_id,
    char kids[][DOSSIER_FINGERPRINT_HEX], size_t n)
{
	char force[JOSE_RECIPIENTS_MAX][DOSSIER_FINGERPRINT_HEX];
	struct kids ks = { force, 0 };
	size_t i, j;
	int rc;

	rc = store_validator_keys_of_org(st, c, org_id, 1, collect_kid, &ks);
	if (rc < 0 && ks.n < JOSE_RECIPIENTS_MAX)
		return -1;
	if (rc != 0 || ks.n != n || n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < ks.n; j++)
			if (strcmp(kids[i], force[j]) == 0)
				break;
		if (j == ks.n)
			return 0;
	}
	return 1;
}

static int
count_doc(void *arg, const struct store_dossier_doc *doc)
{
	(void)doc;
	(*(long *)arg)++;
	return 0;
}

static int
add_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct px *x = arg;
	char kids[JOSE_RECIPIENTS_MAX][DOSSIER_FINGERPRINT_HEX];
	struct store_dossier d;
	char details[120];
	size_t n = 0;
	long count = 0;
	int rc;

	if ((rc = own(x, c, &d)) != 0) {
		x->code = rc;
		return rc < 0 ? -1 : 1;
	}
	store_dossier_clear(&d);
	if (store_dossier_docs(st, c, d.id, count_doc, &count) != 0)
		return -1;
	x->code =
	    dossier_may_add(x->s->r, d.kind, d.state, x->type, x->len, count);
	if (x->code == DOSSIER_OK)
		x->code = jose_jwe_check(x->jwe, x->len, kids, &n);
	if (x->code == DOSSIER_OK) {
		if ((rc = recipients_in_force(st, c, d.org_id, kids, n)) < 0)
			return -1;
		if (rc == 0)
			x->code = DOSSIER_DESTINATAIRES;
	}
	if (x->code != DOSSIER_OK)
		return 1;
	if (store_dossier_doc_insert(st, c, d.id, x->type, x->jwe, x->len,
		x->now, &x->doc) != 0)
		return -1;
	snprintf(details, sizeof(details),
	    "{\"document\":%" PRId64 ",\"type\":\"%s\",\"size\":%zu}", x->doc,
	    x->type, x->len);
	return dossier_audit(x->s->a, c, x->who, x->now, "dossier.document_add",
	    d.id, details);
}

int
svc_dossier_add_document(const struct dsvc *s, const struct svc_actor *who,
    const char *org_id, const char *type, const char *jwe, size_t len,
    int64_t now, int64_t *doc)
{
	struct px x = { 0 };
	int rc;

	x.s = s;
	x.who = who;
	x.org_id = org_id;
	x.now = now;
	x.type = type;
	x.jwe = jwe;
	x.len = len;
	rc = run(s, &x, add_tx, 1);
	*doc = x.doc;
	return rc;
}

static int
remove_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct px *x = arg;
	struct store_dossier d;
	char details[60];
	int rc;

	if ((rc = own(x, c, &d)) != 0) {
		x->code = rc;
		return rc < 0 ? -1 : 1;
	}
	store_dossier_clear(&d);
	if (!dossier_editable(d.state)) {
		x->code = DOSSIER_ETAT_INVALIDE;
		return 1;
	}
	if ((rc = store_dossier_doc_delete(st, c, d.id, x->doc)) != 0) {
		x->code = DSVC_UNKNOWN;
		return rc < 0 ? -1 : 1;
	}
	snprintf(details, sizeof(details), "{\"document\":%" PRId64 "}",
	    x->doc);
	return dossier_audit(x->s->a, c, x->who, x->now,
	    "dossier.document_remove", d.id, details);
}

int
svc_dossier_remove_document(const struct dsvc *s, const struct svc_actor *who,
    const char *org_id, int64_t doc, int64_t now)
{
	struct px x = { 0 };

	x.s = s;
	x.who = who;
	x.org_id = org_id;
	x.now = now;
	x.doc = doc;
	return run(s, &x, remove_tx, 1);
}

struct types {
	char t[DSVC_DOCS_MAX][DOSSIER_TYPE_MAX];
	const char *p[DSVC_DOCS_MAX];
	size_t n;
};

static int
collect_type(void *arg, const struct store_dossier_doc *doc)
{
	struct types *ts = arg;

	if (ts->n >= DSVC_DOCS_MAX)
		return 0;
	memcpy(ts->t[ts->n], doc->type, DOSSIER_TYPE_MAX);
	ts->p[ts->n] = ts->t[ts->n];
	ts->n++;
	return 0;
}

static int
submit_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct px *x = arg;
	struct store_dossier d;
	struct types *ts;
	int rc;

	if ((rc = own(x, c, &d)) != 0) {
		x->code = rc;
		return rc < 0 ? -1 : 1;
	}
	if ((ts = calloc(1, sizeof(*ts))) == NULL ||
	    store_dossier_docs(st, c, d.id, collect_type, ts) != 0) {
		free(ts);
		store_dossier_clear(&d);
		return -1;
	}
	x->code = dossier_may_submit(x->s->r, d.kind, d.state, ts->p, ts->n,
	    &x->missing);
	free(ts);
	if (x->code != DOSSIER_OK) {
		store_dossier_clear(&d);
		return 1;
	}
	d.state = DOSSIER_SOUMIS;
	d.submitted_at = d.updated_at = x->now;
	rc = store_dossier_update(st, c, &d) == 0 &&
		dossier_audit(x->s->a, c, x->who, x->now, "dossier.submit",
		    d.id, NULL) == 0
	    ? 0
	    : -1;
	store_dossier_clear(&d);
	return rc;
}

int
svc_dossier_submit(const struct dsvc *s, const struct svc_actor *who,
    const char *org_id, int64_t now, const char **missing)
{
	struct px x = { 0 };
	int rc;

	x.s = s;
	x.who = who;
	x.org_id = org_id;
	x.now = now;
	rc = run(s, &x, submit_tx, 1);
	*missing = x.missing;
	return rc;
}

int
svc_dossiers_erase(struct store *st, struct store_conn *c,
    const char *account_id, long *n)
{
	return store_dossiers_delete_of_account(st, c, account_id, n);
}

int
svc_validator_keys_erase(struct store *st, struct store_conn *c,
    const char *account_id, long *n)
{
	return store_validator_keys_delete_of_account(st, c, account_id, n);
}

struct ids {
	int64_t id[64];
	size_t n;
};

static int
collect_id(void *arg, const struct store_dossier *d)
{
	struct ids *ids = arg;

	if (ids->n < sizeof(ids->id) / sizeof(ids->id[0]))
		ids->id[ids->n++] = d->id;
	return 0;
}

int
svc_dossier_export(const struct auth *a, struct store_conn *c,
    const char *account_id, int (*fn)(void *arg, const struct dossier_view *v),
    void *arg)
{
	struct ids ids = { { 0 }, 0 };
	struct dossier_view *v;
	struct store_dossier d;
	size_t i;
	int rc = 0;

	if (store_dossiers_of_account(a->st, c, account_id, collect_id, &ids) !=
	    0)
		return -1;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; rc == 0 && i < ids.n; i++) {
		if (store_dossier_get(a->st, c, ids.id[i], &d) != 0) {
			rc = -1;
			break;
		}
		rc = dossier_open_view(a, a->st, c, &d, v);
		if (rc == 0)
			rc = fn(arg, v);
		svc_dossier_view_clear(v);
	}
	free(v);
	return rc;
}
