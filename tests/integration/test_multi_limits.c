/*
 * test_multi_limits.c - the school-side API's rate limits with two
 * `creneau serve` on one database: the calls an employee makes through
 * either instance count against one limit, and so do a school's. On
 * PostgreSQL (CRENEAU_TEST_STORE) the instances share the counts through
 * the database; on SQLite the limiter is per process, and the test is
 * skipped (one instance is the SQLite shape).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "demo.h"
#include "harness.h"

#define EMPLOYEE_MAX 4
#define SCHOOL_MAX 6

static struct proc a, b;
static struct demo_account manager = { "gestion@tilleuls.example", 1 };
static struct demo_account admin = { "direction@tilleuls.example", 1 };
static struct demo_account *const all[] = { &manager, &admin };
#define NALL (sizeof(all) / sizeof(all[0]))

static const char *const limits[] = { "CRENEAU_RATELIMIT_EMPLOYEE_PER_MINUTE=4",
	"CRENEAU_RATELIMIT_SCHOOL_PER_MINUTE=6", NULL };

static int
setup(void **state)
{
	(void)state;
	if (!harness_pg())
		return 0;
	if (demo_start_env(&a, limits, all, NALL) != 0)
		return -1;
	return harness_start_second(&b, &a, limits);
}

static int
teardown(void **state)
{
	(void)state;
	if (!harness_pg())
		return 0;
	harness_stop(&b, SIGTERM);
	b.dir[0] = '\0';
	demo_stop(&a, all, NALL);
	return 0;
}

/* Counts are per minute since the epoch: start early in one. */
static void
fresh_minute(void)
{
	while (time(NULL) % 60 > 40)
		sleep(1);
}

static long
call_on(struct demo_account *d, const struct proc *p, const char *path)
{
	d->c.port = p->port;
	return client_call(&d->c, "GET", path, NULL);
}

static void
test_limit_across_instances(void **state)
{
	int i;

	(void)state;
	if (!harness_pg())
		skip();
	fresh_minute();
	/* The employee: 4 calls spread over both instances, then 429 on
	 * either. */
	for (i = 0; i < EMPLOYEE_MAX; i++)
		assert_int_equal(call_on(&manager, i % 2 ? &b : &a,
				     "/api/v1/candidates"),
		    200);
	assert_int_equal(call_on(&manager, &a, "/api/v1/candidates"), 429);
	assert_string_equal(client_code(&manager.c), "rate_limited");
	assert_non_null(strstr(manager.c.headers, "Retry-After:"));
	assert_int_equal(call_on(&manager, &b, "/api/v1/basket"), 429);
	/* The school: 2 calls left for its administrator, wherever they
	 * go. */
	assert_int_equal(call_on(&admin, &b, "/api/v1/slot-requests/queue"),
	    200);
	assert_int_equal(call_on(&admin, &a, "/api/v1/slot-requests/queue"),
	    200);
	assert_int_equal(call_on(&admin, &b, "/api/v1/slot-requests/queue"),
	    429);
	assert_string_equal(client_code(&admin.c), "rate_limited");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_across_instances),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
