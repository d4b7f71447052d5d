/* test_backup.c - src/backup/backup.c, src/store/backup.c and
 * src/cmd_backup.c: encrypted backups, every way a backup file can be
 * damaged, the restore lock, rotation, and crypto-shredding surviving a
 * restore. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/audit.h"
#include "backup/backup.h"
#include "cmd_backup.h"
#include "core/config.h"
#include "crypto/field.h"
#include "crypto/keystore.h"
#include "store/backup.h"
#include "store/driver.h"
#include "unit.h"

#define MARKER "PLAINTEXT-MARKER-5d1e-known-text"
#define BULK_BYTES (200 * 1024) /* several 64 KiB chunks */
#define NOW_MS 1767225600000LL /* 2026-01-01T00:00:00Z */
#define HOUR_MS (3600LL * 1000)
/* Header of a backup: magic, format, owner length, "system:backup",
 * key version, time, size, secretstream header. */
#define HEADER_LEN (14 + 1 + 1 + 13 + 4 + 8 + 8 + 24)
#define CHUNK_CT (BACKUP_CHUNK + 17)

struct fx {
	char dir[64];
	char master[128], keys[128], data[128], db[160], sign[128];
	char bdir[128], bfile[192], bad[192];
	struct keyring *kr;
	struct keystore *ks;
	struct store *st;
};

static struct store *
open_db(const char *path)
{
	struct store_config c = { "sqlite", path, 5000, STORE_SCHEMA_MAIN };
	char err[512];
	struct store *st = store_open(&c, err, sizeof(err));
	int a, b;

	if (st != NULL && store_migrate(st, &a, &b, err, sizeof(err)) != 0) {
		store_free(st);
		return NULL;
	}
	if (st == NULL)
		fprintf(stderr, "open_db: %s\n", err);
	return st;
}

static int
exec(struct store *st, const char *sql, const struct store_val *p, size_t n)
{
	return store_drv(st)->exec(store_conn(st), sql, p, n, NULL, NULL);
}

struct q {
	const struct store_driver *d;
	char text[512];
	int64_t num;
	const void *blob;
	unsigned char copy[512];
	size_t len;
	int rows;
};

static int
q_row(void *arg, const struct store_row *r)
{
	struct q *q = arg;
	const char *t = q->d->row_text(r, 0);
	const void *b;

	snprintf(q->text, sizeof(q->text), "%s", t ? t : "");
	q->num = q->d->row_int(r, 0);
	b = q->d->row_blob(r, 0, &q->len);
	if (b != NULL && q->len <= sizeof(q->copy))
		memcpy(q->copy, b, q->len);
	q->rows++;
	return 1;
}

/* Runs sql (one value) and returns what it read. */
static struct q
query(struct store *st, const char *sql, const struct store_val *p, size_t n)
{
	struct q q;

	memset(&q, 0, sizeof(q));
	q.d = store_drv(st);
	assert_int_equal(q.d->exec(store_conn(st), sql, p, n, q_row, &q), 0);
	return q;
}

/* A text that sums up the rows a restore must bring back. */
static void
fingerprint(struct store *st, char *out, size_t n)
{
	struct q a = query(st,
	    "SELECT group_concat(id || ':' || owner || ':' || "
	    "coalesce(note, '') || ':' || length(coalesce(secret, '')), ',') "
	    "FROM (SELECT * FROM scratch ORDER BY id)",
	    NULL, 0);
	struct q b = query(st,
	    "SELECT group_concat(name || ':' || runs, ',') FROM "
	    "(SELECT * FROM job_runs ORDER BY name)",
	    NULL, 0);

	snprintf(out, n, "%s|%s", a.text, b.text);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	struct stat sb;
	unsigned char *buf;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &sb), 0);
	buf = malloc((size_t)sb.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(read(fd, buf, (size_t)sb.st_size), sb.st_size);
	close(fd);
	*len = (size_t)sb.st_size;
	return buf;
}

static void
spill(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/* Hash of the database file and of its -wal (if any). */
static void
db_hash(const char *db, unsigned char out[32])
{
	crypto_generichash_state h;
	char wal[200];
	unsigned char *b;
	size_t n;

	crypto_generichash_init(&h, NULL, 0, 32);
	b = slurp(db, &n);
	crypto_generichash_update(&h, b, n);
	free(b);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	if (access(wal, F_OK) == 0) {
		b = slurp(wal, &n);
		crypto_generichash_update(&h, b, n);
		free(b);
	}
	crypto_generichash_final(&h, out, 32);
}

/* Counts the names in dir containing part. */
static int
count_names(const char *dir, const char *part)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, part) != NULL)
			n++;
	closedir(d);
	return n;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct store_val p[4];
	unsigned char *bulk;
	char err[512];

	*state = f;
	if (f == NULL || sodium_init() < 0 ||
	    unit_tmpdir(f->dir, sizeof(f->dir)) != 0)
		return -1;
	snprintf(f->master, sizeof(f->master), "%s/master.key", f->dir);
	snprintf(f->keys, sizeof(f->keys), "%s/keys.db", f->dir);
	snprintf(f->data, sizeof(f->data), "%s/data", f->dir);
	snprintf(f->db, sizeof(f->db), "%s/creneau.db", f->data);
	snprintf(f->sign, sizeof(f->sign), "%s/audit-signing.key", f->dir);
	snprintf(f->bdir, sizeof(f->bdir), "%s/backups", f->dir);
	snprintf(f->bfile, sizeof(f->bfile), "%s/one.backup", f->bdir);
	snprintf(f->bad, sizeof(f->bad), "%s/bad.backup", f->bdir);
	if (mkdir(f->bdir, 0700) != 0 ||
	    keyring_create(f->master, err, sizeof(err)) != 0 ||
	    keyring_load(f->master, &f->kr, err, sizeof(err)) != 0 ||
	    keystore_open(f->keys, f->kr, 5000, &f->ks, err, sizeof(err)) !=
		0 ||
	    (f->st = open_db(f->db)) == NULL) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	/* A scratch table standing for personal data, a known plaintext
	 * and enough bulk for several chunks. */
	if (exec(f->st,
		"CREATE TABLE scratch (id TEXT PRIMARY KEY, owner TEXT NOT "
		"NULL, note TEXT, secret BLOB)",
		NULL, 0) != 0)
		return -1;
	bulk = malloc(BULK_BYTES);
	if (bulk == NULL)
		return -1;
	randombytes_buf(bulk, BULK_BYTES);
	p[0] = SV_T("1");
	p[1] = SV_T("system:test");
	p[2] = SV_T(MARKER);
	p[3] = SV_B(bulk, BULK_BYTES);
	if (exec(f->st,
		"INSERT INTO scratch (id, owner, note, secret) VALUES ($1, $2, "
		"$3, $4)",
		p, 4) != 0 ||
	    store_job_record(f->st, "store-maintenance", 1, 2, "ok") != 0) {
		free(bulk);
		return -1;
	}
	free(bulk);
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_free(f->st);
	keystore_free(f->ks);
	keyring_free(f->kr);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

/* Makes the fixture's backup in f->bfile. */
static void
make_backup(struct fx *f, struct backup_info *info)
{
	char err[512];

	if (backup_create(f->st, f->ks, f->bfile, f->data, NOW_MS, info, err,
		sizeof(err)) != 0)
		fail_msg("backup_create: %s", err);
}

/* Changes the live database after its backup. */
static void
change_db(struct fx *f)
{
	struct store_val p[2] = { SV_T("2"), SV_T("system:test") };

	assert_int_equal(exec(f->st,
			     "INSERT INTO scratch (id, owner, note) VALUES "
			     "($1, $2, 'added later')",
			     p, 2),
	    0);
	assert_int_equal(exec(f->st, "DELETE FROM scratch WHERE id = '1'", NULL,
			     0),
	    0);
}

static void
test_round_trip(void **state)
{
	struct fx *f = *state;
	struct backup_info made, got;
	char before[1024], after[1024], changed[1024], err[512];
	unsigned char *b;
	struct stat sb;
	size_t n;

	/* A .tmp another backup is writing (it holds the lock) is left
	 * alone and the backup refused. */
	{
		char tmp[512];
		int lk;

		snprintf(tmp, sizeof(tmp), "%s.tmp", f->bfile);
		spill(tmp, "x", 1);
		lk = open(tmp, O_RDONLY);
		assert_int_equal(flock(lk, LOCK_EX), 0);
		assert_int_equal(backup_create(f->st, f->ks, f->bfile, NULL,
				     NOW_MS, NULL, err, sizeof(err)),
		    -1);
		if (strstr(err, "another backup is writing it") == NULL)
			fail_msg("%s", err);
		assert_int_equal(count_names(f->bdir, ".tmp"), 1);
		assert_int_equal(count_names(f->bdir, ".creneau-copy-"), 0);
		close(lk);
		/* Once no one holds it, it is a leftover of a killed backup:
		 * it goes, and the backup is written. */
		assert_int_equal(backup_create(f->st, f->ks, f->bfile, NULL,
				     NOW_MS, NULL, err, sizeof(err)),
		    0);
		assert_int_equal(count_names(f->bdir, ".tmp"), 0);
		assert_int_equal(unlink(f->bfile), 0);
	}

	fingerprint(f->st, before, sizeof(before));
	make_backup(f, &made);
	assert_int_equal(made.created_ms, NOW_MS);
	assert_true(made.plain_bytes > BULK_BYTES);
	assert_int_equal(stat(f->bfile, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal((uint64_t)sb.st_size, made.file_bytes);
	assert_int_equal(made.file_bytes,
	    HEADER_LEN + made.plain_bytes +
		17 * ((made.plain_bytes + BACKUP_CHUNK - 1) / BACKUP_CHUNK));
	/* No temporary file left, plaintext or encrypted. */
	assert_int_equal(count_names(f->bdir, ".tmp"), 0);
	assert_int_equal(count_names(f->data, ".creneau-copy-"), 0);
	/* The file starts with the magic and holds no plaintext. */
	b = slurp(f->bfile, &n);
	assert_memory_equal(b, BACKUP_MAGIC, 14);
	assert_null(memmem(b, n, MARKER, strlen(MARKER)));
	assert_null(memmem(b, n, "SQLite format 3", 15));
	assert_null(memmem(b, n, "store-maintenance", 17));
	free(b);

	change_db(f);
	fingerprint(f->st, changed, sizeof(changed));
	assert_string_not_equal(before, changed);
	store_free(f->st);
	f->st = NULL;
	if (backup_restore(f->bfile, f->ks, f->db, &got, err, sizeof(err)) != 0)
		fail_msg("backup_restore: %s", err);
	assert_int_equal(got.created_ms, NOW_MS);
	assert_int_equal(got.plain_bytes, made.plain_bytes);
	assert_int_equal(got.file_bytes, made.file_bytes);
	assert_int_equal(got.schema_version, store_schema_latest());
	assert_int_equal(stat(f->db, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(count_names(f->data, ".restore-"), 0);

	f->st = open_db(f->db);
	assert_non_null(f->st);
	fingerprint(f->st, after, sizeof(after));
	assert_string_equal(before, after);
	assert_int_equal(store_integrity_check(f->st), 0);
}

/* Restores bytes (len) written to f->bad and checks it is refused and
 * the database is untouched. */
static void
refused(struct fx *f, const unsigned char *bytes, size_t len, const char *why)
{
	unsigned char h1[32], h2[32];
	char err[512];

	spill(f->bad, bytes, len);
	db_hash(f->db, h1);
	err[0] = '\0';
	if (backup_restore(f->bad, f->ks, f->db, NULL, err, sizeof(err)) == 0)
		fail_msg("a restore went through: %s", why);
	assert_true(err[0] != '\0');
	db_hash(f->db, h2);
	assert_memory_equal(h1, h2, 32);
	assert_int_equal(count_names(f->data, ".restore-"), 0);
}

/* The fixture's database after its backup: changed, then closed so the
 * file alone holds it. Returns the fingerprint. */
static void
changed_and_closed(struct fx *f, char *fp, size_t n)
{
	change_db(f);
	fingerprint(f->st, fp, n);
	store_free(f->st);
	f->st = NULL;
}

static void
still_changed(struct fx *f, const char *fp)
{
	char now[1024];

	f->st = open_db(f->db);
	assert_non_null(f->st);
	fingerprint(f->st, now, sizeof(now));
	assert_string_equal(fp, now);
}

static void
test_flipped_byte_refused(void **state)
{
	struct fx *f = *state;
	struct backup_info info;
	char fp[1024];
	unsigned char *b;
	size_t n, i, c, chunks;
	size_t spots[64], nspots = 0;

	make_backup(f, &info);
	changed_and_closed(f, fp, sizeof(fp));
	b = slurp(f->bfile, &n);
	chunks = (n - HEADER_LEN) / CHUNK_CT + 1;
	/* Every header byte... */
	for (i = 0; i < HEADER_LEN; i++) {
		b[i] ^= 0x01;
		refused(f, b, n, "header byte");
		b[i] ^= 0x01;
	}
	/* ...and the edges and middle of every chunk, and the last byte. */
	for (c = 0; c < chunks && nspots + 4 < 64; c++) {
		size_t at = HEADER_LEN + c * CHUNK_CT;

		if (at >= n)
			break;
		spots[nspots++] = at;
		spots[nspots++] = at + 1;
		if (at + CHUNK_CT / 2 < n)
			spots[nspots++] = at + CHUNK_CT / 2;
		if (at + CHUNK_CT - 1 < n)
			spots[nspots++] = at + CHUNK_CT - 1;
	}
	spots[nspots++] = n - 1;
	for (i = 0; i < nspots; i++) {
		b[spots[i]] ^= 0x80;
		refused(f, b, n, "chunk byte");
		b[spots[i]] ^= 0x80;
	}
	/* The pristine file still restores. */
	free(b);
	still_changed(f, fp);
}

static void
test_truncated_refused(void **state)
{
	struct fx *f = *state;
	struct backup_info info;
	char fp[1024];
	unsigned char *b;
	size_t n, last, i;
	size_t cuts[16], ncuts = 0;

	make_backup(f, &info);
	changed_and_closed(f, fp, sizeof(fp));
	b = slurp(f->bfile, &n);
	last = (n - HEADER_LEN) % CHUNK_CT; /* the final chunk's length */
	if (last == 0) /* a database that fills its final chunk */
		last = CHUNK_CT;
	cuts[ncuts++] = 0;
	cuts[ncuts++] = 1;
	cuts[ncuts++] = 14;
	cuts[ncuts++] = HEADER_LEN - 1;
	cuts[ncuts++] = HEADER_LEN;
	cuts[ncuts++] = HEADER_LEN + 1;
	cuts[ncuts++] = HEADER_LEN + CHUNK_CT; /* one whole chunk */
	cuts[ncuts++] = n - last; /* every chunk but the final one */
	cuts[ncuts++] = n - 17;
	cuts[ncuts++] = n - 1;
	for (i = 0; i < ncuts; i++)
		refused(f, b, cuts[i], "truncated");
	free(b);
	still_changed(f, fp);
}

static void
test_extra_bytes_refused(void **state)
{
	struct fx *f = *state;
	struct backup_info info;
	char fp[1024];
	unsigned char *b, *big;
	size_t n, last;

	make_backup(f, &info);
	changed_and_closed(f, fp, sizeof(fp));
	b = slurp(f->bfile, &n);
	last = (n - HEADER_LEN) % CHUNK_CT;
	if (last == 0)
		last = CHUNK_CT;
	big = calloc(1, 2 * n);
	assert_non_null(big);
	memcpy(big, b, n);
	refused(f, big, n + 1, "one zero byte after the end");
	refused(f, big, n + 17, "a tag's worth after the end");
	memcpy(big + n, b + n - last, last);
	refused(f, big, n + last, "the final chunk twice");
	memcpy(big + n, b, n);
	refused(f, big, 2 * n, "the whole file twice");
	free(big);
	free(b);
	still_changed(f, fp);
}

static void
test_wrong_key_refused(void **state)
{
	struct fx *f = *state;
	struct backup_info info;
	struct keyring *kr2;
	struct keystore *other, *empty;
	struct data_key k;
	char fp[1024], path[160], keys[160], err[512];
	unsigned char h1[32], h2[32];

	make_backup(f, &info);
	changed_and_closed(f, fp, sizeof(fp));
	db_hash(f->db, h1);
	/* Other keys: another master key, another keystore. */
	snprintf(path, sizeof(path), "%s/other.key", f->dir);
	snprintf(keys, sizeof(keys), "%s/other-keys.db", f->dir);
	assert_int_equal(keyring_create(path, err, sizeof(err)), 0);
	assert_int_equal(keyring_load(path, &kr2, err, sizeof(err)), 0);
	assert_int_equal(keystore_open(keys, kr2, 5000, &other, err,
			     sizeof(err)),
	    0);
	assert_int_equal(keystore_get(other, BACKUP_KEY_OWNER, 1, &k), 0);
	assert_int_equal(backup_restore(f->bfile, other, f->db, NULL, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "does not decrypt"));
	/* A keystore without a backup key at all (and none made by the
	 * attempt). */
	snprintf(keys, sizeof(keys), "%s/empty-keys.db", f->dir);
	assert_int_equal(keystore_open(keys, kr2, 5000, &empty, err,
			     sizeof(err)),
	    0);
	assert_int_equal(backup_restore(f->bfile, empty, f->db, NULL, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "no backup key"));
	assert_int_equal(keystore_get(empty, BACKUP_KEY_OWNER, 0, &k), 1);
	/* The right keystore whose backup key was destroyed. */
	assert_int_equal(keystore_destroy(f->ks, BACKUP_KEY_OWNER, NOW_MS), 0);
	assert_int_equal(backup_restore(f->bfile, f->ks, f->db, NULL, err,
			     sizeof(err)),
	    -1);
	db_hash(f->db, h2);
	assert_memory_equal(h1, h2, 32);
	sodium_memzero(&k, sizeof(k));
	keystore_free(empty);
	keystore_free(other);
	keyring_free(kr2);
	still_changed(f, fp);
}

static void
test_not_a_backup_refused(void **state)
{
	struct fx *f = *state;
	unsigned char junk[4096];
	char fp[1024], err[512];
	unsigned char *b;
	size_t n;

	changed_and_closed(f, fp, sizeof(fp));
	randombytes_buf(junk, sizeof(junk));
	refused(f, junk, sizeof(junk), "random bytes");
	refused(f, junk, 0, "empty file");
	/* The database itself is no backup either. */
	b = slurp(f->db, &n);
	refused(f, b, n, "a plain database");
	free(b);
	assert_int_equal(backup_restore(f->dir, f->ks, f->db, NULL, err,
			     sizeof(err)),
	    -1);
	still_changed(f, fp);
}

/* Restores f->bfile while a child process holds the database open, as
 * a running server does, and checks it is refused. */
static void
in_other_process(struct fx *f)
{
	int ready[2], stop[2], status;
	char c, err[512];
	pid_t pid;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(stop), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store *st = open_db(f->db);

		close(ready[0]);
		close(stop[1]);
		c = st != NULL && store_ping(st) == 0 ? 'y' : 'n';
		if (write(ready[1], &c, 1) != 1 || read(stop[0], &c, 1) < 0)
			_exit(2);
		_exit(0); /* the connection stays open to the end */
	}
	close(ready[1]);
	close(stop[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(c, 'y');
	assert_int_equal(backup_restore(f->bfile, f->ks, f->db, NULL, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "in use"));
	close(stop[1]);
	close(ready[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
test_restore_refused_while_in_use(void **state)
{
	struct fx *f = *state;
	struct backup_info info;
	char fp[1024], now[1024], err[512];
	int lock;

	make_backup(f, &info);
	change_db(f);
	fingerprint(f->st, fp, sizeof(fp));
	/* f->st stands for a running server: it holds the database open. */
	assert_int_equal(backup_restore(f->bfile, f->ks, f->db, NULL, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "in use"));
	fingerprint(f->st, now, sizeof(now));
	assert_string_equal(fp, now);
	assert_int_equal(store_integrity_check(f->st), 0);
	assert_int_equal(count_names(f->data, ".restore-"), 0);
	store_free(f->st);
	f->st = NULL;

	/* A server in another process, idle between requests. */
	in_other_process(f);

	/* A server holding the restore lock, before it opens the store. */
	lock = backup_lock_db(f->db, 0, err, sizeof(err));
	assert_true(lock >= 0);
	assert_int_equal(backup_restore(f->bfile, f->ks, f->db, NULL, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "in use"));
	/* And a server cannot start while a restore holds it. */
	backup_unlock_db(lock);
	lock = backup_lock_db(f->db, 1, err, sizeof(err));
	assert_true(lock >= 0);
	assert_int_equal(backup_lock_db(f->db, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "restore"));
	backup_unlock_db(lock);

	/* Once free, the restore goes through. */
	assert_int_equal(backup_restore(f->bfile, f->ks, f->db, NULL, err,
			     sizeof(err)),
	    0);
	f->st = open_db(f->db);
	assert_non_null(f->st);
	fingerprint(f->st, now, sizeof(now));
	assert_string_not_equal(fp, now);
}

static void
test_newer_schema_refused(void **state)
{
	struct fx *f = *state;
	struct store_val p[1] = { SV_I(store_schema_latest() + 1) };
	struct backup_info info;
	char fp[1024], err[512];

	assert_int_equal(exec(f->st,
			     "INSERT INTO schema_migrations (version, name, "
			     "applied_at) VALUES ($1, 'future', 'x')",
			     p, 1),
	    0);
	make_backup(f, &info);
	assert_int_equal(exec(f->st,
			     "DELETE FROM schema_migrations WHERE name = "
			     "'future'",
			     NULL, 0),
	    0);
	changed_and_closed(f, fp, sizeof(fp));
	assert_int_equal(backup_restore(f->bfile, f->ks, f->db, NULL, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "newer"));
	assert_int_equal(count_names(f->data, ".restore-"), 0);
	still_changed(f, fp);
}

static void
test_restore_into_empty_place(void **state)
{
	struct fx *f = *state;
	struct backup_info info;
	char fp[1024], now[1024], fresh[200], err[512];
	struct store *st;

	fingerprint(f->st, fp, sizeof(fp));
	make_backup(f, &info);
	/* A new machine: the keys came along, the database did not. */
	snprintf(fresh, sizeof(fresh), "%s/new.db", f->data);
	assert_int_equal(backup_restore(f->bfile, f->ks, fresh, NULL, err,
			     sizeof(err)),
	    0);
	st = open_db(fresh);
	assert_non_null(st);
	fingerprint(st, now, sizeof(now));
	assert_string_equal(fp, now);
	store_free(st);
}

static void
test_store_file_checks(void **state)
{
	struct fx *f = *state;
	struct store_config kc = { "sqlite", f->bad, 1000, STORE_SCHEMA_KEYS };
	struct store *keys;
	char plain[200], odd[240], err[512];
	unsigned char *b;
	struct stat sb;
	size_t n;
	int v;

	snprintf(plain, sizeof(plain), "%s/plain.db", f->data);
	assert_int_equal(store_backup_to_file(f->st, plain, err, sizeof(err)),
	    0);
	assert_int_equal(stat(plain, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* Never over an existing file. */
	assert_int_equal(store_backup_to_file(f->st, plain, err, sizeof(err)),
	    -1);
	assert_int_equal(store_check_file(plain, &v, err, sizeof(err)), 0);
	assert_int_equal(v, store_schema_latest());
	/* The check leaves no side file behind. */
	assert_int_equal(count_names(f->data, "plain.db-"), 0);
	/* Any name works (the check opens it through a URI). */
	snprintf(odd, sizeof(odd), "%s/we?ird #%%20&mode=rw.db", f->data);
	assert_int_equal(rename(plain, odd), 0);
	assert_int_equal(store_check_file(odd, &v, err, sizeof(err)), 0);
	assert_int_equal(v, store_schema_latest());
	assert_int_equal(rename(odd, plain), 0);
	/* A damaged page fails the check. */
	b = slurp(plain, &n);
	memset(b + n / 2, 0xA5, 4096);
	spill(plain, b, n);
	free(b);
	assert_int_equal(store_check_file(plain, &v, err, sizeof(err)), -1);
	spill(plain, "hello", 5);
	assert_int_equal(store_check_file(plain, &v, err, sizeof(err)), -1);
	/* The keystore is never copied. */
	keys = store_open(&kc, err, sizeof(err));
	assert_non_null(keys);
	unlink(plain);
	assert_int_equal(store_backup_to_file(keys, plain, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "keystore"));
	assert_int_equal(access(plain, F_OK), -1);
	store_free(keys);
}

static void
test_rotation_keeps_newest(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = {
		"creneau-20260103T000000Z.backup",
		"creneau-20260101T000000Z.backup",
		"creneau-20260105T120000Z.backup",
		"creneau-20260102T000000Z.backup",
		"creneau-20260104T000000Z.backup",
		/* Not automatic backups: never touched. */
		"creneau-before-upgrade.backup",
		"creneau-20200101T000000Z.backup.tmp",
		"notes.txt",
	};
	char dir[160], path[256], sub[256];
	size_t i;

	snprintf(dir, sizeof(dir), "%s/rot", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		spill(path, "x", 1);
	}
	/* A directory with a backup's name is not deleted either. */
	snprintf(sub, sizeof(sub), "%s/creneau-20190101T000000Z.backup", dir);
	assert_int_equal(mkdir(sub, 0700), 0);

	assert_int_equal(backup_rotate(dir, 0), -1);
	assert_int_equal(backup_rotate(dir, 2), 3);
	assert_int_equal(count_names(dir, "Z.backup"), 4); /* + the dir */
	snprintf(path, sizeof(path), "%s/creneau-20260105T120000Z.backup", dir);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/creneau-20260104T000000Z.backup", dir);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/creneau-20260103T000000Z.backup", dir);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(count_names(dir, "before-upgrade"), 1);
	assert_int_equal(count_names(dir, ".tmp"), 1);
	assert_int_equal(count_names(dir, "notes"), 1);
	/* Nothing more to do; a missing directory is an error. */
	assert_int_equal(backup_rotate(dir, 2), 0);
	assert_int_equal(backup_rotate(dir, 10), 0);
	snprintf(path, sizeof(path), "%s/none", f->dir);
	assert_int_equal(backup_rotate(path, 2), -1);
}

static void
test_file_name(void **state)
{
	char name[BACKUP_NAME_MAX];

	(void)state;
	assert_int_equal(backup_file_name(0, name, sizeof(name)), 0);
	assert_string_equal(name, "creneau-19700101T000000Z.backup");
	assert_int_equal(backup_file_name(NOW_MS + 3723000, name, sizeof(name)),
	    0);
	assert_string_equal(name, "creneau-20260101T010203Z.backup");
	assert_int_equal(backup_file_name(0, name, 10), -1);
}

/* Seals text under owner's key into row id of scratch. */
static void
add_person(struct fx *f, const char *id, const char *owner, const char *text)
{
	struct data_key k;
	unsigned char *ct;
	size_t ctlen;
	struct store_val p[3];

	assert_int_equal(keystore_get(f->ks, owner, 1, &k), 0);
	assert_int_equal(field_seal(&k, 1, "scratch", "secret", id, text,
			     strlen(text), &ct, &ctlen),
	    0);
	p[0] = SV_T(id);
	p[1] = SV_T(owner);
	p[2] = SV_B(ct, ctlen);
	assert_int_equal(exec(f->st,
			     "INSERT INTO scratch (id, owner, secret) VALUES "
			     "($1, $2, $3)",
			     p, 3),
	    0);
	free(ct);
	sodium_memzero(&k, sizeof(k));
}

/* Reads the sealed field of row id into q. */
static struct q
sealed(struct fx *f, const char *id)
{
	struct store_val p[1] = { SV_T(id) };

	return query(f->st, "SELECT secret FROM scratch WHERE id = $1", p, 1);
}

/* Whether key opens row id's field. */
static int
opens(const struct data_key *key, const struct q *q, const char *id)
{
	char *pt = NULL;
	size_t n = 0;
	int rc =
	    field_open(key, "scratch", "secret", id, q->copy, q->len, &pt, &n);

	field_free(pt, n);
	return rc == 0;
}

static void
test_crypto_shredding_survives_restore(void **state)
{
	struct fx *f = *state;
	struct backup_info info;
	struct data_key k42, k43, other;
	struct q row;
	char *pt = NULL, err[512];
	unsigned char *b;
	size_t n = 0;

	add_person(f, "42", "subject:42", "Alice Martin, born 1990-04-01");
	add_person(f, "43", "subject:43", "Bernard Dupont, born 1985-11-30");
	assert_int_equal(keystore_get(f->ks, "subject:42", 0, &k42), 0);
	make_backup(f, &info);
	b = slurp(f->bfile, &n);
	assert_null(memmem(b, n, "Alice", 5));
	free(b);

	/* Erasure: the person's key goes, then their row. */
	assert_int_equal(keystore_destroy(f->ks, "subject:42", NOW_MS), 0);
	assert_int_equal(exec(f->st, "DELETE FROM scratch WHERE id = '42'",
			     NULL, 0),
	    0);
	assert_int_equal(sealed(f, "42").rows, 0);

	/* The old backup brings the row back... */
	store_free(f->st);
	f->st = NULL;
	if (backup_restore(f->bfile, f->ks, f->db, NULL, err, sizeof(err)) != 0)
		fail_msg("backup_restore: %s", err);
	f->st = open_db(f->db);
	assert_non_null(f->st);
	row = sealed(f, "42");
	assert_int_equal(row.rows, 1);
	assert_true(row.len > FIELD_OVERHEAD);
	/* ...but not the key: it stays destroyed, and cannot be made anew. */
	assert_int_equal(keystore_destroyed(f->ks, "subject:42"), 1);
	assert_int_equal(keystore_get(f->ks, "subject:42", 0, &other), 1);
	assert_int_equal(keystore_get(f->ks, "subject:42", 1, &other), 1);
	/* No other key opens the field: another person's, the backup key,
	 * the audit key, a random one. Only the destroyed key did. */
	assert_true(opens(&k42, &row, "42"));
	sodium_memzero(&k42, sizeof(k42));
	assert_int_equal(keystore_get(f->ks, "subject:43", 0, &k43), 0);
	assert_false(opens(&k43, &row, "42"));
	assert_int_equal(keystore_get(f->ks, BACKUP_KEY_OWNER, 0, &other), 0);
	assert_false(opens(&other, &row, "42"));
	assert_int_equal(keystore_get(f->ks, "system:audit", 1, &other), 0);
	assert_false(opens(&other, &row, "42"));
	randombytes_buf(other.k, sizeof(other.k));
	assert_false(opens(&other, &row, "42"));

	/* The other person in the same backup still opens. */
	row = sealed(f, "43");
	assert_int_equal(row.rows, 1);
	assert_int_equal(field_open(&k43, "scratch", "secret", "43", row.copy,
			     row.len, &pt, &n),
	    0);
	assert_string_equal(pt, "Bernard Dupont, born 1985-11-30");
	field_free(pt, n);
	sodium_memzero(&k43, sizeof(k43));
	sodium_memzero(&other, sizeof(other));
}

/* Counts the audit entries of action. */
static int
count_row(void *arg, const struct audit_row *row)
{
	(void)row;
	(*(int *)arg)++;
	return 0;
}

static int
count_action(struct store *st, const char *action)
{
	struct audit_filter af;
	int n = 0;

	memset(&af, 0, sizeof(af));
	af.action = action;
	assert_int_equal(store_audit_scan(st, &af, count_row, &n), 0);
	return n;
}

struct details {
	const struct data_key *key;
	char text[512];
};

static int
details_row(void *arg, const struct audit_row *row)
{
	struct details *d = arg;
	char *pt = NULL;
	size_t n = 0;

	if (audit_open_sealed(d->key, row, "details", &pt, &n) == 0)
		snprintf(d->text, sizeof(d->text), "%s", pt);
	field_free(pt, n);
	return 0;
}

static void
test_commands(void **state)
{
	struct fx *f = *state;
	struct config cfg;
	struct audit_verify_result res;
	struct details d;
	struct audit_filter af;
	struct data_key audit;
	unsigned char sk[64], pk[32];
	char fp[1024], now[1024], file[256], err[512];
	char *one[] = { file }, *two[] = { file, file }, *opt[] = { "-x" };

	assert_int_equal(audit_signing_key(f->sign, 1, sk, pk, err,
			     sizeof(err)),
	    0);
	config_defaults(&cfg);
	snprintf(cfg.store_path, sizeof(cfg.store_path), "%s", f->db);
	snprintf(cfg.master_key_file, sizeof(cfg.master_key_file), "%s",
	    f->master);
	snprintf(cfg.keystore_path, sizeof(cfg.keystore_path), "%s", f->keys);
	snprintf(cfg.audit_signing_key_file, sizeof(cfg.audit_signing_key_file),
	    "%s", f->sign);
	snprintf(cfg.backup_dir, sizeof(cfg.backup_dir), "%s/auto/sub", f->dir);
	cfg.backup_keep = 2;

	/* Usage errors. */
	assert_int_equal(cmd_backup(&cfg, 2, two), 2);
	assert_int_equal(cmd_backup(&cfg, 1, opt), 2);
	assert_int_equal(cmd_restore(&cfg, 0, NULL), 2);
	assert_int_equal(cmd_restore(&cfg, 2, two), 2);

	/* Automatic name in [backup] dir, created private. */
	fingerprint(f->st, fp, sizeof(fp));
	assert_int_equal(cmd_backup(&cfg, 0, NULL), 0);
	assert_int_equal(count_names(cfg.backup_dir, "creneau-"), 1);
	assert_int_equal(count_action(f->st, "backup.create"), 1);
	/* An explicit file. */
	snprintf(file, sizeof(file), "%s/by-hand.backup", f->bdir);
	assert_int_equal(cmd_backup(&cfg, 1, one), 0);
	assert_int_equal(count_action(f->st, "backup.create"), 2);

	/* Refused while the database is open (f->st stands for serve). */
	change_db(f);
	assert_int_equal(cmd_restore(&cfg, 1, one), 1);
	store_free(f->st);
	f->st = NULL;
	assert_int_equal(cmd_restore(&cfg, 1, one), 0);

	f->st = open_db(f->db);
	assert_non_null(f->st);
	fingerprint(f->st, now, sizeof(now));
	assert_string_equal(fp, now);
	/* The restored trail: the first backup's entry (made before the
	 * second copy), then the restore; and it still verifies. */
	assert_int_equal(count_action(f->st, "backup.create"), 1);
	assert_int_equal(count_action(f->st, "backup.restore"), 1);
	assert_int_equal(audit_verify(f->st, pk, &res), 0);
	/* Details name the file, never its directory. */
	assert_int_equal(keystore_get(f->ks, "system:audit", 0, &audit), 0);
	memset(&d, 0, sizeof(d));
	d.key = &audit;
	memset(&af, 0, sizeof(af));
	af.action = "backup.restore";
	assert_int_equal(store_audit_scan(f->st, &af, details_row, &d), 0);
	assert_non_null(strstr(d.text, "\"file\":\"by-hand.backup\""));
	assert_non_null(strstr(d.text, "\"created_at\":"));
	assert_null(strstr(d.text, f->dir));
	assert_null(strchr(d.text, '/'));

	/* Never over the database or a key file. */
	snprintf(file, sizeof(file), "%s", f->keys);
	assert_int_equal(cmd_backup(&cfg, 1, one), 1);
	snprintf(file, sizeof(file), "%s/../data/creneau.db", f->bdir);
	assert_int_equal(cmd_backup(&cfg, 1, one), 1);
	fingerprint(f->st, now, sizeof(now));
	assert_string_equal(fp, now);
	store_free(f->st);
	f->st = NULL;

	/* A missing or bad file fails with one line, and changes nothing. */
	snprintf(file, sizeof(file), "%s/none.backup", f->bdir);
	assert_int_equal(cmd_restore(&cfg, 1, one), 1);
	still_changed(f, fp);
	sodium_memzero(&audit, sizeof(audit));
	sodium_memzero(sk, sizeof(sk));
}

static void
test_backup_job(void **state)
{
	struct fx *f = *state;
	struct backup_job j;
	struct data_key audit;
	char dir[160], path[256];
	int i;

	assert_int_equal(keystore_get(f->ks, "system:audit", 1, &audit), 0);
	snprintf(dir, sizeof(dir), "%s/job", f->dir);
	memset(&j, 0, sizeof(j));
	j.st = f->st;
	j.ks = f->ks;
	j.audit_key = &audit;
	j.dir = dir;
	j.work_dir = f->data;
	j.keep = 2;
	for (i = 0; i < 3; i++)
		assert_int_equal(backup_job(&j, NOW_MS + i * HOUR_MS), 0);
	assert_int_equal(count_names(dir, ".backup"), 2);
	snprintf(path, sizeof(path), "%s/creneau-20260101T020000Z.backup", dir);
	assert_int_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/creneau-20260101T000000Z.backup", dir);
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(count_action(f->st, "backup.create"), 3);
	/* Without the audit key the entry is still recorded. */
	j.audit_key = NULL;
	j.work_dir = NULL;
	assert_int_equal(backup_job(&j, NOW_MS + 3 * HOUR_MS), 0);
	assert_int_equal(count_action(f->st, "backup.create"), 4);
	assert_int_equal(count_names(dir, ".creneau-copy-"), 0);
	/* A failure is reported. */
	j.dir = "/proc/no/such/dir";
	assert_int_equal(backup_job(&j, NOW_MS), -1);
	sodium_memzero(&audit, sizeof(audit));
}

/* Whether path exists. */
static int
exists(const char *dir, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return access(p, F_OK) == 0;
}

/*
 * What killed backups and restores leave (plaintext copies and decrypted
 * restores beside the database, unfinished backups beside the backups)
 * is removed at the next backup or clean-up; a file its writer still
 * holds, and files of any other name, stay.
 */
static void
test_leftovers_cleaned(void **state)
{
	struct fx *f = *state;
	static const char *const stale_db[] = {
		".creneau-copy-0123456789abcdef.tmp",
		"creneau.db.restore-00112233aabbccdd",
	};
	static const char *const kept_db[] = {
		".creneau-copy-fedcba9876543210.tmp", /* locked: in use */
		".creneau-copy-notes.tmp",
		"creneau.db.restore-notes",
		"other.db.restore-00112233aabbccdd",
	};
	char p[512], err[512];
	size_t i;
	int lk;

	for (i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/%s", f->data, stale_db[i]);
		spill(p, "plaintext", 9);
	}
	for (i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s/%s", f->data, kept_db[i]);
		spill(p, "x", 1);
	}
	snprintf(p, sizeof(p), "%s/%s", f->data, kept_db[0]);
	lk = open(p, O_RDONLY);
	assert_int_equal(flock(lk, LOCK_EX), 0);
	snprintf(p, sizeof(p), "%s/creneau-20260101T000000Z.backup.tmp",
	    f->bdir);
	spill(p, "cipher", 6);
	snprintf(p, sizeof(p), "%s/hand.backup.tmp", f->bdir);
	spill(p, "cipher", 6);

	/* A backup cleans the database's directory (its copy goes there,
	 * even when no work directory is named) and its own. */
	assert_int_equal(backup_create(f->st, f->ks, f->bfile, NULL, NOW_MS,
			     NULL, err, sizeof(err)),
	    0);
	for (i = 0; i < 2; i++)
		if (exists(f->data, stale_db[i]))
			fail_msg("%s left", stale_db[i]);
	for (i = 0; i < 4; i++)
		if (!exists(f->data, kept_db[i]))
			fail_msg("%s removed", kept_db[i]);
	assert_false(exists(f->bdir, "creneau-20260101T000000Z.backup.tmp"));
	assert_true(exists(f->bdir, "hand.backup.tmp"));
	assert_int_equal(count_names(f->data, ".creneau-copy-"), 2);

	/* Released, the locked copy is a leftover too; the restore prefix
	 * counts only for the database's own name. */
	close(lk);
	snprintf(p, sizeof(p), "%s/%s", f->data, stale_db[1]);
	spill(p, "plaintext", 9);
	assert_int_equal(backup_clean_leftovers(f->data, NULL), 1);
	assert_true(exists(f->data, stale_db[1]));
	assert_int_equal(backup_clean_leftovers(f->data, f->db), 1);
	assert_false(exists(f->data, stale_db[1]));
	assert_int_equal(backup_clean_leftovers(f->data, f->db), 0);
	assert_true(exists(f->data, "creneau.db.restore-notes"));
	assert_int_equal(backup_clean_leftovers("/nonexistent/dir", NULL), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_round_trip),
		T(test_leftovers_cleaned),
		T(test_flipped_byte_refused),
		T(test_truncated_refused),
		T(test_extra_bytes_refused),
		T(test_wrong_key_refused),
		T(test_not_a_backup_refused),
		T(test_restore_refused_while_in_use),
		T(test_newer_schema_refused),
		T(test_restore_into_empty_place),
		T(test_store_file_checks),
		T(test_rotation_keeps_newest),
		cmocka_unit_test(test_file_name),
		T(test_crypto_shredding_survives_restore),
		T(test_commands),
		T(test_backup_job),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
