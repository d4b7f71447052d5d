/*
 * ratelimit.h - calls per window per key, in memory: the published rate
 * limits of the school-side API (RULES.md: 600 calls a minute per school,
 * 210 per employee).
 *
 * Fixed windows per key: a key's window opens at its first counted call
 * and lasts window_ms; within it at most `limit` calls are counted, the
 * others are refused with the time left until the window ends (the
 * Retry-After). A refused call is not counted, so retrying after the
 * wait always succeeds.
 *
 * Keys are kept by a keyed BLAKE2b hash (16 bytes), never in clear. The
 * table holds at most `capacity` keys: a key whose window has ended is
 * idle and its place is reused; when every place is live, the key whose
 * window opened first is evicted (it starts a fresh window on its next
 * call). Memory is therefore bounded whatever the callers do.
 *
 * Thread-safe (one mutex; the work under it is a hash lookup). Per
 * process, unless shared (ratelimit_share): several instances on one
 * PostgreSQL database then count every call in the database, in windows
 * aligned on window_ms (a multiple of it since the epoch), so a limit
 * holds across instances.
 */
#ifndef CRENEAU_RATELIMIT_H
#define CRENEAU_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct ratelimit;

/* One key of a call and its limit per window (0: not limited). */
struct ratelimit_key {
	const char *key;
	long limit;
};

/* The most keys one call may count against. */
#define RATELIMIT_KEYS_PER_CALL 4

/*
 * Creates a limiter of windows of window_ms (> 0) holding at most
 * capacity keys (>= RATELIMIT_KEYS_PER_CALL). Returns it, or NULL (bad
 * arguments, no memory, no randomness for the hash key).
 */
struct ratelimit *ratelimit_new(size_t capacity, int64_t window_ms);

/* Frees rl (NULL is fine). */
void ratelimit_free(struct ratelimit *rl);

/*
 * Counts one call at now against the n keys (at most
 * RATELIMIT_KEYS_PER_CALL, distinct), all or nothing. Returns 0 when the
 * call is allowed (counted on every limited key), or the milliseconds
 * until it would be (> 0: the latest window end among the keys at their
 * limit, minus now), nothing counted. A key with limit 0 is neither
 * checked nor counted; a NULL key counts as "".
 */
int64_t ratelimit_take(struct ratelimit *rl, const struct ratelimit_key *keys,
    size_t n, int64_t now);

/* Bytes of the hash key given to ratelimit_share. */
#define RATELIMIT_HASH_KEY 32

/*
 * Makes rl count in st (store/ratelimit.h) rather than in memory, keys
 * hashed under hkey, which every instance must share. When a count
 * cannot reach the database, that call is counted in memory. Call
 * before rl is used by other threads.
 */
void ratelimit_share(struct ratelimit *rl, struct store *st,
    const unsigned char hkey[RATELIMIT_HASH_KEY]);

/* Deletes the shared windows older than the one before now's; *deleted
 * (may be NULL) receives how many. Returns 0 (nothing to do when not
 * shared) or -1. */
int ratelimit_purge(struct ratelimit *rl, int64_t now, long *deleted);

/* How many keys rl holds now (live or idle not yet reused). */
size_t ratelimit_size(struct ratelimit *rl);

#endif
