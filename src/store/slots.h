/*
 * slots.h (store) - exam slots as the authority publishes them: centre,
 * category, start, anonymised inspector, publication time and state
 * (free | held | booked | cancelled, RULES.md entities).
 *
 * Read for the rules as the domain's struct bk_slot, which carries the
 * department of the slot's centre (rule 2), and for the dispatcher as a
 * struct store_slot with the centre and inspector as well.
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing, -1 on a database failure.
 */
#ifndef CRENEAU_STORE_SLOTS_H
#define CRENEAU_STORE_SLOTS_H

#include <stddef.h>
#include <stdint.h>

#include "booking/booking.h"
#include "store/store.h"

struct store_conn;

#define STORE_INSPECTOR_MAX 33 /* anonymised id: 32 bytes and the NUL */
#define STORE_SLOTS_PAGE_MAX 500 /* rows per listing, slots per publication */

/* A slot as the dispatcher sees it. */
struct store_slot {
	struct bk_slot s; /* id, department, category, times, state */
	int64_t centre_id;
	char inspector[STORE_INSPECTOR_MAX];
	int64_t created_at;
};

/* Names of the states as stored ("free", "held"...). */
const char *store_slot_state_name(enum slot_state s);

/* Parses a stored state name into *out. Returns 0, or -1 when s names
 * none. */
int store_slot_state_parse(const char *s, enum slot_state *out);

/*
 * Inserts the n slots of in (centre_id, category, start_at, inspector,
 * published_at used; state and id ignored) as free, created at now, and
 * writes their ids to ids (n entries) in order. Meant to run inside the
 * caller's transaction, which rolls back the whole batch on -1. Returns
 * 0 or -1.
 */
int store_slots_insert(struct store *st, struct store_conn *c,
    const struct store_slot *in, size_t n, int64_t now, int64_t *ids);

/*
 * Reads slot id into *out as the booking rules see it: department of its
 * centre, category, start_at, published_at and state. Whatever its
 * state or publication time: the caller decides what a school may see.
 * Returns 0, 1 when there is no such slot, or -1.
 */
int store_slot_get(struct store *st, struct store_conn *c, int64_t id,
    struct bk_slot *out);

/* Reads slot id with its centre and inspector into *out. Returns 0, 1
 * when there is none, or -1. */
int store_slot_get_full(struct store *st, struct store_conn *c, int64_t id,
    struct store_slot *out);

/* What the dispatcher lists: 0 (or NULL) leaves a criterion open. */
struct store_slot_query {
	int64_t centre_id;
	int64_t from; /* start_at >= from */
	int64_t to; /* start_at < to */
	const char *state; /* "free", "held", "booked", "cancelled" */
	size_t limit; /* 1..STORE_SLOTS_PAGE_MAX */
	size_t offset;
};

/* Called once per slot listed; return non-zero to stop. */
typedef int (*store_slot_fn)(void *arg, const struct store_slot *s);

/*
 * Calls fn for at most q->limit slots matching q after skipping
 * q->offset, ordered by start then id; *more (may be NULL) says whether
 * further slots match. A limit of 0 or above STORE_SLOTS_PAGE_MAX is
 * refused. Returns 0 or -1.
 */
int store_slots_list(struct store *st, struct store_conn *c,
    const struct store_slot_query *q, store_slot_fn fn, void *arg, int *more);

/*
 * Withdraws slot id: its state becomes cancelled, but only when it is
 * free and starts after now (rule 7: the past is frozen; a held or booked
 * slot belongs to a school). The caller decides the refusal code from
 * the slot read in the same transaction; this is the guard that keeps
 * the write exact. Returns 0 when withdrawn, 1 when nothing matched, or
 * -1.
 */
int store_slot_withdraw(struct store *st, struct store_conn *c, int64_t id,
    int64_t now);

#endif
