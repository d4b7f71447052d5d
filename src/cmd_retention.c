/*
 * cmd_retention.c - the retention engine from the command line: what the
 * daily job does, at once, and at a simulated time if asked (tests,
 * rehearsals before a change of rules).
 */
#include "cmd_retention.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appkeys.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "gdpr/datamap.h"
#include "gdpr/retention.h"
#include "store/columns.h"
#include "store/store.h"

const char usage_retention[] =
    "usage: creneau [--config FILE] retention run [--at TIME]\n"
    "\n"
    "Applies the retention rules of the data map ([gdpr] datamap) now, or\n"
    "at TIME (YYYY-MM-DDTHH:MM:SSZ, recorded as a simulated run), writes a\n"
    "purge report (counts per rule and category, never the data) with its\n"
    "audit entry, and prints it. Rules whose module is not present yet and\n"
    "legal holds are listed as such.\n";

static void
print_report(const struct retention_report *rep)
{
	char at[32], cut[32];
	size_t i, j;

	if (clock_format_utc(rep->started_ms, at, sizeof(at)) != 0)
		at[0] = '\0';
	printf("retention run at %s%s: %ld removed, report %" PRId64 "\n", at,
	    rep->simulated ? " (simulated)" : "", rep->total, rep->report_id);
	printf("rules:\n");
	for (i = 0; i < rep->nrules; i++) {
		const struct retention_rule_result *r = &rep->rules[i];

		printf("  %-22s %s", r->rule, retention_status_name(r->status));
		if (r->status == RETENTION_APPLIED ||
		    r->status == RETENTION_PARTIAL ||
		    r->status == RETENTION_FAILED)
			printf(", %ld removed", r->removed);
		putchar('\n');
		for (j = 0; j < rep->npurges; j++) {
			const struct retention_purge_result *p =
			    &rep->purges[j];

			if (strcmp(p->purger->rule, r->rule) != 0)
				continue;
			if (clock_format_utc(p->cutoff_ms, cut, sizeof(cut)) !=
			    0)
				cut[0] = '\0';
			if (p->removed < 0)
				printf("    %-20s failed\n", p->purger->what);
			else
				printf("    %-20s %ld removed (before %s)\n",
				    p->purger->what, p->removed, cut);
		}
	}
	printf("categories:\n");
	for (i = 0; i < rep->ncategories; i++)
		printf("  %-22s %ld removed\n", rep->categories[i].category,
		    rep->categories[i].removed);
}

static int
run(const struct config *cfg, int64_t at, int simulated)
{
	struct store_config sc;
	struct retention_report *rep = NULL;
	struct retention_ctx ctx;
	struct datamap *map = NULL;
	struct app_keys keys;
	struct store *st = NULL;
	struct auth au;
	char err[512];
	int from, to, rc = 1;

	store_config_from(&sc, cfg, STORE_SCHEMA_MAIN);
	memset(&keys, 0, sizeof(keys));
	map = datamap_load(cfg->datamap_path, err, sizeof(err));
	if (map == NULL || datamap_validate(map, err, sizeof(err)) != 0 ||
	    datamap_check_columns(map, store_columns, store_columns_count, err,
		sizeof(err)) != 0) {
		fprintf(stderr, "creneau: retention: [gdpr] datamap: %s\n",
		    err);
		goto done;
	}
	st = store_open(&sc, err, sizeof(err));
	if (st == NULL ||
	    store_migrate(st, &from, &to, err, sizeof(err)) != 0 ||
	    app_keys_open(&keys, cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "creneau: retention: %s\n", err);
		goto done;
	}
	if ((rep = calloc(1, sizeof(*rep))) == NULL) {
		fprintf(stderr, "creneau: retention: out of memory\n");
		goto done;
	}
	au.st = st;
	au.ks = keys.keystore;
	au.audit_key = keys.audit;
	memset(&ctx, 0, sizeof(ctx));
	ctx.st = st;
	ctx.auth = &au;
	ctx.keys = &keys;
	ctx.audit_retention_days = cfg->audit_retention_days;
	ctx.simulated = simulated;
	ctx.clock = clock_real();
	rc = retention_run(&ctx, map, at, rep) == 0 ? 0 : 1;
	print_report(rep);
	if (rc != 0)
		fprintf(stderr, "creneau: retention: %d failure(s)%s\n",
		    rep->failures,
		    rep->report_id == 0 ? ", no report written" : "");
done:
	free(rep);
	app_keys_close(&keys);
	store_free(st);
	datamap_free(map);
	return rc;
}

int
cmd_retention(const struct config *cfg, int argc, char **argv)
{
	int64_t at = clock_now_ms(clock_real());
	int simulated = 0;

	if (argc < 1 || strcmp(argv[0], "run") != 0 ||
	    !(argc == 1 || (argc == 3 && strcmp(argv[1], "--at") == 0))) {
		fputs(usage_retention, stderr);
		return 2;
	}
	if (argc == 3) {
		if (clock_parse_utc(argv[2], &at) != 0) {
			fprintf(stderr,
			    "creneau: retention run: --at: expected a time "
			    "like 2030-01-01T00:00:00Z\n");
			return 2;
		}
		simulated = 1;
	}
	return run(cfg, at, simulated);
}
