/*
 * startup.h - what the privacy engine checks and finishes before the
 * server serves anyone.
 */
#ifndef CRENEAU_GDPR_STARTUP_H
#define CRENEAU_GDPR_STARTUP_H

#include <stddef.h>

#include "auth/auth.h"

/*
 * Run by `creneau serve` once the schema is migrated and the keys are
 * open (a->st, a->ks):
 * - the live schema is read and every column must be declared in
 *   src/store/columns.c (store_columns_check; the data map is checked
 *   against that declaration by datamap_check_columns): a column added
 *   without its declaration stops the server;
 * - the supervisors' notes written in clear before migration 13 are
 *   moved, sealed under their author's key, and the clear text is
 *   overwritten (svc_slot_request_seal_legacy).
 * Returns 0, or -1 with one line in err (for an undeclared column, the
 * table and the column).
 */
int gdpr_startup(const struct auth *a, char *err, size_t errlen);

#endif
