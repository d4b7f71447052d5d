/* oidc.c - OpenID Connect sign-in: flows, links, sessions. */
#include "auth/oidc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/journal.h"
#include "auth/oidc_http.h"
#include "auth/oidc_token.h"
#include "auth/signup.h"
#include "core/log.h"
#include "crypto/field.h"
#include "store/driver.h"
#include "store/oidc.h"

/* The flow's nonce or PKCE verifier ("nonce", "verifier"): 64 hex digits
 * keyed on the state under the system:oidc key. Returns 0 or -1. */
static int
derive(const struct auth *a, const char *state, const char *what,
    char out[BLIND_INDEX_HEX])
{
	struct data_key k;
	int rc = -1;

	if (auth_key(a, OIDC_KEY_OWNER, 1, &k) == 0 &&
	    field_blind_index(&k, "oidc_flows", what, state, strlen(state),
		out) == 0)
		rc = 0;
	sodium_memzero(&k, sizeof(k));
	return rc;
}

/* Appends "&name=value" (value percent-encoded) to url. Returns 0 or -1. */
static int
url_add(char *url, size_t len, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(url);
	const unsigned char *v = (const unsigned char *)value;

	if (n + strlen(name) + 2 >= len)
		return -1;
	url[n++] = strchr(url, '?') ? '&' : '?';
	memcpy(url + n, name, strlen(name));
	n += strlen(name);
	url[n++] = '=';
	for (; *v != '\0'; v++) {
		if (n + 4 >= len)
			return -1;
		if ((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
		    (*v >= '0' && *v <= '9') || strchr("-._~", *v) != NULL) {
			url[n++] = (char)*v;
		} else {
			url[n++] = '%';
			url[n++] = hex[*v >> 4];
			url[n++] = hex[*v & 15];
		}
	}
	url[n] = '\0';
	return 0;
}

static int
flow_tx(struct store *st, struct store_conn *c, void *arg)
{
	return store_oidc_flow_insert(st, c, arg);
}

int
oidc_begin(const struct auth *a, const struct config_oidc *p,
    const char *redirect_uri, const char *account_id, int64_t now,
    char url[OIDC_AUTH_URL_MAX], char state_out[SESSION_TOKEN_LEN])
{
	struct oidc_meta m;
	struct store_oidc_flow f;
	unsigned char r[SESSION_TOKEN_BYTES], sha[crypto_hash_sha256_BYTES];
	char state[SESSION_TOKEN_LEN], nonce[BLIND_INDEX_HEX],
	    verifier[BLIND_INDEX_HEX], challenge[SESSION_TOKEN_LEN];
	int rc = -1;

	url[0] = '\0';
	state_out[0] = '\0';
	memset(&f, 0, sizeof(f));
	if (oidc_discover(p, &m) != 0)
		return -1;
	randombytes_buf(r, sizeof(r));
	sodium_bin2base64(state, sizeof(state), r, sizeof(r),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (session_token_hash(state, f.state_hash) != 0 ||
	    derive(a, state, "nonce", nonce) != 0 ||
	    derive(a, state, "verifier", verifier) != 0)
		goto done;
	crypto_hash_sha256(sha, (const unsigned char *)verifier,
	    strlen(verifier));
	sodium_bin2base64(challenge, sizeof(challenge), sha, sizeof(sha),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(f.provider, sizeof(f.provider), "%s", p->name);
	if (account_id != NULL)
		snprintf(f.account_id, sizeof(f.account_id), "%s", account_id);
	f.created_at = now;
	f.expires_at = now + OIDC_FLOW_MS;
	if (snprintf(url, OIDC_AUTH_URL_MAX, "%s", m.authorization_endpoint) >=
		OIDC_AUTH_URL_MAX ||
	    url_add(url, OIDC_AUTH_URL_MAX, "response_type", "code") != 0 ||
	    url_add(url, OIDC_AUTH_URL_MAX, "client_id", p->client_id) != 0 ||
	    url_add(url, OIDC_AUTH_URL_MAX, "redirect_uri", redirect_uri) !=
		0 ||
	    url_add(url, OIDC_AUTH_URL_MAX, "scope", p->scopes) != 0 ||
	    url_add(url, OIDC_AUTH_URL_MAX, "state", state) != 0 ||
	    url_add(url, OIDC_AUTH_URL_MAX, "nonce", nonce) != 0 ||
	    url_add(url, OIDC_AUTH_URL_MAX, "code_challenge", challenge) != 0 ||
	    url_add(url, OIDC_AUTH_URL_MAX, "code_challenge_method", "S256") !=
		0 ||
	    store_tx(a->st, 1, flow_tx, &f) != 0)
		goto done;
	memcpy(state_out, state, SESSION_TOKEN_LEN);
	rc = 0;
done:
	if (rc != 0)
		url[0] = '\0';
	sodium_memzero(r, sizeof(r));
	sodium_memzero(state, sizeof(state));
	sodium_memzero(verifier, sizeof(verifier));
	return rc;
}

/* Finishing. */

struct finish {
	const struct auth *a;
	const struct config_oidc *p;
	const struct oidc_return *r;
	int64_t now;
	unsigned char state_hash[STORE_HASH_BYTES];
	struct store_oidc_flow flow;
	int have_flow;
	struct oidc_claims claims;
	char sub_index[BLIND_INDEX_HEX];
	char *id_token; /* the checked ID token, kept sealed with the session */
	char *access_token; /* kept only to ask a sign-up's email */
	struct oidc_meta meta;
	int want_signup; /* not linked, and p lets people sign up */
	struct oidc_result *res;
};

/* Seals id_token under the person's key with the session whose id is
 * token, marked as opened through provider. Returns 0 or -1. */
static int
seal_id_token(const struct auth *a, struct store_conn *c,
    const struct data_key *key, const char *token, const char *provider,
    const char *id_token)
{
	unsigned char h[STORE_HASH_BYTES];
	char rid[STORE_HASH_BYTES * 2 + 1];
	struct store_blob b = { NULL, 0 };
	int rc = -1;

	if (session_token_hash(token, h) != 0)
		return -1;
	sodium_bin2hex(rid, sizeof(rid), h, sizeof(h));
	if (auth_seal(key, "sessions", "oidc_id_token", rid, id_token, &b) ==
		0 &&
	    store_oidc_session_set(a->st, c, h, provider, &b) == 0)
		rc = 0;
	store_blob_wipe(&b);
	return rc;
}

/* Keeps the ID token with the new session, for the provider's logout. */
static int
keep_id_token(struct finish *x, struct store_conn *c,
    const struct data_key *key)
{
	return seal_id_token(x->a, c, key, x->res->tokens.id, x->p->name,
	    x->id_token);
}

int
oidc_carry_take(const struct auth *a, struct store_conn *c,
    const struct data_key *key, const unsigned char *old_hash,
    struct oidc_carry *k)
{
	char provider[STORE_OIDC_PROVIDER_MAX];
	char rid[STORE_HASH_BYTES * 2 + 1];
	struct store_blob b = { NULL, 0 };
	int rc;

	memset(k, 0, sizeof(*k));
	if ((rc = store_oidc_session_get(a->st, c, old_hash, provider, &b)) !=
	    0)
		return rc < 0 ? -1 : 0;
	sodium_bin2hex(rid, sizeof(rid), old_hash, STORE_HASH_BYTES);
	/* A token that no longer opens is left behind: only the provider's
	 * logout is lost. */
	if (field_open(key, "sessions", "oidc_id_token", rid, b.p, b.len,
		&k->id_token, &k->len) == 0)
		snprintf(k->provider, sizeof(k->provider), "%s", provider);
	store_blob_wipe(&b);
	return 0;
}

int
oidc_carry_put(const struct auth *a, struct store_conn *c,
    const struct data_key *key, const char *token, struct oidc_carry *k)
{
	int rc = 0;

	if (k->provider[0] != '\0' && k->id_token != NULL)
		rc = seal_id_token(a, c, key, token, k->provider, k->id_token);
	oidc_carry_clear(k);
	return rc;
}

void
oidc_carry_clear(struct oidc_carry *k)
{
	field_free(k->id_token, k->len);
	memset(k, 0, sizeof(*k));
}

static int
take_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct finish *x = arg;
	int rc = store_oidc_flow_take(st, c, x->state_hash, &x->flow);

	if (rc < 0)
		return -1;
	x->have_flow = rc == 0 && strcmp(x->flow.provider, x->p->name) == 0 &&
	    x->now < x->flow.expires_at && x->now >= x->flow.created_at;
	return 0;
}

/* Journals and audits the outcome, in c. */
static int
record(struct finish *x, struct store_conn *c, const char *account_id,
    const char *org_id, const char *action, int ok)
{
	if (journal_record(x->a, c, account_id, org_id,
		ok ? JOURNAL_LOGIN : JOURNAL_FAILURE, x->r->ip,
		x->r->user_agent, x->now) != 0)
		return -1;
	return auth_audit(x->a, c, x->now, account_id, action, account_id,
	    org_id, x->r->ip, ok ? AUDIT_SUCCESS : AUDIT_DENIED);
}

static int
failed_tx(struct store *st, struct store_conn *c, void *arg)
{
	(void)st;
	return record(arg, c, NULL, NULL, "auth.login.oidc", 0);
}

/* Whether the account may sign in through the provider: one of its
 * roles is one of the provider's, in one of its organisations when it
 * names some. */
static int
allowed(struct finish *x, struct store_conn *c, const struct store_account *acc,
    int *needs_mfa)
{
	struct store_role roles[ACCOUNT_ROLES_MAX];
	long n, i;
	int ok = 0;

	*needs_mfa = 0;
	n = store_role_list(x->a->st, c, acc->id, NULL, roles,
	    ACCOUNT_ROLES_MAX);
	if (n < 0)
		return -1;
	if (n > ACCOUNT_ROLES_MAX)
		n = ACCOUNT_ROLES_MAX;
	for (i = 0; i < n; i++) {
		*needs_mfa |= role_requires_mfa(roles[i].role);
		if (oidc_list_has(x->p->roles, roles[i].role) &&
		    (x->p->orgs[0] == '\0' ||
			oidc_list_has(x->p->orgs, roles[i].org_id)))
			ok = 1;
	}
	return ok;
}

static int
signin_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct finish *x = arg;
	struct oidc_result *res = x->res;
	struct store_oidc_link l;
	struct store_account acc;
	struct data_key key;
	char owner[AUTH_OWNER_MAX];
	int rc, ok, needs_mfa, strong;

	memset(&acc, 0, sizeof(acc));
	memset(&l, 0, sizeof(l));
	if ((rc = store_oidc_link_get(st, c, x->p->name, x->sub_index, &l)) < 0)
		return -1;
	if (rc > 0 || l.confirmed_at == 0) {
		res->status = OIDC_NOT_LINKED;
		/* The people's provider: the person may create their account
		 * (signup_oidc_begin, after this transaction). */
		if (strcmp(x->p->signup, "users") == 0) {
			x->want_signup = 1;
			return 0;
		}
		return record(x, c, NULL, NULL, "auth.login.oidc", 0);
	}
	if ((rc = store_account_get(st, c, l.account_id, &acc)) != 0)
		return -1;
	rc = -1;
	if ((ok = allowed(x, c, &acc, &needs_mfa)) < 0)
		goto done;
	if (!ok || acc.disabled) {
		res->status = OIDC_NOT_ALLOWED;
		rc = record(x, c, acc.id, acc.org_id, "auth.login.oidc", 0);
		goto done;
	}
	strong = oidc_claims_mfa(&x->claims, x->p->mfa_acr, x->p->mfa_amr);
	res->mfa_done = strong || (acc.totp_secret.p == NULL && !needs_mfa);
	if (auth_subject_owner(acc.id, owner) != 0 ||
	    auth_key(x->a, owner, 0, &key) != 0)
		goto done;
	if (store_account_set_last_login(st, c, acc.id, x->now) == 0 &&
	    session_create(x->a, c, &key, acc.id, 0, x->r->user_agent,
		res->mfa_done, res->mfa_done ? x->now : 0, x->now,
		&res->tokens) == 0 &&
	    keep_id_token(x, c, &key) == 0 &&
	    record(x, c, acc.id, acc.org_id, "auth.login.oidc", 1) == 0) {
		res->status = OIDC_SIGNED_IN;
		memcpy(res->account_id, acc.id, sizeof(res->account_id));
		rc = 0;
	}
	sodium_memzero(&key, sizeof(key));
done:
	store_account_clear(&acc);
	return rc;
}

static int
link_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct finish *x = arg;
	struct store_oidc_link l;
	int rc;

	memset(&l, 0, sizeof(l));
	snprintf(l.provider, sizeof(l.provider), "%s", x->p->name);
	snprintf(l.sub_index, sizeof(l.sub_index), "%s", x->sub_index);
	memcpy(l.account_id, x->flow.account_id, sizeof(l.account_id));
	l.created_at = x->now;
	if ((rc = store_oidc_link_propose(st, c, &l)) < 0)
		return -1;
	x->res->status = rc == 0 ? OIDC_LINK_PENDING : OIDC_LINK_TAKEN;
	return auth_audit(x->a, c, x->now, l.account_id, "auth.oidc.link",
	    l.account_id, NULL, x->r->ip,
	    rc == 0 ? AUDIT_SUCCESS : AUDIT_DENIED);
}

/* Exchanges the code and checks the ID token into x->claims. Returns 0
 * (res->status set when refused), or -1. */
static int
check_token(struct finish *x)
{
	struct oidc_meta *m = &x->meta;
	struct oidc_expect e;
	char nonce[BLIND_INDEX_HEX], verifier[BLIND_INDEX_HEX];
	char *idt = NULL, *jwks = NULL;
	size_t jl = 0;
	int rc;

	x->res->status = OIDC_UNREACHABLE;
	if (derive(x->a, x->r->state, "nonce", nonce) != 0 ||
	    derive(x->a, x->r->state, "verifier", verifier) != 0)
		return -1;
	if (oidc_discover(x->p, m) != 0)
		goto done;
	rc = oidc_code_exchange(x->p, m, x->r->code, x->r->redirect_uri,
	    verifier, &idt, x->p->signup[0] != '\0' ? &x->access_token : NULL);
	if (rc != 0) {
		if (rc > 0)
			x->res->status = OIDC_CODE_REFUSED;
		goto done;
	}
	if (oidc_jwks(m, &jwks, &jl) != 0)
		goto done;
	e.issuer = x->p->issuer;
	e.client_id = x->p->client_id;
	e.nonce = nonce;
	e.now_s = x->now / 1000;
	e.skew_s = x->p->skew_s;
	if (oidc_token_check(jwks, jl, idt, &e, &x->claims, x->res->why,
		sizeof(x->res->why)) != 0) {
		x->res->status = OIDC_TOKEN_REFUSED;
		log_warnx("%s: [oidc:%s] ID token refused: %s", __func__,
		    x->p->name, x->res->why);
		goto done;
	}
	x->res->status = OIDC_SIGNED_IN;
	x->id_token = idt; /* the caller wipes it */
	idt = NULL;
done:
	if (idt != NULL) {
		sodium_memzero(idt, strlen(idt));
		free(idt);
	}
	free(jwks);
	sodium_memzero(verifier, sizeof(verifier));
	return 0;
}

/* The blind index of the provider's subject. Returns 0 or -1. */
static int
sub_index(struct finish *x)
{
	struct data_key k;
	char v[CONFIG_OIDC_NAME_MAX + OIDC_SUB_MAX + 1];
	int rc = -1, n;

	n = snprintf(v, sizeof(v), "%s:%s", x->p->name, x->claims.sub);
	if (n > 0 && (size_t)n < sizeof(v) &&
	    auth_key(x->a, AUTH_KEY_OWNER_INDEX, 1, &k) == 0 &&
	    field_blind_index(&k, "oidc_links", "sub", v, (size_t)n,
		x->sub_index) == 0)
		rc = 0;
	sodium_memzero(&k, sizeof(k));
	return rc;
}

/* A subject nobody linked, at the people's provider: its email from the
 * userinfo endpoint, then a pending sign-up the person confirms. */
static int
begin_signup(struct finish *x)
{
	char email[SIGNUP_EMAIL_MAX + 1];
	int rc;

	rc = oidc_userinfo_email(&x->meta, x->access_token, x->claims.sub,
	    email, sizeof(email));
	if (rc != 0) {
		x->res->status =
		    rc > 0 ? OIDC_SIGNUP_NO_EMAIL : OIDC_UNREACHABLE;
		return store_tx(x->a->st, 1, failed_tx, x);
	}
	rc = signup_oidc_begin(x->a, x->p->name, x->sub_index, email, x->r->ip,
	    x->now, x->res->signup_token);
	sodium_memzero(email, sizeof(email));
	if (rc < 0)
		return -1;
	x->res->status = rc == 0 ? OIDC_SIGNUP_PENDING
	    : rc == 1            ? OIDC_SIGNUP_EXISTS
				 : OIDC_SIGNUP_NO_EMAIL;
	return 0;
}

int
oidc_finish(const struct auth *a, const struct config_oidc *p,
    const struct oidc_return *r, int64_t now, struct oidc_result *res)
{
	struct finish x;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.p = p;
	x.r = r;
	x.now = now;
	x.res = res;
	res->status = OIDC_BAD_STATE;
	/* The state must come back to the browser that began the flow:
	 * a link with someone else's code and state signs nobody in. */
	if (r->state == NULL || r->code == NULL || r->browser_state == NULL ||
	    strlen(r->state) != strlen(r->browser_state) ||
	    sodium_memcmp(r->state, r->browser_state, strlen(r->state)) != 0 ||
	    session_token_hash(r->state, x.state_hash) != 0) {
		rc = store_tx(a->st, 1, failed_tx, &x);
		goto done;
	}
	if (store_tx(a->st, 1, take_tx, &x) != 0)
		goto done;
	if (!x.have_flow) {
		rc = store_tx(a->st, 1, failed_tx, &x);
		goto done;
	}
	if (check_token(&x) != 0)
		goto done;
	if (res->status != OIDC_SIGNED_IN) {
		rc = store_tx(a->st, 1, failed_tx, &x);
		goto done;
	}
	if (sub_index(&x) != 0)
		goto done;
	if (x.flow.account_id[0] != '\0') {
		if (r->session_account == NULL ||
		    strcmp(r->session_account, x.flow.account_id) != 0) {
			res->status = OIDC_WRONG_PERSON;
			rc = store_tx(a->st, 1, failed_tx, &x);
			goto done;
		}
		rc = store_tx(a->st, 1, link_tx, &x);
		goto done;
	}
	rc = store_tx(a->st, 1, signin_tx, &x);
	if (rc == 0 && x.want_signup)
		rc = begin_signup(&x);
done:
	if (rc != 0) {
		log_errorx("%s: OIDC sign-in could not be processed", __func__);
		sodium_memzero(&res->tokens, sizeof(res->tokens));
	}
	sodium_memzero(&x.claims, sizeof(x.claims));
	if (x.id_token != NULL) {
		sodium_memzero(x.id_token, strlen(x.id_token));
		free(x.id_token);
	}
	if (x.access_token != NULL) {
		sodium_memzero(x.access_token, strlen(x.access_token));
		free(x.access_token);
	}
	return rc;
}

int
oidc_logout_url(const struct auth *a, const struct config *cfg,
    const struct session_info *s, const char *after,
    char url[OIDC_AUTH_URL_MAX])
{
	struct store_conn *c = store_conn(a->st);
	const struct config_oidc *p;
	char provider[STORE_OIDC_PROVIDER_MAX], owner[AUTH_OWNER_MAX];
	char rid[STORE_HASH_BYTES * 2 + 1], *idt = NULL;
	struct store_blob b = { NULL, 0 };
	struct oidc_meta m;
	struct data_key k;
	size_t n = 0;
	int rc;

	url[0] = '\0';
	memset(&k, 0, sizeof(k));
	if (c == NULL)
		return -1;
	if ((rc = store_oidc_session_get(a->st, c, s->id_hash, provider, &b)) !=
	    0)
		return rc;
	rc = 1;
	sodium_bin2hex(rid, sizeof(rid), s->id_hash, STORE_HASH_BYTES);
	/* A provider gone from the configuration, or that does not answer
	 * or offer a logout: only the Créneau session ends. */
	if ((p = config_oidc_find(cfg, provider)) == NULL ||
	    auth_subject_owner(s->account_id, owner) != 0 ||
	    auth_key(a, owner, 0, &k) != 0 ||
	    field_open(&k, "sessions", "oidc_id_token", rid, b.p, b.len, &idt,
		&n) != 0 ||
	    oidc_discover(p, &m) != 0 || m.end_session_endpoint[0] == '\0')
		goto done;
	if (snprintf(url, OIDC_AUTH_URL_MAX, "%s", m.end_session_endpoint) <
		OIDC_AUTH_URL_MAX &&
	    url_add(url, OIDC_AUTH_URL_MAX, "id_token_hint", idt) == 0 &&
	    url_add(url, OIDC_AUTH_URL_MAX, "client_id", p->client_id) == 0 &&
	    url_add(url, OIDC_AUTH_URL_MAX, "post_logout_redirect_uri",
		after) == 0)
		rc = 0;
	else
		url[0] = '\0';
done:
	field_free(idt, n);
	store_blob_wipe(&b);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

struct confirm {
	const struct auth *a;
	const char *account_id, *provider, *ip;
	int64_t now;
	int none;
};

static int
confirm_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct confirm *x = arg;
	int rc = store_oidc_link_confirm(st, c, x->account_id, x->provider,
	    x->now - OIDC_LINK_CONFIRM_MS, x->now);

	if (rc != 0) {
		x->none = rc > 0;
		return rc < 0 ? -1 : 0;
	}
	return auth_audit(x->a, c, x->now, x->account_id,
	    "auth.oidc.link_confirm", x->account_id, NULL, x->ip,
	    AUDIT_SUCCESS);
}

int
oidc_link_confirm(const struct auth *a, const char *account_id,
    const char *provider, const char *ip, int64_t now)
{
	struct confirm x = { a, account_id, provider, ip, now, 0 };

	if (store_tx(a->st, 1, confirm_tx, &x) != 0)
		return -1;
	return x.none ? 1 : 0;
}

long
oidc_purge_flows(const struct auth *a, int64_t now)
{
	struct store_conn *c = store_conn(a->st);

	return c == NULL ? -1 : store_oidc_flow_purge(a->st, c, now);
}

long
oidc_purge_links(const struct auth *a, int64_t now)
{
	struct store_conn *c = store_conn(a->st);

	return c == NULL
	    ? -1
	    : store_oidc_link_purge(a->st, c, now - OIDC_LINK_CONFIRM_MS);
}
