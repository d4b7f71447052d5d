/* register.c - the Art. 30 register as JSON, CSV and HTML. */
#include "gdpr/register.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "booking/caltime.h"
#include "core/clock.h"
#include "core/csv.h"
#include "store/columns.h"

/* An output under construction: once an append fails, the rest do nothing
 * and the first failure is reported at the end. */
struct out {
	struct buf *b;
	int rc;
};

static void
put(struct out *o, const char *s)
{
	if (o->rc == BUF_OK)
		o->rc = buf_append_str(o->b, s);
}

static void
put_n(struct out *o, const char *s, size_t n)
{
	if (o->rc == BUF_OK)
		o->rc = buf_append(o->b, s, n);
}

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

int
register_format_parse(const char *name, enum register_format *fmt)
{
	if (strcmp(name, "json") == 0)
		*fmt = REGISTER_JSON;
	else if (strcmp(name, "csv") == 0)
		*fmt = REGISTER_CSV;
	else if (strcmp(name, "html") == 0)
		*fmt = REGISTER_HTML;
	else
		return -1;
	return 0;
}

static const char *
unit_name(enum datamap_unit u)
{
	return u == DATAMAP_MONTHS ? "months" : "days";
}

/* ---------------------------------------------------------------- JSON */

static int
json_put(json_t *obj, const char *key, json_t *v)
{
	return v == NULL || json_object_set_new(obj, key, v) != 0 ? -1 : 0;
}

static json_t *
json_text(const char *s)
{
	return json_string(s ? s : "");
}

static json_t *
json_duration(const struct datamap_duration *d)
{
	if (!d->set)
		return json_null();
	return json_pack("{s:i, s:s}", "value", d->value, "unit",
	    unit_name(d->unit));
}

static json_t *
json_retention(const struct datamap_retention *r)
{
	char text[512];
	json_t *o;

	if (r == NULL)
		return json_null();
	datamap_retention_describe(r, text, sizeof(text));
	o = json_object();
	if (o == NULL || json_put(o, "id", json_text(r->id)) != 0 ||
	    json_put(o, "label", json_text(r->label)) != 0 ||
	    json_put(o, "kind", json_text(datamap_kind_name(r->kind))) != 0 ||
	    json_put(o, "event",
		r->event ? json_text(r->event) : json_null()) != 0 ||
	    json_put(o, "duration", json_duration(&r->duration)) != 0 ||
	    json_put(o, "grace", json_duration(&r->grace)) != 0 ||
	    json_put(o, "max_duration", json_duration(&r->max_duration)) != 0 ||
	    json_put(o, "idle", json_duration(&r->idle)) != 0 ||
	    json_put(o, "description", json_text(text)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
json_category(const struct datamap *m, const struct datamap_category *c)
{
	json_t *o = json_object();

	if (o == NULL || json_put(o, "id", json_text(c->id)) != 0 ||
	    json_put(o, "label", json_text(c->label)) != 0 ||
	    json_put(o, "sensitive", json_boolean(c->sensitive == 1)) != 0 ||
	    json_put(o, "retention",
		json_retention(datamap_retention_find(m,
		    c->retention ? c->retention : ""))) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
json_activity(const struct datamap *m, const struct datamap_activity *a)
{
	const struct datamap_category *c;
	json_t *o = json_object(), *cats = json_array(), *bases = json_array();
	size_t i;
	int bad = o == NULL || cats == NULL || bases == NULL;

	for (i = 0; !bad && i < a->nbases; i++)
		bad = json_array_append_new(bases,
			  json_pack("{s:s, s:s}", "code", a->bases[i], "label",
			      datamap_basis_label(a->bases[i])
				  ? datamap_basis_label(a->bases[i])
				  : "")) != 0;
	for (i = 0; !bad && i < a->ncategories; i++)
		if ((c = datamap_category_find(m, a->categories[i])) != NULL)
			bad = json_array_append_new(cats,
				  json_category(m, c)) != 0;
	if (bad || json_put(o, "id", json_text(a->id)) != 0 ||
	    json_put(o, "name", json_text(a->field[DATAMAP_NAME])) != 0 ||
	    json_put(o, "purposes", json_text(a->field[DATAMAP_PURPOSES])) !=
		0 ||
	    json_put(o, "legal_basis", json_incref(bases)) != 0 ||
	    json_put(o, "data_subjects",
		json_text(a->field[DATAMAP_DATA_SUBJECTS])) != 0 ||
	    json_put(o, "data_categories", json_incref(cats)) != 0 ||
	    json_put(o, "recipients",
		json_text(a->field[DATAMAP_RECIPIENTS])) != 0 ||
	    json_put(o, "processors",
		json_text(a->field[DATAMAP_PROCESSORS])) != 0 ||
	    json_put(o, "transfers", json_text(a->field[DATAMAP_TRANSFERS])) !=
		0 ||
	    json_put(o, "retention",
		json_retention(datamap_retention_find(m,
		    a->field[DATAMAP_RETENTION] ? a->field[DATAMAP_RETENTION]
						: ""))) != 0 ||
	    json_put(o, "security_measures",
		json_text(a->field[DATAMAP_SECURITY_MEASURES])) != 0)
		bad = 1;
	json_decref(cats);
	json_decref(bases);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *
json_register(const struct datamap *m)
{
	const struct datamap_controller *c = &m->controller;
	json_t *root = json_object(), *acts = json_array(),
	       *cats = json_array(), *rules = json_array(), *ctl;
	size_t i;
	int bad = root == NULL || acts == NULL || cats == NULL || rules == NULL;

	for (i = 0; !bad && i < m->nactivities; i++)
		bad = json_array_append_new(acts,
			  json_activity(m, &m->activities[i])) != 0;
	for (i = 0; !bad && i < m->ncategories; i++)
		bad = json_array_append_new(cats,
			  json_category(m, &m->categories[i])) != 0;
	for (i = 0; !bad && i < m->nretentions; i++)
		bad = json_array_append_new(rules,
			  json_retention(&m->retentions[i])) != 0;
	ctl = json_pack("{s:s, s:s, s:s, s:s}", "name", c->name ? c->name : "",
	    "address", c->address ? c->address : "", "contact",
	    c->contact ? c->contact : "", "dpo", c->dpo ? c->dpo : "");
	if (bad) {
		json_decref(ctl);
	} else if (json_put(root, "title",
		       json_text("Registre des activités de traitement "
				 "(RGPD, article 30)")) != 0 ||
	    json_put(root, "controller", ctl) != 0 ||
	    json_put(root, "activities", json_incref(acts)) != 0 ||
	    json_put(root, "categories", json_incref(cats)) != 0 ||
	    json_put(root, "retention_rules", json_incref(rules)) != 0) {
		bad = 1;
	}
	json_decref(acts);
	json_decref(cats);
	json_decref(rules);
	if (bad) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static int
render_json(const struct datamap *m, struct out *o)
{
	json_t *root = json_register(m);
	char *text;

	if (root == NULL)
		return -1;
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL)
		return -1;
	put(o, text);
	put(o, "\n");
	free(text);
	return 0;
}

/* ----------------------------------------------------------------- CSV */

/* One field, through the one CSV cell writer of every export (quoted as
 * RFC 4180 asks, formulas neutralised). */
static void
csv_field(struct out *o, const char *s, int first)
{
	if (!first)
		put(o, ",");
	if (o->rc == BUF_OK)
		o->rc = csv_cell(o->b, s);
}

/* The retention rule as one readable text: its label and description. */
static void
retention_text(struct buf *b, const struct datamap_retention *r)
{
	char text[512];

	if (r == NULL)
		return;
	datamap_retention_describe(r, text, sizeof(text));
	buf_printf(b, "%s (%s)", r->label ? r->label : "", text);
}

static void
csv_row(struct out *o, const struct datamap *m,
    const struct datamap_activity *a)
{
	const struct datamap_controller *ctl = &m->controller;
	const struct datamap_category *c;
	const struct datamap_retention *r;
	const char *label;
	struct buf t;
	size_t i;

	buf_init(&t, REGISTER_MAX_BYTES);
	csv_field(o, a->id, 1);
	csv_field(o, a->field[DATAMAP_NAME], 0);
	csv_field(o, ctl->name, 0);
	csv_field(o, ctl->contact, 0);
	csv_field(o, ctl->dpo, 0);
	csv_field(o, a->field[DATAMAP_PURPOSES], 0);
	for (i = 0; i < a->nbases; i++) {
		label = datamap_basis_label(a->bases[i]);
		buf_printf(&t, "%s%s", i ? "\n" : "",
		    label ? label : a->bases[i]);
	}
	csv_field(o, t.data, 0);
	buf_reset(&t);
	csv_field(o, a->field[DATAMAP_DATA_SUBJECTS], 0);
	for (i = 0; i < a->ncategories; i++) {
		if ((c = datamap_category_find(m, a->categories[i])) == NULL)
			continue;
		buf_printf(&t, "%s%s%s, conservation : ", t.len ? "\n" : "",
		    c->label ? c->label : "",
		    c->sensitive == 1 ? " (donnée sensible)" : "");
		r = datamap_retention_find(m, c->retention ? c->retention : "");
		buf_append_str(&t, r && r->label ? r->label : "");
	}
	csv_field(o, t.data, 0);
	buf_reset(&t);
	csv_field(o, a->field[DATAMAP_RECIPIENTS], 0);
	csv_field(o, a->field[DATAMAP_PROCESSORS], 0);
	csv_field(o, a->field[DATAMAP_TRANSFERS], 0);
	retention_text(&t,
	    datamap_retention_find(m,
		a->field[DATAMAP_RETENTION] ? a->field[DATAMAP_RETENTION]
					    : ""));
	csv_field(o, t.data, 0);
	csv_field(o, a->field[DATAMAP_SECURITY_MEASURES], 0);
	put(o, "\r\n");
	buf_free(&t);
}

static int
render_csv(const struct datamap *m, struct out *o)
{
	static const char *const head[] = { "id", "traitement", "responsable",
		"contact", "délégué à la protection des données", "finalités",
		"base légale", "personnes concernées", "catégories de données",
		"destinataires", "sous-traitants", "transferts hors UE",
		"durée de conservation", "mesures de sécurité" };
	size_t i;

	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		csv_field(o, head[i], i == 0);
	put(o, "\r\n");
	for (i = 0; i < m->nactivities; i++)
		csv_row(o, m, &m->activities[i]);
	return 0;
}

/* ---------------------------------------------------------------- HTML */

/* Text escaped for HTML content and quoted attribute values. */
static void
html_text(struct out *o, const char *s)
{
	const char *run = s;

	if (s == NULL)
		return;
	for (; *s != '\0'; s++) {
		const char *rep = NULL;

		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			break;
		}
		if (rep == NULL)
			continue;
		put_n(o, run, (size_t)(s - run));
		put(o, rep);
		run = s + 1;
	}
	put(o, run);
}

static void
html_row(struct out *o, const char *th, const char *td)
{
	put(o, "<tr><th scope=\"row\">");
	html_text(o, th);
	put(o, "</th><td>");
	html_text(o, td);
	put(o, "</td></tr>\n");
}

static void
html_retention(struct out *o, const struct datamap_retention *r)
{
	char text[512];

	if (r == NULL)
		return;
	datamap_retention_describe(r, text, sizeof(text));
	html_text(o, r->label);
	put(o, " <small>(");
	html_text(o, text);
	put(o, ")</small>");
}

static void
html_activity(struct out *o, const struct datamap *m,
    const struct datamap_activity *a)
{
	const struct datamap_category *c;
	const struct datamap_retention *r;
	const char *label;
	size_t i;

	put(o, "<section aria-labelledby=\"activity-");
	html_text(o, a->id);
	put(o, "\">\n<h2 id=\"activity-");
	html_text(o, a->id);
	put(o, "\">");
	html_text(o, a->field[DATAMAP_NAME]);
	put(o, "</h2>\n<table>\n<caption>Fiche du traitement « ");
	html_text(o, a->field[DATAMAP_NAME]);
	put(o, " »</caption>\n<tbody>\n");
	html_row(o, "Identifiant", a->id);
	html_row(o, datamap_field_label(DATAMAP_PURPOSES),
	    a->field[DATAMAP_PURPOSES]);
	put(o, "<tr><th scope=\"row\">");
	html_text(o, datamap_field_label(DATAMAP_LEGAL_BASIS));
	put(o, "</th><td><ul>");
	for (i = 0; i < a->nbases; i++) {
		label = datamap_basis_label(a->bases[i]);
		put(o, "<li>");
		html_text(o, label ? label : a->bases[i]);
		put(o, "</li>");
	}
	put(o, "</ul></td></tr>\n");
	html_row(o, datamap_field_label(DATAMAP_DATA_SUBJECTS),
	    a->field[DATAMAP_DATA_SUBJECTS]);
	put(o, "<tr><th scope=\"row\">");
	html_text(o, datamap_field_label(DATAMAP_DATA_CATEGORIES));
	put(o, "</th><td><ul>");
	for (i = 0; i < a->ncategories; i++) {
		if ((c = datamap_category_find(m, a->categories[i])) == NULL)
			continue;
		put(o, "<li>");
		html_text(o, c->label);
		if (c->sensitive == 1)
			put(o, " <strong>(donnée sensible)</strong>");
		put(o, " : conservation ");
		r = datamap_retention_find(m, c->retention ? c->retention : "");
		html_text(o, r ? r->label : "");
		put(o, "</li>");
	}
	put(o, "</ul></td></tr>\n");
	html_row(o, datamap_field_label(DATAMAP_RECIPIENTS),
	    a->field[DATAMAP_RECIPIENTS]);
	html_row(o, datamap_field_label(DATAMAP_PROCESSORS),
	    a->field[DATAMAP_PROCESSORS]);
	html_row(o, datamap_field_label(DATAMAP_TRANSFERS),
	    a->field[DATAMAP_TRANSFERS]);
	put(o, "<tr><th scope=\"row\">");
	html_text(o, datamap_field_label(DATAMAP_RETENTION));
	put(o, "</th><td>");
	html_retention(o,
	    datamap_retention_find(m,
		a->field[DATAMAP_RETENTION] ? a->field[DATAMAP_RETENTION]
					    : ""));
	put(o, "</td></tr>\n");
	html_row(o, datamap_field_label(DATAMAP_SECURITY_MEASURES),
	    a->field[DATAMAP_SECURITY_MEASURES]);
	put(o, "</tbody>\n</table>\n</section>\n");
}

/*
 * The page's head, up to <main>: a DPO prints the register or keeps it as
 * a file, so it carries its own print style (A4 margins, tables that do
 * not split an activity's rows from its heading, links shown in full);
 * no script, no external resource, and only this style element allowed.
 */
static void
html_head(struct out *o, const char *title)
{
	put(o,
	    "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>");
	html_text(o, title);
	put(o,
	    "</title>\n<style>\n"
	    "body{font:11pt/1.4 system-ui,sans-serif;color:#111;"
	    "margin:1.5rem auto;max-width:60rem;padding:0 1rem}\n"
	    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.5em;"
	    "break-after:avoid}\n"
	    "table{border-collapse:collapse;width:100%;margin:.5em 0 1em}\n"
	    "caption{text-align:left;font-weight:600;padding:.3em 0}\n"
	    "th,td{border:1px solid #999;padding:.3em .5em;text-align:left;"
	    "vertical-align:top;overflow-wrap:anywhere}\n"
	    "th[scope=row]{width:30%;background:#f2f2f2}\n"
	    "p.edition{color:#444}\n"
	    "@page{size:A4;margin:15mm}\n"
	    "@media print{body{margin:0;max-width:none;padding:0;"
	    "font-size:10pt}section{break-inside:avoid-page}"
	    "tr{break-inside:avoid}}\n"
	    "</style>\n</head>\n<body>\n<main>\n");
}

/* "Édité le JJ/MM/AAAA à HH:MM (heure de Paris)": a printed register
 * says when it was true. */
static void
html_edition(struct out *o)
{
	int64_t now = clock_now_ms(clock_real());
	char iso[32], line[96];

	if (clock_format_utc(now + caltime_paris_offset_ms(now), iso,
		sizeof(iso)) != 0)
		return;
	snprintf(line, sizeof(line),
	    "<p class=\"edition\">Édité le %.2s/%.2s/%.4s à %.5s (heure de "
	    "Paris).</p>\n",
	    iso + 8, iso + 5, iso, iso + 11);
	put(o, line);
}

static int
render_html(const struct datamap *m, struct out *o)
{
	const struct datamap_controller *c = &m->controller;
	const struct datamap_retention *r;
	char text[512];
	size_t i;

	html_head(o, "Registre des activités de traitement");
	put(o,
	    "<h1>Registre des activités de traitement "
	    "(RGPD, article 30)</h1>\n");
	html_edition(o);
	put(o,
	    "<section aria-labelledby=\"controller\">\n"
	    "<h2 id=\"controller\">Responsable du traitement</h2>\n"
	    "<table>\n<caption>Coordonnées du responsable et du délégué "
	    "à la protection des données</caption>\n<tbody>\n");
	html_row(o, "Nom", c->name);
	html_row(o, "Adresse", c->address);
	html_row(o, "Contact", c->contact);
	html_row(o, "Délégué à la protection des données", c->dpo);
	put(o, "</tbody>\n</table>\n</section>\n");
	for (i = 0; i < m->nactivities; i++)
		html_activity(o, m, &m->activities[i]);
	put(o,
	    "<section aria-labelledby=\"retention\">\n"
	    "<h2 id=\"retention\">Règles de conservation</h2>\n"
	    "<table>\n<caption>Toutes les règles de conservation, y "
	    "compris celles des modules à venir</caption>\n<thead>\n"
	    "<tr><th scope=\"col\">Règle</th><th scope=\"col\">Durée"
	    "</th><th scope=\"col\">Application</th></tr>\n</thead>\n"
	    "<tbody>\n");
	for (i = 0; i < m->nretentions; i++) {
		r = &m->retentions[i];
		datamap_retention_describe(r, text, sizeof(text));
		put(o, "<tr><th scope=\"row\">");
		html_text(o, r->id);
		put(o, "</th><td>");
		html_text(o, r->label);
		put(o, "</td><td>");
		html_text(o, text);
		put(o, "</td></tr>\n");
	}
	put(o, "</tbody>\n</table>\n</section>\n</main>\n</body>\n</html>\n");
	return 0;
}

int
register_render(const struct datamap *m, enum register_format fmt,
    struct buf *b, char *err, size_t errlen)
{
	struct out o = { b, BUF_OK };
	int rc;

	switch (fmt) {
	case REGISTER_JSON:
		rc = render_json(m, &o);
		break;
	case REGISTER_CSV:
		rc = render_csv(m, &o);
		break;
	case REGISTER_HTML:
		rc = render_html(m, &o);
		break;
	default:
		return fail(err, errlen, "register: unknown format");
	}
	if (rc != 0 || o.rc == BUF_NOMEM)
		return fail(err, errlen, "register: out of memory");
	if (o.rc != BUF_OK)
		return fail(err, errlen, "register: over %d bytes",
		    REGISTER_MAX_BYTES);
	return 0;
}

int
register_write(const struct datamap *m, enum register_format fmt, FILE *f,
    char *err, size_t errlen)
{
	struct buf b;
	int rc = -1;

	buf_init(&b, REGISTER_MAX_BYTES);
	if (register_render(m, fmt, &b, err, errlen) != 0)
		goto done;
	if ((b.len > 0 && fwrite(b.data, 1, b.len, f) != b.len) ||
	    fflush(f) != 0) {
		fail(err, errlen, "register: write error");
		goto done;
	}
	rc = 0;
done:
	buf_free(&b);
	return rc;
}

int
register_export(const char *map_path, const char *format, FILE *out, char *err,
    size_t errlen)
{
	enum register_format fmt;
	struct datamap *m = NULL;
	int rc = -1;

	if (register_format_parse(format, &fmt) != 0)
		return fail(err, errlen,
		    "register: format must be json, csv or html");
	if ((m = datamap_load(map_path, err, errlen)) == NULL)
		goto done;
	if (datamap_validate(m, err, errlen) != 0 ||
	    datamap_check_columns(m, store_columns, store_columns_count, err,
		errlen) != 0)
		goto done;
	rc = register_write(m, fmt, out, err, errlen);
done:
	datamap_free(m);
	return rc;
}

/* ------------------------------------------- a client organisation's own */

/* The operator as the processor an activity names first. */
static char *
processors_with_operator(const struct datamap *m, const char *others)
{
	const char *op = m->controller.name ? m->controller.name : "";
	struct buf b;
	size_t len;

	buf_init(&b, 8192);
	if (buf_printf(&b,
		"%s (édite, héberge et exploite la plateforme Créneau, "
		"sous-traitant au sens de l'article 28 du RGPD)%s%s",
		op, others && others[0] ? " ; " : "",
		others ? others : "") != BUF_OK) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b, &len);
}

int
register_render_tenant(const struct datamap *m, const struct register_tenant *t,
    enum register_format fmt, struct buf *out, char *err, size_t errlen)
{
	char *procs[DATAMAP_MAX_ACTIVITIES] = { NULL };
	struct datamap *v;
	json_t *choices = NULL, *val;
	const char *rule;
	size_t i, n = 0;
	int rc = -1;

	/* A view of the map: shallow copies, so nothing of it is freed but
	 * the processors texts made here. */
	if ((v = malloc(sizeof(*v))) == NULL)
		return fail(err, errlen, "register: out of memory");
	*v = *m;
	v->controller.name = strdup(t->name ? t->name : "");
	v->controller.address = NULL;
	v->controller.contact = strdup(t->contact ? t->contact : "");
	v->controller.dpo = strdup(t->dpo ? t->dpo : "");
	v->nactivities = 0;
	if (v->controller.name == NULL || v->controller.contact == NULL ||
	    v->controller.dpo == NULL)
		goto done;
	for (i = 0; i < m->nactivities; i++) {
		const struct datamap_activity *a = &m->activities[i];

		if (t->kind != NULL && !datamap_activity_for_kind(a, t->kind))
			continue;
		v->activities[v->nactivities] = *a;
		if ((procs[n] = processors_with_operator(m,
			 a->field[DATAMAP_PROCESSORS])) == NULL)
			goto done;
		v->activities[v->nactivities++].field[DATAMAP_PROCESSORS] =
		    procs[n++];
	}
	/* The periods the organisation chose within the map's ranges. */
	if (t->retention != NULL &&
	    (choices = json_loads(t->retention, 0, NULL)) != NULL)
		json_object_foreach (choices, rule, val) {
			for (i = 0; i < v->nretentions; i++)
				if (json_is_integer(val) &&
				    strcmp(v->retentions[i].id, rule) == 0 &&
				    v->retentions[i].tenant_max.set)
					v->retentions[i].duration.value =
					    (int)json_integer_value(val);
		}
	rc = register_render(v, fmt, out, err, errlen);
done:
	json_decref(choices);
	for (i = 0; i < n; i++)
		free(procs[i]);
	free(v->controller.name);
	free(v->controller.contact);
	free(v->controller.dpo);
	free(v);
	return rc;
}

/* ------------------------------------------ the processor's, Art. 30(2) */

static const char processor_title[] =
    "Registre des catégories d'activités de traitement effectuées pour le "
    "compte des organismes clients (RGPD, article 30.2)";

static json_t *
processor_json(const struct datamap *m, const struct register_client *cl,
    size_t n)
{
	const struct datamap_controller *c = &m->controller;
	json_t *root = json_object(), *clients = json_array(),
	       *acts = json_array();
	size_t i, j;
	int bad = root == NULL || clients == NULL || acts == NULL;

	for (i = 0; !bad && i < n; i++) {
		json_t *ids = json_array();

		for (j = 0; ids != NULL && j < m->nactivities; j++)
			if (datamap_activity_for_kind(&m->activities[j],
				cl[i].kind ? cl[i].kind : ""))
				json_array_append_new(ids,
				    json_text(m->activities[j].id));
		bad = ids == NULL ||
		    json_array_append_new(clients,
			json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
			    "org_id", cl[i].org_id ? cl[i].org_id : "", "name",
			    cl[i].name ? cl[i].name : "", "kind",
			    cl[i].kind ? cl[i].kind : "", "state",
			    cl[i].state ? cl[i].state : "", "contact",
			    cl[i].contact ? cl[i].contact : "", "dpo",
			    cl[i].dpo ? cl[i].dpo : "", "activities", ids)) !=
			0;
	}
	for (j = 0; !bad && j < m->nactivities; j++) {
		const struct datamap_activity *a = &m->activities[j];

		bad = json_array_append_new(acts,
			  json_pack("{s:s, s:s, s:s, s:s}", "id", a->id, "name",
			      a->field[DATAMAP_NAME], "transfers",
			      a->field[DATAMAP_TRANSFERS], "security_measures",
			      a->field[DATAMAP_SECURITY_MEASURES])) != 0;
	}
	if (bad || json_put(root, "title", json_text(processor_title)) != 0 ||
	    json_put(root, "processor",
		json_pack("{s:s, s:s, s:s, s:s}", "name",
		    c->name ? c->name : "", "address",
		    c->address ? c->address : "", "contact",
		    c->contact ? c->contact : "", "dpo",
		    c->dpo ? c->dpo : "")) != 0 ||
	    json_put(root, "clients", json_incref(clients)) != 0 ||
	    json_put(root, "activities", json_incref(acts)) != 0)
		bad = 1;
	json_decref(clients);
	json_decref(acts);
	if (bad) {
		json_decref(root);
		return NULL;
	}
	return root;
}

static void
processor_csv(const struct datamap *m, const struct register_client *cl,
    size_t n, struct out *o)
{
	static const char *const head[] = { "Organisme client", "Genre", "État",
		"Contact", "Délégué à la protection des données",
		"Catégorie de traitement", "Transferts hors UE",
		"Mesures de sécurité" };
	size_t i, j;

	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		csv_field(o, head[i], i == 0);
	put(o, "\r\n");
	for (i = 0; i < n; i++)
		for (j = 0; j < m->nactivities; j++) {
			const struct datamap_activity *a = &m->activities[j];

			if (!datamap_activity_for_kind(a,
				cl[i].kind ? cl[i].kind : ""))
				continue;
			csv_field(o, cl[i].name, 1);
			csv_field(o, cl[i].kind, 0);
			csv_field(o, cl[i].state, 0);
			csv_field(o, cl[i].contact, 0);
			csv_field(o, cl[i].dpo, 0);
			csv_field(o, a->field[DATAMAP_NAME], 0);
			csv_field(o, a->field[DATAMAP_TRANSFERS], 0);
			csv_field(o, a->field[DATAMAP_SECURITY_MEASURES], 0);
			put(o, "\r\n");
		}
}

static void
processor_html(const struct datamap *m, const struct register_client *cl,
    size_t n, struct out *o)
{
	const struct datamap_controller *c = &m->controller;
	size_t i, j;

	html_head(o, processor_title);
	put(o, "<h1>");
	html_text(o, processor_title);
	put(o, "</h1>\n");
	html_edition(o);
	put(o,
	    "<section aria-labelledby=\"processor\">\n"
	    "<h2 id=\"processor\">Sous-traitant</h2>\n<table>\n"
	    "<caption>Coordonnées du sous-traitant et de son délégué à "
	    "la protection des données</caption>\n<tbody>\n");
	html_row(o, "Nom", c->name);
	html_row(o, "Adresse", c->address);
	html_row(o, "Contact", c->contact);
	html_row(o, "Délégué à la protection des données", c->dpo);
	put(o,
	    "</tbody>\n</table>\n</section>\n"
	    "<section aria-labelledby=\"clients\">\n"
	    "<h2 id=\"clients\">Organismes clients (responsables du "
	    "traitement)</h2>\n<table>\n<caption>Pour le compte de qui "
	    "les traitements sont effectués</caption>\n<thead>\n<tr>"
	    "<th scope=\"col\">Organisme</th><th scope=\"col\">État</th>"
	    "<th scope=\"col\">Contact</th><th scope=\"col\">Délégué à "
	    "la protection des données</th><th scope=\"col\">Catégories "
	    "de traitement</th></tr>\n</thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		put(o, "<tr><th scope=\"row\">");
		html_text(o, cl[i].name);
		put(o, "</th><td>");
		html_text(o, cl[i].state);
		put(o, "</td><td>");
		html_text(o, cl[i].contact);
		put(o, "</td><td>");
		html_text(o, cl[i].dpo);
		put(o, "</td><td><ul>");
		for (j = 0; j < m->nactivities; j++)
			if (datamap_activity_for_kind(&m->activities[j],
				cl[i].kind ? cl[i].kind : "")) {
				put(o, "<li>");
				html_text(o,
				    m->activities[j].field[DATAMAP_NAME]);
				put(o, "</li>");
			}
		put(o, "</ul></td></tr>\n");
	}
	put(o, "</tbody>\n</table>\n</section>\n");
	for (j = 0; j < m->nactivities; j++) {
		const struct datamap_activity *a = &m->activities[j];

		put(o, "<section aria-labelledby=\"activity-");
		html_text(o, a->id);
		put(o, "\">\n<h2 id=\"activity-");
		html_text(o, a->id);
		put(o, "\">");
		html_text(o, a->field[DATAMAP_NAME]);
		put(o,
		    "</h2>\n<table>\n<caption>Transferts et mesures de "
		    "sécurité</caption>\n<tbody>\n");
		html_row(o, datamap_field_label(DATAMAP_TRANSFERS),
		    a->field[DATAMAP_TRANSFERS]);
		html_row(o, datamap_field_label(DATAMAP_SECURITY_MEASURES),
		    a->field[DATAMAP_SECURITY_MEASURES]);
		put(o, "</tbody>\n</table>\n</section>\n");
	}
	put(o, "</main>\n</body>\n</html>\n");
}

int
register_render_processor(const struct datamap *m,
    const struct register_client *cl, size_t n, enum register_format fmt,
    struct buf *b, char *err, size_t errlen)
{
	struct out o = { b, BUF_OK };
	json_t *root;
	char *text;

	switch (fmt) {
	case REGISTER_JSON:
		if ((root = processor_json(m, cl, n)) == NULL)
			return fail(err, errlen, "register: out of memory");
		text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(root);
		if (text == NULL)
			return fail(err, errlen, "register: out of memory");
		put(&o, text);
		put(&o, "\n");
		free(text);
		break;
	case REGISTER_CSV:
		processor_csv(m, cl, n, &o);
		break;
	case REGISTER_HTML:
		processor_html(m, cl, n, &o);
		break;
	default:
		return fail(err, errlen, "register: unknown format");
	}
	if (o.rc == BUF_NOMEM)
		return fail(err, errlen, "register: out of memory");
	if (o.rc != BUF_OK)
		return fail(err, errlen, "register: over %d bytes",
		    REGISTER_MAX_BYTES);
	return 0;
}
