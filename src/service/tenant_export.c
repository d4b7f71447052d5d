/* tenant_export.c - the export of everything a client organisation holds:
 * the request, the background build, the download and the expiry. */
#include "service/tenant_export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/audit.h"
#include "core/log.h"
#include "crypto/field.h"
#include "notify/notify.h"
#include "store/columns.h"
#include "store/driver.h"
#include "store/tenants.h"
#include "tenancy/export_archive.h"

#define DAY_MS (24LL * 3600 * 1000)
#define KEEP_MS (TENANT_EXPORT_KEEP_DAYS * DAY_MS)
#define DUE_MAX 64 /* archives expired per run at most */
/* A build still running after this long was left by a stopped server. */
#define STALE_MS (6 * 3600 * 1000LL)

static int
refuse(struct tenant_refusal *r, const char *field, const char *text)
{
	snprintf(r->field, sizeof(r->field), "%s", field);
	snprintf(r->text, sizeof(r->text), "%s", text);
	return 2;
}

/* Characters of UTF-8 text s (continuation bytes not counted). */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static int
audit_export(const struct auth *a, struct store_conn *c,
    const struct svc_actor *who, const char *action, const char *org_id,
    json_t *details, int64_t now)
{
	struct audit_entry e;
	char *text =
	    details ? json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc;

	if (text == NULL)
		return -1;
	memset(&e, 0, sizeof(e));
	e.actor = who ? who->account_id : NULL;
	e.action = action;
	e.target_type = "organisation";
	e.target_ids = org_id;
	e.org = org_id;
	e.ip = who ? who->ip : NULL;
	e.request_id = who ? who->request_id : NULL;
	e.outcome = AUDIT_SUCCESS;
	e.details = text;
	rc = audit_append(a->st, c, a->audit_key, now, &e, NULL);
	free(text);
	return rc;
}

struct fanout {
	const struct auth *a;
	struct store_conn *c;
	const char *org_id;
	const struct notice *n;
	int64_t now;
};

static int
each_admin(void *arg, const char *account_id)
{
	struct fanout *f = arg;

	return notify_account(f->a, f->c, account_id, f->org_id, f->n, f->now);
}

static int
notify_admins(const struct auth *a, struct store_conn *c, const char *org_id,
    const char *kind, int64_t expires_at, int64_t now)
{
	char params[64];
	struct notice n = { kind, NULL };
	struct fanout f = { a, c, org_id, &n, now };

	if (expires_at > 0) {
		snprintf(params, sizeof(params), "{\"expires_at\":%lld}",
		    (long long)expires_at);
		n.params = params;
	}
	return store_tenant_admins(a->st, c, org_id, each_admin, &f);
}

/* Seals the archive key of request id into *b. */
static int
seal_key(const struct auth *a, const char *id,
    const unsigned char key[EXPORT_KEY_BYTES], struct store_blob *b)
{
	struct data_key k;
	int rc = -1;

	if (auth_key(a, TENANT_EXPORT_KEY_OWNER, 1, &k) == 0)
		rc = field_seal(&k, 1, "tenant_exports", "archive_key", id, key,
		    EXPORT_KEY_BYTES, &b->p, &b->len);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

static int
open_key(const struct auth *a, const struct store_tenant_export *e,
    unsigned char key[EXPORT_KEY_BYTES])
{
	struct data_key k;
	char *pt = NULL;
	size_t n = 0;
	int rc = -1;

	if (e->archive_key.p == NULL ||
	    auth_key(a, TENANT_EXPORT_KEY_OWNER, 0, &k) != 0)
		return -1;
	if (field_open(&k, "tenant_exports", "archive_key", e->id,
		e->archive_key.p, e->archive_key.len, &pt, &n) == 0 &&
	    n == EXPORT_KEY_BYTES) {
		memcpy(key, pt, EXPORT_KEY_BYTES);
		rc = 0;
	}
	if (pt != NULL)
		field_free(pt, n);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

static void
drop_key(struct store_tenant_export *e)
{
	if (e->archive_key.p != NULL) {
		sodium_memzero(e->archive_key.p, e->archive_key.len);
		free(e->archive_key.p);
	}
	e->archive_key.p = NULL;
	e->archive_key.len = 0;
}

/* The tenant's state and deletion date (0 when not terminated). */
static int
tenant_of(struct store *st, struct store_conn *c, const char *org_id,
    char state[STORE_TENANT_STATE_MAX], int64_t *terminated_at)
{
	struct store_tenant t;
	int rc;

	memset(&t, 0, sizeof(t));
	if ((rc = store_tenant_get(st, c, org_id, &t)) != 0)
		return rc;
	if (strcmp(t.kind, "platform") == 0)
		rc = 1;
	snprintf(state, STORE_TENANT_STATE_MAX, "%s", t.state);
	*terminated_at = t.terminated_at;
	store_tenant_clear(&t);
	return rc;
}

struct request_arg {
	const struct auth *a;
	const struct svc_actor *who;
	const char *org_id;
	const struct export_kdf *kdf;
	const unsigned char *key;
	int64_t now;
	char *id_out;
	struct tenant_refusal *why;
};

static int
request_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct request_arg *x = arg;
	struct store_tenant_export e = { .id = { 0 } };
	char state[STORE_TENANT_STATE_MAX];
	int64_t terminated_at = 0;
	json_t *details;
	int rc, fresh;

	if ((rc = tenant_of(st, c, x->org_id, state, &terminated_at)) != 0)
		return rc;
	if (strcmp(state, "deleted") == 0)
		return refuse(x->why, "state",
		    "Les données de cet organisme sont supprimées : il n'y a "
		    "plus rien à exporter.");
	if ((rc = store_tenant_export_latest(st, c, x->org_id, &e)) < 0)
		return -1;
	if (rc == 0 &&
	    (strcmp(e.state, "queued") == 0 ||
		strcmp(e.state, "running") == 0)) {
		store_tenant_export_clear(&e);
		return refuse(x->why, "state",
		    "Un export est déjà en préparation : attendez qu'il soit "
		    "prêt avant d'en demander un autre.");
	}
	fresh = rc != 0 || strcmp(e.state, "awaiting_passphrase") != 0;
	if (fresh) {
		store_tenant_export_clear(&e);
		memset(&e, 0, sizeof(e));
		auth_id_new(e.id);
		snprintf(e.org_id, sizeof(e.org_id), "%s", x->org_id);
		snprintf(e.origin, sizeof(e.origin), "admin");
		e.requested_at = x->now;
		e.expires_at = terminated_at > 0 ? terminated_at + KEEP_MS
						 : x->now + KEEP_MS;
	}
	snprintf(e.state, sizeof(e.state), "queued");
	snprintf(e.requested_by, sizeof(e.requested_by), "%s",
	    x->who->account_id ? x->who->account_id : "");
	e.has_kdf = x->kdf->mode == EXPORT_KDF_ARGON2ID13;
	e.has_box = !e.has_kdf;
	memcpy(e.kdf_salt, x->kdf->salt, sizeof(e.kdf_salt));
	e.kdf_ops = (int64_t)x->kdf->opslimit;
	e.kdf_mem = (int64_t)x->kdf->memlimit;
	memcpy(e.key_box, x->kdf->box, sizeof(e.key_box));
	e.entities_done = 0;
	e.entities_total = (int64_t)store_export_entities_count;
	e.error[0] = '\0';
	drop_key(&e);
	rc = -1;
	if (seal_key(x->a, e.id, x->key, &e.archive_key) != 0)
		goto done;
	if ((fresh ? store_tenant_export_insert(st, c, &e)
		   : store_tenant_export_update(st, c, &e)) != 0)
		goto done;
	/* The passphrase and its key are never in the audit trail. */
	details = json_pack("{s:s, s:s, s:I, s:s}", "export_id", e.id, "origin",
	    e.origin, "expires_at", (json_int_t)e.expires_at, "key",
	    e.has_box ? "public_key" : "passphrase");
	rc = audit_export(x->a, c, x->who, "tenant.export_requested", x->org_id,
		 details, x->now) != 0 ||
		notify_admins(x->a, c, x->org_id, "tenant.export_requested", 0,
		    x->now) != 0
	    ? -1
	    : 0;
	json_decref(details);
	if (rc == 0)
		snprintf(x->id_out, STORE_ID_MAX, "%s", e.id);
done:
	store_tenant_export_clear(&e);
	return rc;
}

int
tenant_export_request(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *pass, const unsigned char *pk, int64_t now,
    char *id_out, struct tenant_refusal *why)
{
	struct request_arg x;
	struct export_kdf kdf;
	unsigned char key[EXPORT_KEY_BYTES];
	char msg[200];
	int rc;

	memset(why, 0, sizeof(*why));
	id_out[0] = '\0';
	if (pk != NULL && pass != NULL)
		return refuse(why, "public_key",
		    "Donnez une phrase de passe ou une clé publique, pas les "
		    "deux.");
	if (pk != NULL) {
		/* A random key, sealed for the organisation's public key. */
		if (export_key_for(pk, &kdf, key) != 0)
			return refuse(why, "public_key",
			    "Le champ « public_key » n'est pas une clé publique "
			    "X25519 utilisable.");
		goto store;
	}
	if (pass == NULL || utf8_chars(pass) < EXPORT_PASSPHRASE_MIN) {
		snprintf(msg, sizeof(msg),
		    "Le champ « passphrase » compte au moins %d caractères : "
		    "c'est la seule clé de l'archive.",
		    EXPORT_PASSPHRASE_MIN);
		return refuse(why, "passphrase", msg);
	}
	if (strlen(pass) > EXPORT_PASSPHRASE_MAX)
		return refuse(why, "passphrase",
		    "Le champ « passphrase » compte au plus 1024 octets.");
	/* The key is derived here, before the transaction: the passphrase
	 * goes no further than this function. */
	export_kdf_new(&kdf);
	if (export_kdf_derive(&kdf, pass, strlen(pass), key) != 0)
		return -1;
store:
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.who = who;
	x.org_id = org_id;
	x.kdf = &kdf;
	x.key = key;
	x.now = now;
	x.id_out = id_out;
	x.why = why;
	rc = store_tx(a->st, 1, request_tx, &x);
	sodium_memzero(key, sizeof(key));
	return rc;
}

struct status_arg {
	const char *org_id;
	struct store_tenant_export *out;
	int rc;
};

static int
status_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct status_arg *x = arg;

	x->rc = store_tenant_export_latest(st, c, x->org_id, x->out);
	return x->rc < 0 ? -1 : 0;
}

int
tenant_export_status(const struct auth *a, const char *org_id,
    struct store_tenant_export *out)
{
	struct status_arg x = { org_id, out, 0 };

	memset(out, 0, sizeof(*out));
	if (store_tx(a->st, 0, status_tx, &x) != 0)
		return -1;
	return x.rc;
}

struct one_arg {
	const char *id;
	struct store_tenant_export *out;
};

static int
one_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct one_arg *x = arg;

	return store_tenant_export_get(st, c, x->id, x->out) == 0 ? 0 : -1;
}

/* Reads request id into out. Returns 0 or -1. */
static int
tenant_export_get(const struct auth *a, const char *id,
    struct store_tenant_export *out)
{
	struct one_arg x = { id, out };

	memset(out, 0, sizeof(*out));
	return store_tx(a->st, 0, one_tx, &x);
}

int
tenant_export_on_terminate(const struct auth *a, struct store_conn *c,
    const char *org_id, int64_t now)
{
	struct store_tenant_export e = { .id = { 0 } };
	json_t *details;
	int rc, have;

	if ((have = store_tenant_export_latest(a->st, c, org_id, &e)) < 0)
		return -1;
	if (have == 0 && strcmp(e.state, "failed") != 0) {
		/* Pending or ready: it stays, offered a month from now. */
		if (e.expires_at < now + KEEP_MS)
			e.expires_at = now + KEEP_MS;
		rc = store_tenant_export_update(a->st, c, &e);
		store_tenant_export_clear(&e);
		return rc;
	}
	store_tenant_export_clear(&e);
	memset(&e, 0, sizeof(e));
	auth_id_new(e.id);
	snprintf(e.org_id, sizeof(e.org_id), "%s", org_id);
	snprintf(e.state, sizeof(e.state), "awaiting_passphrase");
	snprintf(e.origin, sizeof(e.origin), "termination");
	e.requested_at = now;
	e.expires_at = now + KEEP_MS;
	e.entities_total = (int64_t)store_export_entities_count;
	if (store_tenant_export_insert(a->st, c, &e) != 0)
		return -1;
	details = json_pack("{s:s, s:s, s:I}", "export_id", e.id, "origin",
	    "termination", "expires_at", (json_int_t)e.expires_at);
	rc = audit_export(a, c, NULL, "tenant.export_offered", org_id, details,
		 now) != 0 ||
		notify_admins(a, c, org_id, "tenant.export_offered",
		    e.expires_at, now) != 0
	    ? -1
	    : 0;
	json_decref(details);
	return rc;
}

struct download_arg {
	const struct auth *a;
	const struct svc_actor *who;
	const char *org_id, *id;
	int64_t now;
	char *name;
};

static int
download_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct download_arg *x = arg;
	struct store_tenant_export e = { .id = { 0 } };
	json_t *details;
	int rc;

	if ((rc = store_tenant_export_get(st, c, x->id, &e)) != 0)
		return rc;
	if (strcmp(e.org_id, x->org_id) != 0 || strcmp(e.state, "ready") != 0 ||
	    e.file_name[0] == '\0') {
		store_tenant_export_clear(&e);
		return 1;
	}
	e.downloads++;
	rc = -1;
	if (store_tenant_export_update(st, c, &e) != 0)
		goto done;
	details = json_pack("{s:s, s:I, s:I}", "export_id", e.id, "bytes",
	    (json_int_t)e.file_bytes, "download", (json_int_t)e.downloads);
	rc = audit_export(x->a, c, x->who, "tenant.export_downloaded",
		 x->org_id, details, x->now) != 0 ||
		notify_admins(x->a, c, x->org_id, "tenant.export_downloaded", 0,
		    x->now) != 0
	    ? -1
	    : 0;
	json_decref(details);
	snprintf(x->name, STORE_EXPORT_FILE_MAX, "%s", e.file_name);
done:
	store_tenant_export_clear(&e);
	return rc;
}

int
tenant_export_download(const struct auth *a, const struct svc_actor *who,
    const char *org_id, const char *id, const char *dir, int64_t now,
    char *path, size_t size, char *name)
{
	struct download_arg x = { a, who, org_id, id, now, name };
	int rc, n;

	name[0] = '\0';
	rc = store_tx(a->st, 1, download_tx, &x);
	if (rc != 0)
		return rc;
	n = snprintf(path, size, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* ---- the build ---- */

/* A data key by owner, the last one kept (rows of one person follow). */
struct key_cache {
	char owner[AUTH_OWNER_MAX];
	struct data_key k;
	int have; /* 1 key, 0 none (destroyed), -1 not looked up */
};

struct build {
	const struct auth *a;
	const struct store_export_entity *ent;
	const char *org_id;
	struct export_writer *w;
	struct key_cache kc;
	int csv; /* this pass writes the CSV */
	long rows, unreadable;
	int first;
	json_t *withheld;
};

static const char *
value_of(const struct store_export_row *r, const char *col)
{
	size_t i;

	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->names[i], col) == 0)
			return r->values[i];
	return NULL;
}

static const struct store_export_seal *
seal_of(const struct store_export_entity *e, const char *col)
{
	size_t i;

	for (i = 0; i < STORE_EXPORT_SEALS_MAX && e->seals[i].column; i++)
		if (strcmp(e->seals[i].column, col) == 0)
			return &e->seals[i];
	return NULL;
}

/* Opens sealed column i of row r (NULL when it cannot be read: its key
 * was destroyed with its person). */
static char *
open_column(struct build *b, const struct store_export_row *r, size_t i)
{
	const struct store_export_seal *s = seal_of(b->ent, r->names[i]);
	const char *ov, *rid;
	char owner[AUTH_OWNER_MAX], *pt = NULL;
	const struct data_key *k;
	size_t n;

	if (s == NULL || r->blobs[i].p == NULL)
		return NULL;
	ov = s->owner_col ? value_of(r, s->owner_col) : "";
	rid = value_of(r, s->rowid_col);
	if (ov == NULL || rid == NULL ||
	    snprintf(owner, sizeof(owner), "%s%s", s->owner_prefix, ov) >=
		(int)sizeof(owner))
		goto unreadable;
	if (strcmp(owner, "system:audit") == 0) {
		k = b->a->audit_key;
	} else {
		if (b->kc.have < 0 || strcmp(b->kc.owner, owner) != 0) {
			sodium_memzero(&b->kc.k, sizeof(b->kc.k));
			snprintf(b->kc.owner, sizeof(b->kc.owner), "%s", owner);
			b->kc.have = auth_key(b->a, owner, 0, &b->kc.k) == 0;
		}
		if (!b->kc.have)
			goto unreadable;
		k = &b->kc.k;
	}
	if (field_open(k, b->ent->table, r->names[i], rid, r->blobs[i].p,
		r->blobs[i].len, &pt, &n) == 0)
		return pt;
unreadable:
	b->unreadable++;
	return NULL;
}

static int
csv_field(struct export_writer *w, const char *s, int last)
{
	const char *p;
	int rc = 0;

	if (s != NULL) {
		rc |= export_entry_puts(w, "\"");
		/* A cell a spreadsheet would run as a formula is quoted. */
		if (s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' ||
		    s[0] == '\r')
			rc |= export_entry_puts(w, "'");
		for (p = s; *p; p++)
			rc |= *p == '"' ? export_entry_puts(w, "\"\"")
					: export_entry_write(w, p, 1);
		rc |= export_entry_puts(w, "\"");
	}
	rc |= export_entry_puts(w, last ? "\r\n" : ";");
	return rc ? -1 : 0;
}

static int
one_row(void *arg, const struct store_export_row *r)
{
	struct build *b = arg;
	char *open[STORE_EXPORT_COLS_MAX] = { 0 };
	json_t *o = NULL, *v;
	char *text = NULL;
	size_t i;
	int rc = -1;

	for (i = 0; i < r->ncols; i++)
		if (r->sealed[i])
			open[i] = open_column(b, r, i);
	if (b->csv) {
		rc = 0;
		for (i = 0; i < r->ncols && rc == 0; i++)
			rc = csv_field(b->w,
			    r->sealed[i] ? open[i] : r->values[i],
			    i + 1 == r->ncols);
		goto done;
	}
	if ((o = json_object()) == NULL)
		goto done;
	for (i = 0; i < r->ncols; i++) {
		const char *s = r->sealed[i] ? open[i] : r->values[i];

		v = s != NULL ? json_string(s) : json_null();
		if (v == NULL) /* not UTF-8: given as null */
			v = json_null();
		if (json_object_set_new(o, r->names[i], v) != 0)
			goto done;
	}
	if ((text = json_dumps(o, JSON_COMPACT)) == NULL)
		goto done;
	rc = export_entry_puts(b->w, b->first ? "\n" : ",\n") != 0 ||
		export_entry_puts(b->w, text) != 0
	    ? -1
	    : 0;
	b->first = 0;
	b->rows++;
done:
	for (i = 0; i < r->ncols; i++)
		if (open[i] != NULL)
			field_free(open[i], strlen(open[i]));
	if (text != NULL) {
		sodium_memzero(text, strlen(text));
		free(text);
	}
	json_decref(o);
	return rc;
}

static int
rows_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct build *b = arg;

	return store_export_rows(st, c, b->ent, b->org_id, one_row, b);
}

/* Writes entity e: <name>.json, and <name>.csv when e has one; appends
 * its manifest member to entities. */
static int
write_entity(struct build *b, const struct store_export_entity *e,
    json_t *entities)
{
	const char *names[STORE_EXPORT_COLS_MAX];
	int sealed[STORE_EXPORT_COLS_MAX];
	char file[EXPORT_NAME_MAX + 1], sha[65];
	json_t *files, *m;
	uint64_t bytes;
	size_t n, i;
	int pass;

	if (store_export_columns(e, names, sealed, &n) != 0)
		return -1;
	files = json_array();
	m = json_pack("{s:s, s:s, s:o}", "name", e->name, "table", e->table,
	    "files", files);
	if (m == NULL || json_array_append_new(entities, m) != 0)
		return -1;
	b->ent = e;
	for (pass = 0; pass < (e->csv ? 2 : 1); pass++) {
		snprintf(file, sizeof(file), "%s.%s", e->name,
		    pass ? "csv" : "json");
		b->csv = pass;
		b->rows = 0;
		b->unreadable = 0;
		b->first = 1;
		if (export_entry_begin(b->w, file) != 0 ||
		    export_entry_puts(b->w, pass ? "\xEF\xBB\xBF" : "[") != 0)
			return -1;
		for (i = 0; pass && i < n; i++)
			if (csv_field(b->w, names[i], i + 1 == n) != 0)
				return -1;
		if (store_tx(b->a->st, 0, rows_tx, b) != 0 ||
		    (!pass && export_entry_puts(b->w, "\n]\n") != 0) ||
		    export_entry_end(b->w, sha, &bytes) != 0)
			return -1;
		if (json_array_append_new(files,
			json_pack("{s:s, s:s, s:I}", "name", file, "sha256",
			    sha, "bytes", (json_int_t)bytes)) != 0)
			return -1;
		if (!pass) {
			json_object_set_new(m, "rows", json_integer(b->rows));
			json_object_set_new(m, "unreadable_fields",
			    json_integer(b->unreadable));
		}
	}
	/* What the table holds that does not leave. */
	{
		const struct column_decl *d;
		char col[128];

		for (i = 0; i < store_columns_count; i++) {
			d = &store_columns[i];
			if (d->schema != STORE_SCHEMA_MAIN ||
			    strcmp(d->table, e->table) != 0)
				continue;
			if (d->kind != COL_BLIND_INDEX &&
			    store_export_column_out(e, d->column,
				d->kind == COL_SEALED))
				continue;
			snprintf(col, sizeof(col), "%s.%s", d->table,
			    d->column);
			json_array_append_new(b->withheld, json_string(col));
		}
	}
	return 0;
}

/* Request id's row, for the job's writes. */
struct save_arg {
	const struct auth *a;
	struct store_tenant_export *e;
	const char *action, *kind; /* audit and notice, NULL: none */
	json_t *details;
	int64_t now;
	int finish; /* ready: the expiry set from the tenant's state */
};

static int
save_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct save_arg *x = arg;
	char state[STORE_TENANT_STATE_MAX];
	int64_t terminated_at = 0;

	if (x->finish) {
		if (tenant_of(st, c, x->e->org_id, state, &terminated_at) < 0)
			return -1;
		x->e->expires_at = terminated_at > 0 ? terminated_at + KEEP_MS
						     : x->now + KEEP_MS;
		if (x->e->expires_at < x->now + DAY_MS)
			x->e->expires_at = x->now + DAY_MS;
	}
	if (store_tenant_export_update(st, c, x->e) != 0)
		return -1;
	if (x->action != NULL &&
	    audit_export(x->a, c, NULL, x->action, x->e->org_id, x->details,
		x->now) != 0)
		return -1;
	if (x->kind != NULL &&
	    notify_admins(x->a, c, x->e->org_id, x->kind,
		x->finish ? x->e->expires_at : 0, x->now) != 0)
		return -1;
	return 0;
}

static int
save(const struct auth *a, struct store_tenant_export *e, const char *action,
    const char *kind, json_t *details, int64_t now, int finish)
{
	struct save_arg x = { a, e, action, kind, details, now, finish };
	int rc = store_tx(a->st, 1, save_tx, &x);

	json_decref(details);
	return rc;
}

/* Path of request e's archive in dir, with suffix. */
static int
archive_path(const char *dir, const char *name, const char *suffix, char *out,
    size_t size)
{
	int n = snprintf(out, size, "%s/%s%s", dir, name, suffix);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Returns 0, -1 (err says why), or 1: stopped by *stop, to build again. */
static int
build(const struct auth *a, const char *dir, struct store_tenant_export *e,
    int64_t now, const atomic_int *stop, char *err, size_t errlen)
{
	unsigned char key[EXPORT_KEY_BYTES];
	struct export_kdf kdf;
	struct build b;
	char part[1200], final[1200], name[STORE_EXPORT_FILE_MAX], sha[65];
	json_t *manifest = NULL, *entities, *skipped;
	char *text = NULL;
	uint64_t bytes;
	FILE *f = NULL;
	size_t i;
	int fd, rc = -1;

	memset(&b, 0, sizeof(b));
	b.kc.have = -1;
	snprintf(name, sizeof(name), "export-%s.creneau-export", e->id);
	if (archive_path(dir, name, ".part", part, sizeof(part)) != 0 ||
	    archive_path(dir, name, "", final, sizeof(final)) != 0) {
		snprintf(err, errlen, "archive path too long");
		return -1;
	}
	if (open_key(a, e, key) != 0) {
		snprintf(err, errlen, "archive key unreadable");
		return -1;
	}
	memset(&kdf, 0, sizeof(kdf));
	kdf.mode = e->has_box ? EXPORT_KEY_SEALED_BOX : EXPORT_KDF_ARGON2ID13;
	memcpy(kdf.box, e->key_box, sizeof(kdf.box));
	memcpy(kdf.salt, e->kdf_salt, sizeof(kdf.salt));
	kdf.opslimit = (uint64_t)e->kdf_ops;
	kdf.memlimit = (uint64_t)e->kdf_mem;
	(void)mkdir(dir, 0700);
	fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (f = fdopen(fd, "wb")) == NULL) {
		snprintf(err, errlen, "cannot write the archive: %s",
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		sodium_memzero(key, sizeof(key));
		return -1;
	}
	b.w = export_writer_new(f, &kdf, key);
	sodium_memzero(key, sizeof(key));
	b.a = a;
	b.org_id = e->org_id;
	b.withheld = json_array();
	entities = json_array();
	skipped = json_array();
	manifest = json_pack("{s:s, s:i, s:s, s:s, s:I, s:o, s:o, s:o}",
	    "format", "creneau-tenant-export", "version", 1, "export_id", e->id,
	    "org_id", e->org_id, "created_at", (json_int_t)now, "entities",
	    entities, "withheld", b.withheld, "skipped", skipped);
	if (b.w == NULL || manifest == NULL) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	for (i = 0; i < store_export_skipped_count; i++)
		json_array_append_new(skipped,
		    json_pack("{s:s, s:s}", "table",
			store_export_skipped[i].table, "why",
			store_export_skipped[i].why));
	for (i = 0; i < store_export_entities_count; i++) {
		if (stop != NULL && atomic_load(stop)) {
			snprintf(err, errlen, "stopped with the server");
			rc = 1;
			goto done;
		}
		if (write_entity(&b, &store_export_entities[i], entities) !=
		    0) {
			snprintf(err, errlen, "entity %s could not be written",
			    store_export_entities[i].name);
			goto done;
		}
		e->entities_done = (int64_t)i + 1;
		if (save(a, e, NULL, NULL, NULL, now, 0) != 0) {
			snprintf(err, errlen, "progress not saved");
			goto done;
		}
	}
	text = json_dumps(manifest, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (text == NULL || export_entry_begin(b.w, "manifest.json") != 0 ||
	    export_entry_puts(b.w, text) != 0 ||
	    export_entry_puts(b.w, "\n") != 0 ||
	    export_entry_end(b.w, sha, NULL) != 0) {
		snprintf(err, errlen, "manifest not written");
		goto done;
	}
	rc = export_writer_finish(b.w, &bytes);
	b.w = NULL;
	if (rc != 0 || fsync(fileno(f)) != 0) {
		rc = -1;
		snprintf(err, errlen, "archive not written: %s",
		    strerror(errno));
		goto done;
	}
	if (rename(part, final) != 0) {
		rc = -1;
		snprintf(err, errlen, "archive not renamed: %s",
		    strerror(errno));
		goto done;
	}
	snprintf(e->file_name, sizeof(e->file_name), "%s", name);
	e->file_bytes = (int64_t)bytes;
	snprintf(e->manifest_sha256, sizeof(e->manifest_sha256), "%s", sha);
done:
	export_writer_free(b.w);
	if (f != NULL)
		fclose(f);
	if (rc != 0)
		unlink(part);
	sodium_memzero(&b.kc, sizeof(b.kc));
	free(text);
	json_decref(manifest);
	return rc;
}

struct due_list {
	char ids[DUE_MAX][STORE_ID_MAX];
	char files[DUE_MAX][STORE_EXPORT_FILE_MAX];
	size_t n;
};

static int
due_one(void *arg, const struct store_tenant_export *e)
{
	struct due_list *l = arg;

	if (l->n == DUE_MAX)
		return 0;
	snprintf(l->ids[l->n], STORE_ID_MAX, "%s", e->id);
	snprintf(l->files[l->n], STORE_EXPORT_FILE_MAX, "%s", e->file_name);
	l->n++;
	return 0;
}

struct due_arg {
	int64_t now;
	struct due_list *l;
};

static int
due_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct due_arg *x = arg;

	return store_tenant_export_due(st, c, x->now, due_one, x->l);
}

struct expire_arg {
	const struct auth *a;
	const char *id;
	int64_t now;
};

static int
expire_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct expire_arg *x = arg;
	struct store_tenant_export e = { .id = { 0 } };
	json_t *details;
	int rc;

	if ((rc = store_tenant_export_get(st, c, x->id, &e)) != 0)
		return rc < 0 ? -1 : 0;
	snprintf(e.state, sizeof(e.state), "expired");
	drop_key(&e);
	details = json_pack("{s:s, s:s?}", "export_id", e.id, "file",
	    e.file_name[0] ? e.file_name : NULL);
	e.file_name[0] = '\0';
	rc = store_tenant_export_update(st, c, &e) != 0 ||
		audit_export(x->a, c, NULL, "tenant.export_expired", e.org_id,
		    details, x->now) != 0 ||
		notify_admins(x->a, c, e.org_id, "tenant.export_expired", 0,
		    x->now) != 0
	    ? -1
	    : 0;
	json_decref(details);
	store_tenant_export_clear(&e);
	return rc;
}

/* Deletes the archives past their expiry, each row then expired. */
static int
expire(const struct auth *a, const char *dir, int64_t now)
{
	struct due_list *l = calloc(1, sizeof(*l));
	struct due_arg x = { now, l };
	struct expire_arg ex = { a, NULL, now };
	char path[1200];
	size_t i;
	int rc = 0;

	if (l == NULL || store_tx(a->st, 0, due_tx, &x) != 0) {
		free(l);
		return -1;
	}
	for (i = 0; i < l->n; i++) {
		if (l->files[i][0] != '\0' &&
		    archive_path(dir, l->files[i], "", path, sizeof(path)) ==
			0 &&
		    unlink(path) != 0 && errno != ENOENT) {
			log_errorx("jobs: tenant-export: %s not deleted: %s",
			    l->files[i], strerror(errno));
			rc = -1;
			continue;
		}
		ex.id = l->ids[i];
		if (store_tx(a->st, 1, expire_tx, &ex) != 0)
			rc = -1;
	}
	free(l);
	return rc;
}

struct stale_arg {
	int64_t before;
	struct due_list *l;
};

static int
stale_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct stale_arg *x = arg;

	return store_tenant_export_stale(st, c, x->before, due_one, x->l);
}

/* The builds a stopped server left running fail, their partial file
 * deleted, so that the organisation may ask again. */
static int
recover(const struct auth *a, const char *dir, int64_t now)
{
	struct due_list *l = calloc(1, sizeof(*l));
	struct stale_arg x = { now - STALE_MS, l };
	struct store_tenant_export e = { .id = { 0 } };
	char path[1200], name[STORE_EXPORT_FILE_MAX + 32];
	size_t i;
	int rc = 0;

	if (l == NULL || store_tx(a->st, 0, stale_tx, &x) != 0) {
		free(l);
		return -1;
	}
	for (i = 0; i < l->n; i++) {
		snprintf(name, sizeof(name), "export-%s.creneau-export",
		    l->ids[i]);
		if (archive_path(dir, name, ".part", path, sizeof(path)) == 0)
			(void)unlink(path);
		if (tenant_export_get(a, l->ids[i], &e) != 0) {
			rc = -1;
			continue;
		}
		snprintf(e.state, sizeof(e.state), "failed");
		snprintf(e.error, sizeof(e.error),
		    "interrupted: the server stopped during the build");
		drop_key(&e);
		if (save(a, &e, "tenant.export_failed", "tenant.export_failed",
			json_pack("{s:s, s:s}", "export_id", e.id, "error",
			    e.error),
			now, 0) != 0)
			rc = -1;
		store_tenant_export_clear(&e);
	}
	free(l);
	return rc;
}

struct claim_arg {
	struct store_tenant_export *e;
	int64_t now;
	int got;
};

static int
claim_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct claim_arg *x = arg;
	int rc;

	if ((rc = store_tenant_export_next(st, c, x->e)) != 0)
		return rc < 0 ? -1 : 0;
	/* Only one instance takes it. */
	if ((rc = store_tenant_export_claim(st, c, x->e->id, x->now)) < 0)
		return -1;
	x->got = rc == 0;
	snprintf(x->e->state, sizeof(x->e->state), "running");
	x->e->started_at = x->now;
	return 0;
}

int
tenant_export_run(const struct auth *a, const char *dir, int64_t now,
    const atomic_int *stop)
{
	struct store_tenant_export e = { .id = { 0 } };
	struct claim_arg x = { &e, now, 0 };
	char err[STORE_EXPORT_ERROR_MAX];
	int b;
	int rc = expire(a, dir, now);

	if (recover(a, dir, now) != 0)
		rc = -1;

	memset(&e, 0, sizeof(e));
	if (store_tx(a->st, 1, claim_tx, &x) != 0) {
		store_tenant_export_clear(&e);
		return -1;
	}
	if (!x.got) {
		store_tenant_export_clear(&e);
		return rc;
	}
	err[0] = '\0';
	b = build(a, dir, &e, now, stop, err, sizeof(err));
	if (b == 1) {
		/* Back in the queue, its key kept, for the next run. */
		snprintf(e.state, sizeof(e.state), "queued");
		e.started_at = 0;
		e.entities_done = 0;
		if (save(a, &e, NULL, NULL, NULL, now, 0) != 0)
			rc = -1;
	} else if (b == 0) {
		snprintf(e.state, sizeof(e.state), "ready");
		e.ready_at = now;
		drop_key(&e);
		if (save(a, &e, "tenant.export_ready", "tenant.export_ready",
			json_pack("{s:s, s:I, s:s, s:I}", "export_id", e.id,
			    "bytes", (json_int_t)e.file_bytes,
			    "manifest_sha256", e.manifest_sha256, "entities",
			    (json_int_t)e.entities_done),
			now, 1) != 0)
			rc = -1;
	} else {
		log_errorx("jobs: tenant-export %s: %s", e.id, err);
		snprintf(e.state, sizeof(e.state), "failed");
		snprintf(e.error, sizeof(e.error), "%s", err);
		drop_key(&e);
		if (save(a, &e, "tenant.export_failed", "tenant.export_failed",
			json_pack("{s:s, s:s}", "export_id", e.id, "error",
			    err),
			now, 0) != 0)
			rc = -1;
	}
	store_tenant_export_clear(&e);
	return rc;
}
