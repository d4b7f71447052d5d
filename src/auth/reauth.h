/*
 * reauth.h - asking a signed-in person for their password again before
 * an irreversible act (erasing their account), under the same login
 * throttling as signing in.
 */
#ifndef CRENEAU_REAUTH_H
#define CRENEAU_REAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"

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

#endif
