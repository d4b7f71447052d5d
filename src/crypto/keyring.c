/*
 * keyring.c - the master key file, its versions, and the wrapping keys
 * derived from them.
 *
 * The file is read whole into guarded memory (sodium_malloc), checked line
 * by line, and each version's master key is turned at once into its
 * wrapping key with crypto_kdf (context "crnwrap", subkey 1); the master
 * key bytes themselves are wiped as soon as that is done. The wrapping
 * keys stay in one guarded region that is readable only for the instant a
 * caller copies one out, under the keyring's mutex.
 *
 * Rotation rewrites the file: the new text goes to a temporary file in
 * the same directory (mode 0600), is synced, renamed over the old one, and
 * the directory is synced, so a crash leaves either the old or the new
 * file, never a half-written one. Two rewrites at once (two `keys rotate`
 * by mistake) are serialised with flock() on its directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/keyring.h"
#include "core/fsutil.h"

/* A master key file is a few lines; anything bigger is not one. */
#define KEYRING_FILE_MAX (64 * 1024)
/* Versions one file may hold: rotation retires the old ones. */
#define KEYRING_VERSIONS_MAX 256
/* "VERSION HEX64\n" with room to spare. */
#define KEYRING_LINE_MAX 96
/* Subkey id of the wrapping key under each master version. */
#define KEYRING_WRAP_SUBKEY 1

/* crypto_kdf context: seven characters and the NUL make its 8 bytes. */
static const char kdf_ctx[crypto_kdf_CONTEXTBYTES] = "crnwrap";

static const char file_header[] =
    "# Creneau master key: one \"VERSION HEX64\" line per version, the\n"
    "# highest is current. Keep this file mode 0600, out of database\n"
    "# backups, and change it only with `creneau keys`.\n";

/* The text of the file, in guarded memory. */
struct text {
	char *p;
	size_t len;
};

/* The versions of one reading of the file and their wrapping keys. */
struct keyset {
	size_t n;
	uint32_t version[KEYRING_VERSIONS_MAX]; /* lowest first */
	/* Guarded: n wrapping keys, then one scratch slot. */
	unsigned char (*key)[KEY_BYTES];
};

struct keyring {
	pthread_mutex_t lock; /* guards set */
	char *path;
	struct keyset *set;
};

static void
text_free(struct text *t)
{
	if (t->p != NULL)
		sodium_free(t->p); /* zeroes before freeing */
	t->p = NULL;
	t->len = 0;
}

static void
keyset_free(struct keyset *s)
{
	if (s == NULL)
		return;
	if (s->key != NULL)
		sodium_free(s->key);
	free(s);
}

/*
 * Opens path for reading and checks it is a regular file that neither
 * group nor others may touch. fstat() on the open descriptor, so the file
 * checked is the file read. Returns the descriptor or -1.
 */
static int
open_checked(const char *path, char *err, size_t errlen)
{
	struct stat sb;
	int fd;

	/* O_NONBLOCK: a FIFO put in its place must not hang us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	if ((sb.st_mode & 077) != 0) {
		snprintf(err, errlen,
		    "%s: readable or writable by group or others (mode %03o; "
		    "chmod 600 it)",
		    path, (unsigned)(sb.st_mode & 0777));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* Reads all of fd into guarded memory. Returns 0 or -1. */
static int
read_text(int fd, const char *path, struct text *t, char *err, size_t errlen)
{
	ssize_t r;

	t->len = 0;
	t->p = sodium_malloc(KEYRING_FILE_MAX + 1);
	if (t->p == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (;;) {
		r = read(fd, t->p + t->len, KEYRING_FILE_MAX + 1 - t->len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		t->len += (size_t)r;
		if (t->len > KEYRING_FILE_MAX) {
			snprintf(err, errlen, "%s: larger than %d bytes", path,
			    KEYRING_FILE_MAX);
			goto fail;
		}
	}
	t->p[t->len] = '\0';
	return 0;
fail:
	text_free(t);
	return -1;
}

/* Returns the next line of t from *pos (its length, newline excluded, in
 * *n) and moves *pos past it, or NULL at the end. */
static const char *
next_line(const struct text *t, size_t *pos, size_t *n)
{
	const char *s, *nl;

	if (*pos >= t->len)
		return NULL;
	s = t->p + *pos;
	nl = memchr(s, '\n', t->len - *pos);
	*n = nl != NULL ? (size_t)(nl - s) : t->len - *pos;
	*pos += *n + (nl != NULL);
	return s;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/*
 * Reads one line (n bytes, no newline). Returns 0 for a blank or comment
 * line, 1 for "VERSION HEX64" (version in *v and, if key is not NULL, the
 * 32 key bytes in key), -1 if malformed.
 */
static int
parse_line(const char *s, size_t n, uint32_t *v, unsigned char *key)
{
	const char *hash = memchr(s, '#', n);
	uint64_t val = 0;
	size_t i = 0, digits, hex;

	if (hash != NULL)
		n = (size_t)(hash - s);
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	while (i < n && is_blank(s[i]))
		i++;
	if (i == n)
		return 0;
	for (digits = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		val = val * 10 + (uint64_t)(s[i] - '0');
		if (val > UINT32_MAX)
			return -1;
	}
	if (digits == 0 || val == 0 || (digits > 1 && s[i - digits] == '0'))
		return -1;
	if (i == n || !is_blank(s[i]))
		return -1;
	while (i < n && is_blank(s[i]))
		i++;
	for (hex = 0; i + hex < n && is_hex(s[i + hex]); hex++)
		;
	if (hex != 2 * KEY_BYTES || i + hex != n)
		return -1;
	if (key != NULL &&
	    sodium_hex2bin(key, KEY_BYTES, s + i, hex, NULL, NULL, NULL) != 0)
		return -1;
	*v = (uint32_t)val;
	return 1;
}

/*
 * Checks every line of t. On success set->version holds the versions in
 * file order and set->n their count; if set->key is not NULL, each
 * version's wrapping key is derived into it. Messages name the line,
 * never its content. Returns 0 or -1.
 */
static int
parse_text(const struct text *t, const char *path, struct keyset *set,
    char *err, size_t errlen)
{
	unsigned char *master = NULL;
	const char *s;
	size_t pos = 0, n, lineno = 0, j;
	uint32_t v;
	int r;

	set->n = 0;
	if (set->key != NULL)
		master = set->key[KEYRING_VERSIONS_MAX];
	while ((s = next_line(t, &pos, &n)) != NULL) {
		lineno++;
		r = parse_line(s, n, &v, master);
		if (r == 0)
			continue;
		if (r < 0) {
			snprintf(err, errlen,
			    "%s: line %zu: malformed (expected VERSION HEX64)",
			    path, lineno);
			goto fail;
		}
		for (j = 0; j < set->n; j++)
			if (set->version[j] == v) {
				snprintf(err, errlen,
				    "%s: line %zu: version %u appears twice",
				    path, lineno, (unsigned)v);
				goto fail;
			}
		if (set->n == KEYRING_VERSIONS_MAX) {
			snprintf(err, errlen,
			    "%s: line %zu: more than %d versions", path, lineno,
			    KEYRING_VERSIONS_MAX);
			goto fail;
		}
		if (master != NULL &&
		    crypto_kdf_derive_from_key(set->key[set->n], KEY_BYTES,
			KEYRING_WRAP_SUBKEY, kdf_ctx, master) != 0) {
			snprintf(err, errlen, "%s: key derivation failed",
			    path);
			goto fail;
		}
		set->version[set->n++] = v;
	}
	if (master != NULL)
		sodium_memzero(master, KEY_BYTES);
	if (set->n == 0) {
		snprintf(err, errlen, "%s: holds no key", path);
		return -1;
	}
	return 0;
fail:
	if (master != NULL)
		sodium_memzero(master, KEY_BYTES);
	return -1;
}

/* Sorts set by version, keys along. */
static void
keyset_sort(struct keyset *set)
{
	unsigned char *tmp = set->key[KEYRING_VERSIONS_MAX];
	size_t i, j;
	uint32_t v;

	for (i = 1; i < set->n; i++) {
		v = set->version[i];
		memcpy(tmp, set->key[i], KEY_BYTES);
		for (j = i; j > 0 && set->version[j - 1] > v; j--) {
			set->version[j] = set->version[j - 1];
			memcpy(set->key[j], set->key[j - 1], KEY_BYTES);
		}
		set->version[j] = v;
		memcpy(set->key[j], tmp, KEY_BYTES);
	}
	sodium_memzero(tmp, KEY_BYTES);
}

/* Reads, checks and derives the keys of the file at path. Returns the
 * set (its keys no-access), or NULL with a reason in err. */
static struct keyset *
keyset_load(const char *path, char *err, size_t errlen)
{
	struct text t = { NULL, 0 };
	struct keyset *set;
	int fd;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return NULL;
	}
	if ((fd = open_checked(path, err, errlen)) == -1)
		return NULL;
	if (read_text(fd, path, &t, err, errlen) != 0) {
		close(fd);
		return NULL;
	}
	close(fd);
	set = calloc(1, sizeof(*set));
	if (set == NULL ||
	    (set->key = sodium_allocarray(KEYRING_VERSIONS_MAX + 1,
		 KEY_BYTES)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (parse_text(&t, path, set, err, errlen) != 0)
		goto fail;
	keyset_sort(set);
	sodium_mprotect_noaccess(set->key);
	text_free(&t);
	return set;
fail:
	text_free(&t);
	keyset_free(set);
	return NULL;
}

int
keyring_load(const char *path, struct keyring **out, char *err, size_t errlen)
{
	struct keyring *kr;

	*out = NULL;
	kr = calloc(1, sizeof(*kr));
	if (kr == NULL || (kr->path = strdup(path)) == NULL) {
		free(kr);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if ((kr->set = keyset_load(path, err, errlen)) == NULL) {
		free(kr->path);
		free(kr);
		return -1;
	}
	pthread_mutex_init(&kr->lock, NULL);
	*out = kr;
	return 0;
}

int
keyring_reload(struct keyring *kr, char *err, size_t errlen)
{
	struct keyset *set, *old;

	if ((set = keyset_load(kr->path, err, errlen)) == NULL)
		return -1;
	pthread_mutex_lock(&kr->lock);
	old = kr->set;
	kr->set = set;
	pthread_mutex_unlock(&kr->lock);
	keyset_free(old);
	return 0;
}

uint32_t
keyring_current(struct keyring *kr)
{
	uint32_t v;

	pthread_mutex_lock(&kr->lock);
	v = kr->set->version[kr->set->n - 1];
	pthread_mutex_unlock(&kr->lock);
	return v;
}

size_t
keyring_versions(struct keyring *kr, uint32_t *out, size_t max)
{
	size_t n, i;

	pthread_mutex_lock(&kr->lock);
	n = kr->set->n;
	for (i = 0; i < n && i < max; i++)
		out[i] = kr->set->version[i];
	pthread_mutex_unlock(&kr->lock);
	return n;
}

int
keyring_wrap_key(struct keyring *kr, uint32_t v, struct data_key *out)
{
	struct keyset *set;
	size_t i;
	int rc = -1;

	pthread_mutex_lock(&kr->lock);
	set = kr->set;
	for (i = 0; i < set->n; i++)
		if (set->version[i] == v)
			break;
	if (i < set->n) {
		sodium_mprotect_readonly(set->key);
		memcpy(out->k, set->key[i], KEY_BYTES);
		sodium_mprotect_noaccess(set->key);
		rc = 0;
	}
	pthread_mutex_unlock(&kr->lock);
	return rc;
}

void
keyring_free(struct keyring *kr)
{
	if (kr == NULL)
		return;
	pthread_mutex_destroy(&kr->lock);
	keyset_free(kr->set);
	free(kr->path);
	free(kr);
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Syncs the directory holding path, so a new name in it is durable. */
static int
sync_dir(const char *path)
{
	char dir[PATH_MAX];
	int fd, rc;

	if (fs_dir_of(path, dir, sizeof(dir)) != 0)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * Replaces the file at path (already resolved, no symbolic link) with the
 * n bytes at p: temporary file beside it, mode 0600, fsync, rename, fsync
 * of the directory. Returns 0 or -1.
 */
static int
rewrite(const char *path, const char *p, size_t n, char *err, size_t errlen)
{
	char tmp[PATH_MAX];
	int fd, len;

	len = snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path);
	if (len < 0 || (size_t)len >= sizeof(tmp)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: cannot create a temporary file: %s",
		    path, strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0600) != 0 || write_all(fd, p, n) != 0 ||
	    fsync(fd) != 0) {
		snprintf(err, errlen, "%s: cannot write: %s", tmp,
		    strerror(errno));
		close(fd);
		goto fail;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: cannot replace: %s", path,
		    strerror(errno));
		goto fail;
	}
	if (sync_dir(path) != 0) {
		snprintf(err, errlen, "%s: cannot sync its directory: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
fail:
	unlink(tmp);
	return -1;
}

/*
 * Opens the file for a rewrite: resolves path (a link is followed, the
 * file it names is the one rewritten), takes an exclusive flock() on its
 * directory, whose inode, unlike the file's, a rewrite does not replace,
 * and reads the file. On success *real is malloc'ed and the caller closes
 * *lockfd, which releases the lock. Returns 0 or -1.
 */
static int
lock_read(const char *path, char **real, int *lockfd, struct text *t, char *err,
    size_t errlen)
{
	char dir[PATH_MAX];
	int dfd = -1, fd;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return -1;
	}
	if ((*real = realpath(path, NULL)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fs_dir_of(*real, dir, sizeof(dir)) != 0 ||
	    (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    flock(dfd, LOCK_EX) != 0) {
		snprintf(err, errlen, "%s: cannot lock its directory: %s",
		    *real, strerror(errno));
		goto fail;
	}
	if ((fd = open_checked(*real, err, errlen)) == -1)
		goto fail;
	if (read_text(fd, *real, t, err, errlen) != 0) {
		close(fd);
		goto fail;
	}
	close(fd);
	*lockfd = dfd;
	return 0;
fail:
	if (dfd != -1)
		close(dfd);
	free(*real);
	*real = NULL;
	return -1;
}

int
keyring_create(const char *path, char *err, size_t errlen)
{
	struct {
		unsigned char key[KEY_BYTES];
		char hex[2 * KEY_BYTES + 1];
		char text[sizeof(file_header) + KEYRING_LINE_MAX];
	} * s;
	int fd, len, rc = -1;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1) {
		if (errno == EEXIST)
			snprintf(err, errlen,
			    "%s: exists; refusing to overwrite a master key",
			    path);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((s = sodium_malloc(sizeof(*s))) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	randombytes_buf(s->key, sizeof(s->key));
	sodium_bin2hex(s->hex, sizeof(s->hex), s->key, sizeof(s->key));
	len =
	    snprintf(s->text, sizeof(s->text), "%s1 %s\n", file_header, s->hex);
	if (len < 0 || (size_t)len >= sizeof(s->text) || fchmod(fd, 0600) ||
	    write_all(fd, s->text, (size_t)len) != 0 || fsync(fd) != 0) {
		snprintf(err, errlen, "%s: cannot write: %s", path,
		    strerror(errno));
		goto done;
	}
	rc = 0;
done:
	if (s != NULL)
		sodium_free(s);
	if (close(fd) != 0 && rc == 0) {
		snprintf(err, errlen, "%s: cannot write: %s", path,
		    strerror(errno));
		rc = -1;
	}
	if (rc == 0 && sync_dir(path) != 0) {
		snprintf(err, errlen, "%s: cannot sync its directory: %s", path,
		    strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(path);
	return rc;
}

int
keyring_add_version(const char *path, uint32_t *version, char *err,
    size_t errlen)
{
	struct text t = { NULL, 0 };
	struct keyset set;
	struct {
		unsigned char key[KEY_BYTES];
		char hex[2 * KEY_BYTES + 1];
		char line[KEYRING_LINE_MAX];
	} *s = NULL;
	char *real = NULL, *out = NULL;
	size_t i, n = 0;
	uint32_t max = 0;
	int fd = -1, len, rc = -1;

	memset(&set, 0, sizeof(set));
	if (lock_read(path, &real, &fd, &t, err, errlen) != 0)
		return -1;
	if (parse_text(&t, real, &set, err, errlen) != 0)
		goto done;
	for (i = 0; i < set.n; i++)
		if (set.version[i] > max)
			max = set.version[i];
	if (set.n == KEYRING_VERSIONS_MAX || max == UINT32_MAX) {
		snprintf(err, errlen,
		    "%s: no room for another version; retire "
		    "old ones first",
		    real);
		goto done;
	}
	s = sodium_malloc(sizeof(*s));
	out = sodium_malloc(t.len + 1 + KEYRING_LINE_MAX);
	if (s == NULL || out == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	randombytes_buf(s->key, sizeof(s->key));
	sodium_bin2hex(s->hex, sizeof(s->hex), s->key, sizeof(s->key));
	len = snprintf(s->line, sizeof(s->line), "%u %s\n", (unsigned)(max + 1),
	    s->hex);
	if (len < 0 || (size_t)len >= sizeof(s->line)) {
		snprintf(err, errlen, "%s: cannot format the new line", real);
		goto done;
	}
	memcpy(out, t.p, t.len);
	n = t.len;
	if (n > 0 && out[n - 1] != '\n')
		out[n++] = '\n';
	memcpy(out + n, s->line, (size_t)len);
	n += (size_t)len;
	if (rewrite(real, out, n, err, errlen) != 0)
		goto done;
	*version = max + 1;
	rc = 0;
done:
	if (out != NULL)
		sodium_free(out);
	if (s != NULL)
		sodium_free(s);
	text_free(&t);
	if (fd != -1)
		close(fd);
	free(real);
	return rc;
}

int
keyring_retire_version(const char *path, uint32_t v, char *err, size_t errlen)
{
	struct text t = { NULL, 0 };
	struct keyset set;
	const char *s;
	char *real = NULL, *out = NULL;
	size_t i, pos = 0, len, n = 0;
	uint32_t max = 0, lv;
	int fd = -1, found = 0, rc = -1;

	memset(&set, 0, sizeof(set));
	if (lock_read(path, &real, &fd, &t, err, errlen) != 0)
		return -1;
	if (parse_text(&t, real, &set, err, errlen) != 0)
		goto done;
	for (i = 0; i < set.n; i++) {
		if (set.version[i] > max)
			max = set.version[i];
		if (set.version[i] == v)
			found = 1;
	}
	if (!found) {
		snprintf(err, errlen, "%s: holds no version %u", real,
		    (unsigned)v);
		goto done;
	}
	if (v == max) {
		snprintf(err, errlen,
		    "%s: version %u is the current one; refusing to retire it",
		    real, (unsigned)v);
		goto done;
	}
	if ((out = sodium_malloc(t.len + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	/* Every line but v's, comments included, as it was. */
	while ((s = next_line(&t, &pos, &len)) != NULL) {
		if (parse_line(s, len, &lv, NULL) == 1 && lv == v)
			continue;
		memcpy(out + n, s, len);
		n += len;
		out[n++] = '\n';
	}
	if (rewrite(real, out, n, err, errlen) != 0)
		goto done;
	rc = 0;
done:
	if (out != NULL)
		sodium_free(out);
	text_free(&t);
	if (fd != -1)
		close(fd);
	free(real);
	return rc;
}
