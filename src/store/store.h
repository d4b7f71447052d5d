/*
 * store.h - the storage API the rest of Créneau calls.
 *
 * Callers above the store (domain, jobs, commands) see functions named for
 * what they do; no SQL crosses this line. Each thread gets its own
 * database connection, opened on first use. Functions return 0 on success
 * and -1 on failure (logged here, without the data involved).
 */
#ifndef CRENEAU_STORE_H
#define CRENEAU_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/fault.h"

struct store;

/* Which schema a store holds: the main database, or the keystore (the
 * wrapped data keys, kept in a file of their own so database backups
 * never contain them). */
enum store_schema { STORE_SCHEMA_MAIN = 0, STORE_SCHEMA_KEYS = 1 };

struct store_config {
	const char *driver; /* "sqlite" (NULL too) or "postgresql" */
	const char *path; /* SQLite file */
	long busy_timeout_ms;
	enum store_schema schema; /* STORE_SCHEMA_MAIN unless set */
	const char *url; /* PostgreSQL: libpq connection URI */
	const char *password_file; /* PostgreSQL: password, first line */
	long pool_size; /* PostgreSQL: connections at most (0: no limit) */
	int plan_check; /* SQLite: log the full scans of each new statement */
};

struct config;

/* Fills sc from the configuration for schema: the main database ([store])
 * or the keystore ([keys] keystore, or keystore_url on PostgreSQL). The
 * strings stay cfg's. */
void store_config_from(struct store_config *sc, const struct config *cfg,
    enum store_schema schema);

/*
 * Opens the store (creating the SQLite file, mode 0600, and its directory
 * if needed) and checks it can be reached. Returns the store, or NULL with
 * a one-line reason in err.
 */
struct store *store_open(const struct store_config *cfg, char *err,
    size_t errlen);

/* The file the database lives in, for a driver that keeps one (SQLite);
 * NULL for a database server. */
const char *store_file(const struct store *st);

/* Closes every connection and frees. NULL does nothing. */
void store_free(struct store *st);

/* Runs a trivial query on this thread's connection. Returns 0 if the
 * database answers. */
int store_ping(struct store *st);

/* Returns the highest migration the binary knows for the main schema. */
int store_schema_latest(void);

/* Returns the highest migration the binary knows for st's schema. */
int store_schema_latest_of(const struct store *st);

/* Reads the schema version of the database into *version (0 if none).
 * Returns 0 or -1. */
int store_schema_version(struct store *st, int *version);

/*
 * Whether the main database holds records made under the instance's keys
 * (an audit trail or accounts): such a database needs its keystore and
 * master key. Returns 1, 0 (none, or not the main schema), or -1.
 */
int store_has_records(struct store *st);

/*
 * Applies the pending migrations, each in its own transaction. Refuses
 * (returns -1, reason in err) a database newer than the binary. On success
 * *from and *to hold the versions before and after.
 */
int store_migrate(struct store *st, int *from, int *to, char *err,
    size_t errlen);

/* Runs the database's integrity check. Returns 0 if it reports "ok". */
int store_integrity_check(struct store *st);

/*
 * The start-up check: every page of the database read and checked
 * (SQLite's quick_check), stopped after max_ms so a large database does
 * not hold the start for long. Returns 0 if sound, 1 if the check did not
 * finish in time (nothing found so far), -1 if the database is damaged
 * (the store then refuses writes, see store_condition) or could not be
 * checked, with a one-line reason in err.
 */
int store_quick_check(struct store *st, long max_ms, char *err, size_t errlen);

/*
 * Why writes to st fail at present, without taking any lock:
 * FAULT_DAMAGED once a check or a query met damaged pages (for the life
 * of the store: write transactions are then refused at once, so nothing
 * more is written into a damaged file); FAULT_FULL from a write refused
 * for lack of room until the next write transaction that commits;
 * FAULT_NONE otherwise. Failures are noted per thread as well
 * (core/fault.h): a write transaction that waited busy_timeout_ms for the
 * write lock fails with FAULT_BUSY.
 */
enum fault store_condition(struct store *st);

/* Checkpoints the write-ahead log and refreshes planner statistics; run
 * by the store-maintenance job. Returns 0 or -1. */
int store_maintain(struct store *st);

/*
 * After rows were deleted so that their bytes go (a destroyed key, a
 * decided dossier): on SQLite, whose secure_delete zeroed the freed
 * pages in the write-ahead log, checkpoints the log into the file and
 * cuts it, as store_maintain does. On PostgreSQL old row versions stay
 * until VACUUM reclaims them (docs/threat-model.md): there is nothing to
 * do per deletion, and store_maintain's ANALYZE of a national keystore
 * cost 44 ms for every key destroyed. Returns 0 or -1.
 */
int store_erase_flush(struct store *st);

/*
 * Records that job name ran from started_ms to finished_ms with outcome
 * ("ok" or "failed"). Returns 0 or -1.
 */
int store_job_record(struct store *st, const char *name, int64_t started_ms,
    int64_t finished_ms, const char *outcome);

/* Reads when job name last started into *at_ms. Returns 0, 1 if it never
 * ran, or -1. */
int store_job_last_start(struct store *st, const char *name, int64_t *at_ms);

/*
 * Before job name runs at now_ms: whether this instance may run it. On
 * PostgreSQL, several instances share the database, so the job's session
 * advisory lock is taken (without waiting) on this thread's connection and
 * the last start read again under it: returns 1 (*next_ms set) when
 * another instance holds the lock or started the job less than
 * interval_ms ago, 0 when this one runs it (call store_job_end after).
 * The lock dies with the connection: a killed instance leaves the job to
 * the others. SQLite (one database file, one serving host) returns 0.
 * -1 on error.
 */
int store_job_begin(struct store *st, const char *name, int64_t now_ms,
    int64_t interval_ms, int64_t *next_ms);

/* Releases what store_job_begin took. */
void store_job_end(struct store *st, const char *name);

#endif
