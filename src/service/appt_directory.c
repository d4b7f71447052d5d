/* appt_directory.c - the public directory of online booking. */
#include "service/appt_directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "store/appt_directory.h"
#include "store/driver.h"

/* Organisations read before sorting: every match of a department, so
 * those at the postcode asked come first whatever their name; past this
 * many (more than any department has), the rest are left out. */
#define SEEN_MAX 2000

struct dir_tx {
	const struct appt_area *area;
	struct svc_appt_dir_org *out; /* grows up to SEEN_MAX */
	size_t cap, n;
};

static int
dir_row(void *arg, const struct store_appt_dir_row *r)
{
	struct dir_tx *t = arg;
	struct svc_appt_dir_org *o;
	int match = appt_area_match(t->area, r->address);

	if (match == 0)
		return 0;
	/* Rows come by organisation: a new id starts a new entry. */
	o = t->n > 0 ? &t->out[t->n - 1] : NULL;
	if (o == NULL || strcmp(o->id, r->org_id) != 0) {
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 64;
			struct svc_appt_dir_org *v;

			if (t->cap >= SEEN_MAX)
				return 0; /* the rest cannot be shown */
			if (cap > SEEN_MAX)
				cap = SEEN_MAX;
			if ((v = realloc(t->out, cap * sizeof(*v))) == NULL)
				return -1;
			t->out = v;
			t->cap = cap;
		}
		o = &t->out[t->n++];
		memset(o, 0, sizeof(*o));
		snprintf(o->id, sizeof(o->id), "%s", r->org_id);
		snprintf(o->name, sizeof(o->name), "%s", r->org_name);
	}
	if (match > o->match)
		o->match = match;
	if (o->n_places < SVC_APPT_DIR_PLACES_MAX) {
		snprintf(o->places[o->n_places].name, sizeof(o->places[0].name),
		    "%s", r->place_name);
		snprintf(o->places[o->n_places].address,
		    sizeof(o->places[0].address), "%s", r->address);
		o->n_places++;
	}
	return 0;
}

static int
dir_tx(struct store *st, struct store_conn *c, void *arg)
{
	return store_appt_directory(st, c, dir_row, arg);
}

static int
by_match_then_name(const void *a, const void *b)
{
	const struct svc_appt_dir_org *x = a, *y = b;
	int d = y->match - x->match;

	if (d == 0)
		d = strcmp(x->name, y->name);
	return d != 0 ? d : strcmp(x->id, y->id);
}

int
svc_appt_directory(const struct svc *s, const struct appt_area *area,
    struct svc_appt_dir_org *out, size_t max, size_t *n)
{
	struct dir_tx t = { area, NULL, 0, 0 };

	*n = 0;
	if (store_tx(s->a->st, 0, dir_tx, &t) != 0) {
		free(t.out);
		return -1;
	}
	/* Sorted before the first max are kept: a match at the postcode
	 * is never cut for names earlier in the alphabet. */
	if (t.n > 1) /* t.out is NULL when nothing matched */
		qsort(t.out, t.n, sizeof(*t.out), by_match_then_name);
	*n = t.n < max ? t.n : max;
	if (*n > 0)
		memcpy(out, t.out, *n * sizeof(*out));
	free(t.out);
	return 0;
}

struct name_tx {
	const char *org_id;
	struct store_org org;
};

static int
name_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct name_tx *t = arg;

	return store_org_get(st, c, t->org_id, &t->org);
}

int
svc_appt_org_name(const struct svc *s, const char *org_id,
    char name[STORE_ORG_NAME_MAX])
{
	struct name_tx t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.org_id = org_id;
	rc = store_tx(s->a->st, 0, name_tx, &t);
	if (rc != 0)
		return rc < 0 ? -1 : 1;
	if (strcmp(t.org.kind, "service") != 0)
		return 1;
	snprintf(name, STORE_ORG_NAME_MAX, "%s", t.org.name);
	return 0;
}
