/*
 * keys.h (store) - the keystore's rows: wrapped data keys and the
 * tombstones of destroyed ones. Only crypto/keystore.c calls these; the
 * store sees wrapped bytes only, never a key it could use.
 */
#ifndef CRENEAU_STORE_KEYS_H
#define CRENEAU_STORE_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/*
 * Reads owner's wrapped key: its master version into *version and its
 * bytes into buf (room for cap), their count into *len. Returns 0, 1 if
 * owner has no key, or -1 (a stored blob longer than cap included).
 */
int store_key_get(struct store *st, const char *owner, uint32_t *version,
    unsigned char *buf, size_t cap, size_t *len);

/* The lowest and the newest master versions keys are wrapped under (0 and
 * 0 for an empty keystore). Returns 0 or -1. */
int store_key_version_range(struct store *st, uint32_t *lowest,
    uint32_t *newest);

/*
 * Inserts owner's wrapped key, created at now_ms, in one statement that
 * inserts nothing if owner already has a key, if owner's key was
 * destroyed, or if some key is already wrapped under a master version
 * newer than version (the caller's keyring is out of date: a key wrapped
 * under a version about to be retired would be lost). Never replaces a
 * key. Returns 0 whether or not a row went in (read it back to know), or
 * -1.
 */
int store_key_insert(struct store *st, const char *owner, uint32_t version,
    const void *wrapped, size_t len, int64_t now_ms);

/* One key for store_key_insert_many. */
struct store_key_new {
	const char *owner;
	const void *wrapped;
	size_t len;
};

/*
 * store_key_insert for each of the n keys, all wrapped under version, in
 * one transaction (one disk sync for the lot). Returns 0 or -1.
 */
int store_key_insert_many(struct store *st, const struct store_key_new *keys,
    size_t n, uint32_t version, int64_t now_ms);

/*
 * Compare-and-swap of one wrapped key: replaces owner's row with
 * (version, wrapped) only if it still holds (old_version, old). Returns 0
 * if replaced, 1 if the row changed or went meanwhile (nothing done), or
 * -1.
 */
int store_key_swap(struct store *st, const char *owner, uint32_t old_version,
    const void *old, size_t oldlen, uint32_t version, const void *wrapped,
    size_t len);

/*
 * In one transaction, deletes owner's key (if any) and records its
 * tombstone at now_ms (an earlier tombstone is kept). Returns 0 or -1.
 */
int store_key_destroy(struct store *st, const char *owner, int64_t now_ms);

/* Returns 1 if owner's key was destroyed, 0 if not, -1 on error. */
int store_key_destroyed(struct store *st, const char *owner);

/* Returns how many keys are wrapped under master version v, or -1. */
long store_key_count_version(struct store *st, uint32_t v);

/*
 * Calls fn(arg, owner) for at most limit owners whose key is wrapped
 * under a master version older than v, in owner order, starting after
 * the owner after ("" from the start). fn must not use the store; a
 * non-zero return stops the listing. Returns how many owners fn was
 * given, or -1.
 */
long store_key_list_older(struct store *st, uint32_t v, const char *after,
    long limit, int (*fn)(void *arg, const char *owner), void *arg);

/* Counts the keys held and the tombstones into *keys and *destroyed.
 * Returns 0 or -1. */
int store_key_totals(struct store *st, long *keys, long *destroyed);

#endif
