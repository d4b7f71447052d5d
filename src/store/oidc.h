/*
 * oidc.h (store) - SQL of OpenID Connect sign-in (src/auth/oidc.h): the
 * flows under way (the hash of their state, 10 minutes) and the links
 * between a provider's subject (as a blind index) and an account. Each
 * function is one statement, or two in the caller's transaction c.
 */
#ifndef CRENEAU_STORE_OIDC_H
#define CRENEAU_STORE_OIDC_H

#include <stdint.h>

#include "store/identity.h"

#define STORE_OIDC_PROVIDER_MAX 33

/* A flow under way: sent to the provider, not back yet. */
struct store_oidc_flow {
	unsigned char state_hash[STORE_HASH_BYTES];
	char provider[STORE_OIDC_PROVIDER_MAX];
	char account_id[STORE_ID_MAX]; /* "" unless the flow links an
					  account (its signed-in holder) */
	int64_t created_at, expires_at;
};

/* Inserts f. Returns 0 or -1. */
int store_oidc_flow_insert(struct store *st, struct store_conn *c,
    const struct store_oidc_flow *f);

/* Deletes the flow of state_hash into *f: a state serves once. Returns
 * 0, 1 if there is none, or -1. */
int store_oidc_flow_take(struct store *st, struct store_conn *c,
    const unsigned char state_hash[STORE_HASH_BYTES],
    struct store_oidc_flow *f);

/* Deletes the flows that end at or before now. Returns how many, or -1. */
long store_oidc_flow_purge(struct store *st, struct store_conn *c, int64_t now);

/* A link: the subject sub_index at provider is account_id. */
struct store_oidc_link {
	char provider[STORE_OIDC_PROVIDER_MAX];
	char sub_index[STORE_INDEX_MAX];
	char account_id[STORE_ID_MAX];
	int64_t created_at;
	int64_t confirmed_at; /* 0: waiting for its holder's confirmation */
};

/* Reads the link of (provider, sub_index). Returns 0, 1 if none, or -1. */
int store_oidc_link_get(struct store *st, struct store_conn *c,
    const char *provider, const char *sub_index, struct store_oidc_link *l);

/*
 * Records l as waiting for confirmation, replacing a waiting link of the
 * same account and provider. Returns 0, 1 when the subject is already
 * linked to an account or the account already has a confirmed link with
 * this provider, or -1.
 */
int store_oidc_link_propose(struct store *st, struct store_conn *c,
    const struct store_oidc_link *l);

/* Confirms the waiting link of account_id with provider made after
 * since, at now. Returns 0, 1 if there is none, or -1. */
int store_oidc_link_confirm(struct store *st, struct store_conn *c,
    const char *account_id, const char *provider, int64_t since, int64_t now);

/* Deletes the waiting links made before cutoff. Returns how many, or -1. */
long store_oidc_link_purge(struct store *st, struct store_conn *c,
    int64_t cutoff);

/* Marks session id_hash as opened through provider, with the ID token
 * (sealed by the caller) for the provider's logout. Returns 0, 1 if the
 * session is gone, or -1. */
int store_oidc_session_set(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES], const char *provider,
    const struct store_blob *id_token);

/* Reads the provider of session id_hash and its sealed ID token (a
 * malloc'ed copy: free id_token->p). Returns 0, 1 if the session is gone
 * or was not opened through a provider, or -1. */
int store_oidc_session_get(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES],
    char provider[STORE_OIDC_PROVIDER_MAX], struct store_blob *id_token);

#endif
