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

/*
 * The keystore's schema: a separate file holding every data key wrapped
 * under a master key version. Destroying a row makes the data it protected
 * unreadable everywhere, database backups included.
 */
const struct store_migration store_key_migrations[] = {
	{ 1, "data_keys",
	    {
		"CREATE TABLE data_keys ("
		" owner TEXT PRIMARY KEY,"
		" master_version INTEGER NOT NULL,"
		" wrapped BLOB NOT NULL,"
		" created_at INTEGER NOT NULL"
		") STRICT;"
		"CREATE TABLE destroyed_keys ("
		" owner TEXT PRIMARY KEY,"
		" destroyed_at INTEGER NOT NULL"
		") STRICT;",
		"CREATE TABLE data_keys ("
		" owner TEXT PRIMARY KEY,"
		" master_version INTEGER NOT NULL,"
		" wrapped BYTEA NOT NULL,"
		" created_at BIGINT NOT NULL"
		");"
		"CREATE TABLE destroyed_keys ("
		" owner TEXT PRIMARY KEY,"
		" destroyed_at BIGINT NOT NULL"
		");",
	    } },
};

const size_t store_key_migrations_count =
    sizeof(store_key_migrations) / sizeof(store_key_migrations[0]);
