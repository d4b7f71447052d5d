/*
 * appt_appointments.h (store) - appointments, their agents and
 * participants, the short holds of online booking, and the busy times
 * the free-slot computation and the booking checks read.
 *
 * An appointment is "active" (it takes its agents' and users' time)
 * while its status is a_venir, vu or non_venu; excuse, annule_agent and
 * annule_usager free the time. A hold takes its agent's time until it
 * expires.
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing, -1 on a database failure.
 */
#ifndef CRENEAU_STORE_APPT_APPOINTMENTS_H
#define CRENEAU_STORE_APPT_APPOINTMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "appointments/appt_interval.h"
#include "store/appt_structure.h"
#include "store/identity.h"

struct store;
struct store_conn;

#define STORE_APPT_STATUS_MAX 16
#define STORE_APPT_LOC_MAX 8
#define APPT_AGENTS_MAX 8 /* agents of one appointment */
#define APPT_PARTICIPANTS_MAX 64 /* users of one appointment */

struct store_appt {
	int64_t id;
	char org_id[STORE_ID_MAX];
	int64_t motif_id;
	int64_t place_id; /* 0: none (phone, home) */
	char location_type[STORE_APPT_LOC_MAX]; /* place, phone, home */
	struct store_blob home_address; /* sealed; p NULL: none */
	int64_t address_user_id; /* whose key seals home_address; 0: none */
	int64_t start_at; /* UTC ms */
	int64_t duration_min;
	int64_t end_at; /* start_at + duration */
	char status[STORE_APPT_STATUS_MAX];
	int collective;
	int64_t capacity;
	char created_by[STORE_ID_MAX];
	char created_via[8]; /* agent, online */
	int64_t created_at;
	int64_t updated_at;
};

/* Frees and wipes the address of a and zeroes it. NULL does nothing. */
void store_appt_clear(struct store_appt *a);

/* Inserts a (all but id, which *id receives). Returns 0 or -1. */
int store_appt_insert(struct store *st, struct store_conn *c,
    const struct store_appt *a, int64_t *id);

/* Reads appointment id into *out (release with store_appt_clear).
 * Returns 0, 1, or -1. */
int store_appt_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_appt *out);

/* Writes the time, status, home address and updated_at of a (by id).
 * Returns 0, 1 when there is no such row, or -1. */
int store_appt_update(struct store *st, struct store_conn *c,
    const struct store_appt *a);

/* Adds agent_id to appointment id. Returns 0 or -1. */
int store_appt_agent_add(struct store *st, struct store_conn *c, int64_t id,
    const char *agent_id);

/* Removes agent_id from appointment id. Returns 0 or -1. */
int store_appt_agent_remove(struct store *st, struct store_conn *c, int64_t id,
    const char *agent_id);

/* Reads the agents of appointment id (at most max). Returns 0 or -1. */
int store_appt_agents(struct store *st, struct store_conn *c, int64_t id,
    char (*agents)[STORE_ID_MAX], size_t max, size_t *n);

/* Adds user_id to appointment id, booked by booked_by at now. Returns 0,
 * 1 when the user is in it already, or -1. */
int store_appt_participant_add(struct store *st, struct store_conn *c,
    int64_t id, int64_t user_id, const char *booked_by, int64_t now);

/* Removes user_id from appointment id. Returns 0, 1 when not in it, or
 * -1. */
int store_appt_participant_remove(struct store *st, struct store_conn *c,
    int64_t id, int64_t user_id);

/* Reads the users of appointment id (at most max). Returns 0 or -1. */
int store_appt_participants(struct store *st, struct store_conn *c, int64_t id,
    int64_t *users, size_t max, size_t *n);

/*
 * On PostgreSQL, locks the rows of agents (n account ids) and users (m
 * ids) FOR UPDATE, in id order, so two bookings of the same agent or
 * user run one after the other; SQLite's write lock does that already
 * (nothing to do). Returns 0 or -1.
 */
int store_appt_lock(struct store *st, struct store_conn *c,
    const char (*agents)[STORE_ID_MAX], size_t n, const int64_t *users,
    size_t m);

/*
 * Whether agent_id has an active appointment (other than exclude_id) or
 * a hold unexpired at now (other than exclude_hold) overlapping
 * [start, end). Returns 1, 0, or -1.
 */
int store_appt_agent_busy(struct store *st, struct store_conn *c,
    const char *agent_id, int64_t start, int64_t end, int64_t exclude_id,
    int64_t exclude_hold, int64_t now);

/* Whether user_id takes part in an active appointment (other than
 * exclude_id) overlapping [start, end). Returns 1, 0, or -1. */
int store_appt_user_busy(struct store *st, struct store_conn *c,
    int64_t user_id, int64_t start, int64_t end, int64_t exclude_id);

/* Reads the intervals place_id is taken over [from, to): its active
 * appointments other than exclude_id (a collective session once), and its
 * holds of individual slots other than exclude_hold unexpired at now;
 * unsorted, at most max into v, their count into *n. Returns 0, 1 when
 * there were more than max, or -1. */
int store_appt_place_busy_list(struct store *st, struct store_conn *c,
    int64_t place_id, int64_t from, int64_t to, int64_t exclude_id,
    int64_t exclude_hold, int64_t now, struct appt_interval *v, size_t max,
    size_t *n);

/* Counts into *n the seats held in collective session session_id,
 * unexpired at now, other than exclude_hold. Returns 0 or -1. */
int store_appt_session_holds(struct store *st, struct store_conn *c,
    int64_t session_id, int64_t exclude_hold, int64_t now, int64_t *n);

/* Reads the busy intervals of agent_id overlapping [from, to) (active
 * appointments, and holds unexpired at now), unsorted, at most max into
 * v and their count into *n. Returns 0, 1 when there were more than max,
 * or -1. */
int store_appt_agent_busy_list(struct store *st, struct store_conn *c,
    const char *agent_id, int64_t from, int64_t to, int64_t now,
    struct appt_interval *v, size_t max, size_t *n);

/* An appointment as a list shows it. */
struct store_appt_listed {
	int64_t id;
	int64_t motif_id;
	int64_t place_id;
	char location_type[STORE_APPT_LOC_MAX];
	int64_t start_at;
	int64_t duration_min;
	char status[STORE_APPT_STATUS_MAX];
	int collective;
	int64_t capacity;
	int64_t participants;
	char org_id[STORE_ID_MAX];
	/* What the person reads on their list: the motif, and the place
	 * with its address ("" when not at a place). */
	char motif_name[APPT_NAME_MAX];
	char place_name[APPT_NAME_MAX];
	char place_address[APPT_ADDRESS_MAX];
};

typedef int (*store_appt_fn)(void *arg, const struct store_appt_listed *a);

/* Calls fn for each collective session of motif_id of org_id still to
 * come (a_venir) at place_id (0: any) starting in [from, to), earliest
 * first, at most limit; its participants count the seats held online
 * unexpired at now. Returns 0, fn's non-zero result, or -1. */
int store_appt_sessions_open(struct store *st, struct store_conn *c,
    const char *org_id, int64_t motif_id, int64_t place_id, int64_t from,
    int64_t to, int64_t now, long limit, store_appt_fn fn, void *arg);

/* Calls fn for each appointment of org_id starting in [from, to), with
 * agent_id not NULL only those of that agent, earliest first, at most
 * limit. Returns 0, fn's non-zero result, or -1. */
int store_appt_list_org(struct store *st, struct store_conn *c,
    const char *org_id, const char *agent_id, int64_t from, int64_t to,
    long limit, store_appt_fn fn, void *arg);

/* Calls fn for each appointment user_id takes part in, latest first, at
 * most limit. Returns 0, fn's non-zero result, or -1. */
int store_appt_list_user(struct store *st, struct store_conn *c,
    int64_t user_id, long limit, store_appt_fn fn, void *arg);

/* Holds. */
struct store_appt_hold {
	int64_t id;
	char org_id[STORE_ID_MAX];
	int64_t motif_id;
	int64_t place_id; /* 0: none */
	char agent_id[STORE_ID_MAX];
	int64_t start_at, end_at, expires_at, created_at;
	int64_t session_id; /* a seat in this collective session; 0: a slot */
};

/* Inserts hold h with the hash of its token (hash_len bytes); *id gets
 * its id. Returns 0 or -1. */
int store_appt_hold_insert(struct store *st, struct store_conn *c,
    const struct store_appt_hold *h, const unsigned char *hash, size_t hash_len,
    int64_t *id);

/* Reads the hold whose token hashes to hash into *out. Returns 0, 1 when
 * none, or -1. */
int store_appt_hold_find(struct store *st, struct store_conn *c,
    const unsigned char *hash, size_t hash_len, struct store_appt_hold *out);

/* Reads hold id into *out. Returns 0, 1 when none, or -1. */
int store_appt_hold_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_appt_hold *out);

/* Sets hold id to end at expires_at. Returns 0 or -1. */
int store_appt_hold_extend(struct store *st, struct store_conn *c, int64_t id,
    int64_t expires_at);

/* Deletes hold id. Returns 0 or -1. */
int store_appt_hold_delete(struct store *st, struct store_conn *c, int64_t id);

/* Deletes the holds expired at now; *n receives how many. Returns 0 or
 * -1. */
int store_appt_holds_expire(struct store *st, struct store_conn *c, int64_t now,
    long *n);

/* Whether an appointment is active in status s. */
int store_appt_status_active(const char *s);

#endif
