/* test_policy.c - the privacy policy generated from the data map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>

#include "gdpr/policy.h"
#include "unit.h"

/* Reads config/datamap.ini into a malloc'ed text. */
static char *
read_map(size_t *len)
{
	FILE *f = fopen("config/datamap.ini", "rb");
	char *t = malloc(DATAMAP_MAX_FILE_BYTES + 1);

	assert_non_null(f);
	assert_non_null(t);
	*len = fread(t, 1, DATAMAP_MAX_FILE_BYTES, f);
	t[*len] = '\0';
	fclose(f);
	return t;
}

static struct datamap *
parse(const char *text)
{
	char err[512] = "";
	struct datamap *m = datamap_parse(text, strlen(text), err, sizeof(err));

	if (m == NULL || datamap_validate(m, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	return m;
}

static char *
render(const struct datamap *m, char version[POLICY_VERSION_MAX])
{
	struct buf b;
	size_t n;

	buf_init(&b, POLICY_MAX_BYTES);
	assert_int_equal(policy_render_html(m, &b, version), 0);
	return buf_steal(&b, &n);
}

static void
test_html(void **state)
{
	char v[POLICY_VERSION_MAX], v2[POLICY_VERSION_MAX], *text, *html;
	struct datamap *m;
	size_t len, i;

	(void)state;
	text = read_map(&len);
	m = parse(text);
	html = render(m, v);
	/* The controller, the DPO, every activity, the rights, the CNIL,
	 * the two cookies and only them. */
	assert_non_null(strstr(html, "dpo@resapermis.example"));
	for (i = 0; i < m->nactivities; i++)
		assert_non_null(strstr(html, m->activities[i].id));
	assert_non_null(strstr(html, "mission d&#39;intérêt public"));
	assert_non_null(strstr(html, "Réclamation"));
	assert_non_null(strstr(html, "https://www.cnil.fr/fr/plaintes"));
	assert_non_null(strstr(html, "__Host-creneau"));
	assert_non_null(strstr(html, "XSRF-TOKEN"));
	assert_non_null(strstr(html, "Courriels facultatifs"));
	assert_non_null(strstr(html, "12 mois après l&#39;enregistrement"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "style="));
	assert_null(strstr(html, "<style"));
	/* The version: "1.0+" and 16 hex digits, shown on the page, and
	 * the same as policy_version(). */
	assert_int_equal(strncmp(v, "1.0+", 4), 0);
	assert_int_equal(strlen(v), 4 + 16);
	for (i = 4; i < strlen(v); i++)
		assert_true(isxdigit((unsigned char)v[i]));
	assert_non_null(strstr(html, v));
	assert_int_equal(policy_version(m, v2), 0);
	assert_string_equal(v, v2);
	free(html);
	datamap_free(m);
	free(text);
}

/* Every retention rule the engine applies to a category of the map is
 * stated in the policy: the in-app notifications' 12 months among them. */
static void
test_every_rule_stated(void **state)
{
	char v[POLICY_VERSION_MAX], label[1024], *text, *html;
	const struct datamap_retention *r;
	struct datamap *m;
	size_t len, i, k, o;

	(void)state;
	text = read_map(&len);
	m = parse(text);
	html = render(m, v);
	assert_non_null(strstr(html, "supprimées 12 mois après leur création"));
	for (i = 0; i < m->ncategories; i++) {
		r = datamap_retention_find(m, m->categories[i].retention);
		assert_non_null(r);
		/* The label as the page escapes it (' as &#39;). */
		for (k = 0, o = 0; r->label[k] != '\0' && o + 6 < sizeof(label);
		     k++) {
			if (r->label[k] == '\'') {
				memcpy(label + o, "&#39;", 5);
				o += 5;
			} else {
				label[o++] = r->label[k];
			}
		}
		label[o] = '\0';
		if (strstr(html, label) == NULL)
			fail_msg("rule %s of category %s is not in the policy",
			    r->id, m->categories[i].id);
	}
	free(html);
	datamap_free(m);
	free(text);
}

/* Changing the map in a copy changes the page and the version; the same
 * map gives the same version. */
static void
test_version_follows_map(void **state)
{
	char v1[POLICY_VERSION_MAX], v2[POLICY_VERSION_MAX],
	    v3[POLICY_VERSION_MAX], dir[64], path[128], err[256];
	char *text, *h1, *h2, *p;
	struct datamap *m;
	size_t len;
	FILE *f;

	(void)state;
	text = read_map(&len);
	m = parse(text);
	h1 = render(m, v1);
	datamap_free(m);
	/* A copy in a temporary directory with one recipient changed and a
	 * character that must be escaped. */
	assert_int_equal(unit_tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/datamap.ini", dir);
	p = strstr(text, "recipients = L'utilisateur lui-même");
	assert_non_null(p);
	memcpy(p + 13, "<Le titulaire", 13);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	m = datamap_load(path, err, sizeof(err));
	assert_non_null(m);
	assert_int_equal(datamap_validate(m, err, sizeof(err)), 0);
	h2 = render(m, v2);
	assert_string_not_equal(v1, v2);
	assert_string_not_equal(h1, h2);
	assert_non_null(strstr(h2, "&lt;Le titulaire"));
	assert_null(strstr(h2, "<Le titulaire"));
	assert_int_equal(policy_version(m, v3), 0);
	assert_string_equal(v2, v3);
	datamap_free(m);
	unit_rmdir(dir);
	free(h1);
	free(h2);
	free(text);
}

static const char small[] =
    "[controller]\n"
    "name = Org\naddress = A\ncontact = c@x\ndpo = d@x\n"
    "[activity:a]\nname = A\npurposes = P\n"
    "legal_basis = 6.1.b\ndata_subjects = S\n"
    "data_categories = c\nrecipients = R\n"
    "processors = H\ntransfers = aucun\n"
    "retention = keep\nsecurity_measures = M\n"
    "[category:c]\nlabel = C\nsensitive = no\n"
    "retention = keep\n"
    "[retention:keep]\nlabel = K\nkind = time\n"
    "duration = 12 months\n";

/* Without [policy] the version is the hash alone; without [consent:*]
 * the policy says nothing depends on consent; JSON has the sections. */
static void
test_minimal_and_json(void **state)
{
	char v[POLICY_VERSION_MAX], *h;
	struct datamap *m = parse(small);
	json_t *o, *secs;

	(void)state;
	h = render(m, v);
	assert_int_equal(strlen(v), 16);
	assert_non_null(strstr(h,
	    "Aucun traitement ne repose sur votre "
	    "consentement."));
	assert_non_null(strstr(h, "Version non numérotée."));
	o = policy_json(m);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "version")),
	    v);
	assert_true(json_is_null(json_object_get(o, "human_version")));
	secs = json_object_get(o, "sections");
	/* controller, one activity, consents, rights, cookies, version */
	assert_int_equal(json_array_size(secs), 6);
	assert_string_equal(json_string_value(
				json_object_get(json_array_get(secs, 1), "id")),
	    "traitement-a");
	json_decref(o);
	free(h);
	datamap_free(m);
}

/* [policy] and [consent:*] are checked. */
static void
test_map_checks(void **state)
{
	char text[2048], err[256];
	struct datamap *m;

	(void)state;
	snprintf(text, sizeof(text), "%s[policy]\ndate = 2026-13-01\n", small);
	m = datamap_parse(text, strlen(text), err, sizeof(err));
	assert_non_null(m);
	assert_int_equal(datamap_validate(m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "[policy] date"));
	datamap_free(m);
	snprintf(text, sizeof(text), "%s[consent:x]\nlabel = X\n", small);
	m = datamap_parse(text, strlen(text), err, sizeof(err));
	assert_non_null(m);
	assert_int_equal(datamap_validate(m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "[consent:x] description"));
	datamap_free(m);
	snprintf(text, sizeof(text), "%s[policy]\nauthor = moi\n", small);
	assert_null(datamap_parse(text, strlen(text), err, sizeof(err)));
	assert_non_null(strstr(err, "[policy] author: unknown key"));
	snprintf(text, sizeof(text),
	    "%s[policy]\nversion = 2\ndate = 2026-11-25\n"
	    "[consent:x]\nlabel = X\ndescription = D\n",
	    small);
	m = parse(text);
	assert_non_null(datamap_consent_find(m, "x"));
	assert_null(datamap_consent_find(m, "y"));
	datamap_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_every_rule_stated),
		cmocka_unit_test(test_version_follows_map),
		cmocka_unit_test(test_minimal_and_json),
		cmocka_unit_test(test_map_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
