/* appkeys.c - loading and releasing the keys of a running instance. */
#include "appkeys.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "audit/audit.h"
#include "core/fsutil.h"
#include "crypto/keystore.h"
#include "store/store.h"

static int
missing(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) != 0 && errno == ENOENT;
}

/* The keystore is a SQLite file that is not there. On PostgreSQL the
 * keystore is a database: an empty one is caught by its key count. */
static int
keystore_file_missing(const struct config *cfg)
{
	return strcmp(cfg->store_driver, "sqlite") == 0 &&
	    missing(cfg->keystore_path);
}

/* Whether the instance already has a keystore: the SQLite file exists,
 * or the PostgreSQL keystore database holds keys. 1, 0, or -1 when the
 * keystore database cannot be read (counted as in use: refuse rather
 * than guess). */
static int
keystore_in_use(const struct config *cfg)
{
	struct store_config ksc;
	struct keystore *ks;
	long nkeys, ndestroyed;
	char why[512];
	int rc;

	if (strcmp(cfg->store_driver, "sqlite") == 0)
		return !missing(cfg->keystore_path);
	store_config_from(&ksc, cfg, STORE_SCHEMA_KEYS);
	if (keystore_open_cfg(&ksc, NULL, &ks, why, sizeof(why)) != 0)
		return -1;
	rc = keystore_totals(ks, &nkeys, &ndestroyed) != 0
	    ? -1
	    : nkeys + ndestroyed > 0;
	keystore_free(ks);
	return rc;
}

int
app_db_in_use(const struct config *cfg)
{
	struct store_config sc;
	struct store *st;
	char err[512];
	int rc;

	store_config_from(&sc, cfg, STORE_SCHEMA_MAIN);
	/* Never create the database by looking at it. */
	if (strcmp(cfg->store_driver, "sqlite") == 0 &&
	    missing(cfg->store_path))
		return 0;
	if ((st = store_open(&sc, err, sizeof(err))) == NULL)
		return -1;
	rc = store_has_records(st);
	store_free(st);
	return rc;
}

int
app_keys_open(struct app_keys *k, const struct config *cfg, char *err,
    size_t errlen)
{
	struct store_config ksc;
	char why[512];
	long nkeys, ndestroyed;
	int used = -1;

	store_config_from(&ksc, cfg, STORE_SCHEMA_KEYS);
	memset(k, 0, sizeof(*k));
	if (missing(cfg->master_key_file) || keystore_file_missing(cfg))
		used = app_db_in_use(cfg);
	if (missing(cfg->master_key_file)) {
		if (!keystore_file_missing(cfg) || used != 0)
			snprintf(err, errlen,
			    "[keys] master_key_file: %s is missing, and this "
			    "instance's keys were made with it: put the file "
			    "back from its copy (`creneau keys init` is for a "
			    "new instance only)",
			    cfg->master_key_file);
		else
			snprintf(err, errlen,
			    "[keys] master_key_file: %s does not exist; create "
			    "the keys with `creneau keys init` and keep a copy "
			    "apart from the database backups",
			    cfg->master_key_file);
		return -1;
	}
	/* A keystore made anew would serve empty lists, fail every
	 * sign-in and write new system keys: refuse instead. */
	if (keystore_file_missing(cfg) && used != 0) {
		snprintf(err, errlen,
		    "[keys] keystore: %s is missing, but the database %s holds "
		    "records sealed under its keys: put the keystore back from "
		    "its copy (backups never include it)",
		    cfg->keystore_path, cfg->store_path);
		return -1;
	}
	if (keyring_load(cfg->master_key_file, &k->keyring, why, sizeof(why)) !=
		0 ||
	    keystore_open_cfg(&ksc, k->keyring, &k->keystore, why,
		sizeof(why)) != 0) {
		snprintf(err, errlen, "%s", why);
		goto fail;
	}
	if (keystore_check_master(k->keystore, why, sizeof(why)) != 0) {
		snprintf(err, errlen,
		    "[keys] master_key_file: %s: %s (%s): another instance's "
		    "master key?",
		    cfg->master_key_file, why, cfg->keystore_path);
		goto fail;
	}
	if (keystore_totals(k->keystore, &nkeys, &ndestroyed) != 0) {
		snprintf(err, errlen, "[keys] keystore: %s: cannot be read",
		    cfg->keystore_path);
		goto fail;
	}
	if (nkeys + ndestroyed == 0 && app_db_in_use(cfg) != 0) {
		snprintf(err, errlen,
		    "[keys] keystore: %s holds no keys, but the database %s "
		    "holds records sealed under them: put the instance's "
		    "keystore back from its copy",
		    cfg->keystore_path, cfg->store_path);
		goto fail;
	}
	k->audit = sodium_malloc(sizeof(*k->audit));
	k->audit_sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (k->audit == NULL || k->audit_sk == NULL) {
		snprintf(err, errlen, "out of memory for keys");
		goto fail;
	}
	if (keystore_get(k->keystore, "system:audit", 1, k->audit) != 0) {
		snprintf(err, errlen,
		    "[keys] keystore: %s: cannot read the audit key",
		    cfg->keystore_path);
		goto fail;
	}
	if (audit_signing_key(cfg->audit_signing_key_file, 0, k->audit_sk,
		k->audit_pk, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "%s", why);
		goto fail;
	}
	return 0;
fail:
	app_keys_close(k);
	return -1;
}

int
app_keys_init(const struct config *cfg, int *created, char *err, size_t errlen)
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES], pk[32];
	struct stat sb;
	int rc;

	*created = 0;
	/* A new master key could not open the keys of an instance that
	 * already has some. */
	if (missing(cfg->master_key_file) &&
	    (keystore_in_use(cfg) != 0 || app_db_in_use(cfg) != 0)) {
		snprintf(err, errlen,
		    "[keys] master_key_file: %s is missing, but the instance "
		    "already has %s%s: put the master key file back from its "
		    "copy; a new one would not open the existing keys",
		    cfg->master_key_file,
		    keystore_file_missing(cfg) ? "the database "
					       : "the keystore ",
		    keystore_file_missing(cfg) ? cfg->store_path
					       : cfg->keystore_path);
		return -1;
	}
	if (fs_mkdirs_for(cfg->master_key_file, err, errlen) != 0 ||
	    fs_mkdirs_for(cfg->audit_signing_key_file, err, errlen) != 0)
		return -1;
	if (stat(cfg->master_key_file, &sb) != 0) {
		if (keyring_create(cfg->master_key_file, err, errlen) != 0)
			return -1;
		(*created)++;
	}
	if (stat(cfg->audit_signing_key_file, &sb) != 0) {
		rc = audit_signing_key(cfg->audit_signing_key_file, 1, sk, pk,
		    err, errlen);
		sodium_memzero(sk, sizeof(sk));
		if (rc != 0)
			return -1;
		(*created)++;
	}
	return 0;
}

void
app_keys_close(struct app_keys *k)
{
	sodium_free(k->audit);
	sodium_free(k->audit_sk);
	keystore_free(k->keystore);
	keyring_free(k->keyring);
	memset(k, 0, sizeof(*k));
}
