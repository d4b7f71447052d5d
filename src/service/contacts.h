/*
 * contacts.h - a tenant's customers and suppliers and their documents
 * (seed 003), each change in one transaction with its audit entry.
 *
 * Every personal field and every document is sealed under the tenant's
 * own data key (tenant:<org id>, service/tenancy.h), destroyed with the
 * tenant. A CSV import is read from memory, checked whole, and either
 * inserted whole in one transaction or not at all; the file itself is
 * never written anywhere. A suspended or terminated tenant's contacts
 * are read only.
 *
 * Results: 0 done, 1 not found, CONTACTS_REFUSED (the refusal says
 * why), CONTACTS_READ_ONLY (the tenant is not active),
 * CONTACTS_TOO_LARGE, -1 storage failure.
 */
#ifndef CRENEAU_SERVICE_CONTACTS_H
#define CRENEAU_SERVICE_CONTACTS_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "service/service.h"
#include "tenancy/contact.h"

#define CONTACTS_REFUSED 2
#define CONTACTS_READ_ONLY 3
#define CONTACTS_TOO_LARGE 4

/* A contact opened: v[f] malloc'ed text or NULL (v[CF_KIND] is kind). */
struct contact_view {
	char id[STORE_ID_MAX];
	char kind[16];
	char *v[CF_COUNT];
	int64_t created_at, updated_at;
};

void contact_view_clear(struct contact_view *v);

/* A document, without its content. */
struct contact_doc_view {
	char id[STORE_ID_MAX];
	char doc_type[32];
	int64_t size, uploaded_at;
	char *name; /* malloc'ed, or NULL */
};

/* Calls fn with every contact of org_id whose company or person holds
 * q (case ignored; NULL or "": all). Returns 0 or -1. */
int contacts_list(const struct auth *a, const char *org_id, const char *q,
    int (*fn)(void *arg, const struct contact_view *v), void *arg);

/* Reads contact id of org_id into out and calls docfn (may be NULL)
 * with each of its documents. Returns 0, 1 or -1. */
int contacts_get(const struct auth *a, const char *org_id, const char *id,
    struct contact_view *out,
    int (*docfn)(void *arg, const struct contact_doc_view *d), void *docarg);

int contacts_create(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const struct contact_fields *f, int64_t now,
    char id[AUTH_ID_HEX], struct contact_refusal *why);

int contacts_update(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *id, const struct contact_fields *f,
    int64_t now, struct contact_refusal *why);

int contacts_delete(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *id, int64_t now);

/* The lines of a refused import. */
#define CONTACTS_IMPORT_ERRORS_MAX 200
struct contacts_import_error {
	long line;
	char field[32];
	char text[256];
};
struct contacts_import_report {
	long lines; /* records read, header excluded */
	long imported;
	long errors_total;
	size_t nerrors;
	struct contacts_import_error errors[CONTACTS_IMPORT_ERRORS_MAX];
};

/* Imports the CSV text p (len bytes): a header line naming the columns
 * (type;raison_sociale;nom_contact;email;telephone;adresse;siret;notes,
 * any order, ';' or ','), then one contact a line. Returns 0 with every
 * line inserted, CONTACTS_REFUSED with every line at fault in rep and
 * nothing inserted, CONTACTS_TOO_LARGE, CONTACTS_READ_ONLY or -1. */
int contacts_import(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *p, size_t len, int64_t now,
    struct contacts_import_report *rep);

/* Attaches the document p (n bytes) named name to contact contact_id.
 * Its type is read from its content (tenancy/contact.h); *type receives
 * it. Returns 0, 1 (no such contact), CONTACTS_REFUSED (not a JPEG, PNG
 * or PDF, or empty), CONTACTS_TOO_LARGE, CONTACTS_READ_ONLY or -1. */
int contacts_doc_add(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *contact_id, const char *name, const void *p,
    size_t n, int64_t now, char id[AUTH_ID_HEX], const char **type);

/* Reads and opens a document: *data (malloc'ed, *n bytes), its type
 * and name (malloc'ed or NULL). Returns 0, 1 or -1. */
int contacts_doc_get(const struct auth *a, const char *org_id,
    const char *contact_id, const char *id, unsigned char **data, size_t *n,
    char type[32], char **name);

int contacts_doc_delete(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *contact_id, const char *id, int64_t now);

#endif
