/*
 * privacy.h (store) - SQL for the consent ledger, the policy
 * acknowledgements, the rights-request register and the account columns
 * the rights of rectification and restriction change.
 *
 * Same conventions as store/breach.h: every function runs on the
 * connection c it is given and returns 0 on success, 1 when the row is
 * not there, -1 on a database failure. Sealed bytes are never opened
 * here.
 */
#ifndef CRENEAU_STORE_PRIVACY_H
#define CRENEAU_STORE_PRIVACY_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"

#define STORE_PURPOSE_MAX 64
#define STORE_VERSION_MAX 96
#define STORE_VIA_MAX 8

/* One row of the consent ledger. 0 in withdrawn_at: still given. */
struct store_consent {
	int64_t id;
	char account_id[STORE_ID_MAX];
	char purpose[STORE_PURPOSE_MAX];
	char policy_version[STORE_VERSION_MAX];
	int64_t given_at;
	char given_via[STORE_VIA_MAX]; /* "web" or "api" */
	int64_t withdrawn_at;
	char withdrawn_via[STORE_VIA_MAX]; /* "web", "api", "renewed" or "" */
};

/* Reads the open (not withdrawn) consent of account_id for purpose.
 * Returns 0, 1 if there is none, or -1. */
int store_consent_open_get(struct store *st, struct store_conn *c,
    const char *account_id, const char *purpose, struct store_consent *out);

/* Inserts in as a new open consent (in->id ignored). Returns 0 or -1
 * (also when an open one exists for the same purpose). */
int store_consent_insert(struct store *st, struct store_conn *c,
    const struct store_consent *in);

/* Closes consent id at at by via. Returns 0, 1 if it is not open, -1. */
int store_consent_close(struct store *st, struct store_conn *c, int64_t id,
    int64_t at, const char *via);

/* Called per row, borrowed. Returns 0 to go on. */
typedef int (*store_consent_fn)(void *arg, const struct store_consent *r);

/* Calls fn for every ledger row of account_id, newest first. Returns 0 or
 * -1 (also when fn stops). */
int store_consent_list(struct store *st, struct store_conn *c,
    const char *account_id, store_consent_fn fn, void *arg);

/* Records that account_id acknowledged version at at (kept once: a second
 * acknowledgement keeps the first date). Returns 0 or -1. */
int store_policy_ack_insert(struct store *st, struct store_conn *c,
    const char *account_id, const char *version, int64_t at);

/* When account_id acknowledged version, into *at. Returns 0, 1 if never,
 * or -1. */
int store_policy_ack_get(struct store *st, struct store_conn *c,
    const char *account_id, const char *version, int64_t *at);

/* Calls fn with each version account_id acknowledged and when, oldest
 * first (version borrowed). Returns 0 or -1 (also when fn stops). */
int store_policy_ack_list(struct store *st, struct store_conn *c,
    const char *account_id,
    int (*fn)(void *arg, const char *version, int64_t at), void *arg);

/* Sets (at > 0) or lifts (at 0) the restriction of account id. Returns 0,
 * 1 if there is no such account, or -1. */
int store_account_restrict(struct store *st, struct store_conn *c,
    const char *id, int64_t at);

/* The restriction of account id into *at (0: none). Returns 0, 1 if there
 * is no such account, or -1. */
int store_account_restricted(struct store *st, struct store_conn *c,
    const char *id, int64_t *at);

/* Replaces the sealed display name of account id. Returns 0, 1 if there
 * is no such account, or -1. */
int store_account_name_set(struct store *st, struct store_conn *c,
    const char *id, const struct store_blob *name);

#define STORE_RR_KIND_MAX 16
#define STORE_RR_STATE_MAX 12

/* One rights request as stored. 0 in a time: not yet. */
struct store_rights_request {
	char id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char kind[STORE_RR_KIND_MAX];
	char subject_account[STORE_ID_MAX]; /* "" when not an account */
	int64_t received_at, identity_verified_at, due_at;
	int extended_months;
	char state[STORE_RR_STATE_MAX];
	int64_t closed_at;
	char opened_by[STORE_ID_MAX];
	int64_t updated_at, reminded_7_at, reminded_1_at;
	struct store_blob details; /* sealed JSON of the free texts */
};

/* Inserts r. Returns 0 or -1. */
int store_rr_insert(struct store *st, struct store_conn *c,
    const struct store_rights_request *r);

/* Rewrites the mutable columns of row r->id (not org_id, kind, subject,
 * received_at, opened_by). Returns 0, 1 if there is none, or -1. */
int store_rr_update(struct store *st, struct store_conn *c,
    const struct store_rights_request *r);

/* Reads row id into out; out->details.p is malloc'ed for the caller to
 * free(). Returns 0, 1 if there is none, or -1. */
int store_rr_get(struct store *st, struct store_conn *c, const char *id,
    struct store_rights_request *out);

/* Called per row; row and details borrowed. Returns 0 to go on. */
typedef int (*store_rr_fn)(void *arg, const struct store_rights_request *r);

/* Calls fn for every request of org_id, newest first. Returns 0 or -1. */
int store_rr_list(struct store *st, struct store_conn *c, const char *org_id,
    store_rr_fn fn, void *arg);

/* Calls fn for every request whose subject is account_id, newest first.
 * Returns 0 or -1. */
int store_rr_list_subject(struct store *st, struct store_conn *c,
    const char *account_id, store_rr_fn fn, void *arg);

/* Calls fn for every open request (not done nor refused) whose 7-day
 * reminder (due_at - week_ms <= now, not sent) or 1-day reminder (due_at -
 * day_ms <= now, not sent) is due, oldest due first. Returns 0 or -1. */
int store_rr_reminders_due(struct store *st, struct store_conn *c, int64_t now,
    int64_t week_ms, int64_t day_ms, store_rr_fn fn, void *arg);

/* Calls fn with each active account holding role in org_id. Returns 0 or
 * -1. */
int store_org_role_accounts(struct store *st, struct store_conn *c,
    const char *org_id, const char *role,
    int (*fn)(void *arg, const char *account_id), void *arg);

/* Deletes the requests received before cutoff and closed. Returns how
 * many, or -1. */
long store_rr_purge(struct store *st, struct store_conn *c, int64_t cutoff);

#endif
