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
	{ 2, "audit_log",
	    {
		/*
		 * The audit trail. Rows are chained by hash (src/audit/);
		 * the triggers make the table append-only, except for the
		 * retention purge, which opens audit_gate for the length of
		 * its transaction and leaves a signed checkpoint. ip and
		 * details are sealed under the system:audit key.
		 */
		"CREATE TABLE audit_log ("
		" seq INTEGER PRIMARY KEY,"
		" at INTEGER NOT NULL,"
		" actor TEXT,"
		" action TEXT NOT NULL,"
		" target_type TEXT,"
		" target_ids TEXT,"
		" org TEXT,"
		" ip BLOB,"
		" request_id TEXT,"
		" outcome TEXT NOT NULL"
		"  CHECK (outcome IN ('success', 'failure', 'denied')),"
		" details BLOB,"
		" prev_hash BLOB NOT NULL,"
		" hash BLOB NOT NULL"
		") STRICT;"
		"CREATE INDEX audit_log_at ON audit_log (at);"
		"CREATE INDEX audit_log_actor ON audit_log (actor, at);"
		"CREATE INDEX audit_log_target ON audit_log (target_type, at);"
		"CREATE TABLE audit_head ("
		" id INTEGER PRIMARY KEY CHECK (id = 1),"
		" seq INTEGER NOT NULL,"
		" hash BLOB NOT NULL"
		") STRICT;"
		"CREATE TABLE audit_gate ("
		" id INTEGER PRIMARY KEY CHECK (id = 1),"
		" purging INTEGER NOT NULL CHECK (purging IN (0, 1))"
		") STRICT;"
		"INSERT INTO audit_gate (id, purging) VALUES (1, 0);"
		"CREATE TABLE audit_checkpoints ("
		" last_seq INTEGER PRIMARY KEY,"
		" last_hash BLOB NOT NULL,"
		" at INTEGER NOT NULL,"
		" purged INTEGER NOT NULL,"
		" signature BLOB NOT NULL"
		") STRICT;"
		"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
		" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
		"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
		" WHEN (SELECT purging FROM audit_gate WHERE id = 1) = 0"
		" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
		"CREATE TRIGGER audit_checkpoints_no_update"
		" BEFORE UPDATE ON audit_checkpoints"
		" BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;"
		"CREATE TRIGGER audit_checkpoints_no_delete"
		" BEFORE DELETE ON audit_checkpoints"
		" BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;",
		NULL,
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
	{ 2, "data_keys_by_version",
	    {
		/* Rotation lists and counts keys per master version. */
		"CREATE INDEX data_keys_version ON data_keys (master_version);",
		"CREATE INDEX data_keys_version ON data_keys (master_version);",
	    } },
};

const size_t store_key_migrations_count =
    sizeof(store_key_migrations) / sizeof(store_key_migrations[0]);
