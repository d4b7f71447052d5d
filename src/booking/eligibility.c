/* eligibility.c - rule 6: eligibility and waiting delays. */
#include "booking/eligibility.h"

#include <string.h>

int
eligibility_cancel_is_late(const struct booking_rules *r, int64_t start_at,
    int64_t cancelled_at)
{
	return start_at - cancelled_at < r->late_cancel_window_ms;
}

int64_t
eligibility_penalty_end(const struct booking_rules *r, const struct bk_exam *e)
{
	const struct booking_delays *d = booking_rules_delays(r, e->category);

	switch (e->status) {
	case EXAM_FAILED:
		return e->start_at + d->failure_ms;
	case EXAM_ABSENT:
		return e->start_at + d->absence_ms;
	case EXAM_CANCELLED:
		if (eligibility_cancel_is_late(r, e->start_at, e->cancelled_at))
			return e->start_at + d->late_cancel_ms;
		return 0;
	default:
		return 0;
	}
}

enum bk_code
eligibility_check(const struct booking_rules *r, const struct bk_exam *exams,
    size_t n, const char *category, int64_t now, int64_t at, int64_t *ends_at)
{
	int passed = 0, booked = 0, waiting = 0;
	int64_t end, latest = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strncmp(exams[i].category, category, BK_CATEGORY_MAX) != 0)
			continue;
		if (exams[i].status == EXAM_PASSED)
			passed = 1;
		else if (exams[i].status == EXAM_BOOKED &&
		    now < exams[i].start_at)
			booked = 1;
		else if (exams[i].status == EXAM_BOOKED)
			waiting = 1;
		/* The delay bars exams that start before its end, whenever
		 * they are booked. */
		end = eligibility_penalty_end(r, &exams[i]);
		if (end > at && end > latest)
			latest = end;
	}
	if (passed)
		return BK_CANDIDAT_AYANT_DEJA_OBTENU_SON_EXAMEN;
	if (booked)
		return BK_CANDIDAT_DEJA_INSCRIT;
	if (waiting)
		return BK_CANDIDAT_EN_ATTENTE_DE_RESULTAT;
	if (latest != 0) {
		if (ends_at != NULL)
			*ends_at = latest;
		return BK_CANDIDAT_SOUS_PENALITE;
	}
	return BK_OK;
}
