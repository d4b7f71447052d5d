/*
 * slot_requests.h (store) - a regional supervisor's slot change requests
 * and the region-wide reads the supervisor's views need.
 *
 * The region is given as the id of the supervisor's school row: its
 * departments (school_departments) are the region, read by the queries
 * themselves, so a school id of 0 or a school without departments sees
 * nothing. None of these reads returns a candidate.
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing, -1 on a database failure.
 */
#ifndef CRENEAU_STORE_SLOT_REQUESTS_H
#define CRENEAU_STORE_SLOT_REQUESTS_H

#include <stddef.h>
#include <stdint.h>

#include "booking/booking.h"
#include "store/identity.h"
#include "store/store.h"

struct store_conn;

#define STORE_REASON_MAX 201 /* 200 bytes of note and the NUL */
/* The sealed note: 200 bytes and the field overhead (crypto/field.h). */
#define STORE_REASON_SEALED_MAX (STORE_REASON_MAX + 64)
#define STORE_SCHOOL_NAME_MAX 128

enum slot_request_kind { SLOT_REQUEST_MOVE, SLOT_REQUEST_CANCEL };

enum slot_request_state {
	SLOT_REQUEST_PENDING,
	SLOT_REQUEST_APPROVED,
	SLOT_REQUEST_REJECTED,
	SLOT_REQUEST_FAILED /* approved, but a rule no longer held */
};

/* One request as stored. */
struct store_slot_request {
	int64_t id;
	char org_id[STORE_ID_MAX]; /* the exam's school organisation */
	int64_t exam_id;
	enum slot_request_kind kind;
	int64_t target_slot_id; /* move only; 0 otherwise */
	char reason[STORE_REASON_MAX]; /* in clear, opened by the service */
	unsigned char sealed[STORE_REASON_SEALED_MAX]; /* reason_sealed */
	size_t sealed_len; /* 0: none (erased, or not sealed yet) */
	char requested_by[STORE_ID_MAX];
	int64_t requested_at;
	enum slot_request_state state;
	char decided_by[STORE_ID_MAX]; /* "" while pending */
	int64_t decided_at; /* 0 while pending */
	char outcome_code[32]; /* RULES.md code of a failed approval, "OK" */
};

/* Stored names of kinds and states ("move", "pending"...). */
const char *store_slot_request_kind_name(enum slot_request_kind k);
const char *store_slot_request_state_name(enum slot_request_state s);

/* Parse stored names. Return 0, or -1 when s names none. */
int store_slot_request_kind_parse(const char *s, enum slot_request_kind *out);
int store_slot_request_state_parse(const char *s, enum slot_request_state *out);

/* Inserts r (state pending; id, decision, reason ignored: the note is
 * written sealed by store_slot_request_seal) and sets r->id. Returns 0 or
 * -1. */
int store_slot_request_insert(struct store *st, struct store_conn *c,
    struct store_slot_request *r);

/* Writes the sealed note of request id (ct, n bytes; NULL: none) and
 * empties the old text column. Returns 0, 1 if there is none, or -1. */
int store_slot_request_seal(struct store *st, struct store_conn *c, int64_t id,
    const unsigned char *ct, size_t n);

/* A request whose note is still in clear in the old column (before
 * migration 13). Borrowed during the call. */
struct store_slot_request_legacy {
	int64_t id;
	const char *requested_by, *reason;
};

/* Calls fn for each request whose old text column is not empty, at most
 * limit. Returns 0, fn's result, or -1. */
int store_slot_requests_legacy(struct store *st, struct store_conn *c,
    long limit, int (*fn)(void *arg, const struct store_slot_request_legacy *l),
    void *arg);

/* Erases the notes of every request account_id wrote (sealed and old
 * column). Returns how many requests had one, or -1. */
long store_slot_requests_forget(struct store *st, struct store_conn *c,
    const char *account_id);

/* Reads request id into *r. Returns 0, 1 when there is none, or -1. */
int store_slot_request_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_slot_request *r);

/* Records the decision of pending request r->id: state, decided_by,
 * decided_at and outcome_code from r. Returns 0, 1 when it is no longer
 * pending (nothing written), or -1. */
int store_slot_request_decide(struct store *st, struct store_conn *c,
    const struct store_slot_request *r);

/* What a listing of requests asks: the requester's own (requested_by) or
 * a school's (org_id); state (may be NULL) filters. */
struct store_slot_request_query {
	const char *requested_by;
	const char *org_id;
	const char *state;
	long limit;
};

/* One request listed, with what the lists show of its exam. */
struct store_slot_request_listed {
	struct store_slot_request r;
	int64_t exam_start_at, target_start_at; /* 0 when unknown */
	const char *school_name, *centre_name; /* borrowed during the call */
};

/* Calls fn for each request matching q, newest first. Returns 0, fn's
 * non-zero result, or -1. */
int store_slot_requests_list(struct store *st, struct store_conn *c,
    const struct store_slot_request_query *q,
    int (*fn)(void *arg, const struct store_slot_request_listed *l), void *arg);

/* Moves exam id to slot, with the slot's start, department and quota
 * month. Returns 0, 1 when there is no such exam, or -1. */
int store_exam_move(struct store *st, struct store_conn *c, int64_t id,
    const struct bk_slot *slot, int64_t month);

/* Is department one of region_school's departments? Returns 1 (yes), 0
 * (no) or -1. */
int store_region_has(struct store *st, struct store_conn *c,
    int64_t region_school, const char *department);

/* One exam of the region as the supervisor sees it: no candidate. */
struct store_region_exam {
	int64_t id, slot_id, start_at;
	const char *department, *category, *status; /* borrowed */
	const char *school_name, *centre_name; /* borrowed */
};

/* Calls fn for each booked exam in region_school's departments starting
 * in [from, to), by start, at most limit. Returns 0, fn's result, or -1. */
int store_region_exams(struct store *st, struct store_conn *c,
    int64_t region_school, int64_t from, int64_t to, long limit,
    int (*fn)(void *arg, const struct store_region_exam *e), void *arg);

/* One slot of the region: its state and when it was published. */
struct store_region_slot {
	int64_t id, start_at, published_at, centre_id;
	enum slot_state state;
	const char *department, *category, *centre_name; /* borrowed */
};

/* Calls fn for each slot (cancelled ones too) in region_school's
 * departments starting in [from, to), published at or before
 * published_before, by start; state (NULL: any) filters. At most limit.
 * Returns 0, fn's result, or -1. */
int store_region_slots(struct store *st, struct store_conn *c,
    int64_t region_school, int64_t from, int64_t to, int64_t published_before,
    const char *category, const char *state, long limit,
    int (*fn)(void *arg, const struct store_region_slot *s), void *arg);

/* Calls fn with department, start and school name of each exam that is
 * not cancelled in region_school's departments starting in [from, to).
 * Returns 0, fn's result, or -1. */
int store_region_exam_counts(struct store *st, struct store_conn *c,
    int64_t region_school, int64_t from, int64_t to,
    int (*fn)(void *arg, const char *department, int64_t start_at,
	const char *school),
    void *arg);

/* Calls fn for each active school_admin account of organisation org_id.
 * Returns 0, fn's result, or -1. */
int store_org_admins(struct store *st, struct store_conn *c, const char *org_id,
    int (*fn)(void *arg, const char *account_id), void *arg);

#endif
