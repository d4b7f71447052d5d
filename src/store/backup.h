/*
 * backup.h (store) - the database-file side of backups: an online copy of
 * the live database, the check of a candidate file, and the swap of a
 * restored file into place (SQLite); the export of a server database and
 * its load (PostgreSQL). Encryption and the backup format are
 * src/backup/'s.
 */
#ifndef CRENEAU_STORE_BACKUP_H
#define CRENEAU_STORE_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/*
 * Copies the live database of st, online (the server keeps reading and
 * writing), into plain_path, a new file created with mode 0600 (refused if
 * it exists). The copy is a consistent snapshot. Refuses the keystore: the
 * wrapped data keys are never put in a backup. Returns 0, or -1 with a
 * reason in err (plain_path then removed).
 */
int store_backup_to_file(struct store *st, const char *plain_path, char *err,
    size_t errlen);

/*
 * Opens the candidate database file path read-only (as immutable: no lock,
 * no side file), runs its integrity check and reads its schema version
 * into *schema_version (0 when it has no schema_migrations table). Returns
 * 0, or -1 with a reason in err (not a database, damaged).
 */
int store_check_file(const char *path, int *schema_version, char *err,
    size_t errlen);

/*
 * Replaces the database file db_path by new_path (same directory), if no
 * one uses it. To be sure, it opens db_path and takes it over: leaving
 * WAL mode and taking an exclusive lock both fail as long as any other
 * connection, in any process, has the database open (a running server
 * always has). Holding that lock, it removes db_path's -wal, -shm and
 * -journal files (they belong to the old database and would corrupt the
 * new one), renames new_path over db_path and syncs the directory. A
 * db_path that does not exist is simply created; one that is not a
 * database (damaged beyond opening) is replaced without the check.
 * Returns 0, 1 if the database is in use (nothing changed), or -1 with a
 * reason in err. new_path is left in place unless it was renamed.
 */
int store_file_replace(const char *db_path, const char *new_path, char *err,
    size_t errlen);

/*
 * A database server (PostgreSQL) has no file to copy: its database is
 * exported as a stream, "the export", which is what the backup encrypts:
 *   "CRENEAU-PGSQL 1\n" "schema <version>\n"
 *   then per table, parents before the tables that refer to them:
 *   "table <name> <bytes> <column>,<column>...\n" and <bytes> bytes of
 *   COPY text data; then "end\n".
 * Whether st's database goes that way (1) or as a file copy (0).
 */
int store_exports(struct store *st);

/* Where store_export writes: size() first, with the whole export's length
 * (the backup header holds it), then write() with the bytes in order.
 * Either returns non-zero to stop (the export then fails). */
struct store_export_sink {
	int (*size)(void *arg, uint64_t total);
	int (*write)(void *arg, const void *buf, size_t n);
	void *arg;
};

/*
 * Exports st's main database to s from one snapshot (one REPEATABLE READ
 * READ ONLY transaction: the server keeps reading and writing). It reads
 * the data twice in that snapshot, once to measure, once to write, so no
 * byte of it is ever kept on disk or whole in memory. Refuses the
 * keystore. Returns 0, or -1 with a reason in err.
 */
int store_export(struct store *st, const struct store_export_sink *s, char *err,
    size_t errlen);

/*
 * Loads an export into st's database in one transaction: the schema at
 * the export's version (migrations), then the data, then the identity
 * sequences. next gives the export's bytes piece by piece (>0), 0 at its
 * end once it knows the stream is whole and authentic, -1 when it is not
 * (nothing is then loaded). A database holding records is refused (1)
 * unless replace, which drops everything in the schema first, in the same
 * transaction. Refused too (1) while an instance serves from the
 * database. *schema_version receives the export's. Returns 0, 1 refused,
 * -1 failed; with a reason in err; nothing changed unless 0.
 */
int store_import(struct store *st,
    int (*next)(void *arg, const void **buf, size_t *n), void *arg, int replace,
    int *schema_version, char *err, size_t errlen);

#endif
