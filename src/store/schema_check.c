/*
 * schema_check.c - the live schema against the declaration of every
 * column (columns.h).
 */
#include "store/columns.h"

#include <stdio.h>
#include <string.h>

#include "store/driver.h"

struct check {
	const struct store_driver *d;
	enum store_schema schema;
	char table[64], column[64];
	int undeclared;
};

static int
declared(enum store_schema schema, const char *table, const char *column)
{
	size_t i;

	for (i = 0; i < store_columns_count; i++)
		if (store_columns[i].schema == schema &&
		    strcmp(store_columns[i].table, table) == 0 &&
		    strcmp(store_columns[i].column, column) == 0)
			return 1;
	return 0;
}

static int
column_row(void *arg, const struct store_row *r)
{
	struct check *x = arg;
	const char *table = x->d->row_text(r, 0);
	const char *column = x->d->row_text(r, 1);

	if (table == NULL || column == NULL)
		return 0;
	if (declared(x->schema, table, column))
		return 0;
	snprintf(x->table, sizeof(x->table), "%s", table);
	snprintf(x->column, sizeof(x->column), "%s", column);
	x->undeclared = 1;
	return 1; /* the first one is enough */
}

int
store_columns_check(struct store *st, char *err, size_t errlen)
{
	struct check x;
	struct store_conn *c = store_conn(st);
	const char *sql;
	int rc;

	memset(&x, 0, sizeof(x));
	x.d = store_drv(st);
	x.schema = store_schema_of(st);
	if (c == NULL)
		return -1;
	if (strcmp(x.d->name, "sqlite") == 0)
		sql = "SELECT m.name, p.name FROM sqlite_master m,"
		      " pragma_table_info(m.name) p WHERE m.type = 'table'"
		      " AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid";
	else
		sql = "SELECT table_name, column_name FROM"
		      " information_schema.columns WHERE table_schema ="
		      " current_schema() ORDER BY table_name,"
		      " ordinal_position";
	rc = x.d->exec(c, sql, NULL, 0, column_row, &x);
	if (x.undeclared) {
		snprintf(err, errlen,
		    "undeclared column %s.%s: declare it in "
		    "src/store/columns.c and config/datamap.ini",
		    x.table, x.column);
		return 1;
	}
	if (rc != 0) {
		snprintf(err, errlen, "the schema could not be read");
		return -1;
	}
	return 0;
}
