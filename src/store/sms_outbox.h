/*
 * sms_outbox.h (store) - the rows of the SMS outbox.
 *
 * A text message waits here until the gateway takes it. Its number and
 * text are sealed under the key of key_owner (the person's key, bound to
 * the row id: a row is written in two steps of one transaction); once
 * sent or given up they are emptied, and the row keeps only its state,
 * attempts, the gateway's message id and delivery status until the
 * retention purge.
 */
#ifndef CRENEAU_STORE_SMS_OUTBOX_H
#define CRENEAU_STORE_SMS_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"

#define STORE_SMS_ERROR_MAX 160
#define STORE_SMS_GATEWAY_ID_MAX 128
#define STORE_SMS_STATUS_MAX 32

struct store_sms {
	int64_t id;
	char key_owner[STORE_OWNER_MAX];
	struct store_blob recipient; /* sealed */
	struct store_blob body; /* sealed */
	char state[16]; /* pending, sent, failed */
	int64_t attempts;
	int64_t next_attempt_at;
	int64_t created_at;
	int64_t sent_at; /* 0 when not sent */
	char gateway_id[STORE_SMS_GATEWAY_ID_MAX];
	char delivery_status[STORE_SMS_STATUS_MAX];
	char last_error[STORE_SMS_ERROR_MAX];
};

/* Frees and wipes the blobs of m and zeroes it. NULL does nothing. */
void store_sms_clear(struct store_sms *m);

/* Inserts a pending message sealed under key_owner's key, due at now,
 * sealed columns still empty; *id receives its id. Returns 0 or -1. */
int store_sms_insert(struct store *st, struct store_conn *c,
    const char *key_owner, int64_t now, int64_t *id);

/* Sets the sealed number and text of message id. Returns 0, 1 if there
 * is none, or -1. */
int store_sms_set_sealed(struct store *st, struct store_conn *c, int64_t id,
    const unsigned char *to, size_t tolen, const unsigned char *body,
    size_t blen);

/* The ids of pending messages due at now, oldest first (at most max).
 * Returns 0 or -1. */
int store_sms_due(struct store *st, struct store_conn *c, int64_t now,
    int64_t *ids, size_t max, size_t *n);

/* Reads message id into *m (release with store_sms_clear). Returns 0, 1
 * if there is none, or -1. */
int store_sms_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_sms *m);

/* Marks pending message id sent at now with the gateway's id and status,
 * emptying its sealed columns. Returns 0, 1 if it is not pending, or
 * -1. */
int store_sms_mark_sent(struct store *st, struct store_conn *c, int64_t id,
    int64_t now, const char *gateway_id, const char *status);

/* Sets the delivery status the gateway reported for its message
 * gateway_id, sent by this instance. Returns 0, 1 when no message has
 * that id, or -1. */
int store_sms_set_delivery(struct store *st, struct store_conn *c,
    const char *gateway_id, const char *status);

/* Records a failed attempt: attempts, next try at next_at, error (no
 * personal data). Returns 0, 1 if not pending, or -1. */
int store_sms_mark_retry(struct store *st, struct store_conn *c, int64_t id,
    int64_t attempts, int64_t next_at, const char *error);

/* Gives pending message id up at now (state failed, sealed columns
 * emptied). Returns 0, 1 if not pending, or -1. */
int store_sms_mark_failed(struct store *st, struct store_conn *c, int64_t id,
    int64_t attempts, int64_t now, const char *error);

/* Deletes the messages sent, or given up, before cutoff. Returns how
 * many, or -1. */
long store_sms_purge_before(struct store *st, struct store_conn *c,
    int64_t cutoff);

#endif
