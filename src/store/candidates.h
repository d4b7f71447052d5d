/*
 * candidates.h (store) - the authority's candidate registry (one row per
 * NEPH and licence category), the trainers candidates are assigned to,
 * and the candidate's exams as the candidate sees them.
 *
 * The NEPH, names and email are sealed by the caller (service layer)
 * under the candidate's own data key; the store only moves the sealed
 * bytes and finds rows by the NEPH's blind index.
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing, -1 on a database failure.
 */
#ifndef CRENEAU_STORE_CANDIDATES_H
#define CRENEAU_STORE_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>

#include "booking/config.h"
#include "store/identity.h"
#include "store/store.h"

struct store_conn;

#define STORE_GEARBOX_MAX 16

/* A registry row as stored. The blobs are sealed, malloc'ed copies. */
struct store_candidate {
	int64_t id;
	char neph_index[STORE_INDEX_MAX];
	char category[BK_CATEGORY_MAX];
	struct store_blob neph;
	struct store_blob last_name;
	struct store_blob first_names;
	struct store_blob email; /* p NULL: none */
	struct store_blob birth_date; /* "YYYY-MM-DD"; p NULL: none */
	char gearbox[STORE_GEARBOX_MAX];
	char account_id[STORE_ID_MAX]; /* "" when not linked */
	int64_t created_at;
	int64_t updated_at;
	int64_t closed_at; /* 0 when open */
};

/* Frees and wipes the blobs of cand and zeroes it. NULL does nothing. */
void store_candidate_clear(struct store_candidate *cand);

/* Reads the row of (neph_index, category) into *out (release with
 * store_candidate_clear, also after a failure). Returns 0, 1, or -1. */
int store_candidate_find(struct store *st, struct store_conn *c,
    const char *neph_index, const char *category, struct store_candidate *out);

/* Reads row id into *out (release as above). Returns 0, 1, or -1. */
int store_candidate_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_candidate *out);

/*
 * Inserts the row of (neph_index, category) with gearbox and empty sealed
 * columns, and sets *id: the sealed values are bound to the row id, so
 * the caller seals them once it knows the id and writes them with
 * store_candidate_write in the same transaction. Returns 0 or -1 (also
 * when the pair exists already).
 */
int store_candidate_insert(struct store *st, struct store_conn *c,
    const char *neph_index, const char *category, const char *gearbox,
    int64_t now, int64_t *id);

/* Writes the sealed columns, gearbox and updated_at of cand (by id).
 * Returns 0, 1 when there is no such row, or -1. */
int store_candidate_write(struct store *st, struct store_conn *c,
    const struct store_candidate *cand);

/*
 * For the registry import, which prepares its rows outside the write
 * lock and writes them at the end in one short transaction, each write
 * conditional on what it saw.
 *
 * store_candidate_max_id reads the highest row id (0 when none) into
 * *max: new rows are numbered after it. store_candidate_insert_sealed
 * inserts cand whole with its own id (created_at = updated_at =
 * cand->created_at); -1 also when the id or the (neph_index, category)
 * pair is taken. store_candidate_id_sync brings the database's id
 * sequence past the rows so inserted (PostgreSQL; nothing in SQLite).
 * store_candidate_write_if writes like store_candidate_write only while
 * the row's updated_at is still seen_updated_at, and
 * store_candidate_unchanged checks just that: both return 0, 1 when the
 * row changed or is gone, or -1.
 */
int store_candidate_max_id(struct store *st, struct store_conn *c,
    int64_t *max);
int store_candidate_insert_sealed(struct store *st, struct store_conn *c,
    const struct store_candidate *cand);
int store_candidate_id_sync(struct store *st, struct store_conn *c);
int store_candidate_write_if(struct store *st, struct store_conn *c,
    const struct store_candidate *cand, int64_t seen_updated_at);
int store_candidate_unchanged(struct store *st, struct store_conn *c,
    int64_t id, int64_t seen_updated_at);

/* Links row id to the candidate account account_id (NULL unlinks).
 * Returns 0, 1 when there is no such row, or -1. */
int store_candidate_link(struct store *st, struct store_conn *c, int64_t id,
    const char *account_id);

/* Reads the ids of the rows linked to account_id (at most max) into ids,
 * their count into *n. Returns 0 or -1. */
int store_candidates_of_account(struct store *st, struct store_conn *c,
    const char *account_id, int64_t *ids, size_t max, size_t *n);

/* A candidate under a school's active mandate. */
struct store_mandated {
	int64_t candidate_id;
	int64_t mandate_id;
	char category[BK_CATEGORY_MAX];
	int64_t expires_at;
	char trainer[STORE_ID_MAX]; /* "" when none assigned */
};

typedef int (*store_mandated_fn)(void *arg, const struct store_mandated *m);

/*
 * Calls fn for each candidate under a mandate of school_id active at now
 * (state active, expires_at after now), oldest mandate first, at most
 * limit; with trainer not NULL, only those assigned to that trainer
 * account. fn returns 0 to go on. Returns 0 or -1.
 */
int store_candidates_mandated(struct store *st, struct store_conn *c,
    int64_t school_id, const char *trainer, int64_t now, long limit,
    store_mandated_fn fn, void *arg);

/* Reads the trainer account candidate_id is assigned to in school_id
 * into trainer (STORE_ID_MAX bytes). Returns 0, 1 when none, or -1. */
int store_candidate_trainer_get(struct store *st, struct store_conn *c,
    int64_t school_id, int64_t candidate_id, char *trainer, size_t size);

/* Assigns candidate_id to trainer in school_id (replacing any earlier
 * trainer) at now. Returns 0 or -1. */
int store_candidate_trainer_set(struct store *st, struct store_conn *c,
    int64_t school_id, int64_t candidate_id, const char *trainer, int64_t now);

/* Removes the assignment of candidate_id in school_id. Returns 0, 1 when
 * there was none, or -1. */
int store_candidate_trainer_clear(struct store *st, struct store_conn *c,
    int64_t school_id, int64_t candidate_id);

/* One exam of a candidate, as the candidate sees it. */
struct store_candidate_exam {
	int64_t id;
	int64_t start_at;
	char centre[256]; /* the exam centre's name */
	char address[256]; /* the exam centre's address */
	char school[256]; /* the name of the school that booked it */
	char department[BK_DEPARTMENT_MAX];
	char category[BK_CATEGORY_MAX];
	char status[16]; /* booked, cancelled, passed, failed, absent */
};

typedef int (*store_exam_fn)(void *arg, const struct store_candidate_exam *e);

/* Calls fn for each exam of candidate_id, latest first, at most limit.
 * Returns 0 or -1. */
int store_candidate_exams(struct store *st, struct store_conn *c,
    int64_t candidate_id, long limit, store_exam_fn fn, void *arg);

#endif
