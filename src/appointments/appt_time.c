/* appt_time.c - Europe/Paris wall-clock time: local date and time to UTC
 * (with the spring gap and the autumn fold), dates and times as text. */
#include "appointments/appt_time.h"

#include <stdio.h>

#include "booking/caltime.h"

static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

int64_t
appt_paris_to_utc(int64_t day, int minute, enum appt_local_kind *kind)
{
	int64_t local = day * APPT_DAY_MS + minute * APPT_MINUTE_MS;
	int64_t winter = local - APPT_HOUR_MS,
		summer = local - 2 * APPT_HOUR_MS;
	int w = caltime_paris_offset_ms(winter) == APPT_HOUR_MS;
	int s = caltime_paris_offset_ms(summer) == 2 * APPT_HOUR_MS;
	enum appt_local_kind k = APPT_LOCAL_NORMAL;
	int64_t utc;

	if (w && s) {
		k = APPT_LOCAL_FOLD;
		utc = summer;
	} else if (s) {
		utc = summer;
	} else if (w) {
		utc = winter;
	} else {
		k = APPT_LOCAL_GAP;
		utc = winter;
	}
	if (kind != NULL)
		*kind = k;
	return utc;
}

int64_t
appt_paris_day(int64_t utc_ms)
{
	return floordiv(utc_ms + caltime_paris_offset_ms(utc_ms), APPT_DAY_MS);
}

int
appt_paris_minute(int64_t utc_ms)
{
	int64_t local = utc_ms + caltime_paris_offset_ms(utc_ms);

	return (int)((local - floordiv(local, APPT_DAY_MS) * APPT_DAY_MS) /
	    APPT_MINUTE_MS);
}

int
appt_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (ISO 4). */
	int64_t m = (day + 3) % 7;

	if (m < 0)
		m += 7;
	return (int)m + 1;
}

int64_t
appt_week_monday(int64_t day)
{
	return day - (appt_weekday(day) - 1);
}

/* Reads n decimal digits of s. Returns the value or -1. */
static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
appt_date_parse(const char *s, size_t n, int64_t *day)
{
	int y, m, d;
	int64_t days, yy;
	int mm, dd;

	if (s == NULL || n != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	days = caltime_days_from_civil(y, m, d);
	caltime_civil_from_days(days, &yy, &mm, &dd);
	if (yy != y || mm != m || dd != d)
		return -1;
	*day = days;
	return 0;
}

int
appt_date_format(int64_t day, char *buf, size_t n)
{
	int64_t y;
	int m, d, w;

	if (buf == NULL || n < 11 || day < APPT_DAY_MIN || day > APPT_DAY_MAX)
		return -1;
	caltime_civil_from_days(day, &y, &m, &d);
	w = snprintf(buf, n, "%04d-%02d-%02d", (int)y, m, d);
	return (w == 10) ? 0 : -1;
}

int
appt_hhmm_parse(const char *s, size_t n, int *minute)
{
	int h, m;

	if (s == NULL || n != 5 || s[2] != ':')
		return -1;
	h = digits(s, 2);
	m = digits(s + 3, 2);
	if (h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0))
		return -1;
	*minute = h * 60 + m;
	return 0;
}

int
appt_hhmm_format(int minute, char *buf, size_t n)
{
	if (buf == NULL || n < 6 || minute < 0 || minute > APPT_DAY_MINUTES)
		return -1;
	return snprintf(buf, n, "%02d:%02d", minute / 60, minute % 60) == 5
	    ? 0
	    : -1;
}

int
appt_paris_format(int64_t utc_ms, char *buf, size_t n)
{
	int64_t day = appt_paris_day(utc_ms), y;
	int minute = appt_paris_minute(utc_ms), m, d, w;

	if (buf == NULL || n < APPT_PARIS_TEXT_MAX || day < APPT_DAY_MIN ||
	    day > APPT_DAY_MAX)
		return -1;
	caltime_civil_from_days(day, &y, &m, &d);
	w = snprintf(buf, n, "%02d/%02d/%04d à %02d:%02d", d, m, (int)y,
	    minute / 60, minute % 60);
	return (w > 0 && (size_t)w < n) ? 0 : -1;
}
