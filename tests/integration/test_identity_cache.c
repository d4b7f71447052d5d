/*
 * test_identity_cache.c - a server keeps who is signed in between
 * requests (auth/idcache.h); a change made anywhere is seen at the very
 * next request. Two instances on one database, as behind a load
 * balancer: people use instance A, where their identity is cached by
 * repeated reads; the changes are made through instance B. A must then
 * answer with the change, never with its memory: a grant given and its
 * end, an organisation suspended and reactivated, sessions ended by an
 * admin, an account deactivated. On SQLite and PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "demo.h"
#include "harness.h"

static struct proc a, b;
static struct demo_account platform = { "plateforme@demo.example", 1 };
static struct demo_account admin = { "direction@tilleuls.example", 1 };
static struct demo_account manager = { "gestion@tilleuls.example", 1 };
static struct demo_account trainer = { "formation@tilleuls.example", 1 };
static struct demo_account *const all[] = { &platform, &admin, &manager,
	&trainer };
#define NALL (sizeof(all) / sizeof(all[0]))

static char org[64];

/* The id of d's account (GET /api/v1/me), into out. */
static void
me(struct demo_account *d, const char *member, char *out, size_t n)
{
	json_t *o;

	assert_int_equal(client_call(&d->c, "GET", "/api/v1/me", NULL), 200);
	o = client_json(&d->c);
	snprintf(out, n, "%s", json_string_value(json_object_get(o, member)));
	json_decref(o);
	assert_true(out[0] != '\0');
}

static int
setup(void **state)
{
	(void)state;
	if (demo_start(&a, all, NALL) != 0 ||
	    harness_start_second(&b, &a, NULL) != 0)
		return -1;
	me(&admin, "org_id", org, sizeof(org));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	harness_stop(&b, SIGTERM);
	b.dir[0] = '\0'; /* a's directory: removed once, by demo_stop */
	demo_stop(&a, all, NALL);
	return 0;
}

/* d calls method path on instance port. */
static long
on(int port, struct demo_account *d, const char *method, const char *path,
    const char *body)
{
	d->c.port = port;
	return client_call(&d->c, method, path, body);
}

/* d reads path on A three times with answer status: the identity is
 * cached there from the second on. */
static void
warm(struct demo_account *d, const char *path, long status)
{
	int i;

	for (i = 0; i < 3; i++)
		assert_int_equal(on(a.port, d, "GET", path, NULL), status);
}

static void
test_grant_given_elsewhere_then_over(void **state)
{
	char journal[128], path[256], body[160], until[32], id[64];
	time_t t;
	struct tm tm;

	(void)state;
	snprintf(journal, sizeof(journal), "/api/v1/orgs/%s/journal", org);
	warm(&manager, journal, 403);
	me(&manager, "id", id, sizeof(id));
	/* A grant that ends in 4 s, given through B. */
	t = time(NULL) + 4;
	gmtime_r(&t, &tm);
	strftime(until, sizeof(until), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts/%s/grants", org,
	    id);
	snprintf(body, sizeof(body),
	    "{\"permission\":\"journal.read\",\"expires_at\":\"%s\"}", until);
	assert_int_equal(on(b.port, &admin, "POST", path, body), 201);
	/* A's memory said 403: the grant counts at once. */
	assert_int_equal(on(a.port, &manager, "GET", journal, NULL), 200);
	assert_int_equal(on(a.port, &manager, "GET", journal, NULL), 200);
	/* And ends on time, with nothing written in between. */
	sleep(5);
	assert_int_equal(on(a.port, &manager, "GET", journal, NULL), 403);
}

static void
test_suspension_elsewhere(void **state)
{
	char path[160];

	(void)state;
	warm(&manager, "/api/v1/candidates", 200);
	snprintf(path, sizeof(path), "/api/v1/tenants/%s/suspension", org);
	assert_int_equal(on(b.port, &platform, "POST", path,
			     "{\"reason\":\"Facture impayée\"}"),
	    200);
	assert_int_equal(on(a.port, &manager, "POST", "/api/v1/exams/swap",
			     "{}"),
	    403);
	assert_string_equal(client_code(&manager.c), "tenant_suspended");
	warm(&manager, "/api/v1/candidates", 200);
	snprintf(path, sizeof(path), "/api/v1/tenants/%s/reactivation", org);
	assert_int_equal(on(b.port, &platform, "POST", path, "{}"), 200);
	/* Written again: the swap is refused for its body, not the state. */
	assert_int_equal(on(a.port, &manager, "POST", "/api/v1/exams/swap",
			     "{}"),
	    422);
}

static void
test_sessions_ended_elsewhere(void **state)
{
	char path[256], id[64];

	(void)state;
	me(&manager, "id", id, sizeof(id));
	warm(&manager, "/api/v1/me", 200);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts/%s/sessions",
	    org, id);
	assert_int_equal(on(b.port, &admin, "DELETE", path, NULL), 200);
	assert_int_equal(on(a.port, &manager, "GET", "/api/v1/me", NULL), 401);
	assert_int_equal(on(a.port, &manager, "GET", "/api/v1/candidates",
			     NULL),
	    401);
}

static void
test_deactivated_elsewhere(void **state)
{
	char path[256], id[64];

	(void)state;
	me(&trainer, "id", id, sizeof(id));
	warm(&trainer, "/api/v1/me", 200);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts/%s/deactivation",
	    org, id);
	assert_int_equal(on(b.port, &admin, "POST", path, NULL), 200);
	assert_int_equal(on(a.port, &trainer, "GET", "/api/v1/me", NULL), 401);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grant_given_elsewhere_then_over),
		cmocka_unit_test(test_suspension_elsewhere),
		cmocka_unit_test(test_sessions_ended_elsewhere),
		cmocka_unit_test(test_deactivated_elsewhere),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
