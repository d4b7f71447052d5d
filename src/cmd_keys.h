/* cmd_keys.h - `creneau keys`: create, rotate and inspect the master key. */
#ifndef CRENEAU_CMD_KEYS_H
#define CRENEAU_CMD_KEYS_H

#include "core/config.h"

/* The text of `creneau keys --help`. */
extern const char usage_keys[];

/*
 * Runs `creneau keys SUBCOMMAND` with the arguments after "keys":
 * "init" creates [keys] master_key_file (refusing to overwrite one),
 * "rotate" adds a master version, re-wraps every data key of [keys]
 * keystore under it and retires the older versions once no key uses them,
 * "status" prints the versions and how many keys each wraps. Progress
 * goes to stdout, one line per step with counts and never key material;
 * a failure is one line on stderr. Returns the exit status: 0, 1 on
 * failure, 2 on a usage error.
 */
int cmd_keys(const struct config *cfg, int argc, char **argv);

#endif
