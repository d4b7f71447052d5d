/* test_sqlite.c - src/store/sqlite.c: the settings every connection gets,
 * parameter binding by $n name, value types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/driver.h"
#include "unit.h"

static char dir[64];
static struct store *st;

static int
setup(void **state)
{
	char path[128], err[256];
	struct store_config c = { "sqlite", path, 1000 };

	(void)state;
	if (unit_tmpdir(dir, sizeof(dir)) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	st = store_open(&c, err, sizeof(err));
	return st ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	store_free(st);
	unit_rmdir(dir);
	return 0;
}

struct cell {
	int64_t i;
	char text[64];
	int is_null;
	unsigned char blob[16];
	size_t blob_len;
};

static int
first_row(void *arg, const struct store_row *r)
{
	struct cell *c = arg;
	const struct store_driver *d = &store_driver_sqlite;
	const char *t = d->row_text(r, 0);

	c->i = d->row_int(r, 0);
	c->is_null = d->row_is_null(r, 0);
	snprintf(c->text, sizeof(c->text), "%s", t ? t : "");
	return 1;
}

static struct cell
one(const char *sql, const struct store_val *p, size_t n)
{
	struct cell c;

	memset(&c, 0, sizeof(c));
	assert_int_equal(store_drv(st)->exec(store_conn(st), sql, p, n,
			     first_row, &c),
	    0);
	return c;
}

static void
test_connection_settings(void **state)
{
	(void)state;
	assert_string_equal(one("PRAGMA journal_mode", NULL, 0).text, "wal");
	assert_int_equal(one("PRAGMA synchronous", NULL, 0).i, 2); /* FULL */
	assert_int_equal(one("PRAGMA foreign_keys", NULL, 0).i, 1);
	assert_int_equal(one("PRAGMA secure_delete", NULL, 0).i, 1);
	assert_int_equal(one("PRAGMA trusted_schema", NULL, 0).i, 0);
}

static void
test_bind_by_name(void **state)
{
	struct store_val p[3];

	(void)state;
	p[0] = SV_I(40);
	p[1] = SV_T("ab");
	p[2] = SV_I(2);
	/* $n names the parameter: order and reuse follow the text. */
	assert_int_equal(one("SELECT $3 + $1 + $3", p, 3).i, 44);
	assert_string_equal(one("SELECT $2 || $2", p, 3).text, "abab");
	/* A parameter the statement does not use is skipped. */
	assert_int_equal(one("SELECT $1", p, 3).i, 40);
	p[1] = SV_T(NULL);
	assert_int_equal(one("SELECT $2", p, 3).is_null, 1);
}

static int
blob_row(void *arg, const struct store_row *r)
{
	struct cell *c = arg;
	size_t n;
	const void *b = store_driver_sqlite.row_blob(r, 0, &n);

	c->blob_len = n;
	memcpy(c->blob, b, n < sizeof(c->blob) ? n : sizeof(c->blob));
	return 1;
}

static void
test_blob_round_trip(void **state)
{
	static const unsigned char raw[5] = { 0, 1, 0xff, 0, 7 };
	struct store_val p[1];
	struct cell c;

	(void)state;
	p[0] = SV_B(raw, sizeof(raw));
	memset(&c, 0, sizeof(c));
	assert_int_equal(store_drv(st)->exec(store_conn(st), "SELECT $1", p, 1,
			     blob_row, &c),
	    0);
	assert_int_equal(c.blob_len, 5);
	assert_memory_equal(c.blob, raw, 5);
}

static void
test_errors_reported(void **state)
{
	(void)state;
	assert_int_equal(store_drv(st)->exec(store_conn(st),
			     "SELECT * FROM no_such_table", NULL, 0, NULL,
			     NULL),
	    -1);
	/* Double-quoted text is an identifier, never a silent string. */
	assert_int_equal(store_drv(st)->exec(store_conn(st), "SELECT \"nope\"",
			     NULL, 0, NULL, NULL),
	    -1);
}

static void
test_write_transaction_excludes_writers(void **state)
{
	char path[128], err[256];
	struct store_config c = { "sqlite", path, 50 };
	struct store *other;
	struct store_conn *a;

	(void)state;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	other = store_open(&c, err, sizeof(err));
	assert_non_null(other);
	a = store_conn(st);
	/* BEGIN IMMEDIATE takes the write lock at once: a second writer
	 * waits its busy timeout, then fails, instead of deadlocking later. */
	assert_int_equal(store_drv(st)->begin(a, 1), 0);
	fault_clear();
	assert_int_equal(store_drv(other)->begin(store_conn(other), 1), -1);
	/* Named for what it is, so the caller can answer "try again". */
	assert_int_equal(fault_get(), FAULT_BUSY);
	fault_clear();
	/* Readers are not blocked (WAL). */
	assert_int_equal(store_ping(other), 0);
	assert_int_equal(store_drv(st)->rollback(a), 0);
	store_free(other);
}

/*
 * SQLite's own "database or disk is full" (here from max_page_count, the
 * same SQLITE_FULL a full disk gives) is noted as FAULT_FULL; an ordinary
 * failure notes nothing.
 */
static void
test_full_noted(void **state)
{
	const struct store_driver *d = store_drv(st);
	struct store_conn *c = store_conn(st);
	static unsigned char big[64 * 1024];
	struct store_val p = SV_B(big, sizeof(big));
	struct cell pages;

	(void)state;
	assert_int_equal(d->exec(c, "CREATE TABLE fill (b BLOB)", NULL, 0, NULL,
			     NULL),
	    0);
	pages = one("PRAGMA page_count", NULL, 0);
	{
		char sql[64];

		snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lld",
		    (long long)pages.i + 2);
		assert_int_equal(d->exec(c, sql, NULL, 0, NULL, NULL), 0);
	}
	fault_clear();
	assert_int_equal(d->exec(c, "SELECT * FROM no_such_table", NULL, 0,
			     NULL, NULL),
	    -1);
	assert_int_equal(fault_get(), FAULT_NONE);
	assert_int_equal(d->exec(c, "INSERT INTO fill (b) VALUES ($1)", &p, 1,
			     NULL, NULL),
	    -1);
	assert_int_equal(fault_get(), FAULT_FULL);
	fault_clear();
	assert_int_equal(d->exec(c, "PRAGMA max_page_count = 1073741823", NULL,
			     0, NULL, NULL),
	    0);
	assert_int_equal(d->exec(c, "DROP TABLE fill", NULL, 0, NULL, NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connection_settings),
		cmocka_unit_test(test_bind_by_name),
		cmocka_unit_test(test_blob_round_trip),
		cmocka_unit_test(test_errors_reported),
		cmocka_unit_test(test_write_transaction_excludes_writers),
		cmocka_unit_test(test_full_noted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
