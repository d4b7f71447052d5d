/*
 * cmd_keys.c - `creneau keys init|rotate|status`.
 *
 * Rotation is safe to run beside a serving process: readers reload the
 * master key file when they meet a version they lack, every key is
 * re-wrapped by compare-and-swap, and an old version leaves the file only
 * once no key is wrapped under it. A rotation stopped half-way is finished
 * by running it again. Nothing printed here is key material.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd_keys.h"

#include "appkeys.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "crypto/keyring.h"
#include "crypto/keystore.h"
#include "store/store.h"

/* More versions than a master key file may hold (keyring.c). */
#define KEYS_VERSIONS_MAX 256
/* A system key every deployment has: created by a rotation that finds
 * the keystore empty, so that some key is under the new version. */
#define KEYS_ANCHOR_OWNER "system:index"

const char usage_keys[] =
    "usage: creneau [--config FILE] keys init|rotate|status\n"
    "\n"
    "Manages the master key ([keys] master_key_file) that wraps every data\n"
    "key of the keystore ([keys] keystore).\n"
    "\n"
    "  init     create the master key file, mode 0600, with version 1;\n"
    "           refuses to overwrite an existing file\n"
    "  rotate   add a master key version, re-wrap every data key under it,\n"
    "           then retire the older versions once no key uses them\n"
    "  status   print the current version and the keys under each version\n";

static int fail(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "creneau: keys: ..." on stderr and returns status. */
static int
fail(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("creneau: keys: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

static int
keys_init(const struct config *cfg)
{
	char err[2048];
	struct stat sb;
	int created;

	/* Refuse to overwrite: a second master key would orphan every data
	 * key wrapped under the first. */
	if (stat(cfg->master_key_file, &sb) == 0)
		return fail(1, "init: %s exists; refusing to overwrite it",
		    cfg->master_key_file);
	if (app_keys_init(cfg, &created, err, sizeof(err)) != 0)
		return fail(1, "init: %s", err);
	printf("keys: created master key file %s (version 1)\n",
	    cfg->master_key_file);
	printf("keys: audit signing key %s\n", cfg->audit_signing_key_file);
	return 0;
}

/* Loads the keyring and opens the keystore. Returns 0 or 1 (reported). */
static int
open_both(const struct config *cfg, const char *step, struct keyring **kr,
    struct keystore **ks)
{
	struct store_config ksc;
	char err[2048];

	store_config_from(&ksc, cfg, STORE_SCHEMA_KEYS);
	*ks = NULL;
	if (keyring_load(cfg->master_key_file, kr, err, sizeof(err)) != 0)
		return fail(1, "%s: %s", step, err);
	if (keystore_open_cfg(&ksc, *kr, ks, err, sizeof(err)) != 0) {
		keyring_free(*kr);
		*kr = NULL;
		return fail(1, "%s: %s", step, err);
	}
	return 0;
}

/* Makes sure some key is under version v (see KEYS_ANCHOR_OWNER).
 * Returns 0 or 1 (reported). */
static int
anchor(struct keystore *ks, uint32_t v)
{
	struct data_key k;
	long n = keystore_count_version(ks, v);
	int r;

	if (n < 0)
		return fail(1, "rotate: cannot count the keys under version %u",
		    (unsigned)v);
	if (n > 0)
		return 0;
	r = keystore_get(ks, KEYS_ANCHOR_OWNER, 1, &k);
	sodium_memzero(&k, sizeof(k));
	if (r != 0 || keystore_count_version(ks, v) < 1)
		return fail(1,
		    "rotate: cannot create the %s key under version %u",
		    KEYS_ANCHOR_OWNER, (unsigned)v);
	printf("keys: created the %s key under version %u (the keystore "
	       "held none)\n",
	    KEYS_ANCHOR_OWNER, (unsigned)v);
	return 0;
}

/*
 * Records the rotation in the audit trail of the main database when there
 * is one (the keys can exist before it). Returns 0 or 1 (reported).
 */
static int
record_rotation(const struct config *cfg, struct keystore *ks, uint32_t v,
    long rewrapped)
{
	struct store_config sc;
	struct data_key *key = NULL;
	struct audit_entry e;
	struct store *st = NULL;
	struct stat sb;
	char err[512], details[96];
	int from, to, rc = 1;

	store_config_from(&sc, cfg, STORE_SCHEMA_MAIN);
	if (stat(cfg->store_path, &sb) != 0)
		return 0;
	key = sodium_malloc(sizeof(*key));
	st = store_open(&sc, err, sizeof(err));
	if (key == NULL || st == NULL ||
	    store_migrate(st, &from, &to, err, sizeof(err)) != 0 ||
	    keystore_get(ks, "system:audit", 1, key) != 0)
		goto done;
	snprintf(details, sizeof(details),
	    "{\"master_version\":%u,\"rewrapped\":%ld}", (unsigned)v,
	    rewrapped);
	memset(&e, 0, sizeof(e));
	e.action = "keys.rotate";
	e.target_type = "keystore";
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	if (audit_record(st, key, clock_now_ms(clock_real()), &e) != 0)
		goto done;
	rc = 0;
done:
	if (rc != 0)
		fail(1, "rotate: done, but not recorded in the audit trail");
	store_free(st);
	sodium_free(key);
	return rc;
}

static int
keys_rotate(const struct config *cfg)
{
	struct keyring *kr = NULL;
	struct keystore *ks = NULL;
	uint32_t vers[KEYS_VERSIONS_MAX], v;
	size_t n, i;
	long moved, left;
	char err[2048];
	int rc = 1;

	if (open_both(cfg, "rotate", &kr, &ks) != 0)
		return 1;
	if (keyring_add_version(cfg->master_key_file, &v, err, sizeof(err))) {
		rc = fail(1, "rotate: %s", err);
		goto done;
	}
	printf("keys: added master key version %u\n", (unsigned)v);
	if (keyring_reload(kr, err, sizeof(err)) != 0) {
		rc = fail(1, "rotate: %s", err);
		goto done;
	}
	if (keyring_current(kr) != v) {
		rc = fail(1,
		    "rotate: the master key file changed meanwhile; "
		    "run rotate again");
		goto done;
	}
	if ((moved = keystore_rewrap(ks)) < 0) {
		rc = fail(1,
		    "rotate: re-wrapping failed; nothing retired "
		    "(run rotate again)");
		goto done;
	}
	printf("keys: re-wrapped %ld data keys under version %u\n", moved,
	    (unsigned)v);
	if (anchor(ks, v) != 0)
		goto done;
	n = keyring_versions(kr, vers, KEYS_VERSIONS_MAX);
	if (n > KEYS_VERSIONS_MAX) {
		rc = fail(1, "rotate: too many versions");
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (vers[i] == v)
			continue;
		left = keystore_count_version(ks, vers[i]);
		if (left != 0) {
			rc = fail(1,
			    "rotate: %ld data keys still under version %u; "
			    "nothing retired (run rotate again)",
			    left, (unsigned)vers[i]);
			goto done;
		}
		printf("keys: version %u wraps no data key\n",
		    (unsigned)vers[i]);
	}
	for (i = 0; i < n; i++) {
		if (vers[i] == v)
			continue;
		if (keyring_retire_version(cfg->master_key_file, vers[i], err,
			sizeof(err)) != 0) {
			rc = fail(1, "rotate: %s", err);
			goto done;
		}
		printf("keys: retired master key version %u\n",
		    (unsigned)vers[i]);
	}
	printf("keys: rotation done, current version %u\n", (unsigned)v);
	rc = record_rotation(cfg, ks, v, moved);
done:
	keystore_free(ks);
	keyring_free(kr);
	fflush(stdout);
	return rc;
}

static int
keys_status(const struct config *cfg)
{
	struct keyring *kr = NULL;
	struct keystore *ks = NULL;
	uint32_t vers[KEYS_VERSIONS_MAX];
	size_t n, i;
	long c, sum = 0, keys, destroyed;
	struct store_config ksc;
	char err[2048];
	int rc = 1;

	store_config_from(&ksc, cfg, STORE_SCHEMA_KEYS);
	if (keyring_load(cfg->master_key_file, &kr, err, sizeof(err)) != 0)
		return fail(1, "status: %s", err);
	n = keyring_versions(kr, vers, KEYS_VERSIONS_MAX);
	printf("master key file: %s\n", cfg->master_key_file);
	printf("current version: %u\n", (unsigned)keyring_current(kr));
	/* A PostgreSQL keystore is a database: it has no file to look for. */
	if (strcmp(cfg->store_driver, "sqlite") == 0 &&
	    access(cfg->keystore_path, F_OK) != 0) {
		for (i = 0; i < n && i < KEYS_VERSIONS_MAX; i++)
			printf("version %u: 0 data keys\n", (unsigned)vers[i]);
		printf("keystore: %s (not created yet)\n", cfg->keystore_path);
		keyring_free(kr);
		return 0;
	}
	if (keystore_open_cfg(&ksc, kr, &ks, err, sizeof(err)) != 0) {
		keyring_free(kr);
		return fail(1, "status: %s", err);
	}
	for (i = 0; i < n && i < KEYS_VERSIONS_MAX; i++) {
		if ((c = keystore_count_version(ks, vers[i])) < 0)
			goto fail;
		printf("version %u: %ld data keys\n", (unsigned)vers[i], c);
		sum += c;
	}
	if (keystore_totals(ks, &keys, &destroyed) != 0)
		goto fail;
	printf("keystore: %s, %ld data keys, %ld destroyed\n",
	    cfg->keystore_path, keys, destroyed);
	if (keys != sum)
		printf("warning: %ld data keys under versions the master key "
		       "file lacks\n",
		    keys - sum);
	rc = 0;
fail:
	keystore_free(ks);
	keyring_free(kr);
	return rc == 0 ? 0 : fail(1, "status: cannot count the keys");
}

int
cmd_keys(const struct config *cfg, int argc, char **argv)
{
	if (argc == 0) {
		fputs(usage_keys, stderr);
		return 2;
	}
	if (argc > 1)
		return fail(2, "unexpected argument '%s' (see --help)",
		    argv[1]);
	if (strcmp(argv[0], "init") == 0)
		return keys_init(cfg);
	if (strcmp(argv[0], "rotate") == 0)
		return keys_rotate(cfg);
	if (strcmp(argv[0], "status") == 0)
		return keys_status(cfg);
	return fail(2, "unknown subcommand '%s' (see --help)", argv[0]);
}
