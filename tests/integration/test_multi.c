/*
 * test_multi.c - several `creneau serve` on one database, as behind a
 * load balancer: two schools race for the same slots through different
 * instances, one instance is killed (SIGKILL) in the middle of the race,
 * and afterwards every slot is in exactly one basket, every slot a school
 * was told it holds is in its basket, sessions work on every instance and
 * the audit chain verifies (no fork). On PostgreSQL (CRENEAU_TEST_STORE)
 * this is the production shape; on SQLite it is two processes on one
 * file, which must hold as well.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "client.h"
#include "demo.h"
#include "harness.h"

#define NSLOTS 12

static struct proc a, b;
static struct demo_account tilleuls = { "gestion@tilleuls.example", 1 };
/* Two schools with trainers in department 44, so that both have a quota
 * there (rule 3): the Port's, the second. */
static struct demo_account port = { "gestion@port.example", 1 };
static struct demo_account dispatcher = { "repartition@demo.example", 1 };
static struct demo_account *const all[] = { &tilleuls, &port, &dispatcher };
#define NALL (sizeof(all) / sizeof(all[0]))

static int
setup(void **state)
{
	(void)state;
	if (demo_start(&a, all, NALL) != 0)
		return -1;
	/* The second instance: same database and keys, its own port. */
	return harness_start_second(&b, &a, NULL);
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

static long long
basket_of(struct demo_account *d)
{
	json_t *o;
	long long id;

	assert_int_equal(client_call(&d->c, "GET", "/api/v1/basket", NULL),
	    200);
	o = client_json(&d->c);
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	assert_true(id > 0);
	return id;
}

/* The slots in d's basket, as a bitmap over ids[]. */
static unsigned
held_by(struct demo_account *d, const long long *ids)
{
	json_t *o, *list, *s;
	size_t i, k;
	unsigned mask = 0;

	assert_int_equal(client_call(&d->c, "GET", "/api/v1/basket", NULL),
	    200);
	o = client_json(&d->c);
	list = json_object_get(o, "slots");
	json_array_foreach (list, i, s) {
		long long id =
		    json_integer_value(json_object_get(s, "slot_id"));

		for (k = 0; k < NSLOTS; k++)
			if (ids[k] == id)
				mask |= 1u << k;
	}
	json_decref(o);
	return mask;
}

struct racer {
	struct demo_account *d;
	const long long *ids;
	long long basket;
	int fallback_port; /* where to go when the instance dies */
	unsigned acked; /* slots the server said were added */
	int transport_errors;
	long other; /* answers neither 200 nor 409 */
	sem_t *quarter; /* posted after NSLOTS / 4 answers, if set */
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	char path[96], body[96];
	size_t k;
	long st;

	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", r->basket);
	for (k = 0; k < NSLOTS; k++) {
		snprintf(body, sizeof(body), "{\"slots\":[{\"slot_id\":%lld}]}",
		    r->ids[k]);
		st = client_call(&r->d->c, "POST", path, body);
		if (st < 0 || st == 503) {
			/* The instance is gone: the balancer sends the
			 * request to the other one, same session. */
			r->transport_errors++;
			r->d->c.port = r->fallback_port;
			st = client_call(&r->d->c, "POST", path, body);
		}
		if (st == 200)
			r->acked |= 1u << k;
		else if (st != 409)
			r->other++;
		if (r->quarter != NULL && k + 1 == NSLOTS / 4)
			sem_post(r->quarter);
	}
	return NULL;
}

static void
test_race_across_instances(void **state)
{
	long long ids[NSLOTS] = { 0 };
	json_t *o, *list, *s;
	size_t i, n = 0;
	struct racer ra, rb;
	pthread_t ta, tb;
	unsigned ha, hb;
	sem_t quarter;
	char store_env[400], out[4096];
	const char *env[] = { store_env, NULL };
	static const char *const verify[] = { "audit", "verify", NULL };

	(void)state;
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/slots?department=44&category=B&limit=60",
			     NULL),
	    200);
	o = client_json(&tilleuls.c);
	list = json_object_get(o, "slots");
	json_array_foreach (list, i, s) {
		if (n < NSLOTS &&
		    json_is_true(json_object_get(s, "bookable_now"))) {
			char body[200];

			ids[n++] = json_integer_value(json_object_get(s, "id"));
			/* Room for every slot in both schools' quotas (rule 3
			 * refuses an add beyond them): the race is for the
			 * slots alone. Working hours: the UTC month is
			 * Paris's. */
			snprintf(body, sizeof(body),
			    "{\"coefficients\":[{\"department\":\"44\","
			    "\"category\":\"B\",\"month\":\"%.7s\","
			    "\"coefficient\":50}]}",
			    json_string_value(json_object_get(s, "start_at")));
			assert_int_equal(client_call(&dispatcher.c, "PUT",
					     "/api/v1/coefficients", body),
			    200);
		}
	}
	json_decref(o);
	assert_int_equal(n, NSLOTS);

	/* A session opened on one instance is valid on the other. */
	port.c.port = b.port;
	assert_int_equal(client_call(&port.c, "GET", "/api/v1/me", NULL), 200);

	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	ra.d = &tilleuls;
	ra.ids = ids;
	ra.basket = basket_of(&tilleuls);
	ra.fallback_port = a.port;
	rb.d = &port;
	rb.ids = ids;
	rb.basket = basket_of(&port);
	rb.fallback_port = a.port;
	rb.quarter = &quarter;
	assert_int_equal(sem_init(&quarter, 0, 0), 0);
	assert_int_equal(pthread_create(&ta, NULL, race, &ra), 0);
	assert_int_equal(pthread_create(&tb, NULL, race, &rb), 0);
	/* Instance b dies in the middle of the race, a quarter in. */
	sem_wait(&quarter);
	assert_int_equal(harness_stop(&b, SIGKILL), 128 + SIGKILL);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	sem_destroy(&quarter);
	assert_true(rb.transport_errors >= 1);
	assert_int_equal(ra.other, 0);
	assert_int_equal(rb.other, 0);

	/* Read back through the instance still alive. */
	port.c.port = a.port;
	ha = held_by(&tilleuls, ids);
	hb = held_by(&port, ids);
	/* No slot in two baskets; nothing acknowledged lost; every slot
	 * went to someone (each was asked for by both). */
	assert_int_equal(ha & hb, 0);
	assert_int_equal(ra.acked & ~ha, 0);
	assert_int_equal(rb.acked & ~hb, 0);
	assert_int_equal(ha | hb, (1u << NSLOTS) - 1);

	/* The audit chain did not fork. */
	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s", a.db);
	assert_int_equal(harness_run(verify, env, out, sizeof(out)), 0);
}

/* Counts the lines of s. */
static int
lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

/*
 * PostgreSQL refusals at start: a refused password, a server that does
 * not answer, a database that does not exist. Each is one line and exit
 * status 1, and the database is left as it was.
 */
static void
test_postgresql_refusals(void **state)
{
	static const char *const migrate[] = { "migrate", NULL };
	static const char *const status[] = { "migrate", "--status", NULL };
	char pg[5][600], store[400], badpw[400], pwfile[300], down[300];
	char nodb[700], out[4096];
	const char *env[8];
	FILE *f;
	int i;

	(void)state;
	if (!harness_pg())
		skip();
	snprintf(store, sizeof(store), "CRENEAU_STORE_PATH=%s/x/creneau.db",
	    a.dir);
	assert_int_equal(harness_pg_env(store + 19, pg), 0);
	snprintf(pwfile, sizeof(pwfile), "%s/wrong.password", a.dir);
	f = fopen(pwfile, "w");
	assert_non_null(f);
	fputs("not-the-password\n", f);
	fclose(f);
	snprintf(badpw, sizeof(badpw), "CRENEAU_STORE_PASSWORD_FILE=%s",
	    pwfile);

	/* A refused password. */
	env[0] = store;
	for (i = 0; i < 5; i++)
		env[1 + i] = pg[i];
	env[6] = badpw;
	env[7] = NULL;
	assert_int_equal(harness_run(migrate, env, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "password authentication failed"));
	assert_int_equal(lines(out), 1);

	/* A server that does not answer. */
	snprintf(down, sizeof(down),
	    "CRENEAU_STORE_URL=postgresql://creneau@127.0.0.1:%d/x",
	    harness_free_port());
	env[6] = down;
	assert_int_equal(harness_run(migrate, env, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "cannot connect to PostgreSQL"));
	assert_int_equal(lines(out), 1);

	/* A database that does not exist. */
	snprintf(nodb, sizeof(nodb), "%s_missing", pg[1]);
	env[6] = nodb;
	assert_int_equal(harness_run(migrate, env, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "does not exist"));
	assert_int_equal(lines(out), 1);

	/* Nothing changed: the database is still empty. */
	env[6] = NULL;
	assert_int_equal(harness_run(status, env, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "database schema 0"));
	harness_pg_drop(store + 19);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_race_across_instances),
		cmocka_unit_test(test_postgresql_refusals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
