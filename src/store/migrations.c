/*
 * migrations.c - the schema, one step at a time.
 *
 * Append only: a step that has shipped is never edited; a change is a new
 * step. Each step has a SQLite and a PostgreSQL text. Tables that will hold
 * personal data must be declared in the data map (docs/architecture.md).
 */
#include "store/driver.h"

const struct store_migration store_migrations[] = {
	{ 1, "job_runs",
	    {
		/* When each background job last ran, so a daily job does not
		 * run again at every restart. No personal data. */
		"CREATE TABLE job_runs ("
		" name TEXT PRIMARY KEY,"
		" last_started_at INTEGER NOT NULL,"
		" last_finished_at INTEGER NOT NULL,"
		" last_outcome TEXT NOT NULL"
		"  CHECK (last_outcome IN ('ok', 'failed')),"
		" runs INTEGER NOT NULL DEFAULT 0"
		") STRICT;",
		"CREATE TABLE job_runs ("
		" name TEXT PRIMARY KEY,"
		" last_started_at BIGINT NOT NULL,"
		" last_finished_at BIGINT NOT NULL,"
		" last_outcome TEXT NOT NULL"
		"  CHECK (last_outcome IN ('ok', 'failed')),"
		" runs BIGINT NOT NULL DEFAULT 0"
		");",
	    } },
};

const size_t store_migrations_count =
    sizeof(store_migrations) / sizeof(store_migrations[0]);
