/*
 * branding.h - a client organisation's own words in the emails sent on
 * its behalf (tenant settings, seed 003): its sender name before the
 * subject, its signature before the footer.
 */
#ifndef CRENEAU_NOTIFY_BRANDING_H
#define CRENEAU_NOTIFY_BRANDING_H

#include <stddef.h>

#include "auth/auth.h"

struct store_conn;

/*
 * Applies the branding of organisation org_id (may be NULL: none) to an
 * email being queued on c: subject (its buffer holds subject_len bytes)
 * becomes "<sender> : <subject>" when it fits, and *body (malloc'ed,
 * replaced) gets the signature before its footer. An organisation
 * without branding leaves both as they are. Returns 0, or -1 (store,
 * key or memory).
 */
int notify_brand(const struct auth *a, struct store_conn *c, const char *org_id,
    char *subject, size_t subject_len, char **body);

/* Pure: the same, given the sender and signature in clear (either may be
 * NULL). Returns 0 or -1. */
int notify_brand_apply(const char *sender, const char *signature, char *subject,
    size_t subject_len, char **body);

#endif
