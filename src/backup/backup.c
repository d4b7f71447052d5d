/*
 * backup.c - encrypted backups: writing, checking and restoring them, the
 * restore lock, and rotation. The format is described in backup.h; the
 * database files themselves are src/store/backup.c's.
 */
#include "backup/backup.h"
#include "core/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/log.h"
#include "store/backup.h"

#define MAGIC_LEN (sizeof(BACKUP_MAGIC) - 1)
#define OWNER_MAX 64
#define SS_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define TAG_MESSAGE crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
#define TAG_FINAL crypto_secretstream_xchacha20poly1305_TAG_FINAL
/* Magic, format and owner length; then after the owner: key version,
 * creation time, plaintext size, secretstream header. */
#define HEADER_FIXED (MAGIC_LEN + 2)
#define HEADER_TAIL (4 + 8 + 8 + SS_HEADER)
#define HEADER_MAX (HEADER_FIXED + OWNER_MAX + HEADER_TAIL)
#define PATH_LIMIT 4096
/* Most automatic backups rotation looks at in one directory. */
#define ROTATE_MAX 100000

_Static_assert(KEY_BYTES == crypto_secretstream_xchacha20poly1305_KEYBYTES,
    "a data key is a secretstream key");
_Static_assert(sizeof(BACKUP_KEY_OWNER) - 1 <= OWNER_MAX, "owner fits");

/* A parsed header. */
struct header {
	unsigned char bytes[HEADER_MAX]; /* as read: the first chunk's AD */
	size_t len;
	int64_t created_ms;
	uint64_t size;
	const unsigned char *ss; /* secretstream header, inside bytes */
};

static void
put_be(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static uint64_t
get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Reads up to n bytes, retrying short reads. Returns the count (less
 * than n only at end of file), or -1. */
static ssize_t
read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = read(fd, (unsigned char *)buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int
write_all(int fd, const void *buf, size_t n)
{
	size_t put = 0;
	ssize_t w;

	while (put < n) {
		w = write(fd, (const unsigned char *)buf + put, n - put);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		put += (size_t)w;
	}
	return 0;
}

static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Writes "<prefix><16 random hex digits><suffix>" into out. Returns 0 or
 * -1 if it does not fit. */
static int
random_name(char *out, size_t n, const char *prefix, const char *suffix)
{
	unsigned char r[8];
	char hex[sizeof(r) * 2 + 1];
	int len;

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(hex, sizeof(hex), r, sizeof(r));
	len = snprintf(out, n, "%s%s%s", prefix, hex, suffix);
	return len < 0 || (size_t)len >= n ? -1 : 0;
}

/*
 * Removes the file name in the directory dfd (AT_FDCWD: name is a path)
 * if no one holds its lock: every temporary file here is locked by the
 * process writing it for as long as it exists. Returns 1 if removed, 0 if
 * in use or not a regular file, -1 on error.
 */
static int
remove_unlocked(int dfd, const char *name)
{
	struct stat sb;
	int fd, rc = 0;

	fd = openat(dfd, name,
	    O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    flock(fd, LOCK_EX | LOCK_NB) == 0)
		rc = unlinkat(dfd, name, 0) == 0 ? 1 : -1;
	close(fd);
	return rc;
}

/* Whether name is s followed by 16 lowercase hex digits and then tail. */
static int
hex_named(const char *name, const char *s, size_t slen, const char *tail)
{
	size_t i;

	if (strncmp(name, s, slen) != 0)
		return 0;
	for (i = 0; i < 16; i++) {
		char ch = name[slen + i];

		if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
			return 0;
	}
	return strcmp(name + slen + 16, tail) == 0;
}

static int is_auto_name(const char *name);

/* Whether name is one of the temporary files backups and restores make
 * in a directory (db_name: the database's file name, or NULL). */
static int
leftover_name(const char *name, const char *db_name)
{
	static const char copy[] = ".creneau-copy-";
	char base[BACKUP_NAME_MAX + 8];
	size_t n = strlen(name);

	if (hex_named(name, copy, sizeof(copy) - 1, ".tmp"))
		return 1;
	if (n > 4 && n - 4 < sizeof(base) &&
	    strcmp(name + n - 4, ".tmp") == 0) {
		memcpy(base, name, n - 4);
		base[n - 4] = '\0';
		if (is_auto_name(base))
			return 1;
	}
	if (db_name != NULL) {
		char prefix[PATH_LIMIT];
		int k =
		    snprintf(prefix, sizeof(prefix), "%s.restore-", db_name);

		if (k > 0 && (size_t)k < sizeof(prefix) &&
		    hex_named(name, prefix, (size_t)k, ""))
			return 1;
	}
	return 0;
}

long
backup_clean_leftovers(const char *dir, const char *db_path)
{
	const char *db_name = NULL, *slash;
	struct dirent *e;
	long removed = 0;
	DIR *d;

	if (db_path != NULL) {
		slash = strrchr(db_path, '/');
		db_name = slash ? slash + 1 : db_path;
	}
	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL) {
		if (!leftover_name(e->d_name, db_name))
			continue;
		if (remove_unlocked(dirfd(d), e->d_name) == 1)
			removed++;
	}
	if (removed > 0)
		fsync(dirfd(d));
	closedir(d);
	return removed;
}

/* backup_clean_leftovers, with a log line when it removed something. */
static void
clean_logged(const char *dir, const char *db_path)
{
	long n = backup_clean_leftovers(dir, db_path);

	if (n > 0)
		log_info("backup: removed %ld temporary files left by an "
			 "interrupted backup or restore in %s",
		    n, dir);
	else if (n < 0)
		log_warnx("backup: cannot look for leftover temporary files "
			  "in %s",
		    dir);
}

/* Reads owner's key into a new guarded buffer. Returns it, or NULL with a
 * reason in err. */
static struct data_key *
backup_key(struct keystore *ks, int create, char *err, size_t errlen)
{
	struct data_key *key = sodium_malloc(sizeof(*key));
	int rc;

	if (key == NULL) {
		snprintf(err, errlen, "out of memory for the key");
		return NULL;
	}
	rc = keystore_get(ks, BACKUP_KEY_OWNER, create, key);
	if (rc == 0)
		return key;
	if (rc == 1)
		snprintf(err, errlen,
		    "the keystore holds no backup key (destroyed, or these are "
		    "not the keys the backup was made with)");
	else
		snprintf(err, errlen, "cannot read the backup key");
	sodium_free(key);
	return NULL;
}

/* Number of chunks of a plaintext of size bytes, and the length of chunk
 * k: full chunks, then the rest; one empty chunk when size is 0. */
static uint64_t
chunk_count(uint64_t size)
{
	return size == 0 ? 1 : (size - 1) / BACKUP_CHUNK + 1;
}

static size_t
chunk_len(uint64_t size, uint64_t k)
{
	uint64_t left = size - k * BACKUP_CHUNK;

	return left < BACKUP_CHUNK ? (size_t)left : BACKUP_CHUNK;
}

/* Fills h for a new backup and starts the stream in st. */
static int
header_make(struct header *h, int64_t created_ms, uint64_t size,
    crypto_secretstream_xchacha20poly1305_state *st, const struct data_key *key)
{
	size_t olen = sizeof(BACKUP_KEY_OWNER) - 1, o = 0;
	unsigned char *b = h->bytes;

	memcpy(b, BACKUP_MAGIC, MAGIC_LEN);
	o = MAGIC_LEN;
	b[o++] = BACKUP_FORMAT;
	b[o++] = (unsigned char)olen;
	memcpy(b + o, BACKUP_KEY_OWNER, olen);
	o += olen;
	put_be(b + o, BACKUP_KEY_VERSION, 4);
	put_be(b + o + 4, (uint64_t)created_ms, 8);
	put_be(b + o + 12, size, 8);
	o += 20;
	h->ss = b + o;
	if (crypto_secretstream_xchacha20poly1305_init_push(st, b + o,
		key->k) != 0)
		return -1;
	h->len = o + SS_HEADER;
	h->created_ms = created_ms;
	h->size = size;
	return 0;
}

/* Reads and checks the header of an open backup. Returns 0, or -1 with a
 * reason in err. */
static int
header_read(int fd, struct header *h, char *err, size_t errlen)
{
	unsigned char *b = h->bytes;
	size_t olen, o;
	uint64_t v;

	if (read_full(fd, b, HEADER_FIXED) != (ssize_t)HEADER_FIXED ||
	    memcmp(b, BACKUP_MAGIC, MAGIC_LEN) != 0) {
		snprintf(err, errlen, "not a Créneau backup");
		return -1;
	}
	if (b[MAGIC_LEN] != BACKUP_FORMAT) {
		snprintf(err, errlen,
		    "backup format %u is unknown to this "
		    "binary",
		    (unsigned)b[MAGIC_LEN]);
		return -1;
	}
	olen = b[MAGIC_LEN + 1];
	o = HEADER_FIXED;
	if (olen == 0 || olen > OWNER_MAX ||
	    read_full(fd, b + o, olen + HEADER_TAIL) !=
		(ssize_t)(olen + HEADER_TAIL)) {
		snprintf(err, errlen, "the backup header is damaged");
		return -1;
	}
	/* Only the backup key may open a backup: a file cannot ask for a
	 * person's key. */
	if (olen != sizeof(BACKUP_KEY_OWNER) - 1 ||
	    memcmp(b + o, BACKUP_KEY_OWNER, olen) != 0) {
		snprintf(err, errlen, "the backup names another key owner");
		return -1;
	}
	o += olen;
	if ((v = get_be(b + o, 4)) != BACKUP_KEY_VERSION) {
		snprintf(err, errlen, "backup key version %lu is unknown",
		    (unsigned long)v);
		return -1;
	}
	h->created_ms = (int64_t)get_be(b + o + 4, 8);
	h->size = get_be(b + o + 12, 8);
	if (h->size > (uint64_t)INT64_MAX) {
		snprintf(err, errlen, "the backup header is damaged");
		return -1;
	}
	h->ss = b + o + 20;
	h->len = o + HEADER_TAIL;
	return 0;
}

/*
 * The encrypting side of a backup: the header goes out once the plaintext
 * size is known (start), then the plaintext in any pieces (put), each
 * full chunk encrypted and written as it completes; finish checks that
 * exactly the announced size came.
 */
struct sink {
	crypto_secretstream_xchacha20poly1305_state ss;
	struct header h;
	const struct data_key *key;
	unsigned char *pt, *ct;
	size_t fill;
	uint64_t k, n;
	int64_t now_ms;
	int ofd, ioerr;
};

/* Encrypts and writes the chunk in s->pt. */
static int
sink_push(struct sink *s)
{
	crypto_secretstream_xchacha20poly1305_push(&s->ss, s->ct, NULL, s->pt,
	    s->fill, s->k == 0 ? s->h.bytes : NULL, s->k == 0 ? s->h.len : 0,
	    s->k + 1 == s->n ? TAG_FINAL : TAG_MESSAGE);
	if (write_all(s->ofd, s->ct, s->fill + SS_ABYTES) != 0) {
		s->ioerr = 1;
		return -1;
	}
	s->k++;
	s->fill = 0;
	return 0;
}

static int
sink_start(void *arg, uint64_t size)
{
	struct sink *s = arg;

	if (header_make(&s->h, s->now_ms, size, &s->ss, s->key) != 0)
		return -1;
	if (write_all(s->ofd, s->h.bytes, s->h.len) != 0) {
		s->ioerr = 1;
		return -1;
	}
	s->n = chunk_count(size);
	s->k = 0;
	s->fill = 0;
	return 0;
}

static int
sink_put(void *arg, const void *buf, size_t len)
{
	struct sink *s = arg;
	const unsigned char *p = buf;
	size_t want, take;

	while (len > 0) {
		if (s->k >= s->n)
			return -1; /* more than announced */
		want = chunk_len(s->h.size, s->k);
		take = want - s->fill < len ? want - s->fill : len;
		memcpy(s->pt + s->fill, p, take);
		s->fill += take;
		p += take;
		len -= take;
		if (s->fill == want && sink_push(s) != 0)
			return -1;
	}
	return 0;
}

/* Whether the whole announced plaintext went out (an empty one is its
 * one empty chunk, pushed here). */
static int
sink_finish(struct sink *s)
{
	if (s->k + 1 == s->n && s->fill == 0 &&
	    chunk_len(s->h.size, s->k) == 0 && sink_push(s) != 0)
		return -1;
	return s->k == s->n ? 0 : -1;
}

/* Copies st's database file online into work_dir and feeds it to s.
 * Returns 0, or -1 with a reason in err. */
static int
encrypt_file_copy(struct store *st, const char *work_dir, struct sink *s,
    char *err, size_t errlen)
{
	char prefix[PATH_LIMIT], plain[PATH_LIMIT], why[512];
	struct stat sb;
	unsigned char *buf;
	ssize_t r = -1;
	int pfd, ret = -1;

	if (snprintf(prefix, sizeof(prefix), "%s/.creneau-copy-", work_dir) >=
		(int)sizeof(prefix) ||
	    random_name(plain, sizeof(plain), prefix, ".tmp") != 0) {
		snprintf(err, errlen, "backup path too long");
		return -1;
	}
	/* What killed backups left beside the database. */
	clean_logged(work_dir, store_file(st));
	/*
	 * The plaintext copy is the one moment the database exists in
	 * clear outside its own file: a private file (0600) in work_dir,
	 * unlinked as soon as it is opened and encrypted from the open
	 * descriptor. It is not overwritten: on journaling file systems and
	 * flash an overwrite does not reach the old blocks, which is why
	 * callers keep work_dir beside the database, where the same bytes
	 * already live.
	 */
	if (store_backup_to_file(st, plain, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "online copy: %s", why);
		return -1;
	}
	pfd = open(plain, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (unlink(plain) != 0 || pfd < 0 || fstat(pfd, &sb) != 0) {
		snprintf(err, errlen, "cannot read the online copy: %s",
		    strerror(errno));
		goto done;
	}
	if ((buf = sodium_malloc(BACKUP_CHUNK)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if (sink_start(s, (uint64_t)sb.st_size) == 0)
		while ((r = read_full(pfd, buf, BACKUP_CHUNK)) > 0)
			if (sink_put(s, buf, (size_t)r) != 0)
				break;
	sodium_free(buf);
	if (r != 0 || sink_finish(s) != 0) {
		if (!s->ioerr)
			snprintf(err, errlen, "the online copy changed size");
		goto done;
	}
	ret = 0;
done:
	if (pfd >= 0)
		close(pfd);
	return ret;
}

int
backup_create(struct store *st, struct keystore *ks, const char *out_path,
    const char *work_dir, int64_t now_ms, struct backup_info *info, char *err,
    size_t errlen)
{
	struct store_export_sink xs = { sink_start, sink_put, NULL };
	struct data_key *key = NULL;
	char dir[PATH_LIMIT], tmp[PATH_LIMIT], work[PATH_LIMIT], why[512];
	struct sink s;
	int exports = store_exports(st), have_tmp = 0, rc, ret = -1;

	memset(&s, 0, sizeof(s));
	s.ofd = -1;
	s.now_ms = now_ms;
	/* The plaintext copy of a database file stays where the database
	 * already is, never beside the backups; an export never reaches
	 * the disk in clear. */
	if (!exports && work_dir == NULL &&
	    (store_file(st) == NULL ||
		fs_dir_of(store_file(st), work, sizeof(work)) != 0)) {
		snprintf(err, errlen, "cannot name the database's directory");
		return -1;
	}
	if (work_dir == NULL)
		work_dir = work;
	if (fs_dir_of(out_path, dir, sizeof(dir)) != 0 ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp", out_path) >=
		(int)sizeof(tmp)) {
		snprintf(err, errlen, "backup path too long");
		return -1;
	}
	s.pt = sodium_malloc(BACKUP_CHUNK);
	s.ct = malloc(BACKUP_CHUNK + SS_ABYTES);
	if (s.pt == NULL || s.ct == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if ((key = backup_key(ks, 1, err, errlen)) == NULL)
		goto done;
	s.key = key;
	/* Unfinished files of killed backups beside this one. */
	clean_logged(dir, NULL);
	/* Never over a .tmp another backup to the same name is writing
	 * (it holds its lock); one left by a killed backup holds only
	 * ciphertext and goes. */
	s.ofd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	rc = errno;
	if (s.ofd < 0 && rc == EEXIST && remove_unlocked(AT_FDCWD, tmp) == 1) {
		s.ofd = open(tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		rc = errno;
	}
	if (s.ofd < 0) {
		snprintf(err, errlen, "cannot create %s: %s%s", tmp,
		    strerror(rc),
		    rc == EEXIST ? " (another backup is writing it)" : "");
		goto done;
	}
	flock(s.ofd, LOCK_EX | LOCK_NB);
	have_tmp = 1;
	if (exports) {
		xs.arg = &s;
		if (store_export(st, &xs, why, sizeof(why)) != 0 ||
		    sink_finish(&s) != 0) {
			if (s.ioerr)
				goto ioerr;
			snprintf(err, errlen, "export: %s",
			    why[0] ? why : "the export changed size");
			goto done;
		}
	} else if (encrypt_file_copy(st, work_dir, &s, err, errlen) != 0) {
		if (s.ioerr)
			goto ioerr;
		goto done;
	}
	rc = fsync(s.ofd);
	if (close(s.ofd) != 0 || rc != 0) {
		s.ofd = -1;
		goto ioerr;
	}
	s.ofd = -1;
	if (rename(tmp, out_path) != 0) {
		snprintf(err, errlen, "cannot rename into %s: %s", out_path,
		    strerror(errno));
		goto done;
	}
	have_tmp = 0;
	if (sync_dir(dir) != 0) {
		snprintf(err, errlen, "cannot sync %s: %s", dir,
		    strerror(errno));
		goto done;
	}
	if (info != NULL) {
		memset(info, 0, sizeof(*info));
		info->created_ms = now_ms;
		info->plain_bytes = s.h.size;
		info->file_bytes = s.h.len + s.h.size + s.n * SS_ABYTES;
	}
	ret = 0;
	goto done;
ioerr:
	snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
done:
	sodium_memzero(&s.ss, sizeof(s.ss));
	if (s.ofd >= 0)
		close(s.ofd);
	if (have_tmp)
		unlink(tmp);
	sodium_free(key);
	sodium_free(s.pt);
	free(s.ct);
	return ret;
}

/*
 * The decrypting side of a restore: the chunks of in (positioned after the
 * header h), one at a time. opener_next gives the next chunk's plaintext
 * (1), or 0 once the last chunk came, nothing follows it and the sizes
 * agree, or -1 with a reason in err.
 */
struct opener {
	crypto_secretstream_xchacha20poly1305_state ss;
	const struct header *h;
	unsigned char *pt, *ct;
	uint64_t k, n, done;
	int in;
	char *err;
	size_t errlen;
};

static int
opener_init(struct opener *o, int in, const struct header *h,
    const struct data_key *key, unsigned char *pt, unsigned char *ct, char *err,
    size_t errlen)
{
	memset(o, 0, sizeof(*o));
	o->h = h;
	o->in = in;
	o->pt = pt;
	o->ct = ct;
	o->n = chunk_count(h->size);
	o->err = err;
	o->errlen = errlen;
	if (crypto_secretstream_xchacha20poly1305_init_pull(&o->ss, h->ss,
		key->k) != 0) {
		snprintf(err, errlen, "the backup header is damaged");
		return -1;
	}
	return 0;
}

static int
opener_next(void *arg, const void **buf, size_t *n)
{
	struct opener *o = arg;
	unsigned long long mlen;
	unsigned char tag;
	size_t len;
	ssize_t r;

	if (o->k == o->n) {
		if (read_full(o->in, o->ct, 1) != 0) {
			snprintf(o->err, o->errlen,
			    "data follows the end of the backup");
			return -1;
		}
		if (o->done != o->h->size) {
			snprintf(o->err, o->errlen,
			    "the backup's size does not match");
			return -1;
		}
		return 0;
	}
	len = chunk_len(o->h->size, o->k);
	r = read_full(o->in, o->ct, len + SS_ABYTES);
	if (r < 0) {
		snprintf(o->err, o->errlen, "cannot read the backup: %s",
		    strerror(errno));
		return -1;
	}
	if ((size_t)r != len + SS_ABYTES) {
		snprintf(o->err, o->errlen, "the backup is truncated");
		return -1;
	}
	if (crypto_secretstream_xchacha20poly1305_pull(&o->ss, o->pt, &mlen,
		&tag, o->ct, (unsigned long long)r,
		o->k == 0 ? o->h->bytes : NULL,
		o->k == 0 ? o->h->len : 0) != 0) {
		snprintf(o->err, o->errlen,
		    "part %llu of the backup does not decrypt: altered, or "
		    "made with another key",
		    (unsigned long long)o->k + 1);
		return -1;
	}
	if (tag != (o->k + 1 == o->n ? TAG_FINAL : TAG_MESSAGE)) {
		snprintf(o->err, o->errlen, "%s",
		    o->k + 1 == o->n ? "the backup's end mark is missing"
				     : "the backup ends too early");
		return -1;
	}
	o->k++;
	o->done += mlen;
	*buf = o->pt;
	*n = (size_t)mlen;
	return 1;
}

/*
 * Decrypts the chunks of in (positioned after the header h) into out.
 * Returns 0, or -1 with a reason in err.
 */
static int
decrypt_chunks(int in, int out, const struct header *h,
    const struct data_key *key, unsigned char *pt, unsigned char *ct, char *err,
    size_t errlen)
{
	struct opener o;
	const void *buf;
	size_t n;
	int rc = -1;

	if (opener_init(&o, in, h, key, pt, ct, err, errlen) == 0) {
		while ((rc = opener_next(&o, &buf, &n)) > 0) {
			if (write_all(out, buf, n) != 0) {
				snprintf(err, errlen,
				    "cannot write the database: %s",
				    strerror(errno));
				rc = -1;
				break;
			}
		}
	}
	sodium_memzero(&o.ss, sizeof(o.ss));
	return rc;
}

/* A backup open for reading: its file, header, key and buffers. */
struct reading {
	int in;
	struct stat sb;
	struct header h;
	struct data_key *key;
	unsigned char *pt, *ct;
};

static void
reading_close(struct reading *r)
{
	if (r->in >= 0)
		close(r->in);
	sodium_free(r->key);
	sodium_free(r->pt);
	free(r->ct);
	r->in = -1;
	r->key = NULL;
	r->pt = r->ct = NULL;
}

/* Opens in_path, reads and checks its header, reads the backup key.
 * Returns 0, or -1 with a reason in err (r then closed). */
static int
reading_open(struct reading *r, const char *in_path, struct keystore *ks,
    char *err, size_t errlen)
{
	memset(r, 0, sizeof(*r));
	r->in = open(in_path, O_RDONLY | O_CLOEXEC);
	if (r->in < 0 || fstat(r->in, &r->sb) != 0 || !S_ISREG(r->sb.st_mode)) {
		snprintf(err, errlen, "cannot read %s: %s", in_path,
		    r->in < 0 ? strerror(errno) : "not a regular file");
		goto fail;
	}
	if (header_read(r->in, &r->h, err, errlen) != 0 ||
	    (r->key = backup_key(ks, 0, err, errlen)) == NULL)
		goto fail;
	r->pt = sodium_malloc(BACKUP_CHUNK);
	r->ct = malloc(BACKUP_CHUNK + SS_ABYTES);
	if (r->pt == NULL || r->ct == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return 0;
fail:
	reading_close(r);
	return -1;
}

/* What a restore found, for the caller. */
static void
restored_info(struct backup_info *info, const struct reading *r, int version)
{
	if (info == NULL)
		return;
	memset(info, 0, sizeof(*info));
	info->created_ms = r->h.created_ms;
	info->plain_bytes = r->h.size;
	info->file_bytes = (uint64_t)r->sb.st_size;
	info->schema_version = version;
}

int
backup_restore_store(const char *in_path, struct keystore *ks, struct store *st,
    int replace, struct backup_info *info, char *err, size_t errlen)
{
	struct reading r;
	struct opener o;
	char why[512];
	int version = 0, ret = -1;

	memset(&o, 0, sizeof(o));
	if (reading_open(&r, in_path, ks, err, errlen) != 0)
		return -1;
	/* The data is loaded as it is decrypted, in one transaction that
	 * commits only once the last chunk proved the file whole. */
	err[0] = '\0';
	if (opener_init(&o, r.in, &r.h, r.key, r.pt, r.ct, err, errlen) != 0)
		goto done;
	ret = store_import(st, opener_next, &o, replace, &version, why,
	    sizeof(why));
	if (ret != 0) {
		/* The decryption's reason, if it failed, says it best. */
		if (err[0] == '\0')
			snprintf(err, errlen, "%s", why);
		goto done;
	}
	restored_info(info, &r, version);
done:
	sodium_memzero(&o.ss, sizeof(o.ss));
	reading_close(&r);
	return ret;
}

int
backup_restore(const char *in_path, struct keystore *ks, const char *db_path,
    struct backup_info *info, char *err, size_t errlen)
{
	struct reading r;
	char tmp[PATH_LIMIT], prefix[PATH_LIMIT], dir[PATH_LIMIT], why[512];
	int lock, out = -1, held = -1, have_tmp = 0, version, rc, ret = -1;

	if (snprintf(prefix, sizeof(prefix), "%s.restore-", db_path) >=
		(int)sizeof(prefix) ||
	    random_name(tmp, sizeof(tmp), prefix, "") != 0) {
		snprintf(err, errlen, "database path too long");
		return -1;
	}
	if ((lock = backup_lock_db(db_path, 1, err, errlen)) < 0)
		return -1;
	/* No restore runs but this one: older decrypted copies are
	 * leftovers. */
	if (fs_dir_of(db_path, dir, sizeof(dir)) == 0)
		clean_logged(dir, db_path);
	if (reading_open(&r, in_path, ks, err, errlen) != 0) {
		backup_unlock_db(lock);
		return -1;
	}
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (out < 0) {
		snprintf(err, errlen, "cannot create %s: %s", tmp,
		    strerror(errno));
		goto done;
	}
	have_tmp = 1;
	/* Held until the copy is in place or removed (a lock shared by the
	 * duplicate, so closing out keeps it). */
	flock(out, LOCK_EX | LOCK_NB);
	held = dup(out);
	if (decrypt_chunks(r.in, out, &r.h, r.key, r.pt, r.ct, err, errlen) !=
	    0)
		goto done;
	rc = fsync(out);
	if (close(out) != 0 || rc != 0) {
		out = -1;
		snprintf(err, errlen, "cannot write %s: %s", tmp,
		    strerror(errno));
		goto done;
	}
	out = -1;
	if (store_check_file(tmp, &version, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "the database in the backup: %s", why);
		goto done;
	}
	if (version < 1) {
		snprintf(err, errlen,
		    "the backup does not hold a Créneau database");
		goto done;
	}
	if (version > store_schema_latest()) {
		snprintf(err, errlen,
		    "the backup's schema (version %d) is newer than this binary "
		    "knows (%d): restore with a newer creneau",
		    version, store_schema_latest());
		goto done;
	}
	if (store_file_replace(db_path, tmp, err, errlen) != 0)
		goto done;
	have_tmp = 0;
	/* Now the database's own file: closed before anyone opens it with
	 * SQLite, whose locks a later close would drop. */
	if (held >= 0)
		close(held);
	held = -1;
	restored_info(info, &r, version);
	ret = 0;
done:
	if (out >= 0)
		close(out);
	if (have_tmp)
		unlink(tmp);
	if (held >= 0)
		close(held);
	reading_close(&r);
	backup_unlock_db(lock);
	return ret;
}

int
backup_lock_db(const char *db_path, int exclusive, char *err, size_t errlen)
{
	char path[PATH_LIMIT];
	int fd, n;

	n = snprintf(path, sizeof(path), "%s.lock", db_path);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		snprintf(err, errlen, "database path too long");
		return -1;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		    strerror(errno));
		return -1;
	}
	while (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK)
			snprintf(err, errlen, "%s",
			    exclusive ? "the database is in use by a running "
					"server (stop creneau serve first)"
				      : "a restore of the database is running");
		else
			snprintf(err, errlen, "cannot lock %s: %s", path,
			    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void
backup_unlock_db(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the flock */
}

int
backup_file_name(int64_t now_ms, char *out, size_t outlen)
{
	char t[32], s[20];
	size_t i, o = 0;
	int n;

	if (clock_format_utc(now_ms, t, sizeof(t)) != 0)
		return -1;
	/* "YYYY-MM-DDTHH:MM:SSZ" to "YYYYMMDDTHHMMSSZ". */
	for (i = 0; t[i] != '\0' && o + 1 < sizeof(s); i++)
		if (t[i] != '-' && t[i] != ':')
			s[o++] = t[i];
	s[o] = '\0';
	if (o != 16)
		return -1;
	n = snprintf(out, outlen, "creneau-%s.backup", s);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* Whether name has backup_file_name's exact form. */
static int
is_auto_name(const char *name)
{
	static const char form[] = "creneau-99999999T999999Z.backup";
	size_t i;

	for (i = 0; form[i] != '\0'; i++) {
		if (form[i] == '9' ? name[i] < '0' || name[i] > '9'
				   : name[i] != form[i])
			return 0;
	}
	return name[i] == '\0';
}

static int
newest_first(const void *a, const void *b)
{
	return strcmp(*(char *const *)b, *(char *const *)a);
}

long
backup_rotate(const char *dir, long keep)
{
	DIR *d;
	struct dirent *e;
	struct stat sb;
	char **names = NULL, **grown;
	size_t n = 0, cap = 0, i;
	long deleted = 0, ret = -1;

	if (keep < 1 || (d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (!is_auto_name(e->d_name) ||
		    fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) !=
			0 ||
		    !S_ISREG(sb.st_mode))
			continue;
		if (n == cap) {
			if (cap >= ROTATE_MAX)
				goto done;
			cap = cap ? cap * 2 : 32;
			grown = realloc(names, cap * sizeof(*names));
			if (grown == NULL)
				goto done;
			names = grown;
		}
		if ((names[n] = strdup(e->d_name)) == NULL)
			goto done;
		n++;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), newest_first);
	for (i = (size_t)keep; i < n; i++) {
		if (unlinkat(dirfd(d), names[i], 0) != 0)
			goto done;
		deleted++;
	}
	if (deleted > 0)
		fsync(dirfd(d));
	ret = deleted;
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return ret;
}
