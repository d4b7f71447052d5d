/*
 * cmd_export.h - `creneau tenant-export-open`: a client organisation's
 * export archive opened with its passphrase (docs/tenant-export.md).
 */
#ifndef CRENEAU_CMD_EXPORT_H
#define CRENEAU_CMD_EXPORT_H

#include "core/config.h"

extern const char usage_tenant_export_open[];

/* Runs `creneau tenant-export-open FILE DIR`, the passphrase read from
 * the first line of stdin. Returns the exit status: 0, 1 on failure
 * (wrong passphrase, altered archive), 2 on a usage error. */
int cmd_tenant_export_open(const struct config *cfg, int argc, char **argv);

#endif
