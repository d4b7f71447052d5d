/* appt_interval.c - half-open UTC intervals: overlap, normalization,
 * lookup and subtraction over sorted lists. */
#include "appointments/appt_interval.h"

#include <stdlib.h>

int
appt_interval_overlaps(struct appt_interval a, struct appt_interval b)
{
	return a.start < b.end && b.start < a.end && a.start < a.end &&
	    b.start < b.end;
}

int
appt_interval_contains(struct appt_interval outer, struct appt_interval inner)
{
	return outer.start <= inner.start && inner.end <= outer.end &&
	    inner.start <= inner.end;
}

static int
by_start(const void *a, const void *b)
{
	const struct appt_interval *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return 0;
}

size_t
appt_intervals_normalize(struct appt_interval *v, size_t n)
{
	size_t i, k = 0;

	if (v == NULL || n == 0)
		return 0;
	qsort(v, n, sizeof(*v), by_start);
	for (i = 0; i < n; i++) {
		if (v[i].start >= v[i].end)
			continue;
		if (k > 0 && v[i].start <= v[k - 1].end) {
			if (v[i].end > v[k - 1].end)
				v[k - 1].end = v[i].end;
			continue;
		}
		v[k++] = v[i];
	}
	return k;
}

/* Returns the first interval of v (normalized, n) that ends after x
 * starts, or NULL when there is none or x is empty. O(log n). */
static const struct appt_interval *
first_ending_after(const struct appt_interval *v, size_t n,
    struct appt_interval x)
{
	size_t lo = 0, hi = n;

	if (v == NULL || x.start >= x.end)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].end <= x.start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n ? &v[lo] : NULL;
}

int
appt_intervals_overlap(const struct appt_interval *v, size_t n,
    struct appt_interval x)
{
	const struct appt_interval *f = first_ending_after(v, n, x);

	return f != NULL && f->start < x.end;
}

int
appt_intervals_cover(const struct appt_interval *v, size_t n,
    struct appt_interval x)
{
	const struct appt_interval *f = first_ending_after(v, n, x);

	return f != NULL && appt_interval_contains(*f, x);
}

size_t
appt_intervals_subtract(const struct appt_interval *v, size_t n,
    const struct appt_interval *cut, size_t m, struct appt_interval *out,
    size_t cap)
{
	size_t i, j = 0, k = 0, c;

	for (i = 0; i < n; i++) {
		int64_t s = v[i].start, e = v[i].end;

		while (j < m && cut[j].end <= s)
			j++;
		/* cut[j .. ) end after s; walk those starting before e. */
		c = j;

		while (s < e) {
			if (c >= m || cut[c].start >= e) {
				if (k < cap)
					out[k] = (struct appt_interval){ s, e };
				k++;
				break;
			}
			if (cut[c].start > s) {
				if (k < cap)
					out[k] = (struct appt_interval){ s,
						cut[c].start };
				k++;
			}
			if (cut[c].end > s)
				s = cut[c].end;
			c++;
		}
	}
	return k;
}
