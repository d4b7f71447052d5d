/* test_store.c - src/store/store.c: opening, per-thread connections,
 * transactions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>

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

/* Milliseconds on the monotonic clock. */
static long long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct holder {
	struct store *st;
	atomic_int inside;
	long hold_ms;
};

static int
hold_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct holder *h = arg;
	struct timespec ts = { h->hold_ms / 1000,
		(h->hold_ms % 1000) * 1000000L };

	(void)st;
	(void)c;
	atomic_store(&h->inside, 1);
	nanosleep(&ts, NULL);
	return 0;
}

static void *
hold_thread(void *arg)
{
	struct holder *h = arg;

	store_tx(h->st, 1, hold_tx, h);
	return NULL;
}

static int
hold_count(struct store *st, struct store_conn *c, void *arg)
{
	(void)st;
	(void)c;
	(*(int *)arg)++;
	return 0;
}

static int
noop_tx(struct store *st, struct store_conn *c, void *arg)
{
	(void)st;
	(void)c;
	(void)arg;
	return 0;
}

/*
 * A long write transaction makes another writer of the same process fail
 * after the busy timeout (2 s here) with FAULT_BUSY instead of waiting for
 * it to end (4 s); reads and the health ping go on meanwhile.
 */
static void
test_writer_wait_bounded(void **state)
{
	struct fixture *f = *state;
	struct holder h = { f->st, 0, 4000 };
	struct timespec nap = { 0, 10 * 1000000L };
	long long t0, waited;
	pthread_t t;
	int64_t at;
	int rc;

	assert_int_equal(pthread_create(&t, NULL, hold_thread, &h), 0);
	while (!atomic_load(&h.inside))
		nanosleep(&nap, NULL);
	assert_int_equal(store_ping(f->st), 0);
	assert_int_equal(store_job_last_start(f->st, "none", &at), 1);
	fault_clear();
	t0 = mono_ms();
	rc = store_tx(f->st, 1, noop_tx, NULL);
	waited = mono_ms() - t0;
	assert_int_equal(rc, -1);
	assert_int_equal(fault_get(), FAULT_BUSY);
	assert_true(waited >= 1900);
	assert_true(waited < 3500);
	/* Busy is about this request, not the store's state. */
	assert_int_equal(store_condition(f->st), FAULT_NONE);
	pthread_join(t, NULL);
	fault_clear();
	assert_int_equal(store_tx(f->st, 1, noop_tx, NULL), 0);
	assert_int_equal(fault_get(), FAULT_NONE);
}

static int
fill_tx(struct store *st, struct store_conn *c, void *arg)
{
	static unsigned char big[32 * 1024];
	struct store_val p = SV_B(big, sizeof(big));

	(void)arg;
	return store_drv(st)->exec(c, "INSERT INTO fill (b) VALUES ($1)", &p, 1,
	    NULL, NULL);
}

static int
count_row(void *arg, const struct store_row *r)
{
	*(int64_t *)arg = store_driver_sqlite.row_int(r, 0);
	return 0;
}

/* Sets this thread's connection's max_page_count to the current size
 * plus extra pages (SQLite's real SQLITE_FULL, as a full disk gives). */
static void
cap_pages(struct store *st, long extra)
{
	const struct store_driver *d = store_drv(st);
	struct store_conn *c = store_conn(st);
	int64_t n = 0;
	char sql[64];

	assert_int_equal(d->exec(c, "PRAGMA page_count", NULL, 0, count_row,
			     &n),
	    0);
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld",
	    extra < 0 ? 1073741823LL : (long long)n + extra);
	assert_int_equal(d->exec(c, sql, NULL, 0, NULL, NULL), 0);
}

/*
 * A write that finds no room fails with FAULT_FULL and the store says it
 * cannot write, while reads go on; the next write that commits clears it.
 */
static void
test_full_then_room_again(void **state)
{
	struct fixture *f = *state;
	const struct store_driver *d = store_drv(f->st);
	int64_t at;

	assert_int_equal(d->exec(store_conn(f->st),
			     "CREATE TABLE fill (b BLOB)", NULL, 0, NULL, NULL),
	    0);
	cap_pages(f->st, 1);
	fault_clear();
	assert_int_equal(store_tx(f->st, 1, fill_tx, NULL), -1);
	assert_int_equal(fault_get(), FAULT_FULL);
	assert_int_equal(store_condition(f->st), FAULT_FULL);
	assert_int_equal(store_ping(f->st), 0);
	assert_int_equal(store_job_last_start(f->st, "none", &at), 1);
	fault_clear();
	cap_pages(f->st, -1);
	assert_int_equal(store_tx(f->st, 1, fill_tx, NULL), 0);
	assert_int_equal(fault_get(), FAULT_NONE);
	assert_int_equal(store_condition(f->st), FAULT_NONE);
}

/* Writes garbage over page n (1-based) of the database file path. */
static void
spoil_page(const char *path, long n)
{
	unsigned char junk[4096];
	FILE *fp = fopen(path, "r+b");

	assert_non_null(fp);
	memset(junk, 0xA5, sizeof(junk));
	assert_int_equal(fseek(fp, (n - 1) * 4096L, SEEK_SET), 0);
	assert_int_equal(fwrite(junk, 1, sizeof(junk), fp), sizeof(junk));
	fclose(fp);
}

/*
 * The start-up check finds damaged pages; the store then refuses writes
 * (nothing more goes into a damaged file) and says why. A sound
 * database passes; a check cut by its time bound says so.
 */
static void
test_quick_check_and_damage(void **state)
{
	struct fixture *f = *state;
	struct store_config c = { "sqlite", f->path, 2000 };
	const struct store_driver *d = store_drv(f->st);
	char err[256];
	int i, called = 0;

	assert_int_equal(d->exec(store_conn(f->st),
			     "CREATE TABLE fill (b BLOB)", NULL, 0, NULL, NULL),
	    0);
	for (i = 0; i < 40; i++)
		assert_int_equal(store_tx(f->st, 1, fill_tx, NULL), 0);
	assert_int_equal(store_quick_check(f->st, 10000, err, sizeof(err)), 0);
	assert_int_equal(store_quick_check(f->st, 0, err, sizeof(err)), 1);
	assert_int_equal(store_condition(f->st), FAULT_NONE);
	assert_int_equal(store_maintain(f->st), 0);
	store_free(f->st);

	spoil_page(f->path, 5);
	f->st = store_open(&c, err, sizeof(err));
	assert_non_null(f->st);
	fault_clear();
	assert_int_equal(store_quick_check(f->st, 10000, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "fails its integrity check"));
	assert_int_equal(store_condition(f->st), FAULT_DAMAGED);
	fault_clear();
	assert_int_equal(store_tx(f->st, 1, hold_count, &called), -1);
	assert_int_equal(called, 0);
	assert_int_equal(fault_get(), FAULT_DAMAGED);
	fault_clear();
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
		cmocka_unit_test_setup_teardown(test_writer_wait_bounded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_full_then_room_again,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_quick_check_and_damage,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_integrity_and_maintain,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
