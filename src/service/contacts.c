/* contacts.c - a tenant's contacts and their documents, each change in
 * one transaction with its audit entry. */
#include "service/contacts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/audit.h"
#include "core/csv.h"
#include "crypto/field.h"
#include "service/tenancy.h"
#include "store/contacts.h"
#include "store/driver.h"
#include "store/tenants.h"

#define T_CONTACTS "tenant_contacts"
#define T_DOCS "tenant_contact_documents"

void
contact_view_clear(struct contact_view *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < CF_COUNT; i++)
		if (v->v[i] != NULL && i != CF_KIND)
			field_free(v->v[i], strlen(v->v[i]));
	sodium_memzero(v, sizeof(*v));
}

/* The tenant's key into *k: 0, 1 when it has none (create unset), -1. */
static int
tenant_key(const struct auth *a, const char *org_id, int create,
    struct data_key *k)
{
	char owner[AUTH_OWNER_MAX];

	if (tenancy_key_owner(org_id, owner) != 0)
		return -1;
	return auth_key(a, owner, create, k);
}

static int
open_field(const struct data_key *k, const char *table, const char *column,
    const char *id, const struct store_blob *b, char **out)
{
	size_t n;

	*out = NULL;
	if (b->p == NULL || k == NULL)
		return 0;
	return field_open(k, table, column, id, b->p, b->len, out, &n);
}

static int
view_of(const struct data_key *k, const struct store_contact *c,
    struct contact_view *v)
{
	size_t i;

	memset(v, 0, sizeof(*v));
	snprintf(v->id, sizeof(v->id), "%s", c->id);
	snprintf(v->kind, sizeof(v->kind), "%s", c->kind);
	v->created_at = c->created_at;
	v->updated_at = c->updated_at;
	for (i = CF_COMPANY; i < CF_COUNT; i++)
		if (open_field(k, T_CONTACTS,
			store_contact_column((enum contact_field)i), c->id,
			&c->f[i], &v->v[i]) != 0)
			return -1;
	v->v[CF_KIND] = v->kind;
	return 0;
}

struct list_arg {
	const struct data_key *k;
	const char *q;
	int (*fn)(void *arg, const struct contact_view *v);
	void *arg;
};

static int
matches(const struct contact_view *v, const char *q)
{
	if (q == NULL || q[0] == '\0')
		return 1;
	return (v->v[CF_COMPANY] && strcasestr(v->v[CF_COMPANY], q)) ||
	    (v->v[CF_PERSON] && strcasestr(v->v[CF_PERSON], q));
}

static int
list_one(void *arg, const struct store_contact *c)
{
	struct list_arg *x = arg;
	struct contact_view v;
	int rc = 0;

	if (view_of(x->k, c, &v) != 0)
		rc = -1;
	else if (matches(&v, x->q))
		rc = x->fn(x->arg, &v);
	contact_view_clear(&v);
	return rc;
}

struct read_arg {
	const char *org_id, *id;
	struct list_arg l;
	struct store_contact row;
	int found;
	int (*docfn)(void *arg, const struct contact_doc_view *d);
	void *docarg;
};

static int
list_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct read_arg *x = arg;

	return store_contact_list(st, c, x->org_id, list_one, &x->l);
}

int
contacts_list(const struct auth *a, const char *org_id, const char *q,
    int (*fn)(void *arg, const struct contact_view *v), void *arg)
{
	struct read_arg x;
	struct data_key k;
	int have, rc;

	memset(&x, 0, sizeof(x));
	if ((have = tenant_key(a, org_id, 0, &k)) < 0)
		return -1;
	x.org_id = org_id;
	x.l.k = have == 0 ? &k : NULL;
	x.l.q = q;
	x.l.fn = fn;
	x.l.arg = arg;
	rc = store_tx(a->st, 0, list_tx, &x);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

static int
doc_one(void *arg, const struct store_contact_doc *d)
{
	struct read_arg *x = arg;
	struct contact_doc_view v;
	int rc;

	memset(&v, 0, sizeof(v));
	snprintf(v.id, sizeof(v.id), "%s", d->id);
	snprintf(v.doc_type, sizeof(v.doc_type), "%s", d->doc_type);
	v.size = d->size;
	v.uploaded_at = d->uploaded_at;
	if (open_field(x->l.k, T_DOCS, "file_name", d->id, &d->file_name,
		&v.name) != 0)
		return -1;
	rc = x->docfn(x->docarg, &v);
	if (v.name != NULL)
		field_free(v.name, strlen(v.name));
	return rc;
}

static int
get_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct read_arg *x = arg;
	int rc = store_contact_get(st, c, x->org_id, x->id, &x->row);

	if (rc != 0)
		return rc;
	x->found = 1;
	if (x->docfn == NULL)
		return 0;
	return store_contact_doc_list(st, c, x->org_id, x->id, doc_one, x);
}

int
contacts_get(const struct auth *a, const char *org_id, const char *id,
    struct contact_view *out,
    int (*docfn)(void *arg, const struct contact_doc_view *d), void *docarg)
{
	struct read_arg x;
	struct data_key k;
	int have, rc;

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	if ((have = tenant_key(a, org_id, 0, &k)) < 0)
		return -1;
	x.org_id = org_id;
	x.id = id;
	x.l.k = have == 0 ? &k : NULL;
	x.docfn = docfn;
	x.docarg = docarg;
	rc = store_tx(a->st, 0, get_tx, &x);
	if (rc == 0 && x.found && view_of(x.l.k, &x.row, out) != 0) {
		contact_view_clear(out);
		rc = -1;
	}
	store_contact_clear(&x.row);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

/* CONTACTS_READ_ONLY unless the tenant is active (no row: active). */
static int
writable(struct store *st, struct store_conn *c, const char *org_id)
{
	struct store_tenant t;
	int rc;

	memset(&t, 0, sizeof(t));
	rc = store_tenant_get(st, c, org_id, &t);
	if (rc == 0 && t.has_row && strcmp(t.state, "active") != 0)
		rc = CONTACTS_READ_ONLY;
	store_tenant_clear(&t);
	return rc < 0 ? -1 : rc == CONTACTS_READ_ONLY ? rc : 0;
}

static int
audit(const struct auth *a, struct store_conn *c, const struct svc_actor *who,
    const char *action, const char *target_type, const char *ids,
    const char *org_id, json_t *details, int64_t now)
{
	struct audit_entry e;
	char *text = details != NULL
	    ? json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS)
	    : NULL;
	int rc;

	memset(&e, 0, sizeof(e));
	e.actor = who->account_id;
	e.action = action;
	e.target_type = target_type;
	e.target_ids = ids;
	e.org = org_id;
	e.ip = who->ip;
	e.request_id = who->request_id;
	e.outcome = AUDIT_SUCCESS;
	e.details = text;
	rc = audit_append(a->st, c, a->audit_key, now, &e, NULL);
	free(text);
	json_decref(details);
	return rc;
}

/* Seals the fields of f into row k (k->id set). */
static int
seal_row(const struct data_key *key, const struct contact_fields *f,
    struct store_contact *k)
{
	char siret[15];
	const char *s;
	size_t i;

	snprintf(k->kind, sizeof(k->kind), "%s", f->v[CF_KIND]);
	for (i = CF_COMPANY; i < CF_COUNT; i++) {
		s = f->v[i];
		if (s == NULL || s[0] == '\0')
			continue;
		if (i == CF_SIRET) {
			contact_siret_digits(s, siret);
			s = siret;
		}
		if (auth_seal(key, T_CONTACTS,
			store_contact_column((enum contact_field)i), k->id, s,
			&k->f[i]) != 0)
			return -1;
	}
	return 0;
}

struct write_arg {
	const struct auth *a;
	const struct svc_actor *who;
	const char *org_id, *id, *contact_id;
	const struct contact_fields *f;
	const struct data_key *key;
	int64_t now;
	/* import */
	const char *p;
	size_t len;
	long imported;
	/* documents */
	const char *name, *type;
	const void *data;
	size_t n;
};

/* Runs fn (create_tx or update_tx) in one write transaction with the
 * tenant's key opened for it, wiped after. */
static int
write_contact(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *id, const struct contact_fields *f,
    int64_t now, int (*fn)(struct store *, struct store_conn *, void *))
{
	struct write_arg x;
	struct data_key k;
	int rc;

	if (tenant_key(a, org_id, 1, &k) != 0)
		return -1;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.who = who;
	x.org_id = org_id;
	x.id = id;
	x.f = f;
	x.key = &k;
	x.now = now;
	rc = store_tx(a->st, 1, fn, &x);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

static int
create_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct write_arg *x = arg;
	struct store_contact k;
	int rc;

	if ((rc = writable(st, c, x->org_id)) != 0)
		return rc;
	memset(&k, 0, sizeof(k));
	snprintf(k.id, sizeof(k.id), "%s", x->id);
	snprintf(k.org_id, sizeof(k.org_id), "%s", x->org_id);
	k.created_at = k.updated_at = x->now;
	rc = seal_row(x->key, x->f, &k) != 0 ||
		store_contact_insert(st, c, &k) != 0 ||
		audit(x->a, c, x->who, "contact.create", "tenant_contact",
		    x->id, x->org_id, json_pack("{s:s}", "kind", k.kind),
		    x->now) != 0
	    ? -1
	    : 0;
	store_contact_clear(&k);
	return rc;
}

int
contacts_create(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const struct contact_fields *f, int64_t now,
    char id[AUTH_ID_HEX], struct contact_refusal *why)
{
	if (contact_check(f, why) != 0)
		return CONTACTS_REFUSED;
	auth_id_new(id);
	return write_contact(a, who, org_id, id, f, now, create_tx);
}

static int
update_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct write_arg *x = arg;
	struct store_contact old, k;
	int rc;

	memset(&old, 0, sizeof(old));
	if ((rc = writable(st, c, x->org_id)) != 0)
		return rc;
	if ((rc = store_contact_get(st, c, x->org_id, x->id, &old)) != 0)
		return rc;
	memset(&k, 0, sizeof(k));
	snprintf(k.id, sizeof(k.id), "%s", x->id);
	snprintf(k.org_id, sizeof(k.org_id), "%s", x->org_id);
	k.created_at = old.created_at;
	k.updated_at = x->now;
	store_contact_clear(&old);
	rc = seal_row(x->key, x->f, &k) != 0 ? -1
					     : store_contact_update(st, c, &k);
	if (rc == 0 &&
	    audit(x->a, c, x->who, "contact.update", "tenant_contact", x->id,
		x->org_id, json_pack("{s:s}", "kind", k.kind), x->now) != 0)
		rc = -1;
	store_contact_clear(&k);
	return rc;
}

int
contacts_update(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *id, const struct contact_fields *f,
    int64_t now, struct contact_refusal *why)
{
	if (contact_check(f, why) != 0)
		return CONTACTS_REFUSED;
	return write_contact(a, who, org_id, id, f, now, update_tx);
}

static int
delete_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct write_arg *x = arg;
	int rc;

	if ((rc = writable(st, c, x->org_id)) != 0)
		return rc;
	if ((rc = store_contact_delete(st, c, x->org_id, x->id)) != 0)
		return rc;
	return audit(x->a, c, x->who, "contact.delete", "tenant_contact", x->id,
	    x->org_id, NULL, x->now);
}

int
contacts_delete(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *id, int64_t now)
{
	struct write_arg x;

	memset(&x, 0, sizeof(x));
	x.a = a;
	x.who = who;
	x.org_id = org_id;
	x.id = id;
	x.now = now;
	return store_tx(a->st, 1, delete_tx, &x);
}

/* ---- import ---- */

struct import_cols {
	int col[CF_COUNT]; /* the CSV column of each field, or -1 */
};

static void
import_error(struct contacts_import_report *rep, long line, const char *field,
    const char *text)
{
	struct contacts_import_error *e;

	rep->errors_total++;
	if (rep->nerrors == CONTACTS_IMPORT_ERRORS_MAX)
		return;
	e = &rep->errors[rep->nerrors++];
	e->line = line;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	snprintf(e->text, sizeof(e->text), "%s", text);
}

/* Reads the header line. Returns 0, or CONTACTS_REFUSED with rep filled. */
static int
read_header(struct csv_reader *r, struct csv_record *rec,
    struct import_cols *cols, struct contacts_import_report *rep)
{
	char text[256];
	size_t i;
	int f, rc;

	for (i = 0; i < CF_COUNT; i++)
		cols->col[i] = -1;
	rc = csv_next(r, rec);
	if (rc <= 0) {
		import_error(rep, r->line > 0 ? r->line : 1, "header",
		    rc == 0 ? "Le fichier est vide : la première ligne nomme "
			      "les colonnes (type;raison_sociale;...)."
			    : r->error);
		return CONTACTS_REFUSED;
	}
	for (i = 0; i < rec->nf; i++) {
		f = contact_header_field(rec->f[i]);
		if (f < 0) {
			snprintf(text, sizeof(text),
			    "La colonne « %.60s » est inconnue : type, "
			    "raison_sociale, nom_contact, email, telephone, "
			    "adresse, siret, notes.",
			    rec->f[i]);
			import_error(rep, r->line, "header", text);
			continue;
		}
		if (cols->col[f] >= 0) {
			snprintf(text, sizeof(text),
			    "La colonne « %s » est présente deux fois.",
			    contact_field_header((enum contact_field)f));
			import_error(rep, r->line, "header", text);
			continue;
		}
		cols->col[f] = (int)i;
	}
	if (cols->col[CF_KIND] < 0)
		import_error(rep, r->line, "header",
		    "La colonne « type » (client ou fournisseur) manque.");
	if (cols->col[CF_COMPANY] < 0)
		import_error(rep, r->line, "header",
		    "La colonne « raison_sociale » manque.");
	return rep->errors_total > 0 ? CONTACTS_REFUSED : 0;
}

static void
fields_of(const struct import_cols *cols, const struct csv_record *rec,
    struct contact_fields *f)
{
	size_t i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < CF_COUNT; i++)
		if (cols->col[i] >= 0 && (size_t)cols->col[i] < rec->nf)
			f->v[i] = rec->f[cols->col[i]];
}

/* Checks every line of the file; 0 when all are good. */
static int
import_check(const char *p, size_t len, struct csv_record *rec,
    struct contacts_import_report *rep)
{
	struct import_cols cols;
	struct contact_fields f;
	struct contact_refusal why;
	struct csv_reader r;
	int rc;

	csv_init(&r, p, len, 0);
	if (read_header(&r, rec, &cols, rep) != 0)
		return CONTACTS_REFUSED;
	while ((rc = csv_next(&r, rec)) != 0) {
		rep->lines++;
		if (rep->lines > CONTACT_IMPORT_LINES_MAX)
			return CONTACTS_TOO_LARGE;
		if (rc < 0) {
			import_error(rep, r.line, "ligne", r.error);
			continue;
		}
		fields_of(&cols, rec, &f);
		if (contact_check(&f, &why) != 0)
			import_error(rep, r.line, why.field, why.text);
	}
	if (rep->lines == 0 && rep->errors_total == 0)
		import_error(rep, 2, "ligne",
		    "Le fichier ne contient aucun contact après la ligne des "
		    "colonnes.");
	return rep->errors_total > 0 ? CONTACTS_REFUSED : 0;
}

static int
import_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct write_arg *x = arg;
	struct import_cols cols;
	struct contact_fields f;
	struct store_contact k;
	struct contacts_import_report scratch;
	struct csv_record *rec;
	struct csv_reader r;
	int rc;

	if ((rc = writable(st, c, x->org_id)) != 0)
		return rc;
	if ((rec = malloc(sizeof(*rec))) == NULL)
		return -1;
	memset(&scratch, 0, sizeof(scratch));
	csv_init(&r, x->p, x->len, 0);
	rc = read_header(&r, rec, &cols, &scratch) != 0 ? -1 : 0;
	while (rc == 0 && csv_next(&r, rec) == 1) {
		fields_of(&cols, rec, &f);
		memset(&k, 0, sizeof(k));
		auth_id_new(k.id);
		snprintf(k.org_id, sizeof(k.org_id), "%s", x->org_id);
		k.created_at = k.updated_at = x->now;
		if (seal_row(x->key, &f, &k) != 0 ||
		    store_contact_insert(st, c, &k) != 0)
			rc = -1;
		else
			x->imported++;
		store_contact_clear(&k);
	}
	sodium_memzero(rec, sizeof(*rec));
	free(rec);
	if (rc == 0 &&
	    audit(x->a, c, x->who, "contact.import", "tenant_contact", NULL,
		x->org_id,
		json_pack("{s:I}", "imported", (json_int_t)x->imported),
		x->now) != 0)
		rc = -1;
	return rc;
}

int
contacts_import(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *p, size_t len, int64_t now,
    struct contacts_import_report *rep)
{
	struct csv_record *rec;
	struct write_arg x;
	struct data_key k;
	int rc;

	memset(rep, 0, sizeof(*rep));
	if (len > CONTACT_IMPORT_BYTES_MAX)
		return CONTACTS_TOO_LARGE;
	if ((rec = malloc(sizeof(*rec))) == NULL)
		return -1;
	rc = import_check(p, len, rec, rep);
	sodium_memzero(rec, sizeof(*rec));
	free(rec);
	if (rc != 0)
		return rc;
	if (tenant_key(a, org_id, 1, &k) != 0)
		return -1;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.who = who;
	x.org_id = org_id;
	x.key = &k;
	x.now = now;
	x.p = p;
	x.len = len;
	rc = store_tx(a->st, 1, import_tx, &x);
	sodium_memzero(&k, sizeof(k));
	if (rc == 0)
		rep->imported = x.imported;
	return rc;
}

/* ---- documents ---- */

static int
doc_add_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct write_arg *x = arg;
	struct store_contact owner;
	struct store_contact_doc d;
	size_t b64len;
	char *b64;
	int rc;

	memset(&owner, 0, sizeof(owner));
	if ((rc = writable(st, c, x->org_id)) != 0)
		return rc;
	if ((rc = store_contact_get(st, c, x->org_id, x->contact_id, &owner)) !=
	    0)
		return rc;
	store_contact_clear(&owner);
	memset(&d, 0, sizeof(d));
	snprintf(d.id, sizeof(d.id), "%s", x->id);
	snprintf(d.org_id, sizeof(d.org_id), "%s", x->org_id);
	snprintf(d.contact_id, sizeof(d.contact_id), "%s", x->contact_id);
	snprintf(d.doc_type, sizeof(d.doc_type), "%s", x->type);
	d.size = (int64_t)x->n;
	d.uploaded_at = x->now;
	b64len =
	    sodium_base64_ENCODED_LEN(x->n, sodium_base64_VARIANT_ORIGINAL);
	if ((b64 = malloc(b64len)) == NULL)
		return -1;
	sodium_bin2base64(b64, b64len, x->data, x->n,
	    sodium_base64_VARIANT_ORIGINAL);
	rc = -1;
	if ((x->name == NULL || x->name[0] == '\0' ||
		auth_seal(x->key, T_DOCS, "file_name", d.id, x->name,
		    &d.file_name) == 0) &&
	    auth_seal(x->key, T_DOCS, "content", d.id, b64, &d.content) == 0 &&
	    store_contact_doc_insert(st, c, &d) == 0 &&
	    audit(x->a, c, x->who, "contact.document_add",
		"tenant_contact_document", d.id, x->org_id,
		json_pack("{s:s, s:s, s:I}", "contact", x->contact_id, "type",
		    x->type, "size", (json_int_t)x->n),
		x->now) == 0)
		rc = 0;
	sodium_memzero(b64, b64len);
	free(b64);
	store_contact_doc_clear(&d);
	return rc;
}

int
contacts_doc_add(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *contact_id, const char *name, const void *p,
    size_t n, int64_t now, char id[AUTH_ID_HEX], const char **type)
{
	char clipped[CONTACT_DOC_NAME_MAX + 1];
	struct write_arg x;
	struct data_key k;
	int rc;

	*type = NULL;
	if (n > CONTACT_DOC_BYTES_MAX)
		return CONTACTS_TOO_LARGE;
	if (p == NULL || n == 0 || (*type = contact_doc_type(p, n)) == NULL)
		return CONTACTS_REFUSED;
	clipped[0] = '\0';
	if (name != NULL)
		auth_clip(clipped, CONTACT_DOC_NAME_MAX, name);
	if (tenant_key(a, org_id, 1, &k) != 0)
		return -1;
	auth_id_new(id);
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.who = who;
	x.org_id = org_id;
	x.contact_id = contact_id;
	x.id = id;
	x.key = &k;
	x.now = now;
	x.name = clipped;
	x.type = *type;
	x.data = p;
	x.n = n;
	rc = store_tx(a->st, 1, doc_add_tx, &x);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

struct doc_get_arg {
	const char *org_id, *contact_id, *id;
	struct store_contact_doc d;
};

static int
doc_get_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct doc_get_arg *x = arg;

	return store_contact_doc_get(st, c, x->org_id, x->contact_id, x->id,
	    &x->d);
}

int
contacts_doc_get(const struct auth *a, const char *org_id,
    const char *contact_id, const char *id, unsigned char **data, size_t *n,
    char type[32], char **name)
{
	struct doc_get_arg x;
	struct data_key k;
	char *b64 = NULL;
	size_t b64len = 0, cap;
	int rc;

	*data = NULL;
	*n = 0;
	*name = NULL;
	memset(&x, 0, sizeof(x));
	x.org_id = org_id;
	x.contact_id = contact_id;
	x.id = id;
	if ((rc = store_tx(a->st, 0, doc_get_tx, &x)) != 0)
		return rc;
	rc = -1;
	if (tenant_key(a, org_id, 0, &k) != 0)
		goto done;
	if (field_open(&k, T_DOCS, "content", id, x.d.content.p,
		x.d.content.len, &b64, &b64len) != 0 ||
	    open_field(&k, T_DOCS, "file_name", id, &x.d.file_name, name) != 0)
		goto wipe;
	cap = b64len / 4 * 3 + 3;
	if ((*data = malloc(cap)) == NULL ||
	    sodium_base642bin(*data, cap, b64, b64len, NULL, n, NULL,
		sodium_base64_VARIANT_ORIGINAL) != 0)
		goto wipe;
	snprintf(type, 32, "%s", x.d.doc_type);
	rc = 0;
wipe:
	sodium_memzero(&k, sizeof(k));
	if (b64 != NULL)
		field_free(b64, b64len);
	if (rc != 0) {
		free(*data);
		*data = NULL;
		if (*name != NULL)
			field_free(*name, strlen(*name));
		*name = NULL;
	}
done:
	store_contact_doc_clear(&x.d);
	return rc;
}

static int
doc_delete_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct write_arg *x = arg;
	int rc;

	if ((rc = writable(st, c, x->org_id)) != 0)
		return rc;
	if ((rc = store_contact_doc_delete(st, c, x->org_id, x->contact_id,
		 x->id)) != 0)
		return rc;
	return audit(x->a, c, x->who, "contact.document_delete",
	    "tenant_contact_document", x->id, x->org_id,
	    json_pack("{s:s}", "contact", x->contact_id), x->now);
}

int
contacts_doc_delete(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *contact_id, const char *id, int64_t now)
{
	struct write_arg x;

	memset(&x, 0, sizeof(x));
	x.a = a;
	x.who = who;
	x.org_id = org_id;
	x.contact_id = contact_id;
	x.id = id;
	x.now = now;
	return store_tx(a->st, 1, doc_delete_tx, &x);
}
