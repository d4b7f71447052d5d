/*
 * notify.h - what happened that matters to someone (RULES.md rule 9):
 * in-app notifications, and the emails that go with them.
 *
 * Called inside the transaction of the change it reports, so a booking
 * and its notification commit together. A notice carries a kind and a
 * JSON object of references only (exam, slot and basket ids, a rule code,
 * dates): never a name, NEPH or email. Kinds:
 *   booking.confirmed, booking.cancelled, validation.failed,
 *   quota.low, quota.full, basket.expiring, basket.expired,
 *   mandate.created, mandate.revoked, mandate.expired,
 *   account.inactive (an inactive account will be deleted),
 *   account.sign_in_failures, account.password_changed,
 *   account.mfa_changed (src/auth/: the holder's sign-in is touched),
 *   account.partner_authorised, account.partner_token_reused (partner
 *   software, auth/oauth.h),
 *   slot_request.created, slot_request.decided (src/service/supervision.h).
 *   dossier.decided (src/service/dossier.h).
 *   pause.requested, pause.accepted, pause.cancelled (src/service/pause.h).
 *   authority.unreachable, authority.restored (remote mode: the remote
 *   exam authority stopped or started answering, api/remote_api.c).
 *
 * notify_account also queues an email (notify/outbox.h) when the kind is
 * one worth an email (notify/texts.h), the account is active and has an
 * address, and emails are on ([notify] email): its text is built from the
 * kind and references only. No email is never an error.
 */
#ifndef CRENEAU_NOTIFY_H
#define CRENEAU_NOTIFY_H

#include <stdint.h>

#include "auth/auth.h"

struct store_conn;

struct notice {
	const char *kind;
	const char *params; /* JSON object text; NULL: {} */
};

/* Notifies account_id (of org_id, may be NULL) of n at now on c, and
 * queues its email. Returns 0 or -1 (the caller rolls back). */
int notify_account(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *org_id, const struct notice *n,
    int64_t now);

/* Turns the email that goes with each notification on (the default) or
 * off, for the whole process: the [notify] email key, set once at start. */
void notify_email_set(int on);

/* Whether emails are on (notify_email_set). */
int notify_email_enabled(void);

/* Reads the address of account_id into *email (field_free it, *len its
 * size). Returns 0, 1 when there is none to write to (no account,
 * disabled, erased), -1. */
int notify_account_email(const struct auth *a, struct store_conn *c,
    const char *account_id, char **email, size_t *len);

/* Notifies every school administrator and manager of school organisation
 * org_id, and also actor when not NULL and not one of them. Returns 0 or
 * -1. */
int notify_school(const struct auth *a, struct store_conn *c,
    const char *org_id, const char *actor, const struct notice *n, int64_t now);

struct store_notification;

/*
 * Reads the notifications of account_id, newest first (only the unread
 * ones when unread_only), at most limit, calling fn with each, and counts
 * the unread ones into *unread, in one read transaction. Returns 0, fn's
 * non-zero result, or -1.
 */
int notify_list(const struct auth *a, const char *account_id, int unread_only,
    long limit, int (*fn)(void *arg, const struct store_notification *n),
    void *arg, long *unread);

/* Marks notification id of account_id read at now. Returns 0, 1 if the
 * account has no such notification, or -1. */
int notify_read(const struct auth *a, const char *account_id, int64_t id,
    int64_t now);

/* Marks every notification of account_id read at now; *n receives how
 * many were unread. Returns 0 or -1. */
int notify_read_all(const struct auth *a, const char *account_id, int64_t now,
    long *n);

#endif
