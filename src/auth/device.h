/*
 * device.h - known devices (OWASP's device cookies): a browser that has
 * completed a full sign-in to an account (password, and the current code
 * when the account has TOTP) gets a cookie that lets it keep signing in
 * to that account under its own growing delay, whatever a stranger does
 * to the account elsewhere (throttle.h).
 *
 * The cookie's value is 256 random bits, handed out once; only its
 * BLAKE2b-256 hash is stored, bound to one account, for DEVICE_LIFETIME_MS.
 * It is not a credential: it never opens a session, it only spares its
 * browser the account's slowdown for unknown devices. None is made on a
 * "public computer" sign-in.
 */
#ifndef CRENEAU_DEVICE_H
#define CRENEAU_DEVICE_H

#include <stdint.h>

#include "auth/auth.h"
#include "auth/session.h"

/*
 * Inside the caller's write transaction c: makes a known device of
 * account_id at now. token receives the cookie's value (base64url, wipe
 * it after use). Returns 0 or -1.
 */
int device_issue(const struct auth *a, struct store_conn *c,
    const char *account_id, int64_t now, char token[SESSION_TOKEN_LEN]);

/*
 * Checks the device cookie token (may be NULL) against account_id at now.
 * Returns 1 and the token's hash in hash when it names a live known
 * device of that very account; 0 when not (absent, malformed, unknown,
 * expired, another account's); -1 on error.
 */
int device_check(const struct auth *a, struct store_conn *c, const char *token,
    const char *account_id, int64_t now, unsigned char hash[STORE_HASH_BYTES]);

/* Inside the caller's write transaction: records that the known device
 * hash was used at now. Returns 0 or -1. */
int device_touch(const struct auth *a, struct store_conn *c,
    const unsigned char hash[STORE_HASH_BYTES], int64_t now);

/* Retention: forgets the known devices expired at now. Returns how many,
 * or -1. */
long device_purge(const struct auth *a, int64_t now);

#endif
