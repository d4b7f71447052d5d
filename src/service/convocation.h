/*
 * convocation.h (service) - the convocation to an exam, for the
 * candidate sitting it and for the school that booked it.
 *
 * One read transaction gathers what the document says: the exam, its
 * slot's centre (name, address, department), the school's name, and the
 * candidate's name and NEPH opened under the candidate's own key. Only a
 * booked exam has a convocation.
 */
#ifndef CRENEAU_SVC_CONVOCATION_H
#define CRENEAU_SVC_CONVOCATION_H

#include <stdint.h>

#include "convocation/convocation.h"
#include "service/service.h"

#define SVC_CONVOCATION_SAT 1000 /* not a RULES.md code: the API's own */

/*
 * Fills *out (wipe it with sodium_memzero) with the convocation to exam
 * exam_id at now, for:
 *   - account_id not NULL: the candidate account linked to the exam's
 *     candidate;
 *   - otherwise school_id: the school that booked the exam, while it
 *     holds the candidate's mandate for the exam's category (rule 1).
 * Returns BK_OK, BK_EXAMEN_INCONNU (no such exam for that reader, or one
 * the reader may no longer see), BK_EXAMEN_DEJA_ANNULE (cancelled),
 * SVC_CONVOCATION_SAT (its result is entered: no convocation any more),
 * or -1.
 */
int svc_convocation_get(const struct svc *s, const char *account_id,
    int64_t school_id, int64_t exam_id, int64_t now, struct convocation *out);

/*
 * As svc_convocation_get for the school school_id, and only when the
 * exam's candidate is assigned to the trainer account trainer in that
 * school: the trainer prints their candidate's convocation. Same returns.
 */
int svc_convocation_get_trainer(const struct svc *s, const char *trainer,
    int64_t school_id, int64_t exam_id, int64_t now, struct convocation *out);

#endif
