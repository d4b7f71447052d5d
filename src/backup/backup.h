/*
 * backup.h - encrypted backups of the database, their restore and their
 * rotation.
 *
 * A backup is an online copy of the database encrypted with libsodium's
 * secretstream (XChaCha20-Poly1305) under the "system:backup" data key of
 * the keystore. The keystore itself is never in a backup: restoring needs
 * the keystore and the master key, and a person whose key was destroyed
 * (crypto-shredding) stays unreadable in every backup made before.
 *
 * File format, integers big-endian:
 *   "CRENEAU-BACKUP" (14 bytes) | format (1 byte, 0x01)
 *   | owner length (1 byte) | owner ("system:backup")
 *   | key version (uint32, 1) | creation time (int64, ms since the epoch)
 *   | plaintext size (uint64) | secretstream header (24 bytes)
 *   | chunks
 * The plaintext is cut into chunks of BACKUP_CHUNK bytes, the last one
 * shorter (or empty, for an empty plaintext); each is stored as its
 * secretstream ciphertext (chunk + 17 bytes). Every header byte above is
 * the associated data of the first chunk, so none can change unnoticed.
 * The last chunk, and only it, carries TAG_FINAL; nothing may follow it.
 */
#ifndef CRENEAU_BACKUP_H
#define CRENEAU_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/keystore.h"
#include "store/store.h"

#define BACKUP_MAGIC "CRENEAU-BACKUP"
#define BACKUP_FORMAT 0x01
#define BACKUP_KEY_OWNER "system:backup"
#define BACKUP_KEY_VERSION 1
#define BACKUP_CHUNK 65536
/* "creneau-YYYYMMDDTHHMMSSZ.backup" and NUL. */
#define BACKUP_NAME_MAX 32

/* What a backup holds, filled by backup_create and backup_restore. */
struct backup_info {
	int64_t created_ms; /* when the copy was made */
	uint64_t plain_bytes; /* size of the database copy */
	uint64_t file_bytes; /* size of the backup file */
	int schema_version; /* restore only: the restored schema */
};

/*
 * Writes an encrypted backup of st's database to out_path, replacing it
 * atomically (out_path.tmp, fsync, rename, fsync of the directory), mode
 * 0600. The online copy goes first to a temporary file in work_dir (NULL:
 * the database's own directory, so no plaintext ever reaches the backup
 * medium; a store without a file of its own then cannot); it is opened and
 * unlinked at once, then encrypted from the open descriptor, so the plaintext
 * has no name on disk beyond the copy itself. The system:backup key is created
 * on first use. now_ms is the creation time written in the header; info
 * (may be NULL) receives the sizes. Returns 0, or -1 with a reason in err
 * (no file left behind).
 */
int backup_create(struct store *st, struct keystore *ks, const char *out_path,
    const char *work_dir, int64_t now_ms, struct backup_info *info, char *err,
    size_t errlen);

/*
 * Replaces the database at db_path by the one in the backup in_path, or
 * changes nothing. It takes the restore lock (backup_lock_db, exclusive),
 * reads and checks the header, decrypts to a temporary file beside
 * db_path and refuses the backup if a chunk fails to decrypt (altered
 * file, other key), if the final chunk is missing (truncated), if any
 * byte follows it, or if the size differs from the header. The decrypted
 * database must pass its integrity check and hold a schema no newer than
 * this binary's. Only then store_file_replace swaps it in, which refuses
 * while any process (a running server) has the database open. The
 * database is not migrated here. info (may be NULL) receives what the
 * backup held. Returns 0, or -1 with a reason in err.
 */
int backup_restore(const char *in_path, struct keystore *ks,
    const char *db_path, struct backup_info *info, char *err, size_t errlen);

/*
 * Restores the backup in_path into st, a database server's (PostgreSQL)
 * main database, whose backups hold an export (store/backup.h): the file
 * is checked as by backup_restore, decrypted chunk by chunk and loaded as
 * it goes by store_import, in one transaction committed only after the
 * last chunk proved the file whole. A database holding records is refused
 * unless replace; so is one an instance serves from. The database is not
 * migrated here. Returns 0, 1 refused, or -1; with a reason in err;
 * nothing changed unless 0.
 */
int backup_restore_store(const char *in_path, struct keystore *ks,
    struct store *st, int replace, struct backup_info *info, char *err,
    size_t errlen);

/*
 * The restore lock: flock() on db_path + ".lock" (created 0600, never
 * removed). `creneau serve` takes it shared (exclusive = 0) before it
 * opens the database and holds it for its life; backup_restore takes it
 * exclusive. Neither waits: the call fails at once when the other holds
 * it. This closes the one gap store_file_replace's check leaves, a server
 * starting during the swap itself. Returns the lock's descriptor, or -1
 * with a reason in err.
 */
int backup_lock_db(const char *db_path, int exclusive, char *err,
    size_t errlen);

/*
 * Removes from dir what killed backups and restores left behind: the
 * plaintext copies of backups (".creneau-copy-<hex>.tmp"), unfinished
 * automatic backups ("creneau-<time>.backup.tmp") and, when db_path is
 * given, decrypted restores ("<database file name>.restore-<hex>"). A
 * file still locked by the process writing it is in use and stays.
 * Called at start (`serve`), before each backup and within each restore.
 * Returns how many went, or -1 if dir cannot be read (0 if it does not
 * exist).
 */
long backup_clean_leftovers(const char *dir, const char *db_path);

/* Releases a lock taken by backup_lock_db. -1 does nothing. */
void backup_unlock_db(int fd);

/* Writes the name of an automatic backup made at now_ms,
 * "creneau-YYYYMMDDTHHMMSSZ.backup", into out (room for BACKUP_NAME_MAX).
 * Returns 0 or -1. */
int backup_file_name(int64_t now_ms, char *out, size_t outlen);

/*
 * Keeps the keep newest automatic backups in dir and deletes the older
 * ones. Only names of backup_file_name's exact form count (their order is
 * their time); any other file, a backup named by hand included, is left
 * alone. Returns how many files were deleted, or -1 (keep < 1, dir
 * unreadable, a deletion failed).
 */
long backup_rotate(const char *dir, long keep);

#endif
