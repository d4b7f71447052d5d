/*
 * eligibility.h - rule 6 of RULES.md: may a candidate be booked for an
 * exam of a category?
 *
 * Decided from the plain list of the candidate's exams (any categories;
 * only those of the asked category count). Waiting delays run from the
 * start of the exam that caused them (chosen): r's delays of that
 * category after a failure (10 days), after a cancellation less than
 * r->late_cancel_window_ms (7 days) before the start (30 days), after an
 * absence (40 days).
 */
#ifndef CRENEAU_BOOKING_ELIGIBILITY_H
#define CRENEAU_BOOKING_ELIGIBILITY_H

#include "booking/booking.h"

/*
 * Is a cancellation at cancelled_at of an exam starting at start_at late,
 * that is less than r->late_cancel_window_ms before the start? Exactly
 * the window before is not late. Returns 1 or 0. Pure.
 */
int eligibility_cancel_is_late(const struct booking_rules *r, int64_t start_at,
    int64_t cancelled_at);

/*
 * Returns when the waiting delay caused by exam e ends (start_at + the
 * delay of e's category for a failure, a late cancellation or an
 * absence), or 0 when e causes none. Pure.
 */
int64_t eligibility_penalty_end(const struct booking_rules *r,
    const struct bk_exam *e);

/*
 * May the candidate whose exams are exams (n) be booked at now for an
 * exam of category starting at at? Returns the first that applies of
 * BK_CANDIDAT_AYANT_DEJA_OBTENU_SON_EXAMEN (a passed exam),
 * BK_CANDIDAT_DEJA_INSCRIT (a booked exam not started at now),
 * BK_CANDIDAT_EN_ATTENTE_DE_RESULTAT (a booked exam started at now, no
 * result), BK_CANDIDAT_SOUS_PENALITE (a waiting delay ends after at: the
 * delay is about the exam's date, not the booking's, so an exam starting
 * at or after the delay's end may be booked during the delay; the latest
 * end is stored in *ends_at when ends_at is not NULL), or BK_OK. Pure.
 */
enum bk_code eligibility_check(const struct booking_rules *r,
    const struct bk_exam *exams, size_t n, const char *category, int64_t now,
    int64_t at, int64_t *ends_at);

#endif
