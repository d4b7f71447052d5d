/*
 * dossier_rewrap.c - giving a new validator key access to the documents
 * of open dossiers. The server hands the caller their own wrapped
 * document keys and stores what the caller's browser wrapped again for
 * the new key: it never sees a document key in clear.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "dossiers/jose.h"
#include "service/dossier_int.h"
#include "store/driver.h"

/* The keys in force of the caller's association. */
struct force {
	const char *account;
	int64_t want; /* the new key */
	char want_fp[DOSSIER_FINGERPRINT_HEX];
	char mine[JOSE_RECIPIENTS_MAX][DOSSIER_FINGERPRINT_HEX];
	size_t nmine;
	int found;
};

static int
force_key(void *arg, const struct store_validator_key *k)
{
	struct force *f = arg;

	if (k->id == f->want) {
		memcpy(f->want_fp, k->fingerprint, sizeof(f->want_fp));
		f->found = 1;
	}
	if (strcmp(k->account_id, f->account) == 0 &&
	    f->nmine < JOSE_RECIPIENTS_MAX)
		memcpy(f->mine[f->nmine++], k->fingerprint,
		    DOSSIER_FINGERPRINT_HEX);
	return 0;
}

/* The documents of the open dossiers, by (dossier, doc). */
struct open_docs {
	struct store *st;
	struct store_conn *c;
	int64_t dossier[DSVC_DOCS_MAX * 4], doc[DSVC_DOCS_MAX * 4];
	size_t n;
};

static int
open_doc(void *arg, const struct store_dossier_doc *d)
{
	struct open_docs *o = arg;

	if (o->n < sizeof(o->doc) / sizeof(o->doc[0])) {
		o->dossier[o->n] = d->dossier_id;
		o->doc[o->n++] = d->id;
	}
	return 0;
}

static int
open_dossier(void *arg, const struct store_dossier *d)
{
	struct open_docs *o = arg;

	if (dossier_final(d->state))
		return 0;
	return store_dossier_docs(o->st, o->c, d->id, open_doc, o);
}

/* The recipient of jwe whose kid is kid, or NULL. */
static json_t *
recipient(json_t *jwe, const char *kid)
{
	json_t *r;
	size_t i;

	json_array_foreach (json_object_get(jwe, "recipients"), i, r) {
		const char *k = json_string_value(
		    json_object_get(json_object_get(r, "header"), "kid"));

		if (k != NULL && strcmp(k, kid) == 0)
			return r;
	}
	return NULL;
}

struct rx {
	const struct dsvc *s;
	const struct svc_actor *who;
	int64_t key, dossier, doc, now;
	const char *ek;
	svc_rewrap_fn fn;
	void *arg;
	struct force f;
	int code;
};

static int
find_keys(struct rx *x, struct store *st, struct store_conn *c)
{
	memset(&x->f, 0, sizeof(x->f));
	x->f.account = x->who->account_id;
	x->f.want = x->key;
	if (store_validator_keys_of_org(st, c, x->who->org_id, 1, force_key,
		&x->f) != 0)
		return -1;
	if (!x->f.found) {
		x->code = DSVC_UNKNOWN;
		return 1;
	}
	return 0;
}

/* Calls x->fn for document i of o when it lacks the new key and holds
 * one of the caller's. Returns 0, fn's non-zero, or -1. */
static int
offer(struct rx *x, struct store *st, struct store_conn *c,
    const struct open_docs *o, size_t i)
{
	char *text = NULL;
	size_t len, k;
	json_t *j, *r = NULL;
	int rc;

	if ((rc = store_dossier_doc_jwe(st, c, o->dossier[i], o->doc[i], &text,
		 &len)) != 0)
		return rc < 0 ? -1 : 0;
	j = json_loadb(text, len, 0, NULL);
	free(text);
	if (j == NULL)
		return -1;
	rc = 0;
	if (recipient(j, x->f.want_fp) == NULL)
		for (k = 0; r == NULL && k < x->f.nmine; k++)
			if ((r = recipient(j, x->f.mine[k])) != NULL)
				rc = x->fn(x->arg, o->dossier[i], o->doc[i],
				    x->f.mine[k],
				    json_string_value(
					json_object_get(r, "encrypted_key")));
	json_decref(j);
	return rc;
}

static int
list_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct rx *x = arg;
	struct open_docs *o;
	size_t i;
	int rc;

	if ((rc = find_keys(x, st, c)) != 0)
		return rc;
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return -1;
	o->st = st;
	o->c = c;
	rc = store_dossiers_of_org(st, c, x->who->org_id, NULL, 100000,
	    open_dossier, o);
	for (i = 0; rc == 0 && i < o->n; i++)
		rc = offer(x, st, c, o, i);
	free(o);
	return rc == 0 ? 0 : -1;
}

int
svc_dossier_rewrap_list(const struct dsvc *s, const struct svc_actor *who,
    int64_t key_id, svc_rewrap_fn fn, void *arg)
{
	struct rx x;

	memset(&x, 0, sizeof(x));
	x.s = s;
	x.who = who;
	x.key = key_id;
	x.fn = fn;
	x.arg = arg;
	return dossier_run(s->a->st, 0, list_tx, &x, &x.code);
}

static int
add_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct rx *x = arg;
	char kids[JOSE_RECIPIENTS_MAX][DOSSIER_FINGERPRINT_HEX], details[160];
	struct store_dossier d;
	char *text = NULL, *out = NULL;
	size_t len, n;
	json_t *j;
	int rc;

	if ((rc = find_keys(x, st, c)) != 0)
		return rc;
	memset(&d, 0, sizeof(d));
	if ((rc = store_dossier_get(st, c, x->dossier, &d)) != 0 ||
	    strcmp(d.org_id, x->who->org_id) != 0 ||
	    (rc = store_dossier_doc_jwe(st, c, d.id, x->doc, &text, &len)) !=
		0) {
		store_dossier_clear(&d);
		x->code = DSVC_UNKNOWN;
		return rc < 0 ? -1 : 1;
	}
	store_dossier_clear(&d);
	x->code = dossier_final(d.state) ? DOSSIER_ETAT_INVALIDE
					 : DOSSIER_JWE_INVALIDE;
	j = dossier_final(d.state) ? NULL : json_loadb(text, len, 0, NULL);
	free(text);
	if (j == NULL)
		return 1;
	if (recipient(j, x->f.want_fp) == NULL)
		json_array_append_new(json_object_get(j, "recipients"),
		    json_pack("{s:{s:s}, s:s}", "header", "kid", x->f.want_fp,
			"encrypted_key", x->ek));
	out = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (out == NULL)
		return -1;
	rc = 1;
	if (jose_jwe_check(out, strlen(out), kids, &n) == DOSSIER_OK) {
		snprintf(details, sizeof(details),
		    "{\"document\":%" PRId64 ",\"fingerprint\":\"%s\"}", x->doc,
		    x->f.want_fp);
		rc = store_dossier_doc_rewrite(st, c, x->doc, out,
			 strlen(out)) == 0 &&
			dossier_audit(x->s->a, c, x->who, x->now,
			    "dossier.rewrap", x->dossier, details) == 0
		    ? 0
		    : -1;
	}
	free(out);
	return rc;
}

int
svc_dossier_rewrap_add(const struct dsvc *s, const struct svc_actor *who,
    int64_t key_id, int64_t dossier, int64_t doc, const char *encrypted_key,
    int64_t now)
{
	struct rx x;

	memset(&x, 0, sizeof(x));
	x.s = s;
	x.who = who;
	x.key = key_id;
	x.dossier = dossier;
	x.doc = doc;
	x.ek = encrypted_key;
	x.now = now;
	return dossier_run(s->a->st, 1, add_tx, &x, &x.code);
}
