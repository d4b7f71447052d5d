/* remote_link.c - an employee's link to the remote exam authority. */
#include "service/remote_link.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "audit/audit.h"
#include "crypto/field.h"
#include "service/tenancy.h"
#include "store/authority_copies.h"
#include "store/authority_links.h"
#include "store/driver.h"

#define T_LINKS "authority_links"
#define T_REQUESTS "authority_link_requests"

/* Renewals, one at a time in this process: a refresh token serves once. */
static pthread_mutex_t renewing = PTHREAD_MUTEX_INITIALIZER;

static int
org_key(const struct auth *a, const char *org_id, struct data_key *k)
{
	char owner[AUTH_OWNER_MAX];

	if (org_id == NULL || tenancy_key_owner(org_id, owner) != 0)
		return -1;
	return auth_key(a, owner, 1, k) == 0 ? 0 : -1;
}

static int
audit(const struct auth *a, struct store_conn *c, const struct svc_actor *who,
    const char *action, int64_t now)
{
	struct audit_entry e;

	memset(&e, 0, sizeof(e));
	e.actor = who->account_id;
	e.action = action;
	e.target_type = "authority_link";
	e.target_ids = who->account_id;
	e.org = who->org_id;
	e.ip = who->ip;
	e.request_id = who->request_id;
	e.outcome = AUDIT_SUCCESS;
	return audit_append(a->st, c, a->audit_key, now, &e, NULL);
}

/* 32 random bytes, base64url without padding (43 characters). */
static void
random_b64(char out[64])
{
	unsigned char b[32];

	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(out, 64, b, sizeof(b),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(b, sizeof(b));
}

static void
state_hash(const char *state, unsigned char h[STORE_HASH_BYTES])
{
	crypto_generichash(h, STORE_HASH_BYTES, (const unsigned char *)state,
	    strlen(state), NULL, 0);
}

struct start_tx {
	const struct auth *a;
	const struct svc_actor *who;
	struct store_authority_request *q;
	int64_t now;
};

static int
start_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct start_tx *t = arg;

	if (store_authority_request_sweep(st, c, t->now) < 0)
		return -1;
	return store_authority_request_insert(st, c, t->q);
}

int
remote_link_start(const struct auth *a, const struct remote *r,
    const struct svc_actor *who, int64_t now, char *url, size_t urllen)
{
	struct store_authority_request q;
	struct start_tx t;
	struct data_key k;
	char state[64], verifier[64], challenge[64];
	unsigned char h[crypto_hash_sha256_BYTES];
	char *e_redirect = NULL, *e_scope = NULL;
	int rc = -1, n;

	memset(&q, 0, sizeof(q));
	if (org_key(a, who->org_id, &k) != 0)
		return -1;
	random_b64(state);
	random_b64(verifier);
	crypto_hash_sha256(h, (const unsigned char *)verifier,
	    strlen(verifier));
	sodium_bin2base64(challenge, sizeof(challenge), h, sizeof(h),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	state_hash(state, q.state_hash);
	snprintf(q.account_id, sizeof(q.account_id), "%s", who->account_id);
	snprintf(q.org_id, sizeof(q.org_id), "%s", who->org_id);
	q.created_at = now;
	q.expires_at = now + REMOTE_LINK_REQUEST_MS;
	if (auth_seal(&k, T_REQUESTS, "verifier", who->account_id, verifier,
		&q.verifier) != 0)
		goto out;
	t.a = a;
	t.who = who;
	t.q = &q;
	t.now = now;
	if (store_tx(a->st, 1, start_tx, &t) != 0)
		goto out;
	e_redirect = curl_easy_escape(NULL, r->redirect_uri, 0);
	e_scope = curl_easy_escape(NULL, REMOTE_SCOPE, 0);
	if (e_redirect == NULL || e_scope == NULL)
		goto out;
	n = snprintf(url, urllen,
	    "%s/oauth/authorize?response_type=code&client_id=%s"
	    "&redirect_uri=%s&scope=%s&state=%s&code_challenge=%s"
	    "&code_challenge_method=S256",
	    r->base, r->client_id, e_redirect, e_scope, state, challenge);
	rc = n > 0 && (size_t)n < urllen ? 0 : -1;
out:
	curl_free(e_redirect);
	curl_free(e_scope);
	store_blob_wipe(&q.verifier);
	sodium_memzero(verifier, sizeof(verifier));
	sodium_memzero(&k, sizeof(k));
	return rc;
}

struct take_tx {
	const unsigned char *hash;
	struct store_authority_request *q;
	int found;
};

static int
take_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct take_tx *t = arg;
	int rc = store_authority_request_take(st, c, t->hash, t->q);

	t->found = rc == 0;
	return rc < 0 ? -1 : 0;
}

struct save_tx {
	const struct auth *a;
	const struct svc_actor *who;
	const struct store_authority_link *l;
	const char *action; /* NULL: a renewal, not audited */
};

static int
save_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct save_tx *t = arg;

	if (store_authority_link_put(st, c, t->l) != 0)
		return -1;
	return t->action != NULL
	    ? audit(t->a, c, t->who, t->action, t->l->refreshed_at)
	    : 0;
}

/* Seals tokens tk into a link row for who and writes it in one
 * transaction (audited as action unless NULL). */
static int
save_link(const struct auth *a, const struct svc_actor *who,
    const struct remote_tokens *tk, int64_t linked_at, int64_t now,
    const char *action)
{
	struct store_authority_link l;
	struct save_tx t;
	struct data_key k;
	int rc = -1;

	memset(&l, 0, sizeof(l));
	if (org_key(a, who->org_id, &k) != 0)
		return -1;
	snprintf(l.account_id, sizeof(l.account_id), "%s", who->account_id);
	snprintf(l.org_id, sizeof(l.org_id), "%s", who->org_id);
	snprintf(l.scope, sizeof(l.scope), "%s", tk->scope);
	l.access_expires_at =
	    now + (int64_t)(tk->expires_in > 0 ? tk->expires_in : 60) * 1000;
	l.linked_at = linked_at;
	l.refreshed_at = now;
	if (auth_seal(&k, T_LINKS, "access_token", who->account_id, tk->access,
		&l.access_token) == 0 &&
	    auth_seal(&k, T_LINKS, "refresh_token", who->account_id,
		tk->refresh, &l.refresh_token) == 0) {
		t.a = a;
		t.who = who;
		t.l = &l;
		t.action = action;
		rc = store_tx(a->st, 1, save_tx, &t);
	}
	store_blob_wipe(&l.access_token);
	store_blob_wipe(&l.refresh_token);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

int
remote_link_finish(const struct auth *a, const struct remote *r,
    const struct svc_actor *who, const char *state, const char *code,
    int64_t now)
{
	unsigned char h[STORE_HASH_BYTES];
	struct store_authority_request q;
	struct take_tx t = { h, &q, 0 };
	struct remote_tokens tk;
	struct data_key k;
	char *verifier = NULL, *e_code = NULL, *e_redirect = NULL;
	char form[1200];
	size_t vlen = 0;
	int rc;

	state_hash(state, h);
	if (store_tx(a->st, 1, take_tx, &t) != 0)
		return -1;
	/* Another account's state, or a stale one: as if it never was. */
	if (!t.found || strcmp(q.account_id, who->account_id) != 0 ||
	    q.expires_at <= now) {
		store_blob_wipe(&q.verifier);
		return REMOTE_LINK_NONE;
	}
	if (org_key(a, q.org_id, &k) != 0) {
		store_blob_wipe(&q.verifier);
		return -1;
	}
	rc = field_open(&k, T_REQUESTS, "verifier", q.account_id, q.verifier.p,
	    q.verifier.len, &verifier, &vlen);
	sodium_memzero(&k, sizeof(k));
	store_blob_wipe(&q.verifier);
	if (rc != 0)
		return -1;
	e_code = curl_easy_escape(NULL, code, 0);
	e_redirect = curl_easy_escape(NULL, r->redirect_uri, 0);
	rc = -1;
	if (e_code != NULL && e_redirect != NULL &&
	    snprintf(form, sizeof(form),
		"grant_type=authorization_code&code=%s&redirect_uri=%s"
		"&code_verifier=%s",
		e_code, e_redirect, verifier) < (int)sizeof(form)) {
		rc = remote_token(r, form, &tk);
		rc = rc == 0
		    ? (save_link(a, who, &tk, now, now, "authority.linked") == 0
			      ? REMOTE_LINK_OK
			      : -1)
		    : rc == 1 ? REMOTE_LINK_REFUSED
			      : REMOTE_LINK_UNREACHABLE;
	}
	sodium_memzero(form, sizeof(form));
	sodium_memzero(&tk, sizeof(tk));
	if (e_code != NULL)
		curl_free(e_code);
	curl_free(e_redirect);
	field_free(verifier, vlen);
	return rc;
}

struct get_tx {
	const char *account_id;
	struct store_authority_link *l;
	int rc;
};

static int
get_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct get_tx *t = arg;

	t->rc = store_authority_link_get(st, c, t->account_id, t->l);
	return t->rc < 0 ? -1 : 0;
}

static int
read_link(const struct auth *a, const char *account_id,
    struct store_authority_link *l)
{
	struct get_tx t;

	memset(l, 0, sizeof(*l));
	t.account_id = account_id;
	t.l = l;
	t.rc = 0;
	if (store_tx(a->st, 0, get_tx, &t) != 0)
		return -1;
	return t.rc;
}

int
remote_link_info(const struct auth *a, const char *account_id,
    struct remote_link_info *out)
{
	struct store_authority_link l;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = read_link(a, account_id, &l)) != 0)
		return rc;
	out->linked_at = l.linked_at;
	out->refreshed_at = l.refreshed_at;
	out->access_expires_at = l.access_expires_at;
	snprintf(out->scope, sizeof(out->scope), "%s", l.scope);
	store_authority_link_clear(&l);
	return 0;
}

/* Opens column col of link l into a malloc'ed string (field_free). */
static char *
open_token(const struct auth *a, const struct store_authority_link *l,
    const char *col, size_t *len)
{
	const struct store_blob *b = strcmp(col, "access_token") == 0
	    ? &l->access_token
	    : &l->refresh_token;
	struct data_key k;
	char *pt = NULL;

	if (org_key(a, l->org_id, &k) != 0)
		return NULL;
	if (field_open(&k, T_LINKS, col, l->account_id, b->p, b->len, &pt,
		len) != 0)
		pt = NULL;
	sodium_memzero(&k, sizeof(k));
	return pt;
}

struct drop_tx {
	const struct auth *a;
	const struct svc_actor *who;
	const char *action;
	int64_t now;
	int rc;
};

static int
drop_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct drop_tx *t = arg;

	t->rc = store_authority_link_delete(st, c, t->who->account_id);
	if (t->rc != 0)
		return t->rc < 0 ? -1 : 0;
	return audit(t->a, c, t->who, t->action, t->now);
}

static int
drop_link(const struct auth *a, const struct svc_actor *who, const char *action,
    int64_t now)
{
	struct drop_tx t = { a, who, action, now, 0 };

	if (store_tx(a->st, 1, drop_tx, &t) != 0)
		return -1;
	return t.rc;
}

int
remote_link_remove(const struct auth *a, const struct remote *r,
    const struct svc_actor *who, int64_t now)
{
	struct store_authority_link l;
	char *rt;
	size_t n = 0;
	int rc;

	if ((rc = read_link(a, who->account_id, &l)) != 0)
		return rc;
	/* Revoking the refresh token ends the whole grant at the authority;
	 * when it does not answer, the link still ends here. */
	if ((rt = open_token(a, &l, "refresh_token", &n)) != NULL) {
		(void)remote_revoke(r, rt);
		field_free(rt, n);
	}
	store_authority_link_clear(&l);
	return drop_link(a, who, "authority.unlinked", now);
}

int
remote_link_token(const struct auth *a, const struct remote *r,
    const struct svc_actor *who, const char *stale, int64_t now,
    char at[REMOTE_TOKEN_MAX])
{
	struct store_authority_link l;
	struct remote_tokens tk;
	char *tok, *rt, form[REMOTE_TOKEN_MAX * 3 + 64], *esc;
	char old[REMOTE_TOKEN_MAX];
	size_t n = 0, m = 0;
	int rc;

	/* stale may be at itself (the token just refused). */
	snprintf(old, sizeof(old), "%s", stale != NULL ? stale : "");
	stale = stale != NULL ? old : NULL;
	at[0] = '\0';
	if ((rc = read_link(a, who->account_id, &l)) != 0)
		return rc;
	if ((tok = open_token(a, &l, "access_token", &n)) == NULL) {
		store_authority_link_clear(&l);
		return -1;
	}
	if (l.access_expires_at > now + REMOTE_RENEW_MARGIN_MS &&
	    (stale == NULL || strcmp(stale, tok) != 0) &&
	    n < REMOTE_TOKEN_MAX) {
		memcpy(at, tok, n + 1);
		field_free(tok, n);
		store_authority_link_clear(&l);
		return REMOTE_LINK_OK;
	}
	field_free(tok, n);
	store_authority_link_clear(&l);

	pthread_mutex_lock(&renewing);
	/* Another request may have renewed it while this one waited. */
	if ((rc = read_link(a, who->account_id, &l)) != 0)
		goto unlock;
	rc = -1;
	if ((tok = open_token(a, &l, "access_token", &n)) == NULL)
		goto clear;
	if (l.access_expires_at > now + REMOTE_RENEW_MARGIN_MS &&
	    (stale == NULL || strcmp(stale, tok) != 0) &&
	    n < REMOTE_TOKEN_MAX) {
		memcpy(at, tok, n + 1);
		field_free(tok, n);
		rc = REMOTE_LINK_OK;
		goto clear;
	}
	field_free(tok, n);
	if ((rt = open_token(a, &l, "refresh_token", &m)) == NULL)
		goto clear;
	esc = curl_easy_escape(NULL, rt, 0);
	field_free(rt, m);
	if (esc == NULL)
		goto clear;
	snprintf(form, sizeof(form),
	    "grant_type=refresh_token&refresh_token=%s", esc);
	curl_free(esc);
	rc = remote_token(r, form, &tk);
	sodium_memzero(form, sizeof(form));
	if (rc == 1) {
		/* Revoked at the authority (by the employee, or as a reused
		 * token): the link is no more. */
		(void)drop_link(a, who, "authority.link_refused", now);
		rc = REMOTE_LINK_REFUSED;
	} else if (rc < 0) {
		rc = REMOTE_LINK_UNREACHABLE;
	} else if (save_link(a, who, &tk, l.linked_at, now, NULL) != 0) {
		rc = -1;
	} else {
		snprintf(at, REMOTE_TOKEN_MAX, "%s", tk.access);
		rc = REMOTE_LINK_OK;
	}
	sodium_memzero(&tk, sizeof(tk));
	sodium_memzero(old, sizeof(old));
clear:
	store_authority_link_clear(&l);
unlock:
	pthread_mutex_unlock(&renewing);
	return rc;
}

struct sweep_tx {
	int64_t now;
	long n;
};

static int
sweep_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct sweep_tx *t = arg;

	t->n = store_authority_request_sweep(st, c, t->now);
	return t->n < 0 ? -1 : 0;
}

long
remote_link_sweep(const struct auth *a, int64_t now)
{
	struct sweep_tx t = { now, 0 };

	return store_tx(a->st, 1, sweep_tx, &t) != 0 ? -1 : t.n;
}

/* --- Copies of the authority's lists. -------------------------------- */

#define T_COPIES "authority_copies"

struct copy_tx {
	const struct svc_actor *who;
	const char *kind;
	struct store_blob *body;
	int64_t now, *fetched_at;
	int rc;
};

static int
copy_put_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct copy_tx *t = arg;

	return store_authority_copy_put(st, c, t->who->account_id,
	    t->who->org_id, t->kind, t->body, t->now);
}

int
remote_copy_save(const struct auth *a, const struct svc_actor *who,
    const char *kind, const char *body, int64_t now)
{
	struct store_blob sealed = { NULL, 0 };
	struct copy_tx t;
	struct data_key k;
	char rid[STORE_ID_MAX + 20];
	int rc;

	if (org_key(a, who->org_id, &k) != 0)
		return -1;
	snprintf(rid, sizeof(rid), "%s:%s", who->account_id, kind);
	rc = auth_seal(&k, T_COPIES, "body", rid, body, &sealed);
	sodium_memzero(&k, sizeof(k));
	if (rc != 0)
		return -1;
	memset(&t, 0, sizeof(t));
	t.who = who;
	t.kind = kind;
	t.body = &sealed;
	t.now = now;
	rc = store_tx(a->st, 1, copy_put_tx, &t);
	store_blob_wipe(&sealed);
	return rc;
}

static int
copy_get_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct copy_tx *t = arg;

	t->rc = store_authority_copy_get(st, c, t->who->account_id, t->kind,
	    t->body, t->fetched_at);
	return t->rc < 0 ? -1 : 0;
}

int
remote_copy_load(const struct auth *a, const struct svc_actor *who,
    const char *kind, char **body, size_t *len, int64_t *fetched_at)
{
	struct store_blob sealed = { NULL, 0 };
	struct copy_tx t;
	struct data_key k;
	char rid[STORE_ID_MAX + 20];
	int rc;

	*body = NULL;
	*len = 0;
	memset(&t, 0, sizeof(t));
	t.who = who;
	t.kind = kind;
	t.body = &sealed;
	t.fetched_at = fetched_at;
	if (store_tx(a->st, 0, copy_get_tx, &t) != 0)
		return -1;
	if (t.rc != 0)
		return t.rc;
	if (org_key(a, who->org_id, &k) != 0) {
		store_blob_wipe(&sealed);
		return -1;
	}
	snprintf(rid, sizeof(rid), "%s:%s", who->account_id, kind);
	rc = field_open(&k, T_COPIES, "body", rid, sealed.p, sealed.len, body,
	    len);
	sodium_memzero(&k, sizeof(k));
	store_blob_wipe(&sealed);
	return rc == 0 ? 0 : -1;
}

struct purge_tx {
	int64_t cutoff;
	long n;
};

static int
copy_purge_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct purge_tx *t = arg;

	t->n = store_authority_copy_purge(st, c, t->cutoff);
	return t->n < 0 ? -1 : 0;
}

long
remote_copy_purge(const struct auth *a, int64_t cutoff)
{
	struct purge_tx t = { cutoff, 0 };

	return store_tx(a->st, 1, copy_purge_tx, &t) != 0 ? -1 : t.n;
}
