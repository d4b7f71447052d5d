/*
 * throttle.h - login throttling per account and per IP (SECURITY.md).
 *
 * After THROTTLE_DELAY_AFTER failures in a row a key must wait a growing
 * delay (2 s, doubling) after its last failure; at THROTTLE_LOCK_AFTER it
 * is locked for THROTTLE_LOCK_MS, and every further failure locks it
 * again; an account key counts at most THROTTLE_DAY_MAX failures in a
 * 24-hour window (starting at the window's first failure) and is locked
 * to the window's end when it reaches it. While a key waits, attempts are
 * refused without checking the password.
 *
 * An attempt is charged as a failure before its password is checked (in
 * the same write transaction as the wait check), and refunded when it
 * succeeds: parallel attempts therefore cannot slip through one wait.
 * Success resets an account key; an IP key only gets its one attempt
 * back, so logging into an account of one's own does not clear an IP's
 * record.
 *
 * Keys: "account:<email blind index>" (the same for an unknown email as
 * for a known one, so locking shows nothing about existence) and
 * "ip:<blind index of the address>"; no address is stored in clear.
 */
#ifndef CRENEAU_THROTTLE_H
#define CRENEAU_THROTTLE_H

#include <stdint.h>

#include "auth/auth.h"

struct throttle_policy {
	int delay_after; /* failures in a row before delays start */
	int64_t delay_base_ms; /* first delay; doubles with each failure */
	int lock_after; /* failures in a row that lock */
	int64_t lock_ms;
	int day_max; /* failures per 24 h window; 0: no cap */
};

extern const struct throttle_policy throttle_account_policy;
extern const struct throttle_policy throttle_ip_policy;

/*
 * Returns how many milliseconds key state t must still wait at now
 * before an attempt is allowed (0: allowed). Pure.
 */
int64_t throttle_wait_ms(const struct throttle_policy *p,
    const struct store_throttle *t, int64_t now);

/* Counts one failure at now into t (delays, locks, the day window).
 * Pure. */
void throttle_charge(const struct throttle_policy *p, struct store_throttle *t,
    int64_t now);

/*
 * Gives back one charged attempt that succeeded. With reset set (account
 * keys) the failures in a row and any lock are cleared too. Pure.
 */
void throttle_refund(const struct throttle_policy *p, struct store_throttle *t,
    int reset);

/* Writes "account:<email_index>" into out. Returns 0 or -1. */
int throttle_key_account(const char *email_index, char out[STORE_INDEX_MAX]);

/* Writes "ip:<blind index of ip>" into out (a NULL or empty ip gives "").
 * Returns 0 or -1. */
int throttle_key_ip(const struct auth *a, const char *ip,
    char out[STORE_INDEX_MAX]);

/*
 * Inside the caller's write transaction c: reads the account key and
 * the IP key (either may be ""), and if neither must wait, charges both.
 * Returns the wait in milliseconds (0: charged, go on and check the
 * secret), or -1 on error. *after (may be NULL) receives the wait the
 * next attempt will face if this one fails.
 */
int64_t throttle_begin(struct store *st, struct store_conn *c,
    const char *account_key, const char *ip_key, int64_t now, int64_t *after);

/* Inside the caller's write transaction: refunds a successful attempt
 * charged by throttle_begin. Returns 0 or -1. */
int throttle_success(struct store *st, struct store_conn *c,
    const char *account_key, const char *ip_key);

/*
 * Retention: forgets the keys whose last failure is more than a day old
 * and that are not locked at now. Returns how many, or -1.
 */
long throttle_purge(const struct auth *a, int64_t now);

/* Converts a wait in milliseconds to whole seconds, rounded up. */
int64_t throttle_seconds(int64_t ms);

/*
 * throttle_begin in a write transaction of its own, for checks whose
 * slow part (argon2id) must run outside any transaction. *wait receives
 * the delay still running (0: the attempt may be checked). Returns 0 or
 * -1.
 */
int throttle_attempt(struct store *st, const char *account_key,
    const char *ip_key, int64_t now, int64_t *wait);

/* throttle_success in a write transaction of its own. Returns 0 or -1. */
int throttle_attempt_ok(struct store *st, const char *account_key,
    const char *ip_key);

#endif
