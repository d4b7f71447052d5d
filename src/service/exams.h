/*
 * exams.h (service) - booked exams: cancel, replace, swap (RULES.md rule
 * 8 with rules 1, 6 and 7), the dispatcher's results, and the school's
 * threshold status (rule 3). Each change is one transaction with its
 * audit entry and notifications.
 *
 * Functions return a RULES.md code (BK_OK, or the refusal with nothing
 * written) or -1 when the storage failed.
 */
#ifndef CRENEAU_SERVICE_EXAMS_H
#define CRENEAU_SERVICE_EXAMS_H

#include "service/service.h"
#include "store/exams.h"

/*
 * Cancels exam_id of school_id at now: the slot is free again, and a
 * cancellation less than 7 days before the exam starts the candidate's
 * waiting delay (*late, may be NULL, says so). Returns BK_OK,
 * BK_EXAMEN_INCONNU, BK_EXAMEN_DEJA_ANNULE, BK_EXAMEN_NON_MODIFIABLE,
 * BK_CANDIDAT_PAS_SOUS_MANDAT, or -1.
 */
int svc_exam_cancel(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t exam_id, int64_t now, int *late);

/*
 * Puts candidate_id on exam_id instead of its candidate: the new one must
 * be under the school's mandate and eligible (rule 6). *until (may be
 * NULL) receives the end of a waiting delay. Returns BK_OK, a code of
 * exam_replace (src/booking/exam.h), of rule 1 or of rule 6, or -1.
 */
int svc_exam_replace(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t exam_id, int64_t candidate_id, int64_t now,
    int64_t *until);

/* Exchanges the candidates of exams a and b of school_id. Returns BK_OK, a
 * code of exam_swap, BK_CANDIDAT_PAS_SOUS_MANDAT, or -1. */
int svc_exam_swap(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t a, int64_t b, int64_t now);

/*
 * The dispatcher records result (EXAM_PASSED, EXAM_FAILED or
 * EXAM_ABSENT) for exam_id once it has started. Returns BK_OK,
 * BK_EXAMEN_INCONNU, BK_EXAMEN_DEJA_ANNULE, BK_PARAMETRE_INVALIDE (not
 * started yet, or not a result), or -1.
 */
int svc_exam_result(const struct svc *s, const struct svc_actor *who,
    int64_t exam_id, enum exam_status result, int64_t now);

/* Calls fn for each exam of school_id starting in [from, to) (to 0:
 * no end), at most limit. Returns 0, fn's result, or -1. */
int svc_exams_of_school(const struct svc *s, int64_t school_id, int64_t from,
    int64_t to, long limit,
    int (*fn)(void *arg, const struct store_exam_listed *e), void *arg);

/* The authority's view: every exam of centre (0: all) starting in
 * [from, to), at most limit. Returns 0, fn's result, or -1. */
int svc_exams_of_centre(const struct svc *s, int64_t centre, int64_t from,
    int64_t to, long limit,
    int (*fn)(void *arg, const struct store_exam_listed *e), void *arg);

/* One coming exam of a trainer's candidate, the candidate's name opened
 * (wiped after the call). */
struct svc_trainer_exam {
	const struct store_exam_listed *e; /* with the centre's address */
	const char *last_name, *first_names;
};

#define SVC_TRAINER_EXAMS_MAX 500 /* listed in one answer */

/*
 * Calls fn for each coming exam (booked, starting after now) of school_id
 * whose candidate is assigned to the trainer account and under an active
 * mandate of the school at now (RULES.md rule 1: a revoked or expired
 * mandate hides the exam as it hides the candidate), by start, at most
 * SVC_TRAINER_EXAMS_MAX. Returns 0, fn's result, or -1.
 */
int svc_trainer_exams(const struct svc *s, int64_t school_id,
    const char *trainer, int64_t now,
    int (*fn)(void *arg, const struct svc_trainer_exam *t), void *arg);

/* One line of a school's threshold status for a month. */
struct svc_quota_line {
	const char *department, *category; /* borrowed during the call */
	int64_t etp_centi, coefficient_centi, quota, used, left;
};

/* Calls fn for each department and category of school_id in month
 * (yyyymm). Returns 0, fn's result, or -1. */
int svc_quota_status(const struct svc *s, int64_t school_id, int64_t month,
    int (*fn)(void *arg, const struct svc_quota_line *l), void *arg);

#endif
