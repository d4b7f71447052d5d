/*
 * test_restore.c - `creneau backup` and `creneau restore` against the real
 * binary, on SQLite and on PostgreSQL (CRENEAU_TEST_STORE): a backup made
 * while the server runs, a person erased after it, the database damaged
 * (a table dropped); a tampered backup is refused and changes nothing, a
 * restore refuses a database in use (and, on PostgreSQL, one holding
 * records unless --replace); the restore brings the data back, and the
 * person erased after the backup stays unreadable in the restored copy
 * (their key is gone from the keystore, which no backup holds).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "auth/auth.h"
#include "client.h"
#include "harness.h"

#define CAND_EMAIL "louise.martin@restore-test.example"
#define CAND_PW "cuivre Marée lanterne 12 dune claire"
#define DPO_EMAIL "dpo@restore-test.example"
#define DPO_PW "ardoise Vallon comète 3 brume douce"

static struct proc srv;
static char store_env[400];
static char cand_temp[64], dpo_temp[64];

static int
run(const char *const *args, char *out, size_t outlen)
{
	const char *env[] = { store_env, NULL };

	return harness_run(args, env, out, outlen);
}

static int
user_add(const char *email, const char *role, char temp[64])
{
	const char *args[] = { "user", "add", "--org", AUTH_PEOPLE_ORG,
		"--email", email, "--name", "Louise Martin", "--role", role,
		NULL };
	char buf[1024];
	const char *t;

	if (run(args, buf, sizeof(buf)) != 0 ||
	    (t = strstr(buf, "temporary password ")) == NULL) {
		fprintf(stderr, "user add: %s\n", buf);
		return -1;
	}
	return sscanf(t + 19, "%63s", temp) == 1 ? 0 : -1;
}

static int
setup(void **state)
{
	static const char *const demo[] = { "demo-data", NULL };
	char buf[1024];

	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&srv, 0, sizeof(srv));
	if (harness_tmpdir(&srv) != 0)
		return -1;
	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s", srv.db);
	if (run(demo, buf, sizeof(buf)) != 0 ||
	    user_add(CAND_EMAIL, "candidate", cand_temp) != 0 ||
	    user_add(DPO_EMAIL, "dpo", dpo_temp) != 0)
		return -1;
	return harness_start(&srv, NULL, 0);
}

static int
teardown(void **state)
{
	(void)state;
	harness_stop(&srv, SIGTERM);
	harness_cleanup(&srv);
	curl_global_cleanup();
	return 0;
}

/* Whether the file at path holds the bytes of s anywhere. */
static int
file_holds(const char *path, const char *s)
{
	FILE *f = fopen(path, "rb");
	size_t n = strlen(s), got;
	char *buf;
	long size;
	int found = 0;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
		if (f)
			fclose(f);
		return -1;
	}
	rewind(f);
	buf = malloc((size_t)size + 1);
	got = buf ? fread(buf, 1, (size_t)size, f) : 0;
	fclose(f);
	if (buf != NULL && got >= n)
		for (size_t i = 0; i + n <= got && !found; i++)
			found = memcmp(buf + i, s, n) == 0;
	free(buf);
	return found;
}

/* Copies src to dst with the byte at the middle flipped. */
static int
tampered_copy(const char *src, const char *dst)
{
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	long size, i;
	int ch;

	if (in == NULL || out == NULL || fseek(in, 0, SEEK_END) != 0 ||
	    (size = ftell(in)) < 2) {
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		return -1;
	}
	rewind(in);
	for (i = 0; (ch = fgetc(in)) != EOF; i++)
		fputc(i == size / 2 ? ch ^ 0x20 : ch, out);
	fclose(in);
	return fclose(out);
}

/*
 * Restores file into a new, empty PostgreSQL database (its keystore the
 * test server's: the one the backup was made with) without --replace,
 * and finds the accounts there.
 */
static void
restore_into_empty(const char *file)
{
	char mine[5][600], other[5][600], empty[330], out[4096];
	const char *args[] = { "restore", file, NULL };
	const char *env[7];
	int i;

	snprintf(empty, sizeof(empty), "%s/empty.db", srv.dir);
	assert_int_equal(harness_pg_env(srv.db, mine), 0);
	assert_int_equal(harness_pg_env(empty, other), 0);
	env[0] = store_env; /* the key files' directory */
	for (i = 0; i < 3; i++)
		env[1 + i] = other[i]; /* driver, URL, password */
	env[4] = mine[3]; /* the keystore */
	env[5] = mine[4];
	env[6] = NULL;
	assert_int_equal(harness_run(args, env, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "restored"));
	assert_int_equal(harness_store_exec(empty,
			     "SELECT 1 / count(*) FROM accounts"),
	    0);
	harness_pg_drop(empty);
}

static void
test_backup_damage_restore(void **state)
{
	struct client cand, dpo, again;
	char file[400], bad[420], out[4096], path[128];
	const char *backup[] = { "backup", file, NULL };
	const char *restore[] = { "restore", file, NULL };
	const char *replace[] = { "restore", "--replace", file, NULL };
	const char *replace_bad[] = { "restore", "--replace", bad, NULL };
	const char *verify[] = { "audit", "verify", NULL };
	const char *drop = harness_pg()
	    ? "DROP TABLE accounts CASCADE"
	    : "PRAGMA foreign_keys = OFF; DROP TABLE accounts";

	(void)state;
	client_init(&cand, srv.port);
	client_init(&dpo, srv.port);
	client_init(&again, srv.port);
	assert_int_equal(client_onboard(&cand, CAND_EMAIL, cand_temp, CAND_PW,
			     0),
	    0);
	assert_int_equal(client_onboard(&dpo, DPO_EMAIL, dpo_temp, DPO_PW, 1),
	    0);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/accounts",
	    AUTH_PEOPLE_ORG);

	/* An online backup, while the server runs: encrypted (no address
	 * in clear), in the one format of both stores. */
	snprintf(file, sizeof(file), "%s/manual.backup", srv.dir);
	snprintf(bad, sizeof(bad), "%s/tampered.backup", srv.dir);
	assert_int_equal(run(backup, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "backup written"));
	assert_int_equal(file_holds(file, "CRENEAU-BACKUP"), 1);
	assert_int_equal(file_holds(file, DPO_EMAIL), 0);
	assert_int_equal(file_holds(file, "CRENEAU-PGSQL"), 0);

	/* The candidate is erased after the backup: their key goes. */
	assert_int_equal(client_call(&cand, "POST", "/api/v1/me/erasure",
			     "{\"password\":\"" CAND_PW "\"}"),
	    200);

	/* A restore under a running server is refused. */
	assert_int_equal(run(replace, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "in use"));
	assert_int_equal(harness_stop(&srv, SIGTERM), 0);

	/* The damage: a table gone. */
	assert_int_equal(harness_store_exec(srv.db, drop), 0);

	/* A tampered backup is refused, and changes nothing. */
	assert_int_equal(tampered_copy(file, bad), 0);
	assert_int_equal(run(replace_bad, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "does not decrypt"));
	assert_int_not_equal(harness_store_exec(srv.db,
				 "SELECT count(*) FROM accounts"),
	    0);

	/* PostgreSQL loads into a database: one holding records is only
	 * replaced when asked. */
	if (harness_pg()) {
		assert_int_equal(run(restore, out, sizeof(out)), 1);
		assert_non_null(strstr(out, "--replace"));
	}
	assert_int_equal(run(replace, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "restored"));
	assert_int_equal(harness_store_exec(srv.db,
			     "SELECT count(*) FROM accounts"),
	    0);
	/* New rows get ids past the restored ones (the demo's centres). */
	assert_int_equal(harness_store_exec(srv.db,
			     "INSERT INTO exam_centres (name, department,"
			     " address, created_at) VALUES ('Centre neuf',"
			     " '75', '1 rue Neuve', 0)"),
	    0);

	/* The restored trail verifies, the restore its first new entry. */
	assert_int_equal(run(verify, out, sizeof(out)), 0);
	/* PostgreSQL: into an empty database, no --replace needed. */
	if (harness_pg())
		restore_into_empty(file);

	/* The data is back: the DPO's session of before the backup still
	 * works and sees their own account. */
	srv.pid = 0;
	assert_int_equal(harness_start(&srv, NULL, 0), 0);
	assert_int_equal(client_call(&dpo, "GET", path, NULL), 200);
	assert_non_null(strstr(dpo.body, DPO_EMAIL));
	/* The candidate erased after the backup is in the restored rows,
	 * sealed under a key that no longer exists: unreadable, and they
	 * cannot sign in. */
	assert_null(strstr(dpo.body, CAND_EMAIL));
	assert_int_equal(client_call(&again, "POST", "/api/v1/session",
			     "{\"email\":\"" CAND_EMAIL
			     "\",\"password\":\"" CAND_PW "\"}"),
	    401);
	client_free(&cand);
	client_free(&dpo);
	client_free(&again);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_damage_restore),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
