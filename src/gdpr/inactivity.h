/*
 * inactivity.h - the deletion of inactive accounts (retention rules
 * pro_account and user_account: PRIVACY.md section 2, "inactive 2 years:
 * warning email, deletion 30 days later").
 *
 * An account is inactive from its last sign-in (its creation when it
 * never signed in). Once inactive for the rule's duration it is warned:
 * an in-app notification "account.inactive" and its email, with the date
 * of the deletion. The warning is that notification itself, so signing
 * in again makes it void (it is older than the new activity) and a later
 * inactivity is warned anew. An account warned at least the rule's grace
 * (30 days when the rule has none) ago and still inactive is erased like
 * a self-erasure (gdpr/rights.h, rights_erase_inactive), confirmation
 * email included.
 *
 * Two kinds of accounts are neither warned nor deleted, and the purge
 * report says so: an account under restriction (Art. 18: storage only,
 * no processing), and the last active platform administrator (the
 * platform would have nobody to run it).
 */
#ifndef CRENEAU_INACTIVITY_H
#define CRENEAU_INACTIVITY_H

#include <stdint.h>

#include "auth/auth.h"
#include "gdpr/datamap.h"
#include "gdpr/retention.h"

#define INACTIVITY_GRACE_DAYS 30 /* when the rule declares no grace */
#define INACTIVITY_KIND "account.inactive"

/*
 * Applies rule at now to the accounts inactive since cutoff: the
 * candidate accounts (role candidate) when candidates is set, the others
 * otherwise. Warns or erases them as above; res (may be NULL) receives
 * the counts of warned and skipped accounts and why. Returns how many
 * accounts were erased, or -1.
 */
long inactivity_purge(const struct auth *a,
    const struct datamap_retention *rule, int candidates, int64_t now,
    int64_t cutoff, struct retention_purge_result *res);

#endif
