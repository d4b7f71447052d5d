/*
 * replays.h (store) - SQL of the outcomes kept for idempotent basket
 * validations (src/booking/replay.h): one row per (account, hash of the
 * Idempotency-Key), holding the basket validated, the HTTP status and
 * the per-slot results as replay_encode text, kept REPLAY_TTL_MS.
 *
 * The key itself is never stored: only its BLAKE2b-256 hash. Each
 * function is one statement on the caller's connection c, inside the
 * caller's transaction.
 */
#ifndef CRENEAU_STORE_REPLAYS_H
#define CRENEAU_STORE_REPLAYS_H

#include <stdint.h>

#include "booking/replay.h"
#include "store/identity.h"

struct store_replay {
	char account_id[STORE_ID_MAX];
	unsigned char key_hash[STORE_HASH_BYTES];
	int64_t basket_id;
	int status; /* 200 or 207 */
	char results[REPLAY_TEXT_MAX]; /* replay_encode text */
	int64_t created_at;
	int64_t expires_at;
};

/* Reads the record of (account_id, key_hash) still valid at now into
 * *out. Returns 0, 1 when there is none, or -1. */
int store_replay_get(struct store *st, struct store_conn *c,
    const char *account_id, const unsigned char key_hash[STORE_HASH_BYTES],
    int64_t now, struct store_replay *out);

/* Writes record r, replacing an expired record of the same account and
 * key not yet purged. Returns 0 or -1. */
int store_replay_put(struct store *st, struct store_conn *c,
    const struct store_replay *r);

/* Deletes the records expired at now. Returns how many, or -1. */
long store_replays_purge(struct store *st, struct store_conn *c, int64_t now);

#endif
