/* test_cmd_keys.c - src/cmd_keys.c: `creneau keys init|rotate|status`
 * run end to end on temporary files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd_keys.h"
#include "crypto/keystore.h"
#include "store/driver.h"
#include "unit.h"

struct fixture {
	char dir[64];
	struct config cfg;
	char out[8192];
	char err[8192];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	*state = f;
	if (f == NULL || sodium_init() < 0 ||
	    unit_tmpdir(f->dir, sizeof(f->dir)) != 0)
		return -1;
	config_defaults(&f->cfg);
	snprintf(f->cfg.master_key_file, sizeof(f->cfg.master_key_file),
	    "%s/secret/master.key", f->dir);
	snprintf(f->cfg.keystore_path, sizeof(f->cfg.keystore_path),
	    "%s/data/keys.db", f->dir);
	snprintf(f->cfg.audit_signing_key_file,
	    sizeof(f->cfg.audit_signing_key_file), "%s/secret/audit.key",
	    f->dir);
	snprintf(f->cfg.store_path, sizeof(f->cfg.store_path),
	    "%s/data/creneau.db", f->dir);
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	unit_rmdir(f->dir);
	free(f);
	return 0;
}

static void
slurp(int fd, char *buf, size_t n)
{
	ssize_t r;

	lseek(fd, 0, SEEK_SET);
	r = read(fd, buf, n - 1);
	buf[r > 0 ? r : 0] = '\0';
}

/* Runs `keys ARGS...` with stdout and stderr captured in f->out and
 * f->err. Returns the exit status. */
static int
run(struct fixture *f, int argc, ...)
{
	char *argv[4], po[160], pe[160];
	int o, e, so, se, rc, i;
	va_list ap;

	va_start(ap, argc);
	for (i = 0; i < argc && i < 4; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	snprintf(po, sizeof(po), "%s/out", f->dir);
	snprintf(pe, sizeof(pe), "%s/err", f->dir);
	o = open(po, O_RDWR | O_CREAT | O_TRUNC, 0600);
	e = open(pe, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(o >= 0 && e >= 0);
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	dup2(o, 1);
	dup2(e, 2);
	rc = cmd_keys(&f->cfg, argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(o, f->out, sizeof(f->out));
	slurp(e, f->err, sizeof(f->err));
	close(o);
	close(e);
	unlink(po);
	unlink(pe);
	return rc;
}

static int
lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
test_init(void **state)
{
	struct fixture *f = *state;
	struct keyring *kr;
	struct stat sb;
	char err[512];

	/* The missing directory is made, owner-only. */
	assert_int_equal(run(f, 1, "init"), 0);
	assert_non_null(strstr(f->out, "created master key file"));
	assert_int_equal(stat(f->cfg.master_key_file, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(keyring_load(f->cfg.master_key_file, &kr, err,
			     sizeof(err)),
	    0);
	assert_int_equal(keyring_current(kr), 1);
	keyring_free(kr);
	/* Never over an existing key: one line on stderr. */
	assert_int_equal(run(f, 1, "init"), 1);
	assert_non_null(strstr(f->err, "refusing to overwrite"));
	assert_int_equal(lines(f->err), 1);
}

/* Opens (creating) the fixture's database, migrated. */
static struct store *
open_db(struct fixture *f)
{
	struct store_config sc = { "sqlite", f->cfg.store_path, 5000,
		STORE_SCHEMA_MAIN };
	char err[256];
	struct store *st = store_open(&sc, err, sizeof(err));
	int from, to;

	assert_non_null(st);
	assert_int_equal(store_migrate(st, &from, &to, err, sizeof(err)), 0);
	return st;
}

/*
 * `keys init` on an instance that has keys already (a keystore, or a
 * database with records) is refused: a new master key would not open
 * them. The one line says the master key file is missing and where it was
 * expected. A new instance, even with an empty migrated database, is
 * given its keys.
 */
static void
test_init_refused_on_existing_instance(void **state)
{
	struct fixture *f = *state;
	struct keyring *kr;
	struct keystore *ks;
	struct store *st;
	char err[512];

	assert_int_equal(run(f, 1, "init"), 0);
	assert_int_equal(keyring_load(f->cfg.master_key_file, &kr, err,
			     sizeof(err)),
	    0);
	assert_int_equal(keystore_open(f->cfg.keystore_path, kr, 5000, &ks, err,
			     sizeof(err)),
	    0);
	keystore_free(ks);
	keyring_free(kr);
	assert_int_equal(unlink(f->cfg.master_key_file), 0);
	assert_int_equal(run(f, 1, "init"), 1);
	assert_non_null(strstr(f->err, f->cfg.master_key_file));
	assert_non_null(strstr(f->err, "is missing"));
	assert_non_null(strstr(f->err, f->cfg.keystore_path));
	assert_int_equal(lines(f->err), 1);
	assert_int_equal(access(f->cfg.master_key_file, F_OK), -1);

	/* No keystore, but a database with an audit trail. */
	assert_int_equal(unlink(f->cfg.keystore_path), 0);
	st = open_db(f);
	assert_int_equal(store_drv(st)->exec(store_conn(st),
			     "INSERT INTO audit_head (id, seq, hash) VALUES "
			     "(1, 1, x'00')",
			     NULL, 0, NULL, NULL),
	    0);
	store_free(st);
	assert_int_equal(run(f, 1, "init"), 1);
	assert_non_null(strstr(f->err, f->cfg.store_path));
	assert_int_equal(lines(f->err), 1);
	assert_int_equal(access(f->cfg.master_key_file, F_OK), -1);

	/* An empty database is a new instance. */
	assert_int_equal(unlink(f->cfg.store_path), 0);
	store_free(open_db(f));
	assert_int_equal(run(f, 1, "init"), 0);
	assert_int_equal(access(f->cfg.master_key_file, F_OK), 0);
}

static void
test_usage(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, 0), 2);
	assert_non_null(strstr(f->err, "usage: creneau"));
	assert_int_equal(run(f, 1, "bogus"), 2);
	assert_non_null(strstr(f->err, "unknown subcommand"));
	assert_int_equal(run(f, 2, "init", "now"), 2);
	assert_int_equal(access(f->cfg.master_key_file, F_OK), -1);
	assert_non_null(strstr(usage_keys, "rotate"));
}

static void
test_status(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(run(f, 1, "status"), 1); /* no master key yet */
	assert_int_equal(lines(f->err), 1);
	assert_int_equal(run(f, 1, "init"), 0);
	assert_int_equal(run(f, 1, "status"), 0);
	assert_non_null(strstr(f->out, "current version: 1\n"));
	assert_non_null(strstr(f->out, "not created yet"));
	/* Status creates nothing. */
	assert_int_equal(access(f->cfg.keystore_path, F_OK), -1);
}

/* Opens the keystore of f with its own keyring. */
static struct keystore *
open_ks(struct fixture *f, struct keyring **kr)
{
	struct keystore *ks;
	char err[512];

	assert_int_equal(keyring_load(f->cfg.master_key_file, kr, err,
			     sizeof(err)),
	    0);
	assert_int_equal(keystore_open(f->cfg.keystore_path, *kr, 5000, &ks,
			     err, sizeof(err)),
	    0);
	return ks;
}

/* Returns 1 if any 64-hex line of the master key file shows in s. */
static int
shows_master_key(const struct fixture *f, const char *s)
{
	char text[4096], *line, *save = NULL, *hex;
	int fd = open(f->cfg.master_key_file, O_RDONLY);
	ssize_t r;

	assert_true(fd >= 0);
	r = read(fd, text, sizeof(text) - 1);
	close(fd);
	assert_true(r > 0);
	text[r] = '\0';
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || (hex = strchr(line, ' ')) == NULL)
			continue;
		if (strstr(s, hex + 1) != NULL)
			return 1;
	}
	return 0;
}

static void
test_rotate(void **state)
{
	struct fixture *f = *state;
	struct keyring *kr;
	struct keystore *ks;
	struct data_key before[5], after;
	char owner[32], hex[2 * KEY_BYTES + 1];
	uint32_t vs[8];
	int i;

	assert_int_equal(run(f, 1, "init"), 0);
	ks = open_ks(f, &kr);
	for (i = 0; i < 5; i++) {
		snprintf(owner, sizeof(owner), "subject:%d", i);
		assert_int_equal(keystore_get(ks, owner, 1, &before[i]), 0);
	}
	keystore_free(ks);
	keyring_free(kr);

	assert_int_equal(run(f, 1, "rotate"), 0);
	assert_non_null(strstr(f->out, "added master key version 2\n"));
	assert_non_null(
	    strstr(f->out, "re-wrapped 5 data keys under version 2\n"));
	assert_non_null(strstr(f->out, "version 1 wraps no data key\n"));
	assert_non_null(strstr(f->out, "retired master key version 1\n"));
	assert_non_null(strstr(f->out, "rotation done, current version 2\n"));
	assert_string_equal(f->err, "");
	/* Nothing printed is key material. */
	assert_false(shows_master_key(f, f->out));
	for (i = 0; i < 5; i++) {
		sodium_bin2hex(hex, sizeof(hex), before[i].k, KEY_BYTES);
		assert_null(strstr(f->out, hex));
	}

	/* Only version 2 is left, and it unwraps the same keys. */
	ks = open_ks(f, &kr);
	assert_int_equal(keyring_versions(kr, vs, 8), 1);
	assert_int_equal(vs[0], 2);
	for (i = 0; i < 5; i++) {
		snprintf(owner, sizeof(owner), "subject:%d", i);
		assert_int_equal(keystore_get(ks, owner, 0, &after), 0);
		assert_memory_equal(before[i].k, after.k, KEY_BYTES);
	}
	assert_int_equal(keystore_destroy(ks, "subject:0", 1), 0);
	keystore_free(ks);
	keyring_free(kr);

	assert_int_equal(run(f, 1, "rotate"), 0);
	assert_non_null(
	    strstr(f->out, "re-wrapped 4 data keys under version 3\n"));
	assert_int_equal(run(f, 1, "status"), 0);
	assert_non_null(strstr(f->out, "current version: 3\n"));
	assert_non_null(strstr(f->out, "version 3: 4 data keys\n"));
	assert_non_null(strstr(f->out, "4 data keys, 1 destroyed\n"));
	assert_false(shows_master_key(f, f->out));
}

static void
test_rotate_empty_keystore(void **state)
{
	struct fixture *f = *state;
	struct keyring *kr;
	struct keystore *ks;

	/* With no key at all, the system:index key is made under the new
	 * version, so a process with a stale keyring cannot add keys under
	 * the retired one. */
	assert_int_equal(run(f, 1, "init"), 0);
	assert_int_equal(run(f, 1, "rotate"), 0);
	assert_non_null(strstr(f->out, "re-wrapped 0 data keys"));
	assert_non_null(strstr(f->out, "system:index"));
	ks = open_ks(f, &kr);
	assert_int_equal(keystore_count_version(ks, 2), 1);
	keystore_free(ks);
	keyring_free(kr);
}

static void
test_rotate_failures(void **state)
{
	struct fixture *f = *state;
	int fd;

	/* No master key file. */
	assert_int_equal(run(f, 1, "rotate"), 1);
	assert_int_equal(lines(f->err), 1);
	assert_non_null(strstr(f->err, "creneau: keys: rotate: "));
	/* An exposed one. */
	assert_int_equal(run(f, 1, "init"), 0);
	assert_int_equal(chmod(f->cfg.master_key_file, 0644), 0);
	assert_int_equal(run(f, 1, "rotate"), 1);
	assert_non_null(strstr(f->err, "group or others"));
	assert_int_equal(lines(f->err), 1);
	/* A malformed one: nothing is added. */
	assert_int_equal(chmod(f->cfg.master_key_file, 0600), 0);
	fd = open(f->cfg.master_key_file, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "2 short\n", 8), 8);
	close(fd);
	assert_int_equal(run(f, 1, "rotate"), 1);
	assert_non_null(strstr(f->err, "line 5: malformed"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_init_refused_on_existing_instance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotate_empty_keystore,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotate_failures, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
