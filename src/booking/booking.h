/*
 * booking.h - the plain structs shared by the exam-booking rules.
 *
 * The booking domain is plain functions over these structs: no I/O, no
 * global state, no allocation. Times are int64 milliseconds since the
 * epoch, UTC, always passed in by the caller. Identifiers are the store's
 * int64 ids (0: none). Strings are NUL-terminated inside fixed arrays.
 */
#ifndef CRENEAU_BOOKING_H
#define CRENEAU_BOOKING_H

#include <stddef.h>
#include <stdint.h>

#include "booking/codes.h"
#include "booking/config.h"

enum slot_state {
	SLOT_FREE,
	SLOT_HELD, /* in a basket */
	SLOT_BOOKED,
	SLOT_CANCELLED /* withdrawn by the authority */
};

struct bk_slot {
	int64_t id;
	char department[BK_DEPARTMENT_MAX]; /* of the slot's centre */
	char category[BK_CATEGORY_MAX];
	int64_t start_at;
	int64_t published_at; /* invisible to schools before */
	enum slot_state state;
};

enum exam_status {
	EXAM_BOOKED, /* no result yet */
	EXAM_CANCELLED,
	EXAM_PASSED,
	EXAM_FAILED,
	EXAM_ABSENT
};

struct bk_exam {
	int64_t id;
	int64_t slot_id;
	int64_t school_id;
	int64_t candidate_id;
	char department[BK_DEPARTMENT_MAX];
	char category[BK_CATEGORY_MAX];
	int64_t start_at;
	enum exam_status status;
	int64_t cancelled_at; /* when status is EXAM_CANCELLED */
	int replacements; /* rule 8 */
};

#endif
