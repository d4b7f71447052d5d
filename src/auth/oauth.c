/* oauth.c - the authorization server for partner software. */
#include "auth/oauth.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "auth/session.h"
#include "notify/notify.h"
#include "store/driver.h"
#include "store/replays.h"

const char *
oauth_error_name(enum oauth_error e)
{
	switch (e) {
	case OAUTH_OK:
		return "ok";
	case OAUTH_INVALID_REQUEST:
		return "invalid_request";
	case OAUTH_INVALID_CLIENT:
		return "invalid_client";
	case OAUTH_INVALID_GRANT:
		return "invalid_grant";
	case OAUTH_UNAUTHORIZED_CLIENT:
		return "unauthorized_client";
	case OAUTH_UNSUPPORTED_GRANT_TYPE:
		return "unsupported_grant_type";
	case OAUTH_INVALID_SCOPE:
		return "invalid_scope";
	case OAUTH_ACCESS_DENIED:
		return "access_denied";
	case OAUTH_UNSUPPORTED_RESPONSE_TYPE:
		return "unsupported_response_type";
	default:
		return "server_error";
	}
}

/* ---- pure checks ---- */

static int
loopback_host(const char *h, size_t n)
{
	return (n == 9 && memcmp(h, "127.0.0.1", 9) == 0) ||
	    (n == 5 && memcmp(h, "[::1]", 5) == 0) ||
	    (n == 9 && memcmp(h, "localhost", 9) == 0);
}

int
oauth_redirect_uri_check(const char *uri)
{
	const char *host, *end;
	size_t n = strlen(uri), i;
	int https;

	if (n == 0 || n >= STORE_OAUTH_URI_MAX)
		return -1;
	for (i = 0; i < n; i++)
		if ((unsigned char)uri[i] <= 0x20 || uri[i] == 0x7f ||
		    uri[i] == '#' || uri[i] == '\\')
			return -1;
	https = strncmp(uri, "https://", 8) == 0;
	if (!https && strncmp(uri, "http://", 7) != 0)
		return -1;
	host = uri + (https ? 8 : 7);
	end = host + strcspn(host, "/?");
	if (end == host || memchr(host, '@', (size_t)(end - host)) != NULL)
		return -1;
	if (!https) {
		const char *colon = end;

		/* The port of a loopback address may vary (RFC 8252 7.3),
		 * but the registered URI is still compared exactly. */
		while (colon > host && colon[-1] != ':' && colon[-1] != ']')
			colon--;
		if (colon > host && colon[-1] == ':')
			colon--;
		else
			colon = end;
		if (!loopback_host(host, (size_t)(colon - host)))
			return -1;
	}
	return 0;
}

static const char *const known_scopes[] = { OAUTH_SCOPE_READ,
	OAUTH_SCOPE_BOOK };
#define NSCOPES (sizeof(known_scopes) / sizeof(known_scopes[0]))

/* Whether the space-separated list s holds name as a whole word. */
static int
word_in(const char *s, const char *name)
{
	size_t n = strlen(name);

	while (*s) {
		size_t w;

		while (*s == ' ')
			s++;
		w = strcspn(s, " ");
		if (w == n && memcmp(s, name, n) == 0)
			return 1;
		s += w;
	}
	return 0;
}

int
oauth_scope_parse(const char *s, char *out, size_t outlen)
{
	const char *p = s;
	size_t i, len = 0;
	int any = 0;

	/* Every word must be a known scope. */
	while (*p) {
		size_t w;
		int ok = 0;

		while (*p == ' ')
			p++;
		w = strcspn(p, " ");
		if (w == 0)
			break;
		for (i = 0; i < NSCOPES; i++)
			if (strlen(known_scopes[i]) == w &&
			    memcmp(p, known_scopes[i], w) == 0)
				ok = 1;
		if (!ok)
			return -1;
		p += w;
	}
	if (outlen == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < NSCOPES; i++) {
		if (!word_in(s, known_scopes[i]))
			continue;
		if (len + strlen(known_scopes[i]) + 2 > outlen)
			return -1;
		len += (size_t)snprintf(out + len, outlen - len, "%s%s",
		    any ? " " : "", known_scopes[i]);
		any = 1;
	}
	return any ? 0 : -1;
}

int
oauth_scope_within(const char *want, const char *have)
{
	size_t i;

	for (i = 0; i < NSCOPES; i++)
		if (word_in(want, known_scopes[i]) &&
		    !word_in(have, known_scopes[i]))
			return 0;
	return 1;
}

int
oauth_scope_has(const char *s, const char *name)
{
	return word_in(s, name);
}

static int
b64url_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '-' || ch == '_';
}

int
oauth_challenge_check(const char *challenge)
{
	size_t i;

	if (strlen(challenge) != 43)
		return -1;
	for (i = 0; i < 43; i++)
		if (!b64url_char(challenge[i]))
			return -1;
	return 0;
}

int
oauth_pkce_matches(const char *verifier, const char *challenge)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char enc[64];
	size_t n = strlen(verifier), i;

	if (n < 43 || n > 128)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)verifier[i]) &&
		    strchr("-._~", verifier[i]) == NULL)
			return 0;
	crypto_hash_sha256(h, (const unsigned char *)verifier, n);
	sodium_bin2base64(enc, sizeof(enc), h, sizeof(h),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return strlen(challenge) == strlen(enc) &&
	    sodium_memcmp(enc, challenge, strlen(enc)) == 0;
}

/* ---- secrets ---- */

/* A new 256-bit secret as base64url into out, its hash into h. */
static void
secret_new(char out[OAUTH_TOKEN_LEN], unsigned char h[STORE_HASH_BYTES])
{
	unsigned char raw[32];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, OAUTH_TOKEN_LEN, raw, sizeof(raw),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crypto_generichash(h, STORE_HASH_BYTES, raw, sizeof(raw), NULL, 0);
	sodium_memzero(raw, sizeof(raw));
}

/* The hash of a secret given back; -1 when it is not one of ours. */
static int
secret_hash(const char *s, unsigned char h[STORE_HASH_BYTES])
{
	return s != NULL ? session_token_hash(s, h) : -1;
}

/* ---- audit ---- */

static int
audit(const struct auth *a, struct store_conn *c, const struct oauth_who *who,
    const char *action, enum audit_outcome outcome, const char *target_type,
    const char *target, const char *org, const char *client_id, int64_t now)
{
	struct audit_entry e;
	char details[160];

	memset(&e, 0, sizeof(e));
	snprintf(details, sizeof(details), "{\"client_id\":\"%s\"}",
	    client_id ? client_id : "");
	e.actor = who ? who->account_id : NULL;
	e.action = action;
	e.target_type = target_type;
	e.target_ids = target;
	e.org = org;
	e.ip = who ? who->ip : NULL;
	e.request_id = who ? who->request_id : NULL;
	e.outcome = outcome;
	e.details = details;
	return audit_append(a->st, c, a->audit_key, now, &e, NULL);
}

/* ---- clients ---- */

struct reg {
	const struct auth *a;
	const struct oauth_who *who;
	struct store_oauth_client *cl;
	int64_t now;
};

static int
register_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct reg *x = arg;

	if (store_oauth_client_insert(st, c, x->cl) != 0)
		return -1;
	return audit(x->a, c, x->who, "oauth.client_register", AUDIT_SUCCESS,
	    "oauth_client", x->cl->id, NULL, x->cl->id, x->now);
}

int
oauth_client_register(const struct auth *a, const struct oauth_who *who,
    const char *name, const char *const *uris, size_t nuris, const char *scopes,
    int64_t now, struct store_oauth_client *cl, char secret[OAUTH_TOKEN_LEN])
{
	struct reg x = { a, who, cl, now };
	size_t i, len = 0;

	memset(cl, 0, sizeof(*cl));
	if (nuris == 0 || nuris > OAUTH_URIS_PER_CLIENT ||
	    strlen(name) >= sizeof(cl->name))
		return -1;
	auth_id_new(cl->id);
	snprintf(cl->name, sizeof(cl->name), "%s", name);
	for (i = 0; i < nuris; i++) {
		if (oauth_redirect_uri_check(uris[i]) != 0)
			return -1;
		len += (size_t)snprintf(cl->redirect_uris + len,
		    sizeof(cl->redirect_uris) - len, "%s%s", i ? "\n" : "",
		    uris[i]);
	}
	snprintf(cl->scopes, sizeof(cl->scopes), "%s", scopes);
	snprintf(cl->created_by, sizeof(cl->created_by), "%s",
	    who && who->account_id ? who->account_id : "");
	cl->created_at = now;
	secret_new(secret, cl->secret_hash);
	if (store_tx(a->st, 1, register_tx, &x) != 0) {
		sodium_memzero(secret, OAUTH_TOKEN_LEN);
		return -1;
	}
	return 0;
}

int
oauth_client_list(const struct auth *a,
    int (*fn)(void *arg, const struct store_oauth_client *cl), void *arg)
{
	struct store_conn *c = store_conn(a->st);

	return c == NULL ? -1 : store_oauth_client_list(a->st, c, fn, arg);
}

struct client_revoke {
	const struct auth *a;
	const struct oauth_who *who;
	const char *id;
	int64_t now;
	int rc;
	char grants[64][STORE_ID_MAX];
	size_t ngrants;
	int more;
};

static int
collect_grant(void *arg, const struct store_oauth_grant *g)
{
	struct client_revoke *x = arg;

	if (x->ngrants == sizeof(x->grants) / sizeof(x->grants[0])) {
		x->more = 1;
		return 0;
	}
	memcpy(x->grants[x->ngrants++], g->id, STORE_ID_MAX);
	return 0;
}

static int
client_revoke_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct client_revoke *x = arg;
	size_t i;

	if ((x->rc = store_oauth_client_revoke(st, c, x->id, x->now)) != 0)
		return x->rc < 0 ? -1 : 0;
	do {
		x->ngrants = 0;
		x->more = 0;
		if (store_oauth_grant_list(st, c, NULL, x->id, collect_grant,
			x) != 0)
			return -1;
		for (i = 0; i < x->ngrants; i++)
			if (store_oauth_grant_revoke(st, c, x->grants[i],
				"client_revoked", x->now) < 0)
				return -1;
	} while (x->more);
	return audit(x->a, c, x->who, "oauth.client_revoke", AUDIT_SUCCESS,
	    "oauth_client", x->id, NULL, x->id, x->now);
}

int
oauth_client_revoke(const struct auth *a, const struct oauth_who *who,
    const char *id, int64_t now)
{
	struct client_revoke *x = calloc(1, sizeof(*x));
	int rc;

	if (x == NULL)
		return -1;
	*x = (struct client_revoke){ .a = a, .who = who, .id = id, .now = now };
	rc = store_tx(a->st, 1, client_revoke_tx, x) != 0 ? -1 : x->rc;
	free(x);
	return rc;
}

int
oauth_client_get(const struct auth *a, const char *id,
    struct store_oauth_client *cl)
{
	struct store_conn *c = store_conn(a->st);
	int rc;

	if (c == NULL)
		return -1;
	rc = store_oauth_client_get(a->st, c, id, cl);
	if (rc == 0 && cl->revoked_at != 0)
		rc = 1;
	return rc;
}

int
oauth_client_authenticate(const struct auth *a, const char *id,
    const char *secret, struct store_oauth_client *cl)
{
	unsigned char h[STORE_HASH_BYTES];
	int rc;

	if (id == NULL || secret == NULL || strlen(id) >= STORE_ID_MAX)
		return 1;
	if ((rc = oauth_client_get(a, id, cl)) != 0)
		return rc;
	if (secret_hash(secret, h) != 0 ||
	    sodium_memcmp(h, cl->secret_hash, STORE_HASH_BYTES) != 0)
		rc = 1;
	sodium_memzero(h, sizeof(h));
	return rc;
}

int
oauth_client_has_uri(const struct store_oauth_client *cl, const char *uri)
{
	const char *p = cl->redirect_uris;
	size_t n = strlen(uri);

	while (*p) {
		size_t w = strcspn(p, "\n");

		if (w == n && memcmp(p, uri, n) == 0)
			return 1;
		p += w;
		if (*p == '\n')
			p++;
	}
	return 0;
}

/* ---- consent ---- */

struct req_put {
	struct store_oauth_request *q;
};

static int
request_tx(struct store *st, struct store_conn *c, void *arg)
{
	return store_oauth_request_insert(st, c, arg);
}

int
oauth_request_create(const struct auth *a, struct store_oauth_request *q,
    int64_t now, char id[OAUTH_TOKEN_LEN])
{
	secret_new(id, q->id_hash);
	q->created_at = now;
	q->expires_at = now + OAUTH_REQUEST_MS;
	return store_tx(a->st, 1, request_tx, q) != 0 ? -1 : 0;
}

int
oauth_request_view(const struct auth *a, const char *id, int64_t now,
    struct store_oauth_request *q, struct store_oauth_client *cl)
{
	unsigned char h[STORE_HASH_BYTES];
	struct store_conn *c = store_conn(a->st);
	int rc;

	if (c == NULL)
		return -1;
	if (secret_hash(id, h) != 0)
		return 1;
	rc = store_oauth_request_get(a->st, c, h, q);
	if (rc == 0 && now >= q->expires_at)
		rc = 1;
	if (rc == 0)
		rc = oauth_client_get(a, q->client_id, cl);
	return rc;
}

/* Appends "&name=value" (the first with sep) URL-encoded to out. */
static int
query_add(char *out, size_t outlen, char sep, const char *name,
    const char *value)
{
	size_t len = strlen(out);
	const char *p;

	if (len + strlen(name) + 2 >= outlen)
		return -1;
	len += (size_t)snprintf(out + len, outlen - len, "%c%s=", sep, name);
	for (p = value; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (len + 4 >= outlen)
			return -1;
		if (isalnum(ch) || strchr("-._~", ch) != NULL)
			out[len++] = (char)ch;
		else
			len += (size_t)snprintf(out + len, outlen - len,
			    "%%%02X", ch);
	}
	out[len] = '\0';
	return 0;
}

struct decide {
	const struct auth *a;
	const unsigned char *h;
	int approve;
	const struct oauth_who *who;
	int64_t now;
	char *redirect;
	size_t redirect_len;
	int rc;
};

static int
decide_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct decide *x = arg;
	struct store_oauth_request q;
	struct store_oauth_code k;
	struct store_oauth_client cl;
	char code[OAUTH_TOKEN_LEN];
	char sep;
	int rc;

	if ((rc = store_oauth_request_take(st, c, x->h, &q)) != 0 ||
	    x->now >= q.expires_at) {
		x->rc = rc < 0 ? -1 : 1;
		return rc < 0 ? -1 : 0;
	}
	if ((rc = store_oauth_client_get(st, c, q.client_id, &cl)) != 0 ||
	    cl.revoked_at != 0) {
		x->rc = rc < 0 ? -1 : 1;
		return rc < 0 ? -1 : 0;
	}
	snprintf(x->redirect, x->redirect_len, "%s", q.redirect_uri);
	sep = strchr(q.redirect_uri, '?') ? '&' : '?';
	if (!x->approve) {
		if (query_add(x->redirect, x->redirect_len, sep, "error",
			"access_denied") != 0 ||
		    (q.state[0] &&
			query_add(x->redirect, x->redirect_len, '&', "state",
			    q.state) != 0))
			return -1;
		x->rc = 0;
		return audit(x->a, c, x->who, "oauth.consent_refused",
		    AUDIT_DENIED, "oauth_client", q.client_id, x->who->org_id,
		    q.client_id, x->now);
	}
	memset(&k, 0, sizeof(k));
	secret_new(code, k.code_hash);
	memcpy(k.client_id, q.client_id, sizeof(k.client_id));
	snprintf(k.account_id, sizeof(k.account_id), "%s", x->who->account_id);
	snprintf(k.org_id, sizeof(k.org_id), "%s", x->who->org_id);
	memcpy(k.redirect_uri, q.redirect_uri, sizeof(k.redirect_uri));
	memcpy(k.scope, q.scope, sizeof(k.scope));
	memcpy(k.challenge, q.challenge, sizeof(k.challenge));
	k.created_at = x->now;
	k.expires_at = x->now + OAUTH_CODE_MS;
	rc = store_oauth_code_insert(st, c, &k);
	if (rc == 0)
		rc = query_add(x->redirect, x->redirect_len, sep, "code", code);
	if (rc == 0 && q.state[0])
		rc = query_add(x->redirect, x->redirect_len, '&', "state",
		    q.state);
	sodium_memzero(code, sizeof(code));
	if (rc != 0)
		return -1;
	x->rc = 0;
	return audit(x->a, c, x->who, "oauth.consent", AUDIT_SUCCESS,
	    "oauth_client", q.client_id, x->who->org_id, q.client_id, x->now);
}

int
oauth_request_decide(const struct auth *a, const char *id, int approve,
    const struct oauth_who *who, int64_t now, char *redirect,
    size_t redirect_len)
{
	unsigned char h[STORE_HASH_BYTES];
	struct decide x = { a, h, approve, who, now, redirect, redirect_len,
		1 };

	if (secret_hash(id, h) != 0)
		return 1;
	if (store_tx(a->st, 1, decide_tx, &x) != 0) {
		if (redirect_len)
			redirect[0] = '\0';
		return -1;
	}
	return x.rc;
}

/* ---- tokens ---- */

/* Issues an access and a refresh token of grant g into out. */
static int
issue(struct store *st, struct store_conn *c, const struct store_oauth_grant *g,
    int64_t now, struct oauth_tokens *out)
{
	struct store_oauth_token t;

	memset(&t, 0, sizeof(t));
	memcpy(t.grant_id, g->id, sizeof(t.grant_id));
	t.created_at = now;
	t.expires_at = now + OAUTH_ACCESS_MS;
	secret_new(out->access, t.token_hash);
	if (store_oauth_token_insert(st, c, &t) != 0)
		return -1;
	t.refresh = 1;
	t.expires_at = now + OAUTH_REFRESH_MS;
	secret_new(out->refresh, t.token_hash);
	if (store_oauth_token_insert(st, c, &t) != 0)
		return -1;
	snprintf(out->scope, sizeof(out->scope), "%s", g->scope);
	out->expires_in_s = OAUTH_ACCESS_MS / 1000;
	return 0;
}

struct exchange {
	const struct auth *a;
	const struct store_oauth_client *cl;
	const unsigned char *h;
	const char *redirect_uri, *verifier, *scope;
	const struct oauth_who *who;
	int64_t now;
	struct oauth_tokens *out;
	enum oauth_error err;
};

/* The code or refresh token of grant_id came back after use: the grant
 * ends, and the audit says why. */
static int
reuse(struct exchange *x, struct store_conn *c, const char *grant_id,
    const char *action)
{
	struct store_oauth_grant g;
	struct notice n = { "account.partner_token_reused", NULL };
	int rc = store_oauth_grant_get(x->a->st, c, grant_id, &g);

	x->err = OAUTH_INVALID_GRANT;
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if ((rc = store_oauth_grant_revoke(x->a->st, c, grant_id, "reuse",
		 x->now)) < 0)
		return -1;
	/* The holder hears of it once, when the grant ends. */
	if (rc == 0 &&
	    notify_account(x->a, c, g.account_id, g.org_id, &n, x->now) != 0)
		return -1;
	return audit(x->a, c, x->who, action, AUDIT_DENIED, "oauth_grant",
	    grant_id, g.org_id, g.client_id, x->now);
}

static int
exchange_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct exchange *x = arg;
	struct store_oauth_code k;
	struct store_oauth_grant g;
	struct session_info info;
	int rc;

	x->err = OAUTH_INVALID_GRANT;
	if ((rc = store_oauth_code_get(st, c, x->h, &k)) != 0)
		return rc < 0 ? -1 : 0;
	if (strcmp(k.client_id, x->cl->id) != 0)
		return 0;
	if (k.grant_id[0])
		return reuse(x, c, k.grant_id, "oauth.code_reuse");
	if (x->now >= k.expires_at ||
	    strcmp(k.redirect_uri, x->redirect_uri) != 0 ||
	    !oauth_pkce_matches(x->verifier, k.challenge))
		return 0;
	/* The employee may have left the school since consenting. */
	memset(&info, 0, sizeof(info));
	rc = session_account_info(x->a, c, k.account_id, x->now, &info);
	if (rc != 0 || strcmp(info.org_id, k.org_id) != 0) {
		sodium_memzero(&info, sizeof(info));
		return rc < 0 ? -1 : 0;
	}
	sodium_memzero(&info, sizeof(info));
	memset(&g, 0, sizeof(g));
	auth_id_new(g.id);
	memcpy(g.client_id, k.client_id, sizeof(g.client_id));
	memcpy(g.account_id, k.account_id, sizeof(g.account_id));
	memcpy(g.org_id, k.org_id, sizeof(g.org_id));
	memcpy(g.scope, k.scope, sizeof(g.scope));
	g.created_at = g.last_used_at = x->now;
	if (store_oauth_grant_insert(st, c, &g) != 0)
		return -1;
	if ((rc = store_oauth_code_mark_used(st, c, x->h, g.id)) != 0)
		return -1; /* taken meanwhile: roll the grant back */
	if (issue(st, c, &g, x->now, x->out) != 0)
		return -1;
	{
		struct notice n = { "account.partner_authorised", NULL };

		if (notify_account(x->a, c, g.account_id, g.org_id, &n,
			x->now) != 0)
			return -1;
	}
	x->err = OAUTH_OK;
	{
		struct oauth_who w = *x->who;

		w.account_id = g.account_id;
		return audit(x->a, c, &w, "oauth.grant", AUDIT_SUCCESS,
		    "oauth_grant", g.id, g.org_id, g.client_id, x->now);
	}
}

enum oauth_error
oauth_exchange_code(const struct auth *a, const struct store_oauth_client *cl,
    const char *code, const char *redirect_uri, const char *verifier,
    const struct oauth_who *who, int64_t now, struct oauth_tokens *out)
{
	unsigned char h[STORE_HASH_BYTES];
	struct exchange x = { a, cl, h, redirect_uri, verifier, NULL, who, now,
		out, OAUTH_INVALID_GRANT };

	memset(out, 0, sizeof(*out));
	if (secret_hash(code, h) != 0)
		return OAUTH_INVALID_GRANT;
	if (store_tx(a->st, 1, exchange_tx, &x) != 0) {
		sodium_memzero(out, sizeof(*out));
		return OAUTH_SERVER_ERROR;
	}
	if (x.err != OAUTH_OK)
		sodium_memzero(out, sizeof(*out));
	return x.err;
}

static int
refresh_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct exchange *x = arg;
	struct store_oauth_token t;
	struct store_oauth_grant g;
	struct session_info info;
	int rc;

	x->err = OAUTH_INVALID_GRANT;
	if ((rc = store_oauth_token_get(st, c, x->h, &t)) != 0)
		return rc < 0 ? -1 : 0;
	if (!t.refresh)
		return 0;
	if ((rc = store_oauth_grant_get(st, c, t.grant_id, &g)) != 0)
		return rc < 0 ? -1 : 0;
	if (strcmp(g.client_id, x->cl->id) != 0 || g.revoked_at != 0)
		return 0;
	if (t.used_at != 0)
		return reuse(x, c, g.id, "oauth.refresh_reuse");
	if (x->now >= t.expires_at)
		return 0;
	if (x->scope != NULL && !oauth_scope_within(x->scope, g.scope)) {
		x->err = OAUTH_INVALID_SCOPE;
		return 0;
	}
	memset(&info, 0, sizeof(info));
	rc = session_account_info(x->a, c, g.account_id, x->now, &info);
	if (rc != 0 || strcmp(info.org_id, g.org_id) != 0) {
		sodium_memzero(&info, sizeof(info));
		return rc < 0 ? -1 : 0;
	}
	sodium_memzero(&info, sizeof(info));
	if (store_oauth_token_mark_used(st, c, x->h, x->now) != 0)
		return -1; /* spent meanwhile: roll back, nothing issued */
	if (x->scope != NULL)
		snprintf(g.scope, sizeof(g.scope), "%s", x->scope);
	if (issue(st, c, &g, x->now, x->out) != 0 ||
	    store_oauth_grant_touch(st, c, g.id, x->now) != 0)
		return -1;
	x->err = OAUTH_OK;
	{
		struct oauth_who w = *x->who;

		w.account_id = g.account_id;
		return audit(x->a, c, &w, "oauth.refresh", AUDIT_SUCCESS,
		    "oauth_grant", g.id, g.org_id, g.client_id, x->now);
	}
}

enum oauth_error
oauth_refresh(const struct auth *a, const struct store_oauth_client *cl,
    const char *rt, const char *scope, const struct oauth_who *who, int64_t now,
    struct oauth_tokens *out)
{
	unsigned char h[STORE_HASH_BYTES];
	struct exchange x = { a, cl, h, NULL, NULL, scope, who, now, out,
		OAUTH_INVALID_GRANT };

	memset(out, 0, sizeof(*out));
	if (secret_hash(rt, h) != 0)
		return OAUTH_INVALID_GRANT;
	if (store_tx(a->st, 1, refresh_tx, &x) != 0) {
		sodium_memzero(out, sizeof(*out));
		return OAUTH_SERVER_ERROR;
	}
	if (x.err != OAUTH_OK)
		sodium_memzero(out, sizeof(*out));
	return x.err;
}

struct revoke {
	const struct auth *a;
	const struct store_oauth_client *cl;
	const unsigned char *h;
	const struct oauth_who *who;
	int64_t now;
};

static int
revoke_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct revoke *x = arg;
	struct store_oauth_token t;
	struct store_oauth_grant g;
	int rc;

	if ((rc = store_oauth_token_get(st, c, x->h, &t)) != 0)
		return rc < 0 ? -1 : 0;
	if ((rc = store_oauth_grant_get(st, c, t.grant_id, &g)) != 0)
		return rc < 0 ? -1 : 0;
	if (strcmp(g.client_id, x->cl->id) != 0)
		return 0; /* RFC 7009 2.1: not this client's, left alone */
	if (t.refresh)
		rc = store_oauth_grant_revoke(st, c, g.id, "client", x->now);
	else
		rc = store_oauth_token_delete(st, c, x->h);
	if (rc < 0)
		return -1;
	return audit(x->a, c, x->who,
	    t.refresh ? "oauth.revoke" : "oauth.revoke_access", AUDIT_SUCCESS,
	    "oauth_grant", g.id, g.org_id, g.client_id, x->now);
}

int
oauth_revoke(const struct auth *a, const struct store_oauth_client *cl,
    const char *token, const struct oauth_who *who, int64_t now)
{
	unsigned char h[STORE_HASH_BYTES];
	struct revoke x = { a, cl, h, who, now };

	if (secret_hash(token, h) != 0)
		return 0;
	return store_tx(a->st, 1, revoke_tx, &x) != 0 ? -1 : 0;
}

int
oauth_introspect(const struct auth *a, const struct store_oauth_client *cl,
    const char *token, int64_t now, struct oauth_introspection *out)
{
	unsigned char h[STORE_HASH_BYTES];
	struct store_conn *c = store_conn(a->st);
	struct store_oauth_token t;
	struct store_oauth_grant g;
	int rc;

	memset(out, 0, sizeof(*out));
	if (c == NULL)
		return -1;
	if (secret_hash(token, h) != 0)
		return 0;
	if ((rc = store_oauth_token_get(a->st, c, h, &t)) != 0)
		return rc < 0 ? -1 : 0;
	if ((rc = store_oauth_grant_get(a->st, c, t.grant_id, &g)) != 0)
		return rc < 0 ? -1 : 0;
	if (strcmp(g.client_id, cl->id) != 0 || g.revoked_at != 0 ||
	    now >= t.expires_at || t.used_at != 0)
		return 0;
	out->active = 1;
	out->refresh = t.refresh;
	memcpy(out->client_id, g.client_id, sizeof(out->client_id));
	memcpy(out->account_id, g.account_id, sizeof(out->account_id));
	memcpy(out->org_id, g.org_id, sizeof(out->org_id));
	memcpy(out->scope, g.scope, sizeof(out->scope));
	out->issued_at = t.created_at;
	out->expires_at = t.expires_at;
	return 0;
}

/* ---- resource side ---- */

struct access {
	const struct auth *a;
	const unsigned char *h;
	int64_t now;
	struct session_info *info;
	struct oauth_access *acc;
	int live;
};

static int
access_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct access *x = arg;
	struct store_oauth_token t;
	struct store_oauth_grant g;
	struct store_oauth_client cl;
	int rc;

	if ((rc = store_oauth_token_get(st, c, x->h, &t)) != 0)
		return rc < 0 ? -1 : 0;
	if (t.refresh || x->now >= t.expires_at)
		return 0;
	if ((rc = store_oauth_grant_get(st, c, t.grant_id, &g)) != 0)
		return rc < 0 ? -1 : 0;
	if (g.revoked_at != 0)
		return 0;
	if ((rc = store_oauth_client_get(st, c, g.client_id, &cl)) != 0)
		return rc < 0 ? -1 : 0;
	if (cl.revoked_at != 0)
		return 0;
	if ((rc = session_account_info(x->a, c, g.account_id, x->now,
		 x->info)) != 0)
		return rc < 0 ? -1 : 0;
	if (strcmp(x->info->org_id, g.org_id) != 0)
		return 0;
	x->info->mfa_done = 1;
	x->info->created_at = t.created_at;
	x->info->last_seen_at = x->now;
	x->info->expires_at = t.expires_at;
	memcpy(x->acc->grant_id, g.id, sizeof(x->acc->grant_id));
	memcpy(x->acc->client_id, g.client_id, sizeof(x->acc->client_id));
	memcpy(x->acc->scope, g.scope, sizeof(x->acc->scope));
	x->live = 1;
	return 0;
}

int
oauth_access_check(const struct auth *a, const char *token, int64_t now,
    struct session_info *info, struct oauth_access *acc)
{
	unsigned char h[STORE_HASH_BYTES];
	struct access x = { a, h, now, info, acc, 0 };

	memset(info, 0, sizeof(*info));
	memset(acc, 0, sizeof(*acc));
	if (secret_hash(token, h) != 0)
		return 1;
	if (store_tx(a->st, 0, access_tx, &x) != 0) {
		memset(info, 0, sizeof(*info));
		return -1;
	}
	if (!x.live) {
		memset(info, 0, sizeof(*info));
		memset(acc, 0, sizeof(*acc));
		return 1;
	}
	return 0;
}

/* ---- the employee's applications ---- */

int
oauth_grant_list(const struct auth *a, const char *account_id,
    int (*fn)(void *arg, const struct store_oauth_grant *g), void *arg)
{
	struct store_conn *c = store_conn(a->st);

	return c == NULL
	    ? -1
	    : store_oauth_grant_list(a->st, c, account_id, NULL, fn, arg);
}

struct own_revoke {
	const struct auth *a;
	const struct oauth_who *who;
	const char *id;
	int64_t now;
	int rc;
};

static int
own_revoke_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct own_revoke *x = arg;
	struct store_oauth_grant g;
	int rc;

	x->rc = 1;
	if ((rc = store_oauth_grant_get(st, c, x->id, &g)) != 0)
		return rc < 0 ? -1 : 0;
	if (strcmp(g.account_id, x->who->account_id) != 0 || g.revoked_at != 0)
		return 0;
	if ((rc = store_oauth_grant_revoke(st, c, g.id, "owner", x->now)) != 0)
		return rc < 0 ? -1 : 0;
	x->rc = 0;
	return audit(x->a, c, x->who, "oauth.revoke", AUDIT_SUCCESS,
	    "oauth_grant", g.id, g.org_id, g.client_id, x->now);
}

int
oauth_grant_revoke(const struct auth *a, const struct oauth_who *who,
    const char *id, int64_t now)
{
	struct own_revoke x = { a, who, id, now, 1 };

	if (strlen(id) >= STORE_ID_MAX)
		return 1;
	return store_tx(a->st, 1, own_revoke_tx, &x) != 0 ? -1 : x.rc;
}

long
oauth_end_all_tx(const struct auth *a, struct store_conn *c,
    const char *account_id, int64_t now)
{
	return store_oauth_grant_revoke_account(a->st, c, account_id, "account",
	    now);
}

struct purge {
	int64_t now;
	long n;
};

static int
purge_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct purge *x = arg;
	long r;

	x->n = store_oauth_purge(st, c, x->now, OAUTH_GRANT_KEEP_MS);
	if (x->n < 0)
		return -1;
	/* The answers kept for partners' retried validations: 24 h. */
	if ((r = store_replays_purge(st, c, x->now)) < 0)
		return -1;
	x->n += r;
	return 0;
}

long
oauth_purge(const struct auth *a, int64_t now)
{
	struct purge x = { now, 0 };

	return store_tx(a->st, 1, purge_tx, &x) != 0 ? -1 : x.n;
}
