/* cmd_retention.h - `creneau retention run`. */
#ifndef CRENEAU_CMD_RETENTION_H
#define CRENEAU_CMD_RETENTION_H

#include "core/config.h"

extern const char usage_retention[];

/*
 * Runs `creneau retention run [--at TIME]`: applies the data map's
 * retention rules now, or at the simulated time TIME (the report records
 * it as simulated), writes the purge report and prints it. Returns the
 * exit status: 0 when every purger ran and the report was written, 1 on
 * error, 2 on a usage error.
 */
int cmd_retention(const struct config *cfg, int argc, char **argv);

#endif
