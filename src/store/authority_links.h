/*
 * authority_links.h (store) - SQL of remote mode (service/remote_link.h):
 * each school employee's link to the remote exam authority, and the
 * links being made.
 *
 * The tokens and the PKCE verifier arrive sealed under the organisation's
 * key and leave sealed; the state of a link being made is stored only as
 * its hash. Each function is one statement on the caller's connection c,
 * inside the caller's transaction.
 */
#ifndef CRENEAU_STORE_AUTHORITY_LINKS_H
#define CRENEAU_STORE_AUTHORITY_LINKS_H

#include <stdint.h>

#include "store/identity.h"

#define STORE_AUTHORITY_SCOPE_MAX 129

struct store_authority_link {
	char account_id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	struct store_blob access_token, refresh_token; /* sealed */
	int64_t access_expires_at;
	char scope[STORE_AUTHORITY_SCOPE_MAX];
	int64_t linked_at, refreshed_at;
};

/* Wipes and frees the blobs of l. */
void store_authority_link_clear(struct store_authority_link *l);

/* Writes the link of l->account_id, replacing the one it had. */
int store_authority_link_put(struct store *st, struct store_conn *c,
    const struct store_authority_link *l);

/* Reads the link of account_id. Returns 0, 1 if none, -1. */
int store_authority_link_get(struct store *st, struct store_conn *c,
    const char *account_id, struct store_authority_link *out);

/* Deletes the link of account_id. Returns 0, 1 if none, -1. */
int store_authority_link_delete(struct store *st, struct store_conn *c,
    const char *account_id);

struct store_authority_request {
	unsigned char state_hash[STORE_HASH_BYTES];
	char account_id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	struct store_blob verifier; /* sealed */
	int64_t created_at, expires_at;
};

int store_authority_request_insert(struct store *st, struct store_conn *c,
    const struct store_authority_request *r);

/* Reads and deletes the request whose state hashes to state_hash (a state
 * serves once). Returns 0, 1 if none, -1. */
int store_authority_request_take(struct store *st, struct store_conn *c,
    const unsigned char state_hash[STORE_HASH_BYTES],
    struct store_authority_request *out);

/* Deletes the requests expired at now. Returns how many, or -1. */
long store_authority_request_sweep(struct store *st, struct store_conn *c,
    int64_t now);

#endif
