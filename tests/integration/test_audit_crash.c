/*
 * test_audit_crash.c - SIGKILL in the middle of a stream of audited
 * writes: the chain still verifies and every change has its entry, and
 * every entry its change. Repeated, killing at a different moment each
 * time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/audit.h"
#include "harness.h"
#include "store/driver.h"

#define ROUNDS 8

static struct store *
open_db(const char *path)
{
	struct store_config c = { "sqlite", path, 5000, STORE_SCHEMA_MAIN };
	char err[256];
	int a, b;
	struct store *st = store_open(&c, err, sizeof(err));

	if (st != NULL && store_migrate(st, &a, &b, err, sizeof(err)) != 0) {
		store_free(st);
		return NULL;
	}
	return st;
}

struct change {
	const struct data_key *key;
	int64_t n;
};

/* One audited change: a job-run row (a real table) and its entry. */
static int
change_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct change *ch = arg;
	char name[32];
	struct audit_entry e;

	snprintf(name, sizeof(name), "crash-%" PRId64, ch->n);
	if (store_job_record(st, name, ch->n, ch->n, "ok") != 0)
		return -1;
	memset(&e, 0, sizeof(e));
	e.action = "job.record";
	e.target_type = "job";
	e.target_ids = name;
	e.outcome = AUDIT_SUCCESS;
	e.details = "{\"why\":\"crash test\"}";
	return audit_append(st, c, ch->key, ch->n, &e, NULL);
}

static void
writer(const char *path, const struct data_key *key, int64_t start)
{
	struct store *st = open_db(path);
	struct change ch = { key, start };

	if (st == NULL)
		_exit(3);
	for (;;) {
		if (store_tx(st, 1, change_tx, &ch) == 0)
			ch.n++;
	}
}

struct tally {
	struct store *st;
	int64_t entries, matched;
};

static int
check_entry(void *arg, const struct audit_row *row)
{
	struct tally *t = arg;
	int64_t at;

	if (strcmp(row->action, "job.record") != 0)
		return 0;
	t->entries++;
	if (store_job_last_start(t->st, row->target_ids, &at) == 0)
		t->matched++;
	return 0;
}

struct count {
	int64_t n;
};

static int
count_row(void *arg, const struct store_row *r)
{
	((struct count *)arg)->n = store_driver_sqlite.row_int(r, 0);
	return 1;
}

static void
test_sigkill_during_audited_writes(void **state)
{
	struct proc p;
	char path[400];
	struct data_key key;
	struct store *st;
	struct audit_verify_result res;
	struct audit_filter f;
	struct tally t;
	struct count jobs;
	int round, status;
	pid_t pid;
	int64_t done = 0;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_tmpdir(&p), 0);
	snprintf(path, sizeof(path), "%s/crash.db", p.dir);
	randombytes_buf(key.k, sizeof(key.k));
	st = open_db(path);
	assert_non_null(st);
	store_free(st);

	for (round = 0; round < ROUNDS; round++) {
		struct timespec ts = { 0,
			(40 + randombytes_uniform(160)) * 1000000L };

		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			writer(path, &key, 1000000 * (int64_t)(round + 1));
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		assert_true(WIFSIGNALED(status));

		st = open_db(path);
		assert_non_null(st);
		assert_int_equal(store_integrity_check(st), 0);
		assert_int_equal(audit_verify(st, NULL, &res), 0);
		memset(&f, 0, sizeof(f));
		memset(&t, 0, sizeof(t));
		t.st = st;
		assert_int_equal(store_audit_scan(st, &f, check_entry, &t), 0);
		jobs.n = -1;
		assert_int_equal(store_drv(st)->exec(store_conn(st),
				     "SELECT COUNT(*) FROM job_runs WHERE name "
				     "LIKE 'crash-%'",
				     NULL, 0, count_row, &jobs),
		    0);
		/* Every entry has its change, every change its entry. */
		assert_int_equal(t.entries, t.matched);
		assert_int_equal(t.entries, jobs.n);
		assert_true(t.entries >= done);
		done = t.entries;
		store_free(st);
	}
	/* The writers did write. */
	assert_true(done > 0);
	harness_cleanup(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigkill_during_audited_writes),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
