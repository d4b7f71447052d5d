/*
 * baskets.h (store) - the rows of baskets and their items, and the slot
 * state changes a basket makes (free -> held -> booked, held -> free).
 *
 * A basket is read whole into the domain's struct basket (src/booking/
 * basket.h), its items carrying their slot's department, category and
 * start, so the pure rules decide without another query. Conventions of
 * store/identity.h: c is the caller's connection (inside the service's
 * transaction), 0 on success, 1 when a looked-up row is missing, -1 on a
 * database failure.
 */
#ifndef CRENEAU_STORE_BASKETS_H
#define CRENEAU_STORE_BASKETS_H

#include <stddef.h>
#include <stdint.h>

#include "booking/basket.h"
#include "store/store.h"

struct store_conn;

/* Reads the basket of employee owner (account id) with its items into *b
 * and the owner's school into b->school_id. Returns 0, 1 when the
 * employee has none, or -1. */
int store_basket_of_owner(struct store *st, struct store_conn *c,
    const char *owner, struct basket *b);

/* Reads basket id with its items into *b, and its owner's account id into
 * owner (STORE_ID_MAX bytes). Returns 0, 1 when there is none, or -1. */
int store_basket_get(struct store *st, struct store_conn *c, int64_t id,
    struct basket *b, char *owner, size_t ownerlen);

/* Creates the (empty) basket of employee owner of school_id and sets
 * b->id. Returns 0 or -1. */
int store_basket_create(struct store *st, struct store_conn *c,
    int64_t school_id, const char *owner, int64_t now, struct basket *b);

/* Writes b's items and first_added_at over what is stored: items no longer
 * in b are deleted, new ones inserted, candidates updated; warned is reset
 * when the basket starts a new life. Slots are not touched. Returns 0 or
 * -1. */
int store_basket_save(struct store *st, struct store_conn *c,
    const struct basket *b);

/* Marks basket id as warned of its coming expiry. Returns 0 or -1. */
int store_basket_warned(struct store *st, struct store_conn *c, int64_t id);

/*
 * Reads the slots ids (n) into out as the rules see them, with their
 * centre's department; a slot that does not exist comes back as
 * SLOT_CANCELLED with published_at 0 (the rules answer CRENEAU_INCONNU).
 * Returns 0 or -1.
 */
int store_slots_read(struct store *st, struct store_conn *c, const int64_t *ids,
    size_t n, struct bk_slot *out);

/*
 * Moves slot id from state from to state to, with basket_id (0: none).
 * Returns 0, 1 when the slot was not in state from (someone else changed
 * it: nothing written), or -1.
 */
int store_slot_move(struct store *st, struct store_conn *c, int64_t id,
    enum slot_state from, enum slot_state to, int64_t basket_id);

/* Calls fn with the id of each non-empty basket whose first slot was
 * added at or before first_before (oldest first, at most limit). Returns
 * 0 or -1. */
int store_baskets_started_before(struct store *st, struct store_conn *c,
    int64_t first_before, int warned, long limit,
    int (*fn)(void *arg, int64_t id), void *arg);

/* What a school's slot search asks. Empty strings and 0 mean any. */
struct store_slot_search {
	const char *department;
	int64_t centre_id;
	const char *category;
	int64_t from, to; /* start_at range, [from, to) */
	int64_t published_before; /* only slots published at or before */
	long limit;
};

/* One slot found by a search, with its centre. */
struct store_slot_found {
	struct bk_slot slot;
	int64_t centre_id;
	const char *centre_name; /* borrowed during the call */
};

/* Calls fn for each free slot matching q, by start time then id. Returns
 * 0, fn's non-zero result, or -1. */
int store_slots_search(struct store *st, struct store_conn *c,
    const struct store_slot_search *q,
    int (*fn)(void *arg, const struct store_slot_found *f), void *arg);

#endif
