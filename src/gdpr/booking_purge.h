/*
 * booking_purge.h - the retention rules of the booking data
 * (config/datamap.ini, PRIVACY.md section 2), called by the retention
 * engine (gdpr/retention.c).
 *
 * - candidate_identity: a candidate's file closes when the licence is
 *   obtained (an exam of theirs passed) or when closed_at is set; 4
 *   months later its registry row is shredded like an erasure
 *   (gdpr/rights_booking.h): identity emptied, key destroyed.
 * - exam_data: an exam's date, centre and result are kept until the end
 *   of the result's validity, then the row is purged. A practical exam's
 *   result is valid 4 months: the pass certificate stands in for the
 *   licence for 4 months, and every waiting delay of the booking rules
 *   (40 days at most by default) is over well before. A cancelled exam
 *   counts from its cancellation, an exam whose result never came from
 *   its date.
 * - notifications: in-app notifications go 12 months after creation.
 */
#ifndef CRENEAU_BOOKING_PURGE_H
#define CRENEAU_BOOKING_PURGE_H

#include <stdint.h>

#include "auth/auth.h"

/* How long an exam result stays valid (see above). */
#define BOOKING_RESULT_VALIDITY_MONTHS 4

/* Registry rows shredded in one run at most (the rest go the next day). */
#define BOOKING_PURGE_BATCH 1000

/*
 * Closes at now, in one transaction, the registry files left without
 * activity since idle_cutoff (store_br_candidates_close_idle): the rule
 * candidate_identity then shreds them after its delay. Returns how many,
 * or -1.
 */
long booking_close_idle_candidates(const struct auth *a, int64_t idle_cutoff,
    int64_t now);

/*
 * Shreds at now each registry row whose file closed at or before cutoff,
 * one transaction (with its audit entry) per row, then destroys its key.
 * Returns how many rows were shredded, or -1.
 */
long booking_purge_candidates(const struct auth *a, int64_t cutoff,
    int64_t now);

/* Deletes the exams whose result (or cancellation, or date when no result
 * came) is at or before cutoff. Returns how many, or -1. */
long booking_purge_exams(const struct auth *a, int64_t cutoff);

/* Empties the inspector pseudonym of the slots that started at or
 * before cutoff, in one transaction. Returns how many, or -1. */
long booking_anonymise_slots(const struct auth *a, int64_t cutoff);

/* Deletes the in-app notifications created before cutoff. Returns how
 * many, or -1. */
long booking_purge_notifications(const struct auth *a, int64_t cutoff);

#endif
