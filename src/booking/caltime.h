/*
 * caltime.h - civil dates in UTC and in Europe/Paris, without the C
 * library's time zone machinery (no TZ, no global state).
 *
 * France is UTC+1 in winter and UTC+2 in summer, from the last Sunday of
 * March 01:00 UTC to the last Sunday of October 01:00 UTC (EU rule in
 * force since 1996). Dates are proleptic Gregorian.
 */
#ifndef CRENEAU_BOOKING_CALTIME_H
#define CRENEAU_BOOKING_CALTIME_H

#include <stdint.h>

/* Returns the number of days from 1970-01-01 to year-month-day (month
 * 1..12, day 1..31), negative before 1970. Pure. */
int64_t caltime_days_from_civil(int64_t year, int month, int day);

/* Writes the civil date of days since 1970-01-01 into *year, *month
 * (1..12) and *day (1..31). Pure. */
void caltime_civil_from_days(int64_t days, int64_t *year, int *month, int *day);

/* Splits ms since the epoch (any clock: UTC, or a local time already
 * offset) into its day count since 1970-01-01 (returned, negative
 * before) and the milliseconds into that day (*of_day, 0 to one day).
 * Pure. */
int64_t caltime_day_split(int64_t ms, int64_t *of_day);

/* Returns the milliseconds since the epoch of the UTC time year-month-day
 * hour:minute. Pure. */
int64_t caltime_utc_ms(int64_t year, int month, int day, int hour, int minute);

/* Returns the day (days since 1970-01-01) of the last Sunday of month in
 * year. Pure. */
int64_t caltime_last_sunday(int64_t year, int month);

/* Returns the offset of Europe/Paris from UTC at instant utc_ms: one hour
 * or two hours, in milliseconds. Pure. */
int64_t caltime_paris_offset_ms(int64_t utc_ms);

/* Returns the calendar month of instant utc_ms in Europe/Paris as
 * year * 100 + month (202403 for March 2024). Pure. */
int64_t caltime_paris_month(int64_t utc_ms);

/*
 * Returns utc_ms moved months calendar months forward (UTC date, same time
 * of day), the day clamped to the end of a shorter month (31 January + 1
 * month is 28 or 29 February). Pure.
 */
int64_t caltime_add_months(int64_t utc_ms, int months);

#endif
