/* caltime.c - civil dates in UTC and Europe/Paris (Howard Hinnant's
 * days-from-civil algorithms). */
#include "booking/caltime.h"

#include "booking/config.h"

/* Floor division and modulo for a negative dividend, b > 0. */
static int64_t
floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

static int64_t
floormod(int64_t a, int64_t b)
{
	return a - floordiv(a, b) * b;
}

int64_t
caltime_days_from_civil(int64_t year, int month, int day)
{
	int64_t y = year - (month <= 2);
	int64_t era = floordiv(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

int64_t
caltime_day_split(int64_t ms, int64_t *of_day)
{
	const int64_t day = 24LL * 3600 * 1000;
	int64_t days = ms / day, rest = ms % day;

	if (rest < 0) {
		rest += day;
		days--;
	}
	*of_day = rest;
	return days;
}

void
caltime_civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
	int64_t z = days + 719468;
	int64_t era = floordiv(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = m;
	*year = yoe + era * 400 + (m <= 2);
}

int64_t
caltime_utc_ms(int64_t year, int month, int day, int hour, int minute)
{
	return caltime_days_from_civil(year, month, day) * BK_DAY_MS +
	    hour * BK_HOUR_MS + minute * BK_MINUTE_MS;
}

int64_t
caltime_last_sunday(int64_t year, int month)
{
	int64_t last;

	if (month == 12)
		last = caltime_days_from_civil(year + 1, 1, 1) - 1;
	else
		last = caltime_days_from_civil(year, month + 1, 1) - 1;
	/* 1970-01-01 was a Thursday: weekday 4 with Sunday as 0. */
	return last - floormod(last + 4, 7);
}

int64_t
caltime_paris_offset_ms(int64_t utc_ms)
{
	int64_t year, start, end;
	int month, day;

	caltime_civil_from_days(floordiv(utc_ms, BK_DAY_MS), &year, &month,
	    &day);
	start = caltime_last_sunday(year, 3) * BK_DAY_MS + BK_HOUR_MS;
	end = caltime_last_sunday(year, 10) * BK_DAY_MS + BK_HOUR_MS;
	return (utc_ms >= start && utc_ms < end) ? 2 * BK_HOUR_MS : BK_HOUR_MS;
}

int64_t
caltime_paris_month(int64_t utc_ms)
{
	int64_t local = utc_ms + caltime_paris_offset_ms(utc_ms);
	int64_t year;
	int month, day;

	caltime_civil_from_days(floordiv(local, BK_DAY_MS), &year, &month,
	    &day);
	return year * 100 + month;
}

static int
month_days(int64_t year, int month)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return len[month - 1] + (month == 2 && leap);
}

int64_t
caltime_add_months(int64_t utc_ms, int months)
{
	int64_t days = floordiv(utc_ms, BK_DAY_MS);
	int64_t tod = utc_ms - days * BK_DAY_MS;
	int64_t year, idx;
	int month, day;

	caltime_civil_from_days(days, &year, &month, &day);
	idx = year * 12 + (month - 1) + months;
	year = floordiv(idx, 12);
	month = (int)floormod(idx, 12) + 1;
	if (day > month_days(year, month))
		day = month_days(year, month);
	return caltime_days_from_civil(year, month, day) * BK_DAY_MS + tod;
}
