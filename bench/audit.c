/*
 * bench/audit.c - audit trail throughput: appends per second (one entry
 * per transaction, as a single audited change commits, and 100 per
 * transaction), and verification speed. A benchmark, not a test: it
 * prints figures and asserts nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/audit.h"
#include "store/driver.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct batch {
	const struct data_key *key;
	int n;
	int64_t t;
};

static int
batch_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct batch *b = arg;
	struct audit_entry e;
	int i;

	memset(&e, 0, sizeof(e));
	e.actor = "acct-bench";
	e.action = "bench.append";
	e.target_type = "slot";
	e.target_ids = "1234";
	e.ip = "203.0.113.9";
	e.outcome = AUDIT_SUCCESS;
	e.details = "{\"from\":\"basket\",\"to\":\"booked\"}";
	for (i = 0; i < b->n; i++)
		if (audit_append(st, c, b->key, b->t++, &e, NULL) != 0)
			return -1;
	return 0;
}

static void
run(struct store *st, const struct data_key *key, int per_tx, const char *label)
{
	struct batch b = { key, per_tx, 0 };
	double t0 = now_s(), t;
	long n = 0;

	do {
		if (store_tx(st, 1, batch_tx, &b) != 0) {
			fprintf(stderr, "bench: append failed\n");
			exit(1);
		}
		n += per_tx;
		t = now_s() - t0;
	} while (t < 2.0);
	printf("%-36s %10.0f entries/s  (%ld in %.2f s)\n", label,
	    (double)n / t, n, t);
}

int
main(void)
{
	char dir[] = "/tmp/creneau-bench-XXXXXX", path[128], err[256];
	struct store_config c = { "sqlite", path, 5000, STORE_SCHEMA_MAIN };
	struct audit_verify_result r;
	struct data_key key;
	struct store *st;
	double t0, t;
	int a, b;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/bench.db", dir);
	st = store_open(&c, err, sizeof(err));
	if (st == NULL || store_migrate(st, &a, &b, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	randombytes_buf(key.k, sizeof(key.k));
	printf("audit trail, SQLite WAL synchronous=FULL, sealed ip+details\n");
	run(st, &key, 1, "append, 1 entry per transaction");
	run(st, &key, 100, "append, 100 entries per transaction");
	t0 = now_s();
	if (audit_verify(st, NULL, &r) != 0) {
		fprintf(stderr, "bench: verify failed: %s\n", r.reason);
		return 1;
	}
	t = now_s() - t0;
	printf("%-36s %10.0f entries/s  (%lld in %.2f s)\n", "verify",
	    (double)r.checked / t, (long long)r.checked, t);
	store_free(st);
	snprintf(err, sizeof(err), "%s/bench.db", dir);
	unlink(err);
	snprintf(err, sizeof(err), "%s/bench.db-wal", dir);
	unlink(err);
	snprintf(err, sizeof(err), "%s/bench.db-shm", dir);
	unlink(err);
	rmdir(dir);
	return 0;
}
