/* test_store_ratelimit.c - src/store/ratelimit.c on SQLite: a limit per key
 * and window, all or nothing across keys, windows apart, purge; and
 * auth/ratelimit.c counting through it once shared. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "auth/ratelimit.h"
#include "store/driver.h"
#include "store/ratelimit.h"
#include "unit.h"

static char dir[64], path[128];
static struct store *st;

static int
setup(void **state)
{
	struct store_config c = { "sqlite", path, 5000 };
	char err[256];
	int from, to;

	(void)state;
	if (unit_tmpdir(dir, sizeof(dir)) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/r.db", dir);
	st = store_open(&c, err, sizeof(err));
	return st != NULL &&
		store_migrate(st, &from, &to, err, sizeof(err)) == 0
	    ? 0
	    : -1;
}

static int
teardown(void **state)
{
	(void)state;
	store_free(st);
	unit_rmdir(dir);
	return 0;
}

static void
test_take(void **state)
{
	unsigned char k[2][STORE_RATE_KEY];
	long lim[2] = { 3, 2 };
	long gone;
	int i;

	(void)state;
	memset(k[0], 'a', STORE_RATE_KEY);
	memset(k[1], 'b', STORE_RATE_KEY);
	/* Key a alone: three calls, then refused. */
	for (i = 0; i < 3; i++)
		assert_int_equal(store_rate_take(st, k, lim, 1, 60000), 1);
	assert_int_equal(store_rate_take(st, k, lim, 1, 60000), 0);
	/* Another window counts afresh. */
	assert_int_equal(store_rate_take(st, k, lim, 1, 120000), 1);
	/* Both keys in window 120000: a has 1 of 3, b 0 of 2. Twice
	 * allowed; the third is refused by b, and a is not counted. */
	assert_int_equal(store_rate_take(st, k, lim, 2, 120000), 1);
	assert_int_equal(store_rate_take(st, k, lim, 2, 120000), 1);
	assert_int_equal(store_rate_take(st, k, lim, 2, 120000), 0);
	/* a: 3 of 3 now. */
	assert_int_equal(store_rate_take(st, k, lim, 1, 120000), 0);
	/* Purge: windows before 120000 go. */
	assert_int_equal(store_rate_purge(st, 120000, &gone), 0);
	assert_int_equal(gone, 1);
	assert_int_equal(store_rate_purge(st, 120000, &gone), 0);
	assert_int_equal(gone, 0);
}

static void
test_shared_limiter(void **state)
{
	unsigned char hk[RATELIMIT_HASH_KEY];
	struct ratelimit *one = ratelimit_new(16, 60000);
	struct ratelimit *two = ratelimit_new(16, 60000);
	struct ratelimit_key key = { "employee:x", 3 };
	long gone;

	(void)state;
	assert_non_null(one);
	assert_non_null(two);
	memset(hk, 7, sizeof(hk));
	ratelimit_share(one, st, hk);
	ratelimit_share(two, st, hk);
	/* Two limiters (two instances) count against one limit; the
	 * wait runs to the end of the aligned window. */
	assert_int_equal(ratelimit_take(one, &key, 1, 600000), 0);
	assert_int_equal(ratelimit_take(two, &key, 1, 600001), 0);
	assert_int_equal(ratelimit_take(one, &key, 1, 600002), 0);
	assert_int_equal(ratelimit_take(two, &key, 1, 610000), 50000);
	assert_int_equal(ratelimit_take(one, &key, 1, 660000), 0);
	/* The purge keeps the window before the current one: at 720000,
	 * 660000's stays; 600000's goes, with test_take's two of 120000. */
	assert_int_equal(ratelimit_purge(one, 720000, &gone), 0);
	assert_int_equal(gone, 3);
	assert_int_equal(ratelimit_purge(one, 720000, &gone), 0);
	assert_int_equal(gone, 0);
	ratelimit_free(one);
	ratelimit_free(two);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_take),
		cmocka_unit_test(test_shared_limiter),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
