/*
 * tenants.h (store) - SQL for the life and settings of client
 * organisations (table tenants, migration 21).
 *
 * An organisation without a tenants row is active with the product's
 * defaults: every reader joins organisations to tenants and says so.
 * Sealed columns travel as blobs; the store never sees them in clear.
 * Every function runs on the connection c it is given.
 */
#ifndef CRENEAU_STORE_TENANTS_H
#define CRENEAU_STORE_TENANTS_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"

#define STORE_TENANT_STATE_MAX 16
#define STORE_TENANT_NAME_MAX 201
#define STORE_TENANT_RETENTION_MAX 1024

/* A client organisation and its tenants row (has_row 0: none yet). */
struct store_tenant {
	char org_id[STORE_ID_MAX];
	char name[STORE_ORG_NAME_MAX]; /* the organisation's own name */
	char kind[STORE_KIND_MAX];
	int64_t created_at;
	int has_row;
	char state[STORE_TENANT_STATE_MAX]; /* "active" when no row */
	struct store_blob reason; /* sealed */
	int64_t state_at;
	char state_by[STORE_ID_MAX];
	int64_t terminated_at, delete_after; /* 0: not terminated */
	char display_name[STORE_TENANT_NAME_MAX];
	struct store_blob contact, dpo_contact; /* sealed */
	struct store_blob mail_sender, mail_signature; /* sealed */
	char retention[STORE_TENANT_RETENTION_MAX]; /* JSON object text */
	int64_t password_min_length, password_max_age_days;
	int64_t session_idle_minutes, session_max_hours; /* 0: product's */
	int64_t updated_at;
};

/* Wipes t and frees its blobs. */
void store_tenant_clear(struct store_tenant *t);

/* Reads organisation org_id and its tenants row into out (blobs
 * malloc'ed: store_tenant_clear). Returns 0, 1 if there is no such
 * organisation, or -1. */
int store_tenant_get(struct store *st, struct store_conn *c, const char *org_id,
    struct store_tenant *out);

/* Calls fn for every organisation but the platform's, by name; t and
 * its blobs are borrowed for the call. Returns 0, or -1 (also when fn
 * stopped the walk). */
int store_tenant_list(struct store *st, struct store_conn *c,
    int (*fn)(void *arg, const struct store_tenant *t), void *arg);

/* Writes the tenants row of t->org_id (inserting it the first time):
 * every column but the organisation's own. Returns 0 or -1. */
int store_tenant_put(struct store *st, struct store_conn *c,
    const struct store_tenant *t);

/* What sign-in, sessions and passwords need of the organisation of
 * account_id: its state ("active" when no row) and its password and
 * session policy (0 in a member: the product's rule). */
struct store_tenant_policy {
	char state[STORE_TENANT_STATE_MAX];
	int64_t password_min_length, password_max_age_days;
	int64_t session_idle_minutes, session_max_hours;
};

/* Reads it into out. Returns 0, 1 if the account is unknown, or -1. */
int store_tenant_of_account(struct store *st, struct store_conn *c,
    const char *account_id, struct store_tenant_policy *out);

/* Calls fn with every active account of org_id holding one of its
 * administrator roles (school_admin, agent_admin). Returns 0 or -1. */
int store_tenant_admins(struct store *st, struct store_conn *c,
    const char *org_id, int (*fn)(void *arg, const char *account_id),
    void *arg);

/* Ends every session of every account of org_id. Returns how many, or
 * -1. */
long store_tenant_sessions_end(struct store *st, struct store_conn *c,
    const char *org_id);

#endif
