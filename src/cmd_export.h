/*
 * cmd_export.h - `creneau tenant-export-open`: a client organisation's
 * export archive opened with its passphrase (docs/tenant-export.md).
 */
#ifndef CRENEAU_CMD_EXPORT_H
#define CRENEAU_CMD_EXPORT_H

#include "core/config.h"

extern const char usage_tenant_export_open[], usage_tenant_export_keygen[];

/* Runs `creneau tenant-export-open FILE DIR [--secret-key KEYFILE]`, the
 * passphrase read from the first line of stdin (or the archive opened
 * with the X25519 secret key in KEYFILE, base64). Returns the exit
 * status: 0, 1 on failure (wrong passphrase or key, altered archive), 2
 * on a usage error. */
int cmd_tenant_export_open(const struct config *cfg, int argc, char **argv);

/* Runs `creneau tenant-export-keygen KEYFILE`: a new X25519 key pair, the
 * secret key written to KEYFILE (base64, mode 0600, never overwritten),
 * the public key printed (base64), to give to POST .../export. */
int cmd_tenant_export_keygen(const struct config *cfg, int argc, char **argv);

#endif
