/*
 * rights.h (store) - the rows the rights of access and erasure need
 * beyond store/identity.h: one person's journal entries and grants, the
 * deletions of erasure, and who else holds a role.
 *
 * Same conventions as store/identity.h: every function runs on the
 * connection c it is given, returns 0 (or a count) on success and -1 on
 * a database failure; rows handed to callbacks are borrowed.
 */
#ifndef CRENEAU_STORE_RIGHTS_H
#define CRENEAU_STORE_RIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"

/*
 * Calls fn for each connection journal entry of account_id, newest first.
 * Returns 0 or -1.
 */
int store_rights_journal_list(struct store *st, struct store_conn *c,
    const char *account_id, store_journal_fn fn, void *arg);

/*
 * Lists every grant of account_id, expired or not, newest first, into out
 * (room for max). Returns how many there are (possibly more than max), or
 * -1.
 */
long store_rights_grant_list(struct store *st, struct store_conn *c,
    const char *account_id, struct store_grant *out, size_t max);

/* Deletes every grant of account_id. Returns how many, or -1. */
long store_rights_grant_delete(struct store *st, struct store_conn *c,
    const char *account_id);

/* Deletes every role of account_id. Returns how many, or -1. */
long store_rights_role_delete(struct store *st, struct store_conn *c,
    const char *account_id);

/* Deletes every recovery code of account_id. Returns how many, or -1. */
long store_rights_recovery_delete(struct store *st, struct store_conn *c,
    const char *account_id);

/* Deletes the account row id. Returns 0, 1 if there was none, or -1. */
int store_rights_account_delete(struct store *st, struct store_conn *c,
    const char *id);

/*
 * Counts the active accounts other than except that hold role (in any
 * organisation). Returns the count, or -1.
 */
long store_rights_role_others(struct store *st, struct store_conn *c,
    const char *role, const char *except);

#endif
