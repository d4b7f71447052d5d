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

int
app_keys_open(struct app_keys *k, const struct config *cfg, char *err,
    size_t errlen)
{
	struct store_config ksc;
	struct stat sb;
	char why[512];

	store_config_from(&ksc, cfg, STORE_SCHEMA_KEYS);
	memset(k, 0, sizeof(*k));
	if (stat(cfg->master_key_file, &sb) != 0 && errno == ENOENT) {
		snprintf(err, errlen,
		    "[keys] master_key_file: %s does not exist; create the keys "
		    "with `creneau keys init` and keep a copy apart from the "
		    "database backups",
		    cfg->master_key_file);
		return -1;
	}
	if (keyring_load(cfg->master_key_file, &k->keyring, why, sizeof(why)) !=
		0 ||
	    keystore_open_cfg(&ksc, k->keyring, &k->keystore, why,
		sizeof(why)) != 0) {
		snprintf(err, errlen, "%s", why);
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
		    "[keys] keystore: cannot read the audit key");
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
