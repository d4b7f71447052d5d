/*
 * test_register.c - src/gdpr/register.c: the JSON register parses back and
 * holds every activity, CSV follows RFC 4180 quoting, HTML escapes every
 * text and carries no script, and register_export() is one call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "gdpr/register.h"
#include "unit.h"

static char err[512];

/* A map whose texts hold what each format must escape. */
static const char tricky[] = "[controller]\n"
			     "name = Dupont & Fils <SARL>\n"
			     "address = 1 \"rue\" du Test, Paris\n"
			     "contact = contact@test.example\n"
			     "dpo = dpo@test.example\n"
			     "[activity:booking]\n"
			     "name = Réservation <script>alert(1)</script>\n"
			     "purposes = Réserver, annuler, \"remplacer\"\n"
			     "legal_basis = 6.1.b, 9.2.h\n"
			     "data_subjects = Candidats\n"
			     "data_categories = contact, health\n"
			     "recipients = Auto-école\n"
			     "processors = =HYPERLINK(\"http://x.example\")\n"
			     "transfers = aucun transfert hors UE\n"
			     "retention = keep\n"
			     "security_measures = Chiffrement 'fort'\n"
			     "[category:contact]\n"
			     "label = Adresse e-mail\n"
			     "sensitive = no\n"
			     "retention = keep\n"
			     "[category:health]\n"
			     "label = Certificat médical\n"
			     "sensitive = yes\n"
			     "retention = keep\n"
			     "[retention:keep]\n"
			     "label = Un an\n"
			     "kind = time\n"
			     "duration = 12 months\n";

static struct datamap *
tricky_map(void)
{
	struct datamap *m =
	    datamap_parse(tricky, strlen(tricky), err, sizeof(err));

	if (m == NULL)
		fail_msg("%s", err);
	if (datamap_validate(m, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return m;
}

static struct datamap *
real_map(void)
{
	struct datamap *m =
	    datamap_load("config/datamap.ini", err, sizeof(err));

	if (m == NULL)
		fail_msg("%s", err);
	return m;
}

static char *
render(const struct datamap *m, enum register_format fmt)
{
	struct buf b;
	char *s;

	buf_init(&b, REGISTER_MAX_BYTES);
	if (register_render(m, fmt, &b, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	s = buf_steal(&b, NULL);
	assert_non_null(s);
	buf_free(&b);
	return s;
}

static void
test_json(void **state)
{
	struct datamap *m = real_map();
	char *text = render(m, REGISTER_JSON);
	json_error_t jerr;
	json_t *root, *acts, *a, *cats;
	size_t i, j;
	int found;

	(void)state;
	root = json_loads(text, 0, &jerr);
	if (root == NULL)
		fail_msg("JSON does not parse: %s", jerr.text);
	assert_string_equal(json_string_value(
				json_object_get(json_object_get(root,
						    "controller"),
				    "name")),
	    m->controller.name);
	acts = json_object_get(root, "activities");
	assert_int_equal(json_array_size(acts), m->nactivities);
	for (i = 0; i < m->nactivities; i++) {
		found = 0;
		json_array_foreach (acts, j, a) {
			if (strcmp(json_string_value(json_object_get(a, "id")),
				m->activities[i].id) != 0)
				continue;
			found = 1;
			cats = json_object_get(a, "data_categories");
			assert_int_equal(json_array_size(cats),
			    m->activities[i].ncategories);
			assert_non_null(
			    json_object_get(json_object_get(a, "retention"),
				"description"));
		}
		assert_true(found);
	}
	/* Every rule of the map, each once. */
	assert_int_equal(json_array_size(
			     json_object_get(root, "retention_rules")),
	    m->nretentions);
	json_decref(root);
	free(text);
	datamap_free(m);
}

/*
 * Parses RFC 4180 text: counts records and checks each has nfields.
 * Stores field (row, col) unescaped in want_out when asked.
 */
static int
csv_parse(const char *s, size_t nfields, size_t row, size_t col, char *want_out,
    size_t outlen)
{
	size_t r = 0, c = 0, n = 0;
	int quoted;

	while (*s != '\0') {
		quoted = *s == '"';
		if (quoted)
			s++;
		n = 0;
		for (;;) {
			if (quoted && s[0] == '"' && s[1] == '"') {
				s++;
			} else if (quoted && s[0] == '"') {
				s++;
				break;
			} else if (!quoted &&
			    (s[0] == ',' || s[0] == '\r' || s[0] == '\0')) {
				break;
			} else {
				assert_true(s[0] != '\0');
				assert_true(quoted || s[0] != '\n');
			}
			if (r == row && c == col && n + 1 < outlen) {
				want_out[n++] = s[0];
				want_out[n] = '\0';
			}
			s++;
		}
		if (*s == ',') {
			s++;
			c++;
			continue;
		}
		/* Every record ends with CRLF. */
		assert_true(s[0] == '\r' && s[1] == '\n');
		s += 2;
		assert_int_equal(c + 1, nfields);
		r++;
		c = 0;
	}
	return (int)r;
}

static void
test_csv(void **state)
{
	struct datamap *m = tricky_map();
	char *text = render(m, REGISTER_CSV);
	char field[512];

	(void)state;
	assert_non_null(strstr(text,
	    "\"Réserver, annuler, "
	    "\"\"remplacer\"\"\""));
	assert_non_null(strstr(text, "\r\nbooking,"));
	/* Two categories: one field holding a line break, quoted. */
	assert_int_equal(csv_parse(text, 14, 1, 8, field, sizeof(field)), 2);
	assert_non_null(strchr(field, '\n'));
	assert_non_null(strstr(field, "Certificat médical (donnée sensible)"));
	assert_non_null(strstr(field, "conservation : Un an"));
	csv_parse(text, 14, 1, 2, field, sizeof(field));
	assert_string_equal(field, "Dupont & Fils <SARL>");
	/* A cell a spreadsheet would run as a formula is neutralised. */
	csv_parse(text, 14, 1, 10, field, sizeof(field));
	assert_string_equal(field, "'=HYPERLINK(\"http://x.example\")");
	free(text);
	datamap_free(m);

	m = real_map();
	text = render(m, REGISTER_CSV);
	assert_int_equal(csv_parse(text, 14, 0, 0, field, sizeof(field)),
	    (int)m->nactivities + 1);
	assert_string_equal(field, "id");
	free(text);
	datamap_free(m);
}

static size_t
count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

static void
test_html(void **state)
{
	struct datamap *m = tricky_map();
	char *text = render(m, REGISTER_HTML);

	(void)state;
	assert_int_equal(strncmp(text, "<!DOCTYPE html>\n<html lang=\"fr\">",
			     32),
	    0);
	assert_non_null(strstr(text, "Dupont &amp; Fils &lt;SARL&gt;"));
	assert_non_null(strstr(text, "1 &quot;rue&quot; du Test"));
	assert_non_null(strstr(text, "Chiffrement &#39;fort&#39;"));
	assert_non_null(strstr(text, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(text, "<script"));
	assert_null(strstr(text, "<SARL>"));
	assert_null(strstr(text, "style="));
	assert_non_null(strstr(text, "<h1>"));
	assert_non_null(strstr(text, "<th scope=\"row\">"));
	assert_non_null(strstr(text, "(donnée sensible)"));
	/* Dated and styled for print, by a style element only. */
	assert_non_null(strstr(text, "<p class=\"edition\">Édité le "));
	assert_non_null(strstr(text, "(heure de Paris).</p>"));
	assert_non_null(strstr(text, "@media print{"));
	assert_int_equal(count(text, "<style>"), 1);
	/* One table per activity, plus the controller and the rules. */
	assert_int_equal(count(text, "<table>"), m->nactivities + 2);
	assert_int_equal(count(text, "</html>"), 1);
	free(text);
	datamap_free(m);

	m = real_map();
	text = render(m, REGISTER_HTML);
	assert_int_equal(count(text, "<table>"), m->nactivities + 2);
	assert_null(strstr(text, "<script"));
	free(text);
	datamap_free(m);
}

static void
test_ceiling(void **state)
{
	struct datamap *m = real_map();
	struct buf b;

	(void)state;
	buf_init(&b, 256);
	assert_int_equal(register_render(m, REGISTER_HTML, &b, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "over"));
	buf_free(&b);
	datamap_free(m);
}

static void
test_export(void **state)
{
	static const char *const formats[] = { "json", "csv", "html" };
	char dir[64], path[128];
	FILE *f;
	size_t i;
	long len;

	(void)state;
	for (i = 0; i < 3; i++) {
		f = tmpfile();
		assert_non_null(f);
		if (register_export("config/datamap.ini", formats[i], f, err,
			sizeof(err)) != 0)
			fail_msg("%s: %s", formats[i], err);
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		assert_true(len > 1000);
		fclose(f);
	}
	f = tmpfile();
	assert_non_null(f);
	assert_int_equal(register_export("config/datamap.ini", "pdf", f, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "json, csv or html"));
	assert_int_equal(register_export("no/such/map.ini", "json", f, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "no/such/map.ini"));

	/* A map that validates but misses the schema's columns writes
	 * nothing. */
	assert_int_equal(unit_tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/map.ini", dir);
	{
		FILE *w = fopen(path, "w");

		assert_non_null(w);
		fputs(tricky, w);
		fclose(w);
	}
	assert_int_equal(register_export(path, "json", f, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "[columns]"));
	fseek(f, 0, SEEK_END);
	assert_int_equal(ftell(f), 0);
	fclose(f);
	unit_rmdir(dir);

	assert_int_equal(register_format_parse("csv",
			     &(enum register_format){ REGISTER_JSON }),
	    0);
}

/* A map with one activity for schools, one for every kind, and a rule a
 * client may choose within 6..12 months. */
static const char kinds[] = "[controller]\n"
			    "name = Opérateur SAS\n"
			    "address = 2 rue de l'Opérateur, Lyon\n"
			    "contact = contact@operateur.example\n"
			    "dpo = dpo@operateur.example\n"
			    "[activity:exams]\n"
			    "org_kinds = school, authority\n"
			    "name = Examens\n"
			    "purposes = Réserver\n"
			    "legal_basis = 6.1.e\n"
			    "data_subjects = Candidats\n"
			    "data_categories = contact\n"
			    "recipients = Auto-école\n"
			    "processors = Hébergeur HDS\n"
			    "transfers = Aucun\n"
			    "retention = keep\n"
			    "security_measures = Chiffrement\n"
			    "[activity:appointments]\n"
			    "org_kinds = service\n"
			    "name = Rendez-vous\n"
			    "purposes = Recevoir\n"
			    "legal_basis = 6.1.e\n"
			    "data_subjects = Usagers\n"
			    "data_categories = contact\n"
			    "recipients = Agents\n"
			    "processors = Aucun\n"
			    "transfers = Aucun\n"
			    "retention = keep\n"
			    "security_measures = Chiffrement\n"
			    "[activity:accounts]\n"
			    "name = Comptes\n"
			    "purposes = Authentifier\n"
			    "legal_basis = 6.1.b\n"
			    "data_subjects = Personnels\n"
			    "data_categories = contact\n"
			    "recipients = Administrateurs\n"
			    "processors = Aucun\n"
			    "transfers = Aucun\n"
			    "retention = keep\n"
			    "security_measures = Second facteur\n"
			    "[category:contact]\n"
			    "label = Adresse e-mail\n"
			    "sensitive = no\n"
			    "retention = keep\n"
			    "[retention:keep]\n"
			    "label = Un an\n"
			    "kind = time\n"
			    "duration = 12 months\n"
			    "tenant_min = 6 months\n"
			    "tenant_max = 12 months\n";

static struct datamap *
kinds_map(void)
{
	struct datamap *m =
	    datamap_parse(kinds, strlen(kinds), err, sizeof(err));

	if (m == NULL)
		fail_msg("%s", err);
	if (datamap_validate(m, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return m;
}

static json_t *
activity_ids(json_t *acts)
{
	json_t *ids = json_array();
	size_t i;

	for (i = 0; i < json_array_size(acts); i++)
		json_array_append(ids,
		    json_object_get(json_array_get(acts, i), "id"));
	return ids;
}

/* A school's own register: its activities only, itself as controller,
 * the operator as processor, its retention choice. */
static void
test_tenant_register(void **state)
{
	struct register_tenant t = { "Auto-école <Les Tilleuls>", "school",
		"contact@tilleuls.example", "dpo@tilleuls.example",
		"{\"keep\": 24}" };
	struct datamap *m = kinds_map();
	struct buf b;
	json_t *root, *acts, *ids, *ctl, *ret;
	char *ids_text;

	(void)state;
	buf_init(&b, REGISTER_MAX_BYTES);
	assert_int_equal(register_render_tenant(m, &t, REGISTER_JSON, &b, err,
			     sizeof(err)),
	    0);
	root = json_loadb(b.data, b.len, 0, NULL);
	assert_non_null(root);
	ctl = json_object_get(root, "controller");
	assert_string_equal(json_string_value(json_object_get(ctl, "name")),
	    "Auto-école <Les Tilleuls>");
	assert_string_equal(json_string_value(json_object_get(ctl, "dpo")),
	    "dpo@tilleuls.example");
	acts = json_object_get(root, "activities");
	ids = activity_ids(acts);
	ids_text = json_dumps(ids, JSON_COMPACT);
	assert_string_equal(ids_text, "[\"exams\",\"accounts\"]");
	free(ids_text);
	json_decref(ids);
	/* The operator first among the processors, then the map's. */
	assert_non_null(
	    strstr(json_string_value(
		       json_object_get(json_array_get(acts, 0), "processors")),
		"Opérateur SAS"));
	assert_non_null(
	    strstr(json_string_value(
		       json_object_get(json_array_get(acts, 0), "processors")),
		"Hébergeur HDS"));
	ret = json_object_get(json_array_get(acts, 0), "retention");
	assert_int_equal(json_integer_value(
			     json_object_get(json_object_get(ret, "duration"),
				 "value")),
	    24);
	json_decref(root);
	buf_free(&b);
	/* The map itself is untouched: the instance's register keeps its
	 * controller and its period. */
	assert_string_equal(m->controller.name, "Opérateur SAS");
	assert_int_equal(m->retentions[0].duration.value, 12);
	assert_int_equal(m->nactivities, 3);
	/* HTML escapes the organisation's own texts. */
	buf_init(&b, REGISTER_MAX_BYTES);
	assert_int_equal(register_render_tenant(m, &t, REGISTER_HTML, &b, err,
			     sizeof(err)),
	    0);
	assert_int_equal(buf_append(&b, "", 1), BUF_OK);
	assert_non_null(strstr(b.data, "Auto-école &lt;Les Tilleuls&gt;"));
	assert_null(strstr(b.data, "Rendez-vous"));
	buf_free(&b);
	datamap_free(m);
}

/* The processor's register lists every client with the activities of its
 * kind. */
static void
test_processor_register(void **state)
{
	const struct register_client cl[] = {
		{ "a1", "Auto-école des Tilleuls", "school", "active",
		    "contact@tilleuls.example", "dpo@tilleuls.example" },
		{ "b2", "CCAS de Rezé", "service", "suspended", "", "" },
	};
	struct datamap *m = kinds_map();
	struct buf b;
	json_t *root, *clients, *ids;
	char *text;

	(void)state;
	buf_init(&b, REGISTER_MAX_BYTES);
	assert_int_equal(register_render_processor(m, cl, 2, REGISTER_JSON, &b,
			     err, sizeof(err)),
	    0);
	root = json_loadb(b.data, b.len, 0, NULL);
	assert_non_null(root);
	assert_string_equal(json_string_value(
				json_object_get(json_object_get(root,
						    "processor"),
				    "name")),
	    "Opérateur SAS");
	clients = json_object_get(root, "clients");
	assert_int_equal(json_array_size(clients), 2);
	ids = json_object_get(json_array_get(clients, 1), "activities");
	text = json_dumps(ids, JSON_COMPACT);
	assert_string_equal(text, "[\"appointments\",\"accounts\"]");
	free(text);
	assert_string_equal(json_string_value(
				json_object_get(json_array_get(clients, 1),
				    "state")),
	    "suspended");
	json_decref(root);
	buf_free(&b);
	/* CSV: one row per client and activity, plus the header. */
	buf_init(&b, REGISTER_MAX_BYTES);
	assert_int_equal(register_render_processor(m, cl, 2, REGISTER_CSV, &b,
			     err, sizeof(err)),
	    0);
	{
		size_t i, rows = 0;

		for (i = 0; i < b.len; i++)
			rows += b.data[i] == '\n';
		assert_int_equal(rows, 1 + 2 + 2);
	}
	buf_free(&b);
	datamap_free(m);
}

/* An unknown kind in org_kinds is refused, naming the activity. */
static void
test_org_kinds_checked(void **state)
{
	char text[sizeof(kinds) + 16];
	struct datamap *m;
	char *p;

	(void)state;
	snprintf(text, sizeof(text), "%s", kinds);
	p = strstr(text, "school, authority");
	assert_non_null(p);
	memcpy(p, "school, garage!!", 16);
	m = datamap_parse(text, strlen(text), err, sizeof(err));
	assert_non_null(m);
	assert_int_not_equal(datamap_validate(m, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "[activity:exams] org_kinds"));
	datamap_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_ceiling),
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_tenant_register),
		cmocka_unit_test(test_processor_register),
		cmocka_unit_test(test_org_kinds_checked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
