/*
 * tenant_export.h - the export of everything a client organisation holds
 * (docs/tenant-export.md), at any time and at termination.
 *
 * The organisation's admin asks for it with a passphrase: the archive key
 * is derived from it at once (Argon2id, tenancy/export_archive.h) and kept
 * sealed under the system:tenant_export data key until the background job
 * has written the archive, then dropped; the passphrase itself is never
 * stored. The job (tenant_export_run) builds one request at a time,
 * entity by entity (store/tenant_exports.h), the sealed fields opened,
 * streamed into the encrypted archive under [tenancy] export_dir, its
 * progress saved after each entity. The archive is deleted 30 days after
 * it is ready, or one month after the organisation's termination.
 *
 * A termination opens a request without passphrase (awaiting_passphrase)
 * when none is pending or ready: since nobody of a terminated
 * organisation signs in, the platform admin sets the passphrase the
 * organisation chose and hands the archive over (docs/tenant-export.md).
 *
 * Every step is audited and told to the organisation's admins.
 */
#ifndef CRENEAU_SERVICE_TENANT_EXPORT_H
#define CRENEAU_SERVICE_TENANT_EXPORT_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "service/service.h"
#include "store/tenant_exports.h"
#include "tenancy/tenant.h"

#define TENANT_EXPORT_KEY_OWNER "system:tenant_export"
#define TENANT_EXPORT_KEEP_DAYS 30 /* a ready archive, or after termination */

/*
 * Asks for the export of org_id at now, by who, encrypted under
 * passphrase pass, or for the X25519 public key pk (32 bytes; pass is
 * then NULL: the archive key is made at random and sealed for it).
 * Refused (2, why names the field and the rule): a passphrase shorter
 * than EXPORT_PASSPHRASE_MIN characters or longer than
 * EXPORT_PASSPHRASE_MAX bytes ("passphrase"); an export already queued
 * or running, or an organisation deleted ("state"). A request waiting
 * for its passphrase (termination) is completed rather than a new one
 * made. id_out (STORE_ID_MAX) receives the request's id. Returns 0, 1 if
 * there is no such client organisation, 2, or -1.
 */
int tenant_export_request(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *pass, const unsigned char *pk, int64_t now,
    char *id_out, struct tenant_refusal *why);

/* Reads the latest request of org_id into out. Returns 0, 1 if none, or
 * -1. */
int tenant_export_status(const struct auth *a, const char *org_id,
    struct store_tenant_export *out);

/*
 * Inside the caller's write transaction c (the termination): opens a
 * request awaiting its passphrase for org_id unless one is pending or
 * ready (then its expiry moves to a month after now), audits it and
 * tells the organisation's admins. Returns 0 or -1.
 */
int tenant_export_on_terminate(const struct auth *a, struct store_conn *c,
    const char *org_id, int64_t now);

/*
 * Download of request id of org_id by who: it must be ready; counts the
 * download and audits it. path (size bytes) receives the archive's path
 * under dir, name (STORE_EXPORT_FILE_MAX) the name to offer. Returns 0,
 * 1 if there is no such ready request, or -1.
 */
int tenant_export_download(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *id, const char *dir, int64_t now,
    char *path, size_t size, char *name);

/*
 * The background job: deletes the archives past their expiry, then
 * builds the oldest queued request, if any, into dir. When *stop (may be
 * NULL) becomes non-zero (the server stops), the build ends before its
 * next entity and the request goes back to the queue, its partial file
 * deleted. Returns 0 or -1 (a failed build is recorded in its row, told
 * to the admins, and is not an error of the job).
 */
int tenant_export_run(const struct auth *a, const char *dir, int64_t now,
    const atomic_int *stop);

#endif
