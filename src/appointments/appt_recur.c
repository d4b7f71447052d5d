/* appt_recur.c - weekly recurrences in Europe/Paris local time (opening
 * hours and recurring absences) and one-off absences: validation and
 * expansion into UTC intervals. */
#include "appointments/appt_recur.h"

#include "appointments/appt_time.h"

enum appt_code
appt_recur_validate(const struct appt_recur *r, struct appt_error *err)
{
	const enum appt_code bad = APPT_PARAMETRE_INVALIDE;

	if (r == NULL)
		return appt_error_set(err, bad, NULL, NULL);
	if (r->first_day < APPT_DAY_MIN || r->first_day > APPT_DAY_MAX)
		return appt_error_set(err, bad, "first_day",
		    "doit être une date valide (AAAA-MM-JJ)");
	if (r->last_day != APPT_NO_END &&
	    (r->last_day < r->first_day || r->last_day > APPT_DAY_MAX))
		return appt_error_set(err, bad, "last_day",
		    "doit être une date valide, égale ou postérieure à la date de début");
	if (r->every_weeks < 1 || r->every_weeks > APPT_RECUR_WEEKS_MAX)
		return appt_error_set(err, bad, "every_weeks",
		    "doit être un nombre de semaines entre 1 et 52");
	if (r->weekdays == 0 || (r->weekdays & ~APPT_WEEKDAYS_ALL) != 0)
		return appt_error_set(err, bad, "weekdays",
		    "doit contenir au moins un jour de la semaine (lundi à dimanche)");
	if (r->start_minute < 0 || r->start_minute >= APPT_DAY_MINUTES)
		return appt_error_set(err, bad, "start_time",
		    "doit être une heure entre 00:00 et 23:59");
	if (r->end_minute <= r->start_minute ||
	    r->end_minute > APPT_DAY_MINUTES)
		return appt_error_set(err, bad, "end_time",
		    "doit être une heure postérieure à l'heure de début, au plus 24:00");
	if (r->n_exceptions > APPT_RECUR_EXCEPTIONS_MAX ||
	    (r->n_exceptions > 0 && r->exceptions == NULL))
		return appt_error_set(err, bad, "exceptions",
		    "ne peut pas contenir plus de 366 dates");
	return appt_error_set(err, APPT_OK, NULL, NULL);
}

static int
is_exception(const struct appt_recur *r, int64_t day)
{
	size_t i;

	for (i = 0; i < r->n_exceptions; i++)
		if (r->exceptions[i] == day)
			return 1;
	return 0;
}

int
appt_recur_on_day(const struct appt_recur *r, int64_t day)
{
	int64_t weeks;

	if (r == NULL || day < r->first_day || day > r->last_day ||
	    r->every_weeks < 1)
		return 0;
	if ((r->weekdays & (1u << (appt_weekday(day) - 1))) == 0)
		return 0;
	weeks = (appt_week_monday(day) - appt_week_monday(r->first_day)) / 7;
	if (weeks % r->every_weeks != 0)
		return 0;
	return !is_exception(r, day);
}

size_t
appt_recur_expand(const struct appt_recur *r, int64_t from, int64_t to,
    struct appt_interval *out, size_t cap)
{
	int64_t day, first, last;
	size_t k = 0;

	if (r == NULL || from >= to)
		return 0;
	/* An occurrence lies within its local day: the days of the window,
	 * with one day of margin each side, hold every candidate. */
	first = appt_paris_day(from) - 1;
	last = appt_paris_day(to - 1) + 1;
	if (first < r->first_day)
		first = r->first_day;
	if (last > r->last_day)
		last = r->last_day;
	for (day = first; day <= last; day++) {
		struct appt_interval o;

		if (!appt_recur_on_day(r, day))
			continue;
		o.start = appt_paris_to_utc(day, r->start_minute, NULL);
		o.end = appt_paris_to_utc(day, r->end_minute, NULL);
		if (o.start >= o.end || o.end <= from || o.start >= to)
			continue;
		if (k < cap)
			out[k] = o;
		k++;
	}
	return k;
}

int
appt_recur_covers(const struct appt_recur *r, struct appt_interval x)
{
	struct appt_interval o[2];

	if (x.start >= x.end)
		return 0;
	/* Occurrences are disjoint: one that covers x is the only one
	 * overlapping it. */
	if (appt_recur_expand(r, x.start, x.end, o, 2) != 1)
		return 0;
	return appt_interval_contains(o[0], x);
}

/* Whether day is an occurrence day of r, exception days aside. */
static int
pattern_on_day(const struct appt_recur *r, int64_t day)
{
	struct appt_recur bare = *r;

	bare.exceptions = NULL;
	bare.n_exceptions = 0;
	return appt_recur_on_day(&bare, day);
}

static int64_t
gcd(int64_t x, int64_t y)
{
	while (y != 0) {
		int64_t t = x % y;

		x = y;
		y = t;
	}
	return x;
}

int
appt_recur_overlap(const struct appt_recur *a, const struct appt_recur *b,
    int64_t *day)
{
	int64_t lo, hi, period, d, end;
	size_t left;

	if (a == NULL || b == NULL || a->every_weeks < 1 || b->every_weeks < 1)
		return 0;
	if (a->start_minute >= b->end_minute ||
	    b->start_minute >= a->end_minute ||
	    (a->weekdays & b->weekdays) == 0)
		return 0;
	lo = a->first_day > b->first_day ? a->first_day : b->first_day;
	hi = a->last_day < b->last_day ? a->last_day : b->last_day;
	if (lo > hi)
		return 0;
	/* Both patterns repeat every lcm(every_weeks) weeks: the days of one
	 * period from lo hold every common weekday of that cycle. When the
	 * first period has no common day there is none. Each later period
	 * whose common days are all exception days uses up at least one of
	 * the finitely many exceptions, so one more period than there are
	 * exceptions settles it. */
	period = (int64_t)a->every_weeks / gcd(a->every_weeks, b->every_weeks) *
	    b->every_weeks * 7;
	left = a->n_exceptions + b->n_exceptions + 1;
	for (d = lo; left > 0 && d <= hi; left--) {
		int met = 0;

		end = hi - d < period ? hi : d + period - 1;
		for (; d <= end; d++) {
			if (!pattern_on_day(a, d) || !pattern_on_day(b, d))
				continue;
			met = 1;
			if (appt_recur_on_day(a, d) &&
			    appt_recur_on_day(b, d)) {
				if (day != NULL)
					*day = d;
				return 1;
			}
		}
		if (!met)
			return 0;
	}
	return 0;
}

enum appt_code
appt_absence_validate(const struct appt_absence *a, struct appt_error *err)
{
	if (a == NULL)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, NULL, NULL);
	if (a->recurring)
		return appt_recur_validate(&a->recur, err);
	if (a->once.end <= a->once.start ||
	    a->once.end - a->once.start > APPT_ABSENCE_SPAN_MAX_MS)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, "end",
		    "doit être postérieure au début, au plus un an après");
	return appt_error_set(err, APPT_OK, NULL, NULL);
}

size_t
appt_absence_expand(const struct appt_absence *a, int64_t from, int64_t to,
    struct appt_interval *out, size_t cap)
{
	if (a == NULL || from >= to)
		return 0;
	if (a->recurring)
		return appt_recur_expand(&a->recur, from, to, out, cap);
	if (!appt_interval_overlaps(a->once,
		(struct appt_interval){ from, to }))
		return 0;
	if (cap > 0)
		out[0] = a->once;
	return 1;
}
