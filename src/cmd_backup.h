/*
 * cmd_backup.h - `creneau backup`, `creneau restore`, and the scheduled
 * backup job of `creneau serve`.
 */
#ifndef CRENEAU_CMD_BACKUP_H
#define CRENEAU_CMD_BACKUP_H

#include <stdint.h>

#include "core/config.h"
#include "crypto/keystore.h"
#include "store/store.h"

/* The texts of `creneau backup --help` and `creneau restore --help`. */
extern const char usage_backup[], usage_restore[];

/*
 * Runs `creneau backup [FILE]` with the arguments after "backup": writes
 * an encrypted backup of [store] path to FILE or, without FILE, to
 * [backup] dir (created 0700) as creneau-YYYYMMDDTHHMMSSZ.backup and
 * keeps the [backup] keep newest there. Records "backup.create" in the
 * audit trail. One line on stdout per step; a failure is one line on
 * stderr. Returns the exit status: 0, 1 on failure, 2 on a usage error.
 */
int cmd_backup(const struct config *cfg, int argc, char **argv);

/*
 * Runs `creneau restore FILE`: replaces [store] path by the database in
 * the backup FILE (see backup_restore: refused while a server runs), then
 * applies pending migrations and records "backup.restore" in the restored
 * audit trail. Returns the exit status: 0, 1 on failure, 2 on a usage
 * error.
 */
int cmd_restore(const struct config *cfg, int argc, char **argv);

/* What the backup job works with; it lives as long as the scheduler. */
struct backup_job {
	struct store *st;
	struct keystore *ks;
	/* The system:audit key, sealing the entry's details; NULL records
	 * the entry without details. */
	const struct data_key *audit_key;
	const char *dir; /* [backup] dir */
	/* Where the short-lived plaintext copy goes: the directory of
	 * [store] path; NULL puts it in dir. */
	const char *work_dir;
	long keep; /* [backup] keep */
};

/*
 * job_fn (jobs/scheduler.h) for `creneau serve`: arg is a struct
 * backup_job. Writes a backup named for now_ms into dir, records
 * "backup.create", then rotates. Returns 0, or -1 (logged).
 */
int backup_job(void *arg, int64_t now_ms);

#endif
