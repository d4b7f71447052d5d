/* registry.c (service) - importing the candidate registry from CSV. */
#include "service/registry.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/csv.h"
#include "crypto/field.h"
#include "crypto/keystore.h"
#include "service/candidates.h"
#include "store/candidates.h"
#include "store/driver.h"

/* Columns from C_EMAIL on may be absent. */
enum col {
	C_NEPH,
	C_LAST,
	C_FIRST,
	C_CATEGORY,
	C_GEARBOX,
	C_EMAIL,
	C_BIRTH,
	C_COUNT
};

static const char *const col_names[C_COUNT] = { "neph", "last_name",
	"first_names", "category", "gearbox", "email", "birth_date" };

/* The French names a spreadsheet exported in France would carry, each
 * column's as normalised by header_key (lower case, no accent, "_" for
 * spaces and hyphens). */
static const char *const col_names_fr[C_COUNT][3] = {
	{ "numero_neph", "n_neph", NULL },
	{ "nom", "nom_de_famille", NULL },
	{ "prenoms", "prenom", NULL },
	{ "categorie", "categorie_de_permis", NULL },
	{ "boite_de_vitesses", "boite", NULL },
	{ "adresse_e_mail", "courriel", "e_mail" },
	{ "date_de_naissance", "naissance", NULL },
};

/* Normalises a header cell into out: ASCII lower case, the accented
 * letters of French headers without their accent, spaces, hyphens and
 * apostrophes as "_", "°" dropped. */
static void
header_key(const char *in, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t n = 0;

	while (*p != '\0' && n + 1 < size) {
		unsigned char c = *p++;

		if (c == 0xC3 && *p != '\0') { /* U+00C0..U+00FF */
			unsigned char d = *p++ | 0x20; /* lower case */

			c = d >= 0xA0 && d <= 0xA6   ? 'a'
			    : d == 0xA7              ? 'c'
			    : d >= 0xA8 && d <= 0xAB ? 'e'
			    : d >= 0xAC && d <= 0xAF ? 'i'
			    : d >= 0xB2 && d <= 0xB6 ? 'o'
			    : d >= 0xB9 && d <= 0xBC ? 'u'
						     : '_';
		} else if (c == 0xC2 &&
		    *p != '\0') { /* "°", non-breaking space */
			c = *p++ == 0xB0 ? 0 : '_';
		} else if (c == ' ' || c == '-' || c == '\'' || c == '.')
			c = '_';
		else if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != 0 && !(c == '_' && n > 0 && out[n - 1] == '_'))
			out[n++] = (char)c;
	}
	while (n > 0 && out[n - 1] == '_')
		n--;
	out[n] = '\0';
}

/* The column a header cell names, in English or in French, or C_COUNT. */
static int
header_column(const char *cell)
{
	char key[64];
	int k, j;

	header_key(cell, key, sizeof(key));
	for (k = 0; k < C_COUNT; k++) {
		if (strcmp(key, col_names[k]) == 0)
			return k;
		for (j = 0; j < 3 && col_names_fr[k][j] != NULL; j++)
			if (strcmp(key, col_names_fr[k][j]) == 0)
				return k;
	}
	return C_COUNT;
}

/* Where each column is in the file (-1: absent). */
struct layout {
	int at[C_COUNT];
	size_t ncols;
};

/* One checked line, as the duplicate check needs it. */
struct seen {
	char index[BLIND_INDEX_HEX];
	char category[BK_CATEGORY_MAX];
	long line;
};

static void
add_error(struct svc_import_report *rep, long line, const char *field,
    const char *detail)
{
	struct svc_import_error *e;

	rep->errors_total++;
	if (rep->nerrors >= SVC_IMPORT_ERRORS_MAX)
		return;
	e = &rep->errors[rep->nerrors++];
	e->line = line;
	snprintf(e->field, sizeof(e->field), "%s", field ? field : "");
	snprintf(e->code, sizeof(e->code), "PARAMETRE_INVALIDE");
	snprintf(e->detail, sizeof(e->detail), "%s", detail);
}

/* Reads the header line into *l. Returns 0, or -1 after adding the
 * fault to rep. */
static int
read_header(struct csv_reader *r, struct layout *l,
    struct svc_import_report *rep)
{
	struct csv_record *h = calloc(1, sizeof(*h));
	char why[160];
	size_t i;
	int k, rc = -1;

	for (k = 0; k < C_COUNT; k++)
		l->at[k] = -1;
	if (h == NULL)
		return -1;
	if (csv_next(r, h) != 1 || r->line != 1) {
		add_error(rep, 1, NULL,
		    "La première ligne doit nommer les colonnes : "
		    "neph;nom;prenoms;categorie;boite_de_vitesses;email "
		    "(ou neph;last_name;first_names;category;gearbox;email).");
		goto done;
	}
	l->ncols = h->nf;
	for (i = 0; i < h->nf; i++) {
		k = header_column(h->f[i]);
		if (k == C_COUNT || l->at[k] != -1) {
			add_error(rep, 1, NULL,
			    k == C_COUNT ? "Colonne inconnue dans l'en-tête."
					 : "Colonne en double dans l'en-tête.");
			goto done;
		}
		l->at[k] = (int)i;
	}
	for (k = 0; k < C_EMAIL; k++)
		if (l->at[k] < 0) {
			snprintf(why, sizeof(why),
			    "La colonne « %s » manque dans l'en-tête.",
			    col_names[k]);
			add_error(rep, 1, col_names[k], why);
			goto done;
		}
	rc = 0;
done:
	free(h);
	return rc;
}

static const char *
cell(const struct csv_record *rec, const struct layout *l, enum col k)
{
	return l->at[k] < 0 ? NULL : rec->f[l->at[k]];
}

/* The gearbox as stored: French values (« manuelle », « automatique »,
 * any case) read as their English codes; anything else is left for the
 * check to refuse. */
static const char *
gearbox_value(const char *v)
{
	if (v == NULL)
		return NULL;
	if (strcasecmp(v, "manuelle") == 0 || strcasecmp(v, "manuel") == 0)
		return "manual";
	if (strcasecmp(v, "automatique") == 0)
		return "automatic";
	return v;
}

static const char *
field_detail(const char *field)
{
	if (strcmp(field, "neph") == 0)
		return "NEPH invalide : de 10 à 19 chiffres attendus.";
	if (strcmp(field, "category") == 0)
		return "Catégorie de permis inconnue (B, A, C, D, BE...).";
	if (strcmp(field, "gearbox") == 0)
		return "Boîte de vitesses : « manuelle » ou « automatique »"
		       " (ou « manual », « automatic »).";
	if (strcmp(field, "email") == 0)
		return "Adresse électronique mal formée.";
	if (strcmp(field, "birth_date") == 0)
		return "Date de naissance : une date AAAA-MM-JJ attendue.";
	return "Nom ou prénoms : de 1 à 100 caractères attendus.";
}

/* Checks one record into *in. Returns 0, or -1 after adding its fault. */
static int
check_record(const struct csv_reader *r, const struct csv_record *rec,
    const struct layout *l, struct svc_candidate_in *in,
    struct svc_import_report *rep)
{
	const char *field;

	if (rec->nf != l->ncols) {
		add_error(rep, r->line, NULL,
		    "Nombre de colonnes différent de l'en-tête.");
		return -1;
	}
	if (svc_candidate_parse(in, cell(rec, l, C_NEPH), cell(rec, l, C_LAST),
		cell(rec, l, C_FIRST), cell(rec, l, C_CATEGORY),
		gearbox_value(cell(rec, l, C_GEARBOX)), cell(rec, l, C_EMAIL),
		&field) != BK_OK) {
		add_error(rep, r->line, field, field_detail(field));
		return -1;
	}
	if (svc_birth_date_parse(in->birth_date, cell(rec, l, C_BIRTH)) != 0) {
		add_error(rep, r->line, "birth_date",
		    field_detail("birth_date"));
		return -1;
	}
	return 0;
}

static int
seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->index, y->index);

	if (c == 0)
		c = strcmp(x->category, y->category);
	if (c == 0)
		c = x->line < y->line ? -1 : x->line > y->line;
	return c;
}

/* Sorts by line the faults found out of order (duplicates). */
static int
error_cmp(const void *a, const void *b)
{
	const struct svc_import_error *x = a, *y = b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/*
 * First pass: checks every line, the header and the line count, and
 * that no (NEPH, category) comes twice. Returns 0 when the file can be
 * imported, 1 when refused, -1 on failure.
 */
static int
check_file(const struct svc *s, const char *csv, size_t len,
    struct svc_import_report *rep)
{
	struct csv_reader r;
	struct csv_record *rec = calloc(1, sizeof(*rec));
	struct svc_candidate_in *in = calloc(1, sizeof(*in));
	struct seen *seen = NULL;
	struct layout l;
	size_t n = 0, i;
	int got, rc = -1;

	if (rec == NULL || in == NULL ||
	    (seen = calloc(SVC_IMPORT_LINES_MAX, sizeof(*seen))) == NULL)
		goto done;
	csv_init(&r, csv, len, 0);
	if (read_header(&r, &l, rep) != 0) {
		rc = 1;
		goto done;
	}
	while ((got = csv_next(&r, rec)) != 0) {
		rep->lines++;
		if (rep->lines > SVC_IMPORT_LINES_MAX) {
			add_error(rep, r.line, NULL,
			    "Trop de lignes : 20 000 candidats au plus par "
			    "fichier.");
			break;
		}
		if (got < 0) {
			add_error(rep, r.line, NULL, r.error);
			continue;
		}
		if (check_record(&r, rec, &l, in, rep) != 0)
			continue;
		if (svc_candidate_neph_index(s, in->neph, seen[n].index) != 0)
			goto done;
		memcpy(seen[n].category, in->category, BK_CATEGORY_MAX);
		seen[n].line = r.line;
		n++;
	}
	if (rep->lines == 0)
		add_error(rep, 2, NULL,
		    "Le fichier ne contient aucun candidat.");
	qsort(seen, n, sizeof(*seen), seen_cmp);
	for (i = 1; i < n; i++)
		if (seen_cmp(&seen[i - 1], &seen[i]) != 0 &&
		    strcmp(seen[i - 1].index, seen[i].index) == 0 &&
		    strcmp(seen[i - 1].category, seen[i].category) == 0)
			add_error(rep, seen[i].line, "neph",
			    "Même NEPH et même catégorie qu'une ligne "
			    "précédente.");
	qsort(rep->errors, rep->nerrors, sizeof(rep->errors[0]), error_cmp);
	rc = rep->errors_total > 0 ? 1 : 0;
done:
	if (in != NULL)
		sodium_memzero(in, sizeof(*in));
	if (rec != NULL)
		sodium_memzero(rec, sizeof(*rec));
	free(in);
	free(rec);
	free(seen);
	return rc;
}

/*
 * The import proper, in two steps so that the long work never holds the
 * write lock (an import of 20,000 lines creates 20,000 data keys and
 * seals 80,000 values):
 *
 *  1. prepare, outside any write transaction: each line is looked up by
 *     its NEPH's blind index and sorted into new, changed or unchanged;
 *     new rows are numbered after the highest id, their keys created in
 *     batches (one keystore transaction each), and every new or changed
 *     row is sealed in memory with the updated_at each known row had;
 *  2. apply, in one short write transaction: the rows prepared are
 *     written as they are, each conditional on what step 1 saw (the
 *     highest id unchanged, every known row's updated_at unchanged), with
 *     the audit entry. Anything changed meanwhile rolls it all back and
 *     the import starts again from step 1, a few times at most.
 *
 * All or nothing is kept: nothing is written before step 2, which is one
 * transaction. One import runs at a time in a process (a second one is
 * answered at once); between processes the conditions of step 2 keep
 * them apart.
 */
#define PREPARE_BATCH 500 /* new keys created in one keystore transaction */
#define IMPORT_ATTEMPTS 3

enum staged_kind { STAGED_NEW, STAGED_CHANGED, STAGED_SAME };

struct staged {
	enum staged_kind kind;
	int64_t seen_updated_at; /* of a known row, as read in step 1 */
	struct store_candidate row; /* id always; the rest when not SAME */
};

struct plan {
	struct staged *rows;
	size_t n;
	int64_t max_id; /* the highest id in step 1 */
	long created, updated, unchanged;
};

static void
plan_clear(struct plan *p)
{
	size_t i;

	if (p->rows != NULL)
		for (i = 0; i < p->n; i++)
			store_candidate_clear(&p->rows[i].row);
	free(p->rows);
	memset(p, 0, sizeof(*p));
}

/* The new lines of one batch, waiting for their keys. */
struct pending {
	struct svc_candidate_in in[PREPARE_BATCH];
	size_t at[PREPARE_BATCH]; /* index in plan->rows */
	char owner[PREPARE_BATCH][AUTH_OWNER_MAX];
	const char *owners[PREPARE_BATCH];
	size_t n;
};

/* Creates the keys of the pending new rows in one keystore transaction,
 * then seals them. Returns 0 or -1. */
static int
flush_pending(const struct svc *s, struct plan *p, struct pending *q,
    int64_t now)
{
	struct staged *x;
	size_t i;
	int rc = 0;

	if (q->n == 0)
		return 0;
	for (i = 0; i < q->n; i++) {
		x = &p->rows[q->at[i]];
		if (svc_candidate_owner(x->row.id, q->owner[i],
			sizeof(q->owner[i])) != 0)
			rc = -1;
		q->owners[i] = q->owner[i];
	}
	if (rc == 0)
		rc = keystore_prepare(s->a->ks, q->owners, q->n);
	for (i = 0; rc == 0 && i < q->n; i++) {
		char index[STORE_INDEX_MAX];

		x = &p->rows[q->at[i]];
		memcpy(index, x->row.neph_index, sizeof(index));
		if (svc_candidate_seal(s, x->row.id, &q->in[i], now, &x->row) !=
		    0)
			rc = -1;
		memcpy(x->row.neph_index, index, sizeof(index));
	}
	sodium_memzero(q->in, sizeof(q->in));
	q->n = 0;
	return rc;
}

/* Sorts one checked line into p. Returns 0 or -1. */
static int
prepare_line(const struct svc *s, struct store_conn *c, struct plan *p,
    struct pending *q, const struct svc_candidate_in *in,
    struct svc_candidate *old, int64_t now)
{
	struct store_candidate row = { 0 };
	struct staged *x = &p->rows[p->n];
	char index[BLIND_INDEX_HEX];
	int rc;

	if (svc_candidate_neph_index(s, in->neph, index) != 0)
		return -1;
	rc = store_candidate_find(s->a->st, c, index, in->category, &row);
	x->row.id = row.id;
	x->seen_updated_at = row.updated_at;
	store_candidate_clear(&row);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		x->kind = STAGED_NEW;
		x->row.id = p->max_id + p->created + 1;
		snprintf(x->row.neph_index, sizeof(x->row.neph_index), "%s",
		    index);
		q->in[q->n] = *in;
		q->at[q->n++] = p->n++;
		p->created++;
		return q->n == PREPARE_BATCH ? flush_pending(s, p, q, now) : 0;
	}
	/* Known: rewrite only what changed, so updated_at stays true. */
	if (svc_candidate_open(s, c, x->row.id, old) != 0)
		return -1;
	p->n++;
	if (strcmp(old->last_name, in->last_name) == 0 &&
	    strcmp(old->first_names, in->first_names) == 0 &&
	    strcmp(old->email, in->email) == 0 &&
	    strcmp(old->birth_date, in->birth_date) == 0 &&
	    strcmp(old->gearbox, in->gearbox) == 0) {
		x->kind = STAGED_SAME;
		p->unchanged++;
		return 0;
	}
	x->kind = STAGED_CHANGED;
	p->updated++;
	return svc_candidate_seal(s, x->row.id, in, now, &x->row);
}

/* Step 1 over a file check_file found sound. Returns 0 or -1. */
static int
prepare(const struct svc *s, const char *csv, size_t len, int64_t now,
    long lines, struct plan *p)
{
	struct store_conn *c = store_conn(s->a->st);
	struct csv_record *rec = calloc(1, sizeof(*rec));
	struct svc_candidate_in *in = calloc(1, sizeof(*in));
	struct svc_candidate *old = calloc(1, sizeof(*old));
	struct pending *q = calloc(1, sizeof(*q));
	struct svc_import_report scratch;
	struct csv_reader r;
	struct layout l;
	const char *field;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	p->rows = calloc((size_t)lines, sizeof(*p->rows));
	if (c == NULL || rec == NULL || in == NULL || old == NULL ||
	    q == NULL || p->rows == NULL ||
	    store_candidate_max_id(s->a->st, c, &p->max_id) != 0)
		goto done;
	memset(&scratch, 0, sizeof(scratch));
	csv_init(&r, csv, len, 0);
	if (read_header(&r, &l, &scratch) != 0)
		goto done;
	while (csv_next(&r, rec) == 1) {
		if ((long)p->n >= lines || rec->nf != l.ncols ||
		    svc_candidate_parse(in, cell(rec, &l, C_NEPH),
			cell(rec, &l, C_LAST), cell(rec, &l, C_FIRST),
			cell(rec, &l, C_CATEGORY),
			gearbox_value(cell(rec, &l, C_GEARBOX)),
			cell(rec, &l, C_EMAIL), &field) != BK_OK ||
		    svc_birth_date_parse(in->birth_date,
			cell(rec, &l, C_BIRTH)) != 0 ||
		    prepare_line(s, c, p, q, in, old, now) != 0)
			goto done;
	}
	rc = flush_pending(s, p, q, now);
done:
	if (q != NULL)
		sodium_memzero(q, sizeof(*q));
	if (in != NULL)
		sodium_memzero(in, sizeof(*in));
	if (old != NULL)
		sodium_memzero(old, sizeof(*old));
	if (rec != NULL)
		sodium_memzero(rec, sizeof(*rec));
	free(q);
	free(in);
	free(old);
	free(rec);
	if (rc != 0)
		plan_clear(p);
	return rc;
}

struct apply_arg {
	const struct svc *s;
	const struct svc_actor *who;
	const struct plan *p;
	int64_t now;
	int changed; /* set when something moved since step 1 */
};

/* Step 2: writes the plan if nothing it relies on has changed. */
static int
apply_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct apply_arg *x = arg;
	const struct plan *p = x->p;
	const struct staged *y;
	struct audit_entry e;
	char details[128];
	int64_t max_id;
	size_t i;
	int rc;

	if (store_candidate_max_id(st, c, &max_id) != 0)
		return -1;
	if (max_id != p->max_id) {
		x->changed = 1;
		return 1;
	}
	for (i = 0; i < p->n; i++) {
		y = &p->rows[i];
		if (y->kind == STAGED_NEW)
			rc = store_candidate_insert_sealed(st, c, &y->row);
		else if (y->kind == STAGED_CHANGED)
			rc = store_candidate_write_if(st, c, &y->row,
			    y->seen_updated_at);
		else
			rc = store_candidate_unchanged(st, c, y->row.id,
			    y->seen_updated_at);
		if (rc == 1)
			x->changed = 1;
		if (rc != 0)
			return rc;
	}
	if (p->created > 0 && store_candidate_id_sync(st, c) != 0)
		return -1;
	snprintf(details, sizeof(details),
	    "{\"created\":%ld,\"updated\":%ld,\"unchanged\":%ld}", p->created,
	    p->updated, p->unchanged);
	memset(&e, 0, sizeof(e));
	e.actor = x->who->account_id;
	e.action = "registry.import";
	e.target_type = "registry";
	e.org = x->who->org_id;
	e.ip = x->who->ip;
	e.request_id = x->who->request_id;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	return audit_append(st, c, x->s->a->audit_key, x->now, &e, NULL);
}

static pthread_mutex_t import_lock = PTHREAD_MUTEX_INITIALIZER;

int
svc_registry_import(const struct svc *s, const struct svc_actor *who,
    const char *csv, size_t len, int64_t now, struct svc_import_report *rep)
{
	struct apply_arg x;
	struct plan p;
	int rc, attempt;

	memset(rep, 0, sizeof(*rep));
	if ((rc = check_file(s, csv, len, rep)) != 0)
		return rc;
	if (pthread_mutex_trylock(&import_lock) != 0)
		return SVC_IMPORT_BUSY;
	rc = -1;
	for (attempt = 0; attempt < IMPORT_ATTEMPTS; attempt++) {
		if (prepare(s, csv, len, now, rep->lines, &p) != 0)
			break;
		memset(&x, 0, sizeof(x));
		x.s = s;
		x.who = who;
		x.p = &p;
		x.now = now;
		rc = store_tx(s->a->st, 1, apply_tx, &x);
		if (rc == 0) {
			rep->created = p.created;
			rep->updated = p.updated;
			rep->unchanged = p.unchanged;
		}
		plan_clear(&p);
		if (rc == 0 || !x.changed) {
			rc = rc == 0 ? 0 : -1;
			break;
		}
		rc = SVC_IMPORT_CHANGED;
	}
	pthread_mutex_unlock(&import_lock);
	return rc;
}
