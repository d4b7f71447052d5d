/*
 * test_ratelimit.c - the school-side API's rate limits against the real
 * `creneau` binary, set low through the environment
 * (CRENEAU_RATELIMIT_*): per employee, per school, 429 rate_limited with
 * Retry-After, and nothing counted outside the school-side routes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

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

static struct proc srv;
static struct demo_account manager = { "gestion@tilleuls.example", 1 };
static struct demo_account admin = { "direction@tilleuls.example", 1 };
static struct demo_account port = { "gestion@port.example", 1 };
static struct demo_account dispatcher = { "repartition@demo.example", 1 };

static struct demo_account *const all[] = { &manager, &admin, &port,
	&dispatcher };
#define NALL (sizeof(all) / sizeof(all[0]))

static int
setup(void **state)
{
	static const char *const env[] = {
		"CRENEAU_RATELIMIT_EMPLOYEE_PER_MINUTE=4",
		"CRENEAU_RATELIMIT_SCHOOL_PER_MINUTE=6", NULL
	};

	(void)state;
	return demo_start_env(&srv, env, all, NALL);
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, NALL);
	return 0;
}

/* The seconds of the Retry-After header of c's last answer, or -1. */
static long
retry_after(const struct client *c)
{
	const char *p = strcasestr(c->headers, "\nRetry-After:");
	char *end;
	long s;

	if (p == NULL)
		return -1;
	s = strtol(p + strlen("\nRetry-After:"), &end, 10);
	return end == p + strlen("\nRetry-After:") ? -1 : s;
}

static void
expect_limited(struct demo_account *d, const char *path)
{
	json_t *o;
	long s;

	assert_int_equal(client_call(&d->c, "GET", path, NULL), 429);
	assert_string_equal(client_code(&d->c), "rate_limited");
	assert_non_null(strstr(d->c.headers, "application/problem+json"));
	s = retry_after(&d->c);
	if (s < 1 || s > 60)
		fail_msg("Retry-After %ld in %s", s, d->c.headers);
	o = client_json(&d->c);
	assert_int_equal(json_integer_value(json_object_get(o, "retry_after")),
	    s);
	assert_non_null(strstr(json_string_value(json_object_get(o, "detail")),
	    "réessayez"));
	json_decref(o);
}

static void
test_limits(void **state)
{
	int i;

	(void)state;
	/* On PostgreSQL the counts are per minute since the epoch (shared
	 * by the instances): start early in one. */
	while (harness_pg() && time(NULL) % 60 > 40)
		sleep(1);
	/* An employee: 4 calls in the minute, then 429. */
	for (i = 0; i < EMPLOYEE_MAX; i++)
		assert_int_equal(client_call(&manager.c, "GET",
				     i % 2 ? "/api/v1/candidates"
					   : "/api/v1/basket",
				     NULL),
		    200);
	expect_limited(&manager, "/api/v1/candidates");
	/* A refused call is not counted, and outside the school-side API
	 * nothing is: the account page, the notifications, the planning
	 * shared with supervisors. */
	expect_limited(&manager, "/api/v1/exams");
	for (i = 0; i < 2 * EMPLOYEE_MAX; i++) {
		assert_int_equal(client_call(&manager.c, "GET", "/api/v1/me",
				     NULL),
		    200);
		assert_int_equal(client_call(&manager.c, "GET",
				     "/api/v1/notifications", NULL),
		    200);
		assert_int_equal(client_call(&manager.c, "GET",
				     "/api/v1/quotas", NULL),
		    200);
	}
	/* Another school has its own count. */
	for (i = 0; i < EMPLOYEE_MAX; i++)
		assert_int_equal(client_call(&port.c, "GET",
				     "/api/v1/candidates", NULL),
		    200);
	expect_limited(&port, "/api/v1/candidates");
	/* The school: its administrator has calls of its own, but the
	 * school has only 6 a minute: 2 left after the manager's 4. */
	for (i = 0; i < SCHOOL_MAX - EMPLOYEE_MAX; i++)
		assert_int_equal(client_call(&admin.c, "GET",
				     "/api/v1/slot-requests/queue", NULL),
		    200);
	expect_limited(&admin, "/api/v1/slot-requests/queue");
	/* The exam authority's routes are not the school-side API. */
	for (i = 0; i < 2 * SCHOOL_MAX; i++)
		assert_int_equal(client_call(&dispatcher.c, "GET",
				     "/api/v1/centres", NULL),
		    200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
