/*
 * mandates.h (store) - the rows of mandates (RULES.md rule 1), read into
 * and written from the domain's struct mandate.
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing, -1 on a database failure.
 */
#ifndef CRENEAU_STORE_MANDATES_H
#define CRENEAU_STORE_MANDATES_H

#include <stddef.h>
#include <stdint.h>

#include "booking/mandate.h"
#include "store/store.h"

struct store_conn;

#define STORE_MANDATES_MAX 64 /* of one candidate, every school and state */

/* Reads every mandate of candidate_id (oldest first, at most max) into
 * out, their count into *n. Returns 0 or -1. */
int store_mandates_of_candidate(struct store *st, struct store_conn *c,
    int64_t candidate_id, struct mandate *out, size_t max, size_t *n);

/* Inserts m (origin and created_by as given) and sets m->id. Returns 0 or
 * -1. */
int store_mandate_insert(struct store *st, struct store_conn *c,
    struct mandate *m, enum mandate_origin origin, const char *created_by,
    int64_t now);

/* Writes m's state, activated_at, expires_at and ended_at. Returns 0, 1
 * when there is no such mandate, or -1. */
int store_mandate_update(struct store *st, struct store_conn *c,
    const struct mandate *m);

/* Reads mandate id into *m. Returns 0, 1 when there is none, or -1. */
int store_mandate_get(struct store *st, struct store_conn *c, int64_t id,
    struct mandate *m);

/* A mandate of a school, as its list shows it. */
typedef int (*store_mandate_fn)(void *arg, const struct mandate *m);

/*
 * Calls fn for each mandate of school_id, newest first, at most limit;
 * with state not NULL ("active"...), only those stored in that state.
 * fn returns 0 to go on. Returns 0 or -1.
 */
int store_mandates_of_school(struct store *st, struct store_conn *c,
    int64_t school_id, const char *state, long limit, store_mandate_fn fn,
    void *arg);

/* Reads the ids of at most max mandates stored active whose expires_at
 * is at or before now into ids, their count into *n. Returns 0 or -1. */
int store_mandates_due(struct store *st, struct store_conn *c, int64_t now,
    int64_t *ids, size_t max, size_t *n);

/* Names of the states as stored ("pending", "active"...). */
const char *store_mandate_state_name(enum mandate_state s);

#endif
