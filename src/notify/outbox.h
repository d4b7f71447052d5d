/*
 * outbox.h - the email outbox: emails written with the change they
 * report, sent later by the "outbox" job.
 *
 * Enqueueing happens inside the caller's transaction, so an email exists
 * exactly when its notification does; sending happens outside any
 * transaction (no lock held across the network), one email at a time,
 * each outcome recorded in a short transaction of its own. The recipient
 * and body are sealed under the system:outbox key and wiped once the
 * email is sent or given up.
 *
 * A failed attempt is retried after 1 minute, then 2, 4... at most 6
 * hours apart; after OUTBOX_MAX_ATTEMPTS the email is given up (state
 * failed). A run stops at its first failure, so a server that is down
 * costs one connection attempt per run, not one per queued email.
 */
#ifndef CRENEAU_NOTIFY_OUTBOX_H
#define CRENEAU_NOTIFY_OUTBOX_H

#include <stdint.h>

#include "auth/auth.h"
#include "core/config.h"
#include "notify/smtp.h"

#define OUTBOX_KEY_OWNER "system:outbox"
#define OUTBOX_MAX_ATTEMPTS 8
#define OUTBOX_BACKOFF_FIRST_MS (60LL * 1000)
#define OUTBOX_BACKOFF_MAX_MS (6LL * 3600 * 1000)
#define OUTBOX_BATCH 50 /* emails one run sends at most */

struct store_conn;

/*
 * Queues an email to address to for account_id (may be NULL) on c, in
 * the caller's transaction: subject in clear (it holds no personal data),
 * address and body sealed. Returns 0 or -1.
 */
int outbox_enqueue(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *to, const char *subject,
    const char *body, int64_t now);

/* The same with ics (iCalendar text, sealed like the body; NULL: none)
 * attached to the email. */
int outbox_enqueue_ics(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *to, const char *subject,
    const char *body, const char *ics, int64_t now);

/* The wait after the attempts-th failed attempt (1 minute doubling, at
 * most 6 hours). Pure. */
int64_t outbox_backoff_ms(int64_t attempts);

/* What one delivery run did. */
struct outbox_result {
	long sent, deferred, failed;
};

/*
 * Sends the pending emails due at now through smtp, oldest first, up to
 * OUTBOX_BATCH, stopping at the first failed attempt. Fills res. Returns
 * 0, or -1 when the store failed (a refused email is not an error of the
 * run: it is recorded on its row).
 */
int outbox_deliver(const struct auth *a, const struct smtp_config *smtp,
    int64_t now, struct outbox_result *res);

/* Deletes the emails sent or given up before cutoff. Returns how many, or
 * -1. */
long outbox_purge(const struct auth *a, int64_t cutoff);

/* The delivery job: its SMTP settings, the password read from its file. */
struct outbox_job {
	const struct auth *a;
	struct smtp_config smtp;
	char password[256];
};

/*
 * Prepares j from the [smtp] keys of cfg (reading [smtp] password_file
 * when set) for a. cfg must outlive j. Returns 0, or -1 with a reason in
 * err.
 */
int outbox_job_init(struct outbox_job *j, const struct auth *a,
    const struct config *cfg, char *err, size_t errlen);

/* Wipes the password held by j. */
void outbox_job_clear(struct outbox_job *j);

/* The scheduler's job function: arg is a struct outbox_job. */
int outbox_job(void *arg, int64_t now_ms);

#endif
