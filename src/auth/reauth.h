/*
 * reauth.h - asking a signed-in person for proof again before an act a
 * stolen session must not be enough for: erasing their account (the
 * password), changing their password or their second factor (the
 * password and the current code, within REAUTH_WINDOW_MS, 5 minutes, or
 * [auth] reauth_window_s), under the
 * same throttling as signing in.
 *
 * A session records when it last proved both together (reauth_at): at
 * sign-in when the account has no second factor (the password is all
 * there is), when the second factor is passed at sign-in (the time the
 * password was given), and through reauth_prove.
 */
#ifndef CRENEAU_REAUTH_H
#define CRENEAU_REAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "auth/mfa.h"
#include "auth/session.h"

/*
 * Checks that password (len bytes, used as given) is the current password
 * of account_id, charged to the account's and ip's login throttling (ip
 * may be NULL): a wrong password counts as a failed login, a right one
 * gives the attempt back. A wrong one is audited as
 * "account.password.check" (failure). Returns 0 if it matches; 1 when
 * refused (wrong password, throttled, no such account) with a French
 * sentence naming the field "password" in why; -1 on error.
 */
int account_password_check(const struct auth *a, const char *account_id,
    const char *password, size_t len, const char *ip, int64_t now, char *why,
    size_t whylen);

/* Returns 1 if session s proved its password and second factor within
 * window_ms before now (REAUTH_WINDOW_MS unless configured: [auth]
 * reauth_window_s), 0 if not. Pure. */
int reauth_fresh(const struct session_info *s, int64_t window_ms, int64_t now);

/*
 * Proof asked again within session s at now: the password (len bytes,
 * as given) and, when the account has TOTP, a current code (single use),
 * each under the sign-in throttling and audited like account_password_check
 * and mfa_check_code. On success the session's proof time becomes now.
 * Returns 0; 1 when refused, with a French sentence in why naming the
 * field ("password : ..." or "code : ...") and, when throttled, the wait
 * in *retry_after_s; -1 on error.
 */
int reauth_prove(const struct auth *a, const struct session_info *s,
    const char *password, size_t len, const char *code,
    const struct mfa_client *cl, int64_t now, int64_t *retry_after_s, char *why,
    size_t whylen);

#endif
