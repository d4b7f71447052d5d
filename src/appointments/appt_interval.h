/*
 * appt_interval.h - half-open UTC intervals [start, end) and sorted,
 * merged lists of them: the currency of the free-slot sweep and of the
 * overlap rules.
 *
 * A "normalized" list is sorted by start, every interval non-empty
 * (start < end), and no two intervals overlap or touch (touching ones are
 * merged). Two intervals that only touch (a.end == b.start) do not
 * overlap: an appointment ending at 10:00 and one starting at 10:00 are
 * both allowed.
 */
#ifndef CRENEAU_APPT_INTERVAL_H
#define CRENEAU_APPT_INTERVAL_H

#include <stddef.h>
#include <stdint.h>

struct appt_interval {
	int64_t start; /* UTC ms, included */
	int64_t end; /* UTC ms, excluded */
};

/* Returns 1 when a and b share at least one instant, else 0. Pure. */
int appt_interval_overlaps(struct appt_interval a, struct appt_interval b);

/* Returns 1 when inner lies entirely within outer, else 0. Pure. */
int appt_interval_contains(struct appt_interval outer,
    struct appt_interval inner);

/*
 * Sorts v (n intervals) in place, drops the empty ones (start >= end) and
 * merges overlapping or touching ones. Returns the new count (<= n); v[0
 * .. count) is then normalized. O(n log n), no allocation.
 */
size_t appt_intervals_normalize(struct appt_interval *v, size_t n);

/*
 * Returns 1 when some interval of the normalized list v (n) overlaps x,
 * else 0. O(log n). Pure.
 */
int appt_intervals_overlap(const struct appt_interval *v, size_t n,
    struct appt_interval x);

/*
 * Returns 1 when x lies within one interval of the normalized list v (n),
 * else 0. O(log n). Pure.
 */
int appt_intervals_cover(const struct appt_interval *v, size_t n,
    struct appt_interval x);

/*
 * Writes into out (capacity cap) the instants of the normalized list v (n)
 * that are in no interval of the normalized list cut (m): out is then
 * normalized. A cut inside an interval splits it, so the result has at
 * most n + m intervals. Returns the count of the full result, which
 * exceeds cap when out was too small (out then holds its first cap
 * intervals). out must not alias v or cut. O(n + m), no allocation.
 */
size_t appt_intervals_subtract(const struct appt_interval *v, size_t n,
    const struct appt_interval *cut, size_t m, struct appt_interval *out,
    size_t cap);

#endif
