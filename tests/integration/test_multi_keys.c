/*
 * test_multi_keys.c - a master key rotation with two `creneau serve` on
 * one database and one master key file: `creneau keys rotate` runs while
 * both serve; neither is restarted. Both go on reading the keys (now under
 * the new version), a person created through the second instance gets a
 * key the first one reads, and afterwards no key is under the retired
 * version. On PostgreSQL (CRENEAU_TEST_STORE) the keystore is a database
 * of its own; on SQLite, a file both processes open.
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
#include <unistd.h>

#include "client.h"
#include "demo.h"
#include "harness.h"

#define NEW_EMAIL "nouvelle.formatrice@tilleuls.example"

static struct proc a, b;
static struct demo_account admin = { "direction@tilleuls.example", 1 };
static struct demo_account *const all[] = { &admin };
#define NALL (sizeof(all) / sizeof(all[0]))

static int
setup(void **state)
{
	(void)state;
	if (demo_start(&a, all, NALL) != 0)
		return -1;
	return harness_start_second(&b, &a, NULL);
}

static int
teardown(void **state)
{
	(void)state;
	harness_stop(&b, SIGTERM);
	b.dir[0] = '\0';
	demo_stop(&a, all, NALL);
	return 0;
}

static int
keys(const char *what, char *out, size_t outlen)
{
	char store_env[400];
	const char *env[] = { store_env, NULL };
	const char *args[] = { "keys", what, NULL };

	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s", a.db);
	return harness_run(args, env, out, outlen);
}

static long
call_on(const struct proc *p, const char *method, const char *path,
    const char *body)
{
	admin.c.port = p->port;
	return client_call(&admin.c, method, path, body);
}

static void
test_rotation_followed(void **state)
{
	char out[4096], org[64], path[128], body[256];
	json_t *o;

	(void)state;
	assert_int_equal(call_on(&b, "GET", "/api/v1/me", NULL), 200);
	o = client_json(&admin.c);
	snprintf(org, sizeof(org), "%s",
	    json_string_value(json_object_get(o, "org_id")));
	json_decref(o);
	assert_true(org[0] != '\0');
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts", org);

	assert_int_equal(keys("rotate", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "current version 2"));
	/* Both instances read the re-wrapped keys at once. */
	assert_int_equal(call_on(&b, "GET", path, NULL), 200);
	assert_non_null(strstr(admin.c.body, admin.email));
	assert_int_equal(call_on(&a, "GET", path, NULL), 200);
	assert_non_null(strstr(admin.c.body, admin.email));
	/* A little later (each instance looks every few seconds), a
	 * person created through b gets a key under the new version. */
	sleep(6);
	snprintf(body, sizeof(body),
	    "{\"email\":\"" NEW_EMAIL "\",\"display_name\":\"Noé Formatrice\","
	    "\"roles\":[\"trainer\"]}");
	assert_int_equal(call_on(&b, "POST", path, body) / 100, 2);
	assert_int_equal(call_on(&a, "GET", path, NULL), 200);
	assert_non_null(strstr(admin.c.body, NEW_EMAIL));
	/* Nothing under the retired version, nothing under a version the
	 * master key file lacks. */
	assert_int_equal(keys("status", out, sizeof(out)), 0);
	assert_non_null(strstr(out, "current version: 2"));
	assert_null(strstr(out, "version 1:"));
	assert_null(strstr(out, "warning"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rotation_followed),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
