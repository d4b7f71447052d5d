/* test_keystore.c - src/crypto/keystore.c and src/store/keys.c: data keys,
 * concurrent creation, crypto-shredding, re-wrapping during rotation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <sys/wait.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "crypto/keystore.h"
#include "unit.h"

#define OWNERS 20
#define THREADS 8

struct fixture {
	char dir[64];
	char master[128];
	char db[128];
	struct keyring *kr;
	struct keystore *ks;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[512];

	*state = f;
	if (f == NULL || sodium_init() < 0 ||
	    unit_tmpdir(f->dir, sizeof(f->dir)) != 0)
		return -1;
	umask(022); /* as a shell would leave it: files must still be 0600 */
	snprintf(f->master, sizeof(f->master), "%s/master.key", f->dir);
	snprintf(f->db, sizeof(f->db), "%s/keys/keys.db", f->dir);
	if (keyring_create(f->master, err, sizeof(err)) != 0 ||
	    keyring_load(f->master, &f->kr, err, sizeof(err)) != 0 ||
	    keystore_open(f->db, f->kr, 5000, &f->ks, err, sizeof(err)) != 0) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	keystore_free(f->ks);
	keyring_free(f->kr);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

static void
owner_name(char *buf, size_t n, const char *prefix, int i)
{
	snprintf(buf, n, "%s:%d", prefix, i);
}

/* Adds a master version, re-wraps, retires every older version and
 * reloads: what `creneau keys rotate` does. Returns the re-wrap count. */
static long
rotate(struct fixture *f)
{
	char err[512];
	uint32_t v, vs[64];
	size_t n, i;
	long moved;

	assert_int_equal(keyring_add_version(f->master, &v, err, sizeof(err)),
	    0);
	assert_int_equal(keyring_reload(f->kr, err, sizeof(err)), 0);
	moved = keystore_rewrap(f->ks);
	assert_true(moved >= 0);
	n = keyring_versions(f->kr, vs, 64);
	for (i = 0; i < n; i++) {
		if (vs[i] == v)
			continue;
		assert_int_equal(keystore_count_version(f->ks, vs[i]), 0);
		assert_int_equal(keyring_retire_version(f->master, vs[i], err,
				     sizeof(err)),
		    0);
	}
	assert_int_equal(keyring_reload(f->kr, err, sizeof(err)), 0);
	return moved;
}

static void
test_create_and_get(void **state)
{
	struct fixture *f = *state;
	struct data_key a, b, c;
	char long_owner[300], side[160];
	struct stat sb;

	assert_int_equal(keystore_get(f->ks, "subject:1", 0, &a), 1);
	assert_int_equal(keystore_get(f->ks, "subject:1", 1, &a), 0);
	assert_int_equal(keystore_get(f->ks, "subject:1", 0, &b), 0);
	assert_memory_equal(a.k, b.k, KEY_BYTES);
	assert_int_equal(keystore_get(f->ks, "subject:1", 1, &b), 0);
	assert_memory_equal(a.k, b.k, KEY_BYTES);
	assert_int_equal(keystore_get(f->ks, "subject:2", 1, &c), 0);
	assert_memory_not_equal(a.k, c.k, KEY_BYTES);
	assert_int_equal(keystore_count_version(f->ks, 1), 2);
	assert_int_equal(keystore_count_version(f->ks, 2), 0);
	/* Owners: not NULL, not empty, not too long. */
	memset(long_owner, 'x', sizeof(long_owner) - 1);
	long_owner[sizeof(long_owner) - 1] = '\0';
	assert_int_equal(keystore_get(f->ks, NULL, 1, &a), -1);
	assert_int_equal(keystore_get(f->ks, "", 1, &a), -1);
	assert_int_equal(keystore_get(f->ks, long_owner, 1, &a), -1);
	/* The keystore and its log are the owner's alone, whatever the
	 * umask. */
	assert_int_equal(stat(f->db, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(side, sizeof(side), "%s-wal", f->db);
	assert_int_equal(stat(side, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(side, sizeof(side), "%s-shm", f->db);
	assert_int_equal(stat(side, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	keystore_free(NULL);
}

struct racer {
	struct keystore *ks;
	pthread_barrier_t *go;
	int order;
	int failed;
	struct data_key keys[OWNERS];
};

static void *
race_create(void *arg)
{
	struct racer *r = arg;
	char owner[32];
	int i, j;

	pthread_barrier_wait(r->go);
	for (j = 0; j < OWNERS; j++) {
		/* Half the threads go forwards, half backwards. */
		i = r->order ? j : OWNERS - 1 - j;
		owner_name(owner, sizeof(owner), "subject", i);
		if (keystore_get(r->ks, owner, 1, &r->keys[i]) != 0)
			r->failed++;
	}
	return NULL;
}

static void
test_concurrent_create_same_owner(void **state)
{
	struct fixture *f = *state;
	struct racer *r = calloc(THREADS, sizeof(*r));
	pthread_barrier_t go;
	pthread_t t[THREADS];
	int i, j;

	assert_non_null(r);
	pthread_barrier_init(&go, NULL, THREADS);
	for (i = 0; i < THREADS; i++) {
		r[i].ks = f->ks;
		r[i].go = &go;
		r[i].order = i % 2;
		pthread_create(&t[i], NULL, race_create, &r[i]);
	}
	for (i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	/* Every thread saw the one key each owner got. */
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(r[i].failed, 0);
		for (j = 0; j < OWNERS; j++)
			assert_memory_equal(r[i].keys[j].k, r[0].keys[j].k,
			    KEY_BYTES);
	}
	assert_int_equal(keystore_count_version(f->ks, 1), OWNERS);
	free(r);
}

/* Keys created in one batch: missing ones made, an existing key kept,
 * a destroyed one never made again. */
static void
test_prepare_batch(void **state)
{
	struct fixture *f = *state;
	const char *const owners[] = { "subject:a", "subject:b", "subject:c",
		"subject:d" };
	struct data_key kept, k;
	long keys = 0, gone = 0;

	assert_int_equal(keystore_get(f->ks, "subject:b", 1, &kept), 0);
	assert_int_equal(keystore_get(f->ks, "subject:c", 1, &k), 0);
	assert_int_equal(keystore_destroy(f->ks, "subject:c", 1), 0);
	assert_int_equal(keystore_prepare(f->ks, owners, 4), 0);
	assert_int_equal(keystore_totals(f->ks, &keys, &gone), 0);
	assert_int_equal(keys, 3);
	assert_int_equal(gone, 1);
	assert_int_equal(keystore_get(f->ks, "subject:a", 0, &k), 0);
	assert_int_equal(keystore_get(f->ks, "subject:d", 0, &k), 0);
	assert_int_equal(keystore_get(f->ks, "subject:b", 0, &k), 0);
	assert_memory_equal(k.k, kept.k, sizeof(k.k));
	assert_int_equal(keystore_get(f->ks, "subject:c", 1, &k), 1);
	assert_int_equal(keystore_prepare(f->ks, owners, 0), 0);
	sodium_memzero(&k, sizeof(k));
	sodium_memzero(&kept, sizeof(kept));
}

static void
test_destroy(void **state)
{
	struct fixture *f = *state;
	struct data_key k;

	assert_int_equal(keystore_get(f->ks, "subject:7", 1, &k), 0);
	assert_int_equal(keystore_get(f->ks, "subject:8", 1, &k), 0);
	assert_int_equal(keystore_destroyed(f->ks, "subject:7"), 0);
	assert_int_equal(keystore_destroy(f->ks, "subject:7", 1000), 0);
	assert_int_equal(keystore_destroyed(f->ks, "subject:7"), 1);
	assert_int_equal(keystore_get(f->ks, "subject:7", 0, &k), 1);
	/* Never created again: the erased person's data stays erased. */
	assert_int_equal(keystore_get(f->ks, "subject:7", 1, &k), 1);
	assert_int_equal(keystore_destroyed(f->ks, "subject:7"), 1);
	/* Others are untouched. */
	assert_int_equal(keystore_destroyed(f->ks, "subject:8"), 0);
	assert_int_equal(keystore_get(f->ks, "subject:8", 0, &k), 0);
	/* Destroying twice, or a key never made, is fine and recorded. */
	assert_int_equal(keystore_destroy(f->ks, "subject:7", 2000), 0);
	assert_int_equal(keystore_destroy(f->ks, "subject:9", 2000), 0);
	assert_int_equal(keystore_destroyed(f->ks, "subject:9"), 1);
	assert_int_equal(keystore_get(f->ks, "subject:9", 1, &k), 1);
	assert_int_equal(keystore_count_version(f->ks, 1), 1);
	assert_int_equal(keystore_destroy(f->ks, "", 1), -1);
}

/* Returns 1 if the n bytes at needle appear in the file at p. */
static int
file_contains(const char *p, const void *needle, size_t n)
{
	int fd = open(p, O_RDONLY);
	struct stat sb;
	unsigned char *buf;
	ssize_t r;
	int found;

	if (fd == -1)
		return 0;
	assert_int_equal(fstat(fd, &sb), 0);
	buf = malloc((size_t)sb.st_size + 1);
	assert_non_null(buf);
	r = read(fd, buf, (size_t)sb.st_size);
	close(fd);
	assert_int_equal(r, sb.st_size);
	found = memmem(buf, (size_t)r, needle, n) != NULL;
	free(buf);
	return found;
}

static int
files_contain(const struct fixture *f, const void *needle, size_t n)
{
	char p[160];

	snprintf(p, sizeof(p), "%s-wal", f->db);
	if (file_contains(p, needle, n))
		return 1;
	snprintf(p, sizeof(p), "%s-shm", f->db);
	return file_contains(f->db, needle, n) || file_contains(p, needle, n);
}

/* Reads owner's wrapped bytes straight from the file. Returns length. */
static size_t
raw_wrapped(const struct fixture *f, const char *owner, unsigned char *out,
    size_t cap)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	size_t n = 0;

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
			     "SELECT wrapped FROM data_keys WHERE owner = ?1",
			     -1, &st, NULL),
	    SQLITE_OK);
	sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		n = (size_t)sqlite3_column_bytes(st, 0);
		assert_true(n <= cap);
		memcpy(out, sqlite3_column_blob(st, 0), n);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void
test_file_holds_no_plain_key(void **state)
{
	struct fixture *f = *state;
	struct data_key k[OWNERS];
	unsigned char w[128];
	char owner[32];
	size_t n;
	int i;

	for (i = 0; i < OWNERS; i++) {
		owner_name(owner, sizeof(owner), "subject", i);
		assert_int_equal(keystore_get(f->ks, owner, 1, &k[i]), 0);
	}
	/* Neither the database nor its log holds a key in the clear. */
	for (i = 0; i < OWNERS; i++)
		assert_false(files_contain(f, k[i].k, KEY_BYTES));
	/* nonce || key and tag: 24 + 32 + 16 bytes. */
	n = raw_wrapped(f, "subject:3", w, sizeof(w));
	assert_int_equal(n, 72);
	assert_true(files_contain(f, w, n));
	/* Destroyed: even the wrapped bytes leave the files. */
	assert_int_equal(keystore_destroy(f->ks, "subject:3", 1), 0);
	assert_false(files_contain(f, w, n));
	assert_int_equal(raw_wrapped(f, "subject:3", w, sizeof(w)), 0);
}

/* Runs one statement on the keystore file from outside. */
static void
raw_exec(const struct fixture *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_wrapped_key_bound_to_owner(void **state)
{
	struct fixture *f = *state;
	struct data_key k;
	char err[512];
	uint32_t v;

	assert_int_equal(keystore_get(f->ks, "subject:a", 1, &k), 0);
	assert_int_equal(keystore_get(f->ks, "subject:b", 1, &k), 0);
	assert_int_equal(keystore_get(f->ks, "subject:c", 1, &k), 0);
	/* One owner's wrapped key copied into another's row. */
	raw_exec(f,
	    "UPDATE data_keys SET wrapped = (SELECT wrapped FROM "
	    "data_keys WHERE owner = 'subject:a') WHERE owner = "
	    "'subject:b'");
	assert_int_equal(keystore_get(f->ks, "subject:a", 0, &k), 0);
	assert_int_equal(keystore_get(f->ks, "subject:b", 0, &k), -1);
	assert_int_equal(keystore_get(f->ks, "subject:b", 1, &k), -1);
	/* Relabelled with another master version the keyring holds. */
	assert_int_equal(keyring_add_version(f->master, &v, err, sizeof(err)),
	    0);
	assert_int_equal(keyring_reload(f->kr, err, sizeof(err)), 0);
	raw_exec(f,
	    "UPDATE data_keys SET master_version = 2 WHERE owner = "
	    "'subject:a'");
	assert_int_equal(keystore_get(f->ks, "subject:a", 0, &k), -1);
	/* A flipped byte, and a version no master key file holds. */
	raw_exec(f,
	    "UPDATE data_keys SET wrapped = zeroblob(72) WHERE owner "
	    "= 'subject:c'");
	assert_int_equal(keystore_get(f->ks, "subject:c", 0, &k), -1);
	raw_exec(f,
	    "UPDATE data_keys SET master_version = 99 WHERE owner = "
	    "'subject:c'");
	assert_int_equal(keystore_get(f->ks, "subject:c", 0, &k), -1);
	/* Re-wrapping stops at a key it cannot unwrap. */
	assert_int_equal(keystore_rewrap(f->ks), -1);
}

static void
test_rewrap(void **state)
{
	struct fixture *f = *state;
	enum { N = 150 }; /* more than one batch */
	struct data_key *k = calloc(N, sizeof(*k)), again;
	char owner[32], err[512];
	uint32_t v;
	int i;

	assert_non_null(k);
	for (i = 0; i < N; i++) {
		owner_name(owner, sizeof(owner), "subject", i);
		assert_int_equal(keystore_get(f->ks, owner, 1, &k[i]), 0);
	}
	assert_int_equal(keystore_destroy(f->ks, "subject:5", 1), 0);
	/* Nothing to do while version 1 is current. */
	assert_int_equal(keystore_rewrap(f->ks), 0);
	assert_int_equal(keyring_add_version(f->master, &v, err, sizeof(err)),
	    0);
	assert_int_equal(keyring_reload(f->kr, err, sizeof(err)), 0);
	assert_int_equal(keystore_count_version(f->ks, 1), N - 1);
	assert_int_equal(keystore_rewrap(f->ks), N - 1);
	assert_int_equal(keystore_count_version(f->ks, 1), 0);
	assert_int_equal(keystore_count_version(f->ks, 2), N - 1);
	assert_int_equal(keystore_rewrap(f->ks), 0);
	/* Version 1 retired: the same keys come back under version 2. */
	assert_int_equal(keyring_retire_version(f->master, 1, err, sizeof(err)),
	    0);
	assert_int_equal(keyring_reload(f->kr, err, sizeof(err)), 0);
	for (i = 0; i < N; i++) {
		owner_name(owner, sizeof(owner), "subject", i);
		if (i == 5) {
			assert_int_equal(keystore_get(f->ks, owner, 1, &again),
			    1);
			continue;
		}
		assert_int_equal(keystore_get(f->ks, owner, 0, &again), 0);
		assert_memory_equal(k[i].k, again.k, KEY_BYTES);
	}
	/* New keys go under the current version. */
	assert_int_equal(keystore_get(f->ks, "subject:new", 1, &again), 0);
	assert_int_equal(keystore_count_version(f->ks, 2), N);
	free(k);
}

struct reader {
	struct keystore *ks;
	const struct data_key *want;
	atomic_int *stop;
	long reads;
	long failures;
};

static void *
read_loop(void *arg)
{
	struct reader *r = arg;
	struct data_key k;
	char owner[32];
	int i = 0;

	while (!atomic_load(r->stop)) {
		owner_name(owner, sizeof(owner), "subject", i);
		if (keystore_get(r->ks, owner, 0, &k) != 0 ||
		    sodium_memcmp(k.k, r->want[i].k, KEY_BYTES) != 0)
			r->failures++;
		r->reads++;
		i = (i + 1) % OWNERS;
	}
	return NULL;
}

struct creator {
	struct keystore *ks;
	atomic_int *stop;
	int made;
	int failures;
	struct data_key keys[200];
};

static void *
create_loop(void *arg)
{
	struct creator *c = arg;
	char owner[32];

	while (!atomic_load(c->stop) &&
	    c->made < (int)(sizeof(c->keys) / sizeof(c->keys[0]))) {
		owner_name(owner, sizeof(owner), "new", c->made);
		if (keystore_get(c->ks, owner, 1, &c->keys[c->made]) != 0)
			c->failures++;
		c->made++;
		usleep(2000); /* a pace, not a flood of commits */
	}
	return NULL;
}

static void
test_reads_during_rotation(void **state)
{
	struct fixture *f = *state;
	struct data_key want[OWNERS], k;
	struct keyring *kr2, *kr3;
	struct keystore *ks2, *ks3;
	struct reader r[2];
	struct creator *c = calloc(1, sizeof(*c));
	atomic_int stop = 0;
	pthread_t t[3];
	char owner[32], err[512];
	int i;

	assert_non_null(c);
	for (i = 0; i < OWNERS; i++) {
		owner_name(owner, sizeof(owner), "subject", i);
		assert_int_equal(keystore_get(f->ks, owner, 1, &want[i]), 0);
	}
	/* One reader shares the rotating keyring; the other reader and the
	 * creator have their own, never reloaded by hand, as another
	 * process would. */
	assert_int_equal(keyring_load(f->master, &kr2, err, sizeof(err)), 0);
	assert_int_equal(keystore_open(f->db, kr2, 5000, &ks2, err,
			     sizeof(err)),
	    0);
	assert_int_equal(keyring_load(f->master, &kr3, err, sizeof(err)), 0);
	assert_int_equal(keystore_open(f->db, kr3, 5000, &ks3, err,
			     sizeof(err)),
	    0);
	r[0] = (struct reader){ f->ks, want, &stop, 0, 0 };
	r[1] = (struct reader){ ks2, want, &stop, 0, 0 };
	c->ks = ks3;
	c->stop = &stop;
	pthread_create(&t[0], NULL, read_loop, &r[0]);
	pthread_create(&t[1], NULL, read_loop, &r[1]);
	pthread_create(&t[2], NULL, create_loop, c);
	for (i = 0; i < 5; i++) {
		rotate(f);
		usleep(20000);
	}
	atomic_store(&stop, 1);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(keyring_current(f->kr), 6);
	assert_true(r[0].reads > 0);
	assert_true(r[1].reads > 0);
	assert_int_equal(r[0].failures, 0);
	assert_int_equal(r[1].failures, 0);
	assert_int_equal(c->failures, 0);
	/* No key was left under a retired version: every key made by the
	 * stale creator reads back, the same, through the current one. */
	assert_true(c->made > 0);
	rotate(f);
	for (i = 0; i < c->made; i++) {
		owner_name(owner, sizeof(owner), "new", i);
		assert_int_equal(keystore_get(f->ks, owner, 0, &k), 0);
		assert_memory_equal(k.k, c->keys[i].k, KEY_BYTES);
	}
	assert_int_equal(keystore_count_version(f->ks, 7), OWNERS + c->made);
	keystore_free(ks3);
	keyring_free(kr3);
	keystore_free(ks2);
	keyring_free(kr2);
	free(c);
}

static void
test_stale_keyring_creates_under_newer(void **state)
{
	struct fixture *f = *state;
	struct keyring *old;
	struct keystore *ks;
	struct data_key k, again;
	char err[512];

	/* A process loaded version 1 only, then another rotated. */
	assert_int_equal(keystore_get(f->ks, "subject:1", 1, &k), 0);
	assert_int_equal(keyring_load(f->master, &old, err, sizeof(err)), 0);
	assert_int_equal(keystore_open(f->db, old, 5000, &ks, err, sizeof(err)),
	    0);
	assert_int_equal(rotate(f), 1);
	assert_int_equal(keyring_current(old), 1);
	/* Its new key does not go under the retired version 1. */
	assert_int_equal(keystore_get(ks, "subject:2", 1, &k), 0);
	assert_int_equal(keyring_current(old), 2);
	assert_int_equal(keystore_count_version(f->ks, 1), 0);
	assert_int_equal(keystore_count_version(f->ks, 2), 2);
	assert_int_equal(keystore_get(f->ks, "subject:2", 0, &again), 0);
	assert_memory_equal(k.k, again.k, KEY_BYTES);
	keystore_free(ks);
	keyring_free(old);
}

static void
test_wrong_master_file_creates_nothing(void **state)
{
	struct fixture *f = *state;
	struct keyring *other;
	struct keystore *ks;
	struct data_key k;
	char err[512], path[160];

	/* Keys exist under version 2; a keyring whose file tops at 1 (the
	 * wrong file) must not add keys it could lose. */
	assert_int_equal(keystore_get(f->ks, "subject:1", 1, &k), 0);
	rotate(f);
	snprintf(path, sizeof(path), "%s/other.key", f->dir);
	assert_int_equal(keyring_create(path, err, sizeof(err)), 0);
	assert_int_equal(keyring_load(path, &other, err, sizeof(err)), 0);
	assert_int_equal(keystore_open(f->db, other, 5000, &ks, err,
			     sizeof(err)),
	    0);
	assert_int_equal(keystore_get(ks, "subject:2", 1, &k), -1);
	assert_int_equal(keystore_get(ks, "subject:2", 0, &k), 1);
	keystore_free(ks);
	keyring_free(other);
}

/*
 * Keys that other processes add (each closing connection checkpoints and
 * removes the WAL) are seen by this process's open keystore. The server
 * once lost this (opening the keystore opened and closed its files, which
 * dropped the process's SQLite locks); test_identity's account created
 * while the server runs is what caught it.
 */
static void
test_sees_keys_of_other_processes(void **state)
{
	struct fixture *f = *state;
	struct data_key k, seen;
	pid_t pid;
	int status, round;

	assert_int_equal(keystore_get(f->ks, "subject:first", 1, &k), 0);
	/* Two processes one after the other, as two `creneau user add`
	 * would: the first removes the WAL on exit, the second starts a new
	 * one and removes it too. */
	for (round = 0; round < 2; round++) {
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			struct keyring *kr = NULL;
			struct keystore *ks = NULL;
			char err[256];
			struct data_key x;

			if (keyring_load(f->master, &kr, err, sizeof(err)) !=
				0 ||
			    keystore_open(f->db, kr, 5000, &ks, err,
				sizeof(err)) != 0 ||
			    keystore_get(ks,
				round ? "subject:second" : "subject:between", 1,
				&x) != 0)
				_exit(1);
			keystore_free(ks);
			keyring_free(kr);
			_exit(0);
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(keystore_get(f->ks, "subject:second", 0, &seen), 0);
	assert_int_equal(keystore_get(f->ks, "subject:first", 0, &seen), 0);
	assert_memory_equal(seen.k, k.k, sizeof(k.k));
}

/*
 * A keystore readable by group or others is refused with one line, as the
 * master key file is (not quietly repaired); a master key that does not
 * open the keystore's keys is named as such, without a log line per key.
 */
static void
test_open_refuses_open_mode_and_wrong_master(void **state)
{
	struct fixture *f = *state;
	struct keyring *other;
	struct keystore *ks;
	struct data_key k;
	char err[512], path[160];

	assert_int_equal(keystore_get(f->ks, "system:audit", 1, &k), 0);
	assert_int_equal(keystore_check_master(f->ks, err, sizeof(err)), 0);
	keystore_free(f->ks);
	f->ks = NULL;
	assert_int_equal(chmod(f->db, 0644), 0);
	assert_int_equal(keystore_open(f->db, f->kr, 5000, &ks, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "mode 644"));
	assert_non_null(strstr(err, f->db));
	assert_null(strchr(err, '\n'));
	assert_int_equal(chmod(f->db, 0600), 0);

	snprintf(path, sizeof(path), "%s/other.key", f->dir);
	assert_int_equal(keyring_create(path, err, sizeof(err)), 0);
	assert_int_equal(keyring_load(path, &other, err, sizeof(err)), 0);
	assert_int_equal(keystore_open(f->db, other, 5000, &ks, err,
			     sizeof(err)),
	    0);
	assert_int_equal(keystore_check_master(ks, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "does not open"));
	keystore_free(ks);
	keyring_free(other);
	assert_int_equal(keystore_open(f->db, f->kr, 5000, &f->ks, err,
			     sizeof(err)),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_open_refuses_open_mode_and_wrong_master, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_create_and_get, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_concurrent_create_same_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_batch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_sees_keys_of_other_processes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_holds_no_plain_key,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrapped_key_bound_to_owner,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rewrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reads_during_rotation,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stale_keyring_creates_under_newer, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_wrong_master_file_creates_nothing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
