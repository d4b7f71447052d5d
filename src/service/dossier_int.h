/*
 * dossier_int.h - what the dossier services share (src/service/dossier_*.c
 * only): sealing under the holder's key, audit entries, opening a view.
 */
#ifndef CRENEAU_SERVICE_DOSSIER_INT_H
#define CRENEAU_SERVICE_DOSSIER_INT_H

#include "service/dossier.h"

struct store_conn;

/* Seals text (NULL: clears b) into column of dossier d under the key of
 * its holder. Returns 0 or -1. */
int dossier_seal(const struct auth *a, const struct store_dossier *d,
    const char *column, const char *text, struct store_blob *b);

/* Opens d's sealed fields and lists its documents into v (takes d).
 * Returns 0 or -1. */
int dossier_open_view(const struct auth *a, struct store *st,
    struct store_conn *c, struct store_dossier *d, struct dossier_view *v);

/* Appends the audit entry action on dossier id with details (JSON text or
 * NULL). Returns 0 or -1. */
int dossier_audit(const struct auth *a, struct store_conn *c,
    const struct svc_actor *who, int64_t now, const char *action, int64_t id,
    const char *details);

/* Runs fn(arg) in one transaction (write or not): DOSSIER_OK when it
 * returned 0, *code when it refused (non-zero), -1 on failure. */
int dossier_run(struct store *st, int write,
    int (*fn)(struct store *, struct store_conn *, void *), void *arg,
    const int *code);

#endif
