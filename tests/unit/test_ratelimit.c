/* test_ratelimit.c - src/auth/ratelimit.c: fixed windows per key over
 * injected times, all or nothing across keys, bounded memory with idle
 * keys reused first, and exact counts under threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>

#include "auth/ratelimit.h"
#include "unit.h"

#define MIN INT64_C(60000)
#define T0 INT64_C(1700000000000)

static int64_t
take1(struct ratelimit *rl, const char *key, long limit, int64_t now)
{
	struct ratelimit_key k = { key, limit };

	return ratelimit_take(rl, &k, 1, now);
}

static void
test_window(void **state)
{
	struct ratelimit *rl = ratelimit_new(16, MIN);
	int i;

	(void)state;
	assert_non_null(rl);
	for (i = 0; i < 3; i++)
		assert_int_equal(take1(rl, "e:a", 3, T0 + i * 1000), 0);
	/* The fourth in the window waits for its end: 57 s later. */
	assert_int_equal(take1(rl, "e:a", 3, T0 + 3000), MIN - 3000);
	/* A refused call is not counted: the wait only shrinks. */
	assert_int_equal(take1(rl, "e:a", 3, T0 + MIN - 1), 1);
	/* Another key has its own window. */
	assert_int_equal(take1(rl, "e:b", 3, T0 + 3000), 0);
	/* At the window's end a new one opens at that call. */
	assert_int_equal(take1(rl, "e:a", 3, T0 + MIN), 0);
	assert_int_equal(take1(rl, "e:a", 3, T0 + MIN + 1), 0);
	assert_int_equal(take1(rl, "e:a", 3, T0 + MIN + 2), 0);
	assert_int_equal(take1(rl, "e:a", 3, T0 + MIN + 10), MIN - 10);
	/* A lower limit applies at once to what the window counted. */
	assert_int_equal(take1(rl, "e:b", 1, T0 + 4000), MIN - 1000);
	/* Limit 0: not limited, not counted. */
	for (i = 0; i < 100; i++)
		assert_int_equal(take1(rl, "e:a", 0, T0 + MIN + 20), 0);
	assert_int_equal(ratelimit_size(rl), 2);
	ratelimit_free(rl);
}

static void
test_clock_back(void **state)
{
	struct ratelimit *rl = ratelimit_new(16, MIN);

	(void)state;
	assert_int_equal(take1(rl, "k", 1, T0), 0);
	assert_int_equal(take1(rl, "k", 1, T0 + 1), MIN - 1);
	/* Threads read the clock before the lock: a call a little before
	 * the window counts in it (and waits at most a window). */
	assert_int_equal(take1(rl, "k", 1, T0 - 5), MIN);
	assert_int_equal(take1(rl, "k", 2, T0 - 5), 0);
	assert_int_equal(take1(rl, "k", 2, T0 - 4), MIN);
	/* A clock set back by a window or more: a new window opens. */
	assert_int_equal(take1(rl, "k", 1, T0 - MIN), 0);
	assert_int_equal(take1(rl, "k", 1, T0 - MIN + 1000), MIN - 1000);
	ratelimit_free(rl);
}

/* The school and the employee: a call counts on both or on neither. */
static void
test_all_or_nothing(void **state)
{
	struct ratelimit *rl = ratelimit_new(16, MIN);
	struct ratelimit_key a[2] = { { "s:school", 5 }, { "e:anne", 2 } };
	struct ratelimit_key b[2] = { { "s:school", 5 }, { "e:bruno", 2 } };
	struct ratelimit_key c[2] = { { "s:school", 5 }, { "e:chloe", 2 } };
	struct ratelimit_key d[2] = { { "s:other", 5 }, { "e:anne", 2 } };

	(void)state;
	assert_int_equal(ratelimit_take(rl, a, 2, T0), 0);
	assert_int_equal(ratelimit_take(rl, a, 2, T0 + 10), 0);
	/* Anne is at her limit: refused, and the school does not count
	 * it... */
	assert_int_equal(ratelimit_take(rl, a, 2, T0 + 20), MIN - 20);
	assert_int_equal(ratelimit_take(rl, a, 2, T0 + 30), MIN - 30);
	/* ...so her colleagues still have 3 calls of the school's 5. */
	assert_int_equal(ratelimit_take(rl, b, 2, T0 + 1000), 0);
	assert_int_equal(ratelimit_take(rl, b, 2, T0 + 2000), 0);
	assert_int_equal(ratelimit_take(rl, c, 2, T0 + 3000), 0);
	/* The school is at its limit: Chloé waits for the school's window
	 * (opened at T0), not for her own. */
	assert_int_equal(ratelimit_take(rl, c, 2, T0 + 4000), MIN - 4000);
	/* Refused on the school, Chloé's own count did not move: once the
	 * school's window ends she has her second call. */
	assert_int_equal(ratelimit_take(rl, c, 2, T0 + MIN), 0);
	assert_int_equal(ratelimit_take(rl, c, 2, T0 + MIN + 1),
	    3000 + MIN - (MIN + 1));
	/* Anne for another school waits for her own window. */
	assert_int_equal(ratelimit_take(rl, d, 2, T0 + 40), MIN - 40);
	ratelimit_free(rl);
}

/* Bounded memory: idle keys are reused first, then the oldest window
 * goes; the table never grows past its capacity. */
static void
test_bounded(void **state)
{
	struct ratelimit *rl = ratelimit_new(4, MIN);
	char key[16];
	int i;

	(void)state;
	assert_null(ratelimit_new(3, MIN));
	assert_null(ratelimit_new(16, 0));
	assert_int_equal(take1(rl, "old", 1, T0), 0);
	for (i = 0; i < 3; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(take1(rl, key, 1, T0 + MIN + i), 0);
	}
	assert_int_equal(ratelimit_size(rl), 4);
	/* "old" is idle: its place goes to a new key, the live ones stay
	 * at their limit. */
	assert_int_equal(take1(rl, "new", 1, T0 + MIN + 10), 0);
	assert_int_equal(ratelimit_size(rl), 4);
	for (i = 0; i < 3; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_true(take1(rl, key, 1, T0 + MIN + 20) > 0);
	}
	/* Every key live: the oldest window (k0) makes room, and starts
	 * afresh on its next call. */
	assert_int_equal(take1(rl, "newer", 1, T0 + MIN + 30), 0);
	assert_int_equal(ratelimit_size(rl), 4);
	assert_true(take1(rl, "k1", 1, T0 + MIN + 40) > 0);
	assert_int_equal(take1(rl, "k0", 1, T0 + MIN + 50), 0);
	assert_int_equal(ratelimit_size(rl), 4);
	/* A thousand keys later, still four. */
	for (i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "x%d", i);
		assert_int_equal(take1(rl, key, 5, T0 + 2 * MIN + i), 0);
	}
	assert_int_equal(ratelimit_size(rl), 4);
	ratelimit_free(rl);
	ratelimit_free(NULL);
}

/* The keys of one call are never evicted by each other, even the one
 * whose window is the oldest. */
static void
test_bounded_pair(void **state)
{
	struct ratelimit *rl = ratelimit_new(4, MIN);
	struct ratelimit_key k[3] = { { "a", 2 }, { "b", 2 }, { "c", 2 } };
	struct ratelimit_key k2[2] = { { "e", 2 }, { "f", 2 } };

	(void)state;
	assert_int_equal(take1(rl, "e", 2, T0 - 10), 0);
	assert_int_equal(ratelimit_take(rl, k, 3, T0), 0);
	/* Full, all live: f makes room, but not at e's expense. */
	assert_int_equal(ratelimit_take(rl, k2, 2, T0 + 1), 0);
	assert_int_equal(ratelimit_size(rl), 4);
	assert_int_equal(take1(rl, "e", 2, T0 + 2), MIN - 12);
	assert_int_equal(take1(rl, "f", 1, T0 + 3), MIN - 2);
	ratelimit_free(rl);
}

#define THREADS 8
#define CALLS 2000
#define LIMIT 5000

struct racer {
	struct ratelimit *rl;
	int allowed;
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	struct ratelimit_key k[2] = { { "s:school", LIMIT },
		{ "e:same", LIMIT } };
	int i;

	for (i = 0; i < CALLS; i++)
		if (ratelimit_take(r->rl, k, 2, T0 + i) == 0)
			r->allowed++;
	return NULL;
}

static void
test_threads(void **state)
{
	struct ratelimit *rl = ratelimit_new(64, MIN);
	struct racer r[THREADS];
	pthread_t t[THREADS];
	int i, total = 0;

	(void)state;
	for (i = 0; i < THREADS; i++) {
		r[i].rl = rl;
		r[i].allowed = 0;
		assert_int_equal(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		total += r[i].allowed;
	}
	assert_int_equal(total, LIMIT);
	ratelimit_free(rl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_clock_back),
		cmocka_unit_test(test_all_or_nothing),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_bounded_pair),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
