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
 *   mandate.created, mandate.revoked, mandate.expired.
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

/* Notifies account_id (of org_id, may be NULL) of n at now on c.
 * Returns 0 or -1 (the caller rolls back). */
int notify_account(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *org_id, const struct notice *n,
    int64_t now);

/* Notifies every school administrator and manager of school organisation
 * org_id, and also actor when not NULL and not one of them. Returns 0 or
 * -1. */
int notify_school(const struct auth *a, struct store_conn *c,
    const char *org_id, const char *actor, const struct notice *n, int64_t now);

#endif
