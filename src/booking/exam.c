/* exam.c - rules 7 and 8: frozen past, cancel, replace, swap. */
#include "booking/exam.h"

#include <string.h>

#include "booking/eligibility.h"

enum bk_code
exam_check_modifiable(int64_t start_at, int64_t now)
{
	return now < start_at ? BK_OK : BK_EXAMEN_NON_MODIFIABLE;
}

enum bk_code
exam_check_change(const struct bk_exam *e, int64_t school_id, int64_t now)
{
	if (e->school_id != school_id)
		return BK_EXAMEN_INCONNU;
	if (e->status == EXAM_CANCELLED)
		return BK_EXAMEN_DEJA_ANNULE;
	if (e->status != EXAM_BOOKED)
		return BK_EXAMEN_NON_MODIFIABLE;
	return exam_check_modifiable(e->start_at, now);
}

enum bk_code
exam_cancel(const struct booking_rules *r, struct bk_exam *e,
    struct bk_slot *slot, int64_t school_id, int64_t now, int *late)
{
	enum bk_code code = exam_check_change(e, school_id, now);

	if (code != BK_OK)
		return code;
	e->status = EXAM_CANCELLED;
	e->cancelled_at = now;
	if (slot != NULL)
		slot->state = SLOT_FREE;
	if (late != NULL)
		*late = eligibility_cancel_is_late(r, e->start_at, now);
	return BK_OK;
}

enum bk_code
exam_replace(const struct booking_rules *r, struct bk_exam *e,
    int64_t school_id, int64_t candidate_id, int64_t now)
{
	enum bk_code code = exam_check_change(e, school_id, now);

	if (code != BK_OK)
		return code;
	if (candidate_id == 0 || candidate_id == e->candidate_id)
		return BK_PARAMETRE_INVALIDE;
	if (e->replacements >= r->replacements_max)
		return BK_NOMBRE_DE_REMPLACEMENTS_AUTORISES_ATTEINT;
	e->candidate_id = candidate_id;
	e->replacements++;
	return BK_OK;
}

enum bk_code
exam_check_swap(const struct bk_exam *a, const struct bk_exam *b,
    int64_t school_id, int64_t now)
{
	enum bk_code ca, cb;

	if (a->school_id != school_id || b->school_id != school_id)
		return BK_EXAMEN_INCONNU;
	if (a->status == EXAM_CANCELLED || b->status == EXAM_CANCELLED)
		return BK_EXAMEN_DEJA_ANNULE;
	/* Rule 7 before rule 8: a started exam is frozen, whatever the
	 * other one is. */
	ca = exam_check_change(a, school_id, now);
	cb = exam_check_change(b, school_id, now);
	if (ca != BK_OK || cb != BK_OK)
		return BK_EXAMEN_NON_MODIFIABLE;
	if (a == b || a->id == b->id || a->candidate_id == b->candidate_id ||
	    strncmp(a->category, b->category, BK_CATEGORY_MAX) != 0)
		return BK_PERMUTATION_IMPOSSIBLE;
	return BK_OK;
}

enum bk_code
exam_swap(struct bk_exam *a, struct bk_exam *b, int64_t school_id, int64_t now)
{
	enum bk_code code = exam_check_swap(a, b, school_id, now);
	int64_t c;

	if (code != BK_OK)
		return code;
	c = a->candidate_id;
	a->candidate_id = b->candidate_id;
	b->candidate_id = c;
	return BK_OK;
}
