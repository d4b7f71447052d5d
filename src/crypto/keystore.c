/*
 * keystore.c - data keys wrapped by the master key, in their own database.
 *
 * A wrapped key is nonce (24 bytes) || XChaCha20-Poly1305 ciphertext of
 * the 32 key bytes and its tag, with associated data
 * "creneau:datakey:<owner>:v<version>": a wrapped key copied to another
 * owner's row, or relabelled with another master version, fails to
 * unwrap. The SQL lives in store/keys.c; this file does the cryptography
 * and the retries that make rotation by another process invisible to
 * readers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdatomic.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/log.h"
#include "crypto/keystore.h"
#include "store/keys.h"

/* Longest owner string ("subject:<id>", "system:<purpose>"). */
#define KEYSTORE_OWNER_MAX 255
#define WRAP_NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define WRAP_TAG crypto_aead_xchacha20poly1305_ietf_ABYTES
#define WRAPPED_LEN (WRAP_NONCE + KEY_BYTES + WRAP_TAG)
/* "creneau:datakey:" owner ":v" and up to 10 digits. */
#define WRAP_AD_MAX (16 + KEYSTORE_OWNER_MAX + 2 + 10 + 1)
/* Owners re-wrapped per listing, and passes over the keystore. */
#define REWRAP_BATCH 64
#define REWRAP_PASSES 8
/* Reads of one key before giving up on a rotation that never settles. */
#define GET_ATTEMPTS 4

/* How often an instance looks whether another one rotated the master
 * key (keystore_follow). */
#define FOLLOW_MS 5000

struct keystore {
	struct store *st;
	struct keyring *kr;
	_Atomic int64_t followed_ms; /* last look, 0: never */
};

/* Owners re-wrapped in one pass of keystore_rewrap. */
struct batch {
	size_t n;
	char owner[REWRAP_BATCH][KEYSTORE_OWNER_MAX + 1];
};

static int
owner_ok(const char *owner)
{
	size_t n;

	if (owner == NULL)
		return 0;
	n = strnlen(owner, KEYSTORE_OWNER_MAX + 1);
	return n > 0 && n <= KEYSTORE_OWNER_MAX;
}

/* Writes the associated data of owner's key under version v. Returns its
 * length. */
static size_t
wrap_ad(char ad[WRAP_AD_MAX], const char *owner, uint32_t v)
{
	int n = snprintf(ad, WRAP_AD_MAX, "creneau:datakey:%s:v%u", owner,
	    (unsigned)v);

	return n < 0 || n >= WRAP_AD_MAX ? 0 : (size_t)n;
}

/*
 * Wraps key for owner under master version v into out. Returns 0, 1 if
 * the keyring does not hold v, -1 on error.
 */
static int
wrap(struct keystore *ks, const char *owner, uint32_t v,
    const struct data_key *key, unsigned char out[WRAPPED_LEN])
{
	struct data_key wk;
	char ad[WRAP_AD_MAX];
	size_t adlen = wrap_ad(ad, owner, v);
	int rc = -1;

	if (adlen == 0)
		return -1;
	if (keyring_wrap_key(ks->kr, v, &wk) != 0)
		return 1;
	randombytes_buf(out, WRAP_NONCE);
	if (crypto_aead_xchacha20poly1305_ietf_encrypt(out + WRAP_NONCE, NULL,
		key->k, KEY_BYTES, (const unsigned char *)ad, adlen, NULL, out,
		wk.k) == 0)
		rc = 0;
	sodium_memzero(&wk, sizeof(wk));
	return rc;
}

/*
 * Unwraps owner's wrapped key (len bytes, master version v) into out.
 * Returns 0, 1 if the keyring does not hold v, -1 if it fails to open.
 */
static int
unwrap_quiet(struct keystore *ks, const char *owner, uint32_t v,
    const unsigned char *w, size_t len, struct data_key *out)
{
	struct data_key wk;
	char ad[WRAP_AD_MAX];
	size_t adlen = wrap_ad(ad, owner, v);
	int rc = -1;

	if (adlen == 0 || len != WRAPPED_LEN)
		return -1;
	if (keyring_wrap_key(ks->kr, v, &wk) != 0)
		return 1;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out->k, NULL, NULL,
		w + WRAP_NONCE, len - WRAP_NONCE, (const unsigned char *)ad,
		adlen, w, wk.k) == 0)
		rc = 0;
	sodium_memzero(&wk, sizeof(wk));
	if (rc != 0)
		sodium_memzero(out, sizeof(*out));
	return rc;
}

/* unwrap_quiet, with a log line when the key fails to open. */
static int
unwrap(struct keystore *ks, const char *owner, uint32_t v,
    const unsigned char *w, size_t len, struct data_key *out)
{
	int rc = unwrap_quiet(ks, owner, v, w, len, out);

	if (rc < 0)
		log_errorx("keystore: a data key under master version %u does "
			   "not unwrap",
		    (unsigned)v);
	return rc;
}

/* Re-reads the master key file. Returns 0 or -1 (logged). */
static int
reload(struct keystore *ks)
{
	char err[512];

	if (keyring_reload(ks->kr, err, sizeof(err)) != 0) {
		log_errorx("keystore: master key reload: %s", err);
		return -1;
	}
	return 0;
}

/*
 * At most every FOLLOW_MS: whether the keys in the keystore are wrapped
 * under versions other than the keyring's (another instance rotated the
 * master key: keys under a newer version, or the oldest version retired),
 * and if so reloads the master key file. New keys are then wrapped under
 * the new version and a retired version leaves memory within seconds,
 * without a restart. One thread looks at a time; the others go on.
 */
static void
follow(struct keystore *ks)
{
	int64_t now = clock_now_ms(clock_real()),
		last = atomic_load(&ks->followed_ms);
	uint32_t lowest, newest, held;

	if (ks->kr == NULL ||
	    (last != 0 && now - last < FOLLOW_MS && now >= last) ||
	    !atomic_compare_exchange_strong(&ks->followed_ms, &last, now))
		return;
	if (store_key_version_range(ks->st, &lowest, &newest) != 0 ||
	    newest == 0 || keyring_versions(ks->kr, &held, 1) == 0)
		return;
	if (newest > keyring_current(ks->kr) || held < lowest)
		reload(ks);
}

/* Makes sure path and its -wal and -shm files, where they exist, are
 * regular files of mode 0600. Returns 0 or -1. */
static int
private_files(const char *path, char *err, size_t errlen)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };
	char p[4096];
	struct stat sb;
	size_t i;
	int n;

	/*
	 * By path, never by opening the files: closing any descriptor of a
	 * database file drops every POSIX lock this process holds on it,
	 * the locks of its open SQLite connections included, after which
	 * another process may checkpoint and delete the WAL under them.
	 */
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		n = snprintf(p, sizeof(p), "%s%s", path, suffix[i]);
		if (n < 0 || (size_t)n >= sizeof(p)) {
			snprintf(err, errlen, "%s: path too long", path);
			return -1;
		}
		if (lstat(p, &sb) != 0) {
			if (errno == ENOENT)
				continue;
			snprintf(err, errlen, "%s: cannot make it private", p);
			return -1;
		}
		if (!S_ISREG(sb.st_mode) ||
		    ((sb.st_mode & 077) != 0 && chmod(p, 0600) != 0)) {
			snprintf(err, errlen, "%s: cannot make it private", p);
			return -1;
		}
	}
	return 0;
}

int
keystore_open(const char *path, struct keyring *kr, long busy_timeout_ms,
    struct keystore **out, char *err, size_t errlen)
{
	struct store_config sc = { .driver = "sqlite",
		.path = path,
		.busy_timeout_ms = busy_timeout_ms,
		.schema = STORE_SCHEMA_KEYS };

	return keystore_open_cfg(&sc, kr, out, err, errlen);
}

int
keystore_open_cfg(const struct store_config *cfg, struct keyring *kr,
    struct keystore **out, char *err, size_t errlen)
{
	struct store_config sc = *cfg;
	struct keystore *ks;
	struct stat sb;
	const char *path;
	int from, to, sqlite;

	sc.schema = STORE_SCHEMA_KEYS;
	sqlite = sc.driver == NULL || strcmp(sc.driver, "sqlite") == 0;
	*out = NULL;
	/* The same rule as the master key file: a keystore others could
	 * read or replace is refused, not quietly repaired. */
	path = sc.path;
	if (sqlite && lstat(path, &sb) == 0 &&
	    (!S_ISREG(sb.st_mode) || (sb.st_mode & 077) != 0)) {
		if (!S_ISREG(sb.st_mode))
			snprintf(err, errlen,
			    "[keys] keystore: %s: not a regular file", path);
		else
			snprintf(err, errlen,
			    "[keys] keystore: %s: readable or writable by "
			    "group or others (mode %03o; chmod 600 it)",
			    path, (unsigned)(sb.st_mode & 0777));
		return -1;
	}
	if ((ks = calloc(1, sizeof(*ks))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ks->kr = kr;
	if ((ks->st = store_open(&sc, err, errlen)) == NULL)
		goto fail;
	/* SQLite creates files 0644 less the umask; these hold wrapped
	 * keys. The -wal and -shm files made later copy the main file's
	 * mode. */
	if (sqlite && private_files(sc.path, err, errlen) != 0)
		goto fail;
	if (store_migrate(ks->st, &from, &to, err, errlen) != 0)
		goto fail;
	*out = ks;
	return 0;
fail:
	keystore_free(ks);
	return -1;
}

int
keystore_check_master(struct keystore *ks, char *err, size_t errlen)
{
	static const char *const owners[] = { "system:audit", "system:index",
		"system:backup" };
	unsigned char w[WRAPPED_LEN];
	struct data_key k;
	size_t len, i;
	uint32_t v;
	int r;

	for (i = 0; i < sizeof(owners) / sizeof(owners[0]); i++) {
		r = store_key_get(ks->st, owners[i], &v, w, sizeof(w), &len);
		if (r < 0) {
			snprintf(err, errlen, "cannot read the keystore");
			return -1;
		}
		if (r > 0)
			continue;
		r = unwrap_quiet(ks, owners[i], v, w, len, &k);
		sodium_memzero(&k, sizeof(k));
		if (r == 0)
			return 0;
		if (r > 0)
			snprintf(err, errlen,
			    "the keystore's keys are under master key version "
			    "%u, which the master key file lacks",
			    (unsigned)v);
		else
			snprintf(err, errlen,
			    "the master key file does not open the keystore's "
			    "keys");
		return -1;
	}
	return 0;
}

void
keystore_free(struct keystore *ks)
{
	if (ks == NULL)
		return;
	store_free(ks->st);
	free(ks);
}

/* Creates a random key for owner under the current master version and
 * offers it to the store, which keeps the first one (see
 * store_key_insert). Returns 0 (whether or not it went in) or -1. */
static int
create_key(struct keystore *ks, const char *owner)
{
	struct data_key k;
	unsigned char w[WRAPPED_LEN];
	uint32_t v = keyring_current(ks->kr);
	int rc;

	randombytes_buf(k.k, sizeof(k.k));
	rc = wrap(ks, owner, v, &k, w);
	sodium_memzero(&k, sizeof(k));
	if (rc == 1)
		return 0; /* retired by a reload meanwhile: read, try again */
	if (rc != 0)
		return -1;
	return store_key_insert(ks->st, owner, v, w, sizeof(w),
	    clock_now_ms(clock_real()));
}

int
keystore_prepare(struct keystore *ks, const char *const *owners, size_t n)
{
	struct store_key_new *keys;
	unsigned char(*w)[WRAPPED_LEN];
	struct data_key k;
	uint32_t v = keyring_current(ks->kr);
	size_t i, m = 0;
	int rc = -1;

	if (n == 0)
		return 0;
	follow(ks);
	v = keyring_current(ks->kr);
	keys = calloc(n, sizeof(*keys));
	w = calloc(n, sizeof(*w));
	if (keys == NULL || w == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		if (!owner_ok(owners[i]))
			goto done;
		randombytes_buf(k.k, sizeof(k.k));
		rc = wrap(ks, owners[i], v, &k, w[m]);
		sodium_memzero(&k, sizeof(k));
		if (rc == 1) /* retired by a reload: keystore_get will do */
			continue;
		if (rc != 0) {
			rc = -1;
			goto done;
		}
		keys[m].owner = owners[i];
		keys[m].wrapped = w[m];
		keys[m].len = WRAPPED_LEN;
		m++;
	}
	rc = m == 0 ? 0
		    : store_key_insert_many(ks->st, keys, m, v,
			  clock_now_ms(clock_real()));
done:
	free(keys);
	free(w);
	return rc;
}

/*
 * A destroyed key is never created again, even with create set: data of
 * an erased person must not start anew under the same owner. Each pass
 * reads the row; a version the keyring lacks makes it reload and read
 * again (the row may have been re-wrapped meanwhile), and an insert that
 * did not happen though there is neither key nor tombstone means keys
 * exist under a newer master version: reload, then wrap under it.
 */
int
keystore_get(struct keystore *ks, const char *owner, int create,
    struct data_key *out)
{
	unsigned char w[WRAPPED_LEN];
	size_t len;
	uint32_t v, cur, missing = 0;
	int attempt, r, offered = 0, reloaded = 0;

	if (!owner_ok(owner))
		return -1;
	follow(ks);
	for (attempt = 0; attempt < GET_ATTEMPTS; attempt++) {
		r = store_key_get(ks->st, owner, &v, w, sizeof(w), &len);
		if (r < 0)
			return -1;
		if (r == 0) {
			r = unwrap(ks, owner, v, w, len, out);
			if (r != 1)
				return r;
			if (reloaded && v == missing) {
				log_errorx(
				    "keystore: a data key is under master "
				    "version %u, which the master key "
				    "file lacks",
				    (unsigned)v);
				return -1;
			}
			if (reload(ks) != 0)
				return -1;
			reloaded = 1;
			missing = v;
			continue;
		}
		if (!create)
			return 1;
		if ((r = store_key_destroyed(ks->st, owner)) != 0)
			return r < 0 ? -1 : 1;
		if (offered) {
			cur = keyring_current(ks->kr);
			if (reload(ks) != 0)
				return -1;
			if (keyring_current(ks->kr) == cur) {
				log_errorx("keystore: data keys exist under a "
					   "master version newer than %u: "
					   "wrong master key file?",
				    (unsigned)cur);
				return -1;
			}
		}
		if (create_key(ks, owner) != 0)
			return -1;
		offered = 1;
	}
	log_errorx("keystore: a data key kept changing while read");
	return -1;
}

int
keystore_destroy(struct keystore *ks, const char *owner, int64_t now_ms)
{
	if (!owner_ok(owner))
		return -1;
	if (store_key_destroy(ks->st, owner, now_ms) != 0)
		return -1;
	/* The deleted row's pages are zeroed (secure_delete) once the
	 * write-ahead log is checkpointed into the main file and cut. */
	if (store_erase_flush(ks->st) != 0) {
		log_errorx("keystore: checkpoint after a key destruction "
			   "failed");
		return -1;
	}
	return 0;
}

int
keystore_destroyed(struct keystore *ks, const char *owner)
{
	if (!owner_ok(owner))
		return -1;
	return store_key_destroyed(ks->st, owner);
}

long
keystore_count_version(struct keystore *ks, uint32_t v)
{
	return store_key_count_version(ks->st, v);
}

int
keystore_totals(struct keystore *ks, long *keys, long *destroyed)
{
	return store_key_totals(ks->st, keys, destroyed);
}

static int
batch_add(void *arg, const char *owner)
{
	struct batch *b = arg;

	if (b->n == REWRAP_BATCH || !owner_ok(owner))
		return 1;
	memcpy(b->owner[b->n], owner, strlen(owner) + 1);
	b->n++;
	return 0;
}

/*
 * Re-wraps owner's key under version cur with a compare-and-swap, so a
 * key destroyed or re-wrapped meanwhile is left as it is. Returns 0 if
 * re-wrapped, 1 if there was nothing to do, -1 on error.
 */
static int
rewrap_one(struct keystore *ks, const char *owner, uint32_t cur)
{
	unsigned char old[WRAPPED_LEN], w[WRAPPED_LEN];
	struct data_key k;
	size_t len;
	uint32_t v;
	int attempt, r;

	for (attempt = 0; attempt < GET_ATTEMPTS; attempt++) {
		r = store_key_get(ks->st, owner, &v, old, sizeof(old), &len);
		if (r != 0)
			return r;
		if (v >= cur)
			return 1;
		r = unwrap(ks, owner, v, old, len, &k);
		if (r == 1) {
			log_errorx("keystore: a data key is under master "
				   "version %u, which the keyring lacks",
			    (unsigned)v);
			return -1;
		}
		if (r == 0)
			r = wrap(ks, owner, cur, &k, w);
		sodium_memzero(&k, sizeof(k));
		if (r != 0)
			return -1;
		r = store_key_swap(ks->st, owner, v, old, len, cur, w,
		    sizeof(w));
		if (r <= 0)
			return r;
	}
	return -1;
}

/*
 * One pass pages through the owners in order. A key created under an
 * old version by a process with a stale keyring, after the listing went
 * past its owner, is caught by the next pass; such creations stop once a
 * key is under the new version (store_key_insert), so passes end.
 */
long
keystore_rewrap(struct keystore *ks)
{
	struct batch *b;
	char after[KEYSTORE_OWNER_MAX + 1];
	uint32_t cur = keyring_current(ks->kr);
	long done = 0, n, listed;
	size_t i;
	int pass, r;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return -1;
	for (pass = 0; pass < REWRAP_PASSES; pass++) {
		after[0] = '\0';
		listed = 0;
		for (;;) {
			b->n = 0;
			n = store_key_list_older(ks->st, cur, after,
			    REWRAP_BATCH, batch_add, b);
			if (n < 0 || (n > 0 && b->n == 0))
				goto fail;
			if (n == 0)
				break;
			listed += n;
			for (i = 0; i < b->n; i++) {
				if ((r = rewrap_one(ks, b->owner[i], cur)) < 0)
					goto fail;
				if (r == 0)
					done++;
			}
			memcpy(after, b->owner[b->n - 1], sizeof(after));
		}
		if (listed == 0)
			break;
	}
	free(b);
	return done;
fail:
	free(b);
	return -1;
}
