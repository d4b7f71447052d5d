/* test_scheduler.c - src/jobs/scheduler.c driven by a simulated clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <time.h>

#include "core/limits.h"
#include "jobs/scheduler.h"
#include "unit.h"

#define MIN_MS (60LL * 1000)

struct counter {
	int calls;
	int64_t last_now;
	int fail;
};

static int
count_job(void *arg, int64_t now_ms)
{
	struct counter *c = arg;

	c->calls++;
	c->last_now = now_ms;
	return c->fail ? -1 : 0;
}

static void
test_runs_when_due(void **state)
{
	struct clock clk;
	struct scheduler *s;
	struct counter a = { 0 }, b = { 0 };

	(void)state;
	clock_sim_init(&clk, 1000000);
	s = scheduler_new(&clk, NULL);
	assert_int_equal(scheduler_add(s, "every-5", 5 * MIN_MS, count_job, &a),
	    0);
	assert_int_equal(scheduler_add(s, "every-60", 60 * MIN_MS, count_job,
			     &b),
	    0);
	/* A job that never ran is due at once. */
	assert_int_equal(scheduler_run_due(s), 2);
	assert_int_equal(scheduler_run_due(s), 0);
	clock_sim_advance(&clk, 5 * MIN_MS - 1);
	assert_int_equal(scheduler_run_due(s), 0);
	clock_sim_advance(&clk, 1);
	assert_int_equal(scheduler_run_due(s), 1);
	assert_int_equal(a.calls, 2);
	assert_int_equal(a.last_now, 1000000 + 5 * MIN_MS);
	assert_int_equal(b.calls, 1);
	/* A jump over many intervals runs the job once, not once per miss. */
	clock_sim_advance(&clk, 600 * MIN_MS);
	assert_int_equal(scheduler_run_due(s), 2);
	assert_int_equal(scheduler_run_due(s), 0);
	assert_int_equal(scheduler_runs(s, "every-5"), 3);
	assert_int_equal(scheduler_runs(s, "nope"), -1);
	scheduler_free(s);
}

static void
test_add_refusals(void **state)
{
	struct clock clk;
	struct scheduler *s;
	struct counter a = { 0 };
	char name[LIMIT_JOB_NAME + 8];
	int i;

	(void)state;
	clock_sim_init(&clk, 0);
	s = scheduler_new(&clk, NULL);
	assert_int_equal(scheduler_add(s, "", 1000, count_job, &a), -1);
	assert_int_equal(scheduler_add(s, "x", 0, count_job, &a), -1);
	assert_int_equal(scheduler_add(s, "x", 1000, NULL, &a), -1);
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(scheduler_add(s, name, 1000, count_job, &a), -1);
	assert_int_equal(scheduler_add(s, "x", 1000, count_job, &a), 0);
	assert_int_equal(scheduler_add(s, "x", 1000, count_job, &a), -1);
	for (i = 1; i < LIMIT_JOBS; i++) {
		snprintf(name, sizeof(name), "job%d", i);
		assert_int_equal(scheduler_add(s, name, 1000, count_job, &a),
		    0);
	}
	assert_int_equal(scheduler_add(s, "one-too-many", 1000, count_job, &a),
	    -1);
	scheduler_free(s);
}

static void
test_runs_persist_across_restart(void **state)
{
	char dir[64], path[128], err[256];
	struct store_config c = { "sqlite", path, 1000 };
	struct store *st;
	struct clock clk;
	struct scheduler *s;
	struct counter a = { 0 };
	int from, to;
	int64_t at;

	(void)state;
	assert_int_equal(unit_tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/j.db", dir);
	st = store_open(&c, err, sizeof(err));
	assert_int_equal(store_migrate(st, &from, &to, err, sizeof(err)), 0);
	clock_sim_init(&clk, 50 * MIN_MS);

	s = scheduler_new(&clk, st);
	assert_int_equal(scheduler_add(s, "daily", 1440 * MIN_MS, count_job,
			     &a),
	    0);
	assert_int_equal(scheduler_run_due(s), 1);
	scheduler_free(s);
	assert_int_equal(store_job_last_start(st, "daily", &at), 0);
	assert_int_equal(at, 50 * MIN_MS);

	/* A restart an hour later does not run the daily job again... */
	clock_sim_advance(&clk, 60 * MIN_MS);
	s = scheduler_new(&clk, st);
	assert_int_equal(scheduler_add(s, "daily", 1440 * MIN_MS, count_job,
			     &a),
	    0);
	assert_int_equal(scheduler_run_due(s), 0);
	/* ...but does once the day has passed; failures are recorded too. */
	clock_sim_advance(&clk, 1380 * MIN_MS);
	a.fail = 1;
	assert_int_equal(scheduler_run_due(s), 1);
	assert_int_equal(a.calls, 2);
	scheduler_free(s);
	store_free(st);
	unit_rmdir(dir);
}

static void
test_thread_follows_simulated_clock(void **state)
{
	struct clock clk;
	struct scheduler *s;
	struct counter a = { 0 };
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	int i;

	(void)state;
	clock_sim_init(&clk, 0);
	s = scheduler_new(&clk, NULL);
	assert_int_equal(scheduler_add(s, "tick", MIN_MS, count_job, &a), 0);
	assert_int_equal(scheduler_start(s), 0);
	for (i = 0; i < 100 && scheduler_runs(s, "tick") < 1; i++)
		nanosleep(&nap, NULL);
	assert_int_equal(scheduler_runs(s, "tick"), 1);
	clock_sim_advance(&clk, MIN_MS);
	scheduler_wake(s);
	for (i = 0; i < 100 && scheduler_runs(s, "tick") < 2; i++)
		nanosleep(&nap, NULL);
	assert_int_equal(scheduler_runs(s, "tick"), 2);
	scheduler_stop(s);
	scheduler_stop(s); /* twice is harmless */
	scheduler_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_when_due),
		cmocka_unit_test(test_add_refusals),
		cmocka_unit_test(test_runs_persist_across_restart),
		cmocka_unit_test(test_thread_follows_simulated_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
