/*
 * oauth.h - the authorization server partner software uses to act for a
 * school employee (RULES.md « Partner API shape », seed 000: OAuth2
 * authorization code per employee, rotating refresh tokens).
 *
 * A client is registered by the platform admin: its name, the exact
 * redirect URIs it may use, the scopes it may ask for, and a secret shown
 * once and stored as its hash. The employee, signed in with their second
 * factor, consents on a French page to what the client asks; the client
 * then exchanges the one-use code (OAUTH_CODE_MS, bound to the client,
 * the redirect URI and the PKCE S256 verifier) for an access token
 * (OAUTH_ACCESS_MS) and a refresh token. Each consent is a grant: the
 * family of every token it issues. A refresh token serves once and is
 * replaced; presenting a used one again (or a used code) revokes the
 * whole grant. Every token and code is 256 random bits given out once and
 * stored as its BLAKE2b-256 hash. Every grant, refusal, reuse and
 * revocation is an audit entry.
 *
 * The tokens carry the employee and their school only: every call made
 * with one is checked by rbac_decide against the employee's own roles,
 * as if the employee made it in the web UI.
 */
#ifndef CRENEAU_OAUTH_H
#define CRENEAU_OAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "store/oauth.h"

#define OAUTH_REQUEST_MS (10 * AUTH_MINUTE_MS) /* consent page open */
#define OAUTH_CODE_MS (60LL * 1000)
#define OAUTH_ACCESS_MS (10 * AUTH_MINUTE_MS)
#define OAUTH_REFRESH_MS (30 * AUTH_DAY_MS)
/* Revoked or spent grants stay this long for the purge (audit keeps the
 * history). */
#define OAUTH_GRANT_KEEP_MS AUTH_DAY_MS

#define OAUTH_TOKEN_LEN 44 /* base64url of 32 bytes, unpadded, and NUL */
#define OAUTH_URIS_PER_CLIENT 5

/* The scopes a client may be given: reading (mandates, candidates,
 * centres, slots, exams) and booking (mandates, baskets, validation,
 * cancellation, replacement, swap). */
#define OAUTH_SCOPE_READ "lecture"
#define OAUTH_SCOPE_BOOK "reservation"

/* RFC 6749 error codes (section 5.2 and 4.1.2.1). */
enum oauth_error {
	OAUTH_OK = 0,
	OAUTH_INVALID_REQUEST,
	OAUTH_INVALID_CLIENT,
	OAUTH_INVALID_GRANT,
	OAUTH_UNAUTHORIZED_CLIENT,
	OAUTH_UNSUPPORTED_GRANT_TYPE,
	OAUTH_INVALID_SCOPE,
	OAUTH_ACCESS_DENIED,
	OAUTH_UNSUPPORTED_RESPONSE_TYPE,
	OAUTH_SERVER_ERROR,
};

/* The wire name ("invalid_grant"). */
const char *oauth_error_name(enum oauth_error e);

/* Who acts, for the audit: the account (NULL for a client alone), the
 * client's address and the request id. */
struct oauth_who {
	const char *account_id;
	const char *org_id;
	const char *ip;
	const char *request_id;
};

/* ---- pure checks ---- */

/* A redirect URI a client may register: an absolute https URL, or http
 * on a loopback address (RFC 8252, native apps), no fragment, no
 * user-info, at most STORE_OAUTH_URI_MAX - 1 bytes. Returns 0 or -1. */
int oauth_redirect_uri_check(const char *uri);

/* Normalises the space-separated scope list s into out (each scope once,
 * known names only, in the canonical order). Returns 0, or -1 when a name
 * is unknown, repeated spaces aside, or s is empty. */
int oauth_scope_parse(const char *s, char *out, size_t outlen);

/* Whether every scope of want (normalised) is in have. */
int oauth_scope_within(const char *want, const char *have);

/* Whether scope list s (normalised) holds name. */
int oauth_scope_has(const char *s, const char *name);

/* A PKCE S256 challenge: 43 base64url characters. Returns 0 or -1. */
int oauth_challenge_check(const char *challenge);

/* Whether verifier (RFC 7636: 43 to 128 unreserved characters) matches
 * challenge: base64url(SHA-256(verifier)). Returns 1 or 0. */
int oauth_pkce_matches(const char *verifier, const char *challenge);

/* ---- clients (platform admin) ---- */

/*
 * Registers a client: name, uris (nuris exact redirect URIs, checked),
 * scopes (normalised). cl receives the stored client; secret its secret,
 * to show once. Audited as oauth.client_register. Returns 0, or -1.
 */
int oauth_client_register(const struct auth *a, const struct oauth_who *who,
    const char *name, const char *const *uris, size_t nuris, const char *scopes,
    int64_t now, struct store_oauth_client *cl, char secret[OAUTH_TOKEN_LEN]);

/* Calls fn for every client. Returns 0 or -1. */
int oauth_client_list(const struct auth *a,
    int (*fn)(void *arg, const struct store_oauth_client *cl), void *arg);

/* Revokes client id and every grant it holds (audited). Returns 0, 1 if
 * there is no such active client, or -1. */
int oauth_client_revoke(const struct auth *a, const struct oauth_who *who,
    const char *id, int64_t now);

/* Authenticates a client by its id and secret (constant-time). Returns 0
 * with *cl filled, 1 if unknown, revoked or the secret is wrong, -1. */
int oauth_client_authenticate(const struct auth *a, const char *id,
    const char *secret, struct store_oauth_client *cl);

/* Reads active client id. Returns 0, 1 (none or revoked), or -1. */
int oauth_client_get(const struct auth *a, const char *id,
    struct store_oauth_client *cl);

/* Whether uri is one of cl's redirect URIs, byte for byte. */
int oauth_client_has_uri(const struct store_oauth_client *cl, const char *uri);

/* ---- consent ---- */

/* Stores q (its id_hash and times are set here) as a pending consent;
 * id receives the id for the consent page. Returns 0 or -1. */
int oauth_request_create(const struct auth *a, struct store_oauth_request *q,
    int64_t now, char id[OAUTH_TOKEN_LEN]);

/* Reads pending consent id with its client. Returns 0, 1 if unknown,
 * expired or its client revoked, -1. */
int oauth_request_view(const struct auth *a, const char *id, int64_t now,
    struct store_oauth_request *q, struct store_oauth_client *cl);

/*
 * The employee's answer to consent id: approve makes a code for
 * who->account_id in who->org_id; either way the request is used up.
 * redirect receives where the browser goes (the client's redirect URI
 * with code and state, or error=access_denied and state). Audited as
 * oauth.consent or oauth.consent_refused. Returns 0, 1 if unknown or
 * expired, -1.
 */
int oauth_request_decide(const struct auth *a, const char *id, int approve,
    const struct oauth_who *who, int64_t now, char *redirect,
    size_t redirect_len);

/* ---- token endpoint ---- */

struct oauth_tokens {
	char access[OAUTH_TOKEN_LEN];
	char refresh[OAUTH_TOKEN_LEN];
	char scope[STORE_OAUTH_SCOPE_MAX];
	int64_t expires_in_s;
};

/* Exchanges code for tokens (cl authenticated). A replayed code revokes
 * the grant it made. Returns OAUTH_OK, OAUTH_INVALID_GRANT (unknown,
 * expired, used, another client's, another redirect URI, wrong
 * verifier), or OAUTH_SERVER_ERROR. */
enum oauth_error oauth_exchange_code(const struct auth *a,
    const struct store_oauth_client *cl, const char *code,
    const char *redirect_uri, const char *verifier, const struct oauth_who *who,
    int64_t now, struct oauth_tokens *out);

/* Rotates refresh token rt (cl authenticated): a new access and refresh
 * token, the old one spent. scope, when not NULL, narrows (normalised).
 * A spent one presented again revokes its grant. Returns OAUTH_OK,
 * OAUTH_INVALID_GRANT, OAUTH_INVALID_SCOPE or OAUTH_SERVER_ERROR. */
enum oauth_error oauth_refresh(const struct auth *a,
    const struct store_oauth_client *cl, const char *rt, const char *scope,
    const struct oauth_who *who, int64_t now, struct oauth_tokens *out);

/* RFC 7009: revokes token if it is cl's (a refresh token ends its grant,
 * an access token itself). Unknown tokens are no error. Returns 0, -1. */
int oauth_revoke(const struct auth *a, const struct store_oauth_client *cl,
    const char *token, const struct oauth_who *who, int64_t now);

/* What RFC 7662 introspection says about a token. */
struct oauth_introspection {
	int active;
	int refresh;
	char client_id[STORE_ID_MAX];
	char account_id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char scope[STORE_OAUTH_SCOPE_MAX];
	int64_t issued_at, expires_at;
};

/* Introspects token for cl: active only when live and cl's own. Returns
 * 0 or -1. */
int oauth_introspect(const struct auth *a, const struct store_oauth_client *cl,
    const char *token, int64_t now, struct oauth_introspection *out);

/* ---- resource side ---- */

struct session_info;

/* What a live access token carries. */
struct oauth_access {
	char grant_id[STORE_ID_MAX];
	char client_id[STORE_ID_MAX];
	char scope[STORE_OAUTH_SCOPE_MAX];
};

/*
 * Checks access token token at now: live, its grant and client not
 * revoked, its account active and still in the grant's organisation.
 * Fills *info as session_check would (second factor counted as given:
 * consent required it) and *acc. Returns 0, 1 if not live, -1.
 */
int oauth_access_check(const struct auth *a, const char *token, int64_t now,
    struct session_info *info, struct oauth_access *acc);

/* ---- the employee's authorised applications ---- */

int oauth_grant_list(const struct auth *a, const char *account_id,
    int (*fn)(void *arg, const struct store_oauth_grant *g), void *arg);

/* Revokes grant id of who->account_id (audited). Returns 0, 1 if the
 * account has no such live grant, -1. */
int oauth_grant_revoke(const struct auth *a, const struct oauth_who *who,
    const char *id, int64_t now);

/* Inside the caller's transaction c: ends every authorisation of
 * account_id (its password changed or was reset, or it was disabled), as
 * its sessions end. Returns how many, or -1. */
long oauth_end_all_tx(const struct auth *a, struct store_conn *c,
    const char *account_id, int64_t now);

/* Retention: deletes ended requests, codes, tokens and spent grants,
 * and the answers kept for partners' retried basket validations
 * (store/replays.h) once their 24 h are over. Returns how many rows
 * went, or -1. */
long oauth_purge(const struct auth *a, int64_t now);

#endif
