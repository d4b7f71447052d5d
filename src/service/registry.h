/*
 * registry.h (service) - the exam authority loads its candidate registry
 * from a CSV file (UTF-8, header line
 * "neph;last_name;first_names;category;gearbox;email", ';' or ','
 * separator, RFC 4180 quoting; the email column may be left out).
 *
 * Every line is checked before anything is written: one bad line and
 * nothing is imported, the answer lists the lines at fault. Otherwise the
 * new (NEPH, category) pairs are inserted and the names, email and
 * gearbox of the known ones updated, with one audit entry
 * (registry.import) holding counts only: all in one short transaction at
 * the end, the keys and sealed values prepared before it, outside the
 * write lock (registry.c tells how). The file itself is never kept
 * (PRIVACY.md: import files are deleted right after processing): the
 * caller's buffer is all there is.
 */
#ifndef CRENEAU_SVC_REGISTRY_H
#define CRENEAU_SVC_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "service/service.h"

#define SVC_IMPORT_LINES_MAX 20000 /* candidate lines in one file */
#define SVC_IMPORT_ERRORS_MAX 100 /* listed in one answer */

/* svc_registry_import's answers besides 0, 1 and -1. */
#define SVC_IMPORT_BUSY 2 /* another import is running in this process */
#define SVC_IMPORT_CHANGED 3 /* the registry kept changing meanwhile */

/* One line at fault. */
struct svc_import_error {
	long line; /* in the file, from 1 (the header is line 1) */
	char field[24]; /* "neph"...; "" for the line as a whole */
	char code[32]; /* PARAMETRE_INVALIDE */
	char detail[160]; /* French, never the value itself */
};

struct svc_import_report {
	long lines; /* candidate lines read */
	long created, updated, unchanged;
	long errors_total; /* lines at fault, listed or not */
	size_t nerrors; /* listed in errors */
	struct svc_import_error errors[SVC_IMPORT_ERRORS_MAX];
};

/*
 * Imports csv (len bytes) for who (the dispatcher) at now into *rep.
 * Returns 0 when imported, 1 when refused with the faults in rep (nothing
 * written), SVC_IMPORT_BUSY or SVC_IMPORT_CHANGED (nothing written: send
 * it again later), or -1 on a storage failure (nothing written).
 */
int svc_registry_import(const struct svc *s, const struct svc_actor *who,
    const char *csv, size_t len, int64_t now, struct svc_import_report *rep);

#endif
