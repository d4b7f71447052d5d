/*
 * cmd_tenant_cert.h - `creneau tenant-certificate-verify`: checks a
 * client organisation's deletion certificate against the instance's
 * signing key.
 */
#ifndef CRENEAU_CMD_TENANT_CERT_H
#define CRENEAU_CMD_TENANT_CERT_H

#include "core/config.h"

extern const char usage_tenant_certificate_verify[];

/* Runs `creneau tenant-certificate-verify FILE [--public-key HEX]` or
 * `creneau tenant-certificate-verify --print-public-key`. Returns the
 * exit status: 0 when the signature holds (or the key was printed), 1
 * when it does not or the file cannot be read, 2 on a usage error. */
int cmd_tenant_certificate_verify(const struct config *cfg, int argc,
    char **argv);

#endif
