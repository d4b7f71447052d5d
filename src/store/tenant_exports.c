/* tenant_exports.c (store) - SQL for a client organisation's export. */
#include "store/tenant_exports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/columns.h"
#include "store/driver.h"

#define SCHOOLS "(SELECT id FROM schools WHERE org_id = $1)"
#define APPTS "(SELECT id FROM appt_appointments WHERE org_id = $1)"
#define PLAGES "(SELECT id FROM appt_plages WHERE org_id = $1)"

/* The order is the archive's; the people-like entities have a CSV. */
const struct store_export_entity store_export_entities[] = {
	{ "organisation", "organisations", "id = $1", 0, { { NULL } } },
	{ "tenant_settings", "tenants", "org_id = $1", 0,
	    { { "reason", "tenant:", "org_id", "org_id" },
		{ "contact", "tenant:", "org_id", "org_id" },
		{ "dpo_contact", "tenant:", "org_id", "org_id" },
		{ "mail_sender", "tenant:", "org_id", "org_id" },
		{ "mail_signature", "tenant:", "org_id", "org_id" } } },
	{ "accounts", "accounts", "org_id = $1", 1,
	    { { "email", "subject:", "id", "id" },
		{ "display_name", "subject:", "id", "id" } } },
	{ "account_roles", "account_roles", "org_id = $1", 0, { { NULL } } },
	{ "grants", "grants", "org_id = $1", 0, { { NULL } } },
	{ "schools", "schools", "org_id = $1", 0, { { NULL } } },
	{ "school_departments", "school_departments", "school_id IN " SCHOOLS,
	    0, { { NULL } } },
	{ "mandates", "mandates", "school_id IN " SCHOOLS, 1, { { NULL } } },
	{ "candidates", "candidates",
	    "id IN (SELECT candidate_id FROM mandates WHERE school_id IN " SCHOOLS
	    ")",
	    1,
	    { { "neph", "subject:candidate:", "id", "id" },
		{ "last_name", "subject:candidate:", "id", "id" },
		{ "first_names", "subject:candidate:", "id", "id" },
		{ "email", "subject:candidate:", "id", "id" },
		{ "birth_date", "subject:candidate:", "id", "id" } } },
	{ "candidate_trainers", "candidate_trainers", "school_id IN " SCHOOLS,
	    0, { { NULL } } },
	{ "bookings", "exams", "school_id IN " SCHOOLS, 1, { { NULL } } },
	{ "baskets", "baskets", "school_id IN " SCHOOLS, 0, { { NULL } } },
	{ "basket_items", "basket_items",
	    "basket_id IN (SELECT id FROM baskets WHERE school_id IN " SCHOOLS
	    ")",
	    0, { { NULL } } },
	{ "trainer_etp", "trainer_etp", "school_id IN " SCHOOLS, 0,
	    { { NULL } } },
	{ "quota_notices", "quota_notices", "school_id IN " SCHOOLS, 0,
	    { { NULL } } },
	{ "appt_services", "appt_services", "org_id = $1", 0, { { NULL } } },
	{ "appt_places", "appt_places", "org_id = $1", 0, { { NULL } } },
	{ "appt_motifs", "appt_motifs", "org_id = $1", 0, { { NULL } } },
	{ "appt_agents", "appt_agents", "org_id = $1", 0, { { NULL } } },
	{ "appt_agent_services", "appt_agent_services",
	    "service_id IN (SELECT id FROM appt_services WHERE org_id = $1)", 0,
	    { { NULL } } },
	{ "appt_plages", "appt_plages", "org_id = $1", 0, { { NULL } } },
	{ "appt_plage_motifs", "appt_plage_motifs", "plage_id IN " PLAGES, 0,
	    { { NULL } } },
	{ "appt_plage_exceptions", "appt_plage_exceptions",
	    "plage_id IN " PLAGES, 0, { { NULL } } },
	{ "appt_absences", "appt_absences", "org_id = $1", 0, { { NULL } } },
	{ "appt_users", "appt_users", "org_id = $1", 1,
	    { { "last_name", "subject:appt_user:", "id", "id" },
		{ "birth_name", "subject:appt_user:", "id", "id" },
		{ "first_names", "subject:appt_user:", "id", "id" },
		{ "birth_date", "subject:appt_user:", "id", "id" },
		{ "email", "subject:appt_user:", "id", "id" },
		{ "phone", "subject:appt_user:", "id", "id" },
		{ "address", "subject:appt_user:", "id", "id" },
		{ "caf_number", "subject:appt_user:", "id", "id" },
		{ "family_situation", "subject:appt_user:", "id", "id" },
		{ "children", "subject:appt_user:", "id", "id" },
		{ "notes", "subject:appt_user:", "id", "id" } } },
	{ "appointments", "appt_appointments", "org_id = $1", 1,
	    { { "home_address", "subject:appt_user:", "address_user_id",
		"id" } } },
	{ "appt_appointment_agents", "appt_appointment_agents",
	    "appointment_id IN " APPTS, 0, { { NULL } } },
	{ "appt_participants", "appt_participants", "appointment_id IN " APPTS,
	    0, { { NULL } } },
	{ "appt_reminders", "appt_reminders", "appointment_id IN " APPTS, 0,
	    { { NULL } } },
	{ "appt_waitlist", "appt_waitlist", "org_id = $1", 0, { { NULL } } },
	{ "appt_feed_tokens", "appt_feed_tokens", "org_id = $1", 0,
	    { { NULL } } },
	{ "slot_requests", "slot_requests", "org_id = $1", 0,
	    { { "reason_sealed", "subject:", "requested_by", "id" } } },
	{ "dossiers", "dossiers", "org_id = $1", 0, { { NULL } } },
	{ "dossier_documents", "dossier_documents",
	    "dossier_id IN (SELECT id FROM dossiers WHERE org_id = $1)", 0,
	    { { NULL } } },
	{ "validator_keys", "validator_keys", "org_id = $1", 0, { { NULL } } },
	{ "dossier_pauses", "dossier_pauses", "org_id = $1", 0, { { NULL } } },
	{ "rights_requests", "rights_requests", "org_id = $1", 0,
	    { { "details", "system:rights", NULL, "id" } } },
	{ "breaches", "breaches", "org_id = $1", 0,
	    { { "details", "system:breach", NULL, "id" } } },
	{ "notifications", "notifications", "org_id = $1", 0, { { NULL } } },
	{ "oauth_grants", "oauth_grants", "org_id = $1", 0, { { NULL } } },
	{ "authority_links", "authority_links", "org_id = $1", 0,
	    { { NULL } } },
	{ "login_journal", "login_journal", "org_id = $1", 0,
	    { { "ip", "", "key_owner", "id" },
		{ "user_agent", "", "key_owner", "id" } } },
	{ "audit_log", "audit_log", "org = $1", 0,
	    { { "ip", "system:audit", NULL, "seq" },
		{ "details", "system:audit", NULL, "seq" } } },
	{ "tenant_contacts", "tenant_contacts", "org_id = $1", 1,
	    { { "company", "tenant:", "org_id", "id" },
		{ "person", "tenant:", "org_id", "id" },
		{ "email", "tenant:", "org_id", "id" },
		{ "phone", "tenant:", "org_id", "id" },
		{ "address", "tenant:", "org_id", "id" },
		{ "siret", "tenant:", "org_id", "id" },
		{ "notes", "tenant:", "org_id", "id" } } },
	{ "tenant_contact_documents", "tenant_contact_documents", "org_id = $1",
	    0,
	    { { "file_name", "tenant:", "org_id", "id" },
		{ "content", "tenant:", "org_id", "id" } } },
	{ "exports", "tenant_exports", "org_id = $1", 0, { { NULL } } },
};
const size_t store_export_entities_count =
    sizeof(store_export_entities) / sizeof(store_export_entities[0]);

const struct store_export_skip store_export_skipped[] = {
	{ "appt_holds", "a place held for a few minutes while booking" },
	{ "appt_guest_requests",
	    "a booking without an account waiting for its emailed link, sealed"
	    " under a key only that link gives" },
	{ "appt_manage_links",
	    "the hash of a single-use cancellation link, until the appointment"
	    " starts" },
	{ "oauth_codes", "a one-use authorisation code of a few minutes" },
	{ "authority_link_requests",
	    "a sign-in at the remote authority in progress, 10 minutes" },
	{ "authority_copies",
	    "a copy of the remote authority's own lists, kept for an outage;"
	    " the authority holds and exports them" },
	{ "tenant_deletions", "written once the organisation is deleted" },
};
const size_t store_export_skipped_count =
    sizeof(store_export_skipped) / sizeof(store_export_skipped[0]);

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

int
store_export_column_out(const struct store_export_entity *e, const char *column,
    int sealed)
{
	size_t i;

	if (strcmp(column, "hash") == 0 || ends_with(column, "_hash") ||
	    ends_with(column, "_index") || strcmp(column, "kdf_salt") == 0 ||
	    strcmp(column, "key_box") == 0 || strcmp(column, "signature") == 0)
		return 0;
	if (!sealed)
		return 1;
	for (i = 0; i < STORE_EXPORT_SEALS_MAX && e->seals[i].column; i++)
		if (strcmp(e->seals[i].column, column) == 0)
			return 1;
	return 0;
}

int
store_export_columns(const struct store_export_entity *e,
    const char *names[STORE_EXPORT_COLS_MAX], int sealed[STORE_EXPORT_COLS_MAX],
    size_t *n)
{
	size_t i;
	const struct column_decl *d;

	*n = 0;
	for (i = 0; i < store_columns_count; i++) {
		d = &store_columns[i];
		if (d->schema != STORE_SCHEMA_MAIN ||
		    strcmp(d->table, e->table) != 0 ||
		    d->kind == COL_BLIND_INDEX ||
		    !store_export_column_out(e, d->column,
			d->kind == COL_SEALED))
			continue;
		if (*n == STORE_EXPORT_COLS_MAX)
			return -1;
		names[*n] = d->column;
		sealed[*n] = d->kind == COL_SEALED;
		(*n)++;
	}
	return 0;
}

/* "SELECT CAST(a AS TEXT), b, ... FROM table WHERE ...". */
static char *
select_sql(const struct store_export_entity *e, const char *const *names,
    const int *sealed, size_t n, int count)
{
	size_t cap = 256 + strlen(e->where), i, len;
	char *s;

	for (i = 0; i < n; i++)
		cap += strlen(names[i]) * 2 + 24;
	if ((s = malloc(cap)) == NULL)
		return NULL;
	if (count) {
		snprintf(s, cap, "SELECT COUNT(*) FROM %s WHERE %s", e->table,
		    e->where);
		return s;
	}
	len = (size_t)snprintf(s, cap, "SELECT ");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(s + len, cap - len,
		    sealed[i] ? "%s%s" : "%sCAST(%s AS TEXT)", i ? ", " : "",
		    names[i]);
	snprintf(s + len, cap - len, " FROM %s WHERE %s ORDER BY 1", e->table,
	    e->where);
	return s;
}

struct rows_arg {
	const struct store_driver *d;
	struct store_export_row row;
	int (*fn)(void *arg, const struct store_export_row *r);
	void *arg;
	int stopped;
};

static int
one_row(void *arg, const struct store_row *r)
{
	struct rows_arg *x = arg;
	size_t i, n;

	for (i = 0; i < x->row.ncols; i++) {
		x->row.values[i] = NULL;
		x->row.blobs[i].p = NULL;
		x->row.blobs[i].len = 0;
		if (x->d->row_is_null(r, (int)i))
			continue;
		if (x->row.sealed[i]) {
			x->row.blobs[i].p =
			    (unsigned char *)(uintptr_t)x->d->row_blob(r,
				(int)i, &n);
			x->row.blobs[i].len = n;
		} else {
			x->row.values[i] = x->d->row_text(r, (int)i);
		}
	}
	if (x->fn(x->arg, &x->row) != 0) {
		x->stopped = 1;
		return 1;
	}
	return 0;
}

int
store_export_rows(struct store *st, struct store_conn *c,
    const struct store_export_entity *e, const char *org_id,
    int (*fn)(void *arg, const struct store_export_row *r), void *arg)
{
	struct rows_arg x;
	struct store_val p[1];
	char *sql;
	int rc;

	memset(&x, 0, sizeof(x));
	x.d = store_drv(st);
	x.fn = fn;
	x.arg = arg;
	if (store_export_columns(e, x.row.names, x.row.sealed, &x.row.ncols) !=
		0 ||
	    x.row.ncols == 0)
		return -1;
	if ((sql = select_sql(e, x.row.names, x.row.sealed, x.row.ncols, 0)) ==
	    NULL)
		return -1;
	p[0] = SV_T(org_id);
	rc = x.d->exec(c, sql, p, 1, one_row, &x);
	free(sql);
	return rc != 0 || x.stopped ? -1 : 0;
}

long
store_export_count(struct store *st, struct store_conn *c,
    const struct store_export_entity *e, const char *org_id)
{
	struct store_int_out o = { store_drv(st), 0, 0 };
	struct store_val p[1];
	char *sql = select_sql(e, NULL, NULL, 0, 1);
	int rc;

	if (sql == NULL)
		return -1;
	p[0] = SV_T(org_id);
	rc = o.d->exec(c, sql, p, 1, store_row_int, &o);
	free(sql);
	return rc != 0 || !o.found ? -1 : (long)o.v;
}

void
store_tenant_export_clear(struct store_tenant_export *e)
{
	if (e == NULL)
		return;
	if (e->archive_key.p != NULL) {
		sodium_memzero(e->archive_key.p, e->archive_key.len);
		free(e->archive_key.p);
	}
	sodium_memzero(e, sizeof(*e));
}

#define EXPORT_COLUMNS                                                         \
	"SELECT id, org_id, state, origin, requested_by, requested_at,"        \
	" kdf_salt, kdf_ops, kdf_mem, archive_key, entities_done,"             \
	" entities_total, file_name, file_bytes, manifest_sha256,"             \
	" started_at, ready_at, expires_at, downloads, error, key_box"         \
	" FROM tenant_exports"

static int64_t
opt_int(const struct store_driver *d, const struct store_row *r, int col)
{
	return d->row_is_null(r, col) ? 0 : d->row_int(r, col);
}

static int
read_row(const struct store_driver *d, const struct store_row *r,
    struct store_tenant_export *e)
{
	const void *salt;
	size_t n = 0;

	memset(e, 0, sizeof(*e));
	e->requested_at = d->row_int(r, 5);
	if (!d->row_is_null(r, 6)) {
		salt = d->row_blob(r, 6, &n);
		if (n != sizeof(e->kdf_salt))
			return -1;
		memcpy(e->kdf_salt, salt, n);
		e->has_kdf = 1;
	}
	e->kdf_ops = opt_int(d, r, 7);
	e->kdf_mem = opt_int(d, r, 8);
	e->entities_done = d->row_int(r, 10);
	e->entities_total = d->row_int(r, 11);
	e->file_bytes = opt_int(d, r, 13);
	e->started_at = opt_int(d, r, 15);
	e->ready_at = opt_int(d, r, 16);
	e->expires_at = d->row_int(r, 17);
	e->downloads = d->row_int(r, 18);
	if (!d->row_is_null(r, 20)) {
		const void *box = d->row_blob(r, 20, &n);

		if (n != sizeof(e->key_box))
			return -1;
		memcpy(e->key_box, box, n);
		e->has_box = 1;
	}
	if (store_row_copy_text(e->id, sizeof(e->id), d, r, 0) != 0 ||
	    store_row_copy_text(e->org_id, sizeof(e->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(e->state, sizeof(e->state), d, r, 2) != 0 ||
	    store_row_copy_text(e->origin, sizeof(e->origin), d, r, 3) != 0 ||
	    store_row_copy_text(e->requested_by, sizeof(e->requested_by), d, r,
		4) != 0 ||
	    store_row_copy_blob(d, r, 9, &e->archive_key) != 0 ||
	    store_row_copy_text(e->file_name, sizeof(e->file_name), d, r, 12) !=
		0 ||
	    store_row_copy_text(e->manifest_sha256, sizeof(e->manifest_sha256),
		d, r, 14) != 0 ||
	    store_row_copy_text(e->error, sizeof(e->error), d, r, 19) != 0)
		return -1;
	return 0;
}

struct get_arg {
	const struct store_driver *d;
	struct store_tenant_export *out;
	int n, bad;
};

static int
get_row(void *arg, const struct store_row *r)
{
	struct get_arg *x = arg;

	x->n++;
	if (read_row(x->d, r, x->out) != 0)
		x->bad = 1;
	return 1;
}

static int
get_one(struct store *st, struct store_conn *c, const char *sql,
    const char *param, struct store_tenant_export *out)
{
	struct get_arg x = { store_drv(st), out, 0, 0 };
	struct store_val p[1];

	memset(out, 0, sizeof(*out));
	p[0] = SV_T(param);
	if (x.d->exec(c, sql, p, param ? 1 : 0, get_row, &x) != 0 || x.bad) {
		store_tenant_export_clear(out);
		return -1;
	}
	return x.n == 0 ? 1 : 0;
}

int
store_tenant_export_get(struct store *st, struct store_conn *c, const char *id,
    struct store_tenant_export *out)
{
	return get_one(st, c, EXPORT_COLUMNS " WHERE id = $1", id, out);
}

int
store_tenant_export_latest(struct store *st, struct store_conn *c,
    const char *org_id, struct store_tenant_export *out)
{
	return get_one(st, c,
	    EXPORT_COLUMNS " WHERE org_id = $1 AND state <> 'expired'"
			   " ORDER BY requested_at DESC, id LIMIT 1",
	    org_id, out);
}

int
store_tenant_export_next(struct store *st, struct store_conn *c,
    struct store_tenant_export *out)
{
	return get_one(st, c,
	    EXPORT_COLUMNS " WHERE state = 'queued'"
			   " ORDER BY requested_at, id LIMIT 1",
	    NULL, out);
}

struct due_arg {
	const struct store_driver *d;
	int (*fn)(void *arg, const struct store_tenant_export *e);
	void *arg;
	int bad;
};

static int
due_row(void *arg, const struct store_row *r)
{
	struct due_arg *x = arg;
	struct store_tenant_export e;
	int rc;

	if (read_row(x->d, r, &e) != 0) {
		store_tenant_export_clear(&e);
		x->bad = 1;
		return 1;
	}
	rc = x->fn(x->arg, &e);
	store_tenant_export_clear(&e);
	if (rc != 0)
		x->bad = 1;
	return rc;
}

int
store_tenant_export_due(struct store *st, struct store_conn *c, int64_t now,
    int (*fn)(void *arg, const struct store_tenant_export *e), void *arg)
{
	struct due_arg x = { store_drv(st), fn, arg, 0 };
	struct store_val p[1];

	p[0] = SV_I(now);
	if (x.d->exec(c,
		EXPORT_COLUMNS " WHERE state <> 'expired' AND expires_at <= $1"
			       " ORDER BY expires_at, id",
		p, 1, due_row, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

int
store_tenant_export_stale(struct store *st, struct store_conn *c,
    int64_t before, int (*fn)(void *arg, const struct store_tenant_export *e),
    void *arg)
{
	struct due_arg x = { store_drv(st), fn, arg, 0 };
	struct store_val p[1];

	p[0] = SV_I(before);
	if (x.d->exec(c,
		EXPORT_COLUMNS " WHERE state = 'running' AND started_at < $1"
			       " ORDER BY started_at, id",
		p, 1, due_row, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

static struct store_val
opt_text(const char *s)
{
	return SV_T(s != NULL && s[0] != '\0' ? s : NULL);
}

static struct store_val
opt_i(int64_t v)
{
	return v > 0 ? SV_I(v) : SV_T(NULL);
}

/* The values of every column, in EXPORT_COLUMNS' order. */
static void
values(const struct store_tenant_export *e, struct store_val p[21])
{
	p[0] = SV_T(e->id);
	p[1] = SV_T(e->org_id);
	p[2] = SV_T(e->state);
	p[3] = SV_T(e->origin);
	p[4] = opt_text(e->requested_by);
	p[5] = SV_I(e->requested_at);
	p[6] = e->has_kdf ? SV_B(e->kdf_salt, sizeof(e->kdf_salt)) : SV_T(NULL);
	p[7] = e->has_kdf ? SV_I(e->kdf_ops) : SV_T(NULL);
	p[8] = e->has_kdf ? SV_I(e->kdf_mem) : SV_T(NULL);
	p[9] = e->archive_key.p != NULL
	    ? SV_B(e->archive_key.p, e->archive_key.len)
	    : SV_T(NULL);
	p[10] = SV_I(e->entities_done);
	p[11] = SV_I(e->entities_total);
	p[12] = opt_text(e->file_name);
	p[13] = opt_i(e->file_bytes);
	p[14] = opt_text(e->manifest_sha256);
	p[15] = opt_i(e->started_at);
	p[16] = opt_i(e->ready_at);
	p[17] = SV_I(e->expires_at);
	p[18] = SV_I(e->downloads);
	p[19] = opt_text(e->error);
	p[20] = e->has_box ? SV_B(e->key_box, sizeof(e->key_box)) : SV_T(NULL);
}

int
store_tenant_export_insert(struct store *st, struct store_conn *c,
    const struct store_tenant_export *e)
{
	struct store_val p[21];

	values(e, p);
	return store_drv(st)->exec(c,
	    "INSERT INTO tenant_exports (id, org_id, state, origin,"
	    " requested_by, requested_at, kdf_salt, kdf_ops, kdf_mem,"
	    " archive_key, entities_done, entities_total, file_name,"
	    " file_bytes, manifest_sha256, started_at, ready_at, expires_at,"
	    " downloads, error, key_box) VALUES ($1, $2, $3, $4, $5, $6, $7,"
	    " $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,"
	    " $21)",
	    p, 21, NULL, NULL);
}

int
store_tenant_export_update(struct store *st, struct store_conn *c,
    const struct store_tenant_export *e)
{
	struct store_val p[21];

	values(e, p);
	return store_exec_changed(st, c,
		   "UPDATE tenant_exports SET org_id = $2, state = $3,"
		   " origin = $4, requested_by = $5, requested_at = $6,"
		   " kdf_salt = $7, kdf_ops = $8, kdf_mem = $9,"
		   " archive_key = $10, entities_done = $11,"
		   " entities_total = $12, file_name = $13, file_bytes = $14,"
		   " manifest_sha256 = $15, started_at = $16, ready_at = $17,"
		   " expires_at = $18, downloads = $19, error = $20,"
		   " key_box = $21 WHERE id = $1 RETURNING id",
		   p, 21) == 0
	    ? 0
	    : -1;
}

int
store_tenant_export_claim(struct store *st, struct store_conn *c,
    const char *id, int64_t now)
{
	struct store_val p[2];

	p[0] = SV_T(id);
	p[1] = SV_I(now);
	return store_exec_changed(st, c,
	    "UPDATE tenant_exports SET state = 'running', started_at = $2"
	    " WHERE id = $1 AND state = 'queued' RETURNING id",
	    p, 2);
}
