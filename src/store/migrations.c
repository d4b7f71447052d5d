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
	{ 3, "identity",
	    {
		/*
		 * Organisations, accounts and what they may do; sessions;
		 * the connection journal; login throttling. Personal data
		 * (email, name, TOTP secret, IP, user agent) is sealed under
		 * the account's own data key (subject:<account id>) or, for
		 * attempts on unknown accounts, under system:journal.
		 */
		"CREATE TABLE organisations ("
		" id TEXT PRIMARY KEY,"
		" name TEXT NOT NULL,"
		" kind TEXT NOT NULL CHECK (kind IN ('platform', 'school',"
		"  'authority', 'service', 'association', 'tenant')),"
		" created_at INTEGER NOT NULL"
		") STRICT;"
		"CREATE TABLE accounts ("
		" id TEXT PRIMARY KEY,"
		" org_id TEXT NOT NULL REFERENCES organisations (id),"
		" email_index TEXT NOT NULL UNIQUE,"
		" email BLOB NOT NULL,"
		" display_name BLOB NOT NULL,"
		" password_hash TEXT NOT NULL,"
		" password_temporary INTEGER NOT NULL CHECK"
		"  (password_temporary IN (0, 1)),"
		" password_changed_at INTEGER NOT NULL,"
		" totp_secret BLOB,"
		" totp_last_step INTEGER NOT NULL DEFAULT 0,"
		" status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),"
		" created_at INTEGER NOT NULL,"
		" last_login_at INTEGER"
		") STRICT;"
		"CREATE INDEX accounts_org ON accounts (org_id);"
		"CREATE TABLE account_roles ("
		" account_id TEXT NOT NULL REFERENCES accounts (id)"
		"  ON DELETE CASCADE,"
		" org_id TEXT NOT NULL REFERENCES organisations (id),"
		" role TEXT NOT NULL,"
		" PRIMARY KEY (account_id, org_id, role)"
		") STRICT;"
		"CREATE TABLE grants ("
		" id TEXT PRIMARY KEY,"
		" account_id TEXT NOT NULL REFERENCES accounts (id)"
		"  ON DELETE CASCADE,"
		" org_id TEXT NOT NULL REFERENCES organisations (id),"
		" permission TEXT NOT NULL,"
		" granted_by TEXT NOT NULL,"
		" created_at INTEGER NOT NULL,"
		" expires_at INTEGER NOT NULL"
		") STRICT;"
		"CREATE INDEX grants_account ON grants (account_id, expires_at);"
		"CREATE TABLE recovery_codes ("
		" account_id TEXT NOT NULL REFERENCES accounts (id)"
		"  ON DELETE CASCADE,"
		" code_hash TEXT NOT NULL,"
		" used_at INTEGER,"
		" PRIMARY KEY (account_id, code_hash)"
		") STRICT;"
		"CREATE TABLE sessions ("
		" id_hash BLOB PRIMARY KEY,"
		" account_id TEXT NOT NULL REFERENCES accounts (id)"
		"  ON DELETE CASCADE,"
		" csrf_hash BLOB NOT NULL,"
		" created_at INTEGER NOT NULL,"
		" last_seen_at INTEGER NOT NULL,"
		" expires_at INTEGER NOT NULL,"
		" idle_ms INTEGER NOT NULL,"
		" public INTEGER NOT NULL CHECK (public IN (0, 1)),"
		" mfa_done INTEGER NOT NULL CHECK (mfa_done IN (0, 1)),"
		" user_agent BLOB"
		") STRICT;"
		"CREATE INDEX sessions_account ON sessions (account_id);"
		"CREATE TABLE login_journal ("
		" id INTEGER PRIMARY KEY,"
		" at INTEGER NOT NULL,"
		" account_id TEXT,"
		" org_id TEXT,"
		" event TEXT NOT NULL CHECK (event IN ('login', 'failure',"
		"  'mfa_success', 'mfa_failure', 'locked', 'logout')),"
		" key_owner TEXT NOT NULL,"
		" ip BLOB,"
		" user_agent BLOB"
		") STRICT;"
		"CREATE INDEX login_journal_org ON login_journal (org_id, at);"
		"CREATE INDEX login_journal_at ON login_journal (at);"
		"CREATE TABLE throttle ("
		" key TEXT PRIMARY KEY,"
		" failures INTEGER NOT NULL,"
		" day_failures INTEGER NOT NULL,"
		" day_start INTEGER NOT NULL,"
		" last_failure_at INTEGER NOT NULL,"
		" locked_until INTEGER NOT NULL"
		") STRICT;",
		NULL,
	    } },
	{ 4, "identity_totp_pending",
	    {
		/*
		 * A TOTP secret being enrolled, sealed under the account's
		 * key, until a first code confirms it and it moves to
		 * totp_secret. Stale throttle rows are purged by age.
		 */
		"ALTER TABLE accounts ADD COLUMN totp_pending BLOB;"
		"CREATE INDEX throttle_age ON throttle (last_failure_at);",
		NULL,
	    } },
	{ 5, "purge_reports",
	    {
		/*
		 * One row per run of the retention engine (src/gdpr/
		 * retention.c): when, whether at a simulated time, and the
		 * counts per rule and per category as JSON. Never any of the
		 * data purged.
		 */
		"CREATE TABLE purge_reports ("
		" id INTEGER PRIMARY KEY,"
		" started_at INTEGER NOT NULL,"
		" finished_at INTEGER NOT NULL,"
		" simulated INTEGER NOT NULL CHECK (simulated IN (0, 1)),"
		" report TEXT NOT NULL"
		") STRICT;",
		"CREATE TABLE purge_reports ("
		" id BIGSERIAL PRIMARY KEY,"
		" started_at BIGINT NOT NULL,"
		" finished_at BIGINT NOT NULL,"
		" simulated INTEGER NOT NULL CHECK (simulated IN (0, 1)),"
		" report TEXT NOT NULL"
		");",
	    } },
	{ 6, "breaches",
	    {
		/*
		 * The breach register (GDPR Art. 33(5), src/gdpr/breach.c):
		 * every incident, notified or not, kept forever. The
		 * free-text facts are sealed under system:breach in details;
		 * the trigger (rule) refuses any deletion.
		 */
		"CREATE TABLE breaches ("
		" id TEXT PRIMARY KEY,"
		" org_id TEXT NOT NULL REFERENCES organisations (id),"
		" opened_by TEXT,"
		" created_at INTEGER NOT NULL,"
		" updated_at INTEGER NOT NULL,"
		" discovered_at INTEGER NOT NULL,"
		" risk TEXT NOT NULL CHECK (risk IN ('low', 'high')),"
		" people_count INTEGER NOT NULL CHECK (people_count >= 0),"
		" records_count INTEGER NOT NULL CHECK (records_count >= 0),"
		" notified_at INTEGER,"
		" people_informed_at INTEGER,"
		" details BLOB NOT NULL"
		") STRICT;"
		"CREATE INDEX breaches_org ON breaches (org_id, discovered_at);"
		"CREATE TRIGGER breaches_kept BEFORE DELETE ON breaches"
		" BEGIN SELECT RAISE(ABORT, 'breaches are kept'); END;",
		"CREATE TABLE breaches ("
		" id TEXT PRIMARY KEY,"
		" org_id TEXT NOT NULL REFERENCES organisations (id),"
		" opened_by TEXT,"
		" created_at BIGINT NOT NULL,"
		" updated_at BIGINT NOT NULL,"
		" discovered_at BIGINT NOT NULL,"
		" risk TEXT NOT NULL CHECK (risk IN ('low', 'high')),"
		" people_count BIGINT NOT NULL CHECK (people_count >= 0),"
		" records_count BIGINT NOT NULL CHECK (records_count >= 0),"
		" notified_at BIGINT,"
		" people_informed_at BIGINT,"
		" details BYTEA NOT NULL"
		");"
		"CREATE INDEX breaches_org ON breaches (org_id, discovered_at);"
		"CREATE RULE breaches_kept AS ON DELETE TO breaches"
		" DO INSTEAD NOTHING;",
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
