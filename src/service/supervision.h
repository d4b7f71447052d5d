/*
 * supervision.h (service) - the regional supervisor: aggregate planning
 * views and slot change requests that take effect only once an
 * administrator of the exam's school approves them (separation of
 * duties, PRODUCT.md).
 *
 * The region. A supervisor's region is the set of departments where the
 * supervisor's own organisation has establishments: the departments of
 * its school row (school_departments). An organisation without a school
 * row or without departments sees nothing. A school_manager holding
 * planning.read sees its own school's departments the same way.
 *
 * No candidate. The views count slots and exams and name schools and
 * centres; a request names an exam and a slot, never a candidate.
 *
 * Functions return a RULES.md code (BK_OK, or the refusal with nothing
 * written) or -1 when the storage failed, unless said otherwise.
 */
#ifndef CRENEAU_SERVICE_SUPERVISION_H
#define CRENEAU_SERVICE_SUPERVISION_H

#include "service/service.h"
#include "store/slot_requests.h"

#define SVC_REASON_MAX 200 /* bytes of a request's reason */
#define SVC_PLANNING_WEEKS_MAX 14 /* a quarter, [from, to) */
#define SVC_PLANNING_SCHOOLS_MAX 12 /* named per week; the rest summed */

/*
 * The supervisor who (of organisation who->org_id) asks at now that exam
 * exam_id be moved to target_slot_id (kind SLOT_REQUEST_MOVE) or
 * cancelled (SLOT_REQUEST_CANCEL), for reason (1 to SVC_REASON_MAX
 * bytes). Nothing changes on the exam; the administrators of the exam's
 * school are notified (slot_request.created). *id receives the request.
 * Returns BK_OK; BK_EXAMEN_INCONNU unless the exam is booked, starts
 * after now and lies in who's region; for a move BK_CRENEAU_INCONNU (no
 * such slot, not published yet, withdrawn, or outside the region),
 * BK_CRENEAU_DEJA_RESERVE (held or booked), BK_EXAMEN_NON_MODIFIABLE
 * (the slot has started), BK_PARAMETRE_INVALIDE (another category, or a
 * bad reason); or -1.
 */
int svc_slot_request_create(const struct svc *s, const struct svc_actor *who,
    int64_t exam_id, enum slot_request_kind kind, int64_t target_slot_id,
    const char *reason, int64_t now, int64_t *id);

/* What a decision did. */
struct svc_decision {
	enum slot_request_state state; /* approved, rejected or failed */
	int code; /* BK_OK, or the rule that no longer held (failed) */
	int late; /* a cancellation less than 7 days before: rule 6 delay */
};

/*
 * An administrator of the exam's school (who, of organisation
 * who->org_id) decides request id at now: reject, or approve, which
 * makes the change itself in the same transaction. Cancel: as the
 * school's own cancellation (rules 1, 7, 8; the slot is free again; the
 * late-cancellation delay). Move: the exam goes to the target slot if
 * rules 1, 2, 3 and 7 still hold and the slot is still free, published
 * and of the same category; the old slot is free again. When a rule no
 * longer holds, the request becomes failed with that code and nothing
 * else changes. Each step is audited; the requester is notified
 * (slot_request.decided), and on approval the school's staff too.
 * Returns 0 with *out filled, 1 when there is no such request for who's
 * organisation (another school's request does not exist for it), 2 when
 * it was decided already, 3 when who made the request (no one approves
 * their own), or -1.
 */
int svc_slot_request_decide(const struct svc *s, const struct svc_actor *who,
    int64_t id, int approve, int64_t now, struct svc_decision *out);

/* Calls fn for who's own requests (mine set) or for the requests to who's
 * organisation (mine 0), newest first, in state (NULL: all), at most
 * limit. Returns 0, fn's result, or -1. */
int svc_slot_requests_list(const struct svc *s, const struct svc_actor *who,
    int mine, const char *state, long limit,
    int (*fn)(void *arg, const struct store_slot_request_listed *l), void *arg);

/* One school's exams in a week of a department. */
struct svc_school_count {
	char name[STORE_SCHOOL_NAME_MAX];
	long exams;
};

/* The counts of one department in one week. */
struct svc_planning_week {
	char department[BK_DEPARTMENT_MAX];
	int64_t week; /* Monday, Paris time, as days since 1970-01-01 */
	long published, free, held, booked; /* published slots by state */
	long exams; /* not cancelled, every school */
	size_t nschools;
	struct svc_school_count schools[SVC_PLANNING_SCHOOLS_MAX];
	long other_exams; /* of schools past SVC_PLANNING_SCHOOLS_MAX */
};

/* The planning of a region: one line per department and week. */
struct svc_planning {
	size_t n;
	struct svc_planning_week lines[16 * SVC_PLANNING_WEEKS_MAX];
};

/*
 * Fills *out (cleared first) with, for each department of who's region
 * and each week (Monday 00:00 Paris time) overlapping [from, to): the
 * slots published by now starting in [from, to) that week, by state, and
 * the exams (not cancelled) per school. Counts only. Returns BK_OK,
 * BK_PARAMETRE_INVALIDE when [from, to) is empty or spans more than
 * SVC_PLANNING_WEEKS_MAX weeks, or -1.
 */
int svc_region_planning(const struct svc *s, const struct svc_actor *who,
    int64_t from, int64_t to, int64_t now, struct svc_planning *out);

/* Calls fn for each booked exam of who's region starting in [from, to),
 * at most limit: school, centre, date, category, status, no candidate.
 * Returns 0, fn's result, or -1. */
int svc_region_exams(const struct svc *s, const struct svc_actor *who,
    int64_t from, int64_t to, long limit,
    int (*fn)(void *arg, const struct store_region_exam *e), void *arg);

/* Calls fn for each free slot of who's region published by now, starting
 * in [from, to) (from at least now), of category (NULL: any), at most
 * limit: the targets a move may ask for. Returns 0, fn's result, or -1. */
int svc_region_free_slots(const struct svc *s, const struct svc_actor *who,
    int64_t from, int64_t to, const char *category, int64_t now, long limit,
    int (*fn)(void *arg, const struct store_region_slot *sl), void *arg);

/* Returns the Monday (Paris time) of the week of ms, as days since
 * 1970-01-01. Pure. */
int64_t svc_paris_week(int64_t ms);

/* Requests whose clear note is sealed per transaction at start-up. */
#define SVC_LEGACY_BATCH 500

/*
 * Opens the sealed note of r into r->reason with key (NULL: the key of
 * its author, r->requested_by). Returns 0; 1 when there is none or it
 * cannot be read any more (author erased: r->reason is ""); -1.
 */
int svc_slot_request_open(const struct auth *a, const struct data_key *key,
    struct store_slot_request *r);

/*
 * Moves the notes still in clear in the old column (written before
 * migration 13) into reason_sealed, sealed under their author's key, and
 * empties the old column; a note whose author was erased is dropped.
 * Batches of SVC_LEGACY_BATCH rows, each one transaction. Returns how many
 * rows were handled, or -1.
 */
long svc_slot_request_seal_legacy(const struct auth *a);

#endif
