/*
 * pwreset.h (store) - SQL of password resets: the single-use links
 * « Mot de passe oublié » sends (src/auth/pwreset.h).
 *
 * A link is stored as the BLAKE2b-256 hash of its random token only,
 * bound to one account, with when it was made and when it ends. Each
 * function is one statement on the caller's connection c.
 */
#ifndef CRENEAU_STORE_PWRESET_H
#define CRENEAU_STORE_PWRESET_H

#include <stdint.h>

#include "store/identity.h"

/* A reset link as stored. */
struct store_pwreset {
	unsigned char token_hash[STORE_HASH_BYTES];
	char account_id[STORE_ID_MAX];
	int64_t created_at;
	int64_t expires_at;
};

/* Inserts r. Returns 0 or -1. */
int store_pwreset_insert(struct store *st, struct store_conn *c,
    const struct store_pwreset *r);

/* Reads the link whose token hash is token_hash into *r. Returns 0, 1 if
 * there is none, or -1. */
int store_pwreset_get(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], struct store_pwreset *r);

/*
 * Uses the link whose token hash is token_hash: deletes it and, on the
 * way, every other link of the same account, so a link serves once and a
 * new password makes the older links void. *r receives the used link.
 * Returns 0, 1 if there was no such link (already used, never made), or
 * -1.
 */
int store_pwreset_take(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], struct store_pwreset *r);

/* Deletes the links that end at or before now. Returns how many, or -1. */
long store_pwreset_purge(struct store *st, struct store_conn *c, int64_t now);

#endif
