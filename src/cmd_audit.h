/* cmd_audit.h - `creneau audit verify|search`. */
#ifndef CRENEAU_CMD_AUDIT_H
#define CRENEAU_CMD_AUDIT_H

#include "core/config.h"

extern const char usage_audit[];

/* Runs `creneau audit SUBCOMMAND`. Returns the exit status: 0 when the
 * trail verifies (or the search ran), 1 when it does not or on error,
 * 2 on a usage error. */
int cmd_audit(const struct config *cfg, int argc, char **argv);

#endif
