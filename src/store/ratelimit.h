/*
 * ratelimit.h (store) - call counts per key and fixed window, shared by
 * the instances on one database (auth/ratelimit.c uses it on
 * PostgreSQL). A key is an opaque keyed hash of STORE_RATE_KEY bytes.
 *
 * Each statement stands alone (no transaction, no write lock): the
 * counting is one upsert per call, whatever the other writers do.
 */
#ifndef CRENEAU_STORE_RATELIMIT_H
#define CRENEAU_STORE_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define STORE_RATE_KEY 16
#define STORE_RATE_KEYS_MAX 4

/*
 * Counts one call in the window starting at window_start for each of the
 * n distinct keys, at most limits[i] calls each (>= 1), all or nothing: a
 * key at its limit is not counted, and the others' counts are taken back.
 * Returns 1 when counted, 0 when a key is at its limit, -1 on a database
 * failure.
 */
int store_rate_take(struct store *st,
    const unsigned char keys[][STORE_RATE_KEY], const long *limits, size_t n,
    int64_t window_start);

/* Deletes the windows that started before before_ms; *deleted (may be
 * NULL) receives how many. Returns 0 or -1. */
int store_rate_purge(struct store *st, int64_t before_ms, long *deleted);

#endif
