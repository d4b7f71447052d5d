/*
 * oauth.h (store) - SQL of the authorization server for partner software
 * (src/auth/oauth.h): registered clients, pending consent requests,
 * authorization codes, grants and their tokens.
 *
 * Secrets (client secrets, request ids, codes, tokens) are stored only as
 * the BLAKE2b-256 hash of their random bytes. Each function is one
 * statement on the caller's connection c, inside the caller's
 * transaction.
 */
#ifndef CRENEAU_STORE_OAUTH_H
#define CRENEAU_STORE_OAUTH_H

#include <stdint.h>

#include "store/identity.h"

#define STORE_OAUTH_NAME_MAX 129 /* client name: 128 bytes and NUL */
#define STORE_OAUTH_URI_MAX 513 /* one redirect URI */
#define STORE_OAUTH_URIS_MAX (5 * STORE_OAUTH_URI_MAX) /* newline-separated */
#define STORE_OAUTH_SCOPE_MAX 129 /* space-separated scope names */
#define STORE_OAUTH_STATE_MAX 513 /* the client's state, echoed */
#define STORE_OAUTH_CHALLENGE_MAX 65 /* PKCE S256 challenge: 43 chars */

struct store_oauth_client {
	char id[STORE_ID_MAX];
	char name[STORE_OAUTH_NAME_MAX];
	unsigned char secret_hash[STORE_HASH_BYTES];
	char redirect_uris[STORE_OAUTH_URIS_MAX]; /* one per line */
	char scopes[STORE_OAUTH_SCOPE_MAX]; /* the scopes it may ask for */
	char created_by[STORE_ID_MAX]; /* "" when made by the system */
	int64_t created_at;
	int64_t revoked_at; /* 0 while active */
};

struct store_oauth_request {
	unsigned char id_hash[STORE_HASH_BYTES];
	char client_id[STORE_ID_MAX];
	char redirect_uri[STORE_OAUTH_URI_MAX];
	char scope[STORE_OAUTH_SCOPE_MAX];
	char state[STORE_OAUTH_STATE_MAX]; /* "" when the client sent none */
	char challenge[STORE_OAUTH_CHALLENGE_MAX];
	int64_t created_at, expires_at;
};

struct store_oauth_code {
	unsigned char code_hash[STORE_HASH_BYTES];
	char client_id[STORE_ID_MAX];
	char account_id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char redirect_uri[STORE_OAUTH_URI_MAX];
	char scope[STORE_OAUTH_SCOPE_MAX];
	char challenge[STORE_OAUTH_CHALLENGE_MAX];
	int64_t created_at, expires_at;
	char grant_id[STORE_ID_MAX]; /* "" until exchanged */
};

struct store_oauth_grant {
	char id[STORE_ID_MAX];
	char client_id[STORE_ID_MAX];
	char client_name[STORE_OAUTH_NAME_MAX]; /* filled by the readers */
	char account_id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char scope[STORE_OAUTH_SCOPE_MAX];
	int64_t created_at, last_used_at;
	int64_t revoked_at; /* 0 while live */
	char revoked_reason[32];
};

struct store_oauth_token {
	unsigned char token_hash[STORE_HASH_BYTES];
	char grant_id[STORE_ID_MAX];
	int refresh; /* 1: refresh token, 0: access token */
	int64_t created_at, expires_at;
	int64_t used_at; /* refresh: when it was rotated; 0 unused */
};

/* Clients. get returns 0, 1 if none, or -1. */
int store_oauth_client_insert(struct store *st, struct store_conn *c,
    const struct store_oauth_client *cl);
int store_oauth_client_get(struct store *st, struct store_conn *c,
    const char *id, struct store_oauth_client *cl);
/* Calls fn for every client, oldest first (fn non-zero stops and fails).
 * Returns 0 or -1. */
int store_oauth_client_list(struct store *st, struct store_conn *c,
    int (*fn)(void *arg, const struct store_oauth_client *cl), void *arg);
/* Marks client id revoked at now. Returns 0, 1 if none or already, -1. */
int store_oauth_client_revoke(struct store *st, struct store_conn *c,
    const char *id, int64_t now);

/* Pending consent requests. take reads and deletes it: 0, 1, -1. */
int store_oauth_request_insert(struct store *st, struct store_conn *c,
    const struct store_oauth_request *r);
int store_oauth_request_get(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES],
    struct store_oauth_request *r);
int store_oauth_request_take(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES],
    struct store_oauth_request *r);

/* Codes. get: 0, 1, -1. mark_used sets grant_id on a code not used yet:
 * 0, 1 if it was already used (or is gone), -1. */
int store_oauth_code_insert(struct store *st, struct store_conn *c,
    const struct store_oauth_code *k);
int store_oauth_code_get(struct store *st, struct store_conn *c,
    const unsigned char code_hash[STORE_HASH_BYTES],
    struct store_oauth_code *k);
int store_oauth_code_mark_used(struct store *st, struct store_conn *c,
    const unsigned char code_hash[STORE_HASH_BYTES], const char *grant_id);

/* Grants. get: 0, 1, -1 (client_name filled). */
int store_oauth_grant_insert(struct store *st, struct store_conn *c,
    const struct store_oauth_grant *g);
int store_oauth_grant_get(struct store *st, struct store_conn *c,
    const char *id, struct store_oauth_grant *g);
int store_oauth_grant_touch(struct store *st, struct store_conn *c,
    const char *id, int64_t now);
/* Revokes grant id (if live) with reason at now and deletes its tokens.
 * Returns 0, 1 if it was not live, or -1. */
int store_oauth_grant_revoke(struct store *st, struct store_conn *c,
    const char *id, const char *reason, int64_t now);
/* Revokes every live grant of account_id with reason at now and deletes
 * their tokens. Returns how many grants ended, or -1. */
long store_oauth_grant_revoke_account(struct store *st, struct store_conn *c,
    const char *account_id, const char *reason, int64_t now);
/* Calls fn for the live grants of account_id (account_id non-NULL) or
 * of client_id, newest first. Returns 0 or -1. */
int store_oauth_grant_list(struct store *st, struct store_conn *c,
    const char *account_id, const char *client_id,
    int (*fn)(void *arg, const struct store_oauth_grant *g), void *arg);

/* Tokens. get: 0, 1, -1. mark_used sets used_at on an unused refresh
 * token: 0, 1 if it was already used, -1. delete: 0, 1 if none, -1. */
int store_oauth_token_insert(struct store *st, struct store_conn *c,
    const struct store_oauth_token *t);
int store_oauth_token_get(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES],
    struct store_oauth_token *t);
int store_oauth_token_mark_used(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], int64_t now);
int store_oauth_token_delete(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES]);

/*
 * Retention: deletes the requests, codes and tokens that ended at or
 * before now, and the grants revoked, or left without any token, before
 * now - keep_ms. Returns how many rows went, or -1.
 */
long store_oauth_purge(struct store *st, struct store_conn *c, int64_t now,
    int64_t keep_ms);

#endif
