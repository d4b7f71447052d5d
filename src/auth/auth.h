/*
 * auth.h - what the identity domain shares: its context, ids, roles, the
 * policy constants and the keys it seals with.
 *
 * The identity domain is split by subject: account.h (accounts,
 * passwords, deactivation), login.h (password login and throttling),
 * session.h (sessions and CSRF), mfa.h (TOTP and recovery codes),
 * journal.h (the connection journal). Each public function takes a
 * struct auth, the time now (milliseconds since the epoch, from the
 * caller's clock, so tests move time by hand) and never sees HTTP.
 *
 * Keys: every personal field of an account is sealed under the account's
 * own data key, owner "subject:<account id>", so erasing the person
 * (keystore_destroy) shreds them. Emails are looked up through a blind
 * index under "system:index"; attempts on unknown accounts are journaled
 * under "system:journal".
 */
#ifndef CRENEAU_AUTH_H
#define CRENEAU_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "crypto/field.h"
#include "crypto/keyring.h"
#include "crypto/keystore.h"
#include "store/identity.h"

/* What every identity function needs. Borrowed: the caller keeps them
 * alive. audit_key is the system:audit key (app_keys.audit). */
struct idcache;

struct auth {
	struct store *st;
	struct keystore *ks;
	const struct data_key *audit_key;
	/* Signed-in identities between requests (auth/idcache.h); NULL:
	 * every request reads them again. */
	struct idcache *ids;
};

#define AUTH_ID_BYTES 16 /* 128-bit random ids */
#define AUTH_ID_HEX (AUTH_ID_BYTES * 2 + 1)

#define AUTH_KEY_OWNER_INDEX "system:index"
#define AUTH_KEY_OWNER_JOURNAL "system:journal"
#define AUTH_OWNER_MAX STORE_OWNER_MAX

/* Times, in milliseconds. */
#define AUTH_MINUTE_MS (60LL * 1000)
#define AUTH_DAY_MS (24LL * 3600 * 1000)

/* Sessions (SECURITY.md: idle 30 min, 15 on a public computer, 12 h). */
#define SESSION_IDLE_MS (30 * AUTH_MINUTE_MS)
#define SESSION_IDLE_PUBLIC_MS (15 * AUTH_MINUTE_MS)
#define SESSION_ABSOLUTE_MS (12 * 60 * AUTH_MINUTE_MS)
/* last_seen_at is written at most this often, to spare writes. */
#define SESSION_TOUCH_MS (30LL * 1000)

/* Throttling (SECURITY.md; docs/architecture.md, "Sign-in throttling").
 * Per account and source address: delay after 5 failures in a row,
 * doubling from 2 s; lock for 15 min at 10; at most 25 failures per 24 h. */
#define THROTTLE_DELAY_AFTER 5
#define THROTTLE_DELAY_BASE_MS (2LL * 1000)
#define THROTTLE_LOCK_AFTER 10
#define THROTTLE_LOCK_MS (15 * AUTH_MINUTE_MS)
#define THROTTLE_DAY_MAX 25
/* Per account, every unknown device from every address together: delay
 * after 10 failures in a row, doubling from 2 s, at most 5 min; never a
 * lock, so a stranger slows the holder's new devices but locks nothing. */
#define THROTTLE_ACCOUNT_DELAY_AFTER 10
#define THROTTLE_ACCOUNT_DELAY_MAX_MS (5 * AUTH_MINUTE_MS)
/* Per source address, every account together (an office behind one
 * address): delay after 20 failures in a row, doubling from 2 s, at most
 * 15 min. */
#define THROTTLE_IP_DELAY_AFTER 20
#define THROTTLE_IP_DELAY_MAX_MS (15 * AUTH_MINUTE_MS)
/* Per known device (its cookie): delay after 5 failures in a row,
 * doubling from 2 s, at most 15 min; the only key a known device meets. */
#define THROTTLE_DEVICE_DELAY_MAX_MS (15 * AUTH_MINUTE_MS)
/* The holder is told (notification and email) when an account reaches 10
 * failures in a row, at most once per 24 h. */
#define THROTTLE_ALERT_AFTER 10
#define THROTTLE_ALERT_EVERY_MS AUTH_DAY_MS

/* Known devices: the cookie set at a full sign-in lives 180 days. */
#define DEVICE_LIFETIME_MS (180 * AUTH_DAY_MS)

/* A change of password or second factor needs the password and the
 * current code proven within the last 5 minutes (reauth.h). */
#define REAUTH_WINDOW_MS (5 * AUTH_MINUTE_MS)

/* Admin passwords are renewed every 6 months (PMC). */
#define PASSWORD_ADMIN_MAX_AGE_MS (183 * AUTH_DAY_MS)

/* The connection journal is kept 12 months. */
#define JOURNAL_RETENTION_MS (365 * AUTH_DAY_MS)

#define ACCOUNT_EMAIL_MAX 254
#define ACCOUNT_NAME_MAX 200
#define ACCOUNT_ROLES_MAX 16 /* roles read per account at most */

/*
 * Writes a new 128-bit random id as 32 lower-case hex digits and a NUL
 * into out. Cannot fail.
 */
void auth_id_new(char out[AUTH_ID_HEX]);

/* Returns 1 if role is one of the roles of PRODUCT.md, 0 if not. */
int role_valid(const char *role);

/* Returns 1 if role must use TOTP: every role but candidate and user
 * (and any unknown name, to fail closed); 0 otherwise. */
int role_requires_mfa(const char *role);

/*
 * The people's place: the platform organisation (kind "platform") where
 * the accounts of candidates and users live, apart from every school and
 * service, which reach them through mandates only. Migration 10 makes it
 * with this fixed id and moves the people's accounts into it.
 */
#define AUTH_PEOPLE_ORG "706572736f6e6e657300000000000000"

/* Returns 1 for the people's roles (candidate, user): accounts of the
 * people's place, never of an organisation's staff; 0 otherwise. */
int role_is_person(const char *role);

/*
 * Whether role may be held in organisation org_id (the place rule): the
 * people's roles only in AUTH_PEOPLE_ORG, which holds nothing but them
 * and the DPO answering the people's rights. Returns 1 or 0.
 */
int role_allowed_in(const char *role, const char *org_id);

/* Returns 1 for the admin roles whose password expires
 * (platform_admin, school_admin, dpo), 0 otherwise. */
int role_is_admin(const char *role);

/*
 * Writes "subject:<account_id>" into out (AUTH_OWNER_MAX bytes): the
 * owner of the account's data key. Returns 0, or -1 if it does not fit.
 */
int auth_subject_owner(const char *account_id, char out[AUTH_OWNER_MAX]);

/*
 * Reads the data key of owner into *key, creating it when create is set.
 * Returns 0, 1 if it does not exist (never created, or destroyed), -1 on
 * error. The caller wipes *key (sodium_memzero) when done.
 */
int auth_key(const struct auth *a, const char *owner, int create,
    struct data_key *key);

/*
 * Normalises an email for its blind index: surrounding ASCII white space
 * dropped, ASCII letters lower-cased. out receives at most
 * ACCOUNT_EMAIL_MAX bytes and a NUL. Returns the length, or -1 if the
 * result is empty or too long.
 */
int auth_email_normalise(const char *email, char out[ACCOUNT_EMAIL_MAX + 1]);

/*
 * Computes the blind index of email (normalised here) into out, as stored
 * in accounts.email_index. Returns 0, or -1 (bad email, key missing).
 */
int auth_email_index(const struct auth *a, const char *email,
    char out[BLIND_INDEX_HEX]);

/*
 * Seals the NUL-terminated s for table.column of row_id under key into a
 * store_blob (malloc'ed; release with store_blob_wipe). Returns 0 or -1.
 */
int auth_seal(const struct data_key *key, const char *table, const char *column,
    const char *row_id, const char *s, struct store_blob *out);

/*
 * Copies s into dst, at most max bytes and a NUL (dst holds max + 1),
 * never cutting a UTF-8 sequence in two.
 */
void auth_clip(char *dst, size_t max, const char *s);

/*
 * Inside the caller's write transaction c: appends an audit entry for
 * action on account account_id (target_type "account"; NULL for an
 * unknown account) by actor (the account id of who acts, NULL for the
 * system), with the client ip (sealed by the audit trail, may be NULL).
 * Returns 0 or -1.
 */
int auth_audit(const struct auth *a, struct store_conn *c, int64_t now,
    const char *actor, const char *action, const char *account_id,
    const char *org_id, const char *ip, enum audit_outcome outcome);

#endif
