/*
 * identity.h (store) - the rows of organisations, accounts, roles, grants,
 * recovery codes, sessions, the connection journal and login throttling.
 *
 * This file only moves rows: sealing, hashing and every rule live in
 * src/auth/. Personal data arrives here already sealed (field_seal) or as
 * a blind index, and leaves as the same bytes.
 *
 * Every function takes the connection c to run on: store_conn(st) for a
 * lone statement, or the one store_tx() hands its callback, so that a
 * change and its audit entry commit together. Functions return 0 on
 * success and -1 on a database failure (logged by the driver, without the
 * values); functions that look a row up return 1 when there is none.
 *
 * Sealed blobs read into a row struct are malloc'ed copies owned by the
 * struct: release them with the struct's _clear function (which wipes
 * them). Rows handed to a callback are borrowed: valid during the call
 * only.
 */
#ifndef CRENEAU_STORE_IDENTITY_H
#define CRENEAU_STORE_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct store_conn;

#define STORE_ID_MAX 64 /* ids: 32 hex digits (auth_id_new) and NUL fit */
#define STORE_INDEX_MAX 80 /* blind index keys, with a prefix */
#define STORE_ORG_NAME_MAX 256
#define STORE_KIND_MAX 16
#define STORE_ROLE_MAX 32
#define STORE_PERMISSION_MAX 64
#define STORE_PWHASH_MAX 256 /* argon2id strings (crypto_pwhash_STRBYTES) */
#define STORE_EVENT_MAX 16
#define STORE_OWNER_MAX 96 /* key owner, "subject:<id>" */
#define STORE_HASH_BYTES 32 /* session id and CSRF token hashes */

/* A blob: bytes and their length; p NULL when the column is NULL. */
struct store_blob {
	unsigned char *p;
	size_t len;
};

/* Wipes and frees b's bytes (sealed fields, tokens) and empties it. NULL
 * bytes do nothing. */
void store_blob_wipe(struct store_blob *b);

/* Organisations. The name is not personal data (a school's name). */
struct store_org {
	char id[STORE_ID_MAX];
	char name[STORE_ORG_NAME_MAX];
	char kind[STORE_KIND_MAX]; /* platform, school, authority, service,
				      association, tenant */
	int64_t created_at;
};

/* Inserts o. Returns 0, or -1 (an existing id or unknown kind included). */
int store_org_insert(struct store *st, struct store_conn *c,
    const struct store_org *o);

/* Reads organisation id into *o. Returns 0, 1 if there is none, or -1. */
int store_org_get(struct store *st, struct store_conn *c, const char *id,
    struct store_org *o);

/* An account as stored. The four blobs are sealed, malloc'ed copies. */
struct store_account {
	char id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char email_index[STORE_INDEX_MAX];
	struct store_blob email; /* sealed */
	struct store_blob display_name; /* sealed */
	char password_hash[STORE_PWHASH_MAX];
	int password_temporary;
	int64_t password_changed_at;
	struct store_blob totp_secret; /* sealed; p NULL: no TOTP */
	struct store_blob totp_pending; /* sealed; p NULL: no enrolment */
	int64_t totp_last_step;
	int disabled; /* status 'disabled' */
	int64_t created_at;
	int64_t last_login_at; /* 0 when never */
};

/* Frees and wipes the blobs of a and zeroes it. NULL does nothing. */
void store_account_clear(struct store_account *a);

/*
 * Inserts a (id, org_id, email_index, email, display_name, password_hash,
 * password_temporary, password_changed_at, disabled, created_at; TOTP
 * columns start empty). Returns 0, or -1, also when email_index is
 * already taken (UNIQUE): check with store_account_by_email first.
 */
int store_account_insert(struct store *st, struct store_conn *c,
    const struct store_account *a);

/* Reads account id into *a (to release with store_account_clear, also
 * after a failure). Returns 0, 1 if there is none, or -1. */
int store_account_get(struct store *st, struct store_conn *c, const char *id,
    struct store_account *a);

/* Reads the account whose email blind index is email_index into *a.
 * Returns 0, 1 if there is none, or -1. Release a as above. */
int store_account_by_email(struct store *st, struct store_conn *c,
    const char *email_index, struct store_account *a);

/* Sets the password hash, its temporary flag and when it was set.
 * Returns 0, 1 if there is no such account, or -1. */
int store_account_set_password(struct store *st, struct store_conn *c,
    const char *id, const char *hash, int temporary, int64_t changed_at);

/*
 * Sets the sealed TOTP secret (NULL clears it, and TOTP with it) and the
 * last step used; clears any pending enrolment. Returns 0, 1 if there is
 * no such account, or -1.
 */
int store_account_set_totp(struct store *st, struct store_conn *c,
    const char *id, const unsigned char *sealed, size_t len, int64_t last_step);

/* Sets (or, with sealed NULL, clears) the pending TOTP enrolment.
 * Returns 0, 1 if there is no such account, or -1. */
int store_account_set_totp_pending(struct store *st, struct store_conn *c,
    const char *id, const unsigned char *sealed, size_t len);

/*
 * Moves totp_last_step to step only if step is greater than the stored
 * one, in one atomic UPDATE: of two requests with the same code, only one
 * advances. Returns 1 if it advanced, 0 if not (replay, or no account),
 * or -1.
 */
int store_account_advance_totp(struct store *st, struct store_conn *c,
    const char *id, int64_t step);

/* Sets the status: disabled 1 for 'disabled', 0 for 'active'. Returns 0,
 * 1 if there is no such account, or -1. */
int store_account_set_status(struct store *st, struct store_conn *c,
    const char *id, int disabled);

/* Records a successful login at at. Returns 0, 1 if no account, or -1. */
int store_account_set_last_login(struct store *st, struct store_conn *c,
    const char *id, int64_t at);

/* A role held by an account in an organisation. */
struct store_role {
	char org_id[STORE_ID_MAX];
	char role[STORE_ROLE_MAX];
};

/* Gives account_id role in org_id; giving it twice is not an error.
 * Returns 0 or -1. */
int store_role_add(struct store *st, struct store_conn *c,
    const char *account_id, const char *org_id, const char *role);

/* Takes role in org_id away from account_id. Returns 0, 1 if it was not
 * held, or -1. */
int store_role_remove(struct store *st, struct store_conn *c,
    const char *account_id, const char *org_id, const char *role);

/*
 * Lists the roles of account_id, in org_id only unless org_id is NULL,
 * ordered by organisation and role, into out (room for max). Returns how
 * many there are (possibly more than max, of which max were written), or
 * -1.
 */
long store_role_list(struct store *st, struct store_conn *c,
    const char *account_id, const char *org_id, struct store_role *out,
    size_t max);

/* A temporary permission, valid until expires_at (excluded). */
struct store_grant {
	char id[STORE_ID_MAX];
	char account_id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char permission[STORE_PERMISSION_MAX];
	char granted_by[STORE_ID_MAX];
	int64_t created_at;
	int64_t expires_at;
};

/* Inserts g. Returns 0 or -1. */
int store_grant_insert(struct store *st, struct store_conn *c,
    const struct store_grant *g);

/*
 * Lists the grants of account_id still valid at now (expires_at > now),
 * soonest expiry first, into out (room for max). Returns how many there
 * are (possibly more than max), or -1.
 */
long store_grant_list_active(struct store *st, struct store_conn *c,
    const char *account_id, int64_t now, struct store_grant *out, size_t max);

/* Deletes every grant expired at now. Returns how many, or -1. */
long store_grant_delete_expired(struct store *st, struct store_conn *c,
    int64_t now);

/* Inserts one recovery code hash of account_id. Returns 0 or -1. */
int store_recovery_insert(struct store *st, struct store_conn *c,
    const char *account_id, const char *code_hash);

/* Deletes every recovery code of account_id. Returns 0 or -1. */
int store_recovery_delete_all(struct store *st, struct store_conn *c,
    const char *account_id);

/*
 * Lists the hashes of the unused recovery codes of account_id into out
 * (room for max). Returns how many there are (possibly more than max), or
 * -1.
 */
long store_recovery_list_unused(struct store *st, struct store_conn *c,
    const char *account_id, char (*out)[STORE_PWHASH_MAX], size_t max);

/*
 * Marks code_hash of account_id used at now, only if it was unused, in
 * one atomic UPDATE. Returns 1 if this call consumed it, 0 if it was
 * already used or does not exist, or -1.
 */
int store_recovery_consume(struct store *st, struct store_conn *c,
    const char *account_id, const char *code_hash, int64_t now);

/* A session as stored: hashes only, never the id or the CSRF token. */
struct store_session {
	unsigned char id_hash[STORE_HASH_BYTES];
	char account_id[STORE_ID_MAX];
	unsigned char csrf_hash[STORE_HASH_BYTES];
	int64_t created_at;
	int64_t last_seen_at;
	int64_t expires_at; /* absolute end */
	int64_t idle_ms; /* idle timeout */
	int public_computer;
	int mfa_done;
	struct store_blob user_agent; /* sealed, may be absent */
	int64_t reauth_at; /* last proof of password and second factor;
			      0: none */
};

/* Frees and wipes s's blob and zeroes it. NULL does nothing. */
void store_session_clear(struct store_session *s);

/*
 * Reads into *n the identity epoch: a number the store's triggers raise
 * in the transaction of every change to what a session's check reads
 * (migration 37; auth/idcache.h). Returns 0, or -1 (no row: a schema
 * older than migration 37, or damaged).
 */
int store_identity_epoch(struct store *st, struct store_conn *c, int64_t *n);

/* Inserts s. Returns 0 or -1. */
int store_session_insert(struct store *st, struct store_conn *c,
    const struct store_session *s);

/* Reads the session whose id hash is id_hash into *s (release with
 * store_session_clear). Returns 0, 1 if there is none, or -1. */
int store_session_get(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES], struct store_session *s);

/* Sets last_seen_at to now. Returns 0, 1 if there is no such session, or
 * -1. */
int store_session_touch(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES], int64_t now);

/* Records that the session passed its second factor. Returns 0, 1 if
 * there is no such session, or -1. */
int store_session_set_mfa_done(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES]);

/* Sets reauth_at to at. Returns 0, 1 if there is no such session, or
 * -1. */
int store_session_set_reauth(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES], int64_t at);

/* Deletes one session. Returns 0, 1 if there was none, or -1. */
int store_session_delete(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES]);

/*
 * Deletes every session of account_id except the one whose hash is keep
 * (NULL: keep none). Returns how many were deleted, or -1.
 */
long store_session_delete_account(struct store *st, struct store_conn *c,
    const char *account_id, const unsigned char *keep);

/*
 * Deletes every session that has ended at now: past its absolute end, or
 * idle for its idle time. Such a row lets nobody in any more and still
 * holds the sealed user agent. Returns how many were deleted, or -1.
 */
long store_session_delete_ended(struct store *st, struct store_conn *c,
    int64_t now);

/* Called for each session; s is borrowed. Return 0 to go on. */
typedef int (*store_session_fn)(void *arg, const struct store_session *s);

/* Calls fn for each session of account_id, newest first. Returns 0 or
 * -1. */
int store_session_list(struct store *st, struct store_conn *c,
    const char *account_id, store_session_fn fn, void *arg);

/* One connection journal entry. ip and user_agent are sealed under the
 * data key of key_owner. */
struct store_journal {
	int64_t id; /* set by store_journal_insert */
	int64_t at;
	char account_id[STORE_ID_MAX]; /* "" for an unknown account */
	char org_id[STORE_ID_MAX]; /* "" when unknown */
	char event[STORE_EVENT_MAX]; /* login, failure, mfa_success,
					mfa_failure, locked, logout */
	char key_owner[STORE_OWNER_MAX];
	struct store_blob ip;
	struct store_blob user_agent;
};

/*
 * Reserves the id of the next journal entry inside the caller's write
 * transaction (the sealed fields are bound to it), so that the seal and
 * the insert use the same id. Returns 0 or -1.
 */
int store_journal_next_id(struct store *st, struct store_conn *c, int64_t *id);

/* Inserts j with its id from store_journal_next_id, in the same write
 * transaction. Returns 0 or -1. */
int store_journal_insert(struct store *st, struct store_conn *c,
    const struct store_journal *j);

/* Called for each entry; j is borrowed. Return 0 to go on. */
typedef int (*store_journal_fn)(void *arg, const struct store_journal *j);

/*
 * Calls fn for the entries of org_id (NULL: every organisation and
 * unknown accounts too) with from <= at < to, newest first, at most limit
 * of them (limit <= 0: no limit). Returns 0 or -1.
 */
int store_journal_list(struct store *st, struct store_conn *c,
    const char *org_id, int64_t from, int64_t to, long limit,
    store_journal_fn fn, void *arg);

/* Deletes the entries with at < before. Returns how many, or -1. */
long store_journal_delete_before(struct store *st, struct store_conn *c,
    int64_t before);

/* Deletes the journal entries of org_id before before (a client
 * organisation's shorter period). Returns how many, or -1. */
long store_journal_delete_org_before(struct store *st, struct store_conn *c,
    const char *org_id, int64_t before);

/* The failure counters of one throttle key. */
struct store_throttle {
	int64_t failures; /* in a row */
	int64_t day_failures; /* since day_start */
	int64_t day_start;
	int64_t last_failure_at;
	int64_t locked_until; /* 0: not locked */
	int64_t alerted_at; /* the holder was last told then; 0: never */
};

/* Reads key's counters into *t. Returns 0, 1 if the key has none (*t
 * zeroed), or -1. */
int store_throttle_get(struct store *st, struct store_conn *c, const char *key,
    struct store_throttle *t);

/* Writes key's counters (insert or replace). Returns 0 or -1. */
int store_throttle_put(struct store *st, struct store_conn *c, const char *key,
    const struct store_throttle *t);

/* Forgets key's counters. Returns 0 or -1. */
int store_throttle_reset(struct store *st, struct store_conn *c,
    const char *key);

/*
 * Deletes the keys whose last failure is before before and whose lock
 * (if any) ended before now. Returns how many, or -1.
 */
long store_throttle_purge(struct store *st, struct store_conn *c,
    int64_t before, int64_t now);

/* A known device: the hash of its cookie, bound to one account. */
struct store_device {
	unsigned char token_hash[STORE_HASH_BYTES];
	char account_id[STORE_ID_MAX];
	int64_t created_at, last_used_at, expires_at;
};

/* Inserts d. Returns 0 or -1. */
int store_device_insert(struct store *st, struct store_conn *c,
    const struct store_device *d);

/* Reads the device whose token hash is token_hash into *d. Returns 0, 1
 * if there is none, or -1. */
int store_device_get(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], struct store_device *d);

/* Sets last_used_at to now. Returns 0, 1 if there is none, or -1. */
int store_device_touch(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], int64_t now);

/* Deletes the devices whose expires_at is at or before now. Returns how
 * many, or -1. */
long store_device_purge(struct store *st, struct store_conn *c, int64_t now);

#endif
