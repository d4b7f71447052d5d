/* cmd_user.h - `creneau org add` and `creneau user add`. */
#ifndef CRENEAU_CMD_USER_H
#define CRENEAU_CMD_USER_H

#include "core/config.h"

extern const char usage_org[];
extern const char usage_user[];

/* `creneau org add --name NAME --kind KIND`: prints the new id.
 * Returns the exit status. */
int cmd_org(const struct config *cfg, int argc, char **argv);

/* `creneau user add --org ID --email EMAIL --name NAME --role ROLE...`:
 * prints the account id and a temporary password, shown this once and
 * never stored in clear; it must be changed at first sign-in. Returns the
 * exit status. */
int cmd_user(const struct config *cfg, int argc, char **argv);

#endif
