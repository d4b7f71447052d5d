/*
 * tenant_exports.h (store) - SQL for the export of everything a client
 * organisation holds (table tenant_exports, migration 24), and the one
 * list of what that export reads: every table holding the
 * organisation's rows, with the condition that selects them.
 *
 * The columns of each entity come from store_columns (columns.h), so a
 * column added to an exported table is exported without anyone thinking
 * of it; a table holding an org_id is either an entity here or named in
 * store_export_skipped with why (a unit test checks both). Hashes and
 * blind indexes never leave; a sealed column leaves opened when an
 * entity names the key that opens it, and is listed as withheld
 * otherwise.
 */
#ifndef CRENEAU_STORE_TENANT_EXPORTS_H
#define CRENEAU_STORE_TENANT_EXPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"

#define STORE_EXPORT_STATE_MAX 24
#define STORE_EXPORT_FILE_MAX 96
#define STORE_EXPORT_ERROR_MAX 256
#define STORE_EXPORT_COLS_MAX 40
#define STORE_EXPORT_SEALS_MAX 12

/* One request and its progress. */
struct store_tenant_export {
	char id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char state[STORE_EXPORT_STATE_MAX]; /* awaiting_passphrase, queued,
					       running, ready, failed,
					       expired */
	char origin[16]; /* admin, termination */
	char requested_by[STORE_ID_MAX]; /* "" for the termination's */
	int64_t requested_at;
	unsigned char kdf_salt[16];
	int has_kdf;
	int64_t kdf_ops, kdf_mem;
	struct store_blob archive_key; /* sealed; none once built */
	/* for a public key: the archive key in its sealed box (the
	 * archive's header), instead of the KDF's salt and limits */
	unsigned char key_box[80];
	int has_box;
	int64_t entities_done, entities_total;
	char file_name[STORE_EXPORT_FILE_MAX];
	int64_t file_bytes;
	char manifest_sha256[65];
	int64_t started_at, ready_at, expires_at;
	int64_t downloads;
	char error[STORE_EXPORT_ERROR_MAX];
};

/* Wipes e and frees its blob. */
void store_tenant_export_clear(struct store_tenant_export *e);

/* Inserts e. Returns 0 or -1. */
int store_tenant_export_insert(struct store *st, struct store_conn *c,
    const struct store_tenant_export *e);

/* Writes every mutable column of row e->id. Returns 0 or -1. */
int store_tenant_export_update(struct store *st, struct store_conn *c,
    const struct store_tenant_export *e);

/* Reads row id into out. Returns 0, 1 if none, or -1. */
int store_tenant_export_get(struct store *st, struct store_conn *c,
    const char *id, struct store_tenant_export *out);

/* Reads the latest request of org_id (not expired) into out. Returns 0,
 * 1 if none, or -1. */
int store_tenant_export_latest(struct store *st, struct store_conn *c,
    const char *org_id, struct store_tenant_export *out);

/* Reads the oldest queued request into out. Returns 0, 1 if none, or
 * -1. */
int store_tenant_export_next(struct store *st, struct store_conn *c,
    struct store_tenant_export *out);

/* Calls fn with every request still running that started before
 * before (a build a stopped server left behind; borrowed row). Returns
 * 0 or -1. */
int store_tenant_export_stale(struct store *st, struct store_conn *c,
    int64_t before, int (*fn)(void *arg, const struct store_tenant_export *e),
    void *arg);

/* Moves request id from queued to running at now, unless another took
 * it. Returns 0, 1 if it was not queued any more, or -1. */
int store_tenant_export_claim(struct store *st, struct store_conn *c,
    const char *id, int64_t now);

/* Calls fn with every request not yet expired whose expiry is at or
 * before now (borrowed row). Returns 0 or -1. */
int store_tenant_export_due(struct store *st, struct store_conn *c, int64_t now,
    int (*fn)(void *arg, const struct store_tenant_export *e), void *arg);

/* A sealed column an entity exports opened: its data key is owner_prefix
 * followed by the value of owner_col (NULL: owner_prefix alone), its
 * associated row id the value of rowid_col. */
struct store_export_seal {
	const char *column, *owner_prefix, *owner_col, *rowid_col;
};

/* One entity of the export: the rows of table the condition where
 * selects ($1 is the organisation's id). */
struct store_export_entity {
	const char *name; /* the entry: <name>.json (and .csv) */
	const char *table;
	const char *where;
	int csv; /* people-like: a CSV too */
	struct store_export_seal seals[STORE_EXPORT_SEALS_MAX];
};

extern const struct store_export_entity store_export_entities[];
extern const size_t store_export_entities_count;

/* Tables holding an org_id that are not exported, and why. */
struct store_export_skip {
	const char *table, *why;
};
extern const struct store_export_skip store_export_skipped[];
extern const size_t store_export_skipped_count;

/* Whether column of table leaves in the export at all (not a hash, a
 * blind index, nor a sealed column without a seal rule). */
int store_export_column_out(const struct store_export_entity *e,
    const char *column, int sealed);

/* One row as read: ncols columns, each text (values[i], NULL when null)
 * or, for a sealed column, its blob (blobs[i]). */
struct store_export_row {
	size_t ncols;
	const char *names[STORE_EXPORT_COLS_MAX];
	int sealed[STORE_EXPORT_COLS_MAX];
	const char *values[STORE_EXPORT_COLS_MAX];
	struct store_blob blobs[STORE_EXPORT_COLS_MAX];
};

/* The names of the columns entity e exports, in order, into names
 * (*n of them). Returns 0 or -1 (too many). */
int store_export_columns(const struct store_export_entity *e,
    const char *names[STORE_EXPORT_COLS_MAX], int sealed[STORE_EXPORT_COLS_MAX],
    size_t *n);

/* Calls fn with every row of entity e for org_id (borrowed row); fn
 * returns 0 to go on. Returns 0 or -1 (also when fn stopped). */
int store_export_rows(struct store *st, struct store_conn *c,
    const struct store_export_entity *e, const char *org_id,
    int (*fn)(void *arg, const struct store_export_row *r), void *arg);

/* How many rows entity e holds for org_id, or -1. */
long store_export_count(struct store *st, struct store_conn *c,
    const struct store_export_entity *e, const char *org_id);

#endif
