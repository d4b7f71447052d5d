/* test_store.c - src/store/store.c: opening, per-thread connections,
 * transactions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sys/stat.h>

#include "store/driver.h"
#include "unit.h"

struct fixture {
	char dir[64];
	char path[128];
	struct store *st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct store_config c = { "sqlite", f->path, 2000 };
	char err[256];
	int from, to;

	*state = f;
	if (unit_tmpdir(f->dir, sizeof(f->dir)) != 0)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/sub/dir/t.db", f->dir);
	f->st = store_open(&c, err, sizeof(err));
	if (f->st == NULL || store_migrate(f->st, &from, &to, err, sizeof(err)))
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_free(f->st);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

static void
test_open_creates_private_files(void **state)
{
	struct fixture *f = *state;
	struct stat sb;
	char sub[160];

	/* Parent directories are created owner-only. */
	snprintf(sub, sizeof(sub), "%s/sub/dir", f->dir);
	assert_int_equal(stat(sub, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(store_ping(f->st), 0);
}

static void
test_open_fails_cleanly(void **state)
{
	struct store_config c = { "sqlite", "/proc/no/such/place/x.db", 100 };
	struct store_config d = { "mysql", "/tmp/x.db", 100 };
	char err[256];

	(void)state;
	err[0] = '\0';
	assert_null(store_open(&c, err, sizeof(err)));
	assert_non_null(strstr(err, "[store] path"));
	assert_null(store_open(&d, err, sizeof(err)));
	assert_non_null(strstr(err, "[store] driver"));
}

static void *
thread_conn(void *arg)
{
	struct store *st = arg;

	/* Each thread gets its own connection, and it works. */
	if (store_ping(st) != 0)
		return NULL;
	return store_conn(st);
}

static void
test_connection_per_thread(void **state)
{
	struct fixture *f = *state;
	struct store_conn *mine = store_conn(f->st), *a, *b;
	pthread_t t1, t2;
	void *r1, *r2;

	assert_non_null(mine);
	assert_ptr_equal(store_conn(f->st), mine); /* stable on one thread */
	pthread_create(&t1, NULL, thread_conn, f->st);
	pthread_join(t1, &r1);
	pthread_create(&t2, NULL, thread_conn, f->st);
	pthread_join(t2, &r2);
	a = r1;
	b = r2;
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, mine);
}

static int
insert_two(struct store *st, struct store_conn *c, void *arg)
{
	int fail_second = *(int *)arg;

	if (store_job_record(st, "first", 1, 2, "ok") != 0)
		return -1;
	(void)c;
	if (fail_second)
		return -7; /* the caller's own failure code comes back */
	return store_job_record(st, "second", 1, 2, "ok");
}

static void
test_tx_commit_and_rollback(void **state)
{
	struct fixture *f = *state;
	int64_t at;
	int fail = 1;

	/* A failed step leaves nothing behind: no half-written change. */
	assert_int_equal(store_tx(f->st, 1, insert_two, &fail), -7);
	assert_int_equal(store_job_last_start(f->st, "first", &at), 1);
	fail = 0;
	assert_int_equal(store_tx(f->st, 1, insert_two, &fail), 0);
	assert_int_equal(store_job_last_start(f->st, "first", &at), 0);
	assert_int_equal(store_job_last_start(f->st, "second", &at), 0);
}

static void
test_integrity_and_maintain(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_integrity_check(f->st), 0);
	assert_int_equal(store_maintain(f->st), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_creates_private_files,
		    setup, teardown),
		cmocka_unit_test(test_open_fails_cleanly),
		cmocka_unit_test_setup_teardown(test_connection_per_thread,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_tx_commit_and_rollback,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_integrity_and_maintain,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
