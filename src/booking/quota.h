/*
 * quota.h - rule 3 of RULES.md: the trainer threshold (seuil formateur).
 *
 * For school S, department D, category C and calendar month M of the
 * exam date (in Europe/Paris): quota = floor(ETP(S, D, C) x
 * coefficient(D, C, M)). ETP and coefficients are fixed-point hundredths
 * (0.5 ETP is 50, 5.0 places per ETP is 500) so that the floor is exact.
 * The exams of S in (D, C, M) that are not cancelled count against it.
 * The store keeps the count exact under concurrent requests; these
 * functions decide.
 */
#ifndef CRENEAU_BOOKING_QUOTA_H
#define CRENEAU_BOOKING_QUOTA_H

#include "booking/booking.h"

/* A coefficient set by the dispatcher for one department, category and
 * month (yyyymm). */
struct quota_coefficient {
	char department[BK_DEPARTMENT_MAX];
	char category[BK_CATEGORY_MAX];
	int64_t month;
	int64_t centi; /* places per ETP x 100 */
};

/* Notification thresholds crossed, see quota_thresholds_crossed. */
#define QUOTA_CROSSED_LOW 0x1 /* r->notify_low_pct (80 %) */
#define QUOTA_CROSSED_FULL 0x2 /* r->notify_full_pct (100 %) */

/* Returns the month that counts for an exam starting at start_at: its
 * calendar month in Europe/Paris, as yyyymm. Pure. */
int64_t quota_month(int64_t start_at);

/*
 * Returns the coefficient (hundredths) for department, category and month:
 * the dispatcher's entry in table (n entries) when there is one,
 * r->coefficient_centi (5.0) otherwise. Pure.
 */
int64_t quota_coefficient(const struct booking_rules *r,
    const struct quota_coefficient *table, size_t n, const char *department,
    const char *category, int64_t month);

/*
 * Returns floor(ETP x coefficient) for etp_centi and coefficient_centi in
 * hundredths; 0 when either is zero, negative or over 10^8 (a million
 * ETP or places per ETP: a corrupt input, not a quota). Pure.
 */
int64_t quota_places(int64_t etp_centi, int64_t coefficient_centi);

/*
 * Counts the exams of exams (n) held by school in department, category
 * and month (yyyymm, of their start in Europe/Paris); cancelled ones do
 * not count. Pure.
 */
int64_t quota_count(const struct bk_exam *exams, size_t n, int64_t school_id,
    const char *department, const char *category, int64_t month);

/* Returns the places left, quota - counted, never below 0. Pure. */
int64_t quota_places_left(int64_t quota, int64_t counted);

/* May one more exam be booked when counted of quota are taken? Returns
 * BK_OK or BK_SEUIL_ATTEINT. Pure. */
enum bk_code quota_check(int64_t quota, int64_t counted);

/*
 * Returns which notification thresholds the count crossed going from
 * before to after exams out of quota: QUOTA_CROSSED_LOW when after
 * reaches r->notify_low_pct % of quota and before did not, likewise
 * QUOTA_CROSSED_FULL for r->notify_full_pct %; 0 for none, for a quota
 * of 0 or less, and when the count does not grow. Pure.
 */
unsigned quota_thresholds_crossed(const struct booking_rules *r, int64_t before,
    int64_t after, int64_t quota);

#endif
