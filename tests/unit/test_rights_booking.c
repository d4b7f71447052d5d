/*
 * test_rights_booking.c - src/gdpr/rights_booking.c: a candidate's export
 * holds every row the database has about them (the test reads the tables
 * itself and compares); erasure cancels the future exams, releases the
 * basket, revokes the mandates, removes the trainer, shreds the registry
 * row in place, deletes the account's notifications and emails, queues a
 * confirmation, and afterwards no table, no email and no backup taken
 * before holds anything readable about the person, with the audit chain
 * still sound.
 */
#include "bookfx.h"

#include "audit/audit.h"
#include "backup/backup.h"
#include "gdpr/request.h"
#include "gdpr/rights.h"
#include "notify/notify.h"
#include "service/basket.h"
#include "service/candidates.h"
#include "store/audit.h"
#include "store/candidates.h"
#include "store/columns.h"
#include "store/outbox.h"

#define NEPH "070475123456"
#define LAST "Quesnoy-Zéphyrin"
#define FIRST "Anaëlle Brune"
#define CEMAIL "anaelle.quesnoy@exemple.fr"
#define AEMAIL "a.quesnoy@exemple.fr"
#define ANAME "Anaëlle Q."

static const char *const needles[] = { NEPH, LAST, FIRST, CEMAIL, AEMAIL,
	ANAME };

struct seeded {
	char acc[AUTH_ID_HEX];
	int64_t cand, past_exam, future_exam, future_slot, held_slot;
};

static struct datamap *
load_map(void)
{
	char err[256];
	struct datamap *m =
	    datamap_load("config/datamap.ini", err, sizeof(err));

	if (m == NULL)
		fail_msg("%s", err);
	return m;
}

/* How many rows the query built from fmt yields. */
static int64_t __attribute__((format(printf, 2, 3)))
rows(struct bookfx *b, const char *fmt, ...)
{
	char sql[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return authfx_rows(b->f, sql);
}

struct seed_arg {
	struct bookfx *b;
	struct seeded *s;
};

static int
seed_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct seed_arg *x = arg;
	struct svc_candidate_in in;
	struct notice n = { "mandate.created", "{\"mandate_id\":1}" };
	const char *field = NULL;

	assert_int_equal(svc_candidate_parse(&in, NEPH, LAST, FIRST, "B",
			     "manual", CEMAIL, &field),
	    BK_OK);
	if (svc_candidate_store(&x->b->s, c, x->s->cand, &in, BX_NOW) != 0 ||
	    store_candidate_link(st, c, x->s->cand, x->s->acc) != 0 ||
	    store_candidate_trainer_set(st, c, x->b->school1, x->s->cand,
		x->b->emp1, BX_NOW) != 0 ||
	    notify_account(&x->b->f->a, c, x->s->acc, x->b->f->org, &n,
		BX_NOW) != 0)
		return -1;
	return 0;
}

/* A candidate account linked to a registry row under mandate of school1,
 * with a trainer, a past exam, a future exam, a slot held in a basket, a
 * notification (and its email) and audit entries naming them. */
static void
seed(struct bookfx *b, struct seeded *s)
{
	struct seed_arg x = { b, s };
	struct audit_entry e;
	char pw[ACCOUNT_TEMP_PW_LEN], sql[512], ids[24];
	int64_t past_slot;

	memset(s, 0, sizeof(*s));
	authfx_account(b->f, AEMAIL, ANAME, "candidate", s->acc, pw);
	s->cand = bx_candidate(b, "B", b->school1);
	assert_int_equal(store_tx(b->f->st, 1, seed_tx, &x), 0);
	past_slot = bx_slot(b, "B", BX_NOW - 20 * BK_DAY_MS, FX_T0);
	s->future_slot = bx_slot(b, "B", BX_NOW + 20 * BK_DAY_MS, FX_T0);
	s->held_slot = bx_slot(b, "B", BX_NOW + 21 * BK_DAY_MS, FX_T0);
	snprintf(sql, sizeof(sql),
	    "UPDATE slots SET state = 'booked' WHERE id IN (%lld, %lld)",
	    (long long)past_slot, (long long)s->future_slot);
	bx_exec(b, sql);
	snprintf(sql, sizeof(sql),
	    "INSERT INTO exams (slot_id, school_id, candidate_id, department,"
	    " category, start_at, month, status, booked_by, created_at,"
	    " result_at) VALUES (%lld, %lld, %lld, '44', 'B', %lld, 203001,"
	    " 'failed', NULL, %lld, %lld)",
	    (long long)past_slot, (long long)b->school1, (long long)s->cand,
	    (long long)(BX_NOW - 20 * BK_DAY_MS), (long long)FX_T0,
	    (long long)(BX_NOW - 20 * BK_DAY_MS + BK_HOUR_MS));
	bx_exec(b, sql);
	s->past_exam = bx_int(b, "SELECT MAX(id) FROM exams");
	snprintf(sql, sizeof(sql),
	    "INSERT INTO exams (slot_id, school_id, candidate_id, department,"
	    " category, start_at, month, status, created_at) VALUES (%lld,"
	    " %lld, %lld, '44', 'B', %lld, 203001, 'booked', %lld)",
	    (long long)s->future_slot, (long long)b->school1,
	    (long long)s->cand, (long long)(BX_NOW + 20 * BK_DAY_MS),
	    (long long)BX_NOW);
	bx_exec(b, sql);
	s->future_exam = bx_int(b, "SELECT MAX(id) FROM exams");
	snprintf(sql, sizeof(sql),
	    "INSERT INTO baskets (school_id, owner_account, first_added_at,"
	    " created_at) VALUES (%lld, '%s', %lld, %lld)",
	    (long long)b->school1, b->emp1, (long long)BX_NOW,
	    (long long)BX_NOW);
	bx_exec(b, sql);
	snprintf(sql, sizeof(sql),
	    "UPDATE slots SET state = 'held', basket_id = (SELECT MAX(id)"
	    " FROM baskets) WHERE id = %lld",
	    (long long)s->held_slot);
	bx_exec(b, sql);
	snprintf(sql, sizeof(sql),
	    "INSERT INTO basket_items (basket_id, slot_id, candidate_id,"
	    " position, added_at) VALUES ((SELECT MAX(id) FROM baskets),"
	    " %lld, %lld, 1, %lld)",
	    (long long)s->held_slot, (long long)s->cand, (long long)BX_NOW);
	bx_exec(b, sql);
	snprintf(ids, sizeof(ids), "%lld", (long long)s->cand);
	memset(&e, 0, sizeof(e));
	e.actor = b->emp1;
	e.action = "candidate.assign";
	e.target_type = "candidate";
	e.target_ids = ids;
	e.details = "{\"trainer\":\"x\"}";
	assert_int_equal(audit_record(b->f->st, &b->f->audit_key, BX_NOW, &e),
	    0);
}

/* How many items of export e have label. */
static size_t
items_labelled(json_t *e, const char *label, json_t **last)
{
	json_t *it;
	size_t i, n = 0;

	json_array_foreach (json_object_get(e, "items"), i, it) {
		if (strcmp(json_string_value(json_object_get(it, "label")),
			label) == 0) {
			n++;
			if (last != NULL)
				*last = it;
		}
	}
	return n;
}

/* Whether export e has an item labelled label whose value has member k
 * equal to v. */
static int
has_value(json_t *e, const char *label, const char *k, int64_t v)
{
	json_t *it;
	size_t i;

	json_array_foreach (json_object_get(e, "items"), i, it) {
		if (strcmp(json_string_value(json_object_get(it, "label")),
			label) == 0 &&
		    json_integer_value(
			json_object_get(json_object_get(it, "value"), k)) == v)
			return 1;
	}
	return 0;
}

struct ids {
	const struct store_driver *d;
	int64_t v[64];
	size_t n;
};

static int
id_row(void *arg, const struct store_row *r)
{
	struct ids *x = arg;

	if (x->n < 64)
		x->v[x->n++] = x->d->row_int(r, 0);
	return 0;
}

/* The ids the query built from fmt yields. */
static struct ids __attribute__((format(printf, 2, 3)))
ids_of(struct bookfx *b, const char *fmt, ...)
{
	struct ids x = { store_drv(b->f->st), { 0 }, 0 };
	char sql[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	assert_int_equal(store_drv(b->f->st)->exec(store_conn(b->f->st), sql,
			     NULL, 0, id_row, &x),
	    0);
	return x;
}

static void
test_export_candidate(void **state)
{
	struct bookfx *b = *state;
	struct datamap *m = load_map();
	struct seeded s;
	struct ids x;
	json_t *out = NULL, *it = NULL, *v;
	char cid[24];
	size_t i;

	memset(&s, 0, sizeof(s));
	seed(b, &s);
	snprintf(cid, sizeof(cid), "%lld", (long long)s.cand);
	assert_int_equal(rights_export(&b->f->a, m, s.acc, BX_NOW, &out), 0);
	/* Identity, opened. */
	assert_int_equal(items_labelled(out, "Identité de candidat", &it), 1);
	v = json_object_get(it, "value");
	assert_string_equal(json_string_value(json_object_get(v, "neph")),
	    NEPH);
	assert_string_equal(json_string_value(json_object_get(v, "last_name")),
	    LAST);
	assert_string_equal(json_string_value(
				json_object_get(v, "first_names")),
	    FIRST);
	assert_string_equal(json_string_value(json_object_get(v, "gearbox")),
	    "manual");
	assert_string_equal(json_string_value(json_object_get(it, "category")),
	    "candidate_identity");
	assert_non_null(json_object_get(it, "purposes"));
	assert_int_equal(items_labelled(out, "Adresse e-mail de candidat", &it),
	    1);
	assert_string_equal(json_string_value(json_object_get(it, "value")),
	    CEMAIL);
	/* Every row of every table about them, as the database has them. */
	x = ids_of(b, "SELECT id FROM mandates WHERE candidate_id = %s", cid);
	assert_true(x.n > 0);
	assert_int_equal(items_labelled(out, "Mandat", NULL), x.n);
	for (i = 0; i < x.n; i++)
		assert_true(has_value(out, "Mandat", "mandate_id", x.v[i]));
	x = ids_of(b, "SELECT id FROM exams WHERE candidate_id = %s", cid);
	assert_int_equal(x.n, 2);
	assert_int_equal(items_labelled(out, "Examen", &it), x.n);
	for (i = 0; i < x.n; i++)
		assert_true(has_value(out, "Examen", "exam_id", x.v[i]));
	assert_true(has_value(out, "Examen", "result_at",
	    BX_NOW - 20 * BK_DAY_MS + BK_HOUR_MS));
	assert_string_equal(json_string_value(json_object_get(it, "category")),
	    "exam_data");
	assert_string_equal(json_string_value(
				json_object_get(json_object_get(it, "value"),
				    "centre")),
	    "Centre de Nantes");
	x = ids_of(b,
	    "SELECT slot_id FROM basket_items WHERE candidate_id = %s", cid);
	assert_int_equal(x.n, 1);
	assert_true(
	    has_value(out, "Place d'examen retenue pour vous dans un panier",
		"slot_id", x.v[0]));
	assert_int_equal(items_labelled(out, "Formateur qui vous suit", NULL),
	    rows(b, "SELECT 1 FROM candidate_trainers WHERE candidate_id = %s",
		cid));
	x = ids_of(b, "SELECT id FROM notifications WHERE account_id = '%s'",
	    s.acc);
	assert_int_equal(x.n, 1);
	assert_int_equal(items_labelled(out, "Notification dans l'application",
			     &it),
	    x.n);
	assert_true(has_value(out, "Notification dans l'application",
	    "notification_id", x.v[0]));
	assert_string_equal(json_string_value(json_object_get(it, "category")),
	    "notification_ref");
	x = ids_of(b, "SELECT id FROM email_outbox WHERE account_id = '%s'",
	    s.acc);
	assert_int_equal(x.n, 1);
	assert_int_equal(items_labelled(out,
			     "Courriel de notification (objet seulement)", &it),
	    x.n);
	assert_null(json_object_get(json_object_get(it, "value"), "body"));
	x = ids_of(b,
	    "SELECT seq FROM audit_log WHERE target_type = 'candidate' AND"
	    " target_ids = '%s'",
	    cid);
	assert_true(x.n >= 1);
	assert_int_equal(items_labelled(out,
			     "Opération journalisée sur votre dossier de "
			     "candidat",
			     NULL),
	    x.n);
	for (i = 0; i < x.n; i++)
		assert_true(has_value(out,
		    "Opération journalisée sur votre dossier de candidat",
		    "seq", x.v[i]));
	json_decref(out);
	/* Staff accounts see their notifications too. */
	assert_int_equal(rights_export(&b->f->a, m, b->emp1, BX_NOW, &out), 0);
	assert_int_equal(items_labelled(out, "Notification dans l'application",
			     NULL),
	    rows(b, "SELECT 1 FROM notifications WHERE account_id = '%s'",
		b->emp1));
	assert_int_equal(items_labelled(out, "Identité de candidat", NULL), 0);
	json_decref(out);
	datamap_free(m);
}

/* The owners of every key of the keystore (destroyed ones included). */
struct owners {
	const struct store_driver *d;
	char v[64][AUTH_OWNER_MAX];
	size_t n;
};

static int
owner_row(void *arg, const struct store_row *r)
{
	struct owners *o = arg;

	if (o->n < 64 &&
	    store_row_copy_text(o->v[o->n], AUTH_OWNER_MAX, o->d, r, 0) == 0)
		o->n++;
	return 0;
}

static void
all_owners(struct bookfx *b, struct owners *o)
{
	struct store_config c = { "sqlite", b->f->keys, 5000,
		STORE_SCHEMA_KEYS };
	char err[256];
	struct store *k = store_open(&c, err, sizeof(err));

	memset(o, 0, sizeof(*o));
	assert_non_null(k);
	o->d = store_drv(k);
	assert_int_equal(store_drv(k)->exec(store_conn(k),
			     "SELECT owner FROM data_keys UNION SELECT owner"
			     " FROM destroyed_keys",
			     NULL, 0, owner_row, o),
	    0);
	store_free(k);
	assert_true(o->n > 3);
}

/* Whether text (n bytes) holds one of the person's values. */
static int
names_them(const void *text, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(needles) / sizeof(needles[0]); i++)
		if (text != NULL &&
		    memmem(text, n, needles[i], strlen(needles[i])) != NULL)
			return 1;
	return 0;
}

struct scan {
	struct bookfx *b;
	const struct owners *o;
	const char *table, *column;
	long plain, opened; /* values naming the person */
};

/* Tries every key on a sealed value of row rid. */
static void
try_open(struct scan *s, const char *rid, const void *ct, size_t n)
{
	struct data_key k;
	char *pt = NULL;
	size_t i, len = 0;

	for (i = 0; i < s->o->n; i++) {
		if (keystore_get(s->b->f->ks, s->o->v[i], 0, &k) != 0)
			continue;
		if (field_open(&k, s->table, s->column, rid, ct, n, &pt,
			&len) == 0) {
			s->opened += names_them(pt, len);
			field_free(pt, len);
		}
		sodium_memzero(&k, sizeof(k));
	}
}

static int
sealed_row(void *arg, const struct store_row *r)
{
	struct scan *s = arg;
	const struct store_driver *d = store_drv(s->b->f->st);
	size_t n = 0;
	const void *ct;
	char rid[96];

	if (d->row_is_null(r, 1))
		return 0;
	store_row_copy_text(rid, sizeof(rid), d, r, 0);
	ct = d->row_blob(r, 1, &n);
	s->plain += names_them(ct, n);
	if (n > 0)
		try_open(s, rid, ct, n);
	return 0;
}

static int
audit_row_open(void *arg, const struct audit_row *row)
{
	struct scan *s = arg;
	const char *cols[2] = { "details", "ip" };
	struct data_key k;
	char *pt = NULL;
	size_t i, c, len = 0;

	s->plain += names_them(row->actor, row->actor ? strlen(row->actor) : 0);
	for (i = 0; i < s->o->n; i++) {
		if (keystore_get(s->b->f->ks, s->o->v[i], 0, &k) != 0)
			continue;
		for (c = 0; c < 2; c++)
			if (audit_open_sealed(&k, row, cols[c], &pt, &len) ==
				0 &&
			    pt != NULL) {
				s->opened += names_them(pt, len);
				field_free(pt, len);
				pt = NULL;
			}
		sodium_memzero(&k, sizeof(k));
	}
	return 0;
}

static int
text_row(void *arg, const struct store_row *r)
{
	struct scan *s = arg;
	const struct store_driver *d = store_drv(s->b->f->st);
	const char *t;

	if (!d->row_is_null(r, 0) && (t = d->row_text(r, 0)) != NULL)
		s->plain += names_them(t, strlen(t));
	return 0;
}

/*
 * Counts the values of the database that name the person: in clear in
 * any column of any table, or once opened with any key of the keystore
 * (every sealed column of the schema, the audit trail's included).
 */
static long
readable(struct bookfx *b)
{
	struct owners o;
	struct scan s;
	struct audit_filter f;
	char sql[200];
	size_t i;

	all_owners(b, &o);
	memset(&s, 0, sizeof(s));
	s.b = b;
	s.o = &o;
	for (i = 0; i < store_columns_count; i++) {
		const struct column_decl *cd = &store_columns[i];

		if (cd->schema != STORE_SCHEMA_MAIN ||
		    strcmp(cd->table, "audit_log") == 0)
			continue;
		s.table = cd->table;
		s.column = cd->column;
		if (cd->kind == COL_SEALED) {
			/* The row id a value is sealed with: a client
			 * organisation's row is named by its organisation
			 * (tenants.org_id), a pending sign-up's address is
			 * sealed as row "signup", a guest's booking request
			 * under its link's key, as row "guest"; remote mode's
			 * links by their account, its copies by account and
			 * list. */
			snprintf(sql, sizeof(sql), "SELECT %s, %s FROM %s",
			    strcmp(cd->table, "sessions") == 0      ? "id_hash"
				: strcmp(cd->table, "tenants") == 0 ? "org_id"
				: strcmp(cd->table, "signups") == 0 ? "'signup'"
				: strcmp(cd->table, "appt_guest_requests") == 0
				? "'guest'"
				: strncmp(cd->table, "authority_link", 14) == 0
				? "account_id"
				: strcmp(cd->table, "authority_copies") == 0
				? "account_id || ':' || kind"
				: "id",
			    cd->column, cd->table);
			assert_int_equal(store_drv(b->f->st)
					     ->exec(store_conn(b->f->st), sql,
						 NULL, 0, sealed_row, &s),
			    0);
		} else {
			snprintf(sql, sizeof(sql),
			    "SELECT CAST(%s AS TEXT) FROM %s", cd->column,
			    cd->table);
			assert_int_equal(store_drv(b->f->st)
					     ->exec(store_conn(b->f->st), sql,
						 NULL, 0, text_row, &s),
			    0);
		}
	}
	memset(&f, 0, sizeof(f));
	assert_int_equal(store_audit_scan(b->f->st, &f, audit_row_open, &s), 0);
	return s.plain + s.opened;
}

struct sent_arg {
	int64_t id;
};

static int
sent_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct sent_arg *x = arg;

	return store_outbox_mark_sent(st, c, x->id, BX_NOW + 1);
}

static void
test_erase_candidate(void **state)
{
	struct bookfx *b = *state;
	struct datamap *m = load_map();
	struct audit_verify_result vr;
	struct store_config sc = { "sqlite", b->f->db, 5000,
		STORE_SCHEMA_MAIN };
	struct sent_arg sent;
	struct seeded s;
	struct store_outbox ob;
	struct data_key k;
	char cid[24], owner[AUTH_OWNER_MAX], why[256] = "", bfile[200],
					     err[512], *to = NULL;
	json_t *out = NULL, *kept;
	size_t n = 0;
	int64_t cancelled_before;
	int from, tov;

	memset(&s, 0, sizeof(s));
	seed(b, &s);
	snprintf(cid, sizeof(cid), "%lld", (long long)s.cand);
	/* What the scan reads before: it does see the person. */
	assert_true(readable(b) >= 4);
	snprintf(bfile, sizeof(bfile), "%s/before.backup", b->f->dir);
	if (backup_create(b->f->st, b->f->ks, bfile, b->f->dir, BX_NOW, NULL,
		err, sizeof(err)) != 0)
		fail_msg("backup_create: %s", err);
	cancelled_before = rows(b,
	    "SELECT 1 FROM notifications WHERE kind = 'booking.cancelled' AND"
	    " account_id = '%s'",
	    b->emp1);

	assert_int_equal(rights_erase(&b->f->a, s.acc, s.acc, BX_NOW + 1000, m,
			     "192.0.2.9", &out, why, sizeof(why)),
	    0);
	/* The future exam is cancelled, its slot free, the school told. */
	assert_int_equal(rows(b,
			     "SELECT 1 FROM exams WHERE id = %lld AND status ="
			     " 'cancelled'",
			     (long long)s.future_exam),
	    1);
	assert_int_equal(rows(b,
			     "SELECT 1 FROM slots WHERE id = %lld AND state ="
			     " 'free'",
			     (long long)s.future_slot),
	    1);
	assert_int_equal(rows(b,
			     "SELECT 1 FROM notifications WHERE kind ="
			     " 'booking.cancelled' AND account_id = '%s'",
			     b->emp1),
	    cancelled_before + 1);
	/* The past exam stays: date, centre, result. */
	assert_int_equal(rows(b,
			     "SELECT 1 FROM exams WHERE id = %lld AND status ="
			     " 'failed'",
			     (long long)s.past_exam),
	    1);
	/* Basket released, mandates revoked, trainer gone. */
	assert_int_equal(
	    rows(b, "SELECT 1 FROM basket_items WHERE candidate_id = %s", cid),
	    0);
	assert_int_equal(rows(b,
			     "SELECT 1 FROM slots WHERE id = %lld AND state ="
			     " 'free' AND basket_id IS NULL",
			     (long long)s.held_slot),
	    1);
	assert_int_equal(rows(b,
			     "SELECT 1 FROM mandates WHERE candidate_id = %s"
			     " AND state IN ('pending', 'active')",
			     cid),
	    0);
	assert_true(rows(b,
			"SELECT 1 FROM mandates WHERE candidate_id = %s AND"
			" state = 'revoked'",
			cid) > 0);
	assert_int_equal(rows(b,
			     "SELECT 1 FROM candidate_trainers WHERE"
			     " candidate_id = %s",
			     cid),
	    0);
	/* The registry row stays, closed and empty; its key is gone. */
	assert_int_equal(rows(b,
			     "SELECT 1 FROM candidates WHERE id = %s AND"
			     " closed_at IS NOT NULL AND length(neph) = 0 AND"
			     " length(last_name) = 0 AND length(first_names) ="
			     " 0 AND email IS NULL AND account_id IS NULL",
			     cid),
	    1);
	assert_int_equal(svc_candidate_owner(s.cand, owner, sizeof(owner)), 0);
	assert_int_equal(keystore_destroyed(b->f->ks, owner), 1);
	/* Notifications and emails of the account are gone. */
	assert_int_equal(rows(b,
			     "SELECT 1 FROM notifications WHERE account_id ="
			     " '%s'",
			     s.acc),
	    0);
	assert_int_equal(rows(b,
			     "SELECT 1 FROM email_outbox WHERE account_id ="
			     " '%s'",
			     s.acc),
	    0);
	/* The answer says what went, what stays and why. */
	assert_int_equal(json_integer_value(
			     json_object_get(json_object_get(out, "erased"),
				 "exams_cancelled")),
	    1);
	assert_int_equal(json_integer_value(
			     json_object_get(json_object_get(out, "erased"),
				 "candidate_files")),
	    1);
	kept = json_object_get(out, "kept");
	assert_int_equal(json_array_size(kept), 4);
	assert_int_equal(json_integer_value(
			     json_object_get(json_array_get(kept, 2),
				 "entries")),
	    2);
	assert_non_null(
	    strstr(json_string_value(
		       json_object_get(json_array_get(kept, 3), "why")),
		"références"));
	assert_non_null(
	    strstr(json_string_value(json_object_get(out, "confirmation")),
		"confirmation"));
	json_decref(out);

	/* The only readable trace is the confirmation, to the address the
	 * person had, belonging to no account; once sent it is wiped. */
	assert_int_equal(readable(b), 1);
	sent.id = bx_int(b,
	    "SELECT MAX(id) FROM email_outbox WHERE"
	    " account_id IS NULL AND state = 'pending'");
	memset(&ob, 0, sizeof(ob));
	assert_int_equal(store_outbox_get(b->f->st, store_conn(b->f->st),
			     sent.id, &ob),
	    0);
	assert_int_equal(keystore_get(b->f->ks, "system:outbox", 0, &k), 0);
	snprintf(cid, sizeof(cid), "%lld", (long long)sent.id);
	assert_int_equal(field_open(&k, "email_outbox", "recipient", cid,
			     ob.recipient.p, ob.recipient.len, &to, &n),
	    0);
	assert_string_equal(to, AEMAIL);
	field_free(to, n);
	sodium_memzero(&k, sizeof(k));
	store_outbox_clear(&ob);
	assert_int_equal(store_tx(b->f->st, 1, sent_tx, &sent), 0);
	assert_int_equal(readable(b), 0);
	memset(&vr, 0, sizeof(vr));
	assert_int_equal(audit_verify(b->f->st, NULL, &vr), 0);

	/* The backup taken before brings the rows back, unreadable: the
	 * keys are gone, including the one sealing the person's pending
	 * emails (the outbox seals an account's emails under its own key). */
	store_free(b->f->st);
	b->f->st = NULL;
	if (backup_restore(bfile, b->f->ks, b->f->db, NULL, err, sizeof(err)) !=
	    0)
		fail_msg("backup_restore: %s", err);
	b->f->st = store_open(&sc, err, sizeof(err));
	assert_non_null(b->f->st);
	assert_int_equal(store_migrate(b->f->st, &from, &tov, err, sizeof(err)),
	    0);
	b->f->a.st = b->f->st;
	assert_int_equal(rows(b,
			     "SELECT 1 FROM candidates WHERE id = %lld AND"
			     " length(neph) > 0",
			     (long long)s.cand),
	    1);
	assert_int_equal(rows(b,
			     "SELECT 1 FROM email_outbox WHERE account_id ="
			     " '%s' AND state = 'pending'",
			     s.acc),
	    1);
	assert_int_equal(readable(b), 0);
	memset(&vr, 0, sizeof(vr));
	assert_int_equal(audit_verify(b->f->st, NULL, &vr), 0);
	datamap_free(m);
}

/* A person without account, found by the DPO through the NEPH's blind
 * index: the access export holds their file; an erasure request cannot
 * be closed as done without erasing; erase_registry shreds the file,
 * destroys its key and closes the request, in one step. */
static void
test_registry_person(void **state)
{
	struct bookfx *b = *state;
	struct seeded s;
	struct rights_request r;
	struct request_action act;
	char idx[BLIND_INDEX_HEX], owner[AUTH_OWNER_MAX], sql[300];
	char why[REQUEST_WHY_MAX] = "", dpo[AUTH_ID_HEX], pw[64];
	struct datamap *m = load_map();
	json_t *exp = NULL;
	char *text;

	memset(&s, 0, sizeof(s));
	seed(b, &s);
	authfx_account(b->f, "dpo@exemple.fr", "DPO", "dpo", dpo, pw);
	assert_int_equal(svc_candidate_neph_index(&b->s, NEPH, idx), 0);
	snprintf(sql, sizeof(sql),
	    "UPDATE candidates SET neph_index = '%s', account_id = NULL"
	    " WHERE id = %lld",
	    idx, (long long)s.cand);
	bx_exec(b, sql);

	/* Access. */
	request_init(&r);
	snprintf(r.org_id, sizeof(r.org_id), "%s", b->f->org);
	snprintf(r.kind, sizeof(r.kind), "access");
	snprintf(r.text[RQ_IDENTITY], sizeof(r.text[RQ_IDENTITY]),
	    "Mme Quesnoy, au guichet");
	assert_int_equal(request_open(&b->f->a, dpo, &r, 0, BX_NOW, why,
			     sizeof(why)),
	    0);
	assert_int_equal(request_registry_export(&b->f->a, m, dpo, b->f->org,
			     r.id, idx, BX_NOW, &exp, why, sizeof(why)),
	    2); /* identity not verified yet */
	memset(&act, 0, sizeof(act));
	act.op = RQ_VERIFY;
	assert_int_equal(request_update(&b->f->a, dpo, b->f->org, r.id, &act,
			     BX_NOW, NULL, why, sizeof(why)),
	    0);
	assert_int_equal(request_registry_export(&b->f->a, m, dpo, b->f->org,
			     r.id, "absent", BX_NOW, &exp, why, sizeof(why)),
	    3);
	assert_int_equal(request_registry_export(&b->f->a, m, dpo, b->f->org,
			     r.id, idx, BX_NOW, &exp, why, sizeof(why)),
	    0);
	text = json_dumps(exp, JSON_COMPACT);
	assert_non_null(strstr(text, NEPH));
	assert_non_null(strstr(text, LAST));
	assert_non_null(strstr(text, "\"category\":\"exam_data\""));
	free(text);
	json_decref(exp);
	assert_int_equal(rows(b,
			     "SELECT 1 FROM audit_log WHERE action ="
			     " 'rights.request.registry_access'"),
	    1);
	request_clear(&r);

	/* Erasure. */
	request_init(&r);
	snprintf(r.org_id, sizeof(r.org_id), "%s", b->f->org);
	snprintf(r.kind, sizeof(r.kind), "erasure");
	snprintf(r.text[RQ_IDENTITY], sizeof(r.text[RQ_IDENTITY]),
	    "Mme Quesnoy, au guichet");
	assert_int_equal(request_open(&b->f->a, dpo, &r, 1, BX_NOW, why,
			     sizeof(why)),
	    0);
	memset(&act, 0, sizeof(act));
	act.op = RQ_CLOSE;
	act.outcome = "Fait";
	assert_int_equal(request_update(&b->f->a, dpo, b->f->org, r.id, &act,
			     BX_NOW, NULL, why, sizeof(why)),
	    2);
	assert_non_null(strstr(why, "erase_registry"));
	memset(&act, 0, sizeof(act));
	act.op = RQ_ERASE_REGISTRY;
	act.neph_index = "absent";
	assert_int_equal(request_update(&b->f->a, dpo, b->f->org, r.id, &act,
			     BX_NOW, NULL, why, sizeof(why)),
	    2);
	act.neph_index = idx;
	assert_int_equal(request_update(&b->f->a, dpo, b->f->org, r.id, &act,
			     BX_NOW, &r, why, sizeof(why)),
	    0);
	assert_int_equal(act.erased, 1);
	assert_string_equal(r.state, "done");
	assert_non_null(strstr(r.text[RQ_OUTCOME], "détruite"));
	assert_int_equal(svc_candidate_owner(s.cand, owner, sizeof(owner)), 0);
	assert_int_equal(keystore_destroyed(b->f->ks, owner), 1);
	assert_int_equal(rows(b,
			     "SELECT 1 FROM candidates WHERE id = %lld AND"
			     " length(neph) = 0 AND closed_at IS NOT NULL",
			     (long long)s.cand),
	    1);
	assert_int_equal(rows(b,
			     "SELECT 1 FROM exams WHERE id = %lld AND status ="
			     " 'cancelled'",
			     (long long)s.future_exam),
	    1);
	request_clear(&r);
	datamap_free(m);
}

/* The answers kept for an employee's retried validations
 * (partner_replays) go with the employee's account. */
static void
test_erase_employee_replays(void **state)
{
	struct bookfx *b = *state;
	struct datamap *m = load_map();
	struct svc_validation v;
	struct basket k;
	char why[256] = "";
	json_t *out = NULL;

	assert_int_equal(svc_basket_current(&b->s, &b->who1, b->school1, BX_NOW,
			     &k),
	    BK_OK);
	assert_int_equal(svc_basket_validate_once(&b->s, &b->who1, b->school1,
			     k.id, "essai-0001", BX_NOW, &v),
	    BK_OK);
	assert_int_equal(rows(b,
			     "SELECT 1 FROM partner_replays WHERE"
			     " account_id = '%s'",
			     b->emp1),
	    1);
	if (rights_erase(&b->f->a, b->emp1, b->emp1, BX_NOW + 1000, m,
		"192.0.2.9", &out, why, sizeof(why)) != 0)
		fail_msg("rights_erase: %s", why);
	assert_int_equal(rows(b, "SELECT 1 FROM accounts WHERE id = '%s'",
			     b->emp1),
	    0);
	assert_int_equal(rows(b, "SELECT 1 FROM partner_replays"), 0);
	json_decref(out);
	datamap_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_export_candidate,
		    bookfx_setup, bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_erase_candidate,
		    bookfx_setup, bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_registry_person,
		    bookfx_setup, bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_erase_employee_replays,
		    bookfx_setup, bookfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
