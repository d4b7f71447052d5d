/*
 * test_datamap.c - src/gdpr/datamap.c: the real config/datamap.ini loads,
 * validates and covers every column of the schema; each validation rule
 * refuses a small map with a message naming the section and key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gdpr/datamap.h"
#include "store/columns.h"
#include "unit.h"

static char dir[64];
static char err[512];

/* A complete, valid map, small enough to mutate one line at a time. */
static const char base[] = "[controller]\n"
			   "name = Organisme de test\n"
			   "address = 1 rue du Test, 75000 Paris\n"
			   "contact = contact@test.example\n"
			   "dpo = dpo@test.example\n"
			   "[activity:booking]\n"
			   "name = Réservation\n"
			   "purposes = Réserver des places d'examen\n"
			   "legal_basis = 6.1.b\n"
			   "data_subjects = Candidats\n"
			   "data_categories = contact\n"
			   "recipients = Auto-école\n"
			   "processors = Hébergeur UE\n"
			   "transfers = aucun transfert hors UE\n"
			   "retention = keep\n"
			   "security_measures = Chiffrement\n"
			   "[category:contact]\n"
			   "label = Adresse e-mail\n"
			   "sensitive = no\n"
			   "retention = keep\n"
			   "[retention:keep]\n"
			   "label = Un an\n"
			   "kind = time\n"
			   "duration = 12 months\n"
			   "[columns]\n"
			   "accounts.email = contact\n"
			   "accounts.status = none\n";

static const struct column_decl cols[] = {
	{ STORE_SCHEMA_MAIN, "accounts", "email", COL_SEALED,
	    "contact: email" },
	{ STORE_SCHEMA_MAIN, "accounts", "status", COL_NONE, NULL },
};

static int
setup(void **state)
{
	(void)state;
	return unit_tmpdir(dir, sizeof(dir));
}

static int
teardown(void **state)
{
	(void)state;
	unit_rmdir(dir);
	return 0;
}

/* Returns base with the first occurrence of from replaced by to, in a
 * static buffer. */
static const char *
mutate(const char *from, const char *to)
{
	static char out[8192];
	const char *at = strstr(base, from);

	assert_non_null(at);
	out[0] = '\0';
	snprintf(out, sizeof(out), "%.*s", (int)(at - base), base);
	unit_append(out, sizeof(out), to);
	unit_append(out, sizeof(out), at + strlen(from));
	return out;
}

/* Writes text to a temporary file, then loads, validates and checks it
 * against cols. Returns "" when all pass, else the first error. */
static const char *
run(const char *text)
{
	char path[128];
	struct datamap *m;
	FILE *f;

	snprintf(path, sizeof(path), "%s/map.ini", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	err[0] = '\0';
	m = datamap_load(path, err, sizeof(err));
	if (m == NULL)
		return err;
	if (datamap_validate(m, err, sizeof(err)) == 0 &&
	    datamap_check_columns(m, cols, sizeof(cols) / sizeof(cols[0]), err,
		sizeof(err)) == 0)
		err[0] = '\0';
	datamap_free(m);
	return err;
}

static void
refused(const char *text, const char *where)
{
	const char *e = run(text);

	if (strstr(e, where) == NULL || strncmp(e, "datamap: ", 9) != 0)
		fail_msg("expected an error naming \"%s\", got \"%s\"", where,
		    e);
}

static void
test_real_map(void **state)
{
	struct datamap *m;
	const struct datamap_retention *r;
	size_t i;

	(void)state;
	m = datamap_load("config/datamap.ini", err, sizeof(err));
	if (m == NULL)
		fail_msg("%s", err);
	if (datamap_validate(m, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	if (datamap_check_columns(m, store_columns, store_columns_count, err,
		sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_true(m->nactivities >= 3);
	/* Every row of PRIVACY.md's retention table, built or not, and the
	 * breach register's legal hold (PRIVACY.md section 4) and the email
	 * outbox, and the in-app notifications, and the SMS outbox and the
	 * appointments' waiting list, and the dossiers' respite times, and
	 * remote mode's copies of the authority's lists. */
	assert_int_equal(m->nretentions, 23);
	r = datamap_retention_find(m, "authority_copy");
	assert_non_null(r);
	assert_int_equal(r->kind, DATAMAP_KIND_TIME);
	assert_int_equal(r->duration.value, 7);
	r = datamap_retention_find(m, "commercial_documents");
	assert_non_null(r);
	assert_int_equal(r->kind, DATAMAP_KIND_LEGAL_HOLD);
	assert_int_equal(r->duration.value, 120);
	r = datamap_retention_find(m, "pro_account");
	assert_non_null(r);
	assert_int_equal(r->kind, DATAMAP_KIND_INACTIVITY);
	assert_int_equal(r->grace.value, 30);
	assert_int_equal(r->grace.unit, DATAMAP_DAYS);
	for (i = 0; i < m->nactivities; i++)
		assert_string_equal(m->activities[i].field[DATAMAP_TRANSFERS],
		    "aucun transfert hors UE");
	/* Indented lines were joined into one value. */
	assert_non_null(strstr(m->controller.name, "l'organisme qui"));
	datamap_free(m);
}

static void
test_base_is_valid(void **state)
{
	(void)state;
	assert_string_equal(run(base), "");
	datamap_free(NULL);
}

static void
test_activity_fields(void **state)
{
	(void)state;
	refused(mutate("recipients = Auto-école\n", ""),
	    "[activity:booking] recipients");
	refused(mutate("purposes = Réserver des places d'examen", "purposes ="),
	    "[activity:booking] purposes");
	refused(mutate("purposes = Réserver des places d'examen",
		    "purposes = x\ncolour = blue"),
	    "[activity:booking] colour");
	refused(mutate("transfers = aucun transfert hors UE", "transfers =  "),
	    "[activity:booking] transfers");
}

static void
test_references(void **state)
{
	(void)state;
	refused(mutate("data_categories = contact",
		    "data_categories = contact, health"),
	    "[activity:booking] data_categories");
	refused(mutate("data_categories = contact",
		    "data_categories = contact,,contact"),
	    "[activity:booking] data_categories");
	refused(mutate("retention = keep\nsecurity",
		    "retention = gone\nsecurity"),
	    "[activity:booking] retention");
	refused(mutate("sensitive = no\nretention = keep",
		    "sensitive = no\nretention = gone"),
	    "[category:contact] retention");
	refused(mutate("[retention:keep]",
		    "[category:spare]\nlabel = Inutile\nsensitive = no\n"
		    "retention = keep\n[retention:keep]"),
	    "[category:spare]");
	refused(mutate("label = Adresse e-mail\n", ""),
	    "[category:contact] label");
}

static void
test_legal_basis(void **state)
{
	(void)state;
	refused(mutate("legal_basis = 6.1.b", "legal_basis = 6.1.z"),
	    "[activity:booking] legal_basis");
	refused(mutate("legal_basis = 6.1.b", "legal_basis = contract"),
	    "[activity:booking] legal_basis");
	refused(mutate("legal_basis = 6.1.b", "legal_basis = 9.2.a"),
	    "[activity:booking] legal_basis");
	/* Health documents need an Art. 9 basis besides the Art. 6 one. */
	refused(mutate("sensitive = no", "sensitive = yes"),
	    "[activity:booking] legal_basis");
	assert_string_equal(run(mutate("legal_basis = 6.1.b\ndata_subjects",
				"legal_basis = 6.1.b, 9.2.h\ndata_subjects")),
	    "");
	refused(mutate("sensitive = no", "sensitive = maybe"),
	    "[category:contact] sensitive");
	refused(mutate("sensitive = no\n", ""), "[category:contact] sensitive");
}

static void
test_retention_rules(void **state)
{
	(void)state;
	refused(mutate("kind = time", "kind = forever"),
	    "[retention:keep] kind");
	refused(mutate("kind = time\n", ""), "[retention:keep] kind");
	refused(mutate("duration = 12 months", "duration = 0 months"),
	    "[retention:keep] duration");
	refused(mutate("duration = 12 months", "duration = -3 months"),
	    "[retention:keep] duration");
	refused(mutate("duration = 12 months", "duration = 12 fortnights"),
	    "[retention:keep] duration");
	refused(mutate("duration = 12 months", "duration = 99999999 days"),
	    "[retention:keep] duration");
	refused(mutate("duration = 12 months\n", ""),
	    "[retention:keep] duration");
	refused(mutate("kind = time", "kind = event"),
	    "[retention:keep] event");
	refused(mutate("kind = time", "kind = time\nevent = closed"),
	    "[retention:keep] event");
	refused(mutate("kind = time", "kind = time\ngrace = 30 days"),
	    "[retention:keep] grace");
	refused(mutate("kind = time", "kind = time\nmax_duration = 2 months"),
	    "[retention:keep] max_duration");
	refused(mutate("label = Un an\n", ""), "[retention:keep] label");
	/* An event is named in French for the policy and the registers. */
	refused(mutate("kind = time\nduration = 12 months",
		    "kind = event\nevent = closed\nduration = 0 days"),
	    "[retention:keep] event_label");
	refused(mutate("kind = time", "kind = time\nevent_label = la fin"),
	    "[retention:keep] event_label");
	/* An event rule may purge right after its event. */
	assert_string_equal(run(mutate("kind = time\nduration = 12 months",
				"kind = event\nevent = closed\n"
				"event_label = la clôture\n"
				"duration = 0 days")),
	    "");
}

static void
test_controller_and_syntax(void **state)
{
	char longline[400];

	(void)state;
	refused(mutate("dpo = dpo@test.example\n", ""), "[controller] dpo");
	refused(mutate("name = Organisme de test", "name ="),
	    "[controller] name");
	refused(mutate("[activity:booking]",
		    "[widget:x]\nname = y\n"
		    "[activity:booking]"),
	    "[widget:x]");
	refused(mutate("[activity:booking]",
		    "[activity:Bad Id]\nname = y\n"
		    "[activity:booking]"),
	    "[activity:Bad Id]");
	refused(mutate("[activity:booking]",
		    "no equals sign here\n"
		    "[activity:booking]"),
	    "line 6");
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	memcpy(longline, "purposes = ", 11);
	refused(mutate("purposes = Réserver des places d'examen", longline),
	    "line 8");
	refused(mutate("[activity:booking]\n", ""), "[controller] purposes");
}

static void
test_columns(void **state)
{
	(void)state;
	refused(mutate("accounts.status = none\n", ""),
	    "[columns] accounts.status");
	refused(mutate("accounts.status = none", "accounts.status = contact"),
	    "[columns] accounts.status");
	refused(mutate("accounts.email = contact", "accounts.email = none"),
	    "[columns] accounts.email");
	refused(mutate("accounts.email = contact", "accounts.email = health"),
	    "[columns] accounts.email");
	refused(mutate("accounts.status = none",
		    "accounts.status = none\naccounts.shoe_size = none"),
	    "[columns] accounts.shoe_size");
	refused(mutate("accounts.status = none",
		    "accounts.status = none\naccounts.status = none"),
	    "[columns] accounts.status");
	refused(mutate("accounts.status = none", "accounts = none"),
	    "[columns] accounts");
}

static void
test_describe(void **state)
{
	struct datamap_retention r;
	char text[256];

	(void)state;
	memset(&r, 0, sizeof(r));
	r.kind = DATAMAP_KIND_TIME;
	r.duration.set = 1;
	r.duration.value = 13;
	r.duration.unit = DATAMAP_MONTHS;
	assert_int_equal(datamap_retention_describe(&r, text, sizeof(text)), 0);
	assert_string_equal(text, "13 mois après l'enregistrement");
	assert_int_equal(datamap_retention_describe(&r, text, 8), -1);
	assert_int_equal(strlen(text), 7);
	/* Whole years past two read as years; the event in French. */
	r.duration.value = 120;
	r.kind = DATAMAP_KIND_EVENT;
	r.event = "closed";
	r.event_label = "la clôture du dossier";
	assert_int_equal(datamap_retention_describe(&r, text, sizeof(text)), 0);
	assert_string_equal(text, "jusqu'à la clôture du dossier, puis 10 ans");
	r.duration.value = 12;
	r.kind = DATAMAP_KIND_TIME;
	assert_int_equal(datamap_retention_describe(&r, text, sizeof(text)), 0);
	assert_string_equal(text, "12 mois après l'enregistrement");
	assert_string_equal(datamap_kind_name(DATAMAP_KIND_LEGAL_HOLD),
	    "legal_hold");
	assert_null(datamap_basis_label("6.2.a"));
	assert_non_null(datamap_basis_label("9.2.h"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_map),
		cmocka_unit_test(test_base_is_valid),
		cmocka_unit_test(test_activity_fields),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_legal_basis),
		cmocka_unit_test(test_retention_rules),
		cmocka_unit_test(test_controller_and_syntax),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
