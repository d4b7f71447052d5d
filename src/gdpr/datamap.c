/* datamap.c - the declared data map: loading, validation, columns check. */
#include "gdpr/datamap.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

static const char *const field_keys[DATAMAP_NFIELDS] = {
	"name",
	"purposes",
	"legal_basis",
	"data_subjects",
	"data_categories",
	"recipients",
	"processors",
	"transfers",
	"retention",
	"security_measures",
};

static const char *const field_labels[DATAMAP_NFIELDS] = {
	"Nom du traitement",
	"Finalités",
	"Base légale",
	"Personnes concernées",
	"Catégories de données",
	"Destinataires",
	"Sous-traitants",
	"Transferts hors de l'Union européenne",
	"Durée de conservation",
	"Mesures de sécurité",
};

/* The kinds of organisation (auth/account.c keeps the same list). */
static const char *const org_kind_names[] = { "platform", "school", "authority",
	"service", "association", "tenant", NULL };

static const char *const kind_names[] = {
	"time",
	"event",
	"inactivity",
	"legal_hold",
};

static const struct {
	const char *code, *label;
} bases[] = {
	{ "6.1.a", "Art. 6.1.a RGPD : consentement de la personne" },
	{ "6.1.b",
	    "Art. 6.1.b RGPD : exécution d'un contrat ou de mesures précontractuelles" },
	{ "6.1.c", "Art. 6.1.c RGPD : respect d'une obligation légale" },
	{ "6.1.d", "Art. 6.1.d RGPD : sauvegarde des intérêts vitaux" },
	{ "6.1.e", "Art. 6.1.e RGPD : mission d'intérêt public" },
	{ "6.1.f",
	    "Art. 6.1.f RGPD : intérêts légitimes du responsable du traitement" },
	{ "9.2.a", "Art. 9.2.a RGPD : consentement explicite" },
	{ "9.2.b",
	    "Art. 9.2.b RGPD : obligations en matière de droit du travail et de protection sociale" },
	{ "9.2.c", "Art. 9.2.c RGPD : sauvegarde des intérêts vitaux" },
	{ "9.2.d",
	    "Art. 9.2.d RGPD : activités d'une fondation ou association sans but lucratif" },
	{ "9.2.e",
	    "Art. 9.2.e RGPD : données manifestement rendues publiques" },
	{ "9.2.f",
	    "Art. 9.2.f RGPD : constatation, exercice ou défense de droits en justice" },
	{ "9.2.g", "Art. 9.2.g RGPD : motifs d'intérêt public important" },
	{ "9.2.h",
	    "Art. 9.2.h RGPD : médecine préventive ou médecine du travail" },
	{ "9.2.i",
	    "Art. 9.2.i RGPD : intérêt public dans le domaine de la santé publique" },
	{ "9.2.j",
	    "Art. 9.2.j RGPD : archives, recherche scientifique ou statistiques" },
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

const char *
datamap_field_key(enum datamap_field f)
{
	return (unsigned)f < DATAMAP_NFIELDS ? field_keys[f] : "";
}

const char *
datamap_field_label(enum datamap_field f)
{
	return (unsigned)f < DATAMAP_NFIELDS ? field_labels[f] : "";
}

const char *
datamap_kind_name(int kind)
{
	if (kind < 0 ||
	    (size_t)kind >= sizeof(kind_names) / sizeof(*kind_names))
		return "";
	return kind_names[kind];
}

const char *
datamap_basis_label(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++)
		if (strcmp(bases[i].code, code) == 0)
			return bases[i].label;
	return NULL;
}

/* An id is 1 to DATAMAP_MAX_ID bytes of [a-z0-9_-]. */
static int
valid_id(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > DATAMAP_MAX_ID)
		return 0;
	for (i = 0; i < n; i++)
		if (!(islower((unsigned char)s[i]) ||
			isdigit((unsigned char)s[i]) || s[i] == '_' ||
			s[i] == '-'))
			return 0;
	return 1;
}

/* A column name is "table.column", each an identifier of [a-z0-9_]. */
static int
valid_column_name(const char *s)
{
	const char *dot = strchr(s, '.');
	size_t i, n = strlen(s);

	if (dot == NULL || dot == s || dot[1] == '\0' || n > DATAMAP_MAX_ID)
		return 0;
	for (i = 0; i < n; i++)
		if (s + i != dot &&
		    !(islower((unsigned char)s[i]) ||
			isdigit((unsigned char)s[i]) || s[i] == '_'))
			return 0;
	return 1;
}

/* Sets *dst to a copy of v, or appends " v" to it (an indented line
 * continues the previous value). Returns 0, or -1 when too long or out of
 * memory. */
static int
text_add(char **dst, const char *v)
{
	size_t have, n = strlen(v);
	char *p;

	if (*dst == NULL) {
		if (n > DATAMAP_MAX_VALUE)
			return -1;
		*dst = strdup(v);
		return *dst == NULL ? -1 : 0;
	}
	have = strlen(*dst);
	if (have + 1 + n > DATAMAP_MAX_VALUE)
		return -1;
	if ((p = realloc(*dst, have + n + 2)) == NULL)
		return -1;
	p[have] = ' ';
	memcpy(p + have + 1, v, n + 1);
	*dst = p;
	return 0;
}

struct parse_state {
	struct datamap *map;
	char err[512];
	int failed;
};

static int
state_fail(struct parse_state *st, const char *section, const char *key,
    const char *what)
{
	if (!st->failed)
		snprintf(st->err, sizeof(st->err), "datamap: [%s] %s: %s",
		    section, key, what);
	st->failed = 1;
	return 0;
}

static struct datamap_activity *
activity_get(struct datamap *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->nactivities; i++)
		if (strcmp(m->activities[i].id, id) == 0)
			return &m->activities[i];
	if (m->nactivities == DATAMAP_MAX_ACTIVITIES)
		return NULL;
	if ((m->activities[i].id = strdup(id)) == NULL)
		return NULL;
	m->nactivities++;
	return &m->activities[i];
}

static struct datamap_category *
category_get(struct datamap *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->ncategories; i++)
		if (strcmp(m->categories[i].id, id) == 0)
			return &m->categories[i];
	if (m->ncategories == DATAMAP_MAX_CATEGORIES)
		return NULL;
	if ((m->categories[i].id = strdup(id)) == NULL)
		return NULL;
	m->categories[i].sensitive = -1;
	m->ncategories++;
	return &m->categories[i];
}

static struct datamap_retention *
retention_get(struct datamap *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->nretentions; i++)
		if (strcmp(m->retentions[i].id, id) == 0)
			return &m->retentions[i];
	if (m->nretentions == DATAMAP_MAX_RETENTIONS)
		return NULL;
	if ((m->retentions[i].id = strdup(id)) == NULL)
		return NULL;
	m->retentions[i].kind = -1;
	m->nretentions++;
	return &m->retentions[i];
}

/* Parses "N days" or "N months" (also "day", "month"). Returns 0 or -1. */
static int
duration_parse(const char *v, struct datamap_duration *d)
{
	char *end;
	long n;

	errno = 0;
	if (!isdigit((unsigned char)v[0]))
		return -1;
	n = strtol(v, &end, 10);
	if (errno != 0 || n < 0 || n > DATAMAP_MAX_DURATION || end == v)
		return -1;
	while (*end == ' ')
		end++;
	if (strcmp(end, "days") == 0 || strcmp(end, "day") == 0)
		d->unit = DATAMAP_DAYS;
	else if (strcmp(end, "months") == 0 || strcmp(end, "month") == 0)
		d->unit = DATAMAP_MONTHS;
	else
		return -1;
	d->value = (int)n;
	d->set = 1;
	return 0;
}

/* Splits a comma list into copies of its trimmed ids. Returns 0, or -1
 * with what set to the reason. */
static int
list_split(const char *v, char **out, size_t *n, const char **what)
{
	const char *p = v, *end, *comma;
	char id[DATAMAP_MAX_ID + 1];
	size_t len;

	*n = 0;
	while (*p != '\0') {
		comma = strchr(p, ',');
		end = comma ? comma : p + strlen(p);
		while (p < end && isspace((unsigned char)*p))
			p++;
		len = (size_t)(end - p);
		while (len > 0 && isspace((unsigned char)p[len - 1]))
			len--;
		if (len == 0 || len > DATAMAP_MAX_ID) {
			*what = "an empty or over-long item in the list";
			return -1;
		}
		if (*n == DATAMAP_MAX_LIST) {
			*what = "too many items in the list";
			return -1;
		}
		memcpy(id, p, len);
		id[len] = '\0';
		if ((out[*n] = strdup(id)) == NULL) {
			*what = "out of memory";
			return -1;
		}
		(*n)++;
		p = comma ? comma + 1 : end;
	}
	return 0;
}

static int
on_controller(struct parse_state *st, const char *section, const char *name,
    const char *value)
{
	struct datamap_controller *c = &st->map->controller;
	char **dst;

	if (strcmp(name, "name") == 0)
		dst = &c->name;
	else if (strcmp(name, "address") == 0)
		dst = &c->address;
	else if (strcmp(name, "contact") == 0)
		dst = &c->contact;
	else if (strcmp(name, "dpo") == 0)
		dst = &c->dpo;
	else
		return state_fail(st, section, name, "unknown key");
	if (text_add(dst, value) != 0)
		return state_fail(st, section, name, "value too long");
	return 1;
}

static int
on_activity(struct parse_state *st, const char *section, const char *id,
    const char *name, const char *value)
{
	struct datamap_activity *a = activity_get(st->map, id);
	size_t f;

	if (a == NULL)
		return state_fail(st, section, name,
		    "too many activities or out of memory");
	if (strcmp(name, "org_kinds") == 0) {
		if (text_add(&a->org_kinds_text, value) != 0)
			return state_fail(st, section, name, "value too long");
		return 1;
	}
	for (f = 0; f < DATAMAP_NFIELDS; f++)
		if (strcmp(name, field_keys[f]) == 0)
			break;
	if (f == DATAMAP_NFIELDS)
		return state_fail(st, section, name, "unknown key");
	if (text_add(&a->field[f], value) != 0)
		return state_fail(st, section, name, "value too long");
	return 1;
}

static int
on_category(struct parse_state *st, const char *section, const char *id,
    const char *name, const char *value)
{
	struct datamap_category *c = category_get(st->map, id);

	if (c == NULL)
		return state_fail(st, section, name,
		    "too many categories or out of memory");
	if (strcmp(name, "label") == 0) {
		if (text_add(&c->label, value) != 0)
			return state_fail(st, section, name, "value too long");
	} else if (strcmp(name, "retention") == 0) {
		if (text_add(&c->retention, value) != 0)
			return state_fail(st, section, name, "value too long");
	} else if (strcmp(name, "sensitive") == 0) {
		if (strcmp(value, "yes") == 0)
			c->sensitive = 1;
		else if (strcmp(value, "no") == 0)
			c->sensitive = 0;
		else
			return state_fail(st, section, name,
			    "must be yes or no");
	} else {
		return state_fail(st, section, name, "unknown key");
	}
	return 1;
}

static int
on_retention(struct parse_state *st, const char *section, const char *id,
    const char *name, const char *value)
{
	struct datamap_retention *r = retention_get(st->map, id);
	struct datamap_duration *d = NULL;
	size_t k;

	if (r == NULL)
		return state_fail(st, section, name,
		    "too many retention rules or out of memory");
	if (strcmp(name, "label") == 0) {
		if (text_add(&r->label, value) != 0)
			return state_fail(st, section, name, "value too long");
		return 1;
	}
	if (strcmp(name, "event_label") == 0) {
		if (text_add(&r->event_label, value) != 0)
			return state_fail(st, section, name, "value too long");
		return 1;
	}
	if (strcmp(name, "event") == 0) {
		if (r->event != NULL || !valid_id(value))
			return state_fail(st, section, name,
			    "must be one event name of [a-z0-9_-]");
		if ((r->event = strdup(value)) == NULL)
			return state_fail(st, section, name, "out of memory");
		return 1;
	}
	if (strcmp(name, "kind") == 0) {
		for (k = 0; k < sizeof(kind_names) / sizeof(*kind_names); k++)
			if (strcmp(value, kind_names[k]) == 0)
				break;
		if (k == sizeof(kind_names) / sizeof(*kind_names))
			return state_fail(st, section, name,
			    "must be time, event, inactivity or legal_hold");
		r->kind = (int)k;
		return 1;
	}
	if (strcmp(name, "duration") == 0)
		d = &r->duration;
	else if (strcmp(name, "grace") == 0)
		d = &r->grace;
	else if (strcmp(name, "max_duration") == 0)
		d = &r->max_duration;
	else if (strcmp(name, "idle") == 0)
		d = &r->idle;
	else if (strcmp(name, "tenant_min") == 0)
		d = &r->tenant_min;
	else if (strcmp(name, "tenant_max") == 0)
		d = &r->tenant_max;
	else
		return state_fail(st, section, name, "unknown key");
	if (d->set || duration_parse(value, d) != 0)
		return state_fail(st, section, name,
		    "must be given once as \"N days\" or \"N months\"");
	return 1;
}

static int
on_policy(struct parse_state *st, const char *section, const char *name,
    const char *value)
{
	struct datamap_policy *p = &st->map->policy;
	char **dst;

	if (strcmp(name, "version") == 0)
		dst = &p->version;
	else if (strcmp(name, "date") == 0)
		dst = &p->date;
	else
		return state_fail(st, section, name, "unknown key");
	if (text_add(dst, value) != 0)
		return state_fail(st, section, name, "value too long");
	return 1;
}

static int
on_consent(struct parse_state *st, const char *section, const char *id,
    const char *name, const char *value)
{
	struct datamap *m = st->map;
	struct datamap_consent *c = NULL;
	size_t i;

	for (i = 0; i < m->nconsents; i++)
		if (strcmp(m->consents[i].id, id) == 0)
			c = &m->consents[i];
	if (c == NULL) {
		if (m->nconsents == DATAMAP_MAX_CONSENTS ||
		    (m->consents[m->nconsents].id = strdup(id)) == NULL)
			return state_fail(st, section, name,
			    "too many consent purposes or out of memory");
		c = &m->consents[m->nconsents++];
	}
	if (strcmp(name, "label") == 0) {
		if (text_add(&c->label, value) != 0)
			return state_fail(st, section, name, "value too long");
	} else if (strcmp(name, "description") == 0) {
		if (text_add(&c->description, value) != 0)
			return state_fail(st, section, name, "value too long");
	} else {
		return state_fail(st, section, name, "unknown key");
	}
	return 1;
}

static int
on_column(struct parse_state *st, const char *section, const char *name,
    const char *value)
{
	struct datamap *m = st->map;
	struct datamap_column *c;
	size_t i;

	if (!valid_column_name(name))
		return state_fail(st, section, name, "not a table.column name");
	if (strcmp(value, "none") != 0 && !valid_id(value))
		return state_fail(st, section, name,
		    "must be none or a category id");
	for (i = 0; i < m->ncolumns; i++)
		if (strcmp(m->columns[i].name, name) == 0)
			return state_fail(st, section, name,
			    "declared twice (or continued on an indented "
			    "line)");
	if (m->ncolumns == DATAMAP_MAX_COLUMNS)
		return state_fail(st, section, name, "too many columns");
	c = &m->columns[m->ncolumns];
	c->name = strdup(name);
	c->category = strdup(value);
	m->ncolumns++;
	if (c->name == NULL || c->category == NULL)
		return state_fail(st, section, name, "out of memory");
	return 1;
}

static int
on_entry(void *user, const char *section, const char *name, const char *value)
{
	struct parse_state *st = user;
	const char *colon = strchr(section, ':');
	const char *id = colon ? colon + 1 : "";
	size_t plen = colon ? (size_t)(colon - section) : strlen(section);

	if (st->failed || name == NULL || value == NULL)
		return 0;
	if (strcmp(section, "controller") == 0)
		return on_controller(st, section, name, value);
	if (strcmp(section, "columns") == 0)
		return on_column(st, section, name, value);
	if (strcmp(section, "policy") == 0)
		return on_policy(st, section, name, value);
	if (colon == NULL)
		return state_fail(st, section, name, "unknown section");
	if (!valid_id(id))
		return state_fail(st, section, name,
		    "the section id must be 1 to 63 characters of [a-z0-9_-]");
	if (plen == 8 && strncmp(section, "activity", plen) == 0)
		return on_activity(st, section, id, name, value);
	if (plen == 8 && strncmp(section, "category", plen) == 0)
		return on_category(st, section, id, name, value);
	if (plen == 9 && strncmp(section, "retention", plen) == 0)
		return on_retention(st, section, id, name, value);
	if (plen == 7 && strncmp(section, "consent", plen) == 0)
		return on_consent(st, section, id, name, value);
	return state_fail(st, section, name, "unknown section");
}

/* Splits the list fields of every activity once the file is read (an
 * indented line may have continued them). */
static int
split_lists(struct datamap *m, char *err, size_t errlen)
{
	struct datamap_activity *a;
	const char *what = NULL;
	size_t i;

	for (i = 0; i < m->nactivities; i++) {
		a = &m->activities[i];
		if (a->field[DATAMAP_DATA_CATEGORIES] != NULL &&
		    list_split(a->field[DATAMAP_DATA_CATEGORIES], a->categories,
			&a->ncategories, &what) != 0)
			return fail(err, errlen,
			    "datamap: [activity:%s] data_categories: %s", a->id,
			    what);
		if (a->field[DATAMAP_LEGAL_BASIS] != NULL &&
		    list_split(a->field[DATAMAP_LEGAL_BASIS], a->bases,
			&a->nbases, &what) != 0)
			return fail(err, errlen,
			    "datamap: [activity:%s] legal_basis: %s", a->id,
			    what);
		if (a->org_kinds_text != NULL &&
		    list_split(a->org_kinds_text, a->org_kinds, &a->norg_kinds,
			&what) != 0)
			return fail(err, errlen,
			    "datamap: [activity:%s] org_kinds: %s", a->id,
			    what);
	}
	return 0;
}

/* Refuses a line libinih would cut. Returns 0, or -1 naming the line. */
static int
check_lines(const char *text, size_t len, char *err, size_t errlen)
{
	size_t i, start = 0, line = 1;

	for (i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		if (i - start > DATAMAP_MAX_LINE)
			return fail(err, errlen,
			    "datamap: line %zu: longer than %d bytes (continue "
			    "the value on an indented line)",
			    line, DATAMAP_MAX_LINE);
		start = i + 1;
		line++;
	}
	if (memchr(text, '\0', len) != NULL)
		return fail(err, errlen, "datamap: a NUL byte in the file");
	return 0;
}

struct datamap *
datamap_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct parse_state st;
	struct datamap *m = NULL;
	char *copy = NULL;
	int line;

	if (len > DATAMAP_MAX_FILE_BYTES) {
		fail(err, errlen, "datamap: over %d bytes",
		    DATAMAP_MAX_FILE_BYTES);
		goto fail;
	}
	if (check_lines(text, len, err, errlen) != 0)
		goto fail;
	if ((copy = malloc(len + 1)) == NULL ||
	    (m = calloc(1, sizeof(*m))) == NULL) {
		fail(err, errlen, "datamap: out of memory");
		goto fail;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	memset(&st, 0, sizeof(st));
	st.map = m;
	line = ini_parse_string(copy, on_entry, &st);
	if (st.failed) {
		fail(err, errlen, "%s", st.err);
		goto fail;
	}
	if (line != 0) {
		if (line < 0)
			fail(err, errlen, "datamap: out of memory");
		else
			fail(err, errlen,
			    "datamap: line %d: not a 'key = value' line nor a "
			    "[section]",
			    line);
		goto fail;
	}
	if (split_lists(m, err, errlen) != 0)
		goto fail;
	free(copy);
	return m;
fail:
	free(copy);
	datamap_free(m);
	return NULL;
}

struct datamap *
datamap_load(const char *path, char *err, size_t errlen)
{
	struct datamap *m = NULL;
	char *text = NULL;
	size_t len;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		fail(err, errlen, "datamap: %s: %s", path, strerror(errno));
		return NULL;
	}
	if ((text = malloc(DATAMAP_MAX_FILE_BYTES + 1)) == NULL) {
		fail(err, errlen, "datamap: out of memory");
		goto done;
	}
	len = fread(text, 1, DATAMAP_MAX_FILE_BYTES + 1, f);
	if (ferror(f))
		fail(err, errlen, "datamap: %s: read error", path);
	else
		m = datamap_parse(text, len, err, errlen);
done:
	free(text);
	fclose(f);
	return m;
}

static void
activity_clear(struct datamap_activity *a)
{
	size_t i;

	free(a->id);
	for (i = 0; i < DATAMAP_NFIELDS; i++)
		free(a->field[i]);
	for (i = 0; i < a->ncategories; i++)
		free(a->categories[i]);
	for (i = 0; i < a->nbases; i++)
		free(a->bases[i]);
	free(a->org_kinds_text);
	for (i = 0; i < a->norg_kinds; i++)
		free(a->org_kinds[i]);
}

int
datamap_activity_for_kind(const struct datamap_activity *a, const char *kind)
{
	size_t i;

	if (a->norg_kinds == 0)
		return 1;
	for (i = 0; i < a->norg_kinds; i++)
		if (strcmp(a->org_kinds[i], kind) == 0)
			return 1;
	return 0;
}

void
datamap_free(struct datamap *m)
{
	size_t i;

	if (m == NULL)
		return;
	free(m->controller.name);
	free(m->controller.address);
	free(m->controller.contact);
	free(m->controller.dpo);
	for (i = 0; i < m->nactivities; i++)
		activity_clear(&m->activities[i]);
	for (i = 0; i < m->ncategories; i++) {
		free(m->categories[i].id);
		free(m->categories[i].label);
		free(m->categories[i].retention);
	}
	for (i = 0; i < m->nretentions; i++) {
		free(m->retentions[i].id);
		free(m->retentions[i].label);
		free(m->retentions[i].event);
		free(m->retentions[i].event_label);
	}
	for (i = 0; i < m->ncolumns; i++) {
		free(m->columns[i].name);
		free(m->columns[i].category);
	}
	free(m->policy.version);
	free(m->policy.date);
	for (i = 0; i < m->nconsents; i++) {
		free(m->consents[i].id);
		free(m->consents[i].label);
		free(m->consents[i].description);
	}
	free(m);
}

const struct datamap_category *
datamap_category_find(const struct datamap *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->ncategories; i++)
		if (strcmp(m->categories[i].id, id) == 0)
			return &m->categories[i];
	return NULL;
}

const struct datamap_retention *
datamap_retention_find(const struct datamap *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->nretentions; i++)
		if (strcmp(m->retentions[i].id, id) == 0)
			return &m->retentions[i];
	return NULL;
}

const struct datamap_consent *
datamap_consent_find(const struct datamap *m, const char *id)
{
	size_t i;

	for (i = 0; i < m->nconsents; i++)
		if (strcmp(m->consents[i].id, id) == 0)
			return &m->consents[i];
	return NULL;
}

/* A value is present when it holds something other than blanks. */
static int
present(const char *s)
{
	if (s == NULL)
		return 0;
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return 1;
	return 0;
}

static int
validate_controller(const struct datamap *m, char *err, size_t errlen)
{
	const struct datamap_controller *c = &m->controller;
	const char *keys[] = { "name", "address", "contact", "dpo" };
	const char *vals[] = { c->name, c->address, c->contact, c->dpo };
	size_t i;

	for (i = 0; i < 4; i++)
		if (!present(vals[i]))
			return fail(err, errlen,
			    "datamap: [controller] %s: missing or empty (the "
			    "organisation deploying Créneau must fill it in)",
			    keys[i]);
	return 0;
}

static int
validate_bases(const struct datamap_activity *a, int sensitive, char *err,
    size_t errlen)
{
	int art6 = 0, art9 = 0;
	size_t i;

	for (i = 0; i < a->nbases; i++) {
		if (datamap_basis_label(a->bases[i]) == NULL)
			return fail(err, errlen,
			    "datamap: [activity:%s] legal_basis: \"%s\" is not "
			    "one of 6.1.a-6.1.f, 9.2.a-9.2.j",
			    a->id, a->bases[i]);
		if (a->bases[i][0] == '6')
			art6 = 1;
		else
			art9 = 1;
	}
	if (!art6)
		return fail(err, errlen,
		    "datamap: [activity:%s] legal_basis: an Art. 6 basis "
		    "(6.1.a-6.1.f) is required",
		    a->id);
	if (sensitive && !art9)
		return fail(err, errlen,
		    "datamap: [activity:%s] legal_basis: sensitive data "
		    "needs an Art. 9 basis (9.2.a-9.2.j) too",
		    a->id);
	return 0;
}

static int
validate_activity(const struct datamap *m, const struct datamap_activity *a,
    char *err, size_t errlen)
{
	const struct datamap_category *c;
	int sensitive = 0;
	size_t f, i, j;

	for (f = 0; f < DATAMAP_NFIELDS; f++)
		if (!present(a->field[f]))
			return fail(err, errlen,
			    "datamap: [activity:%s] %s: missing or empty",
			    a->id, field_keys[f]);
	for (i = 0; i < a->ncategories; i++) {
		if ((c = datamap_category_find(m, a->categories[i])) == NULL)
			return fail(err, errlen,
			    "datamap: [activity:%s] data_categories: no "
			    "[category:%s]",
			    a->id, a->categories[i]);
		for (j = 0; j < i; j++)
			if (strcmp(a->categories[j], a->categories[i]) == 0)
				return fail(err, errlen,
				    "datamap: [activity:%s] data_categories: "
				    "%s listed twice",
				    a->id, a->categories[i]);
		if (c->sensitive == 1)
			sensitive = 1;
	}
	if (datamap_retention_find(m, a->field[DATAMAP_RETENTION]) == NULL)
		return fail(err, errlen,
		    "datamap: [activity:%s] retention: no [retention:%s]",
		    a->id, a->field[DATAMAP_RETENTION]);
	for (i = 0; i < a->norg_kinds; i++) {
		for (j = 0; org_kind_names[j] != NULL; j++)
			if (strcmp(org_kind_names[j], a->org_kinds[i]) == 0)
				break;
		if (org_kind_names[j] == NULL)
			return fail(err, errlen,
			    "datamap: [activity:%s] org_kinds: \"%s\" is not "
			    "a kind of organisation (school, authority, "
			    "service, association, tenant, platform)",
			    a->id, a->org_kinds[i]);
	}
	return validate_bases(a, sensitive, err, errlen);
}

static int
category_used(const struct datamap *m, const char *id)
{
	size_t i, j;

	for (i = 0; i < m->nactivities; i++)
		for (j = 0; j < m->activities[i].ncategories; j++)
			if (strcmp(m->activities[i].categories[j], id) == 0)
				return 1;
	return 0;
}

static int
validate_category(const struct datamap *m, const struct datamap_category *c,
    char *err, size_t errlen)
{
	if (!present(c->label))
		return fail(err, errlen,
		    "datamap: [category:%s] label: missing or empty", c->id);
	if (c->sensitive < 0)
		return fail(err, errlen,
		    "datamap: [category:%s] sensitive: missing (yes or no)",
		    c->id);
	if (!present(c->retention))
		return fail(err, errlen,
		    "datamap: [category:%s] retention: missing or empty",
		    c->id);
	if (datamap_retention_find(m, c->retention) == NULL)
		return fail(err, errlen,
		    "datamap: [category:%s] retention: no [retention:%s]",
		    c->id, c->retention);
	if (!category_used(m, c->id))
		return fail(err, errlen,
		    "datamap: [category:%s] label: used by no activity "
		    "(list it in an activity's data_categories)",
		    c->id);
	return 0;
}

static int
validate_retention(const struct datamap_retention *r, char *err, size_t errlen)
{
	int needs_duration, needs_event;

	if (!present(r->label))
		return fail(err, errlen,
		    "datamap: [retention:%s] label: missing or empty", r->id);
	if (r->kind < 0)
		return fail(err, errlen,
		    "datamap: [retention:%s] kind: missing (time, event, "
		    "inactivity or legal_hold)",
		    r->id);
	needs_event = r->kind == DATAMAP_KIND_EVENT;
	needs_duration = r->kind != DATAMAP_KIND_EVENT;
	if (needs_event && r->event == NULL)
		return fail(err, errlen,
		    "datamap: [retention:%s] event: missing (kind event)",
		    r->id);
	/* The policy and the registers name the event to people. */
	if ((r->event != NULL) != present(r->event_label))
		return fail(err, errlen,
		    "datamap: [retention:%s] event_label: the event in French, "
		    "with event and only then",
		    r->id);
	if (r->event != NULL &&
	    (r->kind == DATAMAP_KIND_TIME ||
		r->kind == DATAMAP_KIND_INACTIVITY))
		return fail(err, errlen,
		    "datamap: [retention:%s] event: not for kind %s", r->id,
		    kind_names[r->kind]);
	if (needs_duration && !r->duration.set)
		return fail(err, errlen,
		    "datamap: [retention:%s] duration: missing (kind %s)",
		    r->id, kind_names[r->kind]);
	if (needs_duration && r->duration.value <= 0)
		return fail(err, errlen,
		    "datamap: [retention:%s] duration: must be positive",
		    r->id);
	if (r->grace.set &&
	    (r->kind != DATAMAP_KIND_INACTIVITY || r->grace.value <= 0))
		return fail(err, errlen,
		    "datamap: [retention:%s] grace: a positive duration, for "
		    "kind inactivity only",
		    r->id);
	if (r->max_duration.set &&
	    (r->kind != DATAMAP_KIND_EVENT || r->max_duration.value <= 0))
		return fail(err, errlen,
		    "datamap: [retention:%s] max_duration: a positive "
		    "duration, for kind event only",
		    r->id);
	if (r->idle.set &&
	    (r->kind != DATAMAP_KIND_EVENT || r->idle.value <= 0))
		return fail(err, errlen,
		    "datamap: [retention:%s] idle: a positive duration, for "
		    "kind event only",
		    r->id);
	/* The range a client organisation may choose in (its settings):
	 * both ends, in one unit, for a period, up to the default. The
	 * map's period is what every row is purged at; an organisation's
	 * shorter choice is applied to its own rows on top
	 * (gdpr/tenant_retention.c), a longer one could not be. */
	if ((r->tenant_min.set || r->tenant_max.set) &&
	    (!r->tenant_min.set || !r->tenant_max.set ||
		r->kind != DATAMAP_KIND_TIME ||
		r->tenant_min.unit != r->tenant_max.unit ||
		r->tenant_min.unit != r->duration.unit ||
		r->tenant_min.value > r->duration.value ||
		r->duration.value != r->tenant_max.value))
		return fail(err, errlen,
		    "datamap: [retention:%s] tenant_min, tenant_max: both, "
		    "in the unit of duration, tenant_max the duration itself, "
		    "for kind time only",
		    r->id);
	return 0;
}

/* A date is YYYY-MM-DD with a plausible month and day. */
static int
valid_date(const char *s)
{
	int i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	return !(s[5] > '1' || (s[5] == '1' && s[6] > '2') ||
	    (s[5] == '0' && s[6] == '0') || s[8] > '3' ||
	    (s[8] == '0' && s[9] == '0'));
}

static int
validate_policy(const struct datamap *m, char *err, size_t errlen)
{
	const struct datamap_consent *c;
	size_t i;

	if (m->policy.version != NULL && !present(m->policy.version))
		return fail(err, errlen, "datamap: [policy] version: empty");
	if (m->policy.date != NULL && !valid_date(m->policy.date))
		return fail(err, errlen,
		    "datamap: [policy] date: must be YYYY-MM-DD");
	for (i = 0; i < m->nconsents; i++) {
		c = &m->consents[i];
		if (!present(c->label))
			return fail(err, errlen,
			    "datamap: [consent:%s] label: missing or empty",
			    c->id);
		if (!present(c->description))
			return fail(err, errlen,
			    "datamap: [consent:%s] description: missing or "
			    "empty",
			    c->id);
	}
	return 0;
}

int
datamap_validate(const struct datamap *m, char *err, size_t errlen)
{
	size_t i;

	if (validate_controller(m, err, errlen) != 0 ||
	    validate_policy(m, err, errlen) != 0)
		return -1;
	if (m->nactivities == 0)
		return fail(err, errlen,
		    "datamap: [activity:*] name: no activity declared");
	for (i = 0; i < m->nretentions; i++)
		if (validate_retention(&m->retentions[i], err, errlen) != 0)
			return -1;
	for (i = 0; i < m->nactivities; i++)
		if (validate_activity(m, &m->activities[i], err, errlen) != 0)
			return -1;
	for (i = 0; i < m->ncategories; i++)
		if (validate_category(m, &m->categories[i], err, errlen) != 0)
			return -1;
	for (i = 0; i < m->ncolumns; i++)
		if (strcmp(m->columns[i].category, "none") != 0 &&
		    datamap_category_find(m, m->columns[i].category) == NULL)
			return fail(err, errlen,
			    "datamap: [columns] %s: no [category:%s]",
			    m->columns[i].name, m->columns[i].category);
	return 0;
}

/* The [columns] entry named table.column, or NULL. */
static const struct datamap_column *
column_find(const struct datamap *m, const char *table, const char *column)
{
	size_t i, tl = strlen(table);
	const char *n;

	for (i = 0; i < m->ncolumns; i++) {
		n = m->columns[i].name;
		if (strncmp(n, table, tl) == 0 && n[tl] == '.' &&
		    strcmp(n + tl + 1, column) == 0)
			return &m->columns[i];
	}
	return NULL;
}

static int
column_declared(const struct column_decl *cols, size_t ncols, const char *name)
{
	size_t i, tl;

	for (i = 0; i < ncols; i++) {
		tl = strlen(cols[i].table);
		if (strncmp(name, cols[i].table, tl) == 0 && name[tl] == '.' &&
		    strcmp(name + tl + 1, cols[i].column) == 0)
			return 1;
	}
	return 0;
}

int
datamap_check_columns(const struct datamap *m, const struct column_decl *cols,
    size_t ncols, char *err, size_t errlen)
{
	const struct datamap_column *c;
	size_t i;
	int none;

	for (i = 0; i < ncols; i++) {
		c = column_find(m, cols[i].table, cols[i].column);
		if (c == NULL)
			return fail(err, errlen,
			    "datamap: [columns] %s.%s: missing (declare it "
			    "as none or with its category)",
			    cols[i].table, cols[i].column);
		none = strcmp(c->category, "none") == 0;
		if (cols[i].kind == COL_NONE && !none)
			return fail(err, errlen,
			    "datamap: [columns] %s: declared COL_NONE in "
			    "src/store/columns.c, must map to none",
			    c->name);
		if (cols[i].kind != COL_NONE && none)
			return fail(err, errlen,
			    "datamap: [columns] %s: holds personal data (%s), "
			    "must map to a category",
			    c->name, cols[i].what ? cols[i].what : "?");
		if (!none && datamap_category_find(m, c->category) == NULL)
			return fail(err, errlen,
			    "datamap: [columns] %s: no [category:%s]", c->name,
			    c->category);
	}
	for (i = 0; i < m->ncolumns; i++)
		if (!column_declared(cols, ncols, m->columns[i].name))
			return fail(err, errlen,
			    "datamap: [columns] %s: no such column in "
			    "src/store/columns.c",
			    m->columns[i].name);
	return 0;
}

static int
duration_text(const struct datamap_duration *d, char *out, size_t n)
{
	const char *unit;
	int w;

	/* Years read as years past two: « 10 ans », not « 120 mois ». */
	if (d->unit == DATAMAP_MONTHS && d->value >= 24 && d->value % 12 == 0)
		w = snprintf(out, n, "%d ans", d->value / 12);
	else {
		if (d->unit == DATAMAP_MONTHS)
			unit = "mois";
		else
			unit = d->value > 1 ? "jours" : "jour";
		w = snprintf(out, n, "%d %s", d->value, unit);
	}
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

int
datamap_retention_describe(const struct datamap_retention *r, char *out,
    size_t n)
{
	char d[32] = "", g[32] = "", mx[32] = "", idle[32] = "";
	int w = -1;

	if (r->duration.set)
		duration_text(&r->duration, d, sizeof(d));
	if (r->grace.set)
		duration_text(&r->grace, g, sizeof(g));
	if (r->max_duration.set)
		duration_text(&r->max_duration, mx, sizeof(mx));
	if (r->idle.set)
		duration_text(&r->idle, idle, sizeof(idle));
	switch (r->kind) {
	case DATAMAP_KIND_TIME:
		w = snprintf(out, n, "%s après l'enregistrement", d);
		break;
	case DATAMAP_KIND_EVENT:
		if (r->duration.set && r->duration.value > 0)
			w = snprintf(out, n, "jusqu'à %s, puis %s",
			    r->event_label ? r->event_label : "", d);
		else
			w = snprintf(out, n,
			    "jusqu'à %s, puis suppression immédiate",
			    r->event_label ? r->event_label : "");
		if (w >= 0 && (size_t)w < n && mx[0] != '\0')
			w += snprintf(out + w, n - (size_t)w,
			    " ; au plus %s après la création", mx);
		if (w >= 0 && (size_t)w < n && idle[0] != '\0')
			w += snprintf(out + w, n - (size_t)w,
			    " ; sans activité pendant %s, l'événement est "
			    "constaté d'office",
			    idle);
		break;
	case DATAMAP_KIND_INACTIVITY:
		if (g[0] != '\0')
			w = snprintf(out, n,
			    "après %s d'inactivité : avertissement, puis "
			    "suppression %s plus tard",
			    d, g);
		else
			w = snprintf(out, n,
			    "après %s d'inactivité : avertissement, puis "
			    "suppression",
			    d);
		break;
	case DATAMAP_KIND_LEGAL_HOLD:
		w = snprintf(out, n,
		    "conservation légale de %s, respectée par l'effacement", d);
		break;
	default:
		if (n > 0)
			out[0] = '\0';
		return -1;
	}
	return w < 0 || (size_t)w >= n ? -1 : 0;
}
