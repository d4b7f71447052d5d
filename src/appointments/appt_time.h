/*
 * appt_time.h - Europe/Paris wall-clock time for the appointments module.
 *
 * Instants are milliseconds since the epoch in UTC (int64_t), as in the
 * booking module; they are what the store keeps. A local date is a "day":
 * the number of days from 1970-01-01 to the civil date in Europe/Paris
 * (so 2026-03-29 is the same number whatever the offset). A local time of
 * day is minutes from local midnight, 0..1440.
 *
 * Europe/Paris is UTC+1 in winter and UTC+2 in summer, switching the last
 * Sunday of March at 01:00 UTC (02:00 local becomes 03:00) and the last
 * Sunday of October at 01:00 UTC (03:00 local becomes 02:00): see
 * booking/caltime.h. Two local times are therefore special:
 *  - a GAP: on the last Sunday of March, 02:00 <= t < 03:00 does not
 *    exist. It is read with the winter offset (the clock had not yet
 *    been moved), so 02:30 gives 01:30 UTC, which shows as 03:30 local:
 *    the time moves forward by the length of the gap, as RFC 5545 does.
 *  - a FOLD: on the last Sunday of October, 02:00 <= t < 03:00 happens
 *    twice. The first one (summer offset) is taken: 02:30 gives 00:30 UTC.
 * Office hours never fall there; the rule only makes the result defined.
 */
#ifndef CRENEAU_APPT_TIME_H
#define CRENEAU_APPT_TIME_H

#include <stddef.h>
#include <stdint.h>

#define APPT_MINUTE_MS INT64_C(60000)
#define APPT_HOUR_MS (60 * APPT_MINUTE_MS)
#define APPT_DAY_MS (24 * APPT_HOUR_MS)
#define APPT_WEEK_MS (7 * APPT_DAY_MS)
#define APPT_DAY_MINUTES 1440

/* Days 0001-01-01 .. 9999-12-31: the range parse and format accept. */
#define APPT_DAY_MIN INT64_C(-719162)
#define APPT_DAY_MAX INT64_C(2932896)

/* What appt_paris_to_utc found at a local time. */
enum appt_local_kind {
	APPT_LOCAL_NORMAL = 0, /* exists once */
	APPT_LOCAL_GAP, /* skipped in spring: read with the winter offset */
	APPT_LOCAL_FOLD /* twice in autumn: the first (summer) one taken */
};

/*
 * Returns the UTC instant of local date day at minute (0..1440; 1440 is
 * the next day's midnight) in Europe/Paris, following the GAP and FOLD
 * rules above, and sets *kind (may be NULL). Pure.
 */
int64_t appt_paris_to_utc(int64_t day, int minute, enum appt_local_kind *kind);

/* Returns the local date (day) of instant utc_ms in Europe/Paris. Pure. */
int64_t appt_paris_day(int64_t utc_ms);

/* Returns the local minute of the day (0..1439) of instant utc_ms in
 * Europe/Paris. Pure. */
int appt_paris_minute(int64_t utc_ms);

/* Returns the ISO weekday of local date day: 1 Monday .. 7 Sunday. Pure. */
int appt_weekday(int64_t day);

/* Returns the Monday of the week of local date day (a day). Pure. */
int64_t appt_week_monday(int64_t day);

/*
 * Parses "YYYY-MM-DD" (exactly 10 bytes of s, n the length, no NUL
 * needed; a real calendar date between APPT_DAY_MIN and APPT_DAY_MAX) into
 * *day. Returns 0, or -1 leaving *day unchanged.
 */
int appt_date_parse(const char *s, size_t n, int64_t *day);

/* Writes day as "YYYY-MM-DD" into buf (n >= 11). Returns 0, or -1 when n
 * is too small or day is outside APPT_DAY_MIN..APPT_DAY_MAX. */
int appt_date_format(int64_t day, char *buf, size_t n);

/*
 * Parses "HH:MM" (5 bytes, 00:00 .. 24:00, 24:00 only as itself) into
 * minutes from midnight. Returns 0, or -1 leaving *minute unchanged.
 */
int appt_hhmm_parse(const char *s, size_t n, int *minute);

/* Writes minute (0..1440) as "HH:MM" into buf (n >= 6). Returns 0 or -1. */
int appt_hhmm_format(int minute, char *buf, size_t n);

/*
 * Writes instant utc_ms as shown to a French user, in Europe/Paris:
 * "29/03/2026 à 09:00", into buf (n >= APPT_PARIS_TEXT_MAX). Returns 0 or
 * -1 (buf too small).
 */
#define APPT_PARIS_TEXT_MAX 24
int appt_paris_format(int64_t utc_ms, char *buf, size_t n);

#endif
