/* test_migrate.c - src/store/migrate.c: versions, idempotence, refusal of
 * a newer schema, concurrent migration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>

#include "store/driver.h"
#include "unit.h"

static char dir[64], path[128];

static struct store *
open_store(void)
{
	struct store_config c = { "sqlite", path, 5000 };
	char err[256];

	return store_open(&c, err, sizeof(err));
}

static int
setup(void **state)
{
	(void)state;
	if (unit_tmpdir(dir, sizeof(dir)) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/m.db", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unit_rmdir(dir);
	return 0;
}

static void
test_fresh_database(void **state)
{
	struct store *st = open_store();
	char err[256];
	int v, from, to;

	(void)state;
	assert_non_null(st);
	assert_int_equal(store_schema_version(st, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(store_migrate(st, &from, &to, err, sizeof(err)), 0);
	assert_int_equal(from, 0);
	assert_int_equal(to, store_schema_latest());
	/* Again: nothing to do. */
	assert_int_equal(store_migrate(st, &from, &to, err, sizeof(err)), 0);
	assert_int_equal(from, to);
	assert_int_equal(store_schema_version(st, &v), 0);
	assert_int_equal(v, store_schema_latest());
	store_free(st);
}

static void
test_versions_ascend(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < store_migrations_count; i++) {
		assert_int_equal(store_migrations[i].version, (int)i + 1);
		assert_non_null(store_migrations[i].sql[DIALECT_SQLITE]);
		assert_non_null(store_migrations[i].name);
	}
}

static void
test_newer_schema_refused(void **state)
{
	struct store *st = open_store();
	struct store_val p[1];
	char err[256];
	int from, to;

	(void)state;
	assert_int_equal(store_migrate(st, &from, &to, err, sizeof(err)), 0);
	p[0] = SV_I(store_schema_latest() + 5);
	assert_int_equal(
	    store_drv(st)->exec(store_conn(st),
		"INSERT INTO schema_migrations VALUES ($1, 'x', 'y')", p, 1,
		NULL, NULL),
	    0);
	err[0] = '\0';
	assert_int_equal(store_migrate(st, &from, &to, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "newer than this binary"));
	store_free(st);
}

static void *
migrate_thread(void *arg)
{
	struct store *st = open_store();
	char err[256];
	int from, to;

	*(int *)arg = st ? store_migrate(st, &from, &to, err, sizeof(err)) : -1;
	store_free(st);
	return NULL;
}

static int
count_row(void *arg, const struct store_row *r)
{
	*(int64_t *)arg = store_driver_sqlite.row_int(r, 0);
	return 1;
}

static void
test_concurrent_migrations_apply_once(void **state)
{
	pthread_t t[4];
	int rc[4], i;
	int64_t n = -1;
	struct store *st;

	(void)state;
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, migrate_thread, &rc[i]);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(rc[i], 0);
	}
	st = open_store();
	assert_int_equal(store_drv(st)->exec(store_conn(st),
			     "SELECT COUNT(*) FROM schema_migrations", NULL, 0,
			     count_row, &n),
	    0);
	assert_int_equal(n, (int64_t)store_migrations_count);
	store_free(st);
}

static int
one_row(void *arg, const struct store_row *r)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static int
rows(struct store *st, const char *sql)
{
	int n = 0;

	assert_int_equal(store_drv(st)->exec(store_conn(st), sql, NULL, 0,
			     one_row, &n),
	    0);
	return n;
}

#define PEOPLE "706572736f6e6e657300000000000000"
#define ACCOUNT(id, org)                                                       \
	"INSERT INTO accounts (id, org_id, email_index, email, display_name,"  \
	" password_hash, password_temporary, password_changed_at, status,"     \
	" created_at) VALUES ('" id "', '" org "', 'ix-" id "', x'00',"        \
	" x'00', 'h', 0, 0, 'active', 0);"

/*
 * Migration 10: a candidate made in a school before it moves to the
 * people's place with its roles, rights requests and journal; its grants
 * (staff permissions) go; staff and mixed accounts stay.
 */
static void
test_people_place_migration(void **state)
{
	struct store *st = open_store();
	const struct store_driver *d;
	char err[256];
	int from, to;

	(void)state;
	assert_non_null(st);
	assert_int_equal(store_migrate(st, &from, &to, err, sizeof(err)), 0);
	d = store_drv(st);
	/* Accounts as they were before step 10, which then runs again on
	 * them (later steps may not run twice, so only this one does). */
	assert_int_equal(
	    d->exec_script(store_conn(st),
		"DELETE FROM organisations WHERE id = '" PEOPLE "';"
		"INSERT INTO organisations VALUES ('school',"
		" 'Auto-école', 'school', 0);" ACCOUNT("cand",
		    "school") ACCOUNT("staff", "school") ACCOUNT("mixed",
		    "school") "INSERT INTO account_roles VALUES"
			      " ('cand', 'school', 'candidate'),"
			      " ('staff', 'school', 'trainer'),"
			      " ('mixed', 'school', 'candidate'),"
			      " ('mixed', 'school', 'trainer');"
			      "INSERT INTO grants VALUES ('g1', 'cand', 'school',"
			      " 'journal.read', 'staff', 0, 9999999999999),"
			      " ('g2', 'staff', 'school', 'journal.read',"
			      " 'staff', 0, 9999999999999);"
			      "INSERT INTO rights_requests (id, org_id, kind,"
			      " subject_account, received_at, due_at, state,"
			      " updated_at, details) VALUES ('r1', 'school',"
			      " 'access', 'cand', 0, 1, 'received', 0, x'00');"
			      "INSERT INTO login_journal (at, account_id, org_id,"
			      " event, key_owner) VALUES (0, 'cand', 'school',"
			      " 'login', 'k');"),
	    0);
	assert_int_equal(store_migrations[9].version, 10);
	assert_int_equal(d->exec_script(store_conn(st),
			     store_migrations[9].sql[0]),
	    0);
	assert_int_equal(rows(st,
			     "SELECT 1 FROM organisations WHERE id = '" PEOPLE
			     "' AND kind = 'platform'"),
	    1);
	assert_int_equal(rows(st,
			     "SELECT 1 FROM accounts WHERE id = 'cand' AND"
			     " org_id = '" PEOPLE "'"),
	    1);
	assert_int_equal(rows(st,
			     "SELECT 1 FROM account_roles WHERE account_id ="
			     " 'cand' AND org_id = '" PEOPLE "'"),
	    1);
	assert_int_equal(rows(st, "SELECT 1 FROM grants WHERE id = 'g1'"), 0);
	assert_int_equal(rows(st, "SELECT 1 FROM grants WHERE id = 'g2'"), 1);
	assert_int_equal(
	    rows(st,
		"SELECT 1 FROM rights_requests WHERE org_id = '" PEOPLE "'"),
	    1);
	assert_int_equal(
	    rows(st, "SELECT 1 FROM login_journal WHERE org_id = '" PEOPLE "'"),
	    1);
	assert_int_equal(rows(st,
			     "SELECT 1 FROM accounts WHERE org_id = 'school'"
			     " AND id IN ('staff', 'mixed')"),
	    2);
	store_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_database, setup,
		    teardown),
		cmocka_unit_test(test_versions_ascend),
		cmocka_unit_test_setup_teardown(test_people_place_migration,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_concurrent_migrations_apply_once, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
