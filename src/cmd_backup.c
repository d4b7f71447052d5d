/*
 * cmd_backup.c - backups from the command line and from the job thread:
 * where a backup goes, its audit entry, rotation. The format and the
 * checks are src/backup/'s.
 */
#include "cmd_backup.h"

#include "core/fsutil.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "appkeys.h"
#include "audit/audit.h"
#include "backup/backup.h"
#include "core/clock.h"
#include "core/log.h"

#define PATH_LEN (CONFIG_PATH_MAX + BACKUP_NAME_MAX + 2)

const char usage_backup[] =
    "usage: creneau [--config FILE] backup [FILE]\n"
    "\n"
    "Copies the live database (the server may keep running) and writes it,\n"
    "encrypted under the backup key of [keys] keystore, to FILE or, without\n"
    "FILE, to [backup] dir as creneau-YYYYMMDDTHHMMSSZ.backup, keeping the\n"
    "[backup] keep newest there. The keystore and the master key are never\n"
    "in a backup: keep copies of them apart, or no backup can be read.\n";

const char usage_restore[] =
    "usage: creneau [--config FILE] restore [--replace] FILE\n"
    "\n"
    "Checks and decrypts the backup FILE, checks the database in it and\n"
    "puts it in place of [store] path, or changes nothing. Stop creneau\n"
    "serve first: restore refuses a database in use. Needs the keystore\n"
    "and master key the backup was made with; people erased since stay\n"
    "unreadable. With [store] driver = postgresql the backup is loaded\n"
    "into the database of [store] url in one transaction; a database that\n"
    "holds records is refused unless --replace, which drops them first.\n";

static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * Records action in st's audit trail, with the backup file's base name
 * and sizes as details (never a path: directories may name people or
 * places). restored adds what the backup held. Returns 0 or -1.
 */
static int
record(struct store *st, const struct data_key *key, const char *action,
    const char *path, const struct backup_info *info, int restored,
    int64_t now_ms)
{
	struct audit_entry e;
	char created[32];
	json_t *o;
	char *details = NULL;
	int rc;

	o = json_pack("{s:I, s:I}", "bytes", (json_int_t)info->file_bytes,
	    "database_bytes", (json_int_t)info->plain_bytes);
	if (o == NULL)
		return -1;
	/* A name that is not UTF-8 is left out rather than mangled. */
	json_object_set_new(o, "file", json_string(base_name(path)));
	if (restored) {
		if (clock_format_utc(info->created_ms, created,
			sizeof(created)) == 0)
			json_object_set_new(o, "created_at",
			    json_string(created));
		json_object_set_new(o, "schema",
		    json_integer(info->schema_version));
	}
	if (key != NULL && (details = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		return -1;
	}
	json_decref(o);
	memset(&e, 0, sizeof(e));
	e.action = action;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	rc = audit_record(st, key, now_ms, &e);
	free(details);
	return rc;
}

/*
 * Makes an automatic backup into dir named for now_ms, records it, then
 * rotates. path receives the file's path, *deleted how many old ones went.
 * Returns 0, or -1 with a reason in err.
 */
static int
backup_into_dir(const struct backup_job *j, int64_t now_ms, char *path,
    size_t pathlen, struct backup_info *info, long *deleted, char *err,
    size_t errlen)
{
	char name[BACKUP_NAME_MAX];
	int n;

	*deleted = 0;
	if (fs_mkdirs(j->dir, err, errlen) != 0)
		return -1;
	if (backup_file_name(now_ms, name, sizeof(name)) != 0 ||
	    (n = snprintf(path, pathlen, "%s/%s", j->dir, name)) < 0 ||
	    (size_t)n >= pathlen) {
		snprintf(err, errlen, "cannot name the backup");
		return -1;
	}
	if (backup_create(j->st, j->ks, path, j->work_dir, now_ms, info, err,
		errlen) != 0)
		return -1;
	if (record(j->st, j->audit_key, "backup.create", path, info, 0,
		now_ms) != 0) {
		snprintf(err, errlen,
		    "backup written to %s, but its audit entry failed", path);
		return -1;
	}
	if ((*deleted = backup_rotate(j->dir, j->keep)) < 0) {
		snprintf(err, errlen,
		    "backup written to %s, but the rotation of %s failed", path,
		    j->dir);
		return -1;
	}
	return 0;
}

int
backup_job(void *arg, int64_t now_ms)
{
	const struct backup_job *j = arg;
	struct backup_info info;
	char path[PATH_LEN], err[1024];
	long deleted;

	if (backup_into_dir(j, now_ms, path, sizeof(path), &info, &deleted, err,
		sizeof(err)) != 0) {
		log_errorx("backup: %s", err);
		return -1;
	}
	log_info("backup: wrote %s (%llu bytes), %ld older deleted",
	    base_name(path), (unsigned long long)info.file_bytes, deleted);
	return 0;
}

/* Whether path is the database or a key file: a backup written over one
 * of them would destroy what it should save. */
static int
protected_file(const struct config *cfg, const char *path)
{
	const char *const files[] = { cfg->store_path, cfg->keystore_path,
		cfg->master_key_file, cfg->audit_signing_key_file };
	struct stat a, b;
	size_t i;

	if (stat(path, &a) != 0)
		return 0;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (stat(files[i], &b) == 0 && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino)
			return 1;
	return 0;
}

/* Opens [store] path and applies pending migrations. Returns the store,
 * or NULL with a reason in err. */
static struct store *
open_main(const struct config *cfg, char *err, size_t errlen)
{
	struct store_config sc;
	struct store *st;
	int from, to;

	store_config_from(&sc, cfg, STORE_SCHEMA_MAIN);
	st = store_open(&sc, err, errlen);
	if (st != NULL && store_migrate(st, &from, &to, err, errlen) != 0) {
		store_free(st);
		return NULL;
	}
	return st;
}

int
cmd_backup(const struct config *cfg, int argc, char **argv)
{
	struct app_keys k;
	struct backup_job j;
	struct backup_info info;
	struct store *st = NULL;
	char path[PATH_LEN], work[CONFIG_PATH_MAX], err[1024];
	int64_t now;
	long deleted = 0;
	int rc = 1;

	if (argc > 1 || (argc == 1 && argv[0][0] == '-')) {
		fprintf(stderr,
		    "creneau: backup: expected at most one FILE (see "
		    "--help)\n");
		return 2;
	}
	if (app_keys_open(&k, cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "creneau: backup: %s\n", err);
		return 1;
	}
	if ((st = open_main(cfg, err, sizeof(err))) == NULL ||
	    fs_dir_of(cfg->store_path, work, sizeof(work)) != 0)
		goto fail;
	memset(&j, 0, sizeof(j));
	j.st = st;
	j.ks = k.keystore;
	j.audit_key = k.audit;
	j.dir = cfg->backup_dir;
	j.work_dir = work;
	j.keep = cfg->backup_keep;
	now = clock_now_ms(clock_real());
	if (argc == 0) {
		if (backup_into_dir(&j, now, path, sizeof(path), &info,
			&deleted, err, sizeof(err)) != 0)
			goto fail;
	} else {
		snprintf(path, sizeof(path), "%s", argv[0]);
		if (protected_file(cfg, argv[0])) {
			snprintf(err, sizeof(err),
			    "%s is the database or a key file: choose another "
			    "FILE",
			    argv[0]);
			goto fail;
		}
		if (backup_create(st, k.keystore, argv[0], work, now, &info,
			err, sizeof(err)) != 0)
			goto fail;
		if (record(st, k.audit, "backup.create", argv[0], &info, 0,
			now) != 0) {
			snprintf(err, sizeof(err),
			    "backup written to %s, but its audit entry failed",
			    argv[0]);
			goto fail;
		}
	}
	printf("backup written: %s (%llu bytes, database %llu bytes)\n", path,
	    (unsigned long long)info.file_bytes,
	    (unsigned long long)info.plain_bytes);
	if (deleted > 0)
		printf("rotation: %ld older backups deleted from %s\n", deleted,
		    cfg->backup_dir);
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "creneau: backup: %s\n", err);
done:
	store_free(st);
	app_keys_close(&k);
	return rc;
}

/* Restores in_path into the PostgreSQL database of [store] url (see
 * backup_restore_store); st receives the store. Returns 0, or -1 with a
 * reason in err. */
static int
restore_server(const struct config *cfg, struct keystore *ks,
    const char *in_path, int replace, struct store **st,
    struct backup_info *info, char *err, size_t errlen)
{
	struct store_config sc;

	store_config_from(&sc, cfg, STORE_SCHEMA_MAIN);
	if ((*st = store_open(&sc, err, errlen)) == NULL)
		return -1;
	return backup_restore_store(in_path, ks, *st, replace, info, err,
		   errlen) == 0
	    ? 0
	    : -1;
}

int
cmd_restore(const struct config *cfg, int argc, char **argv)
{
	struct app_keys k;
	struct backup_info info;
	struct store *st = NULL;
	char dir[CONFIG_PATH_MAX], created[32], err[1024], why[768];
	int rc = 1, replace = 0, from, to;

	if (argc == 2 && strcmp(argv[0], "--replace") == 0) {
		replace = 1;
		argc--;
		argv++;
	}
	if (argc != 1 || argv[0][0] == '-') {
		fprintf(stderr,
		    "creneau: restore: expected [--replace] FILE (see "
		    "--help)\n");
		return 2;
	}
	if (app_keys_open(&k, cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "creneau: restore: %s\n", err);
		return 1;
	}
	if (strcmp(cfg->store_driver, "postgresql") == 0) {
		if (restore_server(cfg, k.keystore, argv[0], replace, &st,
			&info, err, sizeof(err)) != 0)
			goto fail;
	} else if (fs_dir_of(cfg->store_path, dir, sizeof(dir)) != 0 ||
	    fs_mkdirs(dir, err, sizeof(err)) != 0 ||
	    backup_restore(argv[0], k.keystore, cfg->store_path, &info, err,
		sizeof(err)) != 0) {
		goto fail;
	}
	if (clock_format_utc(info.created_ms, created, sizeof(created)) != 0)
		snprintf(created, sizeof(created), "an unknown time");
	printf("restored %s: backup of %s, schema %d\n",
	    st != NULL ? "the database" : cfg->store_path, created,
	    info.schema_version);
	/* The entry goes in the restored trail, after the swap: the
	 * restore itself is the first thing it tells. */
	if (st == NULL) {
		st = open_main(cfg, why, sizeof(why));
	} else if (store_migrate(st, &from, &to, why, sizeof(why)) != 0) {
		store_free(st);
		st = NULL;
	}
	if (st == NULL) {
		snprintf(err, sizeof(err),
		    "the database was restored, but cannot be opened: %s", why);
		goto fail;
	}
	if (record(st, k.audit, "backup.restore", argv[0], &info, 1,
		clock_now_ms(clock_real())) != 0) {
		snprintf(err, sizeof(err),
		    "the database was restored, but its audit entry failed");
		goto fail;
	}
	rc = 0;
	goto done;
fail:
	fprintf(stderr, "creneau: restore: %s\n", err);
done:
	store_free(st);
	app_keys_close(&k);
	return rc;
}
