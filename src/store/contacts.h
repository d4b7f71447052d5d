/*
 * contacts.h (store) - SQL for a tenant's contacts and their documents
 * (tables tenant_contacts and tenant_contact_documents). Every personal
 * field arrives sealed (service/contacts.c) and leaves sealed.
 */
#ifndef CRENEAU_STORE_CONTACTS_H
#define CRENEAU_STORE_CONTACTS_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"
#include "tenancy/contact.h"

/* One contact row: the sealed fields by enum contact_field (CF_KIND's
 * is unused: the kind is in clear). */
struct store_contact {
	char id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char kind[16];
	struct store_blob f[CF_COUNT];
	int64_t created_at, updated_at;
};

/* Wipes and frees the blobs of c. */
void store_contact_clear(struct store_contact *c);

/* The column of field f ("company"); NULL for CF_KIND. */
const char *store_contact_column(enum contact_field f);

int store_contact_insert(struct store *st, struct store_conn *c,
    const struct store_contact *k);

/* Rewrites every field of row k->id of k->org_id. Returns 0, 1 if none,
 * -1. */
int store_contact_update(struct store *st, struct store_conn *c,
    const struct store_contact *k);

/* Deletes contact id of org_id and its documents. Returns 0, 1 if none,
 * -1. */
int store_contact_delete(struct store *st, struct store_conn *c,
    const char *org_id, const char *id);

/* Reads contact id of org_id. Returns 0, 1 if none, -1. */
int store_contact_get(struct store *st, struct store_conn *c,
    const char *org_id, const char *id, struct store_contact *out);

/* Calls fn with every contact of org_id (borrowed row, oldest first).
 * Returns 0 or -1. */
int store_contact_list(struct store *st, struct store_conn *c,
    const char *org_id, int (*fn)(void *arg, const struct store_contact *k),
    void *arg);

/* How many contacts org_id holds, or -1. */
long store_contact_count(struct store *st, struct store_conn *c,
    const char *org_id);

/* One document. content is left empty by the listing. */
struct store_contact_doc {
	char id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char contact_id[STORE_ID_MAX];
	char doc_type[32];
	int64_t size;
	struct store_blob file_name; /* sealed */
	struct store_blob content; /* sealed base64 */
	int64_t uploaded_at;
};

void store_contact_doc_clear(struct store_contact_doc *d);

int store_contact_doc_insert(struct store *st, struct store_conn *c,
    const struct store_contact_doc *d);

/* Reads document id of contact contact_id of org_id, content included.
 * Returns 0, 1 if none, -1. */
int store_contact_doc_get(struct store *st, struct store_conn *c,
    const char *org_id, const char *contact_id, const char *id,
    struct store_contact_doc *out);

/* Calls fn with every document of a contact, without content. */
int store_contact_doc_list(struct store *st, struct store_conn *c,
    const char *org_id, const char *contact_id,
    int (*fn)(void *arg, const struct store_contact_doc *d), void *arg);

/* Returns 0, 1 if none, -1. */
int store_contact_doc_delete(struct store *st, struct store_conn *c,
    const char *org_id, const char *contact_id, const char *id);

#endif
