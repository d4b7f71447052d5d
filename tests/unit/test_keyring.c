/* test_keyring.c - src/crypto/keyring.c: the master key file, its checks,
 * versions, atomic rewrites and reloads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/keyring.h"
#include "unit.h"

#define HEX_A "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define HEX_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"

static char dir[64], path[128];

static int
setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || unit_tmpdir(dir, sizeof(dir)) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/master.key", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unit_rmdir(dir);
	return 0;
}

static void
write_file(const char *p, const char *text, mode_t mode)
{
	int fd;

	unlink(p);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* Reads up to n - 1 bytes of p into buf. Returns the length. */
static size_t
read_file(const char *p, char *buf, size_t n)
{
	int fd = open(p, O_RDONLY);
	ssize_t r;

	assert_true(fd >= 0);
	r = read(fd, buf, n - 1);
	close(fd);
	assert_true(r >= 0);
	buf[r] = '\0';
	return (size_t)r;
}

static mode_t
mode_of(const char *p)
{
	struct stat sb;

	assert_int_equal(stat(p, &sb), 0);
	return sb.st_mode & 07777;
}

/* Entries in dir, "." and ".." aside. */
static int
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_create_and_load(void **state)
{
	struct keyring *kr;
	struct data_key k;
	char err[512], before[4096], after[4096];
	uint32_t v[4];

	(void)state;
	assert_int_equal(keyring_create(path, err, sizeof(err)), 0);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(keyring_load(path, &kr, err, sizeof(err)), 0);
	assert_int_equal(keyring_current(kr), 1);
	assert_int_equal(keyring_versions(kr, v, 4), 1);
	assert_int_equal(v[0], 1);
	assert_int_equal(keyring_wrap_key(kr, 1, &k), 0);
	assert_int_equal(keyring_wrap_key(kr, 2, &k), -1);
	keyring_free(kr);
	keyring_free(NULL);

	/* A second create refuses, and leaves the key as it was. */
	read_file(path, before, sizeof(before));
	err[0] = '\0';
	assert_int_equal(keyring_create(path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "refusing to overwrite"));
	read_file(path, after, sizeof(after));
	assert_string_equal(before, after);
	/* Two creates give two different keys. */
	snprintf(after, sizeof(after), "%s/other.key", dir);
	assert_int_equal(keyring_create(after, err, sizeof(err)), 0);
	read_file(after, after, sizeof(after));
	assert_string_not_equal(before, after);
}

static void
test_permissions_refused(void **state)
{
	static const mode_t loose[] = { 0640, 0620, 0604, 0602, 0660, 0644 };
	struct keyring *kr = NULL;
	char err[512], fifo[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(loose) / sizeof(loose[0]); i++) {
		write_file(path, "1 " HEX_A "\n", loose[i]);
		err[0] = '\0';
		assert_int_equal(keyring_load(path, &kr, err, sizeof(err)), -1);
		assert_null(kr);
		assert_non_null(strstr(err, "group or others"));
	}
	write_file(path, "1 " HEX_A "\n", 0400); /* owner-only is fine */
	assert_int_equal(keyring_load(path, &kr, err, sizeof(err)), 0);
	keyring_free(kr);

	/* Not a regular file: a directory, a FIFO (must not hang). */
	assert_int_equal(keyring_load(dir, &kr, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(keyring_load(fifo, &kr, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
	/* Missing. */
	snprintf(fifo, sizeof(fifo), "%s/none", dir);
	assert_int_equal(keyring_load(fifo, &kr, err, sizeof(err)), -1);
	/* add and retire check the same way. */
	write_file(path, "1 " HEX_A "\n", 0640);
	assert_int_equal(keyring_add_version(path, (uint32_t[1]){ 0 }, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "group or others"));
}

static void
test_malformed_lines(void **state)
{
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
		{ "# key\n\n1 " HEX_A "\n2 zz\n", "line 4: malformed" },
		{ "1 " HEX_A "0\n", "line 1: malformed" },
		{ "1 00112233445566778899aabbccddeeff\n", "line 1: malformed" },
		{ "0 " HEX_A "\n", "line 1: malformed" },
		{ "01 " HEX_A "\n", "line 1: malformed" },
		{ "-1 " HEX_A "\n", "line 1: malformed" },
		{ "4294967296 " HEX_A "\n", "line 1: malformed" },
		{ "1" HEX_A "\n", "line 1: malformed" },
		{ "1 " HEX_A " trailing\n", "line 1: malformed" },
		{ "1 " HEX_A "\n2 " HEX_B "\n\n3\n", "line 4: malformed" },
		{ "1 " HEX_A "\n1 " HEX_B "\n", "line 2: version 1 appears" },
		{ "", "holds no key" },
		{ "# nothing here\n\n", "holds no key" },
	};
	struct keyring *kr = NULL;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(path, cases[i].text, 0600);
		err[0] = '\0';
		assert_int_equal(keyring_load(path, &kr, err, sizeof(err)), -1);
		assert_null(kr);
		if (strstr(err, cases[i].want) == NULL)
			fail_msg("case %zu: '%s'", i, err);
		/* The message never shows the line. */
		assert_null(strstr(err, "0011223344"));
		assert_null(strstr(err, "ffeeddcc"));
		assert_null(strstr(err, "zz"));
	}
}

static void
test_accepted_forms(void **state)
{
	struct keyring *kr;
	char err[512];
	uint32_t v[8];

	(void)state;
	/* Comments, blanks, tabs, CRLF, upper-case hex, no final newline. */
	write_file(path,
	    "# master key\n"
	    "\n"
	    "  7\t" HEX_A "   # old\r\n"
	    "12 FFEEDDCCBBAA99887766554433221100FFEEDDCCBBAA99887766554433221100",
	    0600);
	assert_int_equal(keyring_load(path, &kr, err, sizeof(err)), 0);
	assert_int_equal(keyring_current(kr), 12);
	assert_int_equal(keyring_versions(kr, v, 8), 2);
	assert_int_equal(v[0], 7);
	assert_int_equal(v[1], 12);
	keyring_free(kr);
	/* Versions in any order; the highest is current. */
	write_file(path, "5 " HEX_A "\n3 " HEX_B "\n", 0600);
	assert_int_equal(keyring_load(path, &kr, err, sizeof(err)), 0);
	assert_int_equal(keyring_current(kr), 5);
	assert_int_equal(keyring_versions(kr, v, 1), 2); /* room for one */
	assert_int_equal(v[0], 3);
	keyring_free(kr);
}

static void
test_wrap_key_derivation(void **state)
{
	struct keyring *kr;
	struct data_key a, b;
	unsigned char master[32], want[32];
	char err[512];

	(void)state;
	write_file(path, "1 " HEX_A "\n2 " HEX_B "\n", 0600);
	assert_int_equal(keyring_load(path, &kr, err, sizeof(err)), 0);
	assert_int_equal(keyring_wrap_key(kr, 1, &a), 0);
	assert_int_equal(keyring_wrap_key(kr, 2, &b), 0);
	/* The wrapping key is crypto_kdf subkey 1, context "crnwrap". */
	assert_int_equal(sodium_hex2bin(master, sizeof(master), HEX_A, 64, NULL,
			     NULL, NULL),
	    0);
	assert_int_equal(crypto_kdf_derive_from_key(want, sizeof(want), 1,
			     "crnwrap", master),
	    0);
	assert_memory_equal(a.k, want, 32);
	/* Not the master key itself, and different per version. */
	assert_memory_not_equal(a.k, master, 32);
	assert_memory_not_equal(a.k, b.k, 32);
	keyring_free(kr);
}

static void
test_add_and_retire(void **state)
{
	struct keyring *kr;
	struct data_key k1, k1b, k2, k3;
	char err[512], text[4096];
	uint32_t v = 0, vs[8];

	(void)state;
	assert_int_equal(keyring_create(path, err, sizeof(err)), 0);
	assert_int_equal(keyring_load(path, &kr, err, sizeof(err)), 0);
	assert_int_equal(keyring_wrap_key(kr, 1, &k1), 0);
	keyring_free(kr);

	assert_int_equal(keyring_add_version(path, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 2);
	assert_int_equal(keyring_add_version(path, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 3);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(entries(), 1); /* no temporary file left */
	assert_int_equal(keyring_load(path, &kr, err, sizeof(err)), 0);
	assert_int_equal(keyring_current(kr), 3);
	assert_int_equal(keyring_wrap_key(kr, 1, &k1b), 0);
	assert_int_equal(keyring_wrap_key(kr, 2, &k2), 0);
	assert_int_equal(keyring_wrap_key(kr, 3, &k3), 0);
	assert_memory_equal(k1.k, k1b.k, 32); /* old versions unchanged */
	assert_memory_not_equal(k1.k, k2.k, 32);
	assert_memory_not_equal(k2.k, k3.k, 32);
	keyring_free(kr);

	/* The current version and unknown versions cannot be retired. */
	err[0] = '\0';
	assert_int_equal(keyring_retire_version(path, 3, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "current"));
	assert_int_equal(keyring_retire_version(path, 9, err, sizeof(err)), -1);
	assert_int_equal(keyring_retire_version(path, 2, err, sizeof(err)), 0);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(entries(), 1);
	assert_int_equal(keyring_load(path, &kr, err, sizeof(err)), 0);
	assert_int_equal(keyring_versions(kr, vs, 8), 2);
	assert_int_equal(vs[0], 1);
	assert_int_equal(vs[1], 3);
	assert_int_equal(keyring_wrap_key(kr, 2, &k2), -1);
	assert_int_equal(keyring_wrap_key(kr, 1, &k1b), 0);
	assert_memory_equal(k1.k, k1b.k, 32);
	keyring_free(kr);
	/* Comments written by create survive the rewrites. */
	read_file(path, text, sizeof(text));
	assert_int_equal(text[0], '#');
	assert_null(strstr(text, "\n2 "));
}

static void
test_reload(void **state)
{
	struct keyring *kr;
	struct data_key k1, k1b, k2;
	char err[512], text[4096];
	uint32_t v;

	(void)state;
	assert_int_equal(keyring_create(path, err, sizeof(err)), 0);
	assert_int_equal(keyring_load(path, &kr, err, sizeof(err)), 0);
	assert_int_equal(keyring_wrap_key(kr, 1, &k1), 0);
	assert_int_equal(keyring_add_version(path, &v, err, sizeof(err)), 0);
	assert_int_equal(keyring_current(kr), 1); /* not until reloaded */
	assert_int_equal(keyring_reload(kr, err, sizeof(err)), 0);
	assert_int_equal(keyring_current(kr), 2);
	assert_int_equal(keyring_wrap_key(kr, 2, &k2), 0);
	assert_int_equal(keyring_wrap_key(kr, 1, &k1b), 0);
	assert_memory_equal(k1.k, k1b.k, 32);

	/* A broken or exposed file: reload fails, the keyring stays. */
	read_file(path, text, sizeof(text));
	write_file(path, "1 " HEX_A "\nbroken\n", 0600);
	assert_int_equal(keyring_reload(kr, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "line 2"));
	write_file(path, text, 0644);
	assert_int_equal(keyring_reload(kr, err, sizeof(err)), -1);
	assert_int_equal(keyring_current(kr), 2);
	assert_int_equal(keyring_wrap_key(kr, 2, &k1b), 0);
	assert_memory_equal(k2.k, k1b.k, 32);
	keyring_free(kr);
}

static void *
adder(void *arg)
{
	char err[512];
	uint32_t v;
	int i;

	(void)arg;
	for (i = 0; i < 10; i++)
		if (keyring_add_version(path, &v, err, sizeof(err)) != 0) {
			fprintf(stderr, "add: %s\n", err);
			return (void *)1;
		}
	return NULL;
}

static void
test_concurrent_adds_serialised(void **state)
{
	struct keyring *kr;
	pthread_t t[3];
	char err[512];
	uint32_t vs[64];
	void *r;
	size_t i;
	int failed = 0;

	(void)state;
	assert_int_equal(keyring_create(path, err, sizeof(err)), 0);
	for (i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, adder, NULL);
	for (i = 0; i < 3; i++) {
		pthread_join(t[i], &r);
		failed += r != NULL;
	}
	assert_int_equal(failed, 0);
	/* No add lost to another: versions 1 to 31, each once. */
	assert_int_equal(keyring_load(path, &kr, err, sizeof(err)), 0);
	assert_int_equal(keyring_versions(kr, vs, 64), 31);
	for (i = 0; i < 31; i++)
		assert_int_equal(vs[i], i + 1);
	keyring_free(kr);
	assert_int_equal(entries(), 1);
}

static void
test_link_target_rewritten(void **state)
{
	struct keyring *kr;
	struct stat sb;
	char err[512], real[160];
	uint32_t v;

	(void)state;
	/* A key file reached through a link (a mounted secret): the file
	 * rewritten is the target, the link stays a link. */
	snprintf(real, sizeof(real), "%s/real.key", dir);
	assert_int_equal(keyring_create(real, err, sizeof(err)), 0);
	assert_int_equal(symlink("real.key", path), 0);
	assert_int_equal(keyring_add_version(path, &v, err, sizeof(err)), 0);
	assert_int_equal(lstat(path, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	assert_int_equal(keyring_load(real, &kr, err, sizeof(err)), 0);
	assert_int_equal(keyring_current(kr), 2);
	keyring_free(kr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_and_load, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_permissions_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_malformed_lines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_accepted_forms, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wrap_key_derivation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_add_and_retire, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_concurrent_adds_serialised,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_target_rewritten,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
