/*
 * exams.h (store) - the rows of exams (booked slots with their
 * candidate), read into and written from the domain's struct bk_exam, and
 * the counts the trainer threshold (rule 3) needs.
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing, -1 on a database failure.
 */
#ifndef CRENEAU_STORE_EXAMS_H
#define CRENEAU_STORE_EXAMS_H

#include <stddef.h>
#include <stdint.h>

#include "booking/booking.h"
#include "store/store.h"

struct store_conn;

#define STORE_EXAMS_MAX 64 /* of one candidate, in every category */

/* Reads the exams of candidate_id (at most max, oldest first) into out,
 * their count into *n. Returns 0 or -1. */
int store_exams_of_candidate(struct store *st, struct store_conn *c,
    int64_t candidate_id, struct bk_exam *out, size_t max, size_t *n);

/* Inserts e (status booked) counting in month (yyyymm, quota_month of its
 * start), booked by account booked_by at now, and sets e->id. Returns 0,
 * 1 when the slot already has a live exam, or -1. */
int store_exam_insert(struct store *st, struct store_conn *c, struct bk_exam *e,
    int64_t month, const char *booked_by, int64_t now);

/* Reads exam id into *e. Returns 0, 1 when there is none, or -1. */
int store_exam_get(struct store *st, struct store_conn *c, int64_t id,
    struct bk_exam *e);

/* Writes e's candidate, status, cancelled_at, replacements and result_at
 * (0: none). Returns 0, 1 when there is no such exam, or -1. */
int store_exam_update(struct store *st, struct store_conn *c,
    const struct bk_exam *e, int64_t result_at);

/* Counts the exams of school in department, category and month (yyyymm)
 * that are not cancelled into *n. Returns 0 or -1. */
int store_exams_quota_count(struct store *st, struct store_conn *c,
    int64_t school, const char *department, const char *category, int64_t month,
    int64_t *n);

/*
 * Records that school was notified of level (80, 100) for department,
 * category and month at now. Returns 0 when recorded now, 1 when it had
 * been already (notify once), or -1.
 */
int store_quota_notice(struct store *st, struct store_conn *c, int64_t school,
    const char *department, const char *category, int64_t month, int level,
    int64_t now);

/* One exam of a school's list, with its centre. */
struct store_exam_listed {
	struct bk_exam exam;
	int64_t centre_id;
	const char *centre_name; /* borrowed during the call */
	const char *centre_address; /* borrowed; NULL when not read */
};

/* Calls fn for each exam of school (0: every school) at centre (0:
 * every centre) starting in [from, to) (by start), at most limit.
 * Returns 0, fn's non-zero result, or -1. */
int store_exams_list(struct store *st, struct store_conn *c, int64_t school,
    int64_t centre, int64_t from, int64_t to, long limit,
    int (*fn)(void *arg, const struct store_exam_listed *e), void *arg);

/* Calls fn for each exam of school starting in [from, to) (by start),
 * at most limit. Returns 0, fn's non-zero result, or -1. */
int store_exams_of_school(struct store *st, struct store_conn *c,
    int64_t school, int64_t from, int64_t to, long limit,
    int (*fn)(void *arg, const struct store_exam_listed *e), void *arg);

/*
 * Calls fn for each booked (not cancelled, no result yet) exam of school
 * starting after from whose candidate the school assigned to the trainer
 * account, with its centre's name and address, by start, at most limit.
 * Returns 0, fn's non-zero result, or -1.
 */
int store_exams_of_trainer(struct store *st, struct store_conn *c,
    int64_t school, const char *trainer, int64_t from, long limit,
    int (*fn)(void *arg, const struct store_exam_listed *e), void *arg);

/* One threshold group of a school: department, category, trainers' ETP
 * (hundredths) and the exams counted in the month asked. */
struct store_quota_group {
	const char *department, *category; /* borrowed during the call */
	int64_t etp_centi;
	int64_t used;
};

/* Calls fn for each department and category where school has trainers'
 * ETP or exams in month (yyyymm). Returns 0, fn's result, or -1. */
int store_quota_groups(struct store *st, struct store_conn *c, int64_t school,
    int64_t month, int (*fn)(void *arg, const struct store_quota_group *g),
    void *arg);

/* The stored name of an exam status ("booked", "passed"...). */
const char *store_exam_status_name(enum exam_status s);

/* Parses a stored status name. Returns 0 or -1. */
int store_exam_status_parse(const char *s, enum exam_status *out);

#endif
