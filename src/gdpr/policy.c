/* policy.c - the privacy policy, generated from the data map. */
#include "gdpr/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* Where a signed-in person finds their data, their consents and the
 * request form in the web application. */
#define POLICY_APP_SPACE "/"
#define POLICY_CNIL_URL "https://www.cnil.fr/fr/plaintes"

/* Appends {"label", "text"} (and "href" when not NULL) to entries. */
static int
entry(json_t *entries, const char *label, const char *text, const char *href)
{
	json_t *o = json_pack("{s:s, s:s}", "label", label, "text",
	    text != NULL ? text : "");

	if (o != NULL && href != NULL &&
	    json_object_set_new(o, "href", json_string(href)) != 0) {
		json_decref(o);
		return -1;
	}
	return json_array_append_new(entries, o);
}

/* A new section {id, title, paragraphs: [], entries: []}. */
static json_t *
section(const char *id, const char *title)
{
	return json_pack("{s:s, s:s, s:[], s:[]}", "id", id, "title", title,
	    "paragraphs", "entries");
}

static int
para(json_t *sec, const char *text)
{
	return json_array_append_new(json_object_get(sec, "paragraphs"),
	    json_string(text));
}

static json_t *
entries_of(json_t *sec)
{
	return json_object_get(sec, "entries");
}

static json_t *
controller_section(const struct datamap *m)
{
	const struct datamap_controller *c = &m->controller;
	json_t *s = section("responsable", "Qui traite vos données");
	json_t *e;

	if (s == NULL)
		return NULL;
	e = entries_of(s);
	if (para(s,
		"Cette politique décrit les données personnelles que Créneau "
		"traite, pourquoi, sur quelle base légale, pendant combien de "
		"temps, avec qui elles sont partagées et comment exercer vos "
		"droits. Elle est produite à partir du registre des activités "
		"de traitement que le logiciel applique lui-même.") != 0 ||
	    entry(e, "Responsable du traitement", c->name, NULL) != 0 ||
	    entry(e, "Adresse", c->address, NULL) != 0 ||
	    entry(e, "Contact", c->contact, NULL) != 0 ||
	    entry(e, "Délégué à la protection des données", c->dpo, NULL) !=
		0) {
		json_decref(s);
		return NULL;
	}
	return s;
}

/* The labels of a's legal bases, or of its categories, joined. */
static void
join_bases(const struct datamap_activity *a, struct buf *b)
{
	const char *label;
	size_t i;

	for (i = 0; i < a->nbases; i++) {
		label = datamap_basis_label(a->bases[i]);
		buf_printf(b, "%s%s", i ? " ; " : "",
		    label ? label : a->bases[i]);
	}
}

static void
join_categories(const struct datamap *m, const struct datamap_activity *a,
    struct buf *b)
{
	const struct datamap_category *c;
	size_t i;

	for (i = 0; i < a->ncategories; i++)
		if ((c = datamap_category_find(m, a->categories[i])) != NULL)
			buf_printf(b, "%s%s%s", b->len ? " ; " : "",
			    c->label ? c->label : c->id,
			    c->sensitive == 1 ? " (donnée sensible)" : "");
}

/*
 * Appends, after the activity's own rule (main), the rule of each of its
 * categories that has another one, once each: every rule the retention
 * engine applies to the data of the activity is stated in the policy.
 */
static void
join_category_rules(const struct datamap *m, const struct datamap_activity *a,
    const struct datamap_retention *main, struct buf *b)
{
	const struct datamap_retention *seen[DATAMAP_MAX_CATEGORIES], *r;
	const struct datamap_category *c;
	char how[512];
	size_t i, k, n = 0;

	for (i = 0; i < a->ncategories; i++) {
		if ((c = datamap_category_find(m, a->categories[i])) == NULL ||
		    c->retention == NULL ||
		    (r = datamap_retention_find(m, c->retention)) == NULL ||
		    r == main)
			continue;
		for (k = 0; k < n && seen[k] != r; k++)
			;
		if (k < n || n == DATAMAP_MAX_CATEGORIES)
			continue;
		seen[n++] = r;
		datamap_retention_describe(r, how, sizeof(how));
		buf_printf(b, "%s%s : %s (%s)", b->len ? " ; " : "",
		    c->label ? c->label : c->id, r->label ? r->label : "", how);
	}
}

static json_t *
activity_section(const struct datamap *m, const struct datamap_activity *a)
{
	const struct datamap_retention *r;
	char id[DATAMAP_MAX_ID + 16], how[512] = "";
	struct buf b;
	json_t *s, *e;
	int bad;

	snprintf(id, sizeof(id), "traitement-%s", a->id);
	if ((s = section(id, a->field[DATAMAP_NAME])) == NULL)
		return NULL;
	e = entries_of(s);
	buf_init(&b, 64 * 1024);
	bad = entry(e, "Finalités", a->field[DATAMAP_PURPOSES], NULL) != 0;
	join_bases(a, &b);
	bad |= entry(e, "Base légale", b.data ? b.data : "", NULL) != 0;
	buf_reset(&b);
	bad |= entry(e, "Personnes concernées", a->field[DATAMAP_DATA_SUBJECTS],
		   NULL) != 0;
	join_categories(m, a, &b);
	bad |= entry(e, "Données traitées", b.data ? b.data : "", NULL) != 0;
	buf_reset(&b);
	bad |=
	    entry(e, "Destinataires", a->field[DATAMAP_RECIPIENTS], NULL) != 0;
	bad |=
	    entry(e, "Sous-traitants", a->field[DATAMAP_PROCESSORS], NULL) != 0;
	bad |= entry(e, "Transferts hors de l'Union européenne",
		   a->field[DATAMAP_TRANSFERS], NULL) != 0;
	r = datamap_retention_find(m,
	    a->field[DATAMAP_RETENTION] ? a->field[DATAMAP_RETENTION] : "");
	if (r != NULL) {
		datamap_retention_describe(r, how, sizeof(how));
		buf_printf(&b, "%s (%s)", r->label ? r->label : "", how);
	}
	join_category_rules(m, a, r, &b);
	bad |=
	    entry(e, "Durée de conservation", b.data ? b.data : "", NULL) != 0;
	bad |= entry(e, "Mesures de sécurité",
		   a->field[DATAMAP_SECURITY_MEASURES], NULL) != 0;
	buf_free(&b);
	if (bad) {
		json_decref(s);
		return NULL;
	}
	return s;
}

static json_t *
consent_section(const struct datamap *m)
{
	json_t *s = section("consentements", "Ce qui dépend de votre accord");
	size_t i;
	int bad;

	if (s == NULL)
		return NULL;
	if (m->nconsents == 0)
		bad = para(s,
		    "Aucun traitement ne repose sur votre consentement.");
	else
		bad = para(s,
		    "Les traitements suivants n'ont lieu qu'avec votre "
		    "accord. Vous le donnez ou le retirez à tout moment, "
		    "aussi simplement, depuis votre espace dans "
		    "l'application ; le retrait vaut pour l'avenir. Chaque "
		    "accord est enregistré avec la date, le moyen utilisé et "
		    "la version de cette politique ; quand la politique "
		    "change, votre accord vous est demandé à nouveau.");
	for (i = 0; !bad && i < m->nconsents; i++)
		bad = entry(entries_of(s), m->consents[i].label,
		    m->consents[i].description, NULL);
	if (bad) {
		json_decref(s);
		return NULL;
	}
	return s;
}

static json_t *
rights_section(const struct datamap *m)
{
	json_t *s = section("droits", "Vos droits et comment les exercer");
	json_t *e;

	if (s == NULL)
		return NULL;
	e = entries_of(s);
	if (para(s,
		"Vous pouvez accéder à vos données et en obtenir une copie "
		"dans un format réutilisable (portabilité), les faire "
		"rectifier, les faire effacer, en faire limiter le "
		"traitement, vous opposer à un traitement fondé sur "
		"l'intérêt légitime ou une mission d'intérêt public, retirer "
		"votre consentement, et définir des directives sur le sort "
		"de vos données après votre décès (articles 15 à 22 du RGPD, "
		"article 85 de la loi Informatique et Libertés).") != 0 ||
	    entry(e, "Dans l'application",
		"Votre espace : téléchargement de toutes vos données, "
		"rectification de votre nom, effacement de votre compte, "
		"vos consentements, et toute autre demande.",
		POLICY_APP_SPACE) != 0 ||
	    entry(e, "Auprès du délégué à la protection des données",
		m->controller.dpo, NULL) != 0 ||
	    entry(e, "Délai de réponse",
		"Un mois à compter de la réception de la demande, "
		"prolongeable de deux mois au plus lorsque la demande est "
		"complexe ou que les demandes sont nombreuses : vous êtes "
		"alors informé des motifs dans le premier mois. Votre "
		"identité peut vous être demandée avant toute réponse.",
		NULL) != 0 ||
	    entry(e, "Réclamation",
		"Si vous estimez que vos droits ne sont pas respectés, vous "
		"pouvez adresser une réclamation à la Commission nationale "
		"de l'informatique et des libertés (CNIL), 3 place de "
		"Fontenoy, TSA 80715, 75334 Paris Cedex 07.",
		POLICY_CNIL_URL) != 0) {
		json_decref(s);
		return NULL;
	}
	return s;
}

static json_t *
cookie_section(void)
{
	json_t *s = section("cookies", "Cookies");
	json_t *e;

	if (s == NULL)
		return NULL;
	e = entries_of(s);
	if (para(s,
		"Créneau ne dépose que deux cookies, strictement nécessaires "
		"au service que vous demandez : ils sont exemptés de "
		"consentement (article 82 de la loi Informatique et "
		"Libertés). Aucun cookie de mesure d'audience, de publicité "
		"ou de réseau social, aucune ressource de tiers.") != 0 ||
	    entry(e, POLICY_SESSION_COOKIE,
		"Garde votre session ouverte après la connexion. Supprimé à "
		"la déconnexion ; expire après 30 minutes d'inactivité (15 "
		"sur un ordinateur public) et au plus tard après 12 heures.",
		NULL) != 0 ||
	    entry(e, POLICY_XSRF_COOKIE,
		"Protège vos actions contre la falsification de requêtes "
		"depuis un autre site. Même durée que la session.",
		NULL) != 0) {
		json_decref(s);
		return NULL;
	}
	return s;
}

static json_t *
version_section(const struct datamap *m)
{
	json_t *s = section("version", "Version de cette politique");
	char text[256];

	if (s == NULL)
		return NULL;
	if (m->policy.version != NULL || m->policy.date != NULL)
		snprintf(text, sizeof(text), "Version %.63s%s%.10s.",
		    m->policy.version ? m->policy.version : "",
		    m->policy.date ? ", en vigueur depuis le " : "",
		    m->policy.date ? m->policy.date : "");
	else
		snprintf(text, sizeof(text), "Version non numérotée.");
	if (para(s, text) != 0 ||
	    para(s,
		"Toute modification de cette politique vous est signalée "
		"dans l'application à votre prochaine connexion ; les "
		"consentements donnés sous une version antérieure vous sont "
		"demandés à nouveau.") != 0) {
		json_decref(s);
		return NULL;
	}
	return s;
}

json_t *
policy_sections(const struct datamap *m)
{
	json_t *list = json_array();
	size_t i;
	int bad = list == NULL;

	if (!bad)
		bad = json_array_append_new(list, controller_section(m)) != 0;
	for (i = 0; !bad && i < m->nactivities; i++)
		bad = json_array_append_new(list,
			  activity_section(m, &m->activities[i])) != 0;
	if (!bad)
		bad = json_array_append_new(list, consent_section(m)) != 0 ||
		    json_array_append_new(list, rights_section(m)) != 0 ||
		    json_array_append_new(list, cookie_section()) != 0 ||
		    json_array_append_new(list, version_section(m)) != 0;
	if (bad) {
		json_decref(list);
		return NULL;
	}
	return list;
}

/* ---------------------------------------------------------------- HTML */

/* An output under construction: once an append fails, the rest do nothing
 * and the failure is reported at the end, so a cut text is never used. */
struct out {
	struct buf *b;
	int rc;
};

static void
put_n(struct out *o, const char *s, size_t n)
{
	if (o->rc == BUF_OK)
		o->rc = buf_append(o->b, s, n);
}

static void
put(struct out *o, const char *s)
{
	put_n(o, s, strlen(s));
}

/* Appends s escaped for HTML text and quoted attribute values. */
static void
html_text(struct out *o, const char *s)
{
	const char *run = s, *rep;

	if (s == NULL)
		return;
	for (; *s != '\0'; s++) {
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
			continue;
		}
		put_n(o, run, (size_t)(s - run));
		put(o, rep);
		run = s + 1;
	}
	put(o, run);
}

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

static void
html_entry(struct out *o, const json_t *e)
{
	const json_t *href = json_object_get(e, "href");

	put(o, "<dt>");
	html_text(o, str(e, "label"));
	put(o, "</dt>\n<dd>");
	html_text(o, str(e, "text"));
	if (href != NULL) {
		put(o, " <a href=\"");
		html_text(o, json_string_value(href));
		put(o, "\">");
		html_text(o, json_string_value(href));
		put(o, "</a>");
	}
	put(o, "</dd>\n");
}

/* The sections as HTML: what the version hash covers. */
static void
html_sections(const json_t *secs, struct out *o)
{
	const json_t *s, *p, *e, *entries;
	size_t i, j;

	json_array_foreach (secs, i, s) {
		put(o, "<section aria-labelledby=\"");
		html_text(o, str(s, "id"));
		put(o, "\">\n<h2 id=\"");
		html_text(o, str(s, "id"));
		put(o, "\">");
		html_text(o, str(s, "title"));
		put(o, "</h2>\n");
		json_array_foreach (json_object_get(s, "paragraphs"), j, p) {
			put(o, "<p>");
			html_text(o, json_string_value(p));
			put(o, "</p>\n");
		}
		entries = json_object_get(s, "entries");
		if (json_array_size(entries) > 0)
			put(o, "<dl>\n");
		json_array_foreach (entries, j, e) {
			html_entry(o, e);
		}
		if (json_array_size(entries) > 0)
			put(o, "</dl>\n");
		put(o, "</section>\n");
	}
}

/* Renders the sections into body (initialised by the caller) and derives
 * the version from them. Returns 0 or -1. */
static int
render_body(const struct datamap *m, struct buf *body,
    char version[POLICY_VERSION_MAX])
{
	unsigned char h[POLICY_HASH_BYTES];
	char hex[POLICY_HASH_BYTES * 2 + 1];
	struct out o = { body, BUF_OK };
	json_t *secs;
	int w;

	if ((secs = policy_sections(m)) == NULL)
		return -1;
	html_sections(secs, &o);
	json_decref(secs);
	if (o.rc != BUF_OK || body->data == NULL)
		return -1;
	crypto_generichash(h, sizeof(h), (const unsigned char *)body->data,
	    body->len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	if (m->policy.version != NULL)
		w = snprintf(version, POLICY_VERSION_MAX, "%.*s+%s",
		    POLICY_HUMAN_MAX, m->policy.version, hex);
	else
		w = snprintf(version, POLICY_VERSION_MAX, "%s", hex);
	return w > 0 && w < POLICY_VERSION_MAX ? 0 : -1;
}

int
policy_version(const struct datamap *m, char version[POLICY_VERSION_MAX])
{
	struct buf body;
	int rc;

	buf_init(&body, POLICY_MAX_BYTES);
	rc = render_body(m, &body, version);
	buf_free(&body);
	return rc;
}

int
policy_render_html(const struct datamap *m, struct buf *out,
    char version[POLICY_VERSION_MAX])
{
	char v[POLICY_VERSION_MAX];
	struct out o = { out, BUF_OK };
	struct buf body;
	int rc = -1;

	buf_init(&body, POLICY_MAX_BYTES);
	if (render_body(m, &body, v) != 0)
		goto done;
	put(&o,
	    "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'\">\n"
	    "<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n"
	    "<title>Politique de confidentialité</title>\n"
	    "</head>\n<body>\n<main>\n"
	    "<h1>Politique de confidentialité</h1>\n"
	    "<p>Version <code>");
	html_text(&o, v);
	put(&o, "</code></p>\n");
	put_n(&o, body.data, body.len);
	put(&o, "</main>\n</body>\n</html>\n");
	if (o.rc != BUF_OK)
		goto done;
	if (version != NULL)
		memcpy(version, v, sizeof(v));
	rc = 0;
done:
	buf_free(&body);
	return rc;
}

json_t *
policy_json(const struct datamap *m)
{
	char v[POLICY_VERSION_MAX];
	json_t *secs;

	if (policy_version(m, v) != 0 || (secs = policy_sections(m)) == NULL)
		return NULL;
	return json_pack("{s:s, s:s?, s:s?, s:o}", "version", v,
	    "human_version", m->policy.version, "date", m->policy.date,
	    "sections", secs);
}
