/* columns.c - the personal-data declaration of every column. */
#include "store/columns.h"

#define M STORE_SCHEMA_MAIN
#define K STORE_SCHEMA_KEYS

const struct column_decl store_columns[] = {
	{ M, "schema_migrations", "version", COL_NONE, NULL },
	{ M, "schema_migrations", "name", COL_NONE, NULL },
	{ M, "schema_migrations", "applied_at", COL_NONE, NULL },
	{ M, "job_runs", "name", COL_NONE, NULL },
	{ M, "job_runs", "last_started_at", COL_NONE, NULL },
	{ M, "job_runs", "last_finished_at", COL_NONE, NULL },
	{ M, "job_runs", "last_outcome", COL_NONE, NULL },
	{ M, "job_runs", "runs", COL_NONE, NULL },
	{ M, "audit_log", "seq", COL_NONE, NULL },
	{ M, "audit_log", "at", COL_NONE, NULL },
	{ M, "audit_log", "actor", COL_REFERENCE, "account id" },
	{ M, "audit_log", "action", COL_NONE, NULL },
	{ M, "audit_log", "target_type", COL_NONE, NULL },
	{ M, "audit_log", "target_ids", COL_REFERENCE, "record ids" },
	{ M, "audit_log", "org", COL_NONE, NULL },
	{ M, "audit_log", "ip", COL_SEALED, "host data: IP address" },
	{ M, "audit_log", "request_id", COL_NONE, NULL },
	{ M, "audit_log", "outcome", COL_NONE, NULL },
	{ M, "audit_log", "details", COL_SEALED, "audit details" },
	{ M, "audit_log", "prev_hash", COL_NONE, NULL },
	{ M, "audit_log", "hash", COL_NONE, NULL },
	{ M, "audit_head", "id", COL_NONE, NULL },
	{ M, "audit_head", "seq", COL_NONE, NULL },
	{ M, "audit_head", "hash", COL_NONE, NULL },
	{ M, "audit_gate", "id", COL_NONE, NULL },
	{ M, "audit_gate", "purging", COL_NONE, NULL },
	{ M, "audit_checkpoints", "last_seq", COL_NONE, NULL },
	{ M, "audit_checkpoints", "last_hash", COL_NONE, NULL },
	{ M, "audit_checkpoints", "at", COL_NONE, NULL },
	{ M, "audit_checkpoints", "purged", COL_NONE, NULL },
	{ M, "audit_checkpoints", "signature", COL_NONE, NULL },
	{ K, "schema_migrations", "version", COL_NONE, NULL },
	{ K, "schema_migrations", "name", COL_NONE, NULL },
	{ K, "schema_migrations", "applied_at", COL_NONE, NULL },
	{ K, "data_keys", "owner", COL_REFERENCE, "data subject id" },
	{ K, "data_keys", "master_version", COL_NONE, NULL },
	{ K, "data_keys", "wrapped", COL_NONE, NULL },
	{ K, "data_keys", "created_at", COL_NONE, NULL },
	{ K, "destroyed_keys", "owner", COL_REFERENCE, "data subject id" },
	{ K, "destroyed_keys", "destroyed_at", COL_NONE, NULL },
};

const size_t store_columns_count =
    sizeof(store_columns) / sizeof(store_columns[0]);
