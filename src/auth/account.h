/*
 * account.h - organisations and accounts: creation, passwords,
 * deactivation.
 *
 * There is no default account: every account is created by someone (or
 * by a command) through account_create, which hands out a temporary
 * password once; the person must replace it at first login
 * (session_info.password_temporary). Each change is audited in the same
 * transaction as the change itself.
 *
 * Functions that can refuse a request for a reason the person can fix
 * return 1 and write one French sentence into why (whylen bytes), naming
 * the field at fault as "field : reason"; it never repeats a secret.
 */
#ifndef CRENEAU_ACCOUNT_H
#define CRENEAU_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"

/* "XXXXX-XXXXX-XXXXX-XXXXX": 20 symbols of 5 bits (100 bits) from an
 * alphabet without 0/O or 1/I, and a NUL. */
#define ACCOUNT_TEMP_PW_LEN 24
#define ACCOUNT_WHY_MAX 256 /* room for any message below */

/*
 * Creates an organisation named name (1 to 200 bytes of UTF-8, no control
 * characters) of kind (platform, school, authority, service, association,
 * tenant), audited as "org.create" by actor. id receives its id. Returns
 * 0, 1 if name or kind is refused (why), or -1.
 */
int org_create(const struct auth *a, const char *actor, const char *name,
    const char *kind, int64_t now, char id[AUTH_ID_HEX], char *why,
    size_t whylen);

/* What account_create needs. roles is a NULL-terminated list (at least
 * one, at most ACCOUNT_ROLES_MAX) of role names, held in org_id. */
struct account_new {
	const char *org_id;
	const char *email;
	const char *display_name;
	const char *const *roles;
};

/*
 * Checks an email address: at most ACCOUNT_EMAIL_MAX bytes once trimmed,
 * exactly one '@' between a non-empty local part and a domain with a dot,
 * no white space or control character, valid UTF-8. Returns 0, or 1 with
 * a message naming the field "email" in why.
 */
int account_check_email(const char *email, char *why, size_t whylen);

/* Checks a display name: 1 to ACCOUNT_NAME_MAX bytes of valid UTF-8,
 * not only spaces, no control character. Returns 0, or 1 with a message
 * naming the field "display_name" in why. */
int account_check_name(const char *name, char *why, size_t whylen);

/*
 * Creates an account in in->org_id, audited as "account.create" by actor
 * (NULL: the system, e.g. `creneau user add`) in the same transaction:
 * makes the person's data key, seals the email (trimmed) and the display
 * name under it, stores the email's blind index for lookup, and a fresh
 * temporary password as its argon2id hash only. id receives the new
 * account's id, temp_password the password to hand to the person, once
 * (wipe it after use). Returns 0; 1 when refused (invalid field, unknown
 * organisation or role, email already used) with why; -1 on error.
 */
int account_create(const struct auth *a, const char *actor,
    const struct account_new *in, int64_t now, char id[AUTH_ID_HEX],
    char temp_password[ACCOUNT_TEMP_PW_LEN], char *why, size_t whylen);

/* Called inside account_create_chosen's transaction c once the account
 * id is inserted (with its roles and audit entry): what must commit with
 * it. Returns 0, or non-zero to roll everything back. */
typedef int (
    *account_create_hook)(void *arg, struct store_conn *c, const char *id);

/*
 * Self sign-up: creates in's account like account_create, by nobody
 * (audited as by the system), with the password its holder chose, given
 * as its argon2id hash (a permanent password), then runs hook (may be
 * NULL) in the same transaction. Returns 0; 1 when refused (as
 * account_create) with why; -1 on error or when hook failed.
 */
int account_create_chosen(const struct auth *a, const struct account_new *in,
    const char *hash, account_create_hook hook, void *hook_arg, int64_t now,
    char id[AUTH_ID_HEX], char *why, size_t whylen);

/* An account as its owner or an admin may see it. email and
 * display_name are malloc'ed plaintext: release with account_info_clear. */
struct account_info {
	char id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char *email; /* NULL if it cannot be opened (key destroyed) */
	char *display_name;
	int disabled;
	int password_temporary;
	int totp_enabled;
	int64_t created_at, last_login_at, password_changed_at;
};

/* Reads account id with its fields opened. Returns 0, 1 if there is no
 * such account, or -1. */
int account_read(const struct auth *a, const char *id,
    struct account_info *out);

/* Lists the roles account_id holds in org_id into out (room for max).
 * Returns how many were written, or -1. */
long account_roles(const struct auth *a, const char *account_id,
    const char *org_id, struct store_role *out, size_t max);

/* Wipes and frees the strings of info. NULL does nothing. */
void account_info_clear(struct account_info *info);

/*
 * Admin renewal (PMC, SECURITY.md): returns 1 if acc holds one of the
 * admin roles (role_is_admin) among roles (n of them) and its password is
 * older than PASSWORD_ADMIN_MAX_AGE_MS at now, or than tenant_days days
 * when its organisation asks for less (0: the product's rule), 0
 * otherwise. Pure.
 */
int account_password_expired(const struct store_account *acc,
    const struct store_role *roles, size_t n, int64_t tenant_days, int64_t now);

/* The first time at which account_password_expired answers 1 for acc
 * (INT64_MAX when it never will: no admin role). Pure. */
int64_t account_password_expires_at(const struct store_account *acc,
    const struct store_role *roles, size_t n, int64_t tenant_days);

/*
 * Changes the password of account_id, which must give its current one
 * (checked under the account's and ip's login throttling). The new one is
 * judged by password_check_strength with the person's name, the local
 * part of the email and the organisation's name as context words, stored
 * as a permanent (not temporary) password, and every other session of
 * the account ends (keep: the id hash of the one to keep, may be NULL).
 * Audited as "account.password.change"; when the old password was not a
 * temporary one the holder is notified ("account.password_changed", with
 * its email). The API also asks a fresh proof first (reauth.h). Returns
 * 0; 1 when refused (wrong current password, throttled, new password too
 * weak) with why; -1.
 */
int account_password_change(const struct auth *a, const char *account_id,
    const char *current, size_t current_len, const char *new_password,
    size_t new_len, const unsigned char *keep, const char *ip, int64_t now,
    char *why, size_t whylen);

/*
 * Judges new password pw (len bytes) chosen for acc with
 * password_check_strength, the person's name, the local part of their
 * email and their organisation's name as context words. Returns 0 if it
 * is acceptable, 1 if not (why: one French sentence naming the rule), or
 * -1 when the context could not be read.
 */
int account_check_new_password(const struct auth *a,
    const struct store_account *acc, const char *pw, size_t len, char *why,
    size_t whylen);

/*
 * An admin sets a new temporary password for account_id (ending all its
 * sessions), audited as "account.password.reset" by actor. temp_password
 * receives it, to hand over once. Returns 0, 1 if there is no such
 * account, or -1.
 */
int account_password_reset(const struct auth *a, const char *actor,
    const char *account_id, int64_t now,
    char temp_password[ACCOUNT_TEMP_PW_LEN]);

/*
 * Disables account_id and ends all its sessions, audited as
 * "account.deactivate" by actor, in one transaction. Returns 0, 1 if
 * there is no such account, or -1.
 */
int account_deactivate(const struct auth *a, const char *actor,
    const char *account_id, const char *ip, int64_t now);

/* Writes a new temporary password into out. Cannot fail. */
void account_temp_password(char out[ACCOUNT_TEMP_PW_LEN]);

#endif
