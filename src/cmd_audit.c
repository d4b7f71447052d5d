/*
 * cmd_audit.c - the audit trail from the command line: verify it, search
 * it. Search prints one JSON object per entry; sealed members (IP,
 * details) are opened only with --details, which needs the keys.
 */
#include "cmd_audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/num.h"
#include "crypto/field.h"
#include "crypto/keystore.h"
#include "store/store.h"

const char usage_audit[] =
    "usage: creneau [--config FILE] audit verify\n"
    "       creneau [--config FILE] audit search [--actor ID] [--action NAME]\n"
    "               [--target-type TYPE] [--target ID] [--since TIME]\n"
    "               [--until TIME] [--limit N] [--details]\n"
    "\n"
    "verify  checks the whole hash chain from the last signed checkpoint and\n"
    "        prints the first missing, altered or unlinked entry; exit 1 if any.\n"
    "search  prints matching entries as JSON lines, oldest first. TIME is\n"
    "        YYYY-MM-DDTHH:MM:SSZ. --details opens the sealed IP and details.\n";

static struct store *
open_main(const struct config *cfg)
{
	struct store_config sc;
	char err[512];
	struct store *st;
	int from, to;

	store_config_from(&sc, cfg, STORE_SCHEMA_MAIN);
	st = store_open(&sc, err, sizeof(err));
	if (st == NULL) {
		fprintf(stderr, "creneau: audit: %s\n", err);
		return NULL;
	}
	if (store_migrate(st, &from, &to, err, sizeof(err)) != 0) {
		fprintf(stderr, "creneau: audit: %s\n", err);
		store_free(st);
		return NULL;
	}
	return st;
}

static int
verify(const struct config *cfg)
{
	unsigned char sk[64], pk[32];
	struct audit_verify_result res;
	struct store *st;
	char err[512];
	int have_pk, rc;

	if ((st = open_main(cfg)) == NULL)
		return 1;
	have_pk = audit_signing_key(cfg->audit_signing_key_file, 0, sk, pk, err,
		      sizeof(err)) == 0;
	sodium_memzero(sk, sizeof(sk));
	rc = audit_verify(st, have_pk ? pk : NULL, &res);
	store_free(st);
	if (rc < 0) {
		fprintf(stderr,
		    "creneau: audit verify: cannot read the trail\n");
		return 1;
	}
	if (rc > 0) {
		fprintf(stderr, "creneau: audit verify: %s\n", res.reason);
		return 1;
	}
	printf("audit trail verified: %" PRId64 " entries\n", res.checked);
	return 0;
}

struct printer {
	const struct data_key *key;
	long printed;
};

static void
set_sealed(json_t *o, const char *name, const struct data_key *key,
    const struct audit_row *row)
{
	char *pt = NULL;
	size_t n = 0;
	int rc = audit_open_sealed(key, row, name, &pt, &n);

	if (rc == 0) {
		json_t *v = strcmp(name, "details") == 0
		    ? json_loads(pt, 0, NULL)
		    : NULL;

		json_object_set_new(o, name, v ? v : json_string(pt));
		field_free(pt, n);
	} else if (rc < 0) {
		json_object_set_new(o, name, json_string("(cannot be opened)"));
	}
}

static int
print_row(void *arg, const struct audit_row *row)
{
	struct printer *p = arg;
	char at[32];
	json_t *o;
	char *s;

	clock_format_utc(row->at, at, sizeof(at));
	o = json_pack("{s:I, s:s, s:s?, s:s, s:s?, s:s?, s:s?, s:s?, s:s}",
	    "seq", (json_int_t)row->seq, "at", at, "actor", row->actor,
	    "action", row->action, "target_type", row->target_type,
	    "target_ids", row->target_ids, "org", row->org, "request_id",
	    row->request_id, "outcome", row->outcome);
	if (o == NULL)
		return 1;
	if (p->key != NULL) {
		set_sealed(o, "ip", p->key, row);
		set_sealed(o, "details", p->key, row);
	}
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL)
		return 1;
	puts(s);
	free(s);
	p->printed++;
	return 0;
}

/* Reads the system:audit key. Returns 0 or -1 (message printed). */
static int
audit_key(const struct config *cfg, struct data_key *key)
{
	struct keyring *kr = NULL;
	struct keystore *ks = NULL;
	struct store_config ksc;
	char err[512];
	int rc = -1;

	store_config_from(&ksc, cfg, STORE_SCHEMA_KEYS);
	if (keyring_load(cfg->master_key_file, &kr, err, sizeof(err)) != 0 ||
	    keystore_open_cfg(&ksc, kr, &ks, err, sizeof(err)) != 0) {
		fprintf(stderr, "creneau: audit: %s\n", err);
		goto done;
	}
	if (keystore_get(ks, "system:audit", 0, key) != 0) {
		fprintf(stderr, "creneau: audit: the audit key is missing\n");
		goto done;
	}
	rc = 0;
done:
	keystore_free(ks);
	keyring_free(kr);
	return rc;
}

static int
search(const struct config *cfg, int argc, char **argv)
{
	struct audit_filter f;
	struct printer p = { NULL, 0 };
	struct data_key *key = NULL;
	struct store *st;
	int i, details = 0, rc;

	memset(&f, 0, sizeof(f));
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--details") == 0) {
			details = 1;
			continue;
		}
		if (v == NULL)
			goto usage;
		i++;
		if (strcmp(a, "--actor") == 0)
			f.actor = v;
		else if (strcmp(a, "--action") == 0)
			f.action = v;
		else if (strcmp(a, "--target-type") == 0)
			f.target_type = v;
		else if (strcmp(a, "--target") == 0)
			f.target_id = v;
		else if (strcmp(a, "--since") == 0) {
			if (clock_parse_utc(v, &f.since_ms) != 0)
				goto badtime;
		} else if (strcmp(a, "--until") == 0) {
			if (clock_parse_utc(v, &f.until_ms) != 0)
				goto badtime;
		} else if (strcmp(a, "--limit") == 0) {
			if (num_parse_long(v, 1, 1000000, &f.limit) != 0) {
				fprintf(stderr,
				    "creneau: audit search: --limit: "
				    "expected 1 to 1000000\n");
				return 2;
			}
		} else
			goto usage;
	}
	if (details) {
		key = sodium_malloc(sizeof(*key));
		if (key == NULL || audit_key(cfg, key) != 0) {
			sodium_free(key);
			return 1;
		}
		p.key = key;
	}
	if ((st = open_main(cfg)) == NULL) {
		sodium_free(key);
		return 1;
	}
	rc = store_audit_scan(st, &f, print_row, &p);
	store_free(st);
	sodium_free(key);
	if (rc != 0) {
		fprintf(stderr,
		    "creneau: audit search: cannot read the trail\n");
		return 1;
	}
	return 0;
badtime:
	fprintf(stderr,
	    "creneau: audit search: expected a time like "
	    "2026-01-31T08:00:00Z\n");
	return 2;
usage:
	fprintf(stderr,
	    "creneau: audit search: unknown or incomplete "
	    "argument (see --help)\n");
	return 2;
}

int
cmd_audit(const struct config *cfg, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "verify") == 0 && argc == 1)
		return verify(cfg);
	if (argc >= 1 && strcmp(argv[0], "search") == 0)
		return search(cfg, argc - 1, argv + 1);
	fprintf(stderr,
	    "creneau: audit: expected verify or search (see "
	    "--help)\n");
	return 2;
}
