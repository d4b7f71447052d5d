/*
 * tenant_deletion.h (store) - SQL for the deletion of a terminated
 * client organisation: whose keys go (the people known only to it), the
 * one list of what is deleted and in which order (children before the
 * rows they reference), and its signed certificate (table
 * tenant_deletions, migration 25).
 *
 * Every function runs on the connection c it is given.
 */
#ifndef CRENEAU_STORE_TENANT_DELETION_H
#define CRENEAU_STORE_TENANT_DELETION_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"

/* One step of the deletion: the rows of table that where selects ($1 is
 * the organisation's id), named for the certificate's counts. */
struct store_deletion_step {
	const char *name, *table, *where;
};

extern const struct store_deletion_step store_deletion_steps[];
extern const size_t store_deletion_steps_count;

/* Deletes the rows of step s for org_id. Returns how many, or -1. */
long store_deletion_step_run(struct store *st, struct store_conn *c,
    const struct store_deletion_step *s, const char *org_id);

/*
 * Calls fn with the owner of every data key held for a person known only
 * to org_id ("subject:<account>" for its accounts holding no role
 * elsewhere, "subject:candidate:<id>" for candidates of its schools
 * alone, "subject:appt_user:<id>" for its users and relatives). Returns
 * 0, or -1 (also when fn stopped the walk).
 */
int store_deletion_key_owners(struct store *st, struct store_conn *c,
    const char *org_id, int (*fn)(void *arg, const char *owner), void *arg);

/* Deletes candidate id (text), its mandates and bookings gone. Returns
 * 0 or -1. */
int store_deletion_candidate_delete(struct store *st, struct store_conn *c,
    const char *id);

/* Sets the state of org_id to "deleted" at now, clearing the sealed
 * settings of its tenants row (their key is gone); creates the row for an
 * organisation that never had one. Returns 0 or -1. */
int store_deletion_tenant_mark(struct store *st, struct store_conn *c,
    const char *org_id, int64_t now);

/* Writes the certificate of org_id (JSON text, signed inside). Returns 0
 * or -1. */
int store_deletion_certificate_put(struct store *st, struct store_conn *c,
    const char *org_id, int64_t deleted_at, const char *certificate);

/* Reads the certificate of org_id into *out (malloc'ed, NUL-ended) and
 * its deletion time into *deleted_at (may be NULL). Returns 0, 1 if
 * there is none, or -1. */
int store_deletion_certificate_get(struct store *st, struct store_conn *c,
    const char *org_id, char **out, int64_t *deleted_at);

#endif
