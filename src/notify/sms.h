/*
 * sms.h - the SMS outbox and the HTTP SMS gateway it delivers through.
 *
 * Like the email outbox (notify/outbox.h): a text message is queued
 * inside the transaction of the change it reports, its number and text
 * sealed under the person's key (erasing the person makes it unreadable),
 * and sent later by the "sms" job, outside any transaction, each outcome
 * recorded in a short transaction of its own.
 *
 * The gateway ([sms] url) receives one POST per message: a JSON object
 * {"to": "+33612345678", "text": "..."} with "Authorization: Bearer
 * <token>" (the token read from [sms] credentials_file). A 2xx answer is
 * taken as accepted; its JSON "id" and "status" (when present) are kept
 * as the gateway's message id and delivery status. A 4xx answer but 408
 * and 429 gives the message up at once (it would be refused again);
 * anything else is retried after 1 minute, 2, 4... at most 6 hours
 * apart, SMS_MAX_ATTEMPTS times in all.
 */
#ifndef CRENEAU_NOTIFY_SMS_H
#define CRENEAU_NOTIFY_SMS_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/config.h"

#define SMS_MAX_ATTEMPTS 8
#define SMS_BATCH 50 /* messages one run sends at most */
#define SMS_TEXT_MAX 320 /* two concatenated SMS */

struct store_conn;

/*
 * Queues the text body to the number to (E.164 or French national
 * format), sealed under key_owner's key, on c in the caller's
 * transaction. Returns 0, 1 when to is no phone number, or -1.
 */
int sms_enqueue(const struct auth *a, struct store_conn *c,
    const char *key_owner, const char *to, const char *body, int64_t now);

/* Writes to in E.164 ("+33612345678") into out. Returns 0, or -1 when it
 * is no phone number. Pure. */
int sms_number(const char *to, char *out, size_t outlen);

/* The gateway's settings. */
struct sms_gateway {
	const char *url;
	const char *token; /* may be "" */
	long timeout_s;
};

struct sms_result {
	long sent, deferred, failed;
};

/* Sends the due messages through g, oldest first, up to SMS_BATCH,
 * stopping at the first failed attempt. Returns 0, or -1 when the store
 * failed. */
int sms_deliver(const struct auth *a, const struct sms_gateway *g, int64_t now,
    struct sms_result *res);

/* Deletes the messages sent or given up before cutoff. Returns how many,
 * or -1. */
long sms_purge(const struct auth *a, int64_t cutoff);

/* The delivery job: the gateway, its token read from its file. */
struct sms_job {
	const struct auth *a;
	struct sms_gateway g;
	char token[512];
};

/* Prepares j from cfg's [sms] keys. Returns 0, or -1 with a reason in
 * err. */
int sms_job_init(struct sms_job *j, const struct auth *a,
    const struct config *cfg, char *err, size_t errlen);

/* Wipes the token held by j. */
void sms_job_clear(struct sms_job *j);

/* The scheduler's job function: arg is a struct sms_job. */
int sms_job(void *arg, int64_t now_ms);

#endif
