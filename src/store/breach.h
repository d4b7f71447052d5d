/*
 * breach.h (store) - SQL for the breach register (GDPR Art. 33(5)).
 *
 * One row per incident, kept forever: there is no delete, and the schema
 * refuses DELETE on the table. The free-text facts travel sealed in one
 * column (details); the store never sees them in clear. Every function
 * runs on the connection c it is given and returns 0 on success, -1 on a
 * database failure.
 */
#ifndef CRENEAU_STORE_BREACH_H
#define CRENEAU_STORE_BREACH_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"

#define STORE_RISK_MAX 8

/* One incident as stored. 0 in notified_at or people_informed_at: not
 * yet. details points at sealed bytes (owned as the function says). */
struct store_breach {
	char id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char opened_by[STORE_ID_MAX];
	int64_t created_at, updated_at, discovered_at;
	char risk[STORE_RISK_MAX]; /* "low" or "high" */
	int64_t people_count, records_count;
	int64_t notified_at, people_informed_at;
	struct store_blob details; /* sealed JSON of the free-text facts */
};

/* Inserts b. Returns 0 or -1 (duplicate id included). */
int store_breach_insert(struct store *st, struct store_conn *c,
    const struct store_breach *b);

/* Rewrites every mutable column of the row b->id (not org_id, opened_by
 * nor created_at). Returns 0, 1 if there is no such row, or -1. */
int store_breach_update(struct store *st, struct store_conn *c,
    const struct store_breach *b);

/*
 * Reads row id into out; out->details.p then receives a malloc'ed copy
 * of the sealed bytes that the caller free()s. Returns 0, 1 if there is
 * none (out->details.p NULL), or -1.
 */
int store_breach_get(struct store *st, struct store_conn *c, const char *id,
    struct store_breach *out);

/* Called per row; the row and its details are borrowed for the call.
 * Returns 0 to go on, non-zero to stop. */
typedef int (*store_breach_fn)(void *arg, const struct store_breach *b);

/* Calls fn for every incident of org_id, newest discovery first. Returns
 * 0, or -1 (also when fn stopped the walk). */
int store_breach_list(struct store *st, struct store_conn *c,
    const char *org_id, store_breach_fn fn, void *arg);

#endif
