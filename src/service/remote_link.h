/*
 * remote_link.h - remote mode ([authority] mode = remote): a school
 * employee links their account to the remote exam authority, once, by
 * the authorization code flow with PKCE (they sign in there with their
 * second factor and consent); Créneau then books for them through the
 * authority's partner API with their tokens, renewed as they expire.
 *
 * The tokens live in authority_links, sealed under the organisation's
 * key (a terminated school's deletion destroys that key, and with it
 * every copy in the backups); the client secret never leaves the server.
 * A refresh token serves once (the authority rotates it and treats a
 * second use as theft): renewals are serialised in the process, and the
 * new pair is written before the new access token is used.
 */
#ifndef CRENEAU_SERVICE_REMOTE_LINK_H
#define CRENEAU_SERVICE_REMOTE_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "remote/client.h"
#include "service/service.h"

#define REMOTE_LINK_REQUEST_MS (10 * AUTH_MINUTE_MS)
/* An access token this close to its end is renewed before use. */
#define REMOTE_RENEW_MARGIN_MS (30 * 1000LL)
#define REMOTE_SCOPE "lecture reservation"

enum remote_link_rc {
	REMOTE_LINK_OK = 0,
	REMOTE_LINK_NONE = 1, /* no link, or no such state */
	REMOTE_LINK_REFUSED = 2, /* the authority refused the code or
				    refresh token */
	REMOTE_LINK_UNREACHABLE = 3,
};

/*
 * Starts a link for who: writes the request (state hashed, verifier
 * sealed, 10 minutes) and puts the authority's authorization address in
 * url. Returns 0 or -1.
 */
int remote_link_start(const struct auth *a, const struct remote *r,
    const struct svc_actor *who, int64_t now, char *url, size_t urllen);

/*
 * Finishes the link the authority sent who back with (state, code):
 * the request must be who's and unexpired; the code is exchanged for
 * tokens, stored, audited (authority.linked). Returns a remote_link_rc
 * or -1.
 */
int remote_link_finish(const struct auth *a, const struct remote *r,
    const struct svc_actor *who, const char *state, const char *code,
    int64_t now);

/* What a link is, for its holder (no token). */
struct remote_link_info {
	int64_t linked_at, refreshed_at, access_expires_at;
	char scope[129];
};

/* Reads who's link. Returns 0, 1 when none, -1. */
int remote_link_info(const struct auth *a, const char *account_id,
    struct remote_link_info *out);

/* Ends who's link: the refresh token revoked at the authority (when it
 * answers), the row deleted, audited (authority.unlinked). Returns 0, 1
 * when there was none, -1. */
int remote_link_remove(const struct auth *a, const struct remote *r,
    const struct svc_actor *who, int64_t now);

/*
 * The access token of who's link into at, renewed first when it ends
 * within REMOTE_RENEW_MARGIN_MS or when stale is the token the authority
 * just refused (NULL: none). When the authority refuses the refresh
 * token (revoked there), the link is deleted (audited) and
 * REMOTE_LINK_REFUSED returned. Returns a remote_link_rc or -1.
 */
int remote_link_token(const struct auth *a, const struct remote *r,
    const struct svc_actor *who, const char *stale, int64_t now,
    char at[REMOTE_TOKEN_MAX]);

/*
 * Copies of the authority's lists (kind "candidates", "mandates" or
 * "exams"), one per employee, sealed under the school's key: saved from
 * each answer, shown read-only while the authority does not answer.
 * save returns 0 or -1; load gives a malloc'ed NUL-terminated *body
 * (field_free it, *len bytes) and when it was fetched, returning 0, 1
 * when there is none, -1.
 */
int remote_copy_save(const struct auth *a, const struct svc_actor *who,
    const char *kind, const char *body, int64_t now);
int remote_copy_load(const struct auth *a, const struct svc_actor *who,
    const char *kind, char **body, size_t *len, int64_t *fetched_at);

/* Deletes the copies fetched before cutoff. Returns how many, or -1. */
long remote_copy_purge(const struct auth *a, int64_t cutoff);

/* Deletes the expired link requests. Returns how many, or -1. */
long remote_link_sweep(const struct auth *a, int64_t now);

#endif
