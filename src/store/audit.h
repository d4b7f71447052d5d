/*
 * audit.h (store) - the rows of the audit trail. Hashing, sealing and
 * verification are src/audit/'s; this file only moves rows.
 */
#ifndef CRENEAU_STORE_AUDIT_H
#define CRENEAU_STORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define AUDIT_HASH_BYTES 32

/* One row as stored. Text members are NUL-terminated or NULL; blobs are
 * pointer and length (NULL, 0 when absent). */
struct audit_row {
	int64_t seq;
	int64_t at;
	const char *actor;
	const char *action;
	const char *target_type;
	const char *target_ids;
	const char *org;
	const unsigned char *ip;
	size_t ip_len;
	const char *request_id;
	const char *outcome;
	const unsigned char *details;
	size_t details_len;
	unsigned char prev_hash[AUDIT_HASH_BYTES];
	unsigned char hash[AUDIT_HASH_BYTES];
	int prev_ok, hash_ok; /* blobs were exactly AUDIT_HASH_BYTES */
};

struct store_conn;

/* Reads the chain head (last seq and hash) inside the caller's write
 * transaction. An empty trail gives *seq 0 and a zero hash. */
int store_audit_head(struct store *st, struct store_conn *c, int64_t *seq,
    unsigned char hash[AUDIT_HASH_BYTES]);

/* Inserts row and moves the head to it, inside the caller's write
 * transaction. Returns 0 or -1. */
int store_audit_insert(struct store *st, struct store_conn *c,
    const struct audit_row *row);

/* Called for each row in seq order; return 0 to go on. */
typedef int (*store_audit_fn)(void *arg, const struct audit_row *row);

/* Filters for store_audit_scan; NULL / 0 means "any". */
struct audit_filter {
	const char *actor;
	const char *action;
	const char *target_type;
	const char *target_id; /* matched as one of target_ids */
	const char *org; /* entries of this organisation only */
	int64_t since_ms, until_ms;
	int64_t after_seq; /* resume point */
	long limit;
};

/* Reads rows matching f in seq order. Returns 0 or -1. */
int store_audit_scan(struct store *st, const struct audit_filter *f,
    store_audit_fn fn, void *arg);

/* Reads the last checkpoint. Returns 0, 1 if there is none, or -1. */
int store_audit_checkpoint(struct store *st, int64_t *last_seq,
    unsigned char last_hash[AUDIT_HASH_BYTES], unsigned char *sig,
    size_t siglen);

/*
 * Inside the caller's write transaction: opens the purge gate, deletes
 * rows with seq <= last_seq, records the checkpoint, closes the gate.
 * Returns the number of rows deleted, or -1.
 */
long store_audit_purge(struct store *st, struct store_conn *c, int64_t last_seq,
    const unsigned char last_hash[AUDIT_HASH_BYTES], int64_t at,
    const unsigned char *sig, size_t siglen);

/* Finds the last seq whose time is before cutoff_ms and its hash.
 * Returns 0, 1 if none, -1 on error. */
int store_audit_last_before(struct store *st, struct store_conn *c,
    int64_t cutoff_ms, int64_t *seq, unsigned char hash[AUDIT_HASH_BYTES]);

#endif
