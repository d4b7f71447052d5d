/* contacts.c (store) - SQL for a tenant's contacts and their documents. */
#include "store/contacts.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

static const char *const columns[CF_COUNT] = { NULL, "company", "person",
	"email", "phone", "address", "siret", "notes" };

const char *
store_contact_column(enum contact_field f)
{
	return (unsigned)f < CF_COUNT ? columns[f] : NULL;
}

void
store_contact_clear(struct store_contact *k)
{
	size_t i;

	if (k == NULL)
		return;
	for (i = 0; i < CF_COUNT; i++)
		store_blob_wipe(&k->f[i]);
	sodium_memzero(k, sizeof(*k));
}

static struct store_val
opt_blob(const struct store_blob *b)
{
	return b->p != NULL ? SV_B(b->p, b->len) : SV_T(NULL);
}

static void
values(const struct store_contact *k, struct store_val p[12])
{
	p[0] = SV_T(k->id);
	p[1] = SV_T(k->org_id);
	p[2] = SV_T(k->kind);
	p[3] = opt_blob(&k->f[CF_COMPANY]);
	p[4] = opt_blob(&k->f[CF_PERSON]);
	p[5] = opt_blob(&k->f[CF_EMAIL]);
	p[6] = opt_blob(&k->f[CF_PHONE]);
	p[7] = opt_blob(&k->f[CF_ADDRESS]);
	p[8] = opt_blob(&k->f[CF_SIRET]);
	p[9] = opt_blob(&k->f[CF_NOTES]);
	p[10] = SV_I(k->created_at);
	p[11] = SV_I(k->updated_at);
}

int
store_contact_insert(struct store *st, struct store_conn *c,
    const struct store_contact *k)
{
	struct store_val p[12];

	values(k, p);
	return store_drv(st)->exec(c,
	    "INSERT INTO tenant_contacts (id, org_id, kind, company, person,"
	    " email, phone, address, siret, notes, created_at, updated_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
	    p, 12, NULL, NULL);
}

int
store_contact_update(struct store *st, struct store_conn *c,
    const struct store_contact *k)
{
	struct store_val p[12];

	/*
	 * created_at ($11) is left as it was: the statement used to end with
	 * "AND created_at <= $11", there only so that every one of the
	 * insert's twelve values was named. It checked nothing (the service
	 * passes the row's own created_at, so it held for every row) and it
	 * is not needed: both drivers skip a value the statement does not
	 * name. A concurrent change is not detected here; the last write
	 * wins, each in its own transaction with its audit entry.
	 */
	values(k, p);
	return store_exec_changed(st, c,
	    "UPDATE tenant_contacts SET kind = $3, company = $4, person = $5,"
	    " email = $6, phone = $7, address = $8, siret = $9, notes = $10,"
	    " updated_at = $12 WHERE id = $1 AND org_id = $2 RETURNING id",
	    p, 12);
}

int
store_contact_delete(struct store *st, struct store_conn *c, const char *org_id,
    const char *id)
{
	struct store_val p[2];

	p[0] = SV_T(id);
	p[1] = SV_T(org_id);
	if (store_exec_count(st, c,
		"DELETE FROM tenant_contact_documents WHERE contact_id = $1"
		" AND org_id = $2 RETURNING 1",
		p, 2) < 0)
		return -1;
	return store_exec_changed(st, c,
	    "DELETE FROM tenant_contacts WHERE id = $1 AND org_id = $2"
	    " RETURNING id",
	    p, 2);
}

#define CONTACT_COLUMNS                                                        \
	"SELECT id, org_id, kind, company, person, email, phone, address,"     \
	" siret, notes, created_at, updated_at FROM tenant_contacts"

static int
read_contact(const struct store_driver *d, const struct store_row *r,
    struct store_contact *k)
{
	size_t i;

	memset(k, 0, sizeof(*k));
	k->created_at = d->row_int(r, 10);
	k->updated_at = d->row_int(r, 11);
	if (store_row_copy_text(k->id, sizeof(k->id), d, r, 0) != 0 ||
	    store_row_copy_text(k->org_id, sizeof(k->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(k->kind, sizeof(k->kind), d, r, 2) != 0)
		return -1;
	for (i = CF_COMPANY; i < CF_COUNT; i++)
		if (store_row_copy_blob(d, r, (int)(i + 2), &k->f[i]) != 0)
			return -1;
	return 0;
}

struct contact_arg {
	const struct store_driver *d;
	struct store_contact *out; /* get: the row; list: NULL */
	int (*fn)(void *arg, const struct store_contact *k);
	void *arg;
	int n, bad;
};

static int
contact_row(void *arg, const struct store_row *r)
{
	struct contact_arg *x = arg;
	struct store_contact k;
	int rc;

	x->n++;
	if (x->out != NULL) {
		if (read_contact(x->d, r, x->out) != 0)
			x->bad = 1;
		return 1;
	}
	if (read_contact(x->d, r, &k) != 0) {
		store_contact_clear(&k);
		x->bad = 1;
		return 1;
	}
	rc = x->fn(x->arg, &k);
	store_contact_clear(&k);
	if (rc != 0)
		x->bad = 1;
	return rc;
}

int
store_contact_get(struct store *st, struct store_conn *c, const char *org_id,
    const char *id, struct store_contact *out)
{
	struct contact_arg x = { store_drv(st), NULL, NULL, NULL, 0, 0 };
	struct store_val p[2];

	memset(out, 0, sizeof(*out));
	x.out = out; /* cleared first: the caller's may be uninitialised */
	p[0] = SV_T(id);
	p[1] = SV_T(org_id);
	if (x.d->exec(c, CONTACT_COLUMNS " WHERE id = $1 AND org_id = $2", p, 2,
		contact_row, &x) != 0 ||
	    x.bad) {
		store_contact_clear(out);
		return -1;
	}
	return x.n == 0 ? 1 : 0;
}

int
store_contact_list(struct store *st, struct store_conn *c, const char *org_id,
    int (*fn)(void *arg, const struct store_contact *k), void *arg)
{
	struct contact_arg x = { store_drv(st), NULL, fn, arg, 0, 0 };
	struct store_val p[1];

	p[0] = SV_T(org_id);
	if (x.d->exec(c,
		CONTACT_COLUMNS " WHERE org_id = $1 ORDER BY created_at, id", p,
		1, contact_row, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

long
store_contact_count(struct store *st, struct store_conn *c, const char *org_id)
{
	struct store_int_out o = { store_drv(st), 0, 0 };
	struct store_val p[1];

	p[0] = SV_T(org_id);
	if (o.d->exec(c,
		"SELECT COUNT(*) FROM tenant_contacts WHERE org_id = $1", p, 1,
		store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	return (long)o.v;
}

void
store_contact_doc_clear(struct store_contact_doc *d)
{
	if (d == NULL)
		return;
	store_blob_wipe(&d->file_name);
	store_blob_wipe(&d->content);
	sodium_memzero(d, sizeof(*d));
}

int
store_contact_doc_insert(struct store *st, struct store_conn *c,
    const struct store_contact_doc *d)
{
	struct store_val p[8];

	p[0] = SV_T(d->id);
	p[1] = SV_T(d->org_id);
	p[2] = SV_T(d->contact_id);
	p[3] = SV_T(d->doc_type);
	p[4] = SV_I(d->size);
	p[5] = opt_blob(&d->file_name);
	p[6] = SV_B(d->content.p, d->content.len);
	p[7] = SV_I(d->uploaded_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO tenant_contact_documents (id, org_id, contact_id,"
	    " doc_type, size, file_name, content, uploaded_at) VALUES ($1,"
	    " $2, $3, $4, $5, $6, $7, $8)",
	    p, 8, NULL, NULL);
}

struct doc_arg {
	const struct store_driver *d;
	struct store_contact_doc *out;
	int (*fn)(void *arg, const struct store_contact_doc *d);
	void *arg;
	int content, n, bad;
};

static int
read_doc(const struct store_driver *d, const struct store_row *r,
    struct store_contact_doc *o, int content)
{
	memset(o, 0, sizeof(*o));
	o->size = d->row_int(r, 4);
	o->uploaded_at = d->row_int(r, 6);
	if (store_row_copy_text(o->id, sizeof(o->id), d, r, 0) != 0 ||
	    store_row_copy_text(o->org_id, sizeof(o->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(o->contact_id, sizeof(o->contact_id), d, r,
		2) != 0 ||
	    store_row_copy_text(o->doc_type, sizeof(o->doc_type), d, r, 3) !=
		0 ||
	    store_row_copy_blob(d, r, 5, &o->file_name) != 0)
		return -1;
	if (content && store_row_copy_blob(d, r, 7, &o->content) != 0)
		return -1;
	return 0;
}

static int
doc_row(void *arg, const struct store_row *r)
{
	struct doc_arg *x = arg;
	struct store_contact_doc d;
	int rc;

	x->n++;
	if (x->out != NULL) {
		if (read_doc(x->d, r, x->out, 1) != 0)
			x->bad = 1;
		return 1;
	}
	if (read_doc(x->d, r, &d, 0) != 0) {
		store_contact_doc_clear(&d);
		x->bad = 1;
		return 1;
	}
	rc = x->fn(x->arg, &d);
	store_contact_doc_clear(&d);
	if (rc != 0)
		x->bad = 1;
	return rc;
}

int
store_contact_doc_get(struct store *st, struct store_conn *c,
    const char *org_id, const char *contact_id, const char *id,
    struct store_contact_doc *out)
{
	struct doc_arg x = { store_drv(st), NULL, NULL, NULL, 1, 0, 0 };
	struct store_val p[3];

	memset(out, 0, sizeof(*out));
	x.out = out;
	p[0] = SV_T(id);
	p[1] = SV_T(org_id);
	p[2] = SV_T(contact_id);
	if (x.d->exec(c,
		"SELECT id, org_id, contact_id, doc_type, size, file_name,"
		" uploaded_at, content FROM tenant_contact_documents WHERE"
		" id = $1 AND org_id = $2 AND contact_id = $3",
		p, 3, doc_row, &x) != 0 ||
	    x.bad) {
		store_contact_doc_clear(out);
		return -1;
	}
	return x.n == 0 ? 1 : 0;
}

int
store_contact_doc_list(struct store *st, struct store_conn *c,
    const char *org_id, const char *contact_id,
    int (*fn)(void *arg, const struct store_contact_doc *d), void *arg)
{
	struct doc_arg x = { store_drv(st), NULL, fn, arg, 0, 0, 0 };
	struct store_val p[2];

	p[0] = SV_T(org_id);
	p[1] = SV_T(contact_id);
	if (x.d->exec(c,
		"SELECT id, org_id, contact_id, doc_type, size, file_name,"
		" uploaded_at FROM tenant_contact_documents WHERE org_id = $1"
		" AND contact_id = $2 ORDER BY uploaded_at, id",
		p, 2, doc_row, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

int
store_contact_doc_delete(struct store *st, struct store_conn *c,
    const char *org_id, const char *contact_id, const char *id)
{
	struct store_val p[3];

	p[0] = SV_T(id);
	p[1] = SV_T(org_id);
	p[2] = SV_T(contact_id);
	return store_exec_changed(st, c,
	    "DELETE FROM tenant_contact_documents WHERE id = $1 AND"
	    " org_id = $2 AND contact_id = $3 RETURNING id",
	    p, 3);
}
