/*
 * session.h - server-side sessions and their CSRF tokens (SECURITY.md,
 * "Sessions and browser").
 *
 * A session id is 256 bits from the CSPRNG, given to the caller once as
 * base64url (for the __Host-creneau cookie) and stored only as its
 * BLAKE2b-256 hash; so is the CSRF token bound to it (for the XSRF-TOKEN
 * cookie and the X-XSRF-TOKEN header). A session ends after
 * SESSION_IDLE_MS without use (SESSION_IDLE_PUBLIC_MS when opened on a
 * public computer), SESSION_ABSOLUTE_MS after it began, at logout, when
 * its account is disabled or changes its password, or when its owner ends
 * it from the list of their sessions. Every login makes a new one, and
 * so does passing the second factor (mfa.h): the id that was handed out
 * before the second factor never carries its rights.
 */
#ifndef CRENEAU_SESSION_H
#define CRENEAU_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"

#define SESSION_TOKEN_BYTES 32
#define SESSION_TOKEN_LEN 44 /* base64url of 32 bytes, unpadded, and NUL */
#define SESSION_HANDLE_LEN 17 /* 16 hex digits and NUL */

/* The two secrets a new session hands out, once. Wipe them
 * (sodium_memzero) once they are in the response. */
struct session_tokens {
	char id[SESSION_TOKEN_LEN]; /* cookie __Host-creneau */
	char csrf[SESSION_TOKEN_LEN]; /* cookie XSRF-TOKEN */
};

/* What session_check tells about a valid session. */
struct session_info {
	unsigned char id_hash[STORE_HASH_BYTES]; /* names it to this API */
	unsigned char csrf_hash[STORE_HASH_BYTES];
	char account_id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX]; /* the account's organisation */
	int mfa_done; /* the second factor was given (or is not needed) */
	int mfa_enrol; /* a role requires TOTP and none is set up yet */
	int totp_enabled; /* the account has a confirmed TOTP secret */
	int password_temporary; /* must be changed before anything else */
	int password_expired; /* admin password older than 6 months */
	int public_computer;
	int tenant_suspended; /* its organisation is suspended: read only */
	int64_t created_at, last_seen_at, expires_at;
	int64_t reauth_at; /* last proof of password and second factor */
	/* The first time at which this answer may change by time alone (the
	 * session's end, its next touch, the organisation's stricter limits,
	 * an admin's password reaching its age): auth/idcache.h holds the
	 * answer no longer. */
	int64_t recheck_at;
	struct store_role roles[ACCOUNT_ROLES_MAX];
	size_t nroles; /* at most ACCOUNT_ROLES_MAX */
};

/*
 * Inside the caller's write transaction c: creates a session for
 * account_id at now, the user agent (may be NULL, cut to JOURNAL_UA_MAX
 * bytes) sealed under key, the account's data key; reauth_at is when the
 * password and second factor were last proven together (0: not yet, see
 * reauth.h). out receives the session id and CSRF token. Returns 0 or -1.
 */
int session_create(const struct auth *a, struct store_conn *c,
    const struct data_key *key, const char *account_id, int public_computer,
    const char *user_agent, int mfa_done, int64_t reauth_at, int64_t now,
    struct session_tokens *out);

/*
 * Checks the session whose id (the cookie's value) is token at now.
 * Returns 0 and fills *info for a live session of an active account,
 * marking it used (at most every SESSION_TOUCH_MS); 1 if the token is
 * malformed or names no live session: an expired or idle session, or one
 * of a disabled account, is deleted on the way; -1 on error.
 */
int session_check(const struct auth *a, const char *token, int64_t now,
    struct session_info *info);

/*
 * Compares the CSRF token sent with a request (header X-XSRF-TOKEN) with
 * the one bound to the session, in constant time. Returns 0 if it
 * matches, -1 if not or if token is NULL or malformed.
 */
int session_csrf_check(const struct session_info *info, const char *token);

/* Records that the session passed its second factor. Returns 0, 1 if
 * the session is gone, or -1. */
int session_mfa_done(const struct auth *a,
    const unsigned char id_hash[STORE_HASH_BYTES]);

/*
 * Logout: deletes the session and journals a logout with ip and
 * user_agent (may be NULL). Returns 0, 1 if it was already gone, or -1.
 */
int session_end(const struct auth *a, const struct session_info *info,
    const char *ip, const char *user_agent, int64_t now);

/*
 * Deletes every session of account_id but keep (an id hash, or NULL to
 * end them all). Returns how many ended, or -1. Use the _tx form inside
 * a transaction that changes the account.
 */
long session_end_all(const struct auth *a, const char *account_id,
    const unsigned char *keep);
long session_end_all_tx(const struct auth *a, struct store_conn *c,
    const char *account_id, const unsigned char *keep);

/* One session of the owner's list. Strings are borrowed for the
 * callback's duration. */
struct session_view {
	char handle[SESSION_HANDLE_LEN]; /* opaque: ends it via
					    session_end_handle */
	int64_t created_at, last_seen_at, expires_at;
	int public_computer;
	int current; /* the session the list was asked from */
	const char *user_agent; /* NULL when none or unreadable */
};

typedef int (*session_view_fn)(void *arg, const struct session_view *v);

/* Deletes the sessions that have ended at now (absolute end or idle time
 * reached), in one transaction: the retention job's purge of connection
 * data (gdpr/retention.c). Returns how many, or -1. */
long session_purge_ended(const struct auth *a, int64_t now);

/*
 * Calls fn for each session of account_id, newest first, the user agent
 * opened with the account's key; current (may be NULL) marks the
 * caller's own. Returns 0 or -1.
 */
int session_list(const struct auth *a, const char *account_id,
    const unsigned char *current, session_view_fn fn, void *arg);

/*
 * Ends the session of account_id whose handle (from session_list) is
 * handle. Returns 0, 1 if account_id has no such session, or -1.
 */
int session_end_handle(const struct auth *a, const char *account_id,
    const char *handle);

/*
 * Inside the caller's transaction c: fills what *info says about account
 * account_id (organisation, roles, password and second-factor state) as
 * session_check does for a session's account, for callers that prove the
 * account another way (partner access tokens, auth/oauth.h). Returns 0,
 * 1 if the account is gone or disabled, -1.
 */
int session_account_info(const struct auth *a, struct store_conn *c,
    const char *account_id, int64_t now, struct session_info *info);

/* Hashes a token into out (BLAKE2b-256 of its 32 decoded bytes). Returns
 * 0, or -1 if the token is not 43 base64url characters. */
int session_token_hash(const char *token, unsigned char out[STORE_HASH_BYTES]);

#endif
