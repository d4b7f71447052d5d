/*
 * client.h - speaking to a remote exam authority's partner API (remote
 * mode, [authority] mode = remote) over libcurl: its token endpoint with
 * this instance's client credentials, and the /api/v2/auto-ecole surface
 * with an employee's access token.
 *
 * Retries: a call is tried up to REMOTE_ATTEMPTS times, waiting
 * REMOTE_BACKOFF_MS, then twice that, and so on (or the Retry-After the
 * authority gave, up to REMOTE_RETRY_AFTER_MAX_S). A 429 is always
 * retried (the authority did nothing), a 5xx or a broken connection only
 * when the call is safe to repeat: a GET, or a call marked idempotent (a
 * validation with its Idempotency-Key). A call the authority may have
 * carried out is never sent twice otherwise; a refused connection is
 * retried in every case, since nothing was sent.
 */
#ifndef CRENEAU_REMOTE_CLIENT_H
#define CRENEAU_REMOTE_CLIENT_H

#include <stddef.h>

#include "core/config.h"

#define REMOTE_ATTEMPTS 3
#define REMOTE_BACKOFF_MS 200L
#define REMOTE_RETRY_AFTER_MAX_S 2L
#define REMOTE_TIMEOUT_S 10L
#define REMOTE_BODY_MAX (2 * 1024 * 1024)
#define REMOTE_TOKEN_MAX 128

/* The remote authority, from [authority]. */
struct remote {
	char base[512]; /* its base URL, no trailing slash */
	char client_id[128];
	char secret[256]; /* from client_secret_file */
	char redirect_uri[600]; /* [http] public_url + the callback path */
};

/* What the authority answered. */
struct remote_answer {
	long status; /* 0 when nothing came back */
	char *body; /* NUL-terminated, malloc'ed (free it); may be NULL */
	size_t len;
	long retry_after; /* seconds, from a 429 or 503; 0 when none */
	int replayed; /* Idempotent-Replayed: true */
	int csv; /* Content-Type text/csv (an export), else JSON */
};

/* Fills r from cfg (reads the secret file). Returns 0 or -1 (err says
 * why). */
int remote_init(struct remote *r, const struct config *cfg, char *err,
    size_t errlen);

/* Wipes r's secret. */
void remote_wipe(struct remote *r);

/*
 * Calls method path (under r->base, query included) with bearer as the
 * access token (may be NULL), a JSON body (may be NULL) and idem_key
 * (the Idempotency-Key header; may be NULL: non-NULL also marks the call
 * safe to repeat). Returns 0 with *out filled (any HTTP status), or -1
 * when the authority could not be reached after the retries.
 */
int remote_call(const struct remote *r, const char *method, const char *path,
    const char *bearer, const char *body, size_t len, const char *idem_key,
    struct remote_answer *out);

void remote_answer_free(struct remote_answer *a);

/* Tokens from the token endpoint. */
struct remote_tokens {
	char access[REMOTE_TOKEN_MAX];
	char refresh[REMOTE_TOKEN_MAX];
	long expires_in; /* seconds */
	char scope[129];
};

/*
 * POSTs form (application/x-www-form-urlencoded) to the authority's
 * /oauth/token with this instance's client credentials (HTTP Basic) and
 * reads the tokens. Returns 0; 1 when the authority refused (an OAuth
 * error: invalid_grant...); -1 when it could not be reached or answered
 * something else.
 */
int remote_token(const struct remote *r, const char *form,
    struct remote_tokens *t);

/* Revokes token at the authority (RFC 7009). Returns 0 or -1. */
int remote_revoke(const struct remote *r, const char *token);

#endif
