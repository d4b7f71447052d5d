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
	{ 7, "booking",
	    {
		/*
		 * Exam booking (RULES.md): the authority's centres, slots,
		 * coefficients and candidate registry; schools with their
		 * departments and trainers' ETP; mandates, baskets, exams;
		 * in-app notifications and the email outbox. The candidate's
		 * NEPH, names and email are sealed under the candidate's own
		 * key (subject:candidate:<id>), the NEPH found through a
		 * blind index. Notifications hold no personal data; outbox
		 * recipients and bodies are sealed under system:outbox.
		 */
		"CREATE TABLE exam_centres ("
		" id INTEGER PRIMARY KEY,"
		" name TEXT NOT NULL,"
		" department TEXT NOT NULL,"
		" address TEXT NOT NULL,"
		" created_at INTEGER NOT NULL"
		") STRICT;"
		"CREATE UNIQUE INDEX exam_centres_name ON exam_centres"
		" (department, name);"
		"CREATE TABLE schools ("
		" id INTEGER PRIMARY KEY,"
		" org_id TEXT NOT NULL UNIQUE REFERENCES organisations (id),"
		" created_at INTEGER NOT NULL"
		") STRICT;"
		"CREATE TABLE school_departments ("
		" school_id INTEGER NOT NULL REFERENCES schools (id),"
		" department TEXT NOT NULL,"
		" PRIMARY KEY (school_id, department)"
		") STRICT;"
		"CREATE TABLE trainer_etp ("
		" school_id INTEGER NOT NULL REFERENCES schools (id),"
		" trainer_ref TEXT NOT NULL,"
		" department TEXT NOT NULL,"
		" category TEXT NOT NULL,"
		" etp_centi INTEGER NOT NULL CHECK (etp_centi >= 0 AND"
		" etp_centi <= 100),"
		" PRIMARY KEY (school_id, trainer_ref, department, category)"
		") STRICT;"
		"CREATE TABLE coefficients ("
		" department TEXT NOT NULL,"
		" category TEXT NOT NULL,"
		" month INTEGER NOT NULL,"
		" centi INTEGER NOT NULL CHECK (centi >= 0),"
		" set_by TEXT,"
		" set_at INTEGER NOT NULL,"
		" PRIMARY KEY (department, category, month)"
		") STRICT;"
		"CREATE TABLE slots ("
		" id INTEGER PRIMARY KEY,"
		" centre_id INTEGER NOT NULL REFERENCES exam_centres (id),"
		" category TEXT NOT NULL,"
		" start_at INTEGER NOT NULL,"
		" inspector TEXT NOT NULL,"
		" published_at INTEGER NOT NULL,"
		" state TEXT NOT NULL CHECK (state IN ('free', 'held',"
		" 'booked', 'cancelled')),"
		" basket_id INTEGER,"
		" created_at INTEGER NOT NULL"
		") STRICT;"
		"CREATE INDEX slots_search ON slots (state, category,"
		" start_at);"
		"CREATE INDEX slots_centre ON slots (centre_id, start_at);"
		"CREATE INDEX slots_basket ON slots (basket_id);"
		"CREATE TABLE candidates ("
		" id INTEGER PRIMARY KEY,"
		" neph_index TEXT NOT NULL,"
		" category TEXT NOT NULL,"
		" neph BLOB NOT NULL,"
		" last_name BLOB NOT NULL,"
		" first_names BLOB NOT NULL,"
		" email BLOB,"
		" gearbox TEXT NOT NULL CHECK (gearbox IN ('manual',"
		" 'automatic')),"
		" account_id TEXT,"
		" created_at INTEGER NOT NULL,"
		" updated_at INTEGER NOT NULL,"
		" closed_at INTEGER"
		") STRICT;"
		"CREATE UNIQUE INDEX candidates_neph ON candidates"
		" (neph_index, category);"
		"CREATE INDEX candidates_account ON candidates (account_id);"
		"CREATE TABLE mandates ("
		" id INTEGER PRIMARY KEY,"
		" candidate_id INTEGER NOT NULL REFERENCES candidates (id),"
		" school_id INTEGER NOT NULL REFERENCES schools (id),"
		" category TEXT NOT NULL,"
		" state TEXT NOT NULL CHECK (state IN ('pending', 'active',"
		" 'revoked', 'expired')),"
		" origin TEXT NOT NULL CHECK (origin IN ('school',"
		" 'candidate')),"
		" created_by TEXT,"
		" created_at INTEGER NOT NULL,"
		" activated_at INTEGER,"
		" expires_at INTEGER,"
		" ended_at INTEGER"
		") STRICT;"
		"CREATE INDEX mandates_candidate ON mandates (candidate_id,"
		" category);"
		"CREATE INDEX mandates_school ON mandates (school_id, state);"
		"CREATE INDEX mandates_expiry ON mandates (state, expires_at);"
		"CREATE TABLE candidate_trainers ("
		" school_id INTEGER NOT NULL REFERENCES schools (id),"
		" candidate_id INTEGER NOT NULL REFERENCES candidates (id),"
		" trainer_account TEXT NOT NULL,"
		" assigned_at INTEGER NOT NULL,"
		" PRIMARY KEY (school_id, candidate_id)"
		") STRICT;"
		"CREATE INDEX candidate_trainers_trainer ON candidate_trainers"
		" (trainer_account);"
		"CREATE TABLE baskets ("
		" id INTEGER PRIMARY KEY,"
		" school_id INTEGER NOT NULL REFERENCES schools (id),"
		" owner_account TEXT NOT NULL UNIQUE,"
		" first_added_at INTEGER,"
		" warned INTEGER NOT NULL DEFAULT 0 CHECK (warned IN (0, 1)),"
		" created_at INTEGER NOT NULL"
		") STRICT;"
		"CREATE INDEX baskets_expiry ON baskets (first_added_at);"
		"CREATE TABLE basket_items ("
		" basket_id INTEGER NOT NULL REFERENCES baskets (id),"
		" slot_id INTEGER NOT NULL UNIQUE REFERENCES slots (id),"
		" candidate_id INTEGER REFERENCES candidates (id),"
		" position INTEGER NOT NULL,"
		" added_at INTEGER NOT NULL,"
		" PRIMARY KEY (basket_id, slot_id)"
		") STRICT;"
		"CREATE TABLE exams ("
		" id INTEGER PRIMARY KEY,"
		" slot_id INTEGER NOT NULL REFERENCES slots (id),"
		" school_id INTEGER NOT NULL REFERENCES schools (id),"
		" candidate_id INTEGER NOT NULL REFERENCES candidates (id),"
		" department TEXT NOT NULL,"
		" category TEXT NOT NULL,"
		" start_at INTEGER NOT NULL,"
		" month INTEGER NOT NULL,"
		" status TEXT NOT NULL CHECK (status IN ('booked',"
		" 'cancelled', 'passed', 'failed', 'absent')),"
		" replacements INTEGER NOT NULL DEFAULT 0,"
		" booked_by TEXT,"
		" created_at INTEGER NOT NULL,"
		" cancelled_at INTEGER,"
		" result_at INTEGER"
		") STRICT;"
		"CREATE UNIQUE INDEX exams_slot_live ON exams (slot_id) WHERE"
		" status <> 'cancelled';"
		"CREATE INDEX exams_quota ON exams (school_id, department,"
		" category, month, status);"
		"CREATE INDEX exams_candidate ON exams (candidate_id);"
		"CREATE TABLE quota_notices ("
		" school_id INTEGER NOT NULL REFERENCES schools (id),"
		" department TEXT NOT NULL,"
		" category TEXT NOT NULL,"
		" month INTEGER NOT NULL,"
		" level INTEGER NOT NULL,"
		" at INTEGER NOT NULL,"
		" PRIMARY KEY (school_id, department, category, month, level)"
		") STRICT;"
		"CREATE TABLE notifications ("
		" id INTEGER PRIMARY KEY,"
		" account_id TEXT NOT NULL,"
		" org_id TEXT,"
		" kind TEXT NOT NULL,"
		" params TEXT NOT NULL,"
		" created_at INTEGER NOT NULL,"
		" read_at INTEGER"
		") STRICT;"
		"CREATE INDEX notifications_account ON notifications"
		" (account_id, created_at);"
		"CREATE TABLE email_outbox ("
		" id INTEGER PRIMARY KEY,"
		" account_id TEXT,"
		" recipient BLOB NOT NULL,"
		" subject TEXT NOT NULL,"
		" body BLOB NOT NULL,"
		" state TEXT NOT NULL CHECK (state IN ('pending', 'sent',"
		" 'failed')),"
		" attempts INTEGER NOT NULL DEFAULT 0,"
		" next_attempt_at INTEGER NOT NULL,"
		" created_at INTEGER NOT NULL,"
		" sent_at INTEGER,"
		" last_error TEXT"
		") STRICT;"
		"CREATE INDEX email_outbox_due ON email_outbox (state,"
		" next_attempt_at);",
		"CREATE TABLE exam_centres ("
		" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
		" name TEXT NOT NULL,"
		" department TEXT NOT NULL,"
		" address TEXT NOT NULL,"
		" created_at BIGINT NOT NULL"
		");"
		"CREATE UNIQUE INDEX exam_centres_name ON exam_centres"
		" (department, name);"
		"CREATE TABLE schools ("
		" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
		" org_id TEXT NOT NULL UNIQUE REFERENCES organisations (id),"
		" created_at BIGINT NOT NULL"
		");"
		"CREATE TABLE school_departments ("
		" school_id BIGINT NOT NULL REFERENCES schools (id),"
		" department TEXT NOT NULL,"
		" PRIMARY KEY (school_id, department)"
		");"
		"CREATE TABLE trainer_etp ("
		" school_id BIGINT NOT NULL REFERENCES schools (id),"
		" trainer_ref TEXT NOT NULL,"
		" department TEXT NOT NULL,"
		" category TEXT NOT NULL,"
		" etp_centi BIGINT NOT NULL CHECK (etp_centi >= 0 AND"
		" etp_centi <= 100),"
		" PRIMARY KEY (school_id, trainer_ref, department, category)"
		");"
		"CREATE TABLE coefficients ("
		" department TEXT NOT NULL,"
		" category TEXT NOT NULL,"
		" month BIGINT NOT NULL,"
		" centi BIGINT NOT NULL CHECK (centi >= 0),"
		" set_by TEXT,"
		" set_at BIGINT NOT NULL,"
		" PRIMARY KEY (department, category, month)"
		");"
		"CREATE TABLE slots ("
		" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
		" centre_id BIGINT NOT NULL REFERENCES exam_centres (id),"
		" category TEXT NOT NULL,"
		" start_at BIGINT NOT NULL,"
		" inspector TEXT NOT NULL,"
		" published_at BIGINT NOT NULL,"
		" state TEXT NOT NULL CHECK (state IN ('free', 'held',"
		" 'booked', 'cancelled')),"
		" basket_id BIGINT,"
		" created_at BIGINT NOT NULL"
		");"
		"CREATE INDEX slots_search ON slots (state, category,"
		" start_at);"
		"CREATE INDEX slots_centre ON slots (centre_id, start_at);"
		"CREATE INDEX slots_basket ON slots (basket_id);"
		"CREATE TABLE candidates ("
		" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
		" neph_index TEXT NOT NULL,"
		" category TEXT NOT NULL,"
		" neph BYTEA NOT NULL,"
		" last_name BYTEA NOT NULL,"
		" first_names BYTEA NOT NULL,"
		" email BYTEA,"
		" gearbox TEXT NOT NULL CHECK (gearbox IN ('manual',"
		" 'automatic')),"
		" account_id TEXT,"
		" created_at BIGINT NOT NULL,"
		" updated_at BIGINT NOT NULL,"
		" closed_at BIGINT"
		");"
		"CREATE UNIQUE INDEX candidates_neph ON candidates"
		" (neph_index, category);"
		"CREATE INDEX candidates_account ON candidates (account_id);"
		"CREATE TABLE mandates ("
		" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
		" candidate_id BIGINT NOT NULL REFERENCES candidates (id),"
		" school_id BIGINT NOT NULL REFERENCES schools (id),"
		" category TEXT NOT NULL,"
		" state TEXT NOT NULL CHECK (state IN ('pending', 'active',"
		" 'revoked', 'expired')),"
		" origin TEXT NOT NULL CHECK (origin IN ('school',"
		" 'candidate')),"
		" created_by TEXT,"
		" created_at BIGINT NOT NULL,"
		" activated_at BIGINT,"
		" expires_at BIGINT,"
		" ended_at BIGINT"
		");"
		"CREATE INDEX mandates_candidate ON mandates (candidate_id,"
		" category);"
		"CREATE INDEX mandates_school ON mandates (school_id, state);"
		"CREATE INDEX mandates_expiry ON mandates (state, expires_at);"
		"CREATE TABLE candidate_trainers ("
		" school_id BIGINT NOT NULL REFERENCES schools (id),"
		" candidate_id BIGINT NOT NULL REFERENCES candidates (id),"
		" trainer_account TEXT NOT NULL,"
		" assigned_at BIGINT NOT NULL,"
		" PRIMARY KEY (school_id, candidate_id)"
		");"
		"CREATE INDEX candidate_trainers_trainer ON candidate_trainers"
		" (trainer_account);"
		"CREATE TABLE baskets ("
		" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
		" school_id BIGINT NOT NULL REFERENCES schools (id),"
		" owner_account TEXT NOT NULL UNIQUE,"
		" first_added_at BIGINT,"
		" warned BIGINT NOT NULL DEFAULT 0 CHECK (warned IN (0, 1)),"
		" created_at BIGINT NOT NULL"
		");"
		"CREATE INDEX baskets_expiry ON baskets (first_added_at);"
		"CREATE TABLE basket_items ("
		" basket_id BIGINT NOT NULL REFERENCES baskets (id),"
		" slot_id BIGINT NOT NULL UNIQUE REFERENCES slots (id),"
		" candidate_id BIGINT REFERENCES candidates (id),"
		" position BIGINT NOT NULL,"
		" added_at BIGINT NOT NULL,"
		" PRIMARY KEY (basket_id, slot_id)"
		");"
		"CREATE TABLE exams ("
		" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
		" slot_id BIGINT NOT NULL REFERENCES slots (id),"
		" school_id BIGINT NOT NULL REFERENCES schools (id),"
		" candidate_id BIGINT NOT NULL REFERENCES candidates (id),"
		" department TEXT NOT NULL,"
		" category TEXT NOT NULL,"
		" start_at BIGINT NOT NULL,"
		" month BIGINT NOT NULL,"
		" status TEXT NOT NULL CHECK (status IN ('booked',"
		" 'cancelled', 'passed', 'failed', 'absent')),"
		" replacements BIGINT NOT NULL DEFAULT 0,"
		" booked_by TEXT,"
		" created_at BIGINT NOT NULL,"
		" cancelled_at BIGINT,"
		" result_at BIGINT"
		");"
		"CREATE UNIQUE INDEX exams_slot_live ON exams (slot_id) WHERE"
		" status <> 'cancelled';"
		"CREATE INDEX exams_quota ON exams (school_id, department,"
		" category, month, status);"
		"CREATE INDEX exams_candidate ON exams (candidate_id);"
		"CREATE TABLE quota_notices ("
		" school_id BIGINT NOT NULL REFERENCES schools (id),"
		" department TEXT NOT NULL,"
		" category TEXT NOT NULL,"
		" month BIGINT NOT NULL,"
		" level BIGINT NOT NULL,"
		" at BIGINT NOT NULL,"
		" PRIMARY KEY (school_id, department, category, month, level)"
		");"
		"CREATE TABLE notifications ("
		" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
		" account_id TEXT NOT NULL,"
		" org_id TEXT,"
		" kind TEXT NOT NULL,"
		" params TEXT NOT NULL,"
		" created_at BIGINT NOT NULL,"
		" read_at BIGINT"
		");"
		"CREATE INDEX notifications_account ON notifications"
		" (account_id, created_at);"
		"CREATE TABLE email_outbox ("
		" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
		" account_id TEXT,"
		" recipient BYTEA NOT NULL,"
		" subject TEXT NOT NULL,"
		" body BYTEA NOT NULL,"
		" state TEXT NOT NULL CHECK (state IN ('pending', 'sent',"
		" 'failed')),"
		" attempts BIGINT NOT NULL DEFAULT 0,"
		" next_attempt_at BIGINT NOT NULL,"
		" created_at BIGINT NOT NULL,"
		" sent_at BIGINT,"
		" last_error TEXT"
		");"
		"CREATE INDEX email_outbox_due ON email_outbox (state,"
		" next_attempt_at);",
	    } },
	{ 8, "privacy",
	    {
		/*
		 * The consent ledger and the policy acknowledgements
		 * (src/gdpr/consent.c): one row per consent given, closed
		 * by its withdrawal (or its renewal under a newer policy),
		 * never rewritten; both follow the account on erasure. The
		 * rights-request register (src/gdpr/request.c): subject's
		 * identity, message, reasons and outcome sealed under
		 * system:rights in details; subject_account has no foreign
		 * key because the register outlives an erased account.
		 * accounts.restricted_at: Art. 18 restriction in force.
		 */
		"CREATE TABLE consents ("
		" id INTEGER PRIMARY KEY,"
		" account_id TEXT NOT NULL REFERENCES accounts (id)"
		"  ON DELETE CASCADE,"
		" purpose TEXT NOT NULL,"
		" policy_version TEXT NOT NULL,"
		" given_at INTEGER NOT NULL,"
		" given_via TEXT NOT NULL CHECK (given_via IN ('web', 'api')),"
		" withdrawn_at INTEGER,"
		" withdrawn_via TEXT CHECK (withdrawn_via IN ('web', 'api',"
		"  'renewed'))"
		") STRICT;"
		"CREATE UNIQUE INDEX consents_open ON consents (account_id,"
		" purpose) WHERE withdrawn_at IS NULL;"
		"CREATE TABLE policy_acks ("
		" account_id TEXT NOT NULL REFERENCES accounts (id)"
		"  ON DELETE CASCADE,"
		" version TEXT NOT NULL,"
		" acknowledged_at INTEGER NOT NULL,"
		" PRIMARY KEY (account_id, version)"
		") STRICT;"
		"CREATE TABLE rights_requests ("
		" id TEXT PRIMARY KEY,"
		" org_id TEXT NOT NULL REFERENCES organisations (id),"
		" kind TEXT NOT NULL CHECK (kind IN ('access', 'rectification',"
		"  'erasure', 'restriction', 'objection', 'portability')),"
		" subject_account TEXT,"
		" received_at INTEGER NOT NULL,"
		" identity_verified_at INTEGER,"
		" due_at INTEGER NOT NULL,"
		" extended_months INTEGER NOT NULL DEFAULT 0"
		"  CHECK (extended_months BETWEEN 0 AND 2),"
		" state TEXT NOT NULL CHECK (state IN ('received', 'verified',"
		"  'extended', 'done', 'refused')),"
		" closed_at INTEGER,"
		" opened_by TEXT,"
		" updated_at INTEGER NOT NULL,"
		" reminded_7_at INTEGER,"
		" reminded_1_at INTEGER,"
		" details BLOB NOT NULL"
		") STRICT;"
		"CREATE INDEX rights_requests_org ON rights_requests (org_id,"
		" received_at);"
		"CREATE INDEX rights_requests_due ON rights_requests (state,"
		" due_at);"
		"ALTER TABLE accounts ADD COLUMN restricted_at INTEGER;",
		"CREATE TABLE consents ("
		" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
		" account_id TEXT NOT NULL REFERENCES accounts (id)"
		"  ON DELETE CASCADE,"
		" purpose TEXT NOT NULL,"
		" policy_version TEXT NOT NULL,"
		" given_at BIGINT NOT NULL,"
		" given_via TEXT NOT NULL CHECK (given_via IN ('web', 'api')),"
		" withdrawn_at BIGINT,"
		" withdrawn_via TEXT CHECK (withdrawn_via IN ('web', 'api',"
		"  'renewed'))"
		");"
		"CREATE UNIQUE INDEX consents_open ON consents (account_id,"
		" purpose) WHERE withdrawn_at IS NULL;"
		"CREATE TABLE policy_acks ("
		" account_id TEXT NOT NULL REFERENCES accounts (id)"
		"  ON DELETE CASCADE,"
		" version TEXT NOT NULL,"
		" acknowledged_at BIGINT NOT NULL,"
		" PRIMARY KEY (account_id, version)"
		");"
		"CREATE TABLE rights_requests ("
		" id TEXT PRIMARY KEY,"
		" org_id TEXT NOT NULL REFERENCES organisations (id),"
		" kind TEXT NOT NULL CHECK (kind IN ('access', 'rectification',"
		"  'erasure', 'restriction', 'objection', 'portability')),"
		" subject_account TEXT,"
		" received_at BIGINT NOT NULL,"
		" identity_verified_at BIGINT,"
		" due_at BIGINT NOT NULL,"
		" extended_months BIGINT NOT NULL DEFAULT 0"
		"  CHECK (extended_months BETWEEN 0 AND 2),"
		" state TEXT NOT NULL CHECK (state IN ('received', 'verified',"
		"  'extended', 'done', 'refused')),"
		" closed_at BIGINT,"
		" opened_by TEXT,"
		" updated_at BIGINT NOT NULL,"
		" reminded_7_at BIGINT,"
		" reminded_1_at BIGINT,"
		" details BYTEA NOT NULL"
		");"
		"CREATE INDEX rights_requests_org ON rights_requests (org_id,"
		" received_at);"
		"CREATE INDEX rights_requests_due ON rights_requests (state,"
		" due_at);"
		"ALTER TABLE accounts ADD COLUMN restricted_at BIGINT;",
	    } },
	{ 9, "slot_requests",
	    {
		/*
		 * A regional supervisor's slot change requests
		 * (src/service/supervision.c): move an exam to another slot
		 * or cancel it, applied only when an administrator of the
		 * exam's school approves. org_id is that school's
		 * organisation. reason is the supervisor's short note (at
		 * most 200 characters, declared as planning_note); a
		 * request goes with its exam when the exam is purged.
		 */
		"CREATE TABLE slot_requests ("
		" id INTEGER PRIMARY KEY,"
		" org_id TEXT NOT NULL REFERENCES organisations (id),"
		" exam_id INTEGER NOT NULL REFERENCES exams (id)"
		"  ON DELETE CASCADE,"
		" kind TEXT NOT NULL CHECK (kind IN ('move', 'cancel')),"
		" target_slot_id INTEGER REFERENCES slots (id),"
		" reason TEXT NOT NULL,"
		" requested_by TEXT NOT NULL,"
		" requested_at INTEGER NOT NULL,"
		" state TEXT NOT NULL CHECK (state IN ('pending', 'approved',"
		"  'rejected', 'failed')),"
		" decided_by TEXT,"
		" decided_at INTEGER,"
		" outcome_code TEXT,"
		" CHECK ((kind = 'move') = (target_slot_id IS NOT NULL))"
		") STRICT;"
		"CREATE INDEX slot_requests_org ON slot_requests (org_id,"
		" state, requested_at);"
		"CREATE INDEX slot_requests_by ON slot_requests (requested_by,"
		" requested_at);"
		"CREATE INDEX slot_requests_exam ON slot_requests (exam_id);",
		"CREATE TABLE slot_requests ("
		" id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
		" org_id TEXT NOT NULL REFERENCES organisations (id),"
		" exam_id BIGINT NOT NULL REFERENCES exams (id)"
		"  ON DELETE CASCADE,"
		" kind TEXT NOT NULL CHECK (kind IN ('move', 'cancel')),"
		" target_slot_id BIGINT REFERENCES slots (id),"
		" reason TEXT NOT NULL,"
		" requested_by TEXT NOT NULL,"
		" requested_at BIGINT NOT NULL,"
		" state TEXT NOT NULL CHECK (state IN ('pending', 'approved',"
		"  'rejected', 'failed')),"
		" decided_by TEXT,"
		" decided_at BIGINT,"
		" outcome_code TEXT,"
		" CHECK ((kind = 'move') = (target_slot_id IS NOT NULL))"
		");"
		"CREATE INDEX slot_requests_org ON slot_requests (org_id,"
		" state, requested_at);"
		"CREATE INDEX slot_requests_by ON slot_requests (requested_by,"
		" requested_at);"
		"CREATE INDEX slot_requests_exam ON slot_requests (exam_id);",
	    } },
	{ 10, "people_place",
	    {
		/*
		 * The people's place (auth.h, AUTH_PEOPLE_ORG): a platform
		 * organisation of its own for the accounts of candidates and
		 * users, which schools reach through mandates only. Accounts
		 * holding nothing but the people's roles move into it with
		 * their roles, rights requests and sign-in journal; grants
		 * they held (staff permissions) are dropped. An account that
		 * mixes a person's role with a staff role stays where it is
		 * (docs/architecture.md says how to split it). No new column.
		 */
		"INSERT INTO organisations (id, name, kind, created_at)"
		" VALUES ('706572736f6e6e657300000000000000',"
		" 'Espace des personnes (candidats et usagers)', 'platform',"
		" CAST(strftime('%s', 'now') AS INTEGER) * 1000);"
		"UPDATE accounts SET org_id = '706572736f6e6e657300000000000000'"
		" WHERE id IN (SELECT account_id FROM account_roles"
		"  WHERE role IN ('candidate', 'user'))"
		" AND id NOT IN (SELECT account_id FROM account_roles"
		"  WHERE role NOT IN ('candidate', 'user'));"
		"UPDATE account_roles SET org_id = '706572736f6e6e657300000000000000'"
		" WHERE account_id IN (SELECT id FROM accounts"
		"  WHERE org_id = '706572736f6e6e657300000000000000');"
		"DELETE FROM grants WHERE account_id IN (SELECT id FROM"
		" accounts WHERE org_id = '706572736f6e6e657300000000000000');"
		"UPDATE rights_requests SET org_id = '706572736f6e6e657300000000000000'"
		" WHERE subject_account IN (SELECT id FROM accounts"
		"  WHERE org_id = '706572736f6e6e657300000000000000');"
		"UPDATE login_journal SET org_id = '706572736f6e6e657300000000000000'"
		" WHERE account_id IN (SELECT id FROM accounts"
		"  WHERE org_id = '706572736f6e6e657300000000000000');",
		"INSERT INTO organisations (id, name, kind, created_at)"
		" VALUES ('706572736f6e6e657300000000000000',"
		" 'Espace des personnes (candidats et usagers)', 'platform',"
		" CAST(EXTRACT(EPOCH FROM now()) * 1000 AS BIGINT));"
		"UPDATE accounts SET org_id = '706572736f6e6e657300000000000000'"
		" WHERE id IN (SELECT account_id FROM account_roles"
		"  WHERE role IN ('candidate', 'user'))"
		" AND id NOT IN (SELECT account_id FROM account_roles"
		"  WHERE role NOT IN ('candidate', 'user'));"
		"UPDATE account_roles SET org_id = '706572736f6e6e657300000000000000'"
		" WHERE account_id IN (SELECT id FROM accounts"
		"  WHERE org_id = '706572736f6e6e657300000000000000');"
		"DELETE FROM grants WHERE account_id IN (SELECT id FROM"
		" accounts WHERE org_id = '706572736f6e6e657300000000000000');"
		"UPDATE rights_requests SET org_id = '706572736f6e6e657300000000000000'"
		" WHERE subject_account IN (SELECT id FROM accounts"
		"  WHERE org_id = '706572736f6e6e657300000000000000');"
		"UPDATE login_journal SET org_id = '706572736f6e6e657300000000000000'"
		" WHERE account_id IN (SELECT id FROM accounts"
		"  WHERE org_id = '706572736f6e6e657300000000000000');",
	    } },
	{ 11, "basket_expired_at",
	    {
		/*
		 * When a basket's last life ended by expiry (its slots
		 * given back by the job or on the next read); NULL once a
		 * slot starts a new life. Validating such an empty basket
		 * answers PANIER_EXPIRE instead of an empty success.
		 */
		"ALTER TABLE baskets ADD COLUMN expired_at INTEGER;",
		"ALTER TABLE baskets ADD COLUMN expired_at BIGINT;",
	    } },
	{ 12, "sign_in_hardening",
	    {
		/*
		 * Sign-in hardening (src/auth/throttle.c, device.c,
		 * reauth.c). known_devices holds the device cookies set at
		 * a successful full sign-in: the hash of the random value
		 * only, bound to one account, so a known browser keeps
		 * signing in under its own growing delay whatever a
		 * stranger does to the account. throttle.alerted_at is when
		 * the holder was last told that their account is being
		 * guessed at (0: never). sessions.reauth_at is when the
		 * session last proved its password and current second
		 * factor together (0: never), which a change of password
		 * or second factor needs within a few minutes.
		 */
		"CREATE TABLE known_devices ("
		" token_hash BLOB PRIMARY KEY,"
		" account_id TEXT NOT NULL REFERENCES accounts (id)"
		"  ON DELETE CASCADE,"
		" created_at INTEGER NOT NULL,"
		" last_used_at INTEGER NOT NULL,"
		" expires_at INTEGER NOT NULL"
		") STRICT;"
		"CREATE INDEX known_devices_account ON known_devices"
		" (account_id);"
		"CREATE INDEX known_devices_expiry ON known_devices"
		" (expires_at);"
		"ALTER TABLE throttle ADD COLUMN alerted_at INTEGER NOT NULL"
		" DEFAULT 0;"
		"ALTER TABLE sessions ADD COLUMN reauth_at INTEGER NOT NULL"
		" DEFAULT 0;",
		"CREATE TABLE known_devices ("
		" token_hash BYTEA PRIMARY KEY,"
		" account_id TEXT NOT NULL REFERENCES accounts (id)"
		"  ON DELETE CASCADE,"
		" created_at BIGINT NOT NULL,"
		" last_used_at BIGINT NOT NULL,"
		" expires_at BIGINT NOT NULL"
		");"
		"CREATE INDEX known_devices_account ON known_devices"
		" (account_id);"
		"CREATE INDEX known_devices_expiry ON known_devices"
		" (expires_at);"
		"ALTER TABLE throttle ADD COLUMN alerted_at BIGINT NOT NULL"
		" DEFAULT 0;"
		"ALTER TABLE sessions ADD COLUMN reauth_at BIGINT NOT NULL"
		" DEFAULT 0;",
	    } },
	{ 13, "slot_requests_reason_sealed",
	    {
		/*
		 * The supervisor's note is sealed under the author's own key
		 * (subject:<account id>) in reason_sealed, so an erasure
		 * shreds it in every backup too. The old text column stays,
		 * always empty: the text of existing rows is moved, sealed,
		 * at start-up (svc_slot_request_seal_legacy), which needs the
		 * keys a migration does not have; from here on nothing may
		 * write a text there (triggers in SQLite, a constraint that
		 * checks new rows in PostgreSQL).
		 */
		"ALTER TABLE slot_requests ADD COLUMN reason_sealed BLOB;"
		"CREATE TRIGGER slot_requests_reason_insert BEFORE INSERT ON"
		" slot_requests WHEN NEW.reason <> ''"
		" BEGIN SELECT RAISE(ABORT, 'slot_requests.reason is sealed in"
		" reason_sealed'); END;"
		"CREATE TRIGGER slot_requests_reason_update BEFORE UPDATE OF"
		" reason ON slot_requests WHEN NEW.reason <> ''"
		" BEGIN SELECT RAISE(ABORT, 'slot_requests.reason is sealed in"
		" reason_sealed'); END;",
		"ALTER TABLE slot_requests ADD COLUMN reason_sealed BYTEA;"
		"ALTER TABLE slot_requests ADD CONSTRAINT"
		" slot_requests_reason_empty CHECK (reason = '') NOT VALID;",
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
