/*
 * appt_recur.h - weekly recurrences in Europe/Paris local time: the
 * opening hours (plages d'ouverture) of an agent at a place, and the
 * agent's recurring absences; and one-off absences.
 *
 * A recurrence happens on the local dates d such that
 *  - first_day <= d, and d <= last_day unless last_day is APPT_NO_END;
 *  - the ISO weekday of d is in weekdays (bit 0 Monday .. bit 6 Sunday);
 *  - the week of d is a multiple of every_weeks weeks after the week of
 *    first_day (weeks start on Monday: every 2 weeks from Wednesday
 *    2026-01-07 on Mondays and Fridays gives Friday 01-09, Monday 01-19,
 *    Friday 01-23...);
 *  - d is not one of the exception days;
 * and each occurrence runs from start_minute to end_minute local time on
 * d. The local time is kept across daylight-saving changes: 09:00-12:00
 * is 08:00-11:00 UTC in winter and 07:00-10:00 UTC in summer. A bound
 * that falls in the spring gap or the autumn fold follows appt_time.h:
 * an occurrence over the switch is 1 h shorter (spring) or longer
 * (autumn) in UTC, and one that starts in the spring gap and ends less
 * than an hour of wall clock after it (02:30-03:15, read 01:30-01:15
 * UTC) is empty and skipped.
 *
 * Days are local dates (appt_time.h: days since 1970-01-01); instants
 * are UTC ms. Nothing here allocates.
 */
#ifndef CRENEAU_APPT_RECUR_H
#define CRENEAU_APPT_RECUR_H

#include <stddef.h>
#include <stdint.h>

#include "appointments/appt_codes.h"
#include "appointments/appt_interval.h"

#define APPT_NO_END INT64_MAX /* last_day of an open-ended recurrence */
#define APPT_RECUR_WEEKS_MAX 52 /* every_weeks is 1..52 */
#define APPT_RECUR_EXCEPTIONS_MAX 366 /* exception days per recurrence */
#define APPT_ABSENCE_SPAN_MAX_MS (366 * INT64_C(86400000)) /* one-off */

/* Weekday bits of appt_recur.weekdays. */
#define APPT_MONDAY (1u << 0)
#define APPT_TUESDAY (1u << 1)
#define APPT_WEDNESDAY (1u << 2)
#define APPT_THURSDAY (1u << 3)
#define APPT_FRIDAY (1u << 4)
#define APPT_SATURDAY (1u << 5)
#define APPT_SUNDAY (1u << 6)
#define APPT_WEEKDAYS_ALL 0x7fu

struct appt_recur {
	int64_t first_day; /* local date of the first possible occurrence */
	int64_t last_day; /* last possible one, included, or APPT_NO_END */
	int every_weeks; /* 1 = every week, 2 = every other week... */
	unsigned weekdays; /* APPT_MONDAY | APPT_THURSDAY ... */
	int start_minute; /* local time of day, 0..1439 */
	int end_minute; /* local, start_minute < end_minute <= 1440 */
	const int64_t *exceptions; /* local dates skipped, any order */
	size_t n_exceptions; /* exceptions may be NULL when 0 */
};

/*
 * Checks r and returns APPT_OK, or APPT_PARAMETRE_INVALIDE with err (may
 * be NULL) naming the first field at fault, in this order: "first_day"
 * (outside APPT_DAY_MIN..APPT_DAY_MAX), "last_day" (before first_day, or
 * beyond APPT_DAY_MAX and not APPT_NO_END), "every_weeks" (not 1..52),
 * "weekdays" (empty or bits beyond Sunday), "start_time" (not 0..1439),
 * "end_time" (not after start_time or beyond 24:00), "exceptions" (more
 * than APPT_RECUR_EXCEPTIONS_MAX, or NULL with a count). Pure.
 */
enum appt_code appt_recur_validate(const struct appt_recur *r,
    struct appt_error *err);

/* Returns 1 when r has an occurrence on local date day (exceptions
 * applied), else 0. Pure. */
int appt_recur_on_day(const struct appt_recur *r, int64_t day);

/*
 * Writes into out (capacity cap) the occurrences of r, as UTC intervals
 * in increasing order, that overlap the window [from, to), whole (not cut
 * to the window). Returns how many there are in all, which exceeds cap
 * when out was too small (out then holds the first cap): call with cap 0
 * to size a buffer. r must be valid (appt_recur_validate). Pure; O(days
 * of the window).
 */
size_t appt_recur_expand(const struct appt_recur *r, int64_t from, int64_t to,
    struct appt_interval *out, size_t cap);

/* Returns 1 when x (UTC) lies entirely within one occurrence of r, else
 * 0: the "slot within opening hours" test for one plage. Pure. */
int appt_recur_covers(const struct appt_recur *r, struct appt_interval x);

/*
 * Returns 1 when a and b have an occurrence on the same local date with
 * overlapping times of day (two plages of one agent that would open the
 * same minutes), else 0; when 1 and day is not NULL, *day is the first
 * such date. Exact for every-N-weeks recurrences: every other week from
 * week 0 and every other week from week 1 never meet; every 2 and every
 * 3 weeks meet every 6 weeks. Exception days are honoured. Times that
 * only touch (09:00-12:00 and 12:00-17:00) do not overlap. a and b must
 * be valid (appt_recur_validate). Pure, no allocation; bounded by the
 * common period (at most 52 * 51 weeks) times one more than the number
 * of exception days.
 */
int appt_recur_overlap(const struct appt_recur *a, const struct appt_recur *b,
    int64_t *day);

/*
 * An absence of an agent: one-off (a UTC interval, possibly over several
 * days: « congés du 3 au 14 août ») or recurring (the recurrence shape
 * above, « tous les mercredis après-midi »).
 */
struct appt_absence {
	int recurring; /* 0: once is used; 1: recur is used */
	struct appt_interval once;
	struct appt_recur recur;
};

/*
 * Checks a: a recurring one as appt_recur_validate; a one-off one returns
 * APPT_PARAMETRE_INVALIDE with field "end" when once.end <= once.start or
 * the span exceeds APPT_ABSENCE_SPAN_MAX_MS. Pure.
 */
enum appt_code appt_absence_validate(const struct appt_absence *a,
    struct appt_error *err);

/* As appt_recur_expand for an absence: a one-off one gives its interval
 * when it overlaps [from, to). Pure. */
size_t appt_absence_expand(const struct appt_absence *a, int64_t from,
    int64_t to, struct appt_interval *out, size_t cap);

#endif
