/*
 * rectify.h - self-service rectification (GDPR Art. 16): a person
 * corrects their own display name. The email address is not changed
 * here: it is the sign-in identifier and its blind index, and changing it
 * safely needs a confirmation sent to the new address; that goes through
 * a rights request to the DPO.
 */
#ifndef CRENEAU_RECTIFY_H
#define CRENEAU_RECTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"

/*
 * Replaces the display name of account_id by name (checked as at account
 * creation), sealed under the person's key, and audits "rights.rectify"
 * (the field's name only, never the values) in one transaction. Returns
 * 0, 1 when refused (French reason naming "display_name" in why, or no
 * such account), or -1.
 */
int rectify_display_name(const struct auth *a, const char *account_id,
    const char *name, int64_t now, const char *ip, char *why, size_t whylen);

#endif
