/*
 * sqlite.c - the SQLite driver: the embedded default.
 *
 * Each connection runs in WAL mode with synchronous=FULL (a committed
 * booking survives a power cut), foreign keys enforced, secure_delete on
 * (erased personal data is overwritten, not left in free pages) and a busy
 * timeout so writers queue instead of failing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "core/fault.h"
#include "core/log.h"
#include "store/driver.h"

/*
 * Compiled statements, kept per connection and found again by their text:
 * the store runs the same few hundred statements all day, and compiling
 * one costs more than running it. Keyed by content (hash, then compared),
 * not by pointer, since a few statements are built in buffers. A
 * statement already running (the same text asked again from inside a row
 * callback) is compiled afresh for that call.
 */
#define STMT_CACHE 512 /* slots, a power of two */

struct cached {
	uint64_t hash;
	char *sql; /* NULL: empty slot */
	sqlite3_stmt *st;
	uint64_t used; /* the connection's tick at its last use */
};

/* Ways of a set of the statement cache: with one, two hot statements
 * whose texts hashed to one slot took it from each other on every use
 * and were compiled again each time (a sixth of the server's CPU in a
 * booking rush). */
#define STMT_WAYS 4

/* The transaction statements, prepared once per connection: compiling
 * them again for every transaction was a tenth of the server's CPU under
 * a booking rush (sqlite3_exec parses its text each time). */
enum tx_stmt { TX_BEGIN_WRITE, TX_BEGIN_READ, TX_COMMIT, TX_ROLLBACK, TX_N };

static const char *const tx_sql[TX_N] = { "BEGIN IMMEDIATE", "BEGIN DEFERRED",
	"COMMIT", "ROLLBACK" };

struct store_conn {
	sqlite3 *db;
	struct cached cache[STMT_CACHE];
	size_t ncached;
	int plan_check; /* [store] plan_check */
	sqlite3_stmt *tx[TX_N];
	uint64_t tick;
};

struct store_row {
	sqlite3_stmt *stmt;
};

/*
 * Notes the kind of a failure a caller answers differently (core/fault.h):
 * the write lock taken past the busy timeout; no room to write; damaged
 * pages. SQLite says SQLITE_FULL only for ENOSPC and short writes: a write
 * refused for a quota (EDQUOT) or a file size limit (EFBIG) comes back as
 * SQLITE_IOERR_WRITE, and the system error is often gone by then, so a
 * refused write counts as no room too (the log names what SQLite said).
 */
static void
note(sqlite3 *db, int rc)
{
	int sys;

	switch (rc & 0xff) {
	case SQLITE_BUSY:
		fault_note(FAULT_BUSY);
		break;
	case SQLITE_FULL:
		fault_note(FAULT_FULL);
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		fault_note(FAULT_DAMAGED);
		break;
	case SQLITE_IOERR:
		sys = db != NULL ? sqlite3_system_errno(db) : 0;
		if (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_SHMSIZE ||
		    sys == ENOSPC || sys == EDQUOT || sys == EFBIG)
			fault_note(FAULT_FULL);
		break;
	default:
		break;
	}
}

static int
sq_connect(const struct store_config *cfg, struct store_conn **out, char *err,
    size_t errlen)
{
	static const char *const pragmas = "PRAGMA journal_mode=WAL;"
					   "PRAGMA synchronous=FULL;"
					   "PRAGMA foreign_keys=ON;"
					   "PRAGMA secure_delete=ON;"
					   "PRAGMA trusted_schema=OFF;";
	struct store_conn *c;
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	int rc, tries;

	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	rc = sqlite3_open_v2(cfg->path, &c->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
		SQLITE_OPEN_EXRESCODE,
	    NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", cfg->path,
		    c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(c->db, (int)cfg->busy_timeout_ms);
	c->plan_check = cfg->plan_check;
	/* Double-quoted strings are identifiers only: no silent literals. */
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	/*
	 * Switching a new database to WAL needs a moment alone with it, and
	 * SQLite answers SQLITE_BUSY at once (no busy handler) when two
	 * connections open a fresh file together: retry a short while.
	 */
	for (tries = 0;; tries++) {
		rc = sqlite3_exec(c->db, pragmas, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			break;
		if ((rc & 0xff) != SQLITE_BUSY || tries >= 250) {
			note(c->db, rc);
			snprintf(err, errlen, "%s: %s", cfg->path,
			    sqlite3_errmsg(c->db));
			goto fail;
		}
		nanosleep(&nap, NULL);
	}
	*out = c;
	return 0;
fail:
	sqlite3_close(c->db);
	free(c);
	return -1;
}

/* FNV-1a over the statement's text. */
static uint64_t
text_hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * UINT64_C(1099511628211);
	return h;
}

static void
cache_clear(struct store_conn *c)
{
	size_t i;

	for (i = 0; i < TX_N; i++) {
		sqlite3_finalize(c->tx[i]);
		c->tx[i] = NULL;
	}

	for (i = 0; i < STMT_CACHE; i++) {
		if (c->cache[i].sql == NULL)
			continue;
		sqlite3_finalize(c->cache[i].st);
		free(c->cache[i].sql);
		c->cache[i].sql = NULL;
	}
	c->ncached = 0;
}

/*
 * [store] plan_check: logs each full scan SQLite plans for sql ("store:
 * plan: SCAN accounts | SELECT ..."), once per statement compiled. A scan
 * of a table that grows is a hot path that slows as the data does; the
 * query-plan test runs the hot paths with this on and fails on one.
 */
static void
plan_check(struct store_conn *c, const char *sql)
{
	sqlite3_stmt *st = NULL;
	char *q;
	const char *d;

	if (strncmp(sql, "SELECT", 6) != 0 && strncmp(sql, "UPDATE", 6) != 0 &&
	    strncmp(sql, "DELETE", 6) != 0 && strncmp(sql, "INSERT", 6) != 0 &&
	    strncmp(sql, "WITH", 4) != 0)
		return;
	if ((q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql)) == NULL)
		return;
	if (sqlite3_prepare_v2(c->db, q, -1, &st, NULL) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW) {
			d = (const char *)sqlite3_column_text(st, 3);
			if (d != NULL && strncmp(d, "SCAN ", 5) == 0 &&
			    strncmp(d, "SCAN CONSTANT", 13) != 0 &&
			    strncmp(d, "SCAN (", 6) != 0)
				log_warnx("store: plan: %s | %.300s", d, sql);
		}
	sqlite3_finalize(st);
	sqlite3_free(q);
}

/*
 * Returns a statement for sql, ready to bind: the cached one (reset), or
 * a new one put in its set (STMT_WAYS slots; an empty one, else the one
 * least recently used is finalized, so statements built with values
 * cannot crowd out the others for long). *owned says whether the caller
 * must finalize it. NULL when SQLite refuses it.
 */
static sqlite3_stmt *
stmt_get(struct store_conn *c, const char *sql, int *owned)
{
	uint64_t h = text_hash(sql);
	struct cached *set = &c->cache[h & (STMT_CACHE - STMT_WAYS)], *e = NULL;
	sqlite3_stmt *st = NULL;
	char *copy;
	size_t w;

	*owned = 1;
	c->tick++;
	for (w = 0; w < STMT_WAYS; w++) {
		e = &set[w];
		if (e->sql != NULL && e->hash == h &&
		    strcmp(e->sql, sql) == 0 && !sqlite3_stmt_busy(e->st)) {
			sqlite3_reset(e->st);
			sqlite3_clear_bindings(e->st);
			e->used = c->tick;
			*owned = 0;
			return e->st;
		}
	}
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
		NULL) != SQLITE_OK)
		return NULL;
	if (c->plan_check)
		plan_check(c, sql);
	/* The slot to take: an empty one, else the least recently used;
	 * one whose statement is running (nested use) stays as it is. */
	e = NULL;
	for (w = 0; w < STMT_WAYS; w++) {
		if (set[w].sql == NULL) {
			e = &set[w];
			break;
		}
		if (!sqlite3_stmt_busy(set[w].st) &&
		    (e == NULL || set[w].used < e->used))
			e = &set[w];
	}
	if (e != NULL && (copy = strdup(sql)) != NULL) {
		if (e->sql != NULL) {
			sqlite3_finalize(e->st);
			free(e->sql);
		} else {
			c->ncached++;
		}
		e->sql = copy;
		e->hash = h;
		e->st = st;
		e->used = c->tick;
		*owned = 0;
	}
	return st;
}

static void
sq_disconnect(struct store_conn *c)
{
	if (c == NULL)
		return;
	cache_clear(c);
	if (sqlite3_close(c->db) != SQLITE_OK)
		log_errorx("%s: statements left open", __func__);
	free(c);
}

static int
sq_simple(struct store_conn *c, const char *sql)
{
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		note(c->db, rc);
		log_errorx("store: %s: %s", sql, sqlite3_errmsg(c->db));
		return -1;
	}
	return 0;
}

/* Runs transaction statement t, prepared on first use. Returns 0 or -1
 * (logged, as sq_simple does). */
static int
sq_tx(struct store_conn *c, enum tx_stmt t)
{
	int rc;

	if (c->tx[t] == NULL &&
	    (rc = sqlite3_prepare_v3(c->db, tx_sql[t], -1,
		 SQLITE_PREPARE_PERSISTENT, &c->tx[t], NULL)) != SQLITE_OK) {
		note(c->db, rc);
		log_errorx("store: %s: %s", tx_sql[t], sqlite3_errmsg(c->db));
		return -1;
	}
	rc = sqlite3_step(c->tx[t]);
	if (rc != SQLITE_DONE) {
		note(c->db, rc);
		log_errorx("store: %s: %s", tx_sql[t], sqlite3_errmsg(c->db));
	}
	sqlite3_reset(c->tx[t]);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
sq_begin(struct store_conn *c, int write)
{
	return sq_tx(c, write ? TX_BEGIN_WRITE : TX_BEGIN_READ);
}

static int
sq_commit(struct store_conn *c)
{
	return sq_tx(c, TX_COMMIT);
}

static int
sq_rollback(struct store_conn *c)
{
	if (sqlite3_get_autocommit(c->db))
		return 0; /* SQLite already rolled back (e.g. after SQLITE_FULL)
			   */
	return sq_tx(c, TX_ROLLBACK);
}

static int
bind_all(sqlite3_stmt *st, const struct store_val *p, size_t n)
{
	char name[24];
	size_t i;
	int idx, rc;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "$%zu", i + 1);
		idx = sqlite3_bind_parameter_index(st, name);
		if (idx == 0)
			continue; /* this statement does not use $i */
		switch (p[i].type) {
		case SV_NULL:
			rc = sqlite3_bind_null(st, idx);
			break;
		case SV_INT:
			rc = sqlite3_bind_int64(st, idx, p[i].i);
			break;
		case SV_TEXT:
			rc = sqlite3_bind_text(st, idx, p[i].p, -1,
			    SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_blob64(st, idx, p[i].p,
			    (sqlite3_uint64)p[i].len, SQLITE_STATIC);
			break;
		}
		if (rc != SQLITE_OK)
			return -1;
	}
	return 0;
}

static int
sq_exec(struct store_conn *c, const char *sql, const struct store_val *params,
    size_t nparams, store_row_fn fn, void *arg)
{
	sqlite3_stmt *st;
	struct store_row row;
	int rc, ret = -1, owned = 1;

	if ((st = stmt_get(c, sql, &owned)) == NULL) {
		note(c->db, sqlite3_extended_errcode(c->db));
		log_errorx("store: prepare: %s", sqlite3_errmsg(c->db));
		goto done;
	}
	if (bind_all(st, params, nparams) != 0) {
		log_errorx("store: bind: %s", sqlite3_errmsg(c->db));
		goto done;
	}
	row.stmt = st;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn != NULL && fn(arg, &row) != 0) {
			ret = 0;
			goto done;
		}
	}
	if (rc != SQLITE_DONE) {
		note(c->db, rc);
		/* The message names the constraint, never the values. */
		log_errorx("store: step: %s", sqlite3_errmsg(c->db));
		goto done;
	}
	ret = 0;
done:
	if (owned)
		sqlite3_finalize(st);
	else
		sqlite3_reset(st); /* ends the read, keeps it compiled */
	return ret;
}

static int
sq_exec_script(struct store_conn *c, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		note(c->db, rc);
		log_errorx("store: script: %s", msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int64_t
sq_row_int(const struct store_row *r, int col)
{
	return sqlite3_column_int64(r->stmt, col);
}

static const char *
sq_row_text(const struct store_row *r, int col)
{
	return (const char *)sqlite3_column_text(r->stmt, col);
}

static const void *
sq_row_blob(const struct store_row *r, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(r->stmt, col);

	*len = (size_t)sqlite3_column_bytes(r->stmt, col);
	return p;
}

static int
sq_row_is_null(const struct store_row *r, int col)
{
	return sqlite3_column_type(r->stmt, col) == SQLITE_NULL;
}

static int
sq_check_row(void *arg, const struct store_row *r)
{
	const char *t = sq_row_text(r, 0);

	*(int *)arg = t != NULL && strcmp(t, "ok") == 0;
	return 1;
}

static int
sq_check(struct store_conn *c)
{
	int ok = 0;

	if (sq_exec(c, "PRAGMA integrity_check", NULL, 0, sq_check_row, &ok) !=
	    0)
		return -1;
	if (!ok)
		fault_note(FAULT_DAMAGED);
	return ok ? 0 : -1;
}

/* Progress handler: non-zero (interrupt) once the deadline is past. */
static int
past_deadline(void *arg)
{
	const struct timespec *end = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > end->tv_sec ||
	    (now.tv_sec == end->tv_sec && now.tv_nsec >= end->tv_nsec);
}

/*
 * PRAGMA quick_check (every page and record, without the cross-checks
 * of indexes against tables that make integrity_check slow), stopped by
 * the progress handler after max_ms. Returns 0 if sound, 1 if it did not
 * finish in time, -1 if the database is damaged (noted) or the check
 * could not run.
 */
static int
sq_quick_check(struct store_conn *c, long max_ms)
{
	struct timespec end;
	sqlite3_stmt *st = NULL;
	const unsigned char *t;
	int rc, ret = -1;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += max_ms / 1000;
	end.tv_nsec += (max_ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	sqlite3_progress_handler(c->db, 1000, past_deadline, &end);
	rc = sqlite3_prepare_v2(c->db, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		t = sqlite3_column_text(st, 0);
		if (t != NULL && strcmp((const char *)t, "ok") == 0)
			ret = 0;
		else
			fault_note(FAULT_DAMAGED);
	} else if ((rc & 0xff) == SQLITE_INTERRUPT) {
		ret = 1;
	} else {
		note(c->db, rc);
	}
	sqlite3_finalize(st);
	sqlite3_progress_handler(c->db, 0, NULL, NULL);
	return ret;
}

static int
sq_maintain(struct store_conn *c)
{
	/* TRUNCATE keeps the -wal file from growing without bound. */
	return sq_simple(c,
	    "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA optimize;");
}

/*
 * Copies the whole database into path, an empty file the caller created
 * (with the mode it wants). One backup step of all pages: the copy is one
 * read transaction of c, a consistent snapshot, and in WAL mode writers
 * go on meanwhile. The copy needs no journal and no fsync: it is a
 * temporary file the caller reads back at once.
 */
static int
sq_backup_to(struct store_conn *c, const char *path, char *err, size_t errlen)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	int rc, ret = -1;

	rc = sqlite3_open_v2(path, &dst,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
	    NULL);
	if (rc != SQLITE_OK ||
	    sqlite3_exec(dst, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF",
		NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open the copy: %s",
		    dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto done;
	}
	b = sqlite3_backup_init(dst, "main", c->db, "main");
	if (b == NULL) {
		snprintf(err, errlen, "cannot start the copy: %s",
		    sqlite3_errmsg(dst));
		goto done;
	}
	rc = sqlite3_backup_step(b, -1);
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
		snprintf(err, errlen, "copy failed: %s",
		    sqlite3_errstr(
			rc == SQLITE_DONE ? sqlite3_errcode(dst) : rc));
		goto done;
	}
	ret = 0;
done:
	if (sqlite3_close(dst) != SQLITE_OK && ret == 0) {
		snprintf(err, errlen, "cannot close the copy");
		ret = -1;
	}
	return ret;
}

const struct store_driver store_driver_sqlite = {
	.name = "sqlite",
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.exec = sq_exec,
	.exec_script = sq_exec_script,
	.check = sq_check,
	.quick_check = sq_quick_check,
	.maintain = sq_maintain,
	.backup_to = sq_backup_to,
	.dialect = DIALECT_SQLITE,
	.row_int = sq_row_int,
	.row_text = sq_row_text,
	.row_blob = sq_row_blob,
	.row_is_null = sq_row_is_null,
};
