/*
 * authority_copies.h (store) - remote mode: the last answer each employee
 * had from the remote authority for a list (candidates, mandates, exams),
 * sealed under the school's key, shown read-only while the authority does
 * not answer (service/remote_link.h). One row per account and list; each
 * function is one statement on the caller's connection c.
 */
#ifndef CRENEAU_STORE_AUTHORITY_COPIES_H
#define CRENEAU_STORE_AUTHORITY_COPIES_H

#include <stdint.h>

#include "store/identity.h"

#define STORE_COPY_KIND_MAX 16

/* Writes (replacing) the copy of kind for account_id of org_id. */
int store_authority_copy_put(struct store *st, struct store_conn *c,
    const char *account_id, const char *org_id, const char *kind,
    const struct store_blob *body, int64_t fetched_at);

/* Reads the copy of kind for account_id into *body (free it with
 * store_blob_wipe) and *fetched_at. Returns 0, 1 if none, -1. */
int store_authority_copy_get(struct store *st, struct store_conn *c,
    const char *account_id, const char *kind, struct store_blob *body,
    int64_t *fetched_at);

/* Deletes the copies fetched before cutoff. Returns how many, or -1. */
long store_authority_copy_purge(struct store *st, struct store_conn *c,
    int64_t cutoff);

#endif
