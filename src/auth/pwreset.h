/*
 * pwreset.h - « Mot de passe oublié »: password recovery by a
 * single-use link sent by email (SECURITY.md, "Authentication").
 *
 * A request names an email address. Whether or not it names an account,
 * the answer is the same (PWRESET_SENT), and the request is counted
 * against the address's key and the source's key, so nothing tells which
 * addresses have an account. When it names an active account whose
 * address can be read, a link is made: 256 random bits, stored only as
 * their BLAKE2b-256 hash (store/pwreset.h), valid PWRESET_LINK_MS, and
 * emailed through the outbox (sealed there, wiped once sent).
 *
 * Using the link sets a new password that meets the strength rule
 * (password.h), makes every link of the account void, ends every session
 * of the account, and tells the person by email that their password
 * changed. It opens no session: the person then signs in with the new
 * password, and a second factor set up on the account is still asked.
 */
#ifndef CRENEAU_PWRESET_H
#define CRENEAU_PWRESET_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "store/identity.h"

#define PWRESET_LINK_MS (30 * AUTH_MINUTE_MS)
/* Requests counted per window: per email address (known or not) and per
 * source address. */
#define PWRESET_WINDOW_MS (60 * AUTH_MINUTE_MS)
#define PWRESET_ACCOUNT_MAX 3
#define PWRESET_SOURCE_MAX 10
#define PWRESET_URL_MAX 512
#define PWRESET_WHY_MAX 256

/*
 * Returns how many milliseconds a request counted in key state t must
 * still wait at now when at most max requests are allowed per
 * PWRESET_WINDOW_MS (0: allowed). The window opens at t->day_start and
 * t->day_failures counts its requests. Pure.
 */
int64_t pwreset_wait_ms(const struct store_throttle *t, long max, int64_t now);

/* Counts one request at now into t (a new window when the last one has
 * ended). Pure. */
void pwreset_charge(struct store_throttle *t, int64_t now);

/*
 * Asks for a reset link for email from ip (may be NULL) at now. The
 * link is base_url followed by "/#reinitialisation=" and the token.
 * Returns 0 when the request was taken (an email is queued only when the
 * address names an active account), or the milliseconds to wait (> 0)
 * when too many requests came for this address or from this source, or
 * -1 on error.
 */
int64_t pwreset_request(const struct auth *a, const char *email, const char *ip,
    const char *base_url, int64_t now);

/*
 * Sets new_password (new_len bytes) on the account of the link whose
 * token is token, from ip (may be NULL) at now. Returns 0; 1 when
 * refused, with one French sentence "field : reason" in why (the link is
 * unknown, used or expired, the account disabled, or the password too
 * weak: then the link still serves); -1 on error.
 */
int pwreset_complete(const struct auth *a, const char *token,
    const char *new_password, size_t new_len, const char *ip, int64_t now,
    char *why, size_t whylen);

/* Retention: deletes the links that have ended at now. Returns how many,
 * or -1. */
long pwreset_purge(const struct auth *a, int64_t now);

#endif
