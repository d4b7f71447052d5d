/*
 * tenant_deletion.h - the deletion of a terminated client organisation
 * once its grace period has passed (seed 003, PRIVACY.md: "deleted
 * within 1 month").
 *
 * Crypto-shredding first: the organisation's key and the key of every
 * person known only to it are destroyed in the keystore, so every
 * earlier backup's copy of their sealed fields becomes unreadable. Then,
 * in one transaction on the main store, its rows are deleted (the steps
 * of store/tenant_deletion.h), its tenants row says "deleted", the audit
 * entry "tenant.deleted" records the counts and the signed certificate
 * is stored, with the email telling its admins (their addresses opened
 * before their keys went, sealed in the outbox under its own key). A
 * failure after the keys went leaves the organisation
 * terminated and due: the next run destroys nothing more and deletes.
 *
 * An organisation whose key is destroyed but whose rows say otherwise
 * (a database restored from a backup made before its deletion) is due
 * too, whatever its state: it is deleted again, its certificate saying
 * "after_restore", so a restore never brings a deleted client back.
 */
#ifndef CRENEAU_SERVICE_TENANT_DELETION_H
#define CRENEAU_SERVICE_TENANT_DELETION_H

#include <stdint.h>

#include "auth/auth.h"

/* What one deletion did. */
struct tenant_deletion_result {
	long rows; /* rows deleted, every table */
	long keys; /* data keys destroyed */
};

/*
 * Deletes organisation org_id at now if it is due (tenant_deletion_due),
 * signing its certificate with the instance's key (sk 64 bytes, pk 32).
 * Returns 0 (res filled, may be NULL), 1 if there is no such client
 * organisation, 2 if it is not due, or -1.
 */
int tenant_deletion_run(const struct auth *a, const unsigned char *sk,
    const unsigned char *pk, const char *org_id, int64_t now,
    struct tenant_deletion_result *res);

/*
 * Deletes every organisation due at now. Returns how many were deleted,
 * or -1 when one failed (the others are still tried).
 */
long tenant_deletion_due_all(const struct auth *a, const unsigned char *sk,
    const unsigned char *pk, int64_t now, long *rows, long *keys);

/*
 * Reads the certificate of org_id into *out (malloc'ed text). Returns 0,
 * 1 if there is none (not deleted, or no such organisation), or -1.
 */
int tenant_deletion_certificate(const struct auth *a, const char *org_id,
    char **out);

#endif
