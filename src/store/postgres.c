/*
 * postgres.c - the PostgreSQL driver (libpq): several instances on one
 * database server.
 *
 * The only file that includes libpq-fe.h. Statements are the same text as
 * for SQLite ($1, $2... placeholders), prepared once per connection and
 * kept by their text and parameter types. Parameters go as text (integers,
 * text) or binary (blobs); results come as text, BYTEA decoded from its
 * hex form before a row accessor returns it.
 *
 * Transactions: a write transaction takes a transaction-scoped advisory
 * lock, the same one in every instance, before its first statement. Write
 * transactions therefore run one at a time across all instances, exactly
 * as SQLite's BEGIN IMMEDIATE makes them run one at a time in one file:
 * every read-then-write path of the store (a slot to one basket, a quota
 * never exceeded, the audit head) keeps the guarantee it was written and
 * tested for, without a retry loop. Read transactions run at REPEATABLE
 * READ (one snapshot, never blocked, never blocking) as SQLite readers do
 * in WAL mode. docs/architecture.md says why this and not row locks or
 * SERIALIZABLE.
 *
 * A connection the server dropped (restart, failover) is reset before the
 * next statement outside a transaction; inside one the statement fails,
 * the transaction rolls back and the caller answers 503.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "core/log.h"
#include "core/fault.h"
#include "store/driver.h"

/* Type OIDs (pg_type.h is a server header). */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25

#define PG_STMT_CACHE 512 /* slots, a power of two */
/* Ways of a set: with one, two hot statements whose keys hashed to one
 * slot took it from each other on every use, each time a PREPARE and a
 * DEALLOCATE more (store/sqlite.c measured it under a booking rush). */
#define PG_STMT_WAYS 4
#define PG_PARAMS_MAX 64

/* The advisory lock key every write transaction takes ("creneau" + 1). */
#define PG_WRITE_LOCK "7213859462110001"

struct pg_cached {
	uint64_t hash;
	char *sql; /* NULL: empty slot */
	int kinds[PG_PARAMS_MAX]; /* enum store_type of each parameter */
	int ntypes;
	char name[24];
	uint64_t used; /* the connection's tick at its last use */
};

struct store_conn {
	PGconn *pg;
	long wait_ms; /* [store] busy_timeout_ms: the longest lock wait */
	int in_tx;
	unsigned long next_name;
	struct pg_cached cache[PG_STMT_CACHE];
	uint64_t tick;
};

struct store_row {
	PGresult *res;
	int row;
	int ncols;
	unsigned char **dec; /* decoded BYTEA per column, NULL until asked */
	size_t *declen;
};

/* Reads the first line of path into buf (size bytes): the password. */
static int
read_password(const char *path, char *buf, size_t size, char *err,
    size_t errlen)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (f == NULL) {
		snprintf(err, errlen, "[store] password_file: %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fgets(buf, (int)size, f) == NULL)
		buf[0] = '\0';
	fclose(f);
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	if (n == 0) {
		snprintf(err, errlen, "[store] password_file: %s is empty",
		    path);
		return -1;
	}
	return 0;
}

/* libpq's message, on one line, without the trailing newline. */
static void
one_line(char *dst, size_t size, const char *msg)
{
	size_t i, o = 0;

	for (i = 0; msg != NULL && msg[i] != '\0' && o + 1 < size; i++) {
		if (msg[i] == '\n' || msg[i] == '\r' || msg[i] == '\t') {
			if (msg[i + 1] == '\0')
				break;
			dst[o++] = ' ';
		} else {
			dst[o++] = msg[i];
		}
	}
	dst[o] = '\0';
}

static void
pg_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs (IF NOT EXISTS...) are not news */
}

static int
pg_connect(const struct store_config *cfg, struct store_conn **out, char *err,
    size_t errlen)
{
	const char *keys[5], *vals[5];
	char password[512], timeout[24], line[300];
	struct store_conn *c;
	int n = 0;

	if (cfg->url == NULL || cfg->url[0] == '\0') {
		snprintf(err, errlen, "[store] url: not set");
		return -1;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	keys[n] = "dbname"; /* expanded: the URL itself */
	vals[n++] = cfg->url;
	if (cfg->password_file != NULL && cfg->password_file[0] != '\0') {
		if (read_password(cfg->password_file, password,
			sizeof(password), err, errlen) != 0) {
			free(c);
			return -1;
		}
		keys[n] = "password";
		vals[n++] = password;
	}
	snprintf(timeout, sizeof(timeout), "%ld",
	    cfg->busy_timeout_ms > 0 ? (cfg->busy_timeout_ms + 999) / 1000 : 5);
	keys[n] = "connect_timeout";
	vals[n++] = timeout;
	/* What `creneau restore` looks for to know whether an instance is
	 * serving from the main database. */
	keys[n] = "application_name";
	vals[n++] =
	    cfg->schema == STORE_SCHEMA_KEYS ? "creneau-keys" : "creneau";
	keys[n] = NULL;
	vals[n] = NULL;
	c->pg = PQconnectdbParams(keys, vals, 1);
	memset(password, 0, sizeof(password));
	if (c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK) {
		one_line(line, sizeof(line),
		    c->pg ? PQerrorMessage(c->pg) : "out of memory");
		snprintf(err, errlen, "cannot connect to PostgreSQL: %s", line);
		PQfinish(c->pg);
		free(c);
		return -1;
	}
	PQsetNoticeProcessor(c->pg, pg_notice, NULL);
	c->wait_ms = cfg->busy_timeout_ms;
	*out = c;
	return 0;
}

static void
cache_forget(struct store_conn *c)
{
	size_t i;

	for (i = 0; i < PG_STMT_CACHE; i++) {
		free(c->cache[i].sql);
		c->cache[i].sql = NULL;
	}
}

static void
pg_disconnect(struct store_conn *c)
{
	if (c == NULL)
		return;
	cache_forget(c);
	PQfinish(c->pg);
	free(c);
}

/* Logs a failed result: SQLSTATE and the server's message, which names a
 * constraint or a statement, never the values bound. */
static void
log_result(const char *what, const PGresult *res, PGconn *pg)
{
	char line[400];
	const char *state =
	    res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;

	/* The same fault kinds as SQLite's (core/fault.h): a lock waited
	 * for past lock_timeout (55P03) or a cancelled wait is "busy"; no
	 * room on the server's disk (53100) is "full"; damaged data (XX001,
	 * XX002) is "damaged". */
	if (state != NULL) {
		if (strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
			fault_note(FAULT_BUSY);
		else if (strcmp(state, "53100") == 0)
			fault_note(FAULT_FULL);
		else if (strcmp(state, "XX001") == 0 ||
		    strcmp(state, "XX002") == 0)
			fault_note(FAULT_DAMAGED);
	}
	one_line(line, sizeof(line),
	    res && PQresultErrorMessage(res)[0] ? PQresultErrorMessage(res)
						: PQerrorMessage(pg));
	log_errorx("store: %s: %s%s%s", what, state ? state : "",
	    state ? " " : "", line);
}

/* Outside a transaction, a connection the server dropped is reset. */
static int
healthy(struct store_conn *c)
{
	if (PQstatus(c->pg) == CONNECTION_OK)
		return 0;
	if (c->in_tx)
		return -1;
	PQreset(c->pg);
	cache_forget(c);
	if (PQstatus(c->pg) != CONNECTION_OK) {
		log_result("reconnect", NULL, c->pg);
		return -1;
	}
	log_info("store: reconnected to PostgreSQL");
	return 0;
}

static int
pg_simple(struct store_conn *c, const char *sql)
{
	PGresult *res;
	int ok;

	if (healthy(c) != 0)
		return -1;
	res = PQexec(c->pg, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		log_result("exec", res, c->pg);
	PQclear(res);
	return ok ? 0 : -1;
}

static int
pg_begin(struct store_conn *c, int write)
{
	char sql[160];
	int rc;

	/* A writer waits for the lock as long as SQLite's busy timeout
	 * lets it, then fails (the request answers 503). */
	snprintf(sql, sizeof(sql),
	    "BEGIN ISOLATION LEVEL READ COMMITTED;"
	    "SET LOCAL lock_timeout = %ld;"
	    "SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")",
	    c->wait_ms > 0 ? c->wait_ms : 1); /* 0 would mean forever */
	if (write)
		rc = pg_simple(c, sql);
	else
		rc = pg_simple(c, "BEGIN ISOLATION LEVEL REPEATABLE READ");
	if (rc == 0)
		c->in_tx = 1;
	else if (PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		pg_simple(c, "ROLLBACK");
	return rc;
}

static int
pg_commit(struct store_conn *c)
{
	PGresult *res = PQexec(c->pg, "COMMIT");
	/* A COMMIT of a failed transaction answers ROLLBACK, not an error. */
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK &&
	    strcmp(PQcmdStatus(res), "COMMIT") == 0;

	if (!ok)
		log_result("commit", res, c->pg);
	PQclear(res);
	c->in_tx = 0;
	return ok ? 0 : -1;
}

static int
pg_rollback(struct store_conn *c)
{
	int rc = 0;

	if (PQstatus(c->pg) == CONNECTION_OK &&
	    PQtransactionStatus(c->pg) != PQTRANS_IDLE)
		rc = pg_simple(c, "ROLLBACK");
	c->in_tx = 0;
	return rc;
}

/* Marks in used[] each $n that sql names, outside string literals. */
static void
params_used(const char *sql, int *used, int n)
{
	const char *p;
	int quoted = 0;
	long v;
	char *end;

	for (p = sql; *p != '\0'; p++) {
		if (*p == '\'') {
			quoted = !quoted;
			continue;
		}
		if (quoted || *p != '$' || p[1] < '0' || p[1] > '9')
			continue;
		v = strtol(p + 1, &end, 10);
		if (v >= 1 && v <= n)
			used[v - 1] = 1;
		p = end - 1;
	}
}

/* How the parameters of one try are typed: text and NULL parameters may be
 * left to the server to infer (0) or declared text. */
static const struct {
	Oid text, null;
} typings[] = {
	{ OID_TEXT, 0 }, /* the usual case: NULL may go into any column */
	{ OID_TEXT, OID_TEXT }, /* "$1 IS NULL OR col = $1" with a NULL */
	{ 0, 0 }, /* text into a column of another type */
	{ OID_TEXT, OID_BYTEA }, /* "$2 IS NULL OR blob <> $2" */
	{ OID_TEXT, OID_INT8 }, /* "$2 IS NULL OR number = $2" */
};

static void
type_params(Oid *types, const struct store_val *params, const int *used, int n,
    size_t typing)
{
	int i;

	for (i = 0; i < n; i++) {
		switch (params[i].type) {
		case SV_NULL:
			types[i] = typings[typing].null;
			break;
		case SV_INT:
			types[i] = OID_INT8;
			break;
		case SV_TEXT:
			types[i] = typings[typing].text;
			break;
		default:
			types[i] = OID_BYTEA;
			break;
		}
		/* A parameter the statement does not name (SQLite skips it)
		 * still needs a type here. */
		if (!used[i] && types[i] == 0)
			types[i] = OID_TEXT;
	}
}

/* The cache key: the statement's text and its parameters' kinds. */
static uint64_t
stmt_key(const char *sql, const struct store_val *params, int n)
{
	uint64_t h = UINT64_C(14695981039346656037);
	int i;

	while (*sql != '\0')
		h = (h ^ (unsigned char)*sql++) * UINT64_C(1099511628211);
	for (i = 0; i < n; i++)
		h = (h ^ (uint64_t)params[i].type) * UINT64_C(1099511628211);
	return h;
}

static int
try_prepare(struct store_conn *c, const char *name, const char *sql,
    const Oid *types, int n, int last)
{
	PGresult *res = PQprepare(c->pg, name, sql, n, types);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok && last)
		log_result("prepare", res, c->pg);
	PQclear(res);
	return ok ? 0 : -1;
}

/*
 * The name of the prepared statement for sql with these parameters,
 * preparing it on first use. The server must learn each parameter's type:
 * integers and blobs say theirs; text and NULL are tried as the typings
 * above say, in order, inside a savepoint when a transaction is open (a
 * refused statement would abort it). NULL when every typing is refused.
 */
static const char *
stmt_get(struct store_conn *c, const char *sql, const struct store_val *params,
    const int *used, int n)
{
	uint64_t h = stmt_key(sql, params, n);
	struct pg_cached *set = &c->cache[h & (PG_STMT_CACHE - PG_STMT_WAYS)];
	struct pg_cached *e;
	char name[24], dealloc[48];
	Oid types[PG_PARAMS_MAX];
	size_t t, nt = sizeof(typings) / sizeof(typings[0]), w;
	int in_tx = PQtransactionStatus(c->pg) == PQTRANS_INTRANS, i;

	c->tick++;
	for (w = 0; w < PG_STMT_WAYS; w++) {
		e = &set[w];
		if (e->sql == NULL || e->hash != h || e->ntypes != n ||
		    strcmp(e->sql, sql) != 0)
			continue;
		for (i = 0; i < n; i++)
			if (e->kinds[i] != (int)params[i].type)
				break;
		if (i == n) {
			e->used = c->tick;
			return e->name;
		}
	}
	/* The slot to take: an empty one, else the least recently used. */
	e = &set[0];
	for (w = 0; w < PG_STMT_WAYS; w++) {
		if (set[w].sql == NULL) {
			e = &set[w];
			break;
		}
		if (set[w].used < e->used)
			e = &set[w];
	}
	snprintf(name, sizeof(name), "s%lu", ++c->next_name);
	if (in_tx && pg_simple(c, "SAVEPOINT creneau_prepare") != 0)
		return NULL;
	for (t = 0; t < nt; t++) {
		type_params(types, params, used, n, t);
		if (try_prepare(c, name, sql, types, n, t + 1 == nt) == 0)
			break;
		if (in_tx &&
		    pg_simple(c, "ROLLBACK TO SAVEPOINT creneau_prepare") != 0)
			return NULL;
	}
	if (in_tx && pg_simple(c, "RELEASE SAVEPOINT creneau_prepare") != 0)
		return NULL;
	if (t == nt)
		return NULL;
	if (e->sql != NULL) {
		snprintf(dealloc, sizeof(dealloc), "DEALLOCATE %s", e->name);
		PQclear(PQexec(c->pg, dealloc));
		free(e->sql);
		e->sql = NULL;
	}
	if ((e->sql = strdup(sql)) == NULL)
		return NULL;
	e->hash = h;
	e->ntypes = n;
	for (i = 0; i < n; i++)
		e->kinds[i] = (int)params[i].type;
	memcpy(e->name, name, sizeof(name));
	e->used = c->tick;
	return e->name;
}

static void
row_reset(struct store_row *r)
{
	int i;

	for (i = 0; i < r->ncols; i++) {
		free(r->dec[i]);
		r->dec[i] = NULL;
	}
}

static int
pg_exec(struct store_conn *c, const char *sql, const struct store_val *params,
    size_t nparams, store_row_fn fn, void *arg)
{
	const char *values[PG_PARAMS_MAX];
	int lengths[PG_PARAMS_MAX], formats[PG_PARAMS_MAX];
	int used[PG_PARAMS_MAX];
	char ints[PG_PARAMS_MAX][24];
	const char *name;
	PGresult *res;
	struct store_row row;
	int i, n = (int)nparams, ret = -1, rows;

	if (nparams > PG_PARAMS_MAX) {
		log_errorx("store: too many parameters (%zu)", nparams);
		return -1;
	}
	if (healthy(c) != 0)
		return -1;
	memset(used, 0, sizeof(used));
	params_used(sql, used, n);
	for (i = 0; i < n; i++) {
		lengths[i] = 0;
		formats[i] = 0;
		switch (params[i].type) {
		case SV_NULL:
			values[i] = NULL;
			break;
		case SV_INT:
			snprintf(ints[i], sizeof(ints[i]), "%lld",
			    (long long)params[i].i);
			values[i] = ints[i];
			break;
		case SV_TEXT:
			values[i] = params[i].p;
			break;
		default:
			values[i] = params[i].len ? params[i].p : "";
			lengths[i] = (int)params[i].len;
			formats[i] = 1;
			break;
		}
	}
	if ((name = stmt_get(c, sql, params, used, n)) == NULL)
		return -1;
	res = PQexecPrepared(c->pg, name, n, values, lengths, formats, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		log_result("step", res, c->pg);
		goto done;
	}
	ret = 0;
	if (fn == NULL || (rows = PQntuples(res)) == 0)
		goto done;
	memset(&row, 0, sizeof(row));
	row.res = res;
	row.ncols = PQnfields(res);
	row.dec = calloc((size_t)row.ncols, sizeof(*row.dec));
	row.declen = calloc((size_t)row.ncols, sizeof(*row.declen));
	if (row.dec == NULL || row.declen == NULL) {
		ret = -1;
	} else {
		for (row.row = 0; row.row < rows; row.row++) {
			int stop = fn(arg, &row);

			row_reset(&row);
			if (stop)
				break;
		}
	}
	free(row.dec);
	free(row.declen);
done:
	PQclear(res);
	return ret;
}

static int
pg_exec_script(struct store_conn *c, const char *sql)
{
	return pg_simple(c, sql);
}

static int64_t
pg_row_int(const struct store_row *r, int col)
{
	const char *v = PQgetvalue(r->res, r->row, col);

	if (PQftype(r->res, col) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *
pg_row_text(const struct store_row *r, int col)
{
	if (PQgetisnull(r->res, r->row, col))
		return NULL;
	return PQgetvalue(r->res, r->row, col);
}

static int
hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static const void *
pg_row_blob(const struct store_row *r, int col, size_t *len)
{
	const char *v;
	size_t n, i;
	unsigned char *out;
	int hi, lo;

	*len = 0;
	if (PQgetisnull(r->res, r->row, col))
		return NULL;
	v = PQgetvalue(r->res, r->row, col);
	if (PQftype(r->res, col) != OID_BYTEA) {
		*len = (size_t)PQgetlength(r->res, r->row, col);
		return v;
	}
	if (r->dec[col] != NULL) {
		*len = r->declen[col];
		return r->dec[col];
	}
	/* bytea_output = hex (the default since 9.0): \x then pairs. */
	if (v[0] != '\\' || v[1] != 'x')
		return NULL;
	n = strlen(v + 2) / 2;
	if ((out = malloc(n ? n : 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		hi = hexval(v[2 + 2 * i]);
		lo = hexval(v[3 + 2 * i]);
		if (hi < 0 || lo < 0) {
			free(out);
			return NULL;
		}
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	r->dec[col] = out;
	r->declen[col] = n;
	*len = n;
	return out;
}

static int
pg_row_is_null(const struct store_row *r, int col)
{
	return PQgetisnull(r->res, r->row, col);
}

/* PostgreSQL checks pages as it reads them (data checksums, initdb -k);
 * the whole-database check here is that the catalog and every table of
 * the schema answer. */
static int
pg_check(struct store_conn *c)
{
	return pg_simple(c,
	    "DO $$DECLARE t record; BEGIN"
	    " FOR t IN SELECT c.oid::regclass AS r FROM pg_class c"
	    "  JOIN pg_namespace n ON n.oid = c.relnamespace"
	    "  WHERE c.relkind = 'r' AND n.nspname = current_schema() LOOP"
	    "  EXECUTE 'SELECT count(*) FROM ' || t.r; END LOOP; END$$");
}

/* Reads the results that end a COPY. Returns 0, or -1 if it failed
 * (logged when log is set). */
static int
copy_results(struct store_conn *c, int log)
{
	PGresult *res;
	int ret = 0;

	while ((res = PQgetResult(c->pg)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			if (log)
				log_result("copy", res, c->pg);
			ret = -1;
		}
		PQclear(res);
	}
	return ret;
}

static int
pg_copy_out(struct store_conn *c, const char *sql,
    int (*fn)(void *arg, const void *buf, size_t n), void *arg)
{
	PGresult *res;
	char *buf;
	int n, ret = 0;

	if (healthy(c) != 0)
		return -1;
	res = PQexec(c->pg, sql);
	if (PQresultStatus(res) != PGRES_COPY_OUT) {
		log_result("copy", res, c->pg);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	/* Every row must be read, even after fn said stop: the connection
	 * is busy until the COPY ends. */
	while ((n = PQgetCopyData(c->pg, &buf, 0)) > 0) {
		if (ret == 0 && fn(arg, buf, (size_t)n) != 0)
			ret = -1;
		PQfreemem(buf);
	}
	if (n == -2)
		ret = -1;
	return copy_results(c, 1) != 0 ? -1 : ret;
}

static int
pg_copy_in(struct store_conn *c, const char *sql,
    int (*next)(void *arg, const void **buf, size_t *n), void *arg)
{
	PGresult *res;
	const void *buf;
	size_t n;
	int rc, ret = 0;

	if (healthy(c) != 0)
		return -1;
	res = PQexec(c->pg, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		log_result("copy", res, c->pg);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	while ((rc = next(arg, &buf, &n)) > 0) {
		if (n > INT32_MAX || PQputCopyData(c->pg, buf, (int)n) != 1) {
			rc = -1;
			break;
		}
	}
	if (rc < 0) {
		/* The server drops what it received: nothing is loaded. */
		PQputCopyEnd(c->pg, "the backup is not sound");
		ret = -1;
	} else if (PQputCopyEnd(c->pg, NULL) != 1) {
		ret = -1;
	}
	/* A COPY aborted on purpose fails as asked: not news. */
	return copy_results(c, rc >= 0) != 0 ? -1 : ret;
}

static int
pg_maintain(struct store_conn *c)
{
	return pg_simple(c, "ANALYZE");
}

const struct store_driver store_driver_postgres = {
	.name = "postgresql",
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.exec = pg_exec,
	.exec_script = pg_exec_script,
	.check = pg_check,
	.maintain = pg_maintain,
	.backup_to = NULL,
	.copy_out = pg_copy_out,
	.copy_in = pg_copy_in,
	.dialect = DIALECT_POSTGRES,
	.row_int = pg_row_int,
	.row_text = pg_row_text,
	.row_blob = pg_row_blob,
	.row_is_null = pg_row_is_null,
};
