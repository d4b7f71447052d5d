/*
 * throttle.h - sign-in throttling (SECURITY.md; docs/architecture.md,
 * "Sign-in throttling").
 *
 * Brute force must stay impossible without letting a stranger lock
 * someone out. An attempt is counted against keys chosen by where it
 * comes from:
 *
 *   - from a known device of the account (a device cookie set at an
 *     earlier full sign-in, device.h): its own device key only, growing
 *     delay, never locked; whatever happens elsewhere;
 *   - from anywhere else: the pair (account, source address), with the
 *     delays, the lock at 10 and the 25-a-day cap; the source address
 *     over every account, with a delay only from 20 failures (an office
 *     behind one address is not locked by one person's mistakes); and the
 *     account's ceiling for unknown devices over every address, which
 *     slows (at most THROTTLE_ACCOUNT_DELAY_MAX_MS between attempts) but
 *     never locks.
 *
 * Every failure also counts on the account key, known device or not: at
 * THROTTLE_ALERT_AFTER failures in a row its holder is told, at most once
 * per THROTTLE_ALERT_EVERY_MS (throttle_failure).
 *
 * An attempt is charged as a failure before its secret is checked (in the
 * same write transaction as the wait check), and refunded when it
 * succeeds: parallel attempts cannot slip through one wait. Success
 * resets the pair, account and device keys; an address key only gets its
 * one attempt back, so signing into an account of one's own does not
 * clear an address's record.
 *
 * Keys: "account:<email blind index>" (the same for an unknown email as
 * for a known one, so nothing shows whether it exists), "pair:<blind
 * index of email index and address>", "ip:<blind index of the address>",
 * "device:<hash of the device cookie>"; no address is stored in clear.
 */
#ifndef CRENEAU_THROTTLE_H
#define CRENEAU_THROTTLE_H

#include <stdint.h>

#include "auth/auth.h"

struct throttle_policy {
	int delay_after; /* failures in a row before delays start */
	int64_t delay_base_ms; /* first delay; doubles with each failure */
	int64_t delay_max_ms; /* the delay never grows past this */
	int lock_after; /* failures in a row that lock; 0: never */
	int64_t lock_ms;
	int day_max; /* failures per 24 h window that lock; 0: no cap */
};

extern const struct throttle_policy throttle_pair_policy;
extern const struct throttle_policy throttle_account_policy;
extern const struct throttle_policy throttle_ip_policy;
extern const struct throttle_policy throttle_device_policy;

/* The keys of one attempt; "" where a key does not apply. */
struct throttle_keys {
	char pair[STORE_INDEX_MAX];
	char account[STORE_INDEX_MAX];
	char ip[STORE_INDEX_MAX];
	char device[STORE_INDEX_MAX]; /* set: a known device of the account */
};

/* The counters of every key of one attempt, as the pure rules see them. */
struct throttle_view {
	struct store_throttle pair, account, ip, device;
	int known_device;
};

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
 * Gives back one charged attempt that succeeded. With reset set the
 * failures in a row and any lock are cleared too. Pure.
 */
void throttle_refund(const struct throttle_policy *p, struct store_throttle *t,
    int reset);

/* The wait an attempt with counters v faces at now: a known device's own
 * key only, otherwise the longest of pair, address and account. Pure. */
int64_t throttle_view_wait(const struct throttle_view *v, int64_t now);

/* Charges one failure at now to the keys of v (a known device: its key
 * and the account's count; otherwise pair, address and account). Pure. */
void throttle_view_charge(struct throttle_view *v, int64_t now);

/* Returns 1 if the holder of the account whose key is t must be told at
 * now that their account is being guessed at, 0 if not. Pure. */
int throttle_alert_due(const struct store_throttle *t, int64_t now);

/*
 * Fills k for an attempt on the account of email_index (NULL when the
 * email cannot be normalised: only the address counts) from ip (NULL or
 * "": no address key) and, when the attempt comes with a cookie of a known
 * device of that very account, device_hash (NULL otherwise). Returns 0 or
 * -1.
 */
int throttle_keys_make(const struct auth *a, const char *email_index,
    const char *ip, const unsigned char *device_hash, struct throttle_keys *k);

/* Writes "account:<email_index>" into out. Returns 0 or -1. */
int throttle_key_account(const char *email_index, char out[STORE_INDEX_MAX]);

/* Writes "ip:<blind index of ip>" into out (a NULL or empty ip gives "").
 * Returns 0 or -1. */
int throttle_key_ip(const struct auth *a, const char *ip,
    char out[STORE_INDEX_MAX]);

/*
 * Inside the caller's write transaction c: reads the keys of k, and if
 * the attempt need not wait, charges it. Returns the wait in milliseconds
 * (0: charged, go on and check the secret), or -1 on error. *after (may
 * be NULL) receives the wait the next attempt will face if this one
 * fails.
 */
int64_t throttle_begin(struct store *st, struct store_conn *c,
    const struct throttle_keys *k, int64_t now, int64_t *after);

/* Inside the caller's write transaction: refunds a successful attempt
 * charged by throttle_begin. Returns 0 or -1. */
int throttle_success(struct store *st, struct store_conn *c,
    const struct throttle_keys *k);

/*
 * Inside the caller's write transaction, after a failed attempt charged
 * by throttle_begin: *alert receives 1 when the account's holder must now
 * be told (the time is then recorded, so the next alert waits
 * THROTTLE_ALERT_EVERY_MS), 0 otherwise. Returns 0 or -1.
 */
int throttle_failure(struct store *st, struct store_conn *c,
    const struct throttle_keys *k, int64_t now, int *alert);

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
int throttle_attempt(struct store *st, const struct throttle_keys *k,
    int64_t now, int64_t *wait);

/* throttle_success in a write transaction of its own. Returns 0 or -1. */
int throttle_attempt_ok(struct store *st, const struct throttle_keys *k);

#endif
