/* registry.c (service) - importing the candidate registry from CSV. */
#include "service/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "core/csv.h"
#include "crypto/field.h"
#include "service/candidates.h"
#include "store/candidates.h"
#include "store/driver.h"

enum col { C_NEPH, C_LAST, C_FIRST, C_CATEGORY, C_GEARBOX, C_EMAIL, C_COUNT };

static const char *const col_names[C_COUNT] = { "neph", "last_name",
	"first_names", "category", "gearbox", "email" };

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
		    "neph;last_name;first_names;category;gearbox;email.");
		goto done;
	}
	l->ncols = h->nf;
	for (i = 0; i < h->nf; i++) {
		for (k = 0; k < C_COUNT; k++)
			if (strcasecmp(h->f[i], col_names[k]) == 0)
				break;
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

static const char *
field_detail(const char *field)
{
	if (strcmp(field, "neph") == 0)
		return "NEPH invalide : de 10 à 19 chiffres attendus.";
	if (strcmp(field, "category") == 0)
		return "Catégorie de permis inconnue (B, A, C, D, BE...).";
	if (strcmp(field, "gearbox") == 0)
		return "Boîte de vitesses : « manual » ou « automatic ».";
	if (strcmp(field, "email") == 0)
		return "Adresse électronique mal formée.";
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
		cell(rec, l, C_GEARBOX), cell(rec, l, C_EMAIL),
		&field) != BK_OK) {
		add_error(rep, r->line, field, field_detail(field));
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

struct import_arg {
	const struct svc *s;
	const struct svc_actor *who;
	const char *csv;
	size_t len;
	int64_t now;
	struct svc_import_report *rep;
	struct csv_record *rec;
	struct svc_candidate_in *in;
	struct svc_candidate *old;
};

/* Writes one checked line. Returns 0 or -1. */
static int
import_one(struct import_arg *x, struct store_conn *c)
{
	struct store_candidate row = { 0 };
	char index[BLIND_INDEX_HEX];
	int64_t id;
	int rc;

	if (svc_candidate_neph_index(x->s, x->in->neph, index) != 0)
		return -1;
	rc = store_candidate_find(x->s->a->st, c, index, x->in->category, &row);
	id = row.id;
	store_candidate_clear(&row);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (store_candidate_insert(x->s->a->st, c, index,
			x->in->category, x->in->gearbox, x->now, &id) != 0 ||
		    svc_candidate_store(x->s, c, id, x->in, x->now) != 0)
			return -1;
		x->rep->created++;
		return 0;
	}
	/* Known: rewrite only what changed, so updated_at stays true. */
	rc = svc_candidate_open(x->s, c, id, x->old);
	if (rc < 0)
		return -1;
	if (rc == 0 && strcmp(x->old->last_name, x->in->last_name) == 0 &&
	    strcmp(x->old->first_names, x->in->first_names) == 0 &&
	    strcmp(x->old->email, x->in->email) == 0 &&
	    strcmp(x->old->gearbox, x->in->gearbox) == 0) {
		x->rep->unchanged++;
		return 0;
	}
	if (svc_candidate_store(x->s, c, id, x->in, x->now) != 0)
		return -1;
	x->rep->updated++;
	return 0;
}

static int
import_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct import_arg *x = arg;
	struct csv_reader r;
	struct layout l;
	struct audit_entry e;
	char details[128];
	const char *field;

	x->rep->created = x->rep->updated = x->rep->unchanged = 0;
	csv_init(&r, x->csv, x->len, 0);
	/* Second pass over a file the first found sound. */
	if (read_header(&r, &l, x->rep) != 0)
		return -1;
	while (csv_next(&r, x->rec) == 1) {
		if (x->rec->nf != l.ncols ||
		    svc_candidate_parse(x->in, cell(x->rec, &l, C_NEPH),
			cell(x->rec, &l, C_LAST), cell(x->rec, &l, C_FIRST),
			cell(x->rec, &l, C_CATEGORY),
			cell(x->rec, &l, C_GEARBOX), cell(x->rec, &l, C_EMAIL),
			&field) != BK_OK ||
		    import_one(x, c) != 0)
			return -1;
	}
	snprintf(details, sizeof(details),
	    "{\"created\":%ld,\"updated\":%ld,\"unchanged\":%ld}",
	    x->rep->created, x->rep->updated, x->rep->unchanged);
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

int
svc_registry_import(const struct svc *s, const struct svc_actor *who,
    const char *csv, size_t len, int64_t now, struct svc_import_report *rep)
{
	struct import_arg x;
	int rc;

	memset(rep, 0, sizeof(*rep));
	if ((rc = check_file(s, csv, len, rep)) != 0)
		return rc;
	memset(&x, 0, sizeof(x));
	x.s = s;
	x.who = who;
	x.csv = csv;
	x.len = len;
	x.now = now;
	x.rep = rep;
	x.rec = calloc(1, sizeof(*x.rec));
	x.in = calloc(1, sizeof(*x.in));
	x.old = calloc(1, sizeof(*x.old));
	rc = -1;
	if (x.rec != NULL && x.in != NULL && x.old != NULL)
		rc = store_tx(s->a->st, 1, import_tx, &x) == 0 ? 0 : -1;
	if (rc != 0)
		rep->created = rep->updated = rep->unchanged = 0;
	if (x.rec != NULL)
		sodium_memzero(x.rec, sizeof(*x.rec));
	if (x.in != NULL)
		sodium_memzero(x.in, sizeof(*x.in));
	if (x.old != NULL)
		sodium_memzero(x.old, sizeof(*x.old));
	free(x.rec);
	free(x.in);
	free(x.old);
	return rc;
}
