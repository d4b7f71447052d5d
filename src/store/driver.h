/*
 * driver.h - what a storage driver provides (inside src/store/ only).
 *
 * SQL is written once with PostgreSQL's $1, $2... placeholders; the SQLite
 * driver binds them by name ("$1" is a valid SQLite parameter name), so the
 * same text serves both drivers. Migrations may differ per dialect.
 */
#ifndef CRENEAU_STORE_DRIVER_H
#define CRENEAU_STORE_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

enum store_type { SV_NULL, SV_INT, SV_TEXT, SV_BLOB };

struct store_val {
	enum store_type type;
	int64_t i;
	const void *p; /* text (NUL-terminated) or blob */
	size_t len; /* blob length */
};

static inline struct store_val
SV_I(int64_t v) {
	return (struct store_val){ SV_INT, v, NULL, 0 };
}

/* Text, or SQL NULL when s is NULL. */
static inline struct store_val
SV_T(const char *s) {
	return (struct store_val){ s ? SV_TEXT : SV_NULL, 0, s, 0 };
}

static inline struct store_val
SV_B(const void *b, size_t n) {
	return (struct store_val){ SV_BLOB, 0, b, n };
}

struct store_row;

/* Called once per result row; return 0 to go on, non-zero to stop. */
typedef int (*store_row_fn)(void *arg, const struct store_row *row);

struct store_conn;

/*
 * Failures a caller answers differently are noted with fault_note()
 * (core/fault.h) by the driver as it meets them, whatever its database:
 * FAULT_BUSY when the write lock could not be had within
 * busy_timeout_ms, FAULT_FULL when a write found no room (disk, quota,
 * file size or database size limit), FAULT_DAMAGED when the database
 * reports damaged pages. Every other failure notes nothing.
 */
struct store_driver {
	const char *name;
	int (*connect)(const struct store_config *cfg, struct store_conn **out,
	    char *err, size_t errlen);
	void (*disconnect)(struct store_conn *c);
	/* write: take the write lock now (BEGIN IMMEDIATE in SQLite). */
	int (*begin)(struct store_conn *c, int write);
	int (*commit)(struct store_conn *c);
	int (*rollback)(struct store_conn *c);
	/* One statement with bound parameters; rows go to fn (may be NULL). */
	int (*exec)(struct store_conn *c, const char *sql,
	    const struct store_val *params, size_t nparams, store_row_fn fn,
	    void *arg);
	/* Several statements, no parameters: migrations only. */
	int (*exec_script)(struct store_conn *c, const char *sql);
	/* Whole-database integrity check: 0 when sound. */
	int (*check)(struct store_conn *c);
	/* A quicker check of every page, stopped after max_ms: 0 when
	 * sound, 1 when it did not finish in time, -1 when damaged (noted)
	 * or it could not run. NULL: the driver has none (a server-based
	 * database checks itself). */
	int (*quick_check)(struct store_conn *c, long max_ms);
	/* Housekeeping: checkpoint the log, refresh statistics. */
	int (*maintain)(struct store_conn *c);
	/* Online copy of the whole database into the existing empty file
	 * path (store/backup.c); NULL when the driver cannot. */
	int (*backup_to)(struct store_conn *c, const char *path, char *err,
	    size_t errlen);
	/* COPY ... TO STDOUT: the data of sql, in pieces, to fn (non-zero
	 * from fn stops, and fails). NULL when the driver has none. */
	int (*copy_out)(struct store_conn *c, const char *sql,
	    int (*fn)(void *arg, const void *buf, size_t n), void *arg);
	/* COPY ... FROM STDIN: the data comes from next, piece by piece,
	 * until it returns 0 (end) or -1 (fails: the COPY is aborted). */
	int (*copy_in)(struct store_conn *c, const char *sql,
	    int (*next)(void *arg, const void **buf, size_t *n), void *arg);
	/* Which SQL dialect migrations must use for this driver. */
	int dialect;
	/* Row accessors. */
	int64_t (*row_int)(const struct store_row *r, int col);
	const char *(*row_text)(const struct store_row *r, int col);
	const void *(
	    *row_blob)(const struct store_row *r, int col, size_t *len);
	int (*row_is_null)(const struct store_row *r, int col);
};

enum store_dialect { DIALECT_SQLITE = 0, DIALECT_POSTGRES = 1 };

extern const struct store_driver store_driver_sqlite;
extern const struct store_driver store_driver_postgres;

/* This thread's connection, opened on first use; NULL on failure. */
struct store_conn *store_conn(struct store *st);

/* Copies text column col of row r into dst (size bytes); SQL NULL gives
 * "". Returns 0, or -1 if it does not fit. For the store's row readers. */
int store_row_copy_text(char *dst, size_t size, const struct store_driver *d,
    const struct store_row *r, int col);

/* Runs sql (its p, np parameters) on c and counts the rows it gives:
 * with RETURNING, how many rows an INSERT, UPDATE or DELETE changed.
 * Returns the count, or -1. */
long store_exec_count(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t np);

/* The first column of a one-row query as an integer: pass store_row_int
 * as the row callback and a struct store_int_out (d set, found 0) as its
 * argument; found says whether a row came. For ids from RETURNING and
 * counts. */
struct store_int_out {
	const struct store_driver *d;
	int64_t v;
	int found;
};
int store_row_int(void *arg, const struct store_row *r);

/* A row callback counting rows into the long arg points to. */
int store_row_count(void *arg, const struct store_row *r);

/* Runs sql (with RETURNING, or a SELECT) with the np values of p on c:
 * 0 when it gave a row, 1 when none, -1 on failure. For updates and
 * deletes of one row by id. */
int store_exec_changed(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, int np);

/* Copies blob column col of r into a new buffer of out (SQL NULL: p
 * NULL, len 0). Returns 0 or -1. */
struct store_blob;
int store_row_copy_blob(const struct store_driver *d, const struct store_row *r,
    int col, struct store_blob *out);

/* The driver of st. */
const struct store_driver *store_drv(const struct store *st);

/*
 * Runs fn(st, c, arg) inside one transaction on this thread's connection:
 * commits if fn returns 0, rolls back otherwise. Every multi-step change
 * goes through here, so nothing is ever half-written. Returns fn's result,
 * or -1 if the transaction itself failed.
 */
int store_tx(struct store *st, int write,
    int (*fn)(struct store *st, struct store_conn *c, void *arg), void *arg);

/* store_tx(st, 1, fn, arg), or fn alone on this thread's connection when
 * the thread is already inside a write transaction (fn's work is then
 * part of it). */
int store_tx_join(struct store *st,
    int (*fn)(struct store *st, struct store_conn *c, void *arg), void *arg);

/* One migration: the SQL for each dialect (NULL: not written yet). */
struct store_migration {
	int version;
	const char *name;
	const char *sql[2];
};

extern const struct store_migration store_migrations[];
extern const size_t store_migrations_count;
extern const struct store_migration store_key_migrations[];
extern const size_t store_key_migrations_count;

/*
 * Creates, on c inside the caller's transaction, the schema of st at
 * version: schema_migrations (left empty) and every migration up to it.
 * For a restore, whose data brings the migration rows. Returns 0, or -1
 * with a reason in err.
 */
int store_schema_create(struct store *st, struct store_conn *c, int version,
    char *err, size_t errlen);

/* The schema (STORE_SCHEMA_MAIN or _KEYS) st was opened for. */
enum store_schema store_schema_of(const struct store *st);

#endif
