/*
 * appt_guest.h (store) - SQL of booking without an account
 * (src/service/appt_guest.h): the requests waiting for their emailed
 * link, and the links that manage (cancel) an appointment so booked.
 *
 * Both are stored as the BLAKE2b-256 hash of a random token only. A
 * request's details are sealed under a key derived from its token (only
 * the link opens them); it names the hold it confirms and goes with it.
 * Each function is one statement (store_appt_guest_put: two) on the
 * caller's connection c, inside its transaction.
 */
#ifndef CRENEAU_STORE_APPT_GUEST_H
#define CRENEAU_STORE_APPT_GUEST_H

#include <stdint.h>

#include "store/identity.h"

/* A request as stored; details is a malloc'ed sealed copy when read
 * (release with store_appt_guest_clear). */
struct store_appt_guest {
	unsigned char token_hash[STORE_HASH_BYTES];
	int64_t hold_id;
	char org_id[STORE_ID_MAX];
	char email_index[STORE_INDEX_MAX];
	struct store_blob details;
	int64_t created_at, expires_at;
};

/* Wipes and frees r's blob and zeroes r. NULL does nothing. */
void store_appt_guest_clear(struct store_appt_guest *r);

/* Inserts r, replacing any earlier request for the same hold (only the
 * latest link works). Returns 0 or -1. */
int store_appt_guest_put(struct store *st, struct store_conn *c,
    const struct store_appt_guest *r);

/* Reads the request of token_hash into *r. Returns 0, 1 when none, -1. */
int store_appt_guest_get(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES],
    struct store_appt_guest *r);

/* Deletes the request of token_hash and returns it in *r (single use).
 * Returns 0, 1 when none (used meanwhile), or -1. */
int store_appt_guest_take(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES],
    struct store_appt_guest *r);

/* A manage link as stored. */
struct store_appt_manage {
	char org_id[STORE_ID_MAX];
	int64_t appointment_id, user_id;
	int64_t created_at, expires_at;
};

/* Inserts the manage link of token_hash. Returns 0 or -1. */
int store_appt_manage_put(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES],
    const struct store_appt_manage *m);

/* Reads the manage link of token_hash. Returns 0, 1 when none, or -1. */
int store_appt_manage_get(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES],
    struct store_appt_manage *m);

/* Deletes the manage link of token_hash: 0 deleted, 1 none, -1. */
int store_appt_manage_delete(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES]);

/* Makes the manage links of appointment_id expire at expires_at (the
 * appointment's new start once it moved). Returns 0 or -1. */
int store_appt_manage_follow(struct store *st, struct store_conn *c,
    int64_t appointment_id, int64_t expires_at);

/* Deletes the requests and manage links expired at now; returns how
 * many rows, or -1. */
long store_appt_guest_purge(struct store *st, struct store_conn *c,
    int64_t now);

#endif
