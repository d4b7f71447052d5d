/*
 * backup.h (store) - the database-file side of backups: an online copy of
 * the live database, the check of a candidate file, and the swap of a
 * restored file into place. Encryption and the backup format are
 * src/backup/'s; everything here knows SQLite's files and locks.
 */
#ifndef CRENEAU_STORE_BACKUP_H
#define CRENEAU_STORE_BACKUP_H

#include <stddef.h>

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

#endif
