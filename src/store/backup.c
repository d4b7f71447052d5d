/*
 * backup.c (store) - online copies, checks and swaps of database files.
 *
 * The copy goes through the driver (it needs the live connection); the
 * check and the swap work on files and use SQLite directly, since they
 * concern files no store has open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/log.h"
#include "store/backup.h"
#include "store/driver.h"

/* Longest path accepted here (the configuration's limit is lower). */
#define PATH_LIMIT 4096

int
store_backup_to_file(struct store *st, const char *plain_path, char *err,
    size_t errlen)
{
	const struct store_driver *d = store_drv(st);
	struct store_conn *c;
	int fd;

	if (store_schema_of(st) == STORE_SCHEMA_KEYS) {
		snprintf(err, errlen, "the keystore is never put in a backup");
		return -1;
	}
	if (d->backup_to == NULL) {
		snprintf(err, errlen, "the %s driver cannot copy online",
		    d->name);
		return -1;
	}
	if ((c = store_conn(st)) == NULL) {
		snprintf(err, errlen, "cannot reach the database");
		return -1;
	}
	fd = open(plain_path,
	    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %s: %s", plain_path,
		    strerror(errno));
		return -1;
	}
	/* Locked while it is written: a clean-up of leftovers (see
	 * backup_clean_leftovers) removes only copies no one holds. Closed
	 * after the copy's own connection, so no lock of it is dropped. */
	flock(fd, LOCK_EX | LOCK_NB);
	if (d->backup_to(c, plain_path, err, errlen) != 0) {
		unlink(plain_path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Writes "file:" and path, percent-encoded, into a new string (free it).
 * An absolute path gets an empty authority ("file:///..."). */
static char *
file_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strnlen(path, PATH_LIMIT + 1), i, o;
	char *u;

	if (n == 0 || n > PATH_LIMIT || (u = malloc(8 + 3 * n + 1)) == NULL)
		return NULL;
	o = (size_t)snprintf(u, 8, "%s", path[0] == '/' ? "file://" : "file:");
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)path[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("/._-~", ch) != NULL) {
			u[o++] = (char)ch;
			continue;
		}
		u[o++] = '%';
		u[o++] = hex[ch >> 4];
		u[o++] = hex[ch & 15];
	}
	u[o] = '\0';
	return u;
}

/* Runs sql and reads the first column of its first row as text into out
 * (empty when there is no row) and as a number into *num. Returns an
 * SQLite result code. */
static int
first_value(sqlite3 *db, const char *sql, char *out, size_t outlen,
    int64_t *num)
{
	sqlite3_stmt *s = NULL;
	const unsigned char *t;
	int rc;

	out[0] = '\0';
	*num = 0;
	rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		t = sqlite3_column_text(s, 0);
		snprintf(out, outlen, "%s", t ? (const char *)t : "");
		*num = sqlite3_column_int64(s, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return rc;
}

int
store_check_file(const char *path, int *schema_version, char *err,
    size_t errlen)
{
	sqlite3 *db = NULL;
	char *uri, *full = NULL, text[64];
	int64_t num;
	int rc, ret = -1;

	*schema_version = 0;
	uri = file_uri(path);
	if (uri == NULL ||
	    (full = sqlite3_mprintf("%s?mode=ro&immutable=1", uri)) == NULL) {
		snprintf(err, errlen, "path too long or out of memory");
		goto done;
	}
	rc = sqlite3_open_v2(full, &db,
	    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX |
		SQLITE_OPEN_EXRESCODE,
	    NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open the database: %s",
		    sqlite3_errstr(rc));
		goto done;
	}
	/* The file is input: nothing in its schema may run code. */
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	rc =
	    first_value(db, "PRAGMA integrity_check", text, sizeof(text), &num);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "not a readable database: %s",
		    sqlite3_errstr(rc));
		goto done;
	}
	if (strcmp(text, "ok") != 0) {
		snprintf(err, errlen, "the database fails its integrity check");
		goto done;
	}
	rc = first_value(db,
	    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
	    "name = 'schema_migrations'",
	    text, sizeof(text), &num);
	if (rc == SQLITE_OK && num == 1)
		rc = first_value(db,
		    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
		    text, sizeof(text), &num);
	if (rc != SQLITE_OK || num < 0 || num > INT32_MAX) {
		snprintf(err, errlen, "cannot read the schema version");
		goto done;
	}
	*schema_version = (int)num;
	ret = 0;
done:
	sqlite3_close(db);
	sqlite3_free(full);
	free(uri);
	return ret;
}

/* Syncs the directory holding path, so a rename in it survives a crash.
 * Returns 0 or -1. */
static int
sync_parent(const char *path)
{
	char dir[PATH_LIMIT];
	const char *slash = strrchr(path, '/');
	size_t n;
	int fd, rc;

	if (slash == NULL) {
		snprintf(dir, sizeof(dir), ".");
	} else {
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= sizeof(dir))
			return -1;
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * Opens db_path and takes it over (see store_file_replace). *out receives
 * the connection that holds the exclusive lock, or NULL when the file is
 * not a database. Returns 0, 1 if another connection has it open, -1.
 */
static int
take_over(const char *db_path, sqlite3 **out, char *err, size_t errlen)
{
	sqlite3 *x = NULL;
	char mode[32];
	int64_t num;
	int rc;

	*out = NULL;
	rc = sqlite3_open_v2(db_path, &x,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
	    NULL);
	if (rc == SQLITE_OK) {
		/* No busy timeout: a server holds its connections for its
		 * whole life, waiting would not help. */
		sqlite3_busy_timeout(x, 0);
		rc = first_value(x, "PRAGMA journal_mode=DELETE", mode,
		    sizeof(mode), &num);
		if (rc == SQLITE_OK && strcmp(mode, "delete") != 0)
			rc = SQLITE_BUSY;
		if (rc == SQLITE_OK)
			rc = sqlite3_exec(x, "BEGIN EXCLUSIVE", NULL, NULL,
			    NULL);
	}
	switch (rc & 0xff) {
	case SQLITE_OK:
		*out = x;
		return 0;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		snprintf(err, errlen,
		    "the database is in use by another process (stop "
		    "creneau serve first)");
		sqlite3_close(x);
		return 1;
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		/* Nothing can be serving from it: replace it as it is. */
		log_warnx("store: %s is not a sound database; replacing it",
		    db_path);
		sqlite3_close(x);
		return 0;
	default:
		snprintf(err, errlen, "cannot open the database: %s",
		    sqlite3_errstr(rc));
		sqlite3_close(x);
		return -1;
	}
}

int
store_file_replace(const char *db_path, const char *new_path, char *err,
    size_t errlen)
{
	static const char *const sides[] = { "-wal", "-shm", "-journal" };
	sqlite3 *x = NULL;
	struct stat sb;
	char side[PATH_LIMIT];
	size_t i;
	int n, rc, ret = -1;

	if (lstat(db_path, &sb) == 0) {
		if (S_ISLNK(sb.st_mode)) {
			snprintf(err, errlen,
			    "%s is a symbolic link: set [store] path to the "
			    "file itself",
			    db_path);
			return -1;
		}
		if ((rc = take_over(db_path, &x, err, errlen)) != 0)
			return rc;
	} else if (errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", db_path, strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		n = snprintf(side, sizeof(side), "%s%s", db_path, sides[i]);
		if (n < 0 || (size_t)n >= sizeof(side)) {
			snprintf(err, errlen, "database path too long");
			goto done;
		}
		if (unlink(side) != 0 && errno != ENOENT) {
			snprintf(err, errlen, "cannot remove %s: %s", side,
			    strerror(errno));
			goto done;
		}
	}
	if (rename(new_path, db_path) != 0) {
		snprintf(err, errlen, "cannot rename into %s: %s", db_path,
		    strerror(errno));
		goto done;
	}
	if (sync_parent(db_path) != 0)
		log_warnx("store: cannot sync the directory of %s", db_path);
	ret = 0;
done:
	/* The lock goes last: until the new file is in place, no one can
	 * start using the old one. x wrote nothing, so closing it touches
	 * no file by name. */
	sqlite3_close(x);
	return ret;
}

/* The export of a server database (store/backup.h). */
#define EXPORT_MAGIC "CRENEAU-PGSQL 1"
#define EXPORT_LINE_MAX 16384

/* The tables of the current schema, parents first (a table comes after
 * every table it refers to: its longest chain of references decides),
 * each with its columns in order; generated columns are left out (COPY
 * cannot load them). */
static const char list_tables[] =
    "WITH RECURSIVE t AS ("
    " SELECT c.oid, c.relname FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')),"
    " d (oid, lvl) AS ("
    " SELECT oid, 0 FROM t"
    " UNION ALL SELECT f.conrelid, d.lvl + 1 FROM d"
    " JOIN pg_constraint f ON f.confrelid = d.oid AND f.contype = 'f'"
    " AND f.conrelid <> f.confrelid WHERE d.lvl < 64)"
    " SELECT t.relname, (SELECT string_agg(a.attname::text, ','"
    " ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = t.oid"
    " AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '')"
    " FROM t JOIN d USING (oid) GROUP BY t.oid, t.relname"
    " ORDER BY max(d.lvl), t.relname";

/* Everything the schema holds, for a restore that replaces it. */
static const char drop_all[] =
    "DO $$DECLARE r record; BEGIN"
    " FOR r IN SELECT format('%I', c.relname) AS n FROM pg_class c"
    "  JOIN pg_namespace s ON s.oid = c.relnamespace"
    "  WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'p') LOOP"
    "  EXECUTE 'DROP TABLE IF EXISTS ' || r.n || ' CASCADE'; END LOOP;"
    " FOR r IN SELECT format('%I', c.relname) AS n FROM pg_class c"
    "  JOIN pg_namespace s ON s.oid = c.relnamespace"
    "  WHERE s.nspname = current_schema() AND c.relkind = 'S' LOOP"
    "  EXECUTE 'DROP SEQUENCE IF EXISTS ' || r.n || ' CASCADE'; END LOOP;"
    " FOR r IN SELECT format('%I(%s)', p.proname,"
    "  pg_get_function_identity_arguments(p.oid)) AS n FROM pg_proc p"
    "  JOIN pg_namespace s ON s.oid = p.pronamespace"
    "  WHERE s.nspname = current_schema() LOOP"
    "  EXECUTE 'DROP ROUTINE IF EXISTS ' || r.n || ' CASCADE'; END LOOP;"
    " END$$";

/* Every identity or serial column's sequence set past the loaded ids. */
static const char reset_sequences[] =
    "DO $$DECLARE r record; BEGIN"
    " FOR r IN SELECT format('%I', c.relname) AS t, format('%I', a.attname)"
    "  AS a, pg_get_serial_sequence(format('%I', c.relname), a.attname)"
    "  AS s FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    "  JOIN pg_attribute a ON a.attrelid = c.oid"
    "  WHERE n.nspname = current_schema() AND c.relkind = 'r'"
    "  AND a.attnum > 0 AND NOT a.attisdropped LOOP"
    "  IF r.s IS NOT NULL THEN EXECUTE format('SELECT setval(%L,"
    "  COALESCE((SELECT max(%s) FROM %s), 0) + 1, false)', r.s, r.a, r.t);"
    "  END IF; END LOOP; END$$";

/* Instances serving from this database (their main connections). */
static const char serving[] =
    "SELECT count(*) FROM pg_stat_activity WHERE datname ="
    " current_database() AND pid <> pg_backend_pid() AND"
    " application_name = 'creneau'";

struct xtable {
	char *name, *cols;
	uint64_t bytes;
};

struct xlist {
	const struct store_driver *d;
	struct xtable *t;
	size_t n, cap;
	int bad;
};

/* Whether s is a plain lowercase identifier (list: or several, joined by
 * commas): the only names the schema uses, so quoting them is exact. */
static int
ident_ok(const char *s, int list)
{
	size_t i, n = strnlen(s, EXPORT_LINE_MAX);

	if (n == 0 || n >= EXPORT_LINE_MAX || s[0] == ',' || s[n - 1] == ',')
		return 0;
	for (i = 0; i < n; i++) {
		char ch = s[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '_')
			continue;
		if (!(list && ch == ',' && s[i + 1] != ','))
			return 0;
	}
	return list || n < 64;
}

static int
table_row(void *arg, const struct store_row *r)
{
	struct xlist *l = arg;
	const char *name = l->d->row_text(r, 0), *cols = l->d->row_text(r, 1);
	struct xtable *grown;

	if (name == NULL || cols == NULL || !ident_ok(name, 0) ||
	    !ident_ok(cols, 1)) {
		l->bad = 1;
		return 1;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		grown = realloc(l->t, l->cap * sizeof(*l->t));
		if (grown == NULL) {
			l->bad = 1;
			return 1;
		}
		l->t = grown;
	}
	l->t[l->n].name = strdup(name);
	l->t[l->n].cols = strdup(cols);
	l->t[l->n].bytes = 0;
	if (l->t[l->n].name == NULL || l->t[l->n].cols == NULL) {
		free(l->t[l->n].name);
		free(l->t[l->n].cols);
		l->bad = 1;
		return 1;
	}
	l->n++;
	return 0;
}

static void
xlist_free(struct xlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->t[i].name);
		free(l->t[i].cols);
	}
	free(l->t);
}

/* `COPY "name" ("a", "b") TO STDOUT` (in: FROM STDIN), or `DELETE FROM
 * "name"` (del), in a new string; the names are checked identifiers. */
static char *
table_sql(const char *name, const char *cols, int in, int del)
{
	size_t n = strlen(cols), size = 64 + strlen(name) + 3 * n, i, o;
	char *s = malloc(size);

	if (s == NULL)
		return NULL;
	if (del) {
		snprintf(s, size, "DELETE FROM \"%s\"", name);
		return s;
	}
	o = (size_t)snprintf(s, size, "COPY \"%s\" (\"", name);
	for (i = 0; i < n; i++) {
		if (cols[i] == ',') {
			memcpy(s + o, "\", \"", 4);
			o += 4;
		} else {
			s[o++] = cols[i];
		}
	}
	snprintf(s + o, size - o, "\") %s", in ? "FROM STDIN" : "TO STDOUT");
	return s;
}

struct export
{
	const struct store_export_sink *s;
	struct xlist l;
	uint64_t got;
	char *err;
	size_t errlen;
};

static int
count_bytes(void *arg, const void *buf, size_t n)
{
	(void)buf;
	*(uint64_t *)arg += n;
	return 0;
}

static int
forward_bytes(void *arg, const void *buf, size_t n)
{
	struct export *x = arg;

	x->got += n;
	return x->s->write(x->s->arg, buf, n);
}

/* Runs COPY of table t to fn. Returns 0 or -1 (reason in x->err). */
static int
copy_table(struct store *st, struct store_conn *c, struct export *x,
    const struct xtable *t, int (*fn)(void *, const void *, size_t), void *arg)
{
	char *sql = table_sql(t->name, t->cols, 0, 0);
	int rc = sql ? store_drv(st)->copy_out(c, sql, fn, arg) : -1;

	free(sql);
	if (rc != 0)
		snprintf(x->err, x->errlen, "cannot read table %s", t->name);
	return rc;
}

static int
export_tx(struct store *st, struct store_conn *c, void *arg)
{
	const struct store_driver *d = store_drv(st);
	struct export *x = arg;
	char head[64], line[EXPORT_LINE_MAX + 96];
	uint64_t total;
	size_t i;
	int version, n;

	if (d->exec_script(c, "SET TRANSACTION READ ONLY") != 0 ||
	    store_schema_version(st, &version) != 0 || version < 1) {
		snprintf(x->err, x->errlen, "cannot read the schema version");
		return -1;
	}
	x->l.d = d;
	if (d->exec(c, list_tables, NULL, 0, table_row, &x->l) != 0 ||
	    x->l.bad) {
		snprintf(x->err, x->errlen, "cannot list the tables");
		return -1;
	}
	n = snprintf(head, sizeof(head), EXPORT_MAGIC "\nschema %d\n", version);
	total = (uint64_t)n + 4; /* and "end\n" */
	for (i = 0; i < x->l.n; i++) {
		struct xtable *t = &x->l.t[i];

		if (copy_table(st, c, x, t, count_bytes, &t->bytes) != 0)
			return -1;
		total += (uint64_t)snprintf(NULL, 0, "table %s %llu %s\n",
			     t->name, (unsigned long long)t->bytes, t->cols) +
		    t->bytes;
	}
	if (x->s->size(x->s->arg, total) != 0 ||
	    x->s->write(x->s->arg, head, (size_t)n) != 0)
		goto sink;
	for (i = 0; i < x->l.n; i++) {
		const struct xtable *t = &x->l.t[i];

		n = snprintf(line, sizeof(line), "table %s %llu %s\n", t->name,
		    (unsigned long long)t->bytes, t->cols);
		if (n < 0 || (size_t)n >= sizeof(line) ||
		    x->s->write(x->s->arg, line, (size_t)n) != 0)
			goto sink;
		x->got = 0;
		if (copy_table(st, c, x, t, forward_bytes, x) != 0)
			return -1;
		/* One snapshot: the second reading is the first one. */
		if (x->got != t->bytes) {
			snprintf(x->err, x->errlen,
			    "table %s changed size within its snapshot",
			    t->name);
			return -1;
		}
	}
	if (x->s->write(x->s->arg, "end\n", 4) != 0)
		goto sink;
	return 0;
sink:
	if (x->err[0] == '\0')
		snprintf(x->err, x->errlen, "cannot write the backup");
	return -1;
}

int
store_exports(struct store *st)
{
	const struct store_driver *d = store_drv(st);

	return d->backup_to == NULL && d->copy_out != NULL;
}

int
store_export(struct store *st, const struct store_export_sink *s, char *err,
    size_t errlen)
{
	struct export x;
	int rc;

	if (store_schema_of(st) == STORE_SCHEMA_KEYS) {
		snprintf(err, errlen, "the keystore is never put in a backup");
		return -1;
	}
	if (!store_exports(st)) {
		snprintf(err, errlen, "the %s driver exports no stream",
		    store_drv(st)->name);
		return -1;
	}
	memset(&x, 0, sizeof(x));
	x.s = s;
	x.err = err;
	x.errlen = errlen;
	err[0] = '\0';
	rc = store_tx(st, 0, export_tx, &x);
	xlist_free(&x.l);
	if (rc != 0 && err[0] == '\0')
		snprintf(err, errlen, "the export's transaction failed");
	return rc == 0 ? 0 : -1;
}

struct import {
	int (*next)(void *arg, const void **buf, size_t *n);
	void *arg;
	const unsigned char *p;
	size_t n;
	uint64_t left; /* bytes of the table being loaded */
	int version, broken;
	char *err;
	size_t errlen;
};

/* Makes sure a piece is at hand: 1, 0 at the end of the export, -1. */
static int
pull(struct import *m)
{
	const void *buf;
	size_t n;
	int rc;

	while (m->n == 0) {
		rc = m->next(m->arg, &buf, &n);
		if (rc <= 0) {
			if (rc < 0)
				m->broken = 1;
			return rc;
		}
		m->p = buf;
		m->n = n;
	}
	return 1;
}

/* Reads one line (without its newline) into line. Returns 0 or -1. */
static int
read_line(struct import *m, char *line, size_t size)
{
	size_t o = 0;

	for (;;) {
		if (pull(m) <= 0)
			return -1;
		while (m->n > 0) {
			char ch = (char)*m->p++;

			m->n--;
			if (ch == '\n') {
				line[o] = '\0';
				return 0;
			}
			if (o + 1 >= size)
				return -1;
			line[o++] = ch;
		}
	}
}

/* copy_in's source: the next piece of the current table's data. */
static int
table_piece(void *arg, const void **buf, size_t *n)
{
	struct import *m = arg;
	int rc;

	if (m->left == 0)
		return 0;
	if ((rc = pull(m)) <= 0)
		return -1; /* the export ends inside a table */
	*n = m->n < m->left ? m->n : (size_t)m->left;
	*buf = m->p;
	m->p += *n;
	m->n -= *n;
	m->left -= *n;
	return 1;
}

/* Loads one "table" line's data. Returns 0 or -1 (reason in m->err). */
static int
load_table(struct store *st, struct store_conn *c, struct import *m, char *line)
{
	const struct store_driver *d = store_drv(st);
	char *name = line + 6, *size, *cols, *end, *sql;
	unsigned long long bytes;
	int rc;

	if ((size = strchr(name, ' ')) == NULL ||
	    (cols = strchr(size + 1, ' ')) == NULL)
		goto bad;
	*size++ = '\0';
	*cols++ = '\0';
	errno = 0;
	bytes = strtoull(size, &end, 10);
	if (errno != 0 || *end != '\0' || end == size || !ident_ok(name, 0) ||
	    !ident_ok(cols, 1))
		goto bad;
	/* What the migrations put in (a seeded row) gives way to the
	 * backup's rows. */
	sql = table_sql(name, cols, 0, 1);
	rc = sql ? d->exec(c, sql, NULL, 0, NULL, NULL) : -1;
	free(sql);
	m->left = bytes;
	if (rc == 0) {
		sql = table_sql(name, cols, 1, 0);
		rc = sql ? d->copy_in(c, sql, table_piece, m) : -1;
		free(sql);
	}
	if (rc != 0 || m->left != 0) {
		if (!m->broken)
			snprintf(m->err, m->errlen,
			    "the rows of table %s do not load", name);
		return -1;
	}
	return 0;
bad:
	snprintf(m->err, m->errlen, "the export is malformed");
	return -1;
}

static int
import_tx(struct store *st, struct store_conn *c, void *arg)
{
	const struct store_driver *d = store_drv(st);
	struct import *m = arg;
	char line[EXPORT_LINE_MAX + 96], *end;
	long v;

	if (read_line(m, line, sizeof(line)) != 0 ||
	    strcmp(line, EXPORT_MAGIC) != 0) {
		if (!m->broken)
			snprintf(m->err, m->errlen,
			    "the backup holds no PostgreSQL export (a SQLite "
			    "database is restored with [store] driver = "
			    "sqlite)");
		return -1;
	}
	if (read_line(m, line, sizeof(line)) != 0 ||
	    strncmp(line, "schema ", 7) != 0 ||
	    (v = strtol(line + 7, &end, 10)) < 1 || *end != '\0') {
		if (!m->broken)
			snprintf(m->err, m->errlen, "the export is malformed");
		return -1;
	}
	if (v > store_schema_latest()) {
		snprintf(m->err, m->errlen,
		    "the backup's schema (version %ld) is newer than this binary "
		    "knows (%d): restore with a newer creneau",
		    v, store_schema_latest());
		return -1;
	}
	m->version = (int)v;
	if (d->exec_script(c, drop_all) != 0) {
		snprintf(m->err, m->errlen, "cannot empty the database");
		return -1;
	}
	if (store_schema_create(st, c, m->version, m->err, m->errlen) != 0)
		return -1;
	for (;;) {
		if (read_line(m, line, sizeof(line)) != 0) {
			if (!m->broken)
				snprintf(m->err, m->errlen,
				    "the export is malformed");
			return -1;
		}
		if (strcmp(line, "end") == 0)
			break;
		if (strncmp(line, "table ", 6) != 0 ||
		    load_table(st, c, m, line) != 0) {
			if (!m->broken && m->err[0] == '\0')
				snprintf(m->err, m->errlen,
				    "the export is malformed");
			return -1;
		}
	}
	/* The source says here whether the stream was whole. */
	if (pull(m) != 0) {
		if (!m->broken)
			snprintf(m->err, m->errlen,
			    "data follows the end of the export");
		return -1;
	}
	if (d->exec_script(c, reset_sequences) != 0) {
		snprintf(m->err, m->errlen, "cannot set the id sequences");
		return -1;
	}
	return 0;
}

int
store_import(struct store *st,
    int (*next)(void *arg, const void **buf, size_t *n), void *arg, int replace,
    int *schema_version, char *err, size_t errlen)
{
	const struct store_driver *d = store_drv(st);
	struct store_int_out o = { d, 0, 0 };
	struct store_conn *c;
	struct import m;
	int rc, has;

	err[0] = '\0';
	*schema_version = 0;
	if (store_schema_of(st) == STORE_SCHEMA_KEYS || !store_exports(st)) {
		snprintf(err, errlen, "the %s driver loads no export", d->name);
		return -1;
	}
	if ((c = store_conn(st)) == NULL ||
	    d->exec(c, serving, NULL, 0, store_row_int, &o) != 0) {
		snprintf(err, errlen, "cannot reach the database");
		return -1;
	}
	if (o.v > 0) {
		snprintf(err, errlen,
		    "the database is in use by %lld connections of running "
		    "servers (stop every creneau serve first)",
		    (long long)o.v);
		return 1;
	}
	/* Outside the transaction: a damaged schema fails this query, and
	 * the failure would end the transaction. */
	if ((has = store_has_records(st)) != 0 && !replace) {
		snprintf(err, errlen, "%s",
		    has > 0 ? "the database holds records: restore into an "
			      "empty one, or replace them with restore "
			      "--replace"
			    : "the database holds a schema that cannot be "
			      "read: replace it with restore --replace");
		return 1;
	}
	memset(&m, 0, sizeof(m));
	m.next = next;
	m.arg = arg;
	m.err = err;
	m.errlen = errlen;
	rc = store_tx(st, 1, import_tx, &m);
	*schema_version = m.version;
	if (rc != 0 && err[0] == '\0')
		snprintf(err, errlen, "the restore's transaction failed");
	return rc == 0 ? 0 : -1;
}
