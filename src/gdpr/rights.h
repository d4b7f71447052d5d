/*
 * rights.h - the rights of the people over their account (PRIVACY.md,
 * section 3): access and portability (an export of every item held about
 * the person, each with its purposes, recipients, retention and source,
 * as JSON and as a readable HTML summary) and erasure (the account's
 * rows deleted in one transaction, then its data key destroyed).
 *
 * What exists today is the identity domain: the account (email, name,
 * roles, status, dates, second factor), its grants and recovery codes,
 * its sessions (with the user agent), its connection journal entries
 * (IP address and user agent) and the audit entries where the person is
 * the actor or the target; its consents, policy acknowledgements and
 * rights requests; the slot change requests it wrote as a supervisor,
 * with their sealed note (which erasure empties); for every account its
 * notifications and emails, and for a candidate account the booking data
 * of the registry rows linked to it (gdpr/rights_booking.h), which
 * erasure shreds.
 */
#ifndef CRENEAU_RIGHTS_H
#define CRENEAU_RIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "auth/auth.h"
#include "core/buf.h"
#include "gdpr/datamap.h"

/* Where an item comes from, as told to the person. */
#define RIGHTS_SOURCE_YOU "saisi par vous"
#define RIGHTS_SOURCE_ORG "créé par votre établissement"
#define RIGHTS_SOURCE_AUTO "enregistré automatiquement"

#define RIGHTS_HTML_MAX (8 * 1024 * 1024) /* ceiling of the HTML summary */
#define RIGHTS_GRANTS_MAX 256 /* grants listed per account at most */
#define RIGHTS_SLOT_REQUESTS_MAX 10000 /* slot requests listed at most */

/*
 * Collects everything held about account_id at now into *out (a new JSON
 * object the caller releases with json_decref): "items", each with its
 * label, value, source, data map category (id and label), purposes and
 * recipients (from the activities of m handling that category) and
 * retention (the category's rule, described in French); "categories",
 * the same description once per category met; the controller. Sealed
 * fields are opened with the person's key. Returns 0, 1 if there is no
 * such account (*out NULL), or -1.
 */
int rights_export(const struct auth *a, const struct datamap *m,
    const char *account_id, int64_t now, json_t **out);

/*
 * Renders an export from rights_export as a self-contained French HTML
 * page into out (its ceiling should be RIGHTS_HTML_MAX): every text is
 * escaped, there is no script and no inline style. Returns 0, or -1 (too
 * big, out of memory, not an export).
 */
int rights_export_html(const json_t *export, struct buf *out);

/*
 * Erases account_id, asked by actor (an account id; the person itself for
 * self-service) from ip (may be NULL): in one write transaction deletes
 * its sessions, recovery codes, grants, roles, login throttling counters,
 * notifications, emails and account row, shreds the registry rows linked
 * to it (gdpr/rights_booking.h), queues a confirmation email to the
 * address it had (sealed under system:outbox, linked to no account) when
 * emails are on, and appends a "rights.erase" audit entry; then destroys
 * the keys "subject:<account_id>" and "subject:candidate:<id>" of those
 * rows (keystore_destroy), so that the
 * connection journal entries kept (their IP address and user agent are
 * sealed under it) and any backup can no longer be read. The last active
 * platform_admin cannot be erased. *out (may be NULL) receives a new
 * JSON object saying what was erased and what is kept and why, with
 * retention rules from m (may be NULL). Returns 0; 1 when refused (no such
 * account, last platform admin) with a French sentence in why; -1 on
 * error (if the key could not be destroyed after the rows were deleted,
 * -1 too, logged: run it again with keystore_destroy).
 */
int rights_erase(const struct auth *a, const char *actor,
    const char *account_id, int64_t now, const struct datamap *m,
    const char *ip, json_t **out, char *why, size_t whylen);

/*
 * Erases account_id as rights_erase does, asked by nobody: the retention
 * engine deletes an account inactive past its rule (gdpr/inactivity.c).
 * The audit entry has no actor and the confirmation email says why.
 * Returns 0; 1 when refused (last platform admin...) with why; -1.
 */
int rights_erase_inactive(const struct auth *a, const char *account_id,
    int64_t now, char *why, size_t whylen);

#endif
