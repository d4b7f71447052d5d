/*
 * appt_slots.h - free slots: opening hours minus absences minus busy
 * time, cut into slots of a motif's duration, for one agent and merged
 * across the agents of a place.
 *
 * Inputs are normalized interval lists (appt_interval.h): the caller
 * expands each agent's plages for the place and motif over the window
 * (appt_recur_expand), and the agent's absences (appt_absence_expand)
 * and existing appointments, then normalizes each list once
 * (appt_intervals_normalize). Absences and appointments may go into one
 * "blocked" list or two; both are subtracted alike.
 *
 * Slot starts are aligned on the start of the opening interval they lie
 * in: open.start, open.start + step, open.start + 2 step... (so a plage
 * 09:00-12:00 with 30-min slots offers 09:00, 09:30... whatever is
 * booked). A start s gives the slot [s, s + duration) when
 *  - the slot lies within that opening interval (a slot may end exactly
 *    at its end);
 *  - it overlaps no blocked interval (touching one is fine);
 *  - from <= s < to (the window);
 *  - s > now, s >= now + min_delay, and s <= now + max_delay unless
 *    max_delay is 0 (the same bounds as appt_check_delays).
 * The sweep is O(open + blocked + slots) per agent after one sort.
 */
#ifndef CRENEAU_APPT_SLOTS_H
#define CRENEAU_APPT_SLOTS_H

#include <stddef.h>
#include <stdint.h>

#include "appointments/appt_interval.h"
#include "core/limits.h"

/* Ceiling on the slots of one appt_slots_place answer (agent-slot pairs). */
#define APPT_SLOTS_MAX LIMIT_APPT_SLOTS

struct appt_slot_query {
	int64_t from, to; /* window, UTC ms: slot starts in [from, to) */
	int64_t now; /* UTC ms */
	int64_t duration_ms; /* the motif's duration, > 0 */
	int64_t step_ms; /* between starts; 0 means duration_ms */
	int64_t min_delay_ms; /* booking opens this long before, >= 0 */
	int64_t max_delay_ms; /* and closes this long before; 0: no limit */
};

/* One agent's availability: normalized lists (see above). An agent
 * appears once in a call to appt_slots_place: all of its plages at the
 * place for the motif go into its one open list. */
struct appt_agent_avail {
	int64_t agent_id;
	const struct appt_interval *open;
	size_t n_open;
	const struct appt_interval *blocked;
	size_t n_blocked;
};

/* Returns 0 when q is usable (from < to, duration > 0, step >= 0, delays
 * >= 0), else -1. Pure. */
int appt_slot_query_check(const struct appt_slot_query *q);

/*
 * Writes into starts (capacity cap) the free slot starts of agent a, in
 * increasing order. Returns how many there are in all (more than cap when
 * starts was too small; cap 0 counts them), or 0 when q is unusable.
 * Pure, no allocation.
 */
size_t appt_slots_agent(const struct appt_slot_query *q,
    const struct appt_agent_avail *a, int64_t *starts, size_t cap);

/*
 * Returns 1 when start is one of the free slot starts of agent a for q
 * (aligned on a plage, free, in q's window and delays), else 0: the
 * check at booking time that a chosen slot is still offered. Pure.
 * (Added after the headers' first commit.)
 */
int appt_slots_offers(const struct appt_slot_query *q,
    const struct appt_agent_avail *a, int64_t start);

/* One start offered at a place: the agents free then are
 * list->agent_ids[first .. first + n_agents), in increasing id order. */
struct appt_place_slot {
	int64_t start; /* UTC ms; the slot is [start, start + duration) */
	size_t first;
	size_t n_agents;
};

/* The answer of appt_slots_place; owned by the caller, released with
 * appt_slot_list_free. */
struct appt_slot_list {
	struct appt_place_slot *slots; /* increasing start */
	size_t n_slots;
	int64_t *agent_ids;
	size_t n_agent_ids;
};

/*
 * Computes the free slots of every agent of agents (n) for q and merges
 * them by start: each distinct start once, with the agents free at it.
 * Fills *out (its previous content is not freed). Returns 0, or -1 with
 * errno EINVAL (q unusable), E2BIG (more than APPT_SLOTS_MAX agent-slot
 * pairs) or ENOMEM, leaving *out empty. Allocates out's arrays; O(P log n)
 * for P agent-slot pairs.
 */
int appt_slots_place(const struct appt_slot_query *q,
    const struct appt_agent_avail *agents, size_t n,
    struct appt_slot_list *out);

/* Frees the arrays of list and empties it; list may be NULL. */
void appt_slot_list_free(struct appt_slot_list *list);

#endif
