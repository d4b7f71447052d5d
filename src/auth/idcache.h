/*
 * idcache.h - who a signed-in request is, kept in memory between its
 * requests.
 *
 * Checking a session reads the session, its account, its roles, its
 * organisation's state and policy, and its active grants: a dozen
 * statements for every request, the most of what a small read costs. An
 * entry keeps what they answered, keyed by the hash of the session id,
 * with two bounds:
 *
 * - the identity epoch it was read under (store_identity_epoch). The
 *   triggers of migration 37 raise the epoch in the transaction of every
 *   change to what those statements read, whatever code makes it and on
 *   whichever server sharing the database. A request reads the epoch
 *   first (one statement); a different number means the entry may be
 *   stale, and the whole check runs again. Because the epoch is read
 *   before the check, an entry can only be newer than its number says,
 *   never older.
 * - the time until which the answer holds by time alone
 *   (session_info.recheck_at: the session's end and next touch, the
 *   organisation's limits, an admin password's age; the first end of a
 *   grant). At that time the check runs again, and it marks the session
 *   used as before.
 *
 * A slot holds one entry (the newest wins); a server keeps IDCACHE_SLOTS
 * of them. Entries hold a session's CSRF hash: they are wiped when
 * replaced and when the cache is freed.
 */
#ifndef CRENEAU_IDCACHE_H
#define CRENEAU_IDCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "auth/session.h"

#define IDCACHE_SLOTS 4096

/* What a request learns about who asks. */
struct idcache_entry {
	struct session_info s;
	uint64_t granted; /* grant_active_mask in the session's organisation */
	int64_t school_id; /* the organisation's school; 0: not read yet */
	int64_t epoch; /* the identity epoch it was read under */
	int64_t valid_until; /* it holds while now is before this */
};

struct idcache;

/* A cache of slots entries (0: IDCACHE_SLOTS), or NULL (no memory). */
struct idcache *idcache_new(size_t slots);
void idcache_free(struct idcache *ic);

/*
 * Copies into *out the entry of the session whose id hash is key, if one
 * was read under epoch and holds at now. Returns 0 (found) or 1.
 */
int idcache_get(struct idcache *ic, const unsigned char key[STORE_HASH_BYTES],
    int64_t epoch, int64_t now, struct idcache_entry *out);

/* Keeps e, under e->s.id_hash. */
void idcache_put(struct idcache *ic, const struct idcache_entry *e);

/* Adds the school to the entry of key when it was read under epoch. */
void idcache_set_school(struct idcache *ic,
    const unsigned char key[STORE_HASH_BYTES], int64_t epoch,
    int64_t school_id);

/*
 * The check of a request's session cookie: what session_check and
 * grant_active_mask say, from a->ids when it holds the answer (see
 * above), else read and kept there. out->epoch is -1 when the epoch
 * could not be read (nothing is kept then). Returns 0 and fills *out for
 * a live session, 1 when the token names none, -1 on error.
 */
int idcache_check(const struct auth *a, const char *token, int64_t now,
    struct idcache_entry *out);

#endif
