/*
 * appt_notify.h (store) - the reminders already sent, the agents'
 * calendar feed tokens (hashed) and the waiting list of appointments.
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing, -1 on a database failure.
 */
#ifndef CRENEAU_STORE_APPT_NOTIFY_H
#define CRENEAU_STORE_APPT_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"

struct store;
struct store_conn;

#define APPT_FEED_HASH 32 /* bytes of a feed token's hash */

/* A reminder to send: participant user_id of appointment_id at start_at. */
struct store_appt_due_reminder {
	int64_t appointment_id, user_id, start_at;
};

/*
 * The reminders due at now (at most max into v): participants of
 * appointments still to come (a_venir) whose motif's reminder time
 * (start_at - reminder_before_min) has come, booked or last changed
 * before it (else the confirmation was the reminder), not yet reminded
 * for this start time. Returns 0 or -1.
 */
int store_appt_reminders_due(struct store *st, struct store_conn *c,
    int64_t now, struct store_appt_due_reminder *v, size_t max, size_t *n);

/* Records that r was sent at now. Returns 0 or -1. */
int store_appt_reminder_mark(struct store *st, struct store_conn *c,
    const struct store_appt_due_reminder *r, int64_t now);

/* Sets agent_id's (of org_id) feed token hash, replacing the former one.
 * Returns 0 or -1. */
int store_appt_feed_put(struct store *st, struct store_conn *c,
    const char *agent_id, const char *org_id,
    const unsigned char hash[APPT_FEED_HASH], int64_t now);

/* Deletes agent_id's feed token. Returns 0, 1 when there was none, or
 * -1. */
int store_appt_feed_delete(struct store *st, struct store_conn *c,
    const char *agent_id);

/* Finds the agent and organisation of the feed token hashing to hash.
 * Returns 0, 1 when none, or -1. */
int store_appt_feed_find(struct store *st, struct store_conn *c,
    const unsigned char hash[APPT_FEED_HASH], char agent_id[STORE_ID_MAX],
    char org_id[STORE_ID_MAX]);

/* Adds user_id to the waiting list of motif_id (of org_id) at now until
 * expires_at; *id receives the entry. Returns 0, 1 when the user waits
 * for that motif already (its entry kept, *id set), or -1. */
int store_appt_wait_add(struct store *st, struct store_conn *c,
    const char *org_id, int64_t motif_id, int64_t user_id, int64_t now,
    int64_t expires_at, int64_t *id);

/* A waiting-list entry. */
struct store_appt_wait {
	int64_t id, motif_id, user_id, created_at, expires_at, notified_at;
};

/* The first max entries of motif_id still waiting at now (not expired,
 * not yet told), in order of arrival. Returns 0 or -1. */
int store_appt_wait_first(struct store *st, struct store_conn *c,
    int64_t motif_id, int64_t now, struct store_appt_wait *v, size_t max,
    size_t *n);

/* Marks entry id told at now. Returns 0, 1, or -1. */
int store_appt_wait_told(struct store *st, struct store_conn *c, int64_t id,
    int64_t now);

/* Reads the entries of user_id (at most max). Returns 0 or -1. */
int store_appt_wait_of_user(struct store *st, struct store_conn *c,
    int64_t user_id, struct store_appt_wait *v, size_t max, size_t *n);

/* Deletes entry id of user_id. Returns 0, 1 when it has none, or -1. */
int store_appt_wait_delete(struct store *st, struct store_conn *c, int64_t id,
    int64_t user_id);

/* Deletes the entries expired at now or created before cutoff. Returns
 * how many, or -1. */
long store_appt_wait_purge(struct store *st, struct store_conn *c, int64_t now,
    int64_t cutoff);

#endif
