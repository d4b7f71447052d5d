/*
 * consent.h - the consent ledger and the acknowledgement of the privacy
 * policy (PRIVACY.md, section 3).
 *
 * The purposes that need consent are the map's [consent:<id>] sections.
 * Each time a person gives consent a ledger row records who, which
 * purpose, under which policy version, when and how (web or api); a
 * withdrawal closes that row with its own date and way, and is exactly
 * as easy: the same call with given = 0. Giving again under a newer
 * policy closes the old row as "renewed". Nothing is ever rewritten;
 * each change is audited in its own transaction.
 *
 * The policy version is the one of gdpr/policy.h: when it changes,
 * consent_policy_pending() says so until the person acknowledges the new
 * text, and consents given under an older text are reported as needing
 * renewal and no longer count (consent_active()).
 *
 * An account under restriction (Art. 18, gdpr/request.h) keeps its
 * ledger, but no consent of it counts while the restriction lasts.
 */
#ifndef CRENEAU_CONSENT_H
#define CRENEAU_CONSENT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "auth/auth.h"
#include "gdpr/datamap.h"

#define CONSENT_WHY_MAX 256

/*
 * Gives (given 1) or withdraws (given 0) the consent of account_id (of
 * org_id, for the audit) to purpose, by via ("web" or "api"), under
 * policy version at now, from ip (may be NULL). Giving what is already
 * given under the same version, or withdrawing what is not given,
 * changes nothing and returns 0 with *changed 0. Returns 0, 1 when
 * refused (unknown purpose or way: French reason naming the field in
 * why), or -1.
 */
int consent_set(const struct auth *a, const struct datamap *m,
    const char *account_id, const char *org_id, const char *purpose, int given,
    const char *via, const char *version, int64_t now, const char *ip,
    int *changed, char *why, size_t whylen);

/*
 * Records that account_id read policy version, which must be current
 * (the version of today's policy), at now, audited. Returns 0, 1 when
 * version is not current (French reason in why), or -1.
 */
int consent_acknowledge(const struct auth *a, const char *account_id,
    const char *org_id, const char *version, const char *current, int64_t now,
    const char *ip, char *why, size_t whylen);

/* The same inside the caller's write transaction c, version already
 * checked to be current (sign-up records it with the new account).
 * Returns 0 or -1. */
int consent_acknowledge_tx(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *org_id, const char *version,
    int64_t now, const char *ip);

/* Returns 1 if account_id has not acknowledged policy version current,
 * 0 if it has, -1 on error. */
int consent_policy_pending(const struct auth *a, const char *account_id,
    const char *current);

/* Returns 1 if account_id has acknowledged some version of the policy
 * (a new account has not: its first sign-in asks it to accept the
 * current one), 0 if none, -1 on error. */
int consent_policy_ever(const struct auth *a, const char *account_id);

/*
 * Returns 1 if account_id's consent to purpose counts now: given, not
 * withdrawn, under policy version current, and the account is not under
 * restriction; 0 otherwise; -1 on error. What a module calls before an
 * optional processing.
 */
int consent_active(const struct auth *a, const char *account_id,
    const char *purpose, const char *current);

/*
 * The state of account_id's consents as a new JSON object in *out:
 * "policy" {version, acknowledged, acknowledged_at}, "restricted",
 * "purposes" (each declared purpose with its label, description, given,
 * given_at, given_via, policy_version, needs_renewal, active) and
 * "history" (every ledger row, newest first). Returns 0 or -1.
 */
int consent_state(const struct auth *a, const struct datamap *m,
    const char *account_id, const char *current, json_t **out);

#endif
