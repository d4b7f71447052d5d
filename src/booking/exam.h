/*
 * exam.h - rules 7 and 8 of RULES.md: the past is frozen; cancel,
 * replace and swap future exams.
 *
 * The acting school must first pass rule 1 (mandate_check_action) for
 * the candidates concerned, and for a replacement rule 6
 * (eligibility_check) for the new candidate: these functions check what
 * belongs to the exams themselves and apply the change to the structs.
 * An exam of another school does not exist for the caller
 * (BK_EXAMEN_INCONNU).
 */
#ifndef CRENEAU_BOOKING_EXAM_H
#define CRENEAU_BOOKING_EXAM_H

#include "booking/booking.h"

/*
 * Rule 7: may a slot or exam starting at start_at change at now? Returns
 * BK_OK before the start, BK_EXAMEN_NON_MODIFIABLE from the start on.
 * Pure.
 */
enum bk_code exam_check_modifiable(int64_t start_at, int64_t now);

/*
 * What cancel and replace check of exam e itself for school at now,
 * changing nothing: BK_EXAMEN_INCONNU (another school's exam),
 * BK_EXAMEN_DEJA_ANNULE, BK_EXAMEN_NON_MODIFIABLE (rule 7: started or
 * with a result), or BK_OK. Callers run it before rules 1 and 6 for the
 * candidates, so a frozen exam answers as frozen. Pure.
 */
enum bk_code exam_check_change(const struct bk_exam *e, int64_t school_id,
    int64_t now);

/*
 * Cancels exam e for school at now: e becomes EXAM_CANCELLED with
 * cancelled_at = now, slot (may be NULL) becomes SLOT_FREE, and *late (may
 * be NULL) says whether rule 6's late-cancellation delay applies.
 * Returns BK_OK; BK_EXAMEN_INCONNU (another school's exam),
 * BK_EXAMEN_DEJA_ANNULE, or BK_EXAMEN_NON_MODIFIABLE (started or with a
 * result), changing nothing.
 */
enum bk_code exam_cancel(const struct booking_rules *r, struct bk_exam *e,
    struct bk_slot *slot, int64_t school_id, int64_t now, int *late);

/*
 * Puts candidate_id on exam e of school at now, counting one more
 * replacement. Returns BK_OK; BK_EXAMEN_INCONNU, BK_EXAMEN_DEJA_ANNULE,
 * BK_EXAMEN_NON_MODIFIABLE, BK_PARAMETRE_INVALIDE (the same candidate or
 * none), or BK_NOMBRE_DE_REMPLACEMENTS_AUTORISES_ATTEINT once e has had
 * r->replacements_max (2), changing nothing.
 */
enum bk_code exam_replace(const struct booking_rules *r, struct bk_exam *e,
    int64_t school_id, int64_t candidate_id, int64_t now);

/*
 * What a swap of exams a and b for school at now checks, in this order,
 * changing nothing: BK_EXAMEN_INCONNU when either belongs to another
 * school, BK_EXAMEN_DEJA_ANNULE when either is cancelled,
 * BK_EXAMEN_NON_MODIFIABLE when either has started or has a result (rule
 * 7 comes before rule 8), BK_PERMUTATION_IMPOSSIBLE (the same exam or
 * candidate, different categories), or BK_OK. Pure.
 */
enum bk_code exam_check_swap(const struct bk_exam *a, const struct bk_exam *b,
    int64_t school_id, int64_t now);

/* Exchanges the candidates of exams a and b for school at now when
 * exam_check_swap allows it. Returns its code, changing nothing unless
 * BK_OK. */
enum bk_code exam_swap(struct bk_exam *a, struct bk_exam *b, int64_t school_id,
    int64_t now);

#endif
