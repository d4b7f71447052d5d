/*
 * cmd_user.c - creating organisations and accounts from the command line:
 * how the first platform and school administrators come to exist (there
 * is no default account anywhere).
 */
#include "cmd_user.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "appkeys.h"
#include "auth/account.h"
#include "core/clock.h"

const char usage_org[] =
    "usage: creneau [--config FILE] org add --name NAME --kind KIND\n"
    "\n"
    "Creates an organisation and prints its id. KIND is platform, school,\n"
    "authority, service, association or tenant.\n";

const char usage_user[] =
    "usage: creneau [--config FILE] user add [--org ID] --email EMAIL --name NAME\n"
    "               --role ROLE [--role ROLE...]\n"
    "\n"
    "Creates an account and prints its id and a temporary password, shown\n"
    "this once: hand it over in person; it must be changed at first\n"
    "sign-in. Roles: see `creneau permissions`. Candidates and users live in\n"
    "the people's place, not in an organisation: give them no --org. A\n"
    "school's DPO is appointed here (or by the platform admin), never by\n"
    "the school's admin.\n";

/* Opens store and keys. Returns 0 or 1 (message printed). */
static int
open_all(const struct config *cfg, struct store **st, struct app_keys *k)
{
	struct store_config sc;
	char err[512];
	int from, to;

	store_config_from(&sc, cfg, STORE_SCHEMA_MAIN);
	*st = store_open(&sc, err, sizeof(err));
	if (*st == NULL ||
	    store_migrate(*st, &from, &to, err, sizeof(err)) != 0 ||
	    app_keys_open(k, cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "creneau: %s\n", err);
		store_free(*st);
		*st = NULL;
		return 1;
	}
	return 0;
}

static const char *
arg_value(int argc, char **argv, const char *name)
{
	int i;

	for (i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return NULL;
}

/* Every argument is "--name value" with a known name. */
static int
args_ok(int argc, char **argv, const char *const *names)
{
	int i;
	size_t k;

	for (i = 0; i < argc; i += 2) {
		for (k = 0; names[k] != NULL; k++)
			if (strcmp(argv[i], names[k]) == 0)
				break;
		if (names[k] == NULL || i + 1 >= argc) {
			fprintf(stderr,
			    "creneau: unknown or incomplete argument "
			    "'%s' (see --help)\n",
			    argv[i]);
			return 0;
		}
	}
	return 1;
}

int
cmd_org(const struct config *cfg, int argc, char **argv)
{
	static const char *const names[] = { "--name", "--kind", NULL };
	struct app_keys k;
	struct auth a;
	struct store *st;
	const char *name, *kind;
	char id[AUTH_ID_HEX], why[256] = "";
	int rc;

	if (argc < 1 || strcmp(argv[0], "add") != 0 ||
	    !args_ok(argc - 1, argv + 1, names)) {
		fputs(usage_org, stderr);
		return 2;
	}
	name = arg_value(argc - 1, argv + 1, "--name");
	kind = arg_value(argc - 1, argv + 1, "--kind");
	if (name == NULL || kind == NULL) {
		fprintf(stderr,
		    "creneau: org add: --name and --kind are required\n");
		return 2;
	}
	if (open_all(cfg, &st, &k) != 0)
		return 1;
	a.st = st;
	a.ks = k.keystore;
	a.audit_key = k.audit;
	rc = org_create(&a, NULL, name, kind, clock_now_ms(clock_real()), id,
	    why, sizeof(why));
	app_keys_close(&k);
	store_free(st);
	if (rc != 0) {
		fprintf(stderr, "creneau: org add: %s\n",
		    why[0] ? why : "refused");
		return 1;
	}
	printf("%s\n", id);
	return 0;
}

int
cmd_user(const struct config *cfg, int argc, char **argv)
{
	static const char *const names[] = { "--org", "--email", "--name",
		"--role", NULL };
	const char *roles[9];
	struct account_new in;
	struct app_keys k;
	struct auth a;
	struct store *st;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[256] = "";
	int i, n = 0, rc;

	if (argc < 1 || strcmp(argv[0], "add") != 0 ||
	    !args_ok(argc - 1, argv + 1, names)) {
		fputs(usage_user, stderr);
		return 2;
	}
	for (i = 1; i + 1 < argc; i += 2)
		if (strcmp(argv[i], "--role") == 0 && n < 8)
			roles[n++] = argv[i + 1];
	roles[n] = NULL;
	memset(&in, 0, sizeof(in));
	in.org_id = arg_value(argc - 1, argv + 1, "--org");
	/* Without --org, the people's roles go to the people's place. */
	for (i = 0; in.org_id == NULL && i < n && role_is_person(roles[i]); i++)
		if (i == n - 1)
			in.org_id = AUTH_PEOPLE_ORG;
	in.email = arg_value(argc - 1, argv + 1, "--email");
	in.display_name = arg_value(argc - 1, argv + 1, "--name");
	in.roles = roles;
	if (in.org_id == NULL || in.email == NULL || in.display_name == NULL ||
	    n == 0) {
		fprintf(stderr,
		    "creneau: user add: --email, --name, at least one "
		    "--role and (but for candidates and users) --org are "
		    "required\n");
		return 2;
	}
	if (open_all(cfg, &st, &k) != 0)
		return 1;
	a.st = st;
	a.ks = k.keystore;
	a.audit_key = k.audit;
	rc = account_create(&a, NULL, &in, clock_now_ms(clock_real()), id, pw,
	    why, sizeof(why));
	app_keys_close(&k);
	store_free(st);
	if (rc != 0) {
		fprintf(stderr, "creneau: user add: %s\n",
		    why[0] ? why : "refused");
		return 1;
	}
	printf("account %s\ntemporary password %s\n", id, pw);
	sodium_memzero(pw, sizeof(pw));
	return 0;
}
