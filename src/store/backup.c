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
