/*
 * signup.h (store) - SQL of pending sign-ups: the single-use links
 * « Créer un compte » sends (src/auth/signup.h).
 *
 * A pending sign-up is stored as the BLAKE2b-256 hash of its random token,
 * the blind index of the address (one pending sign-up per address: a new
 * request replaces the older one) and the address sealed under a key
 * derived from the token. Each function is one statement on the caller's
 * connection c (store_signup_put: two).
 */
#ifndef CRENEAU_STORE_SIGNUP_H
#define CRENEAU_STORE_SIGNUP_H

#include <stdint.h>

#include "store/identity.h"
#include "store/oidc.h"

/* A pending sign-up as stored; email is a malloc'ed sealed copy when
 * read (release with store_signup_clear). */
struct store_signup {
	unsigned char token_hash[STORE_HASH_BYTES];
	char email_index[STORE_INDEX_MAX];
	struct store_blob email;
	char provider[STORE_OIDC_PROVIDER_MAX]; /* "" for an emailed link */
	char sub_index[STORE_INDEX_MAX]; /* "" for an emailed link */
	int64_t created_at;
	int64_t expires_at;
};

/* Wipes and frees r's blob and zeroes r. NULL does nothing. */
void store_signup_clear(struct store_signup *r);

/* Inserts r, replacing the pending sign-up of the same address. Returns
 * 0 or -1. */
int store_signup_put(struct store *st, struct store_conn *c,
    const struct store_signup *r);

/* Reads the pending sign-up whose token hash is token_hash into *r.
 * Returns 0, 1 if there is none, or -1. */
int store_signup_get(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], struct store_signup *r);

/* Deletes the pending sign-up whose token hash is token_hash, reading it
 * into *r on the way. Returns 0, 1 if there was none (already used), or
 * -1. */
int store_signup_take(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], struct store_signup *r);

/* Deletes the pending sign-ups that end at or before now. Returns how
 * many, or -1. */
long store_signup_purge(struct store *st, struct store_conn *c, int64_t now);

#endif
