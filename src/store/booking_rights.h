/*
 * booking_rights.h (store) - the booking rows about one person that the
 * rights of access and erasure and the booking retention rules need:
 * listing a candidate's mandates, trainer assignment, exams and basket
 * items and an account's notifications and emails; shredding a registry
 * row in place; and finding what a retention rule makes due.
 *
 * Conventions of store/identity.h: c is the caller's connection (the
 * caller's transaction for writes), 0 (or a count) on success, -1 on a
 * database failure; rows handed to callbacks are borrowed for the call.
 */
#ifndef CRENEAU_STORE_BOOKING_RIGHTS_H
#define CRENEAU_STORE_BOOKING_RIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"

/* One row as listed for an export: up to BR_COLS columns, each either an
 * integer (SQL NULL: is_null set) or a text. */
#define BR_COLS 10

struct store_br_row {
	const char *name[BR_COLS]; /* column names, as in the query */
	const char *text[BR_COLS]; /* NULL unless a text column */
	int64_t num[BR_COLS];
	int is_null[BR_COLS];
	int n;
};

typedef int (*store_br_fn)(void *arg, const struct store_br_row *r);

/* What can be listed about a candidate (by registry id) or an account. */
enum store_br_list {
	BR_MANDATES, /* candidate: school, category, state, dates */
	BR_TRAINERS, /* candidate: school, trainer reference, date */
	BR_EXAMS, /* candidate: date, centre, category, status, result */
	BR_BASKET_ITEMS, /* candidate: slot held in a school's basket */
	BR_NOTIFICATIONS, /* account: in-app notifications */
	BR_OUTBOX, /* account: emails, subject and state only */
};

/*
 * Calls fn for each row of list about id (a registry id in decimal for
 * the candidate lists, an account id for the others), oldest first.
 * Returns 0, fn's non-zero result, or -1.
 */
int store_br_list(struct store *st, struct store_conn *c,
    enum store_br_list list, const char *id, store_br_fn fn, void *arg);

/* A booked exam of a candidate that an erasure cancels. */
struct store_br_exam {
	int64_t id, slot_id, school_id, start_at;
};

/*
 * Reads into out (room for max) the exams of candidate_id still booked
 * and starting after now; *n receives how many (at most max). Returns 0
 * or -1.
 */
int store_br_future_exams(struct store *st, struct store_conn *c,
    int64_t candidate_id, int64_t now, struct store_br_exam *out, size_t max,
    size_t *n);

/* Marks booked exam id cancelled at now and frees its slot. Returns 0, 1
 * when it was not booked, or -1. */
int store_br_exam_cancel(struct store *st, struct store_conn *c, int64_t id,
    int64_t slot_id, int64_t now);

/* Removes candidate_id from the baskets: each item holding a slot for
 * them goes and its slot is free again. Returns how many, or -1. */
long store_br_basket_release(struct store *st, struct store_conn *c,
    int64_t candidate_id);

/* Revokes the pending and active mandates of candidate_id at now.
 * Returns how many, or -1. */
long store_br_mandates_revoke(struct store *st, struct store_conn *c,
    int64_t candidate_id, int64_t now);

/* Deletes the trainer assignments of candidate_id. Returns how many, or
 * -1. */
long store_br_trainers_delete(struct store *st, struct store_conn *c,
    int64_t candidate_id);

/*
 * Shreds registry row id in place at now: NEPH, names and email emptied
 * (zero-length blobs, email NULL), its blind index replaced by
 * "erased:<id>", category emptied, account link removed, closed_at set
 * (kept when already set). The row stays so that no id is ever reused.
 * Returns 0, 1 when there is no such row or it is shredded already, -1.
 */
int store_br_candidate_shred(struct store *st, struct store_conn *c, int64_t id,
    int64_t now);

/* Deletes the notifications of account_id. Returns how many, or -1. */
long store_br_notifications_delete(struct store *st, struct store_conn *c,
    const char *account_id);

/* Deletes the emails of account_id, whatever their state. Returns how
 * many, or -1. */
long store_br_outbox_delete(struct store *st, struct store_conn *c,
    const char *account_id);

/*
 * Reads into ids (room for max) the registry rows of neph_index (one per
 * licence category), oldest first; *n receives how many. Returns 0 or -1.
 */
int store_br_candidates_of_neph(struct store *st, struct store_conn *c,
    const char *neph_index, int64_t *ids, size_t max, size_t *n);

/*
 * Closes at now the registry files left without activity since idle_cutoff:
 * not closed nor shredded, created and last updated at or before it, no
 * mandate pending or active nor changed after it, no exam booked, to
 * come or with a result after it, no place held in a basket. Returns how
 * many were closed, or -1.
 */
long store_br_candidates_close_idle(struct store *st, struct store_conn *c,
    int64_t idle_cutoff, int64_t now);

/*
 * Reads into ids (room for max) the registry rows not shredded yet whose
 * file closed at or before cutoff: closed_at set, or an exam of theirs
 * passed (result recorded) at or before cutoff. *n receives how many.
 * Returns 0 or -1.
 */
int store_br_candidates_closed_before(struct store *st, struct store_conn *c,
    int64_t cutoff, int64_t *ids, size_t max, size_t *n);

/*
 * Deletes the exams whose result was recorded, or which were cancelled,
 * at or before cutoff, and those still booked that started at or before
 * it (their result never came). Returns how many, or -1.
 */
long store_br_exams_purge(struct store *st, struct store_conn *c,
    int64_t cutoff);

/* Empties the inspector pseudonym of the slots that started at or before
 * cutoff (the slot stays, for the authority's counts). Returns how many,
 * or -1. */
long store_br_slots_anonymise(struct store *st, struct store_conn *c,
    int64_t cutoff);

/* Deletes the notifications created before cutoff. Returns how many, or
 * -1. */
long store_br_notifications_purge(struct store *st, struct store_conn *c,
    int64_t cutoff);

/* An account whose last activity (last sign-in, or creation when never
 * signed in) is at or before a cutoff. */
struct store_br_idle {
	char id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	int64_t last_active; /* last sign-in, or creation */
	int64_t restricted_at; /* 0 when not under restriction */
	int64_t warned_at; /* last account.inactive notice after last_active,
			      0 when none */
	int candidate; /* holds the role candidate */
};

typedef int (*store_br_idle_fn)(void *arg, const struct store_br_idle *a);

/* Calls fn for each account inactive since cutoff, oldest activity first.
 * Returns 0, fn's non-zero result, or -1. */
int store_br_idle_accounts(struct store *st, struct store_conn *c,
    int64_t cutoff, store_br_idle_fn fn, void *arg);

#endif
