/*
 * dossier.h (service) - the encrypted dossiers (seed 002): a person files
 * a family or volunteer dossier with an association and adds documents
 * encrypted in the browser; a validator of the association registers a
 * public key, reads and decides. Each public function is one transaction:
 * it reads the records, asks the rules of src/dossiers/ to decide, writes
 * the outcome with its audit entry and notification, or nothing.
 *
 * Returns: DOSSIER_OK, another enum dossier_code refusal, DSVC_UNKNOWN
 * (no such dossier, document or key in the caller's reach: answered 404),
 * DSVC_NOT_ASSOCIATION (the organisation is no association), or -1 for
 * a storage failure.
 */
#ifndef CRENEAU_SERVICE_DOSSIER_H
#define CRENEAU_SERVICE_DOSSIER_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "dossiers/dossier.h"
#include "service/service.h"
#include "store/dossier_store.h"

#define DSVC_UNKNOWN 100
#define DSVC_NOT_ASSOCIATION 101
#define DSVC_DOCS_MAX 100 /* the highest documents_max */

struct dsvc {
	const struct auth *a;
	const struct dossier_rules *r;
};

/* A dossier opened for its holder or a validator. */
struct dossier_view {
	struct store_dossier d; /* its blobs are freed once opened */
	char *profile, *health, *comment; /* JSON, JSON, text; NULL: none */
	struct store_dossier_doc docs[DSVC_DOCS_MAX];
	size_t ndocs;
};

void svc_dossier_view_clear(struct dossier_view *v);

/*
 * Creates or updates the caller's dossier with association org_id:
 * kind, profile (a JSON object's text) and health (text, may be NULL),
 * sealed under the caller's key. Only in brouillon or a_completer, and
 * the kind of an existing dossier does not change. *id its id.
 */
int svc_dossier_save(const struct dsvc *s, const struct svc_actor *who,
    const char *org_id, enum dossier_kind kind, const char *profile,
    const char *health, int64_t now, int64_t *id);

/* Calls fn for each association (id, name) and *then* fn2 for each
 * dossier of the caller. Returns 0, or -1. */
int svc_dossier_overview(const struct dsvc *s, const struct svc_actor *who,
    int (*fn)(void *arg, const char *id, const char *name),
    store_dossier_fn fn2, void *arg);

/* Reads and opens the caller's dossier with org_id into *v. */
int svc_dossier_mine(const struct dsvc *s, const struct svc_actor *who,
    const char *org_id, struct dossier_view *v);

/*
 * Adds a document of type to the caller's dossier: jwe (len bytes) must
 * be a JWE JSON serialisation (dossiers/jose.h) whose recipients are
 * exactly the validator keys in force of the association. *doc its id.
 */
int svc_dossier_add_document(const struct dsvc *s, const struct svc_actor *who,
    const char *org_id, const char *type, const char *jwe, size_t len,
    int64_t now, int64_t *doc);

/* Removes document doc of the caller's dossier (editable states). */
int svc_dossier_remove_document(const struct dsvc *s,
    const struct svc_actor *who, const char *org_id, int64_t doc, int64_t now);

/* Submits the caller's dossier; *missing names a missing document type
 * on DOSSIER_PIECES_MANQUANTES (static storage of s->r). */
int svc_dossier_submit(const struct dsvc *s, const struct svc_actor *who,
    const char *org_id, int64_t now, const char **missing);

/* Calls fn for each dossier of the validator's organisation (state NULL:
 * any), at most limit; the blobs are not opened. */
int svc_dossiers_of_org(const struct dsvc *s, const struct svc_actor *who,
    const char *state, long limit, store_dossier_fn fn, void *arg);

/* Opens dossier id of the validator's organisation into *v (audited). */
int svc_dossier_review(const struct dsvc *s, const struct svc_actor *who,
    int64_t id, int64_t now, struct dossier_view *v);

/* Reads the JWE of document doc of dossier id (only when soumis; audited)
 * into *jwe (free()). */
int svc_dossier_document(const struct dsvc *s, const struct svc_actor *who,
    int64_t id, int64_t doc, int64_t now, char **jwe, size_t *len);

/*
 * Decides dossier id: d with comment (required but for validation). On
 * validation or refusal its documents are deleted in the same
 * transaction and the store then checkpointed, so the ciphertext stays
 * neither in the table, its free pages (secure_delete) nor the log. The
 * person is told (dossier.decided). *next the new state.
 */
int svc_dossier_decide(const struct dsvc *s, const struct svc_actor *who,
    int64_t id, enum dossier_decision d, const char *comment, int64_t now,
    enum dossier_state *next);

/* Registers the caller's public key jwk (text) for their organisation,
 * with the private key as the browser wrapped it (may be NULL). */
int svc_validator_key_add(const struct dsvc *s, const struct svc_actor *who,
    const char *jwk, const char *wrapped, int64_t now,
    struct store_validator_key *k);

/* Calls fn for each validator key of org_id (in force only when
 * in_force). */
int svc_validator_keys(const struct dsvc *s, const char *org_id, int in_force,
    store_validator_key_fn fn, void *arg);

/*
 * Revokes key id of the caller's organisation and removes its recipient
 * (its wrapped document keys) from the documents of every open dossier.
 */
int svc_validator_key_revoke(const struct dsvc *s, const struct svc_actor *who,
    int64_t id, int64_t now);

/* A document key to re-wrap: the caller's own recipient of document doc
 * of dossier, for the browser to unwrap and wrap again for a new key. */
typedef int (*svc_rewrap_fn)(void *arg, int64_t dossier, int64_t doc,
    const char *mine_kid, const char *encrypted_key);

/*
 * Calls fn for each document of the open dossiers (not yet decided) of the
 * caller's association that key key_id (in force) cannot open yet and one
 * of the caller's keys in force can. The server never unwraps: the
 * caller's browser does. Returns DOSSIER_OK, DSVC_UNKNOWN (no such key) or
 * -1.
 */
int svc_dossier_rewrap_list(const struct dsvc *s, const struct svc_actor *who,
    int64_t key_id, svc_rewrap_fn fn, void *arg);

/*
 * Adds to document doc of dossier the recipient of key key_id (in force,
 * of the caller's association) with encrypted_key (base64url), as the
 * caller's browser wrapped it. Returns DOSSIER_OK, DSVC_UNKNOWN,
 * DOSSIER_ETAT_INVALIDE (decided), DOSSIER_JWE_INVALIDE or -1.
 */
int svc_dossier_rewrap_add(const struct dsvc *s, const struct svc_actor *who,
    int64_t key_id, int64_t dossier, int64_t doc, const char *encrypted_key,
    int64_t now);

/* Reads the wrapped private key of the caller's key id (free()). */
int svc_validator_key_private(const struct dsvc *s, const struct svc_actor *who,
    int64_t id, char **out);

/* Retention (dossier_documents): deletes the documents of every dossier
 * decided at or before cutoff, then checkpoints the store. Returns their
 * count, or -1. */
long svc_dossier_docs_expire(const struct auth *a, int64_t cutoff, int64_t now);

/* Export: calls fn with each dossier of account_id opened (documents
 * listed, not their content), on the caller's connection c. Returns 0,
 * fn's non-zero, or -1. */
int svc_dossier_export(const struct auth *a, struct store_conn *c,
    const char *account_id, int (*fn)(void *arg, const struct dossier_view *v),
    void *arg);

/* Erasure: deletes the validator keys account_id registered (the
 * recipients they hold in documents become unusable). *n their count.
 * Inside the caller's transaction. Returns 0 or -1. */
int svc_validator_keys_erase(struct store *st, struct store_conn *c,
    const char *account_id, long *n);

/* Erasure and export: every dossier of account_id (its documents
 * deleted with it); *n the count. Inside the caller's transaction. */
int svc_dossiers_erase(struct store *st, struct store_conn *c,
    const char *account_id, long *n);

#endif
