/* dossier_review.c - validators: keys, reading and deciding dossiers. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/log.h"
#include "dossiers/jose.h"
#include "notify/notify.h"
#include "service/dossier_int.h"
#include "store/driver.h"

/* What the validator's transactions carry. */
struct vx {
	const struct dsvc *s;
	const struct svc_actor *who;
	int64_t now;
	int64_t id, doc;
	enum dossier_decision decision;
	const char *comment;
	enum dossier_state next;
	struct dossier_view *view;
	char *jwe;
	size_t len;
	const char *jwk, *wrapped;
	struct store_validator_key *key;
	const char *state;
	long limit;
	store_dossier_fn fn;
	void *arg;
	int code;
};

static int
run(const struct dsvc *s, struct vx *x,
    int (*fn)(struct store *, struct store_conn *, void *), int write)
{
	x->code = DOSSIER_OK;
	return dossier_run(s->a->st, write, fn, x, &x->code);
}

/* Reads dossier x->id of the validator's organisation. Returns 0, 1
 * (x->code DSVC_UNKNOWN) or -1. */
static int
theirs(struct vx *x, struct store_conn *c, struct store_dossier *d)
{
	int rc = store_dossier_get(x->s->a->st, c, x->id, d);

	if (rc == 0 && strcmp(d->org_id, x->who->org_id) != 0) {
		store_dossier_clear(d);
		rc = 1;
	}
	if (rc == 1)
		x->code = DSVC_UNKNOWN;
	return rc;
}

static int
list_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct vx *x = arg;

	return store_dossiers_of_org(st, c, x->who->org_id, x->state, x->limit,
	    x->fn, x->arg);
}

int
svc_dossiers_of_org(const struct dsvc *s, const struct svc_actor *who,
    const char *state, long limit, store_dossier_fn fn, void *arg)
{
	struct vx x = { 0 };

	x.s = s;
	x.who = who;
	x.state = state;
	x.limit = limit;
	x.fn = fn;
	x.arg = arg;
	return run(s, &x, list_tx, 0) == DOSSIER_OK ? 0 : -1;
}

static int
review_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct vx *x = arg;
	struct store_dossier d;
	int rc;

	if ((rc = theirs(x, c, &d)) != 0)
		return rc;
	if (dossier_open_view(x->s->a, st, c, &d, x->view) != 0)
		return -1;
	return dossier_audit(x->s->a, c, x->who, x->now, "dossier.open", x->id,
	    NULL);
}

int
svc_dossier_review(const struct dsvc *s, const struct svc_actor *who,
    int64_t id, int64_t now, struct dossier_view *v)
{
	struct vx x = { 0 };

	memset(v, 0, sizeof(*v));
	x.s = s;
	x.who = who;
	x.id = id;
	x.now = now;
	x.view = v;
	return run(s, &x, review_tx, 1);
}

static int
document_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct vx *x = arg;
	struct store_dossier d;
	char details[60];
	int rc;

	if ((rc = theirs(x, c, &d)) != 0)
		return rc;
	store_dossier_clear(&d);
	if (d.state != DOSSIER_SOUMIS) {
		x->code = DOSSIER_ETAT_INVALIDE;
		return 1;
	}
	if ((rc = store_dossier_doc_jwe(st, c, d.id, x->doc, &x->jwe,
		 &x->len)) != 0) {
		x->code = DSVC_UNKNOWN;
		return rc;
	}
	snprintf(details, sizeof(details), "{\"document\":%" PRId64 "}",
	    x->doc);
	return dossier_audit(x->s->a, c, x->who, x->now,
	    "dossier.document_read", d.id, details);
}

int
svc_dossier_document(const struct dsvc *s, const struct svc_actor *who,
    int64_t id, int64_t doc, int64_t now, char **jwe, size_t *len)
{
	struct vx x = { 0 };
	int rc;

	x.s = s;
	x.who = who;
	x.id = id;
	x.doc = doc;
	x.now = now;
	rc = run(s, &x, document_tx, 1);
	if (rc != DOSSIER_OK) {
		free(x.jwe);
		x.jwe = NULL;
		x.len = 0;
	}
	*jwe = x.jwe;
	*len = x.len;
	return rc;
}

static int
decide_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct vx *x = arg;
	struct store_dossier d;
	char details[120], params[80];
	struct notice n = { "dossier.decided", params };
	long destroyed = 0;
	int rc;

	if ((rc = theirs(x, c, &d)) != 0)
		return rc;
	x->code = dossier_decide(d.state, x->decision, x->comment, &x->next);
	if (x->code != DOSSIER_OK) {
		store_dossier_clear(&d);
		return 1;
	}
	d.state = x->next;
	d.updated_at = x->now;
	if (dossier_final(d.state)) {
		d.decided_at = x->now;
		snprintf(d.decided_by, sizeof(d.decided_by), "%s",
		    x->who->account_id);
		if (store_dossier_docs_delete(st, c, d.id, &destroyed) != 0) {
			store_dossier_clear(&d);
			return -1;
		}
		d.destroyed_at = x->now;
	}
	snprintf(details, sizeof(details),
	    "{\"state\":\"%s\",\"documents_destroyed\":%ld}",
	    dossier_state_name(d.state), destroyed);
	snprintf(params, sizeof(params),
	    "{\"dossier\":%" PRId64 ",\"state\":\"%s\"}", d.id,
	    dossier_state_name(d.state));
	rc =
	    dossier_seal(x->s->a, &d, "comment",
		x->comment != NULL && x->comment[0] != '\0' ? x->comment : NULL,
		&d.comment) == 0 &&
		store_dossier_update(st, c, &d) == 0 &&
		dossier_audit(x->s->a, c, x->who, x->now, "dossier.decide",
		    d.id, details) == 0 &&
		notify_account(x->s->a, c, d.account_id, d.org_id, &n,
		    x->now) == 0
	    ? 0
	    : -1;
	store_dossier_clear(&d);
	return rc;
}

int
svc_dossier_decide(const struct dsvc *s, const struct svc_actor *who,
    int64_t id, enum dossier_decision d, const char *comment, int64_t now,
    enum dossier_state *next)
{
	struct vx x = { 0 };
	int rc;

	x.s = s;
	x.who = who;
	x.id = id;
	x.decision = d;
	x.comment = comment;
	x.now = now;
	rc = run(s, &x, decide_tx, 1);
	*next = x.next;
	/* The rows are gone; the checkpoint empties the log that still
	 * held their pages (secure_delete zeroed them in the file). A
	 * failure leaves the next maintenance run to do it. */
	if (rc == DOSSIER_OK && dossier_final(x.next) &&
	    store_erase_flush(s->a->st) != 0)
		log_warnx("dossiers: the store could not be checkpointed after "
			  "a decision; the maintenance job will");
	return rc;
}

static int
key_add_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct vx *x = arg;
	char details[120];
	int rc;

	if ((rc = store_validator_key_insert(st, c, x->key, x->wrapped)) != 0) {
		x->code = DOSSIER_CLE_INVALIDE;
		return rc;
	}
	snprintf(details, sizeof(details), "{\"fingerprint\":\"%s\"}",
	    x->key->fingerprint);
	return dossier_audit(x->s->a, c, x->who, x->now, "dossier.key_add",
	    x->key->id, details);
}

int
svc_validator_key_add(const struct dsvc *s, const struct svc_actor *who,
    const char *jwk, const char *wrapped, int64_t now,
    struct store_validator_key *k)
{
	struct vx x = { 0 };
	enum dossier_code code;

	memset(k, 0, sizeof(*k));
	if ((code = jose_jwk_check(jwk, k->jwk, k->fingerprint)) != DOSSIER_OK)
		return code;
	snprintf(k->org_id, sizeof(k->org_id), "%s", who->org_id);
	snprintf(k->account_id, sizeof(k->account_id), "%s", who->account_id);
	k->created_at = now;
	x.s = s;
	x.who = who;
	x.now = now;
	x.key = k;
	x.wrapped = wrapped;
	return run(s, &x, key_add_tx, 1);
}

struct keys_x {
	const char *org_id;
	int in_force;
	store_validator_key_fn fn;
	void *arg;
};

static int
keys_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct keys_x *k = arg;

	return store_validator_keys_of_org(st, c, k->org_id, k->in_force, k->fn,
	    k->arg);
}

int
svc_validator_keys(const struct dsvc *s, const char *org_id, int in_force,
    store_validator_key_fn fn, void *arg)
{
	struct keys_x k = { org_id, in_force, fn, arg };

	return store_tx(s->a->st, 0, keys_tx, &k) == 0 ? 0 : -1;
}

/* The fingerprint of key id, found among the keys in force. */
struct find_key {
	int64_t id;
	char fingerprint[DOSSIER_FINGERPRINT_HEX];
	int found;
};

static int
find_key(void *arg, const struct store_validator_key *k)
{
	struct find_key *f = arg;

	if (k->id == f->id) {
		memcpy(f->fingerprint, k->fingerprint, sizeof(f->fingerprint));
		f->found = 1;
	}
	return 0;
}

/*
 * Removes the recipient kid from text (a stored JWE): its wrapped key is
 * gone, and with it that key's way into the document. *out the new text
 * (NULL when kid was not a recipient). Returns 0 or -1.
 */
static int
drop_recipient(const char *text, const char *kid, char **out)
{
	json_t *j, *list, *r;
	size_t i;
	int rc = -1;

	*out = NULL;
	if ((j = json_loads(text, 0, NULL)) == NULL)
		return -1;
	list = json_object_get(j, "recipients");
	json_array_foreach (list, i, r) {
		const char *k = json_string_value(
		    json_object_get(json_object_get(r, "header"), "kid"));

		if (k != NULL && strcmp(k, kid) == 0) {
			json_array_remove(list, i);
			*out = json_dumps(j, JSON_COMPACT);
			rc = *out != NULL ? 0 : -1;
			json_decref(j);
			return rc;
		}
	}
	json_decref(j);
	return 0;
}

struct rewrap {
	struct store *st;
	struct store_conn *c;
	const char *kid;
	int64_t ids[DSVC_DOCS_MAX * 4];
	int64_t dossiers[DSVC_DOCS_MAX * 4];
	size_t n;
	long open;
};

static int
collect_doc(void *arg, const struct store_dossier_doc *doc)
{
	struct rewrap *w = arg;

	if (w->n >= sizeof(w->ids) / sizeof(w->ids[0]))
		return 0;
	w->ids[w->n] = doc->id;
	w->dossiers[w->n++] = doc->dossier_id;
	return 0;
}

static int
collect_open(void *arg, const struct store_dossier *d)
{
	struct rewrap *w = arg;

	if (dossier_final(d->state))
		return 0;
	w->open++;
	return store_dossier_docs(w->st, w->c, d->id, collect_doc, w);
}

static int
revoke_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct vx *x = arg;
	struct find_key f = { x->id, "", 0 };
	struct rewrap *w;
	char details[160], *jwe, *out;
	size_t i, len;
	long changed = 0;
	int rc;

	if (store_validator_keys_of_org(st, c, x->who->org_id, 1, find_key,
		&f) != 0)
		return -1;
	if (!f.found ||
	    store_validator_key_revoke(st, c, x->who->org_id, x->id, x->now) !=
		0) {
		x->code = DSVC_UNKNOWN;
		return 1;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	w->st = st;
	w->c = c;
	w->kid = f.fingerprint;
	rc = store_dossiers_of_org(st, c, x->who->org_id, NULL, 100000,
	    collect_open, w);
	for (i = 0; rc == 0 && i < w->n; i++) {
		if ((rc = store_dossier_doc_jwe(st, c, w->dossiers[i],
			 w->ids[i], &jwe, &len)) != 0)
			break;
		rc = drop_recipient(jwe, f.fingerprint, &out);
		free(jwe);
		if (rc == 0 && out != NULL) {
			rc = store_dossier_doc_rewrite(st, c, w->ids[i], out,
			    strlen(out));
			changed++;
		}
		free(out);
	}
	free(w);
	if (rc != 0)
		return -1;
	snprintf(details, sizeof(details),
	    "{\"fingerprint\":\"%s\",\"documents\":%ld}", f.fingerprint,
	    changed);
	return dossier_audit(x->s->a, c, x->who, x->now, "dossier.key_revoke",
	    x->id, details);
}

int
svc_validator_key_revoke(const struct dsvc *s, const struct svc_actor *who,
    int64_t id, int64_t now)
{
	struct vx x = { 0 };

	x.s = s;
	x.who = who;
	x.id = id;
	x.now = now;
	return run(s, &x, revoke_tx, 1);
}

static int
private_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct vx *x = arg;
	int rc = store_validator_key_private(st, c, x->who->account_id, x->id,
	    &x->jwe);

	if (rc == 1)
		x->code = DSVC_UNKNOWN;
	return rc;
}

int
svc_validator_key_private(const struct dsvc *s, const struct svc_actor *who,
    int64_t id, char **out)
{
	struct vx x = { 0 };
	int rc;

	x.s = s;
	x.who = who;
	x.id = id;
	rc = run(s, &x, private_tx, 0);
	*out = rc == DOSSIER_OK ? x.jwe : NULL;
	if (rc != DOSSIER_OK)
		free(x.jwe);
	return rc;
}

struct expire_x {
	int64_t cutoff, now;
	long n;
};

static int
expire_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct expire_x *x = arg;

	return store_dossier_docs_expire(st, c, x->cutoff, x->now, &x->n);
}

long
svc_dossier_docs_expire(const struct auth *a, int64_t cutoff, int64_t now)
{
	struct expire_x x = { cutoff, now, 0 };

	if (store_tx(a->st, 1, expire_tx, &x) != 0)
		return -1;
	if (x.n > 0 && store_erase_flush(a->st) != 0)
		log_warnx("dossiers: the store could not be checkpointed after "
			  "the retention run; the maintenance job will");
	return x.n;
}
