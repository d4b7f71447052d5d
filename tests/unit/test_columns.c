/*
 * test_columns.c - src/store/columns.c: every column of both schemas is
 * declared, every sealed column holds only sealed values, and known
 * personal data written through the product is absent from the raw
 * database files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>

#include "audit/audit.h"
#include "crypto/field.h"
#include "store/columns.h"
#include "store/driver.h"
#include "unit.h"

static char dir[64];

static struct store *
open_schema(const char *name, enum store_schema schema)
{
	static char paths[2][128];
	struct store_config c = { "sqlite", paths[schema], 2000, schema };
	char err[256];
	int a, b;
	struct store *st;

	snprintf(paths[schema], sizeof(paths[schema]), "%s/%s", dir, name);
	st = store_open(&c, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_migrate(st, &a, &b, err, sizeof(err)), 0);
	return st;
}

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

struct walk {
	enum store_schema schema;
	int missing;
	int seen[1024]; /* DATAMAP_MAX_COLUMNS */
};

static const struct column_decl *
declared(enum store_schema schema, const char *table, const char *column,
    size_t *idx)
{
	size_t i;

	for (i = 0; i < store_columns_count; i++)
		if (store_columns[i].schema == schema &&
		    strcmp(store_columns[i].table, table) == 0 &&
		    strcmp(store_columns[i].column, column) == 0) {
			*idx = i;
			return &store_columns[i];
		}
	return NULL;
}

static int
column_row(void *arg, const struct store_row *r)
{
	struct walk *w = arg;
	const char *table = store_driver_sqlite.row_text(r, 0);
	const char *column = store_driver_sqlite.row_text(r, 1);
	size_t idx;

	if (declared(w->schema, table, column, &idx) == NULL) {
		print_error("undeclared column %s.%s: declare it in "
			    "src/store/columns.c\n",
		    table, column);
		w->missing++;
	} else {
		w->seen[idx] = 1;
	}
	return 0;
}

static void
check_schema(struct store *st, enum store_schema schema, struct walk *w)
{
	w->schema = schema;
	assert_int_equal(
	    store_drv(st)->exec(store_conn(st),
		"SELECT m.name, p.name FROM sqlite_master m,"
		" pragma_table_info(m.name) p WHERE m.type = 'table'"
		" AND m.name NOT LIKE 'sqlite_%'",
		NULL, 0, column_row, w),
	    0);
}

static void
test_every_column_declared(void **state)
{
	struct store *main_st = open_schema("m.db", STORE_SCHEMA_MAIN);
	struct store *keys_st = open_schema("k.db", STORE_SCHEMA_KEYS);
	struct walk w;
	size_t i;

	(void)state;
	assert_true(store_columns_count < 1024);
	memset(&w, 0, sizeof(w));
	check_schema(main_st, STORE_SCHEMA_MAIN, &w);
	check_schema(keys_st, STORE_SCHEMA_KEYS, &w);
	assert_int_equal(w.missing, 0);
	for (i = 0; i < store_columns_count; i++)
		if (!w.seen[i])
			fail_msg("declared column %s.%s is not in the schema",
			    store_columns[i].table, store_columns[i].column);
	store_free(main_st);
	store_free(keys_st);
}

struct sealed_check {
	int values, bad;
};

static int
sealed_row(void *arg, const struct store_row *r)
{
	struct sealed_check *s = arg;
	size_t n;
	const unsigned char *b;
	uint32_t v;

	if (store_driver_sqlite.row_is_null(r, 0))
		return 0;
	b = store_driver_sqlite.row_blob(r, 0, &n);
	s->values++;
	if (field_key_version(b, n, &v) != 0)
		s->bad++;
	return 0;
}

/* Reads a whole file into memory (the caller frees). */
static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long len;

	*n = 0;
	if (f == NULL)
		return calloc(1, 1);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)len + 1);
	*n = fread(p, 1, (size_t)len, f);
	fclose(f);
	return p;
}

static void
test_sealed_columns_hold_no_plaintext(void **state)
{
	static const char ip[] = "192.0.2.201", secret[] = "Dominique Lefebvre";
	struct store *st = open_schema("p.db", STORE_SCHEMA_MAIN);
	struct data_key key;
	struct audit_entry e;
	struct sealed_check s;
	char sql[256], path[160], details[128];
	const char *suffix[] = { "", "-wal" };
	size_t i, n;
	char *raw;

	(void)state;
	randombytes_buf(key.k, sizeof(key.k));
	snprintf(details, sizeof(details), "{\"name\":\"%s\"}", secret);
	memset(&e, 0, sizeof(e));
	e.actor = "acct-1";
	e.action = "test.personal";
	e.ip = ip;
	e.details = details;
	e.outcome = AUDIT_SUCCESS;
	for (i = 0; i < 20; i++)
		assert_int_equal(audit_record(st, &key, (int64_t)i, &e), 0);

	/* Every value of every sealed column is a sealed field. */
	for (i = 0; i < store_columns_count; i++) {
		if (store_columns[i].kind != COL_SEALED ||
		    store_columns[i].schema != STORE_SCHEMA_MAIN)
			continue;
		memset(&s, 0, sizeof(s));
		snprintf(sql, sizeof(sql), "SELECT %s FROM %s",
		    store_columns[i].column, store_columns[i].table);
		assert_int_equal(store_drv(st)->exec(store_conn(st), sql, NULL,
				     0, sealed_row, &s),
		    0);
		if (strcmp(store_columns[i].table, "audit_log") == 0)
			assert_true(s.values > 0); /* the workload wrote them */
		assert_int_equal(s.bad, 0);
	}
	/* And the raw files, log included, never hold the plaintext. */
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/p.db%s", dir, suffix[i]);
		raw = slurp(path, &n);
		assert_null(memmem(raw, n, ip, strlen(ip)));
		assert_null(memmem(raw, n, secret, strlen(secret)));
		free(raw);
	}
	assert_int_equal(store_maintain(st), 0);
	snprintf(path, sizeof(path), "%s/p.db", dir);
	raw = slurp(path, &n);
	assert_true(n > 0);
	assert_null(memmem(raw, n, secret, strlen(secret)));
	free(raw);
	store_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_column_declared),
		cmocka_unit_test(test_sealed_columns_hold_no_plaintext),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
