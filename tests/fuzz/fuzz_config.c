/*
 * fuzz_config.c - libFuzzer harness for src/core/config.c.
 *
 * The input is used twice. First it is cut into section, key and value at
 * its first two NUL or '\n' bytes and given to config_set on the defaults.
 * Then the whole input is an INI file: it is written to a memfd and read
 * back through /proc/self/fd/N by config_load_file, and the result is
 * validated with config_validate; the same file then goes through
 * config_load, which also places unset files beside the database.
 * Invariants: results are 0 or -1, an error is one printable line within
 * its buffer, a refused value leaves the configuration as it was, a listen
 * address that was taken is consistent, a configuration that validates is
 * served over TLS or on loopback, and no file descriptor is left open. A
 * broken invariant aborts.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			fuzz_fail(#c, __LINE__);                               \
	} while (0)

static void
fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_config.c:%d: invariant broken: %s\n", line, what);
	abort();
}

/*
 * The lowest free descriptor, measured around each input: a descriptor
 * the code under test leaves open makes it climb. It is not kept across
 * inputs, because libFuzzer itself opens pipes to the symbolizer the
 * first time it prints a new function, between two inputs.
 */
static int
lowest_free_fd(void)
{
	int fd = dup(2);

	if (fd < 0)
		abort();
	close(fd);
	return fd;
}

/* err is a NUL-terminated single line of printable bytes. */
static void
check_err(const char *err, size_t errlen)
{
	size_t i, len = strnlen(err, errlen);

	CHECK(len < errlen);
	CHECK(len > 0);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)err[i];

		CHECK(c >= 0x20 && c != 0x7f);
	}
}

/* What any configuration must hold, whatever was set or refused. */
static void
check_config(const struct config *cfg)
{
	CHECK(memchr(cfg->listen, '\0', sizeof(cfg->listen)) != NULL);
	CHECK(memchr(cfg->tls_cert, '\0', sizeof(cfg->tls_cert)) != NULL);
	CHECK(memchr(cfg->tls_key, '\0', sizeof(cfg->tls_key)) != NULL);
	CHECK(
	    memchr(cfg->store_driver, '\0', sizeof(cfg->store_driver)) != NULL);
	CHECK(memchr(cfg->store_path, '\0', sizeof(cfg->store_path)) != NULL);
	CHECK(memchr(cfg->master_key_file, '\0',
		  sizeof(cfg->master_key_file)) != NULL);
	CHECK(memchr(cfg->keystore_path, '\0', sizeof(cfg->keystore_path)) !=
	    NULL);
	CHECK(memchr(cfg->audit_signing_key_file, '\0',
		  sizeof(cfg->audit_signing_key_file)) != NULL);
	CHECK(memchr(cfg->backup_dir, '\0', sizeof(cfg->backup_dir)) != NULL);
	CHECK(strcmp(cfg->store_driver, "sqlite") == 0);
	CHECK(cfg->log_level >= LOG_DEBUG && cfg->log_level <= LOG_ERROR);
	CHECK(cfg->threads >= 1);
	CHECK(cfg->max_body_bytes >= 1024);
	CHECK(cfg->access_log == 0 || cfg->access_log == 1);
	CHECK(cfg->jobs_enabled == 0 || cfg->jobs_enabled == 1);
}

/* A listen address that config_set took matches its family. */
static void
check_listen(const struct config *cfg)
{
	int fam = cfg->listen_addr.ss_family;

	CHECK(fam == AF_INET || fam == AF_INET6);
	CHECK(cfg->listen_addrlen ==
	    (fam == AF_INET ? sizeof(struct sockaddr_in)
			    : sizeof(struct sockaddr_in6)));
}

static void
check_validate(const struct config *cfg)
{
	char err[512];
	int rc;

	rc = config_validate(cfg, err, sizeof(err));
	CHECK(rc == 0 || rc == -1);
	if (rc == 0) {
		CHECK((cfg->tls_cert[0] != '\0' && cfg->tls_key[0] != '\0') ||
		    cfg->listen_loopback);
		CHECK(cfg->store_path[0] != '\0');
	} else {
		check_err(err, sizeof(err));
	}
}

/* Section, key and value cut at the first two NUL or '\n' bytes. */
static void
fuzz_set(const uint8_t *data, size_t size)
{
	struct config cfg, before;
	char *copy, *part[3] = { NULL, NULL, NULL }, err[256];
	size_t i, p = 0;
	int rc;

	copy = malloc(size + 1);
	if (copy == NULL)
		return;
	memcpy(copy, data, size);
	copy[size] = '\0';
	part[0] = copy;
	for (i = 0; i < size && p < 2; i++) {
		if (copy[i] == '\0' || copy[i] == '\n') {
			copy[i] = '\0';
			part[++p] = copy + i + 1;
		}
	}
	while (p < 2)
		part[++p] = copy + size; /* "" */

	config_defaults(&cfg);
	check_listen(&cfg);
	memcpy(&before, &cfg, sizeof(cfg));
	rc = config_set(&cfg, part[0], part[1], part[2], err, sizeof(err));
	CHECK(rc == 0 || rc == -1);
	if (rc == 0) {
		if (strcmp(part[0], "http") == 0 &&
		    strcmp(part[1], "listen") == 0) {
			CHECK(strcmp(cfg.listen, part[2]) == 0);
			check_listen(&cfg);
		}
	} else {
		check_err(err, sizeof(err));
		CHECK(memcmp(&cfg, &before, sizeof(cfg)) == 0);
	}
	check_config(&cfg);
	check_validate(&cfg);
	free(copy);
}

/* The whole input as an INI file, through a memfd. */
static void
fuzz_file(const uint8_t *data, size_t size)
{
	static char *const noenv[] = { NULL };
	struct config cfg;
	char path[64], err[1024];
	size_t off = 0;
	ssize_t w;
	int fd, rc;

	fd = memfd_create("fuzz_config", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	while (off < size) {
		w = write(fd, data + off, size - off);
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	config_defaults(&cfg);
	rc = config_load_file(&cfg, path, err, sizeof(err));
	CHECK(rc == 0 || rc == -1);
	if (rc != 0)
		check_err(err, sizeof(err));
	check_config(&cfg);
	if (rc == 0)
		check_validate(&cfg);

	/* Defaults, file, (no) environment, files beside the database. */
	rc = config_load(&cfg, path, noenv, err, sizeof(err));
	CHECK(rc == 0 || rc == -1);
	check_config(&cfg);
	if (rc == 0) {
		CHECK(cfg.master_key_file[0] != '\0');
		CHECK(cfg.keystore_path[0] != '\0');
		CHECK(cfg.audit_signing_key_file[0] != '\0');
		CHECK(cfg.backup_dir[0] != '\0');
		CHECK((cfg.tls_cert[0] != '\0' && cfg.tls_key[0] != '\0') ||
		    cfg.listen_loopback);
	} else {
		check_err(err, sizeof(err));
	}
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int before = lowest_free_fd();

	fuzz_set(data, size);
	fuzz_file(data, size);
	CHECK(lowest_free_fd() == before);
	return 0;
}
