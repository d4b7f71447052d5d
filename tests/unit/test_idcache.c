/*
 * test_idcache.c - auth/idcache.c and the identity epoch of migration 37.
 *
 * The cache: an entry is used only under the epoch it was read under and
 * before its time runs out; an older reading never replaces a newer one.
 * The epoch: every column of the tables a session's check reads raises
 * it when written, except the few listed here as read by no check (a
 * column added later without a decision fails this test), and so do
 * deletions and the insertions that give rights.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth/idcache.h"
#include "store/driver.h"
#include "store/identity.h"
#include "unit.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	return sodium_init() < 0 || unit_tmpdir(dir, sizeof(dir)) != 0 ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	unit_rmdir(dir);
	return 0;
}

static struct idcache_entry
entry(unsigned char b, int64_t epoch, int64_t valid_until)
{
	struct idcache_entry e;

	memset(&e, 0, sizeof(e));
	memset(e.s.id_hash, b, sizeof(e.s.id_hash));
	snprintf(e.s.account_id, sizeof(e.s.account_id), "acc-%u", b);
	e.s.last_seen_at = 1000;
	e.granted = 5;
	e.epoch = epoch;
	e.valid_until = valid_until;
	return e;
}

static void
test_hit_and_bounds(void **state)
{
	struct idcache *ic = idcache_new(64);
	struct idcache_entry e = entry(7, 3, 5000), out;

	(void)state;
	assert_non_null(ic);
	assert_int_equal(idcache_get(ic, e.s.id_hash, 3, 2000, &out), 1);
	idcache_put(ic, &e);
	assert_int_equal(idcache_get(ic, e.s.id_hash, 3, 2000, &out), 0);
	assert_string_equal(out.s.account_id, "acc-7");
	assert_int_equal(out.granted, 5);
	/* Another epoch: something changed since it was read. */
	assert_int_equal(idcache_get(ic, e.s.id_hash, 4, 2000, &out), 1);
	/* Its time is up, or the clock went back before its reading. */
	assert_int_equal(idcache_get(ic, e.s.id_hash, 3, 5000, &out), 1);
	assert_int_equal(idcache_get(ic, e.s.id_hash, 3, 999, &out), 1);
	/* Another session's hash. */
	e.s.id_hash[5] ^= 1;
	assert_int_equal(idcache_get(ic, e.s.id_hash, 3, 2000, &out), 1);
	idcache_free(ic);
}

static void
test_newer_wins(void **state)
{
	struct idcache *ic = idcache_new(64);
	struct idcache_entry newer = entry(9, 6, 9000),
			     older = entry(9, 5, 9000), out;

	(void)state;
	assert_non_null(ic);
	idcache_put(ic, &newer);
	/* A request that read epoch 5 and finished after one that read 6. */
	idcache_put(ic, &older);
	assert_int_equal(idcache_get(ic, newer.s.id_hash, 6, 2000, &out), 0);
	assert_int_equal(idcache_get(ic, newer.s.id_hash, 5, 2000, &out), 1);
	/* The school is added only to the reading of the same epoch. */
	idcache_set_school(ic, newer.s.id_hash, 5, 42);
	assert_int_equal(idcache_get(ic, newer.s.id_hash, 6, 2000, &out), 0);
	assert_int_equal(out.school_id, 0);
	idcache_set_school(ic, newer.s.id_hash, 6, 42);
	assert_int_equal(idcache_get(ic, newer.s.id_hash, 6, 2000, &out), 0);
	assert_int_equal(out.school_id, 42);
	idcache_free(ic);
}

static void
test_one_slot_replaced(void **state)
{
	struct idcache *ic = idcache_new(1);
	struct idcache_entry a = entry(1, 1, 9000), b = entry(2, 1, 9000), out;

	(void)state;
	assert_non_null(ic);
	idcache_put(ic, &a);
	idcache_put(ic, &b);
	assert_int_equal(idcache_get(ic, a.s.id_hash, 1, 2000, &out), 1);
	assert_int_equal(idcache_get(ic, b.s.id_hash, 1, 2000, &out), 0);
	idcache_free(ic);
}

/* The identity epoch on a migrated database. */

static struct store *st;
static struct store_conn *conn;

static int64_t
epoch(void)
{
	int64_t n = -1;

	assert_int_equal(store_identity_epoch(st, conn, &n), 0);
	return n;
}

static void
exec(const char *sql)
{
	if (store_drv(st)->exec(conn, sql, NULL, 0, NULL, NULL) != 0)
		fail_msg("%s", sql);
}

struct cols {
	char name[32][40];
	int n;
};

static int
col_row(void *arg, const struct store_row *r)
{
	struct cols *c = arg;

	if (c->n < 32)
		assert_int_equal(store_row_copy_text(c->name[c->n++],
				     sizeof(c->name[0]), store_drv(st), r, 1),
		    0);
	return 0;
}

/* Columns no session check reads: their writes keep the cache. */
static const struct {
	const char *table, *column;
} harmless[] = {
	{ "sessions", "last_seen_at" }, /* the touch, every 30 s */
	{ "sessions", "user_agent" },
	{ "sessions", "oidc_provider" },
	{ "sessions", "oidc_id_token" },
	{ "accounts", "email_index" },
	{ "accounts", "email" },
	{ "accounts", "display_name" },
	{ "accounts", "totp_last_step" }, /* every second factor given */
	{ "accounts", "created_at" },
	{ "accounts", "last_login_at" }, /* every sign-in */
	{ "accounts", "totp_pending" },
	{ "accounts", "restricted_at" },
};

static int
is_harmless(const char *table, const char *column)
{
	size_t i;

	for (i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++)
		if (strcmp(harmless[i].table, table) == 0 &&
		    strcmp(harmless[i].column, column) == 0)
			return 1;
	return 0;
}

static void
test_epoch_triggers(void **state)
{
	static const char *const tables[] = { "organisations", "accounts",
		"sessions", "account_roles", "grants", "tenants", "schools" };
	/* Children first. */
	static const char *const deletes[] = { "sessions", "account_roles",
		"grants", "schools", "tenants", "accounts", "organisations" };
	char path[128], err[256], sql[256];
	struct store_config cfg = { "sqlite", path, 2000, STORE_SCHEMA_MAIN };
	int a, b;
	size_t t, i;
	int64_t e;

	(void)state;
	snprintf(path, sizeof(path), "%s/epoch.db", dir);
	st = store_open(&cfg, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_migrate(st, &a, &b, err, sizeof(err)), 0);
	conn = store_conn(st);
	assert_non_null(conn);

	/* New organisations, accounts and sessions change no one's rights:
	 * a sign-in keeps everyone's cache. */
	e = epoch();
	exec("INSERT INTO organisations (id, name, kind, created_at)"
	     " VALUES ('o1', 'Tilleuls', 'school', 1)");
	exec(
	    "INSERT INTO accounts (id, org_id, email_index, email,"
	    " display_name, password_hash, password_temporary,"
	    " password_changed_at, status, created_at)"
	    " VALUES ('a1', 'o1', 'i1', x'00', x'00', 'h', 0, 1, 'active', 1)");
	exec("INSERT INTO sessions (id_hash, account_id, csrf_hash, created_at,"
	     " last_seen_at, expires_at, idle_ms, public, mfa_done)"
	     " VALUES (x'01', 'a1', x'02', 1, 1, 2, 1, 0, 1)");
	exec("INSERT INTO schools (org_id, created_at) VALUES ('o1', 1)");
	assert_int_equal(epoch(), e);
	/* Roles, grants and an organisation's settings do. */
	exec("INSERT INTO account_roles (account_id, org_id, role)"
	     " VALUES ('a1', 'o1', 'school_manager')");
	assert_true(epoch() > e);
	e = epoch();
	exec("INSERT INTO grants (id, account_id, org_id, permission,"
	     " granted_by, created_at, expires_at)"
	     " VALUES ('g1', 'a1', 'o1', 'p', 'a1', 1, 2)");
	assert_true(epoch() > e);
	e = epoch();
	exec("INSERT INTO tenants (org_id, state_at, updated_at)"
	     " VALUES ('o1', 1, 1)");
	assert_true(epoch() > e);

	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		struct cols c;

		memset(&c, 0, sizeof(c));
		snprintf(sql, sizeof(sql), "PRAGMA table_info(%s)", tables[t]);
		assert_int_equal(store_drv(st)->exec(conn, sql, NULL, 0,
				     col_row, &c),
		    0);
		assert_true(c.n > 1);
		for (i = 0; i < (size_t)c.n; i++) {
			e = epoch();
			snprintf(sql, sizeof(sql), "UPDATE %s SET %s = %s",
			    tables[t], c.name[i], c.name[i]);
			exec(sql);
			if (is_harmless(tables[t], c.name[i])) {
				if (epoch() != e)
					fail_msg("%s.%s is read by no check "
						 "but raises the epoch",
					    tables[t], c.name[i]);
			} else if (epoch() <= e)
				fail_msg("a write to %s.%s keeps the epoch: "
					 "a trigger of migration 37 must "
					 "name it, or this test list it as "
					 "read by no session check",
				    tables[t], c.name[i]);
		}
	}
	for (t = 0; t < sizeof(deletes) / sizeof(deletes[0]); t++) {
		e = epoch();
		snprintf(sql, sizeof(sql), "DELETE FROM %s", deletes[t]);
		exec(sql);
		if (epoch() <= e)
			fail_msg("a deletion from %s keeps the epoch",
			    deletes[t]);
	}
	store_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_and_bounds),
		cmocka_unit_test(test_newer_wins),
		cmocka_unit_test(test_one_slot_replaced),
		cmocka_unit_test(test_epoch_triggers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
