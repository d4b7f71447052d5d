/* directory.h (store) - listing an organisation's accounts. */
#ifndef CRENEAU_STORE_DIRECTORY_H
#define CRENEAU_STORE_DIRECTORY_H

#include "store/store.h"

/* Called with each account id of the organisation, oldest first; return
 * 0 to go on. */
typedef int (*store_id_fn)(void *arg, const char *id);

/* Lists the ids of org_id's accounts (every account when org_id is
 * NULL), at most limit. Returns 0 or -1. */
int store_account_ids(struct store *st, const char *org_id, long limit,
    store_id_fn fn, void *arg);

#endif
