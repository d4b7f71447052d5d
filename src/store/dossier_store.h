/*
 * dossier_store.h - the rows of the encrypted dossiers: dossiers,
 * dossier_documents (JWE texts, ciphertext only) and validator_keys.
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing, -1 on a database failure.
 */
#ifndef CRENEAU_STORE_DOSSIER_H
#define CRENEAU_STORE_DOSSIER_H

#include <stddef.h>
#include <stdint.h>

#include "dossiers/dossier.h"
#include "dossiers/jose.h"
#include "store/identity.h"
#include "store/store.h"

struct store_conn;

struct store_dossier {
	int64_t id;
	char org_id[STORE_ID_MAX];
	char account_id[STORE_ID_MAX];
	enum dossier_kind kind;
	enum dossier_state state;
	struct store_blob profile, health, comment; /* sealed; p NULL: none */
	int64_t created_at, updated_at, submitted_at, decided_at;
	int64_t destroyed_at; /* when its documents were destroyed; 0 */
	char decided_by[STORE_ID_MAX];
};

/* Frees the blobs of d (wiped). */
void store_dossier_clear(struct store_dossier *d);

/* Reads dossier id into *d. Returns 0, 1 or -1. */
int store_dossier_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_dossier *d);

/* Reads the dossier of account_id with org_id into *d. Returns 0, 1, -1. */
int store_dossier_of(struct store *st, struct store_conn *c, const char *org_id,
    const char *account_id, struct store_dossier *d);

/* Inserts d (blobs NULL) and sets d->id. Returns 0 or -1. */
int store_dossier_insert(struct store *st, struct store_conn *c,
    struct store_dossier *d);

/* Writes every field of d but its ids, org, account and kind. Returns 0,
 * 1 or -1. */
int store_dossier_update(struct store *st, struct store_conn *c,
    const struct store_dossier *d);

/* A dossier as a list shows it (blobs borrowed for the call only). */
typedef int (*store_dossier_fn)(void *arg, const struct store_dossier *d);

/* Calls fn for each dossier of org_id (state NULL: any), oldest
 * submission first, at most limit. Returns 0, fn's non-zero, or -1. */
int store_dossiers_of_org(struct store *st, struct store_conn *c,
    const char *org_id, const char *state, long limit, store_dossier_fn fn,
    void *arg);

/* Calls fn for each dossier of account_id. Returns 0, fn's, or -1. */
int store_dossiers_of_account(struct store *st, struct store_conn *c,
    const char *account_id, store_dossier_fn fn, void *arg);

/* Deletes the dossiers of account_id and their documents; *n their
 * count. Returns 0 or -1. */
int store_dossiers_delete_of_account(struct store *st, struct store_conn *c,
    const char *account_id, long *n);

/* Calls fn(arg, id, name) for each organisation of kind association.
 * Returns 0, fn's non-zero, or -1. */
int store_dossier_associations(struct store *st, struct store_conn *c,
    int (*fn)(void *arg, const char *id, const char *name), void *arg);

/* A document, without its JWE. */
struct store_dossier_doc {
	int64_t id;
	int64_t dossier_id;
	char type[DOSSIER_TYPE_MAX];
	int64_t size;
	int64_t uploaded_at;
};

typedef int (
    *store_dossier_doc_fn)(void *arg, const struct store_dossier_doc *doc);

/* Inserts a document; *id its id. Returns 0 or -1. */
int store_dossier_doc_insert(struct store *st, struct store_conn *c,
    int64_t dossier_id, const char *type, const char *jwe, size_t len,
    int64_t now, int64_t *id);

/* Calls fn for each document of dossier_id, oldest first. Returns 0,
 * fn's non-zero, or -1. */
int store_dossier_docs(struct store *st, struct store_conn *c,
    int64_t dossier_id, store_dossier_doc_fn fn, void *arg);

/* Reads the JWE of document doc_id of dossier_id into *jwe (malloc'ed,
 * NUL-terminated, free()), its length into *len. Returns 0, 1 or -1. */
int store_dossier_doc_jwe(struct store *st, struct store_conn *c,
    int64_t dossier_id, int64_t doc_id, char **jwe, size_t *len);

/* Replaces the JWE of document doc_id (a recipient removed). 0 or -1. */
int store_dossier_doc_rewrite(struct store *st, struct store_conn *c,
    int64_t doc_id, const char *jwe, size_t len);

/* Deletes document doc_id of dossier_id. Returns 0, 1 or -1. */
int store_dossier_doc_delete(struct store *st, struct store_conn *c,
    int64_t dossier_id, int64_t doc_id);

/* Deletes every document of dossier_id; *n their count. 0 or -1. */
int store_dossier_docs_delete(struct store *st, struct store_conn *c,
    int64_t dossier_id, long *n);

/* Deletes the documents of every dossier decided (valide, refuse) at or
 * before cutoff, marks those dossiers destroyed at now; *n the count of
 * documents. Returns 0 or -1. */
int store_dossier_docs_expire(struct store *st, struct store_conn *c,
    int64_t cutoff, int64_t now, long *n);

/* A validator's public key. */
struct store_validator_key {
	int64_t id;
	char org_id[STORE_ID_MAX];
	char account_id[STORE_ID_MAX];
	char jwk[JOSE_JWK_MAX]; /* canonical (RFC 7638) */
	char fingerprint[DOSSIER_FINGERPRINT_HEX];
	int has_private; /* a wrapped private key is stored */
	int64_t created_at, revoked_at; /* revoked_at 0: in force */
};

typedef int (
    *store_validator_key_fn)(void *arg, const struct store_validator_key *k);

/* Inserts k with wrapped (may be NULL); sets k->id. Returns 0, 1 when
 * the fingerprint is already known, or -1. */
int store_validator_key_insert(struct store *st, struct store_conn *c,
    struct store_validator_key *k, const char *wrapped);

/* Calls fn for each key of org_id (only those in force when in_force),
 * oldest first. Returns 0, fn's non-zero, or -1. */
int store_validator_keys_of_org(struct store *st, struct store_conn *c,
    const char *org_id, int in_force, store_validator_key_fn fn, void *arg);

/* Revokes key id of org_id at now. Returns 0, 1 (none in force) or -1. */
int store_validator_key_revoke(struct store *st, struct store_conn *c,
    const char *org_id, int64_t id, int64_t now);

/* Deletes the keys account_id registered; *n their count. 0 or -1. */
int store_validator_keys_delete_of_account(struct store *st,
    struct store_conn *c, const char *account_id, long *n);

/* Reads the wrapped private key of key id, held by account_id, into
 * *out (malloc'ed, free()). Returns 0, 1 (none) or -1. */
int store_validator_key_private(struct store *st, struct store_conn *c,
    const char *account_id, int64_t id, char **out);

#endif
