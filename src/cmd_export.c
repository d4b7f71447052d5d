/* cmd_export.c - `creneau tenant-export-open FILE DIR`. */
#include "cmd_export.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "tenancy/export_archive.h"
#include "tenancy/export_open.h"

const char usage_tenant_export_open[] =
    "usage: creneau tenant-export-open FILE DIR\n"
    "\n"
    "Opens the export archive FILE of a client organisation with its\n"
    "passphrase, read from the first line of standard input, and writes\n"
    "its files (manifest.json, one JSON file per entity, CSV for the\n"
    "people) into DIR, created if missing. Every file is checked against\n"
    "the SHA-256 the manifest lists. A wrong passphrase, an altered or\n"
    "truncated archive fail with nothing trusted. No database is needed.\n";

int
cmd_tenant_export_open(const struct config *cfg, int argc, char **argv)
{
	char pass[EXPORT_PASSPHRASE_MAX + 2], err[512];
	size_t n;
	long entries = 0;
	int rc;

	(void)cfg;
	if (argc != 2) {
		fputs(usage_tenant_export_open, stderr);
		return 2;
	}
	if (fgets(pass, sizeof(pass), stdin) == NULL) {
		fprintf(stderr, "tenant-export-open: no passphrase on stdin\n");
		return 1;
	}
	n = strcspn(pass, "\r\n");
	pass[n] = '\0';
	rc = export_open(argv[0], pass, n, argv[1], &entries, err, sizeof(err));
	sodium_memzero(pass, sizeof(pass));
	if (rc != 0) {
		fprintf(stderr, "tenant-export-open: %s\n", err);
		return 1;
	}
	printf("%ld files written to %s, each checked against "
	       "manifest.json\n",
	    entries, argv[1]);
	return 0;
}
