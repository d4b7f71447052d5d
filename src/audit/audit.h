/*
 * audit.h - the tamper-evident audit trail.
 *
 * Every entry is tied to the previous one by a BLAKE2b-256 hash over all
 * its stored bytes (ciphertexts included, so verification needs no key).
 * An entry is appended inside the very transaction of the change it
 * records: the change and its entry commit together or not at all, and
 * the database's write lock serialises appends, so the chain never forks.
 * The IP address and the free-form details are sealed under the
 * system:audit data key. The retention purge removes a prefix of the
 * chain and leaves an Ed25519-signed checkpoint from which the rest still
 * verifies.
 */
#ifndef CRENEAU_AUDIT_H
#define CRENEAU_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/keyring.h"
#include "store/audit.h"

enum audit_outcome { AUDIT_SUCCESS, AUDIT_FAILURE, AUDIT_DENIED };

/* What a caller records. Any member but action may be NULL. */
struct audit_entry {
	const char *actor; /* account id, NULL for the system */
	const char *action; /* "auth.login", "booking.validate"... */
	const char *target_type; /* "candidate", "slot"... */
	const char *target_ids; /* comma-separated ids */
	const char *org; /* organisation id */
	const char *ip; /* client address: sealed */
	const char *request_id;
	enum audit_outcome outcome;
	const char *details; /* JSON text, never in clear at rest: sealed */
};

struct store_conn;

/*
 * Appends e inside the caller's open write transaction on c, at now_ms.
 * key seals ip and details; it may be NULL only when both are NULL.
 * *seq (may be NULL) receives the entry's number. Returns 0 or -1 (the
 * caller then rolls back its change too).
 */
int audit_append(struct store *st, struct store_conn *c,
    const struct data_key *key, int64_t now_ms, const struct audit_entry *e,
    int64_t *seq);

/*
 * Convenience: appends e in a transaction of its own (for events with no
 * other change, such as a refused login). Returns 0 or -1.
 */
int audit_record(struct store *st, const struct data_key *key, int64_t now_ms,
    const struct audit_entry *e);

/* Computes the hash of row from its stored members and row->prev_hash. */
void audit_row_hash(const struct audit_row *row,
    unsigned char out[AUDIT_HASH_BYTES]);

struct audit_verify_result {
	int64_t checked; /* entries that verified */
	int64_t first_bad; /* seq of the first bad entry, 0 if none */
	char reason[256]; /* one line when something is wrong */
};

/*
 * Walks the whole trail from the last checkpoint (its signature checked
 * with pk, the Ed25519 public key; pk may be NULL only if there is no
 * checkpoint) and checks numbering, links and hashes, then that the chain
 * ends where the head says. Returns 0 if it all holds, 1 if not (res
 * names the first bad entry), -1 if it could not be read.
 */
int audit_verify(struct store *st, const unsigned char *pk,
    struct audit_verify_result *res);

/*
 * Retention: in one write transaction, removes the entries older than
 * cutoff_ms (a prefix of the chain), records a checkpoint signed with sk
 * (Ed25519 secret key, 64 bytes), and appends an "audit.purge" entry with
 * the count. Returns the number removed (0 when nothing is old enough),
 * or -1.
 */
long audit_purge(struct store *st, const struct data_key *key,
    const unsigned char *sk, int64_t cutoff_ms, int64_t now_ms);

/*
 * Reads the Ed25519 key pair from path (hex of the 64-byte secret key),
 * creating it (mode 0600) if create is set and the file is absent. The
 * file must not be readable by group or others. Returns 0 or -1 with a
 * reason in err. The caller wipes sk when done.
 */
int audit_signing_key(const char *path, int create, unsigned char sk[64],
    unsigned char pk[32], char *err, size_t errlen);

/*
 * Opens an entry's sealed details (or ip, with column "ip") with key.
 * *out receives a NUL-terminated copy to release with field_free().
 * Returns 0, 1 when there is nothing sealed, -1 on failure.
 */
int audit_open_sealed(const struct data_key *key, const struct audit_row *row,
    const char *column, char **out, size_t *outlen);

#endif
