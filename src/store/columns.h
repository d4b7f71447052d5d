/*
 * columns.h - what every column of the schema holds, as far as personal
 * data goes.
 *
 * Every column of every table is declared here; a unit test fails when a
 * migration adds one that is not (or when a declared one disappears), so
 * personal data cannot enter the schema unnoticed. Sealed columns hold
 * only field_seal() output; references are opaque ids that identify a
 * person only through another table.
 */
#ifndef CRENEAU_COLUMNS_H
#define CRENEAU_COLUMNS_H

#include <stddef.h>

#include "store/store.h"

enum column_kind {
	COL_NONE, /* no personal data */
	COL_REFERENCE, /* an opaque id that points at a person */
	COL_SEALED, /* personal data, encrypted (crypto/field.h) */
	COL_BLIND_INDEX, /* keyed hash of personal data, for lookups */
};

struct column_decl {
	enum store_schema schema;
	const char *table;
	const char *column;
	enum column_kind kind;
	const char *what; /* the data category, for the data map */
};

extern const struct column_decl store_columns[];
extern const size_t store_columns_count;

/*
 * Reads the live schema of st (its tables and their columns, SQLite or
 * PostgreSQL) and checks each column is declared in store_columns for
 * st's schema, so that a column added by hand or by a migration without
 * its declaration is refused when the server starts instead of holding
 * undeclared personal data. Returns 0; 1 with one line naming the first
 * undeclared table and column in err; -1 when the schema cannot be read.
 */
int store_columns_check(struct store *st, char *err, size_t errlen);

#endif
