/*
 * grant.h - temporary permissions: one permission, in one organisation,
 * for one account, until a set time after which it is simply no longer
 * counted (and later deleted).
 */
#ifndef CRENEAU_GRANT_H
#define CRENEAU_GRANT_H

#include <stdint.h>

#include "auth/auth.h"
#include "auth/rbac.h"

#define GRANT_MAX_MS (90 * AUTH_DAY_MS) /* longest a grant may last */

/*
 * Gives account_id the permission named perm in org_id until expires_at,
 * recorded by actor, with its audit entry, in one transaction. Refuses
 * (-1, French reason in why naming the field) an unknown permission, an
 * end in the past or more than GRANT_MAX_MS away, or an account not in
 * org_id. Inside the same transaction, asks rbac_may_give whether giver
 * (NULL: the system) may lend perm to that account, as it is then: its
 * roles in org_id, its running grants, its second factor, its place; a
 * refusal leaves the decision in *refused (may be NULL) and the reason
 * in why. id receives the grant's id. Returns 0 or -1.
 */
int grant_create(const struct auth *a, const struct rbac_subject *giver,
    const char *actor, const char *org_id, const char *account_id,
    const char *perm, int64_t expires_at, int64_t now, char id[AUTH_ID_HEX],
    enum rbac_gift_decision *refused, char *why, size_t whylen);

/* The French reason of a refused gift, for a grant (is_grant) or a role
 * (role names it), into why. */
void grant_refusal_text(enum rbac_gift_decision d, int is_grant,
    const char *role, char *why, size_t whylen);

/*
 * Computes the permissions account_id holds by grant in org_id at now, as
 * a mask of (1 << enum perm), and sets *until (may be NULL) to the first
 * end of one of them (INT64_MAX when none): the mask holds until then.
 * Expired grants do not count. Returns 0 or -1.
 */
int grant_active_mask(const struct auth *a, const char *account_id,
    const char *org_id, int64_t now, uint64_t *mask, int64_t *until);

/* Deletes the grants that ended before now. Returns how many, or -1. */
long grant_purge(const struct auth *a, int64_t now);

#endif
