/* dossier_store.c - SQL for dossiers and their documents. */
#include "store/dossier_store.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/dossier_rows.h"
#include "store/driver.h"

#define COLS                                                                   \
	"id, org_id, account_id, kind, state, profile, health, comment,"       \
	" created_at, updated_at, submitted_at, decided_at, decided_by,"       \
	" destroyed_at"

void
store_dossier_clear(struct store_dossier *d)
{
	store_blob_wipe(&d->profile);
	store_blob_wipe(&d->health);
	store_blob_wipe(&d->comment);
}

/* Copies blob column col into b (p NULL for SQL NULL). Returns 0 or -1. */
static int
copy_blob(const struct store_driver *drv, const struct store_row *r, int col,
    struct store_blob *b)
{
	const void *p;
	size_t n = 0;

	if (drv->row_is_null(r, col))
		return 0;
	p = drv->row_blob(r, col, &n);
	if ((b->p = malloc(n + 1)) == NULL)
		return -1;
	if (n > 0 && p != NULL)
		memcpy(b->p, p, n);
	b->len = n;
	return 0;
}

static int64_t
opt_int(const struct store_driver *drv, const struct store_row *r, int col)
{
	return drv->row_is_null(r, col) ? 0 : drv->row_int(r, col);
}

static struct store_val
opt_time(int64_t t)
{
	return t != 0 ? SV_I(t) : SV_T(NULL);
}

static struct store_val
opt_blob(const struct store_blob *b)
{
	return b->p != NULL ? SV_B(b->p, b->len) : SV_T(NULL);
}

static int
get_row(const struct store_driver *drv, const struct store_row *r,
    struct store_dossier *d)
{
	memset(d, 0, sizeof(*d));
	d->id = drv->row_int(r, 0);
	if (store_row_copy_text(d->org_id, sizeof(d->org_id), drv, r, 1) != 0 ||
	    store_row_copy_text(d->account_id, sizeof(d->account_id), drv, r,
		2) != 0 ||
	    dossier_kind_parse(drv->row_text(r, 3), &d->kind) != 0 ||
	    dossier_state_parse(drv->row_text(r, 4), &d->state) != 0 ||
	    copy_blob(drv, r, 5, &d->profile) != 0 ||
	    copy_blob(drv, r, 6, &d->health) != 0 ||
	    copy_blob(drv, r, 7, &d->comment) != 0 ||
	    store_row_copy_text(d->decided_by, sizeof(d->decided_by), drv, r,
		12) != 0) {
		store_dossier_clear(d);
		return -1;
	}
	d->created_at = drv->row_int(r, 8);
	d->updated_at = drv->row_int(r, 9);
	d->submitted_at = opt_int(drv, r, 10);
	d->decided_at = opt_int(drv, r, 11);
	d->destroyed_at = opt_int(drv, r, 13);
	return 0;
}

struct one {
	const struct store_driver *drv;
	struct store_dossier *d;
	int found;
};

static int
one_row(void *arg, const struct store_row *r)
{
	struct one *o = arg;

	if (o->found)
		return 0;
	if (get_row(o->drv, r, o->d) != 0)
		return -1;
	o->found = 1;
	return 0;
}

static int
read_one(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t np, struct store_dossier *d)
{
	struct one o = { store_drv(st), d, 0 };

	memset(d, 0, sizeof(*d));
	if (store_drv(st)->exec(c, sql, p, np, one_row, &o) != 0) {
		if (o.found)
			store_dossier_clear(d);
		return -1;
	}
	return o.found ? 0 : 1;
}

int
store_dossier_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_dossier *d)
{
	struct store_val p[1] = { SV_I(id) };

	return read_one(st, c, "SELECT " COLS " FROM dossiers WHERE id = $1", p,
	    1, d);
}

int
store_dossier_of(struct store *st, struct store_conn *c, const char *org_id,
    const char *account_id, struct store_dossier *d)
{
	struct store_val p[2] = { SV_T(org_id), SV_T(account_id) };

	return read_one(st, c,
	    "SELECT " COLS " FROM dossiers WHERE org_id = $1 AND"
	    " account_id = $2",
	    p, 2, d);
}

int
store_dossier_insert(struct store *st, struct store_conn *c,
    struct store_dossier *d)
{
	struct store_val p[6];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[0] = SV_T(d->org_id);
	p[1] = SV_T(d->account_id);
	p[2] = SV_T(dossier_kind_name(d->kind));
	p[3] = SV_T(dossier_state_name(d->state));
	p[4] = SV_I(d->created_at);
	p[5] = SV_I(d->updated_at);
	if (store_drv(st)->exec(c,
		"INSERT INTO dossiers (org_id, account_id, kind, state,"
		" created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)"
		" RETURNING id",
		p, 6, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	d->id = o.v;
	return 0;
}

int
store_dossier_update(struct store *st, struct store_conn *c,
    const struct store_dossier *d)
{
	struct store_val p[10];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[0] = SV_I(d->id);
	p[1] = SV_T(dossier_state_name(d->state));
	p[2] = opt_blob(&d->profile);
	p[3] = opt_blob(&d->health);
	p[4] = opt_blob(&d->comment);
	p[5] = SV_I(d->updated_at);
	p[6] = opt_time(d->submitted_at);
	p[7] = opt_time(d->decided_at);
	p[8] = SV_T(d->decided_by[0] != '\0' ? d->decided_by : NULL);
	p[9] = opt_time(d->destroyed_at);
	if (store_drv(st)->exec(c,
		"UPDATE dossiers SET state = $2, profile = $3, health = $4,"
		" comment = $5, updated_at = $6, submitted_at = $7,"
		" decided_at = $8, decided_by = $9, destroyed_at = $10"
		" WHERE id = $1 RETURNING id",
		p, 10, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct each {
	const struct store_driver *drv;
	store_dossier_fn fn;
	void *arg;
};

static int
each_row(void *arg, const struct store_row *r)
{
	struct each *e = arg;
	struct store_dossier d;
	int rc;

	if (get_row(e->drv, r, &d) != 0)
		return -1;
	rc = e->fn(e->arg, &d);
	store_dossier_clear(&d);
	return rc;
}

int
store_dossiers_of_org(struct store *st, struct store_conn *c,
    const char *org_id, const char *state, long limit, store_dossier_fn fn,
    void *arg)
{
	struct store_val p[3] = { SV_T(org_id), SV_T(state), SV_I(limit) };
	struct each e = { store_drv(st), fn, arg };

	return store_drv(st)->exec(c,
	    "SELECT " COLS " FROM dossiers WHERE org_id = $1 AND"
	    " ($2 IS NULL OR state = $2) ORDER BY"
	    " COALESCE(submitted_at, created_at), id LIMIT $3",
	    p, 3, each_row, &e);
}

int
store_dossiers_of_account(struct store *st, struct store_conn *c,
    const char *account_id, store_dossier_fn fn, void *arg)
{
	struct store_val p[1] = { SV_T(account_id) };
	struct each e = { store_drv(st), fn, arg };

	return store_drv(st)->exec(c,
	    "SELECT " COLS " FROM dossiers WHERE account_id = $1 ORDER BY id",
	    p, 1, each_row, &e);
}

static int
count_row(void *arg, const struct store_row *r)
{
	(void)r;
	(*(long *)arg)++;
	return 0;
}

int
store_dossiers_delete_of_account(struct store *st, struct store_conn *c,
    const char *account_id, long *n)
{
	struct store_val p[1] = { SV_T(account_id) };

	*n = 0;
	if (store_drv(st)->exec(c,
		"DELETE FROM dossier_documents WHERE dossier_id IN (SELECT id"
		" FROM dossiers WHERE account_id = $1)",
		p, 1, NULL, NULL) != 0)
		return -1;
	return store_drv(st)->exec(c,
	    "DELETE FROM dossiers WHERE account_id = $1 RETURNING id", p, 1,
	    count_row, n);
}

struct assoc {
	const struct store_driver *drv;
	int (*fn)(void *arg, const char *id, const char *name);
	void *arg;
};

static int
assoc_row(void *arg, const struct store_row *r)
{
	struct assoc *x = arg;

	return x->fn(x->arg, x->drv->row_text(r, 0), x->drv->row_text(r, 1));
}

int
store_dossier_associations(struct store *st, struct store_conn *c,
    int (*fn)(void *arg, const char *id, const char *name), void *arg)
{
	struct assoc x = { store_drv(st), fn, arg };

	return store_drv(st)->exec(c,
	    "SELECT id, name FROM organisations WHERE kind = 'association'"
	    " ORDER BY name",
	    NULL, 0, assoc_row, &x);
}

int
store_dossier_doc_insert(struct store *st, struct store_conn *c,
    int64_t dossier_id, const char *type, const char *jwe, size_t len,
    int64_t now, int64_t *id)
{
	struct store_val p[5];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[0] = SV_I(dossier_id);
	p[1] = SV_T(type);
	p[2] = SV_I((int64_t)len);
	p[3] = SV_T(jwe);
	p[4] = SV_I(now);
	if (store_drv(st)->exec(c,
		"INSERT INTO dossier_documents (dossier_id, doc_type, size,"
		" jwe, uploaded_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
		p, 5, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	*id = o.v;
	return 0;
}

struct docs {
	const struct store_driver *drv;
	store_dossier_doc_fn fn;
	void *arg;
};

static int
doc_row(void *arg, const struct store_row *r)
{
	struct docs *x = arg;
	struct store_dossier_doc d;

	memset(&d, 0, sizeof(d));
	d.id = x->drv->row_int(r, 0);
	d.dossier_id = x->drv->row_int(r, 1);
	if (store_row_copy_text(d.type, sizeof(d.type), x->drv, r, 2) != 0)
		return -1;
	d.size = x->drv->row_int(r, 3);
	d.uploaded_at = x->drv->row_int(r, 4);
	return x->fn(x->arg, &d);
}

int
store_dossier_docs(struct store *st, struct store_conn *c, int64_t dossier_id,
    store_dossier_doc_fn fn, void *arg)
{
	struct store_val p[1] = { SV_I(dossier_id) };
	struct docs x = { store_drv(st), fn, arg };

	return store_drv(st)->exec(c,
	    "SELECT id, dossier_id, doc_type, size, uploaded_at FROM"
	    " dossier_documents WHERE dossier_id = $1 ORDER BY id",
	    p, 1, doc_row, &x);
}

int
dossier_text_row(void *arg, const struct store_row *r)
{
	struct dossier_text *t = arg;
	const char *s = t->drv->row_text(r, 0);

	if (t->s != NULL || s == NULL)
		return 0;
	t->len = strlen(s);
	if ((t->s = malloc(t->len + 1)) == NULL)
		return -1;
	memcpy(t->s, s, t->len + 1);
	return 0;
}

int
store_dossier_doc_jwe(struct store *st, struct store_conn *c,
    int64_t dossier_id, int64_t doc_id, char **jwe, size_t *len)
{
	struct store_val p[2] = { SV_I(dossier_id), SV_I(doc_id) };
	struct dossier_text t = { store_drv(st), NULL, 0 };

	*jwe = NULL;
	*len = 0;
	if (store_drv(st)->exec(c,
		"SELECT jwe FROM dossier_documents WHERE dossier_id = $1 AND"
		" id = $2",
		p, 2, dossier_text_row, &t) != 0) {
		free(t.s);
		return -1;
	}
	if (t.s == NULL)
		return 1;
	*jwe = t.s;
	*len = t.len;
	return 0;
}

int
store_dossier_doc_rewrite(struct store *st, struct store_conn *c,
    int64_t doc_id, const char *jwe, size_t len)
{
	struct store_val p[3] = { SV_I(doc_id), SV_T(jwe), SV_I((int64_t)len) };

	return store_drv(st)->exec(c,
	    "UPDATE dossier_documents SET jwe = $2, size = $3 WHERE id = $1", p,
	    3, NULL, NULL);
}

int
store_dossier_doc_delete(struct store *st, struct store_conn *c,
    int64_t dossier_id, int64_t doc_id)
{
	struct store_val p[2] = { SV_I(dossier_id), SV_I(doc_id) };
	long n = 0;

	if (store_drv(st)->exec(c,
		"DELETE FROM dossier_documents WHERE dossier_id = $1 AND"
		" id = $2 RETURNING id",
		p, 2, count_row, &n) != 0)
		return -1;
	return n > 0 ? 0 : 1;
}

int
store_dossier_docs_delete(struct store *st, struct store_conn *c,
    int64_t dossier_id, long *n)
{
	struct store_val p[1] = { SV_I(dossier_id) };

	*n = 0;
	return store_drv(st)->exec(c,
	    "DELETE FROM dossier_documents WHERE dossier_id = $1 RETURNING id",
	    p, 1, count_row, n);
}

int
store_dossier_docs_expire(struct store *st, struct store_conn *c,
    int64_t cutoff, int64_t now, long *n)
{
	struct store_val p[2] = { SV_I(cutoff), SV_I(now) };

	*n = 0;
	if (store_drv(st)->exec(c,
		"DELETE FROM dossier_documents WHERE dossier_id IN (SELECT id"
		" FROM dossiers WHERE state IN ('valide', 'refuse') AND"
		" decided_at <= $1) RETURNING id",
		p, 1, count_row, n) != 0)
		return -1;
	return store_drv(st)->exec(c,
	    "UPDATE dossiers SET destroyed_at = $2 WHERE state IN ('valide',"
	    " 'refuse') AND decided_at <= $1 AND destroyed_at IS NULL",
	    p, 2, NULL, NULL);
}
