/*
 * store.c - opening the store, one connection per thread, transactions.
 *
 * libmicrohttpd's pool threads and the job thread each get their own
 * connection, opened on first use and closed when the thread ends or the
 * store is freed: SQLite connections are not shared across threads, and
 * WAL lets readers run beside the single writer.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/fault.h"
#include "core/config.h"
#include "core/fsutil.h"
#include "core/log.h"
#include "store/driver.h"
#include "store/identity.h"

struct conn_slot {
	struct store *st;
	struct store_conn *c;
	struct conn_slot *next;
};

struct store {
	const struct store_driver *drv;
	struct store_config cfg;
	char *path;
	pthread_key_t key;
	pthread_mutex_t lock; /* guards slots and nslots */
	struct conn_slot *slots;
	long nslots;
	char *url, *password_file;
	/*
	 * Write transactions of this process take turns here before asking
	 * the database for its write lock. SQLite makes a writer that finds
	 * the lock taken sleep and poll (1, 2, 5, 10... up to 100 ms), so
	 * under a rush most of the time went to sleeping; a mutex wakes the
	 * next writer the moment the lock is free. Other processes (the
	 * command line) still meet the busy timeout. No one waits here
	 * longer than the busy timeout either: a long transaction makes the
	 * others fail with FAULT_BUSY, not hang.
	 */
	pthread_mutex_t writer;
	atomic_int full; /* a write found no room; cleared by a commit */
	atomic_int damaged; /* damaged pages met: writes refused */
};

/* Whether this thread holds some store's writer mutex: a write
 * transaction opened inside another on the same thread would deadlock on
 * the mutex instead of failing in the database as it should. */
static _Thread_local int writing;

const struct store_driver *
store_drv(const struct store *st)
{
	return st->drv;
}

int
store_row_int(void *arg, const struct store_row *r)
{
	struct store_int_out *o = arg;

	o->v = o->d->row_is_null(r, 0) ? 0 : o->d->row_int(r, 0);
	o->found = 1;
	return 0;
}

static int
count_one(void *arg, const struct store_row *r)
{
	long *n = arg;

	(void)r;
	(*n)++;
	return 0;
}

long
store_exec_count(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t np)
{
	long n = 0;

	if (store_drv(st)->exec(c, sql, p, np, count_one, &n) != 0)
		return -1;
	return n;
}

int
store_row_count(void *arg, const struct store_row *r)
{
	(void)r;
	(*(long *)arg)++;
	return 0;
}

int
store_exec_changed(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, int np)
{
	long n = 0;

	if (store_drv(st)->exec(c, sql, p, np, store_row_count, &n) != 0)
		return -1;
	return n == 0 ? 1 : 0;
}

int
store_row_copy_blob(const struct store_driver *d, const struct store_row *r,
    int col, struct store_blob *out)
{
	const void *p;
	size_t n = 0;

	out->p = NULL;
	out->len = 0;
	if (d->row_is_null(r, col))
		return 0;
	p = d->row_blob(r, col, &n);
	if ((out->p = malloc(n ? n : 1)) == NULL)
		return -1;
	if (n > 0)
		memcpy(out->p, p, n);
	out->len = n;
	return 0;
}

int
store_row_copy_text(char *dst, size_t size, const struct store_driver *d,
    const struct store_row *r, int col)
{
	const char *s;
	size_t n;

	dst[0] = '\0';
	if (d->row_is_null(r, col) || (s = d->row_text(r, col)) == NULL)
		return 0;
	n = strlen(s);
	if (n >= size)
		return -1;
	memcpy(dst, s, n + 1);
	return 0;
}

const char *
store_file(const struct store *st)
{
	return st->path;
}

enum store_schema
store_schema_of(const struct store *st)
{
	return st->cfg.schema;
}

static void
slot_unlink(struct store *st, struct conn_slot *s)
{
	struct conn_slot **pp;

	pthread_mutex_lock(&st->lock);
	for (pp = &st->slots; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			st->nslots--;
			break;
		}
	pthread_mutex_unlock(&st->lock);
}

/* Runs when a thread that used the store ends. */
static void
thread_done(void *p)
{
	struct conn_slot *s = p;

	slot_unlink(s->st, s);
	s->st->drv->disconnect(s->c);
	free(s);
}

/* Opens this thread's connection. Returns it, or NULL with a reason in
 * err. */
static struct store_conn *
conn_open(struct store *st, char *err, size_t errlen)
{
	struct conn_slot *s = pthread_getspecific(st->key);

	if (s != NULL)
		return s->c;
	/* A connection belongs to its thread for the thread's life; the
	 * pool's size bounds how many this process holds at once. */
	pthread_mutex_lock(&st->lock);
	if (st->cfg.pool_size > 0 && st->nslots >= st->cfg.pool_size) {
		pthread_mutex_unlock(&st->lock);
		snprintf(err, errlen, "[store] pool_size (%ld) reached",
		    st->cfg.pool_size);
		return NULL;
	}
	st->nslots++;
	pthread_mutex_unlock(&st->lock);
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		snprintf(err, errlen, "out of memory");
	if (s == NULL || st->drv->connect(&st->cfg, &s->c, err, errlen) != 0) {
		free(s);
		pthread_mutex_lock(&st->lock);
		st->nslots--;
		pthread_mutex_unlock(&st->lock);
		return NULL;
	}
	s->st = st;
	pthread_mutex_lock(&st->lock);
	s->next = st->slots;
	st->slots = s;
	pthread_mutex_unlock(&st->lock);
	pthread_setspecific(st->key, s);
	return s->c;
}

struct store_conn *
store_conn(struct store *st)
{
	struct store_conn *c;
	char err[256];

	if ((c = conn_open(st, err, sizeof(err))) == NULL)
		log_errorx("store: connect: %s", err);
	return c;
}

void
store_config_from(struct store_config *sc, const struct config *cfg,
    enum store_schema schema)
{
	memset(sc, 0, sizeof(*sc));
	sc->busy_timeout_ms = cfg->store_busy_timeout_ms;
	sc->schema = schema;
	sc->pool_size = cfg->store_pool_size;
	sc->plan_check = cfg->store_plan_check;
	if (schema == STORE_SCHEMA_KEYS) {
		sc->path = cfg->keystore_path;
		if (cfg->keystore_url[0] != '\0') {
			sc->driver = "postgresql";
			sc->url = cfg->keystore_url;
			sc->password_file = cfg->keystore_password_file;
		} else {
			sc->driver = "sqlite";
		}
		return;
	}
	sc->driver = cfg->store_driver;
	sc->path = cfg->store_path;
	sc->url = cfg->store_url;
	sc->password_file = cfg->store_password_file;
}

static char *
dup_or_null(const char *s, int *fail)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*fail = 1;
	return d;
}

struct store *
store_open(const struct store_config *cfg, char *err, size_t errlen)
{
	const struct store_driver *drv = &store_driver_sqlite;
	struct store *st;
	struct store_conn *c;
	char why[256];
	int oom = 0;

	if (cfg->driver != NULL && strcmp(cfg->driver, "postgresql") == 0) {
		drv = &store_driver_postgres;
	} else if (cfg->driver != NULL && strcmp(cfg->driver, "sqlite") != 0) {
		snprintf(err, errlen, "[store] driver: unknown driver");
		return NULL;
	}
	if (drv == &store_driver_sqlite &&
	    fs_mkdirs_for(cfg->path, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "[store] path: %s", why);
		return NULL;
	}
	st = calloc(1, sizeof(*st));
	if (st == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	st->path = dup_or_null(cfg->path, &oom);
	st->url = dup_or_null(cfg->url, &oom);
	st->password_file = dup_or_null(cfg->password_file, &oom);
	if (oom) {
		free(st->path);
		free(st->url);
		free(st->password_file);
		free(st);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	st->drv = drv;
	st->cfg = *cfg;
	st->cfg.path = st->path;
	st->cfg.url = st->url;
	st->cfg.password_file = st->password_file;
	if (drv == &store_driver_sqlite)
		st->cfg.pool_size = 0; /* one file, no server to spare */
	pthread_mutex_init(&st->lock, NULL);
	pthread_mutex_init(&st->writer, NULL);
	if (pthread_key_create(&st->key, thread_done) != 0) {
		snprintf(err, errlen, "cannot create a thread key");
		pthread_mutex_destroy(&st->lock);
		pthread_mutex_destroy(&st->writer);
		free(st->path);
		free(st->url);
		free(st->password_file);
		free(st);
		return NULL;
	}
	if (drv != &store_driver_sqlite) {
		/* The first connection says why it failed, in one line. */
		if (drv->connect(&st->cfg, &c, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s%s",
			    cfg->schema == STORE_SCHEMA_KEYS ? "keystore: "
							     : "",
			    why);
			store_free(st);
			return NULL;
		}
		drv->disconnect(c);
	}
	c = conn_open(st, why, sizeof(why));
	if (c == NULL) {
		if (drv == &store_driver_sqlite)
			/* why starts with the path. */
			snprintf(err, errlen,
			    "[store] path: cannot open the database %s", why);
		else
			snprintf(err, errlen, "cannot reach PostgreSQL: %s",
			    why);
		store_free(st);
		return NULL;
	}
	if (st->drv->exec(c, "SELECT 1", NULL, 0, NULL, NULL) != 0) {
		if (drv == &store_driver_sqlite)
			snprintf(err, errlen,
			    "[store] path: cannot open the database %s",
			    cfg->path);
		else
			snprintf(err, errlen, "cannot reach PostgreSQL");
		store_free(st);
		return NULL;
	}
	return st;
}

void
store_free(struct store *st)
{
	struct conn_slot *s, *next;

	if (st == NULL)
		return;
	/* Threads still alive lose their slot here; the key goes first so
	 * no destructor can run on a freed slot. */
	pthread_key_delete(st->key);
	for (s = st->slots; s != NULL; s = next) {
		next = s->next;
		st->drv->disconnect(s->c);
		free(s);
	}
	pthread_mutex_destroy(&st->lock);
	pthread_mutex_destroy(&st->writer);
	free(st->path);
	free(st->url);
	free(st->password_file);
	free(st);
}

/*
 * Takes the writer mutex, waiting at most the busy timeout. Returns 0, or
 * -1 (FAULT_BUSY noted) when it stayed taken.
 */
static int
writer_lock(struct store *st)
{
	struct timespec until;
	long ms = st->cfg.busy_timeout_ms;
	int rc;

	if (pthread_mutex_trylock(&st->writer) == 0)
		return 0;
	/* The monotonic clock: a change of the wall clock does not move
	 * the bound. */
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while ((rc = pthread_mutex_clocklock(&st->writer, CLOCK_MONOTONIC,
		    &until)) == EINTR)
		;
	if (rc == 0)
		return 0;
	fault_note(FAULT_BUSY);
	log_warnx("store: the write lock stayed taken for %ld ms; the "
		  "request is answered busy",
	    ms);
	return -1;
}

/* Records in st what a transaction's failure says about the database. */
static void
took_note(struct store *st, enum fault f)
{
	if (f == FAULT_FULL && !atomic_exchange(&st->full, 1))
		log_errorx("store: no room left to write %s: reads go on, "
			   "writes are refused until space is freed",
		    st->path);
	if (f == FAULT_DAMAGED && !atomic_exchange(&st->damaged, 1))
		log_errorx("store: %s has damaged pages: writes are refused; "
			   "restore the last backup (creneau restore)",
		    st->path);
}

int
store_tx(struct store *st, int write,
    int (*fn)(struct store *st, struct store_conn *c, void *arg), void *arg)
{
	struct store_conn *c = store_conn(st);
	enum fault before = fault_get(), f;
	int rc, queued = 0;

	if (c == NULL)
		return -1;
	if (write && atomic_load(&st->damaged)) {
		fault_note(FAULT_DAMAGED);
		return -1;
	}
	if (write && !writing) {
		if (writer_lock(st) != 0)
			return -1;
		writing = queued = 1;
	}
	/* This transaction's own faults, then the earlier one back. */
	fault_clear();
	if (st->drv->begin(c, write) != 0) {
		rc = -1;
		goto done;
	}
	rc = fn(st, c, arg);
	if (rc == 0 && st->drv->commit(c) == 0) {
		if (write && atomic_exchange(&st->full, 0))
			log_info("store: %s takes writes again", st->path);
		goto done;
	}
	st->drv->rollback(c);
	rc = rc != 0 ? rc : -1;
done:
	if (queued) {
		writing = 0;
		pthread_mutex_unlock(&st->writer);
	}
	f = fault_get();
	took_note(st, f);
	if (f == FAULT_NONE || before == FAULT_DAMAGED) {
		fault_clear();
		fault_note(before);
	}
	return rc;
}

int
store_tx_join(struct store *st,
    int (*fn)(struct store *st, struct store_conn *c, void *arg), void *arg)
{
	struct store_conn *c;

	if (!writing)
		return store_tx(st, 1, fn, arg);
	return (c = store_conn(st)) == NULL ? -1 : fn(st, c, arg);
}

enum fault
store_condition(struct store *st)
{
	if (atomic_load(&st->damaged))
		return FAULT_DAMAGED;
	if (atomic_load(&st->full))
		return FAULT_FULL;
	return FAULT_NONE;
}

int
store_quick_check(struct store *st, long max_ms, char *err, size_t errlen)
{
	struct store_conn *c = store_conn(st);
	int rc;

	if (c == NULL) {
		snprintf(err, errlen, "cannot reach the database %s", st->path);
		return -1;
	}
	if (st->drv->quick_check == NULL)
		return 0;
	fault_clear();
	rc = st->drv->quick_check(c, max_ms);
	if (rc < 0 && fault_get() == FAULT_DAMAGED) {
		atomic_store(&st->damaged, 1);
		snprintf(err, errlen,
		    "%s fails its integrity check (damaged pages): restore "
		    "the last backup (creneau restore)",
		    st->path);
	} else if (rc < 0) {
		snprintf(err, errlen, "cannot check the database %s", st->path);
	}
	return rc;
}

int
store_ping(struct store *st)
{
	struct store_conn *c = store_conn(st);

	if (c == NULL)
		return -1;
	return st->drv->exec(c, "SELECT 1", NULL, 0, NULL, NULL);
}

int
store_integrity_check(struct store *st)
{
	struct store_conn *c = store_conn(st);

	return c == NULL ? -1 : st->drv->check(c);
}

int
store_maintain(struct store *st)
{
	struct store_conn *c = store_conn(st);

	return c == NULL ? -1 : st->drv->maintain(c);
}

int
store_erase_flush(struct store *st)
{
	return st->drv->dialect == DIALECT_SQLITE ? store_maintain(st) : 0;
}
