/* test_appt_slots.c - src/appointments/appt_slots.c: free slots from
 * opening hours minus absences minus appointments, cut on the motif's
 * duration and step, filtered by the booking delays, merged across the
 * agents of a place; and a property test over random plages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>

#include "appointments/appt_recur.h"
#include "appointments/appt_rules.h"
#include "appointments/appt_slots.h"
#include "appointments/appt_time.h"
#include "booking/caltime.h"
#include "unit.h"

#define UTC(y, mo, d, h, mi) caltime_utc_ms(y, mo, d, h, mi)
#define MIN APPT_MINUTE_MS

/* 2026-01-15, a Thursday in winter: 09:00 Paris is 08:00 UTC. */
#define T(h, mi) UTC(2026, 1, 15, (h)-1, mi)

static struct appt_slot_query
query(int64_t duration_min)
{
	struct appt_slot_query q = { 0 };

	q.from = T(0, 0) + APPT_HOUR_MS;
	q.to = q.from + APPT_DAY_MS;
	q.now = q.from - 7 * APPT_DAY_MS;
	q.duration_ms = duration_min * MIN;
	return q;
}

static void
test_cut_on_duration(void **state)
{
	const struct appt_interval open[] = { { T(9, 0), T(12, 0) },
		{ T(14, 0), T(15, 15) } };
	struct appt_agent_avail a = { 7, open, 2, NULL, 0 };
	struct appt_slot_query q = query(30);
	int64_t s[16];
	size_t n;

	(void)state;
	n = appt_slots_agent(&q, &a, s, 16);
	/* 6 in the morning (the last ends exactly at 12:00), 2 after. */
	assert_int_equal(n, 8);
	assert_int_equal(s[0], T(9, 0));
	assert_int_equal(s[5], T(11, 30));
	assert_int_equal(s[6], T(14, 0));
	assert_int_equal(s[7], T(14, 30));
	/* A step of 15 min: starts every quarter, the last at 11:30. */
	q.step_ms = 15 * MIN;
	n = appt_slots_agent(&q, &a, s, 16);
	assert_int_equal(n, 11 + 4);
	assert_int_equal(s[10], T(11, 30));
	assert_int_equal(s[14], T(14, 45));
	/* Counting with cap 0. */
	assert_int_equal(appt_slots_agent(&q, &a, NULL, 0), 15);
}

static void
test_blocked_keeps_alignment(void **state)
{
	/* 09:00-12:00, an appointment 09:10-09:40 and an absence
	 * 10:30-11:00 (touching the 10:00 and 11:00 slots). */
	const struct appt_interval open[] = { { T(9, 0), T(12, 0) } };
	const struct appt_interval blocked[] = { { T(9, 10), T(9, 40) },
		{ T(10, 30), T(11, 0) } };
	struct appt_agent_avail a = { 7, open, 1, blocked, 2 };
	struct appt_slot_query q = query(30);
	int64_t s[16];
	size_t n;

	(void)state;
	n = appt_slots_agent(&q, &a, s, 16);
	assert_int_equal(n, 3);
	assert_int_equal(s[0], T(10, 0));
	assert_int_equal(s[1], T(11, 0));
	assert_int_equal(s[2], T(11, 30));
	/* Offered: aligned and free; not offered: busy, or off the grid. */
	assert_true(appt_slots_offers(&q, &a, T(10, 0)));
	assert_true(appt_slots_offers(&q, &a, T(11, 30)));
	assert_false(appt_slots_offers(&q, &a, T(9, 30)));
	assert_false(appt_slots_offers(&q, &a, T(10, 15)));
	assert_false(appt_slots_offers(&q, &a, T(12, 0)));
	assert_false(appt_slots_offers(&q, &a, q.to));
}

static void
test_window_and_delays(void **state)
{
	const struct appt_interval open[] = { { T(9, 0), T(12, 0) } };
	struct appt_agent_avail a = { 7, open, 1, NULL, 0 };
	struct appt_slot_query q = query(30);
	int64_t s[16];
	size_t n;

	(void)state;
	/* Window: starts in [10:00, 11:00). */
	q.from = T(10, 0);
	q.to = T(11, 0);
	n = appt_slots_agent(&q, &a, s, 16);
	assert_int_equal(n, 2);
	assert_int_equal(s[0], T(10, 0));
	assert_int_equal(s[1], T(10, 30));
	/* Now 09:05 with a 30-min minimum delay: 09:35 at the earliest,
	 * so 10:00 first (aligned on the plage). */
	q = query(30);
	q.now = T(9, 5);
	q.min_delay_ms = 30 * MIN;
	n = appt_slots_agent(&q, &a, s, 16);
	assert_int_equal(n, 4);
	assert_int_equal(s[0], T(10, 0));
	/* Exactly the minimum delay is allowed. */
	q.now = T(9, 30);
	n = appt_slots_agent(&q, &a, s, 16);
	assert_int_equal(s[0], T(10, 0));
	assert_int_equal(n, 4);
	/* A maximum delay of 1 h from 09:00: 09:30 and 10:00 (the limit
	 * itself is allowed; 09:00 starts right now, so is not offered). */
	q.now = T(9, 0);
	q.min_delay_ms = 0;
	q.max_delay_ms = APPT_HOUR_MS;
	n = appt_slots_agent(&q, &a, s, 16);
	assert_int_equal(n, 2);
	assert_int_equal(s[0], T(9, 30));
	assert_int_equal(s[1], T(10, 0));
	/* Never in the past, nor starting right now, even with no minimum
	 * delay. */
	q.max_delay_ms = 0;
	q.now = T(10, 1);
	n = appt_slots_agent(&q, &a, s, 16);
	assert_int_equal(n, 3);
	assert_int_equal(s[0], T(10, 30));
	q.now = T(10, 30);
	n = appt_slots_agent(&q, &a, s, 16);
	assert_int_equal(n, 2);
	assert_int_equal(s[0], T(11, 0));
	/* A duration longer than the plage: nothing. */
	q = query(240);
	assert_int_equal(appt_slots_agent(&q, &a, s, 16), 0);
	/* Unusable queries. */
	q = query(0);
	assert_int_equal(appt_slot_query_check(&q), -1);
	assert_int_equal(appt_slots_agent(&q, &a, s, 16), 0);
	q = query(30);
	q.to = q.from;
	assert_int_equal(appt_slot_query_check(&q), -1);
}

static void
test_dst_day_from_recurrence(void **state)
{
	/* The plage of a recurrence on the spring Sunday and the Monday
	 * after: 09:00 local both days, so 08:00 UTC then 07:00 UTC. */
	struct appt_recur r = { 0 };
	struct appt_interval open[4];
	struct appt_agent_avail a = { 1, open, 0, NULL, 0 };
	struct appt_slot_query q = { 0 };
	int64_t s[32];
	size_t n;

	(void)state;
	r.first_day = caltime_days_from_civil(2026, 1, 1);
	r.last_day = APPT_NO_END;
	r.every_weeks = 1;
	r.weekdays = APPT_SATURDAY | APPT_MONDAY;
	r.start_minute = 9 * 60;
	r.end_minute = 10 * 60;
	q.from = UTC(2026, 3, 28, 0, 0);
	q.to = UTC(2026, 3, 31, 0, 0);
	q.now = UTC(2026, 3, 1, 0, 0);
	q.duration_ms = 30 * MIN;
	a.n_open = appt_recur_expand(&r, q.from, q.to, open, 4);
	assert_int_equal(a.n_open, 2);
	n = appt_slots_agent(&q, &a, s, 32);
	assert_int_equal(n, 4);
	assert_int_equal(s[0], UTC(2026, 3, 28, 8, 0));
	assert_int_equal(s[1], UTC(2026, 3, 28, 8, 30));
	assert_int_equal(s[2], UTC(2026, 3, 30, 7, 0));
	assert_int_equal(s[3], UTC(2026, 3, 30, 7, 30));
}

static void
test_place_merges_agents(void **state)
{
	const struct appt_interval open1[] = { { T(9, 0), T(10, 0) } };
	const struct appt_interval open2[] = { { T(9, 30), T(11, 0) } };
	const struct appt_interval busy2[] = { { T(10, 0), T(10, 30) } };
	const struct appt_interval open3[] = { { T(9, 0), T(9, 30) } };
	struct appt_agent_avail agents[] = {
		{ 30, open3, 1, NULL, 0 },
		{ 10, open1, 1, NULL, 0 },
		{ 20, open2, 1, busy2, 1 },
		{ 40, NULL, 0, NULL, 0 },
	};
	struct appt_slot_query q = query(30);
	struct appt_slot_list l;

	(void)state;
	assert_int_equal(appt_slots_place(&q, agents, 4, &l), 0);
	/* 09:00 {10, 30}; 09:30 {10, 20}; 10:30 {20}. */
	assert_int_equal(l.n_slots, 3);
	assert_int_equal(l.n_agent_ids, 5);
	assert_int_equal(l.slots[0].start, T(9, 0));
	assert_int_equal(l.slots[0].n_agents, 2);
	assert_int_equal(l.agent_ids[l.slots[0].first], 10);
	assert_int_equal(l.agent_ids[l.slots[0].first + 1], 30);
	assert_int_equal(l.slots[1].start, T(9, 30));
	assert_int_equal(l.slots[1].n_agents, 2);
	assert_int_equal(l.agent_ids[l.slots[1].first], 10);
	assert_int_equal(l.agent_ids[l.slots[1].first + 1], 20);
	assert_int_equal(l.slots[2].start, T(10, 30));
	assert_int_equal(l.slots[2].n_agents, 1);
	assert_int_equal(l.agent_ids[l.slots[2].first], 20);
	appt_slot_list_free(&l);
	assert_null(l.slots);
	appt_slot_list_free(NULL);
	/* No agents, and an unusable query. */
	assert_int_equal(appt_slots_place(&q, agents, 0, &l), 0);
	assert_int_equal(l.n_slots, 0);
	q.duration_ms = 0;
	errno = 0;
	assert_int_equal(appt_slots_place(&q, agents, 4, &l), -1);
	assert_int_equal(errno, EINVAL);
}

/* A small deterministic generator (xorshift64*) for the property test. */
static uint64_t
next(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * UINT64_C(2685821657736338717);
}

static int64_t
pick(uint64_t *x, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(next(x) % (uint64_t)(hi - lo + 1));
}

#define P_AGENTS 6
#define P_CAP 64

static void
test_property_random_plages(void **state)
{
	uint64_t seed = UINT64_C(0x9e3779b97f4a7c15);
	size_t offered = 0;
	int round;

	(void)state;
	for (round = 0; round < 300; round++) {
		struct appt_interval open[P_AGENTS][P_CAP],
		    blocked[P_AGENTS][P_CAP];
		struct appt_agent_avail ag[P_AGENTS];
		struct appt_slot_query q = { 0 };
		struct appt_slot_list l;
		int64_t base = UTC(2026, 3, 23, 0, 0), s[1024];
		size_t i, j, k, total = 0;

		q.from = base + pick(&seed, 0, 3) * APPT_DAY_MS;
		q.to = q.from + pick(&seed, 1, 10) * APPT_DAY_MS;
		q.now = base + pick(&seed, -2, 4) * APPT_DAY_MS +
		    pick(&seed, 0, 1439) * MIN;
		q.duration_ms = 5 * pick(&seed, 1, 24) * MIN;
		q.step_ms =
		    pick(&seed, 0, 2) == 0 ? 0 : 5 * pick(&seed, 1, 12) * MIN;
		q.min_delay_ms = pick(&seed, 0, 3) * 30 * MIN;
		q.max_delay_ms =
		    pick(&seed, 0, 1) * pick(&seed, 1, 8) * APPT_DAY_MS;
		for (i = 0; i < P_AGENTS; i++) {
			size_t no = (size_t)pick(&seed, 0, 20),
			       nb = (size_t)pick(&seed, 0, 30);

			for (j = 0; j < no; j++) {
				int64_t st = base +
				    pick(&seed, 0, 14 * 24 * 12) * 5 * MIN;

				open[i][j].start = st;
				open[i][j].end =
				    st + pick(&seed, 1, 60) * 5 * MIN;
			}
			for (j = 0; j < nb; j++) {
				int64_t st =
				    base + pick(&seed, 0, 14 * 24 * 60) * MIN;

				blocked[i][j].start = st;
				blocked[i][j].end =
				    st + pick(&seed, 1, 240) * MIN;
			}
			ag[i].agent_id = (int64_t)(P_AGENTS - i);
			ag[i].open = open[i];
			ag[i].n_open = appt_intervals_normalize(open[i], no);
			ag[i].blocked = blocked[i];
			ag[i].n_blocked =
			    appt_intervals_normalize(blocked[i], nb);
		}
		for (i = 0; i < P_AGENTS; i++) {
			size_t n = appt_slots_agent(&q, &ag[i], s, 1024);

			assert_true(n <= 1024);
			total += n;
			for (k = 0; k < n; k++) {
				struct appt_interval x = { s[k],
					s[k] + q.duration_ms };

				/* Inside a plage, clear of every absence
				 * and appointment, in the window and the
				 * delays, increasing. */
				assert_true(appt_intervals_cover(ag[i].open,
				    ag[i].n_open, x));
				assert_false(
				    appt_intervals_overlap(ag[i].blocked,
					ag[i].n_blocked, x));
				assert_true(s[k] >= q.from && s[k] < q.to);
				assert_true(s[k] > q.now &&
				    s[k] >= q.now + q.min_delay_ms);
				assert_true(q.max_delay_ms == 0 ||
				    s[k] <= q.now + q.max_delay_ms);
				assert_true(k == 0 || s[k] > s[k - 1]);
				/* The checks at booking time agree. */
				assert_int_equal(appt_check_delays(s[k], q.now,
						     q.min_delay_ms,
						     q.max_delay_ms),
				    APPT_OK);
				assert_int_equal(appt_check_in_opening(x,
						     ag[i].open, ag[i].n_open),
				    APPT_OK);
				assert_int_equal(appt_check_agent_free(x,
						     ag[i].blocked,
						     ag[i].n_blocked, NULL, 0),
				    APPT_OK);
			}
			/* Complete: every aligned start that passes the
			 * rules is offered. */
			for (j = 0; j < ag[i].n_open; j++) {
				int64_t step = q.step_ms ? q.step_ms
							 : q.duration_ms,
					t;
				size_t found = 0;

				for (t = ag[i].open[j].start;
				     t + q.duration_ms <= ag[i].open[j].end;
				     t += step) {
					struct appt_interval x = { t,
						t + q.duration_ms };
					int ok = t >= q.from && t < q.to &&
					    t > q.now &&
					    t >= q.now + q.min_delay_ms &&
					    (q.max_delay_ms == 0 ||
						t <= q.now + q.max_delay_ms) &&
					    !appt_intervals_overlap(
						ag[i].blocked, ag[i].n_blocked,
						x);

					for (k = found; k < n && s[k] < t; k++)
						;
					assert_int_equal(ok,
					    k < n && s[k] == t);
				}
			}
		}
		/* The merged list holds the same pairs, by start then id. */
		assert_int_equal(appt_slots_place(&q, ag, P_AGENTS, &l), 0);
		assert_int_equal(l.n_agent_ids, total);
		for (i = 0; i < l.n_slots; i++) {
			assert_true(l.slots[i].n_agents >= 1);
			assert_true(
			    i == 0 || l.slots[i].start > l.slots[i - 1].start);
			for (j = 1; j < l.slots[i].n_agents; j++)
				assert_true(l.agent_ids[l.slots[i].first + j] >
				    l.agent_ids[l.slots[i].first + j - 1]);
		}
		offered += total;
		appt_slot_list_free(&l);
	}
	/* The rounds did offer slots: the checks above were not vacuous. */
	assert_true(offered > 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cut_on_duration),
		cmocka_unit_test(test_blocked_keeps_alignment),
		cmocka_unit_test(test_window_and_delays),
		cmocka_unit_test(test_dst_day_from_recurrence),
		cmocka_unit_test(test_place_merges_agents),
		cmocka_unit_test(test_property_random_plages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
