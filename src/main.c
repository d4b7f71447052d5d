/*
 * main.c - the creneau command: parse the command line, load the
 * configuration, run one subcommand.
 *
 * Exit status 0 on success; otherwise one line on stderr and a non-zero
 * status (1 failure, 2 usage).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "app.h"
#include "auth/rbac.h"
#include "cmd_audit.h"
#include "cmd_backup.h"
#include "cmd_export.h"
#include "cmd_keys.h"
#include "cmd_retention.h"
#include "cmd_tenant_cert.h"
#include "cmd_user.h"
#include "gdpr/register.h"
#include "core/config.h"
#include "core/log.h"
#include "demo.h"
#include "serve.h"
#include "store/store.h"

extern char **environ;

static const char usage_main[] =
    "usage: creneau [--config FILE] COMMAND [OPTIONS]\n"
    "\n"
    "Créneau: privacy-by-design booking of exam slots and appointments.\n"
    "\n"
    "commands:\n"
    "  serve       serve the web UI and the JSON API\n"
    "  migrate     bring the database schema up to date\n"
    "  demo-data   create a demo database\n"
    "  keys        create, rotate and inspect the master key (init, rotate, status)\n"
    "  audit       verify or search the audit trail (verify, search)\n"
    "  org         create an organisation (org add)\n"
    "  user        create an account with a temporary password (user add)\n"
    "  backup      write an encrypted backup of the database\n"
    "  restore     replace the database by a checked backup (server stopped)\n"
    "  permissions print the role x permission table (Markdown)\n"
    "  register    export the GDPR Art. 30 register (json, csv, html)\n"
    "  retention   apply the data map's retention rules (retention run)\n"
    "  tenant-export-open  open a client organisation's export archive\n"
    "  tenant-export-keygen  a key pair to receive that archive by public key\n"
    "  tenant-certificate-verify  check a client organisation's deletion certificate\n"
    "\n"
    "options:\n"
    "  --config FILE   INI configuration (keys also set by CRENEAU_<SECTION>_<KEY>)\n"
    "  --help          this text; COMMAND --help for a command's\n"
    "  --version       print the version\n";

static const char usage_serve[] =
    "usage: creneau [--config FILE] serve [--check-config]\n"
    "\n"
    "Applies pending migrations, starts the background jobs and serves HTTP\n"
    "on [http] listen until SIGTERM or SIGINT, then lets requests in flight\n"
    "finish and stops.\n"
    "\n"
    "  --check-config   validate the configuration and exit\n";

static const char usage_migrate[] =
    "usage: creneau [--config FILE] migrate [--status]\n"
    "\n"
    "Applies the pending schema migrations to [store] path, each in its own\n"
    "transaction. Refuses a database newer than this binary.\n"
    "\n"
    "  --status   print the database and binary schema versions, change nothing\n";

static const char usage_permissions[] =
    "usage: creneau permissions\n"
    "\n"
    "Prints the role x permission table as Markdown (docs/permissions.md).\n";

static const char usage_demo[] =
    "usage: creneau [--config FILE] demo-data\n"
    "\n"
    "Creates the database at [store] path if needed, applies migrations and\n"
    "loads the demo data set once (a second run changes nothing).\n";

static int die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("creneau: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

static int
has_flag(int argc, char **argv, const char *flag)
{
	int i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], flag) == 0)
			return 1;
	return 0;
}

/* Refuses any argument not in allowed (NULL-terminated). */
static int
check_args(int argc, char **argv, const char *const *allowed)
{
	int i;
	size_t j;

	for (i = 0; i < argc; i++) {
		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(argv[i], allowed[j]) == 0)
				break;
		if (allowed[j] == NULL)
			return die(2, "unknown argument '%s' (see --help)",
			    argv[i]);
	}
	return 0;
}

static struct store *
open_store(const struct config *cfg)
{
	struct store_config sc;
	char err[512];
	struct store *st;

	store_config_from(&sc, cfg, STORE_SCHEMA_MAIN);
	st = store_open(&sc, err, sizeof(err));
	if (st == NULL)
		die(1, "%s", err);
	return st;
}

static int
cmd_migrate(const struct config *cfg, int argc, char **argv)
{
	static const char *const allowed[] = { "--status", NULL };
	struct store *st;
	char err[512];
	int from, to, rc;

	if ((rc = check_args(argc, argv, allowed)) != 0)
		return rc;
	if ((st = open_store(cfg)) == NULL)
		return 1;
	if (has_flag(argc, argv, "--status")) {
		rc = store_schema_version(st, &from);
		if (rc == 0)
			printf("database schema %d, binary knows %d\n", from,
			    store_schema_latest());
		store_free(st);
		return rc == 0 ? 0
			       : die(1, "%s", "cannot read the schema version");
	}
	rc = store_migrate(st, &from, &to, err, sizeof(err));
	store_free(st);
	if (rc != 0)
		return die(1, "migrate: %s", err);
	if (from == to)
		printf("schema already at version %d\n", to);
	else
		printf("schema migrated from version %d to %d\n", from, to);
	return 0;
}

static int
cmd_demo(const struct config *cfg, int argc, char **argv)
{
	static const char *const allowed[] = { NULL };
	struct store *st;
	char err[512];
	int from, to, rc, created;

	if ((rc = check_args(argc, argv, allowed)) != 0)
		return rc;
	if ((st = open_store(cfg)) == NULL)
		return 1;
	rc = store_migrate(st, &from, &to, err, sizeof(err));
	if (rc != 0) {
		store_free(st);
		return die(1, "demo-data: %s", err);
	}
	if (app_keys_init(cfg, &created, err, sizeof(err)) != 0) {
		store_free(st);
		return die(1, "demo-data: %s", err);
	}
	if (created > 0)
		printf("demo keys created beside the database (%s); for "
		       "production, run `creneau keys init` with [keys] "
		       "master_key_file on storage the backups never include\n",
		    cfg->master_key_file);
	{
		struct app_keys k;
		struct auth au;

		if (app_keys_open(&k, cfg, err, sizeof(err)) != 0) {
			store_free(st);
			return die(1, "demo-data: %s", err);
		}
		au.st = st;
		au.ks = k.keystore;
		au.audit_key = k.audit;
		rc = demo_load(&au, stdout, err, sizeof(err));
		app_keys_close(&k);
	}
	store_free(st);
	if (rc != 0)
		return die(1, "demo-data: %s", err);
	printf("demo database ready: %s (schema %d)\n", cfg->store_path, to);
	return 0;
}

static int
cmd_permissions(const struct config *cfg, int argc, char **argv)
{
	static const char *const allowed[] = { NULL };
	static char md[16384];
	int rc;

	(void)cfg;
	if ((rc = check_args(argc, argv, allowed)) != 0)
		return rc;
	if (rbac_markdown(md, sizeof(md)) < 0)
		return die(1, "%s", "permissions: table too large");
	fputs(md, stdout);
	return 0;
}

static const char usage_register[] =
    "usage: creneau [--config FILE] register export [--format json|csv|html]\n"
    "\n"
    "Writes the GDPR Art. 30 register, rendered from the data map ([gdpr]\n"
    "datamap), to stdout. The map is validated first, and checked against\n"
    "every column of the schema. Default format: json.\n";

static int
cmd_register(const struct config *cfg, int argc, char **argv)
{
	const char *format = "json";
	char err[512];

	if (argc < 1 || strcmp(argv[0], "export") != 0 ||
	    !(argc == 1 || (argc == 3 && strcmp(argv[1], "--format") == 0))) {
		fputs(usage_register, stderr);
		return 2;
	}
	if (argc == 3)
		format = argv[2];
	if (register_export(cfg->datamap_path, format, stdout, err,
		sizeof(err)) != 0)
		return die(1, "register export: %s", err);
	return 0;
}

static int
cmd_serve(const struct config *cfg, int argc, char **argv)
{
	static const char *const allowed[] = { "--check-config", NULL };
	int rc;

	if ((rc = check_args(argc, argv, allowed)) != 0)
		return rc;
	if (has_flag(argc, argv, "--check-config")) {
		/* The data map is configuration too: check it the way serve
		 * will. */
		char err[512];
		FILE *sink = fopen("/dev/null", "w");

		rc = sink == NULL ||
		    register_export(cfg->datamap_path, "json", sink, err,
			sizeof(err)) != 0;
		if (sink != NULL)
			fclose(sink);
		if (rc != 0)
			return die(1, "[gdpr] datamap: %s", err);
		printf("configuration valid\n");
		return 0;
	}
	return serve_run(cfg);
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		const char *usage;
		int (*fn)(const struct config *, int, char **);
	} cmds[] = {
		{ "serve", usage_serve, cmd_serve },
		{ "migrate", usage_migrate, cmd_migrate },
		{ "demo-data", usage_demo, cmd_demo },
		{ "keys", usage_keys, cmd_keys },
		{ "audit", usage_audit, cmd_audit },
		{ "org", usage_org, cmd_org },
		{ "user", usage_user, cmd_user },
		{ "backup", usage_backup, cmd_backup },
		{ "restore", usage_restore, cmd_restore },
		{ "permissions", usage_permissions, cmd_permissions },
		{ "register", usage_register, cmd_register },
		{ "retention", usage_retention, cmd_retention },
		{ "tenant-export-open", usage_tenant_export_open,
		    cmd_tenant_export_open },
		{ "tenant-export-keygen", usage_tenant_export_keygen,
		    cmd_tenant_export_keygen },
		{ "tenant-certificate-verify", usage_tenant_certificate_verify,
		    cmd_tenant_certificate_verify },
	};
	const char *config_path = NULL;
	struct config cfg;
	char err[1024];
	int i = 1, rest_argc, j;
	size_t c;
	char *rest[64];

	/* Files Créneau creates (database, backups) are the owner's alone. */
	umask(077);
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			fputs(usage_main, stdout);
			return 0;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("creneau %s\n", CRENEAU_VERSION);
			return 0;
		}
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
			config_path = argv[i + 1];
			i += 2;
			continue;
		}
		return die(2, "unknown option '%s' (see --help)", argv[i]);
	}
	if (i >= argc) {
		fputs(usage_main, stderr);
		return 2;
	}
	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++)
		if (strcmp(argv[i], cmds[c].name) == 0)
			break;
	if (c == sizeof(cmds) / sizeof(cmds[0]))
		return die(2, "unknown command '%s' (see --help)", argv[i]);

	/* The command's own arguments; --config may also come after it. */
	rest_argc = 0;
	for (j = i + 1; j < argc; j++) {
		if (strcmp(argv[j], "--help") == 0 ||
		    strcmp(argv[j], "-h") == 0) {
			fputs(cmds[c].usage, stdout);
			return 0;
		}
		if (strcmp(argv[j], "--config") == 0 && j + 1 < argc) {
			config_path = argv[++j];
			continue;
		}
		if (rest_argc >= (int)(sizeof(rest) / sizeof(rest[0])))
			return die(2, "%s", "too many arguments");
		rest[rest_argc++] = argv[j];
	}

	if (sodium_init() < 0)
		return die(1, "%s", "libsodium failed to initialise");
	if (config_load(&cfg, config_path, environ, err, sizeof(err)) != 0)
		return die(1, "%s", err);
	log_set_level(cfg.log_level);
	return cmds[c].fn(&cfg, rest_argc, rest);
}
