/*
 * replay.h - idempotent validation for partner software: the
 * Idempotency-Key a client sends with a validation, and the compact text
 * the outcome of that validation is kept as, so that a retried request
 * gets the same answer without booking again.
 *
 * Pure functions: no I/O, no allocation.
 */
#ifndef CRENEAU_BOOKING_REPLAY_H
#define CRENEAU_BOOKING_REPLAY_H

#include "booking/basket.h"

/* An Idempotency-Key is 8 to 64 characters of [A-Za-z0-9_-]. */
#define REPLAY_KEY_MIN 8
#define REPLAY_KEY_MAX 64

/* How long the outcome of a validation answers a replay: 24 h. */
#define REPLAY_TTL_MS (24LL * 60 * 60 * 1000)

/* The encoded results of a full basket fit in this (with the NUL). */
#define REPLAY_TEXT_MAX 4096

/* Returns 0 when key (may be NULL) is a valid Idempotency-Key, -1
 * otherwise. */
int replay_key_check(const char *key);

/*
 * Writes the n results res (with at[i], the end of a waiting delay or
 * 0) into out (outlen bytes) as text: one entry per slot, separated by
 * ';', each "slot_id,exam_id,booked,CODE,at" in decimal with the stable
 * code name (RULES.md), e.g. "12,34,1,OK,0;13,0,0,SEUIL_ATTEINT,0".
 * No results give "". Returns 0, or -1 when it does not fit or a code
 * is outside the enum.
 */
int replay_encode(const struct basket_result *res, const int64_t *at, size_t n,
    char *out, size_t outlen);

/*
 * Reads text s written by replay_encode into res and at (room for cap
 * entries each), setting *n. Strict: anything replay_encode would not
 * write (an unknown code, a sign, a leading zero, a missing or extra
 * field, an empty entry, more than cap entries) is refused. Returns 0
 * or -1.
 */
int replay_decode(const char *s, struct basket_result *res, int64_t *at,
    size_t cap, size_t *n);

#endif
