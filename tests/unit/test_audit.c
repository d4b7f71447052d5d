/* test_audit.c - src/audit/audit.c: chaining, tamper detection, purge with
 * signed checkpoints, atomicity with the change recorded, sealing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "audit/audit.h"
#include "crypto/field.h"
#include "store/driver.h"
#include "unit.h"

#define DAY_MS (24LL * 3600 * 1000)

struct fx {
	char dir[64], path[128], keypath[128];
	struct store *st;
	struct data_key key;
	unsigned char sk[64], pk[32];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct store_config c = { "sqlite", f->path, 5000, STORE_SCHEMA_MAIN };
	char err[256];
	int a, b;

	*state = f;
	if (sodium_init() < 0 || unit_tmpdir(f->dir, sizeof(f->dir)) != 0)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/a.db", f->dir);
	snprintf(f->keypath, sizeof(f->keypath), "%s/sign.key", f->dir);
	f->st = store_open(&c, err, sizeof(err));
	if (f->st == NULL ||
	    store_migrate(f->st, &a, &b, err, sizeof(err)) != 0)
		return -1;
	randombytes_buf(f->key.k, sizeof(f->key.k));
	return audit_signing_key(f->keypath, 1, f->sk, f->pk, err, sizeof(err));
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	store_free(f->st);
	unit_rmdir(f->dir);
	free(f);
	return 0;
}

/* Appends n entries at times start, start + step... */
static void
append_n(struct fx *f, int n, int64_t start, int64_t step)
{
	char actor[32], details[64], ip[32];
	struct audit_entry e;
	int i;

	for (i = 0; i < n; i++) {
		snprintf(actor, sizeof(actor), "acct-%d-zq", i + 1);
		snprintf(details, sizeof(details), "{\"note\":\"secret-%d\"}",
		    i);
		snprintf(ip, sizeof(ip), "198.51.100.%d", i + 1);
		memset(&e, 0, sizeof(e));
		e.actor = actor;
		e.action = "test.change";
		e.target_type = "thing";
		e.target_ids = "7,8";
		e.org = "org-1";
		e.ip = ip;
		e.request_id = "req";
		e.outcome = AUDIT_SUCCESS;
		e.details = details;
		assert_int_equal(audit_record(f->st, &f->key,
				     start + (int64_t)i * step, &e),
		    0);
	}
}

static int
verify(struct fx *f, struct audit_verify_result *r)
{
	return audit_verify(f->st, f->pk, r);
}

/* Runs SQL straight on the file, as someone with access to it would. */
static void
raw_sql(struct fx *f, const char *sql)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static void
test_chain_verifies(void **state)
{
	struct fx *f = *state;
	struct audit_verify_result r;

	assert_int_equal(verify(f, &r), 0); /* empty trail */
	append_n(f, 5, 1000, 1000);
	assert_int_equal(verify(f, &r), 0);
	assert_int_equal(r.checked, 5);
}

static void
test_store_refuses_update_and_delete(void **state)
{
	struct fx *f = *state;
	const struct store_driver *d = store_drv(f->st);

	append_n(f, 2, 1000, 1000);
	assert_int_equal(d->exec(store_conn(f->st),
			     "UPDATE audit_log SET actor = 'x' WHERE seq = 1",
			     NULL, 0, NULL, NULL),
	    -1);
	assert_int_equal(d->exec(store_conn(f->st),
			     "DELETE FROM audit_log WHERE seq = 1", NULL, 0,
			     NULL, NULL),
	    -1);
}

static void
expect_bad(struct fx *f, int64_t seq, const char *words)
{
	struct audit_verify_result r;

	assert_int_equal(verify(f, &r), 1);
	if (r.first_bad != seq || strstr(r.reason, words) == NULL)
		fail_msg("expected entry %" PRId64 " (%s), got %" PRId64 ": %s",
		    seq, words, r.first_bad, r.reason);
}

static void
test_altered_entry_named(void **state)
{
	struct fx *f = *state;

	append_n(f, 5, 1000, 1000);
	raw_sql(f,
	    "DROP TRIGGER audit_log_no_update;"
	    "UPDATE audit_log SET actor = 'acct-9-zq' WHERE seq = 3");
	expect_bad(f, 3, "altered");
}

static void
test_deleted_entry_named(void **state)
{
	struct fx *f = *state;

	append_n(f, 5, 1000, 1000);
	raw_sql(f,
	    "DROP TRIGGER audit_log_no_delete;"
	    "DELETE FROM audit_log WHERE seq = 3");
	expect_bad(f, 3, "missing");
}

static void
test_reordered_entries_named(void **state)
{
	struct fx *f = *state;

	append_n(f, 5, 1000, 1000);
	/* Swap the contents of entries 2 and 4, keeping the numbering. */
	raw_sql(f,
	    "DROP TRIGGER audit_log_no_update;"
	    "UPDATE audit_log SET seq = -2 WHERE seq = 2;"
	    "UPDATE audit_log SET seq = 2 WHERE seq = 4;"
	    "UPDATE audit_log SET seq = 4 WHERE seq = -2;");
	expect_bad(f, 2, "link");
}

static void
test_truncated_tail_named(void **state)
{
	struct fx *f = *state;

	append_n(f, 5, 1000, 1000);
	raw_sql(f,
	    "DROP TRIGGER audit_log_no_delete;"
	    "DELETE FROM audit_log WHERE seq >= 4");
	expect_bad(f, 4, "missing");
}

/* Flips one byte of the raw database file where needle first occurs. */
static void
flip_in_file(struct fx *f, const void *needle, size_t n)
{
	int fd = open(f->path, O_RDWR);
	struct stat sb;
	unsigned char *buf;
	size_t i;

	/* Everything in the main file, nothing left in the WAL. */
	assert_int_equal(store_maintain(f->st), 0);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &sb), 0);
	buf = malloc((size_t)sb.st_size);
	assert_int_equal(pread(fd, buf, (size_t)sb.st_size, 0), sb.st_size);
	for (i = 0; i + n <= (size_t)sb.st_size; i++)
		if (memcmp(buf + i, needle, n) == 0)
			break;
	assert_true(i + n <= (size_t)sb.st_size);
	buf[i + n / 2] ^= 0x01;
	assert_int_equal(pwrite(fd, buf + i + n / 2, 1, (off_t)(i + n / 2)), 1);
	close(fd);
	free(buf);
}

static void
test_byte_flip_in_file_detected(void **state)
{
	struct fx *f = *state;
	struct audit_verify_result r;
	struct store_config c = { "sqlite", f->path, 5000, STORE_SCHEMA_MAIN };
	char err[128];

	append_n(f, 5, 1000, 1000);
	flip_in_file(f, "acct-4-zq", 9);
	/* A fresh connection reads the altered page. */
	store_free(f->st);
	f->st = store_open(&c, err, sizeof(err));
	assert_non_null(f->st);
	assert_int_not_equal(verify(f, &r), 0);
	assert_int_equal(r.first_bad, 4);
}

static void
test_sealed_members(void **state)
{
	struct fx *f = *state;
	char *hay;
	FILE *fp;
	long n;

	append_n(f, 3, 1000, 1000);
	assert_int_equal(store_maintain(f->st), 0);
	fp = fopen(f->path, "rb");
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	hay = malloc((size_t)n);
	assert_int_equal(fread(hay, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	/* The details and IPs are not in the file in clear. */
	assert_null(memmem(hay, (size_t)n, "secret-1", 8));
	assert_null(memmem(hay, (size_t)n, "198.51.100.2", 12));
	free(hay);
}

struct opened {
	const struct data_key *key;
	int ok;
};

static int
open_row(void *arg, const struct audit_row *row)
{
	struct opened *o = arg;
	char *pt;
	size_t n;

	if (audit_open_sealed(o->key, row, "details", &pt, &n) == 0) {
		o->ok += strstr(pt, "secret-") != NULL;
		field_free(pt, n);
	}
	if (audit_open_sealed(o->key, row, "ip", &pt, &n) == 0) {
		o->ok += strncmp(pt, "198.51.100.", 11) == 0;
		field_free(pt, n);
	}
	return 0;
}

static void
test_sealed_members_open_with_key(void **state)
{
	struct fx *f = *state;
	struct audit_filter flt;
	struct opened o = { &f->key, 0 };

	append_n(f, 3, 1000, 1000);
	memset(&flt, 0, sizeof(flt));
	assert_int_equal(store_audit_scan(f->st, &flt, open_row, &o), 0);
	assert_int_equal(o.ok, 6);
}

struct change {
	struct fx *f;
	int fail;
};

static int
change_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct change *ch = arg;
	struct audit_entry e;

	if (store_job_record(st, "audited-change", 1, 2, "ok") != 0)
		return -1;
	memset(&e, 0, sizeof(e));
	e.action = "job.record";
	e.outcome = AUDIT_SUCCESS;
	if (audit_append(st, c, &ch->f->key, 5, &e, NULL) != 0)
		return -1;
	return ch->fail ? -1 : 0;
}

static void
test_change_and_entry_commit_together(void **state)
{
	struct fx *f = *state;
	struct change ch = { f, 1 };
	struct audit_verify_result r;
	int64_t at;

	assert_int_not_equal(store_tx(f->st, 1, change_tx, &ch), 0);
	assert_int_equal(store_job_last_start(f->st, "audited-change", &at), 1);
	assert_int_equal(verify(f, &r), 0);
	assert_int_equal(r.checked, 0);
	ch.fail = 0;
	assert_int_equal(store_tx(f->st, 1, change_tx, &ch), 0);
	assert_int_equal(store_job_last_start(f->st, "audited-change", &at), 0);
	assert_int_equal(verify(f, &r), 0);
	assert_int_equal(r.checked, 1);
}

static void
test_purge_keeps_chain_verifiable(void **state)
{
	struct fx *f = *state;
	struct audit_verify_result r;
	unsigned char other_pk[32], other_sk[64];

	append_n(f, 10, 0, DAY_MS); /* days 0..9 */
	/* Remove what is older than day 4: entries 1-4. */
	assert_int_equal(audit_purge(f->st, &f->key, f->sk, 4 * DAY_MS,
			     20 * DAY_MS),
	    4);
	assert_int_equal(verify(f, &r), 0);
	assert_int_equal(r.checked, 7); /* 5..10 and the purge entry */
	/* Nothing more to remove: idempotent, no new entry. */
	assert_int_equal(audit_purge(f->st, &f->key, f->sk, 4 * DAY_MS,
			     21 * DAY_MS),
	    0);
	assert_int_equal(verify(f, &r), 0);
	assert_int_equal(r.checked, 7);
	/* A checkpoint is only as good as its signature. */
	crypto_sign_keypair(other_pk, other_sk);
	assert_int_equal(audit_verify(f->st, other_pk, &r), 1);
	assert_non_null(strstr(r.reason, "signature"));
	assert_int_equal(audit_verify(f->st, NULL, &r), 1);
	/* Forging the checkpoint to hide more deletions fails. */
	raw_sql(f,
	    "DROP TRIGGER audit_log_no_delete;"
	    "DELETE FROM audit_log WHERE seq = 5;"
	    "DROP TRIGGER audit_checkpoints_no_update;"
	    "UPDATE audit_checkpoints SET last_seq = 5");
	assert_int_equal(verify(f, &r), 1);
}

struct racer {
	struct fx *f;
	int ok;
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	struct audit_entry e;
	int i;

	memset(&e, 0, sizeof(e));
	e.action = "test.race";
	e.outcome = AUDIT_SUCCESS;
	for (i = 0; i < 50; i++)
		r->ok += audit_record(r->f->st, &r->f->key, i, &e) == 0;
	return NULL;
}

static void
test_concurrent_appends_never_fork(void **state)
{
	struct fx *f = *state;
	pthread_t t[4];
	struct racer r[4];
	struct audit_verify_result v;
	int i, sum = 0;

	for (i = 0; i < 4; i++) {
		r[i].f = f;
		r[i].ok = 0;
		pthread_create(&t[i], NULL, race, &r[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		sum += r[i].ok;
	}
	assert_int_equal(sum, 200);
	assert_int_equal(verify(f, &v), 0);
	assert_int_equal(v.checked, 200);
}

static void
test_signing_key_file(void **state)
{
	struct fx *f = *state;
	unsigned char sk[64], pk[32];
	char err[256];

	/* Reading back gives the same pair. */
	assert_int_equal(audit_signing_key(f->keypath, 0, sk, pk, err,
			     sizeof(err)),
	    0);
	assert_memory_equal(pk, f->pk, 32);
	chmod(f->keypath, 0644);
	assert_int_equal(audit_signing_key(f->keypath, 0, sk, pk, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "signing_key_file"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_chain_verifies),
		T(test_store_refuses_update_and_delete),
		T(test_altered_entry_named),
		T(test_deleted_entry_named),
		T(test_reordered_entries_named),
		T(test_truncated_tail_named),
		T(test_byte_flip_in_file_detected),
		T(test_sealed_members),
		T(test_sealed_members_open_with_key),
		T(test_change_and_entry_commit_together),
		T(test_purge_keeps_chain_verifiable),
		T(test_concurrent_appends_never_fork),
		T(test_signing_key_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
