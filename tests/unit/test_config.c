/*
 * test_config.c - src/core/config.c: defaults, the INI file, the
 * environment, and the refusals that name the key and its rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/config.h"
#include "core/limits.h"
#include "unit.h"

struct fixture {
	char dir[64];
	char path[128]; /* the INI file of the test */
	struct config cfg;
	char err[512];
};

static int
setup(void **state)
{
	static struct fixture fx;

	memset(&fx, 0, sizeof(fx));
	if (unit_tmpdir(fx.dir, sizeof(fx.dir)) != 0)
		return -1;
	snprintf(fx.path, sizeof(fx.path), "%s/creneau.ini", fx.dir);
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	unit_rmdir(fx->dir);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Writes text as the INI file and loads it over the defaults. */
static int
load_text(struct fixture *fx, const char *text)
{
	write_file(fx->path, text);
	config_defaults(&fx->cfg);
	fx->err[0] = '\0';
	return config_load_file(&fx->cfg, fx->path, fx->err, sizeof(fx->err));
}

static void
assert_err_has(const char *err, const char *want)
{
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" does not mention \"%s\"", err, want);
}

static void
test_defaults_valid(void **state)
{
	struct fixture *fx = *state;
	struct config *c = &fx->cfg;
	const struct sockaddr_in *sin;

	config_defaults(c);
	assert_string_equal(c->listen, "127.0.0.1:8080");
	assert_int_equal(c->listen_loopback, 1);
	sin = (const struct sockaddr_in *)&c->listen_addr;
	assert_int_equal(sin->sin_family, AF_INET);
	assert_int_equal(ntohs(sin->sin_port), 8080);
	assert_int_equal(ntohl(sin->sin_addr.s_addr), 0x7f000001);
	assert_int_equal(c->listen_addrlen, sizeof(struct sockaddr_in));
	assert_string_equal(c->store_path, "data/creneau.db");
	assert_string_equal(c->store_driver, "sqlite");
	assert_string_equal(c->tls_cert, "");
	assert_string_equal(c->tls_key, "");
	assert_int_equal(c->threads, LIMIT_HTTP_THREADS_DEFAULT);
	assert_int_equal(c->max_body_bytes, LIMIT_HTTP_BODY_DEFAULT);
	assert_int_equal(c->max_header_bytes, LIMIT_HTTP_HEADER_DEFAULT);
	assert_int_equal(c->timeout, LIMIT_HTTP_TIMEOUT_DEFAULT);
	assert_int_equal(c->per_ip_connections, LIMIT_HTTP_PER_IP_DEFAULT);
	assert_int_equal(c->max_connections, LIMIT_HTTP_CONNECTIONS_DEFAULT);
	assert_int_equal(c->shutdown_timeout, LIMIT_HTTP_SHUTDOWN_DEFAULT);
	assert_int_equal(c->store_busy_timeout_ms, LIMIT_STORE_BUSY_MS_DEFAULT);
	assert_int_equal(c->access_log, 1);
	assert_int_equal(c->jobs_enabled, 1);
	assert_int_equal(c->log_level, LOG_INFO);
	assert_int_equal(config_validate(c, fx->err, sizeof(fx->err)), 0);
}

static void
test_load_without_file(void **state)
{
	struct fixture *fx = *state;
	char *env[] = { "PATH=/usr/bin", "HOME=/nonexistent", NULL };

	assert_int_equal(config_load(&fx->cfg, NULL, env, fx->err,
			     sizeof(fx->err)),
	    0);
	assert_string_equal(fx->cfg.listen, "127.0.0.1:8080");
	/* Files left unset live beside the database. */
	assert_string_equal(fx->cfg.master_key_file, "data/master.key");
	assert_string_equal(fx->cfg.keystore_path, "data/keys.db");
	assert_string_equal(fx->cfg.audit_signing_key_file,
	    "data/audit-signing.key");
	assert_string_equal(fx->cfg.backup_dir, "data/backups");
	/* A NULL environment is an empty one. */
	assert_int_equal(config_load(&fx->cfg, NULL, NULL, fx->err,
			     sizeof(fx->err)),
	    0);
}

static void
test_file_parsed(void **state)
{
	struct fixture *fx = *state;
	struct config *c = &fx->cfg;

	assert_int_equal(load_text(fx,
			     "; Créneau test configuration\n"
			     "# another comment\n"
			     "[http]\n"
			     "listen = 127.0.0.1:9090\n"
			     "threads = 8\n"
			     "max_body_bytes = 2048\n"
			     "access_log = off\n"
			     "\n"
			     "[store]\n"
			     "path = /srv/creneau/main.db\n"
			     "busy_timeout_ms = 0\n"
			     "\n"
			     "[log]\n"
			     "level = debug\n"
			     "[jobs]\n"
			     "enabled = no\n"),
	    0);
	assert_string_equal(c->listen, "127.0.0.1:9090");
	assert_int_equal(ntohs(((const struct sockaddr_in *)&c->listen_addr)
				   ->sin_port),
	    9090);
	assert_int_equal(c->threads, 8);
	assert_int_equal(c->max_body_bytes, 2048);
	assert_int_equal(c->access_log, 0);
	assert_string_equal(c->store_path, "/srv/creneau/main.db");
	assert_int_equal(c->store_busy_timeout_ms, 0);
	assert_int_equal(c->log_level, LOG_DEBUG);
	assert_int_equal(c->jobs_enabled, 0);
	/* Keys the file does not name keep their defaults. */
	assert_int_equal(c->timeout, LIMIT_HTTP_TIMEOUT_DEFAULT);
	assert_int_equal(c->max_connections, LIMIT_HTTP_CONNECTIONS_DEFAULT);
}

static void
test_file_unknown_key(void **state)
{
	struct fixture *fx = *state;
	char want[192];

	assert_int_equal(load_text(fx,
			     "[http]\n"
			     "listen = 127.0.0.1:8080\n"
			     "listen_port = 8081\n"),
	    -1);
	assert_err_has(fx->err, "[http] listen_port");
	assert_err_has(fx->err, "unknown key");
	/* FILE:LINE */
	snprintf(want, sizeof(want), "%s:3:", fx->path);
	assert_err_has(fx->err, want);
}

static void
test_file_unknown_section(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load_text(fx,
			     "[htp]\n"
			     "listen = 127.0.0.1:8080\n"),
	    -1);
	assert_err_has(fx->err, "[htp] listen");
	assert_err_has(fx->err, "unknown key");
	/* The loaded configuration kept its default. */
	assert_string_equal(fx->cfg.listen, "127.0.0.1:8080");
}

static void
test_file_key_outside_section(void **state)
{
	struct fixture *fx = *state;
	char want[192];

	assert_int_equal(load_text(fx,
			     "listen = 0.0.0.0:80\n"
			     "[http]\n"),
	    -1);
	assert_err_has(fx->err, "listen");
	assert_err_has(fx->err, "outside any [section]");
	snprintf(want, sizeof(want), "%s:1:", fx->path);
	assert_err_has(fx->err, want);
}

static void
test_file_not_ini(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load_text(fx,
			     "[http]\n"
			     "just some words\n"),
	    -1);
	assert_err_has(fx->err, ":2:");
}

static void
test_file_missing_or_not_regular(void **state)
{
	struct fixture *fx = *state;
	char path[192];

	snprintf(path, sizeof(path), "%s/absent.ini", fx->dir);
	config_defaults(&fx->cfg);
	assert_int_equal(config_load_file(&fx->cfg, path, fx->err,
			     sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, path);
	assert_int_equal(config_load_file(&fx->cfg, fx->dir, fx->err,
			     sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "not a regular file");
	/* config_load stops there too. */
	assert_int_equal(config_load(&fx->cfg, path, NULL, fx->err,
			     sizeof(fx->err)),
	    -1);
}

static void
test_bad_number(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load_text(fx, "[http]\nthreads = many\n"), -1);
	assert_err_has(fx->err, "[http] threads");
	assert_err_has(fx->err, "expected a whole number from 1 to 256");
	assert_err_has(fx->err, "many");

	assert_int_equal(load_text(fx, "[http]\nthreads = 0\n"), -1);
	assert_err_has(fx->err, "[http] threads");
	assert_int_equal(load_text(fx, "[http]\nthreads = 257\n"), -1);
	assert_int_equal(load_text(fx, "[http]\nthreads = +4\n"), -1);
	assert_int_equal(load_text(fx, "[http]\nthreads = 4k\n"), -1);
	assert_int_equal(load_text(fx, "[http]\nthreads = 256\n"), 0);
	assert_int_equal(fx->cfg.threads, 256);
	assert_int_equal(load_text(fx, "[http]\nthreads = 1\n"), 0);
	assert_int_equal(fx->cfg.threads, 1);

	assert_int_equal(load_text(fx, "[audit]\nretention_days = 29\n"), -1);
	assert_err_has(fx->err, "[audit] retention_days");
	assert_err_has(fx->err, "from 30 to 3650");
}

static void
test_bad_bool(void **state)
{
	struct fixture *fx = *state;
	static const char *const yes[] = { "on", "true", "yes", "1" };
	static const char *const no[] = { "off", "false", "no", "0" };
	size_t i;

	assert_int_equal(load_text(fx, "[http]\naccess_log = maybe\n"), -1);
	assert_err_has(fx->err, "[http] access_log");
	assert_err_has(fx->err, "expected on or off");
	assert_int_equal(load_text(fx, "[jobs]\nenabled = 2\n"), -1);
	assert_err_has(fx->err, "[jobs] enabled");

	config_defaults(&fx->cfg);
	for (i = 0; i < 4; i++) {
		assert_int_equal(config_set(&fx->cfg, "http", "access_log",
				     no[i], fx->err, sizeof(fx->err)),
		    0);
		assert_int_equal(fx->cfg.access_log, 0);
		assert_int_equal(config_set(&fx->cfg, "http", "access_log",
				     yes[i], fx->err, sizeof(fx->err)),
		    0);
		assert_int_equal(fx->cfg.access_log, 1);
	}
}

static void
test_bad_level(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load_text(fx, "[log]\nlevel = verbose\n"), -1);
	assert_err_has(fx->err, "[log] level");
	assert_err_has(fx->err, "expected debug, info, warn or error");
	assert_int_equal(load_text(fx, "[log]\nlevel = warn\n"), 0);
	assert_int_equal(fx->cfg.log_level, LOG_WARN);
}

static void
test_bad_strings(void **state)
{
	struct fixture *fx = *state;
	char longpath[CONFIG_PATH_MAX + 8];

	config_defaults(&fx->cfg);
	assert_int_equal(config_set(&fx->cfg, "store", "driver", "mysql",
			     fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[store] driver");
	assert_string_equal(fx->cfg.store_driver, "sqlite");

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(config_set(&fx->cfg, "store", "path", longpath,
			     fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[store] path");
	assert_err_has(fx->err, "longer than");
	assert_string_equal(fx->cfg.store_path, "data/creneau.db");
	/* The longest path that fits. */
	longpath[CONFIG_PATH_MAX - 1] = '\0';
	assert_int_equal(config_set(&fx->cfg, "store", "path", longpath,
			     fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(strlen(fx->cfg.store_path), CONFIG_PATH_MAX - 1);

	assert_int_equal(config_set(&fx->cfg, "store", "path", "a\nb", fx->err,
			     sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "newline");
}

static void
test_env_overrides_file(void **state)
{
	struct fixture *fx = *state;
	char *env[] = { "HOME=/nonexistent",
		"CRENEAU_HTTP_LISTEN=127.0.0.1:7070", "CRENEAU_HTTP_THREADS=2",
		NULL };

	write_file(fx->path,
	    "[http]\n"
	    "listen = 127.0.0.1:9090\n"
	    "threads = 8\n"
	    "timeout = 5\n");
	assert_int_equal(config_load(&fx->cfg, fx->path, env, fx->err,
			     sizeof(fx->err)),
	    0);
	assert_string_equal(fx->cfg.listen, "127.0.0.1:7070");
	assert_int_equal(ntohs(
			     ((const struct sockaddr_in *)&fx->cfg.listen_addr)
				 ->sin_port),
	    7070);
	assert_int_equal(fx->cfg.threads, 2);
	assert_int_equal(fx->cfg.timeout, 5);
}

static void
test_env_moves_instance(void **state)
{
	struct fixture *fx = *state;
	char *env[] = { "CRENEAU_STORE_PATH=/srv/exam/creneau.db",
		"CRENEAU_KEYS_KEYSTORE=/elsewhere/keys.db", NULL };

	assert_int_equal(config_load(&fx->cfg, NULL, env, fx->err,
			     sizeof(fx->err)),
	    0);
	assert_string_equal(fx->cfg.store_path, "/srv/exam/creneau.db");
	assert_string_equal(fx->cfg.master_key_file, "/srv/exam/master.key");
	assert_string_equal(fx->cfg.keystore_path, "/elsewhere/keys.db");
	assert_string_equal(fx->cfg.backup_dir, "/srv/exam/backups");
}

static void
test_env_unknown(void **state)
{
	struct fixture *fx = *state;
	char *typo[] = { "CRENEAU_HTTP_LISTN=127.0.0.1:1", NULL };
	char *section[] = { "CRENEAU_LISTEN=127.0.0.1:1", NULL };
	char *others[] = { "CRENEAUX=1", "XCRENEAU_HTTP_FOO=1", "creneau_x=1",
		NULL };

	config_defaults(&fx->cfg);
	assert_int_equal(config_apply_env(&fx->cfg, typo, fx->err,
			     sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "CRENEAU_HTTP_LISTN");
	assert_int_equal(config_apply_env(&fx->cfg, section, fx->err,
			     sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "CRENEAU_LISTEN");
	assert_int_equal(config_load(&fx->cfg, NULL, typo, fx->err,
			     sizeof(fx->err)),
	    -1);
	/* Variables outside the prefix are none of our business. */
	assert_int_equal(config_apply_env(&fx->cfg, others, fx->err,
			     sizeof(fx->err)),
	    0);
}

static void
test_env_bad_value(void **state)
{
	struct fixture *fx = *state;
	char *env[] = { "CRENEAU_HTTP_THREADS=0", NULL };

	config_defaults(&fx->cfg);
	assert_int_equal(config_apply_env(&fx->cfg, env, fx->err,
			     sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "CRENEAU_HTTP_THREADS");
	assert_err_has(fx->err, "[http] threads");
	assert_err_has(fx->err, "from 1 to 256");
	assert_int_equal(fx->cfg.threads, LIMIT_HTTP_THREADS_DEFAULT);
}

/* [ratelimit]: the partner API's published figures by default, higher
 * or 0 (not limited) by file or environment, nothing past the cap. */
static void
test_ratelimit_keys(void **state)
{
	struct fixture *fx = *state;
	char *env[] = { "CRENEAU_RATELIMIT_SCHOOL_PER_MINUTE=100000",
		"CRENEAU_RATELIMIT_EMPLOYEE_PER_MINUTE=0", NULL };
	char *bad[] = { "CRENEAU_RATELIMIT_EMPLOYEE_PER_MINUTE=-1", NULL };

	config_defaults(&fx->cfg);
	assert_int_equal(fx->cfg.ratelimit_school_per_minute,
	    LIMIT_RATELIMIT_SCHOOL_DEFAULT);
	assert_int_equal(fx->cfg.ratelimit_employee_per_minute,
	    LIMIT_RATELIMIT_EMPLOYEE_DEFAULT);
	assert_int_equal(config_apply_env(&fx->cfg, env, fx->err,
			     sizeof(fx->err)),
	    0);
	assert_int_equal(fx->cfg.ratelimit_school_per_minute, 100000);
	assert_int_equal(fx->cfg.ratelimit_employee_per_minute, 0);
	assert_int_equal(config_apply_env(&fx->cfg, bad, fx->err,
			     sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[ratelimit] employee_per_minute");
	assert_int_equal(config_set(&fx->cfg, "ratelimit", "school_per_minute",
			     "1000001", fx->err, sizeof(fx->err)),
	    -1);
}

static void
test_listen_loopback_only(void **state)
{
	struct fixture *fx = *state;
	char *env[] = { "CRENEAU_HTTP_LISTEN=0.0.0.0:8080", NULL };

	config_defaults(&fx->cfg);
	assert_int_equal(config_set(&fx->cfg, "http", "listen", "0.0.0.0:8080",
			     fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(fx->cfg.listen_loopback, 0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[http] listen");
	assert_err_has(fx->err, "0.0.0.0:8080");

	assert_int_equal(config_set(&fx->cfg, "http", "listen",
			     "192.168.1.10:443", fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_int_equal(config_set(&fx->cfg, "http", "listen", "[::]:8080",
			     fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);

	/* config_load applies the same rule. */
	assert_int_equal(config_load(&fx->cfg, NULL, env, fx->err,
			     sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "loopback");
}

static void
test_listen_loopback_forms(void **state)
{
	struct fixture *fx = *state;
	const struct sockaddr_in6 *sin6;
	static const struct in6_addr lo6 = IN6ADDR_LOOPBACK_INIT;

	config_defaults(&fx->cfg);
	assert_int_equal(config_set(&fx->cfg, "http", "listen", "[::1]:8080",
			     fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(fx->cfg.listen_loopback, 1);
	sin6 = (const struct sockaddr_in6 *)&fx->cfg.listen_addr;
	assert_int_equal(sin6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(sin6->sin6_port), 8080);
	assert_memory_equal(&sin6->sin6_addr, &lo6, sizeof(lo6));
	assert_int_equal(fx->cfg.listen_addrlen, sizeof(struct sockaddr_in6));
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    0);

	assert_int_equal(config_set(&fx->cfg, "http", "listen",
			     "localhost:8081", fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(fx->cfg.listen_loopback, 1);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(config_set(&fx->cfg, "http", "listen",
			     "127.0.0.2:65535", fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(fx->cfg.listen_loopback, 1);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    0);
}

static void
test_listen_refused(void **state)
{
	struct fixture *fx = *state;
	static const char *const bad[] = { "127.0.0.1:0", "127.0.0.1:65536",
		"[::1]:0", "[::1]:65536", "127.0.0.1", "127.0.0.1:", ":8080",
		"127.0.0.1:80x", "127.0.0.1:-1", "127.0.0.1:+80", "[::1]8080",
		"[::1", "::1", "example.org:80", "127.1:80", "[127.0.0.1]x:80",
		"" };
	size_t i;

	config_defaults(&fx->cfg);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fx->err[0] = '\0';
		if (config_set(&fx->cfg, "http", "listen", bad[i], fx->err,
			sizeof(fx->err)) != -1)
			fail_msg("accepted listen \"%s\"", bad[i]);
		assert_err_has(fx->err, "[http] listen");
		/* The earlier value stands, as written and as parsed. */
		assert_string_equal(fx->cfg.listen, "127.0.0.1:8080");
		assert_int_equal(fx->cfg.listen_loopback, 1);
	}
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(config_set(&fx->cfg, "http", "listen", "127.0.0.1:0",
			     fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "port from 1 to 65535");
}

static void
test_tls_pairs(void **state)
{
	struct fixture *fx = *state;
	char cert[160], key[160], absent[160];

	snprintf(cert, sizeof(cert), "%s/cert.pem", fx->dir);
	snprintf(key, sizeof(key), "%s/key.pem", fx->dir);
	snprintf(absent, sizeof(absent), "%s/absent.pem", fx->dir);
	write_file(cert, "-----BEGIN CERTIFICATE-----\n");
	write_file(key, "-----BEGIN PRIVATE KEY-----\n");

	/* A certificate without its key, and the reverse. */
	config_defaults(&fx->cfg);
	assert_int_equal(config_set(&fx->cfg, "http", "tls_cert", cert, fx->err,
			     sizeof(fx->err)),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[http] tls_key");
	assert_err_has(fx->err, "required");
	config_defaults(&fx->cfg);
	assert_int_equal(config_set(&fx->cfg, "http", "tls_key", key, fx->err,
			     sizeof(fx->err)),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[http] tls_cert");

	/* Both, readable: any address may be served. */
	assert_int_equal(config_set(&fx->cfg, "http", "tls_cert", cert, fx->err,
			     sizeof(fx->err)),
	    0);
	assert_int_equal(config_set(&fx->cfg, "http", "listen", "0.0.0.0:443",
			     fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    0);

	/* Both named, one missing or a directory. */
	assert_int_equal(config_set(&fx->cfg, "http", "tls_key", absent,
			     fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[http] tls_key");
	assert_int_equal(config_set(&fx->cfg, "http", "tls_key", key, fx->err,
			     sizeof(fx->err)),
	    0);
	assert_int_equal(config_set(&fx->cfg, "http", "tls_cert", fx->dir,
			     fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[http] tls_cert");
}

static void
test_config_set_unknown(void **state)
{
	struct fixture *fx = *state;

	config_defaults(&fx->cfg);
	assert_int_equal(config_set(&fx->cfg, "http", "nope", "1", fx->err,
			     sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[http] nope");
	assert_int_equal(config_set(&fx->cfg, "nope", "listen", "1", fx->err,
			     sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[nope] listen");
	/* Keys are not found across sections. */
	assert_int_equal(config_set(&fx->cfg, "store", "listen", "127.0.0.1:1",
			     fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[store] listen");
}

/*
 * A key given twice in the file is refused, naming the key and the line
 * of the second value (in another [section] of the same name too); the
 * same key name in two different sections is two keys.
 */
static void
test_file_key_twice(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load_text(fx, "[http]\nthreads = 2\nthreads = 3\n"),
	    -1);
	assert_err_has(fx->err, ":3: [http] threads: given twice");
	assert_int_equal(load_text(fx,
			     "[store]\npath = a.db\n[http]\nthreads = 2\n"
			     "[store]\npath = b.db\n"),
	    -1);
	assert_err_has(fx->err, ":6: [store] path: given twice");
	assert_null(strchr(fx->err, '\n'));
	assert_int_equal(load_text(fx,
			     "[http]\ntimeout = 10\n[smtp]\ntimeout = 20\n"),
	    0);
	assert_int_equal(fx->cfg.timeout, 10);
	assert_int_equal(fx->cfg.smtp_timeout, 20);
}

/* Writes text to a fresh INI file, loads it, validates: 0 or -1. */
static int
load_valid(struct fixture *fx, const char *text)
{
	if (load_text(fx, text) != 0)
		return -1;
	return config_validate(&fx->cfg, fx->err, sizeof(fx->err));
}

static void
test_postgresql(void **state)
{
	struct fixture *fx = *state;
	char ini[1024], pw[160];

	snprintf(pw, sizeof(pw), "%s/db.password", fx->dir);
	write_file(pw, "secret\n");
	/* Complete: URL, password file, keystore in another database. */
	snprintf(ini, sizeof(ini),
	    "[store]\ndriver = postgresql\n"
	    "url = postgresql://creneau@db.example/creneau?sslmode=verify-full\n"
	    "password_file = %s\npool_size = 16\n"
	    "[keys]\nkeystore_url = postgresql://keys@db.example/keys\n"
	    "keystore_password_file = %s\n",
	    pw, pw);
	assert_int_equal(load_valid(fx, ini), 0);
	assert_string_equal(fx->cfg.store_driver, "postgresql");
	assert_int_equal(fx->cfg.store_pool_size, 16);

	/* No URL; not a postgresql URI; a password in the URL. */
	assert_int_equal(load_valid(fx, "[store]\ndriver = postgresql\n"), -1);
	assert_err_has(fx->err, "[store] url");
	assert_int_equal(load_valid(fx,
			     "[store]\ndriver = postgresql\nurl = mysql://x/y\n"
			     "[keys]\nkeystore_url = postgresql://k/k\n"),
	    -1);
	assert_err_has(fx->err, "postgresql:// URI");
	assert_int_equal(load_valid(fx,
			     "[store]\ndriver = postgresql\n"
			     "url = postgresql://u:pw@db/c\n"
			     "[keys]\nkeystore_url = postgresql://k@db/k\n"),
	    -1);
	assert_err_has(fx->err, "password_file");
	/* The keystore: required, and another database. */
	assert_int_equal(load_valid(fx,
			     "[store]\ndriver = postgresql\n"
			     "url = postgresql://u@db/c\n"),
	    -1);
	assert_err_has(fx->err, "[keys] keystore_url");
	assert_int_equal(load_valid(fx,
			     "[store]\ndriver = postgresql\n"
			     "url = postgresql://u@db/c\n"
			     "[keys]\nkeystore_url = postgresql://u@db/c\n"),
	    -1);
	assert_err_has(fx->err, "another database");
	/* A pool smaller than the threads that hold connections. */
	assert_int_equal(load_valid(fx,
			     "[http]\nthreads = 8\n[store]\n"
			     "driver = postgresql\nurl = postgresql://u@db/c\n"
			     "pool_size = 10\n"
			     "[keys]\nkeystore_url = postgresql://u@db/k\n"),
	    -1);
	assert_err_has(fx->err, "[store] pool_size");
	/* A password file that cannot be read. */
	assert_int_equal(load_valid(fx,
			     "[store]\ndriver = postgresql\n"
			     "url = postgresql://u@db/c\n"
			     "password_file = /nonexistent/pw\n"
			     "[keys]\nkeystore_url = postgresql://u@db/k\n"),
	    -1);
	assert_err_has(fx->err, "[store] password_file");
	/* A URL without the PostgreSQL driver. */
	assert_int_equal(load_valid(fx, "[store]\nurl = postgresql://u@db/c\n"),
	    -1);
	assert_err_has(fx->err, "only with driver = postgresql");
}

/* [oidc:NAME] sections from the file and the environment, and their
 * rules: a name, an https issuer (http on loopback only), a client id,
 * the roles it may sign into. */
static void
test_oidc_sections(void **state)
{
	struct fixture *fx = *state;
	const struct config_oidc *p;
	char *env[] = { "CRENEAU_OIDC_PROCONNECT_MFA_AMR=mfa", NULL };

	assert_int_equal(load_text(fx,
			     "[oidc:franceconnect]\n"
			     "label = FranceConnect\n"
			     "issuer = https://fc.example/api/v2\n"
			     "client_id = abc\n"
			     "roles = candidate, user\n"
			     "[oidc:proconnect]\n"
			     "issuer = http://127.0.0.1:9000\n"
			     "client_id = def\n"
			     "roles = school_manager\n"),
	    0);
	assert_int_equal(config_apply_env(&fx->cfg, env, fx->err,
			     sizeof(fx->err)),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(fx->cfg.noidc, 2);
	p = config_oidc_find(&fx->cfg, "franceconnect");
	assert_non_null(p);
	assert_string_equal(p->label, "FranceConnect");
	assert_string_equal(p->scopes, "openid email");
	assert_int_equal(p->skew_s, 60);
	p = config_oidc_find(&fx->cfg, "proconnect");
	assert_non_null(p);
	assert_string_equal(p->label, "proconnect");
	assert_string_equal(p->mfa_amr, "mfa");
	assert_null(config_oidc_find(&fx->cfg, "autre"));

	assert_int_equal(load_text(fx, "[oidc:Bad_Name]\nclient_id = x\n"), -1);
	assert_err_has(fx->err, "provider name");
	assert_int_equal(load_text(fx, "[oidc:fc]\nissuer_url = x\n"), -1);
	assert_err_has(fx->err, "[oidc:fc] issuer_url: unknown key");
	assert_int_equal(load_text(fx,
			     "[oidc:fc]\nissuer = http://fc.example\n"
			     "client_id = a\nroles = user\n"),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[oidc:fc] issuer");
	assert_int_equal(load_text(fx,
			     "[oidc:fc]\nissuer = https://fc.example\n"
			     "client_id = a\n"),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[oidc:fc] roles");
	/* signup: "users", only for the people's provider. */
	assert_int_equal(
	    load_text(fx,
		"[oidc:fc]\nissuer = https://fc.example\n"
		"client_id = a\nroles = candidate\nsignup = users\n"),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    0);
	assert_string_equal(config_oidc_find(&fx->cfg, "fc")->signup, "users");
	assert_int_equal(load_text(fx,
			     "[oidc:pc]\nissuer = https://pc.example\n"
			     "client_id = a\nroles = school_manager\n"
			     "signup = users\n"),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[oidc:pc] signup");
	assert_int_equal(
	    load_text(fx,
		"[oidc:fc]\nissuer = https://fc.example\n"
		"client_id = a\nroles = candidate\nsignup = tous\n"),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[oidc:fc] signup");
}

/* [http] public_url: an http(s) address, nothing that could forge a
 * link. */
static void
test_public_url(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(load_text(fx,
			     "[http]\npublic_url = https://creneau.example\n"),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(load_text(fx,
			     "[http]\npublic_url = https://x.example/#a\n"),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[http] public_url");
	assert_int_equal(load_text(fx, "[http]\npublic_url = ftp://x\n"), 0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
}

/* [authority]: local by default; remote needs a safe URL, a client id,
 * a readable secret file and [http] public_url, each named when
 * missing. */
static void
test_authority_modes(void **state)
{
	struct fixture *fx = *state;
	char text[800], secret[160];

	config_defaults(&fx->cfg);
	assert_string_equal(fx->cfg.authority_mode, "local");
	snprintf(secret, sizeof(secret), "%s/secret", fx->dir);
	write_file(secret, "s3cret\n");
	snprintf(text, sizeof(text),
	    "[http]\npublic_url = https://ecole.example\n"
	    "[authority]\nmode = remote\nurl = https://autorite.example\n"
	    "client_id = abc\nclient_secret_file = %s\n",
	    secret);
	assert_int_equal(load_text(fx, text), 0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    0);
	assert_int_equal(load_text(fx, "[authority]\nmode = distant\n"), 0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[authority] mode");
	snprintf(text, sizeof(text),
	    "[http]\npublic_url = https://ecole.example\n"
	    "[authority]\nmode = remote\nurl = http://autorite.example\n"
	    "client_id = abc\nclient_secret_file = %s\n",
	    secret);
	assert_int_equal(load_text(fx, text), 0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[authority] url");
	snprintf(text, sizeof(text),
	    "[authority]\nmode = remote\nurl = http://127.0.0.1:9000\n"
	    "client_id = abc\nclient_secret_file = %s\n",
	    secret);
	assert_int_equal(load_text(fx, text), 0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[http] public_url");
	assert_int_equal(load_text(fx,
			     "[http]\npublic_url = https://ecole.example\n"
			     "[authority]\nmode = remote\n"
			     "url = https://autorite.example\nclient_id = abc\n"
			     "client_secret_file = /nonexistent/secret\n"),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[authority] client_secret_file");
	assert_int_equal(load_text(fx,
			     "[authority]\nmode = remote\n"
			     "url = https://autorite.example\n"),
	    0);
	assert_int_equal(config_validate(&fx->cfg, fx->err, sizeof(fx->err)),
	    -1);
	assert_err_has(fx->err, "[authority] client_id");
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_defaults_valid),
		T(test_load_without_file),
		T(test_oidc_sections),
		T(test_public_url),
		T(test_authority_modes),
		T(test_file_parsed),
		T(test_file_unknown_key),
		T(test_file_key_twice),
		T(test_file_unknown_section),
		T(test_file_key_outside_section),
		T(test_file_not_ini),
		T(test_file_missing_or_not_regular),
		T(test_bad_number),
		T(test_bad_bool),
		T(test_bad_level),
		T(test_bad_strings),
		T(test_env_overrides_file),
		T(test_env_moves_instance),
		T(test_env_unknown),
		T(test_env_bad_value),
		T(test_ratelimit_keys),
		T(test_listen_loopback_only),
		T(test_listen_loopback_forms),
		T(test_listen_refused),
		T(test_tls_pairs),
		T(test_config_set_unknown),
		T(test_postgresql),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
