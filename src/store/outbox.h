/*
 * outbox.h (store) - the rows of the email outbox.
 *
 * An email waits here until it is sent. Its recipient and body are sealed
 * (system:outbox key, bound to the row id, so a row is written in two
 * steps of one transaction: insert, then seal with the new id); its
 * subject holds no personal data. Once sent, or given up, the sealed
 * columns are emptied and the row stays, counts only, until the retention
 * purge.
 */
#ifndef CRENEAU_STORE_OUTBOX_H
#define CRENEAU_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"

#define STORE_OUTBOX_SUBJECT_MAX 256
#define STORE_OUTBOX_ERROR_MAX 160

/* One email as stored; the blobs are malloc'ed copies. */
struct store_outbox {
	int64_t id;
	char account_id[STORE_ID_MAX];
	struct store_blob recipient; /* sealed */
	char subject[STORE_OUTBOX_SUBJECT_MAX];
	struct store_blob body; /* sealed */
	char state[16]; /* pending, sent, failed */
	int64_t attempts;
	int64_t next_attempt_at; /* failed: when it was given up */
	int64_t created_at;
	int64_t sent_at; /* 0 when not sent */
	char last_error[STORE_OUTBOX_ERROR_MAX];
	struct store_blob attachment; /* sealed .ics; len 0: none */
};

/* Frees and wipes the blobs of o and zeroes it. NULL does nothing. */
void store_outbox_clear(struct store_outbox *o);

/* Inserts a pending email for account_id (may be NULL) with subject, due
 * at now, its sealed columns still empty; *id receives its id. Returns 0
 * or -1. */
int store_outbox_insert(struct store *st, struct store_conn *c,
    const char *account_id, const char *subject, int64_t now, int64_t *id);

/* Sets the sealed recipient and body of email id. Returns 0, 1 if there
 * is no such email, or -1. */
int store_outbox_set_sealed(struct store *st, struct store_conn *c, int64_t id,
    const unsigned char *recipient, size_t rlen, const unsigned char *body,
    size_t blen);

/* Sets the sealed calendar file of email id. Returns 0, 1 if there is no
 * such email, or -1. */
int store_outbox_set_attachment(struct store *st, struct store_conn *c,
    int64_t id, const unsigned char *att, size_t len);

/* Writes into ids (at most max) the ids of pending emails due at now,
 * oldest first; *n receives how many. Returns 0 or -1. */
int store_outbox_due(struct store *st, struct store_conn *c, int64_t now,
    int64_t *ids, size_t max, size_t *n);

/* Reads email id into *o (release with store_outbox_clear, also after a
 * failure). Returns 0, 1 if there is none, or -1. */
int store_outbox_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_outbox *o);

/* Marks pending email id sent at now and empties its sealed columns.
 * Returns 0, 1 if it is not pending, or -1. */
int store_outbox_mark_sent(struct store *st, struct store_conn *c, int64_t id,
    int64_t now);

/* Records a failed attempt of pending email id: attempts, the next try at
 * next_at, and error (no personal data). Returns 0, 1 if it is not
 * pending, or -1. */
int store_outbox_mark_retry(struct store *st, struct store_conn *c, int64_t id,
    int64_t attempts, int64_t next_at, const char *error);

/* Gives pending email id up at now after attempts tries: state failed,
 * error kept, sealed columns emptied. Returns 0, 1 if it is not pending,
 * or -1. */
int store_outbox_mark_failed(struct store *st, struct store_conn *c, int64_t id,
    int64_t attempts, int64_t now, const char *error);

/* Deletes the emails sent, or given up, before cutoff. Returns how many,
 * or -1. */
long store_outbox_purge_before(struct store *st, struct store_conn *c,
    int64_t cutoff);

/* The same for the emails to accounts of org_id only (a client
 * organisation's shorter period). Returns how many, or -1. */
long store_outbox_purge_org_before(struct store *st, struct store_conn *c,
    const char *org_id, int64_t cutoff);

/* Counts emails per state. Returns 0 or -1. */
int store_outbox_counts(struct store *st, struct store_conn *c, long *pending,
    long *sent, long *failed);

#endif
