/* directory.h - an organisation's accounts, as its admin sees them. */
#ifndef CRENEAU_AUTH_DIRECTORY_H
#define CRENEAU_AUTH_DIRECTORY_H

#include "auth/account.h"

/* Called for each account (info borrowed for the call); return 0 to go
 * on. */
typedef int (*directory_fn)(void *arg, const struct account_info *info,
    const struct store_role *roles, size_t nroles);

/* Lists org_id's accounts with their roles in org_id, names and emails
 * opened (NULL when erased). Returns 0 or -1. */
int directory_list(const struct auth *a, const char *org_id, directory_fn fn,
    void *arg);

#endif
