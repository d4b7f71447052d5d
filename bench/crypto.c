/*
 * crypto.c (bench) - throughput of field encryption, blind indexes and
 * data key reads, for sizing: how much a request pays to seal, open and
 * search personal data. Not a test: it prints figures and checks only
 * that each operation succeeds.
 *
 * Run with `make bench-crypto`. Each figure runs for about BENCH_SECONDS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/field.h"
#include "crypto/keyring.h"
#include "crypto/keystore.h"

#define BENCH_SECONDS 1.0
#define BENCH_OWNERS 1000

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Calls fn(arg) until BENCH_SECONDS have passed. Returns operations per
 * second, or -1 if fn failed. */
static double
measure(int (*fn)(void *arg, long i), void *arg)
{
	double start = now_s(), t;
	long n = 0, i;

	for (;;) {
		for (i = 0; i < 256; i++, n++)
			if (fn(arg, n) != 0)
				return -1;
		t = now_s() - start;
		if (t >= BENCH_SECONDS)
			return (double)n / t;
	}
}

struct field_arg {
	struct data_key key;
	unsigned char *pt;
	size_t len;
	unsigned char *ct;
	size_t ctlen;
};

static int
do_seal(void *arg, long i)
{
	struct field_arg *a = arg;
	unsigned char *ct;
	size_t n;

	(void)i;
	if (field_seal(&a->key, 1, "people", "name", "42", a->pt, a->len, &ct,
		&n) != 0)
		return -1;
	free(ct);
	return 0;
}

static int
do_open(void *arg, long i)
{
	struct field_arg *a = arg;
	char *pt;
	size_t n;

	(void)i;
	if (field_open(&a->key, "people", "name", "42", a->ct, a->ctlen, &pt,
		&n) != 0)
		return -1;
	field_free(pt, n);
	return 0;
}

static int
do_index(void *arg, long i)
{
	struct field_arg *a = arg;
	char out[BLIND_INDEX_HEX];

	(void)i;
	return field_blind_index(&a->key, "people", "email", a->pt, a->len,
	    out);
}

static int
do_get(void *arg, long i)
{
	struct keystore *ks = arg;
	struct data_key k;
	char owner[32];
	int r;

	snprintf(owner, sizeof(owner), "subject:%ld", i % BENCH_OWNERS);
	r = keystore_get(ks, owner, 0, &k);
	sodium_memzero(&k, sizeof(k));
	return r;
}

static void
report(const char *what, size_t bytes, double ops)
{
	if (bytes > 0)
		printf("%-26s %12.0f ops/s %10.1f MB/s\n", what, ops,
		    ops * (double)bytes / 1e6);
	else
		printf("%-26s %12.0f ops/s\n", what, ops);
}

static int
bench_fields(void)
{
	static const size_t sizes[] = { 16, 64, 1024 };
	struct field_arg a;
	char name[64];
	double ops;
	size_t i;

	randombytes_buf(a.key.k, sizeof(a.key.k));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		a.len = sizes[i];
		if ((a.pt = malloc(a.len)) == NULL)
			return -1;
		randombytes_buf(a.pt, a.len);
		if (field_seal(&a.key, 1, "people", "name", "42", a.pt, a.len,
			&a.ct, &a.ctlen) != 0)
			return -1;
		snprintf(name, sizeof(name), "field_seal %zu B", a.len);
		if ((ops = measure(do_seal, &a)) < 0)
			return -1;
		report(name, a.len, ops);
		snprintf(name, sizeof(name), "field_open %zu B", a.len);
		if ((ops = measure(do_open, &a)) < 0)
			return -1;
		report(name, a.len, ops);
		free(a.ct);
		free(a.pt);
	}
	a.pt = (unsigned char *)"zoe.dupont@example.org";
	a.len = strlen((const char *)a.pt);
	if ((ops = measure(do_index, &a)) < 0)
		return -1;
	report("field_blind_index 22 B", 0, ops);
	return 0;
}

static int
bench_keystore(void)
{
	char dir[] = "/tmp/creneau-bench-XXXXXX", master[128], db[128];
	char err[512], owner[32], cmd[160];
	struct keyring *kr = NULL;
	struct keystore *ks = NULL;
	struct data_key k;
	double ops;
	int i, rc = -1;

	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(master, sizeof(master), "%s/master.key", dir);
	snprintf(db, sizeof(db), "%s/keys.db", dir);
	if (keyring_create(master, err, sizeof(err)) != 0 ||
	    keyring_load(master, &kr, err, sizeof(err)) != 0 ||
	    keystore_open(db, kr, 5000, &ks, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench: %s\n", err);
		goto done;
	}
	for (i = 0; i < BENCH_OWNERS; i++) {
		snprintf(owner, sizeof(owner), "subject:%d", i);
		if (keystore_get(ks, owner, 1, &k) != 0)
			goto done;
	}
	sodium_memzero(&k, sizeof(k));
	if ((ops = measure(do_get, ks)) < 0)
		goto done;
	snprintf(cmd, sizeof(cmd), "keystore_get (%d keys)", BENCH_OWNERS);
	report(cmd, 0, ops);
	rc = 0;
done:
	keystore_free(ks);
	keyring_free(kr);
	unlink(db);
	snprintf(cmd, sizeof(cmd), "%s-wal", db);
	unlink(cmd);
	snprintf(cmd, sizeof(cmd), "%s-shm", db);
	unlink(cmd);
	unlink(master);
	rmdir(dir);
	return rc;
}

int
main(void)
{
	if (sodium_init() < 0) {
		fprintf(stderr, "bench: libsodium failed to initialise\n");
		return 1;
	}
	if (bench_fields() != 0 || bench_keystore() != 0) {
		fprintf(stderr, "bench: an operation failed\n");
		return 1;
	}
	return 0;
}
