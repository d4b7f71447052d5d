/* test_appt_codes.c - src/appointments/appt_codes.c: every refusal code
 * of the appointments module has its stable string, status and French
 * message, and a validation error names its field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "appointments/appt_codes.h"
#include "unit.h"

/* The strings clients rely on: changing one breaks them. */
static const char *const stable[] = { "ORGANISATION_INCONNUE",
	"SERVICE_INCONNU", "LIEU_INCONNU", "AGENT_INCONNU", "MOTIF_INCONNU",
	"PLAGE_INCONNUE", "ABSENCE_INCONNUE", "USAGER_INCONNU",
	"PROCHE_INCONNU", "RDV_INCONNU", "CRENEAU_INCONNU", "CRENEAU_DEJA_PRIS",
	"LIEU_COMPLET", "CAPACITE_ATTEINTE", "PLAGE_CHEVAUCHEMENT",
	"HORS_PLAGE_OUVERTURE", "AGENT_INDISPONIBLE", "USAGER_DEJA_EN_RDV",
	"USAGER_DEJA_INSCRIT", "DELAI_MINIMUM_NON_RESPECTE",
	"DELAI_MAXIMUM_DEPASSE", "ANNULATION_TROP_TARDIVE",
	"MODIFICATION_TROP_TARDIVE", "RDV_PASSE", "RDV_NON_COMMENCE",
	"RDV_DEJA_ANNULE", "TRANSITION_INTERDITE",
	"MOTIF_NON_RESERVABLE_EN_LIGNE", "MOTIF_COLLECTIF", "MOTIF_INDIVIDUEL",
	"PARAMETRE_INVALIDE", "ACTION_INTERDITE", "RESERVATION_EXPIREE",
	"LIEN_INVALIDE" };

static void
test_every_code_round_trips(void **state)
{
	size_t i, n = sizeof(stable) / sizeof(stable[0]);
	enum appt_code c;

	(void)state;
	assert_int_equal(n + 1, APPT_CODE_COUNT);
	for (i = 0; i < n; i++) {
		assert_int_equal(appt_code_parse(stable[i], &c), 0);
		assert_string_equal(appt_code_name(c), stable[i]);
		assert_non_null(appt_code_message(c));
		assert_true(strlen(appt_code_message(c)) > 10);
	}
	assert_string_equal(appt_code_name(APPT_OK), "OK");
	assert_string_equal(appt_code_name(APPT_CRENEAU_DEJA_PRIS),
	    "CRENEAU_DEJA_PRIS");
	assert_int_equal(appt_code_parse("creneau_deja_pris", &c), -1);
	assert_int_equal(appt_code_parse(NULL, &c), -1);
}

static void
test_statuses(void **state)
{
	int i;
	const char *name;

	(void)state;
	assert_int_equal(appt_code_status(APPT_OK), 200);
	for (i = 1; i < APPT_CODE_COUNT; i++) {
		int st = appt_code_status((enum appt_code)i);

		name = appt_code_name((enum appt_code)i);
		if (strstr(name, "_INCONNU") != NULL)
			assert_int_equal(st, 404);
		else if (i == APPT_CRENEAU_DEJA_PRIS ||
		    i == APPT_LIEU_COMPLET || i == APPT_CAPACITE_ATTEINTE ||
		    i == APPT_PLAGE_CHEVAUCHEMENT)
			assert_int_equal(st, 409);
		else if (i == APPT_ACTION_INTERDITE)
			assert_int_equal(st, 403);
		else if (i == APPT_RESERVATION_EXPIREE ||
		    i == APPT_LIEN_INVALIDE)
			assert_int_equal(st, 410);
		else
			assert_int_equal(st, 422);
	}
}

static void
test_out_of_range(void **state)
{
	(void)state;
	assert_null(appt_code_name(APPT_CODE_COUNT));
	assert_null(appt_code_name((enum appt_code) - 1));
	assert_null(appt_code_message(APPT_CODE_COUNT));
	assert_int_equal(appt_code_status(APPT_CODE_COUNT), 500);
}

static void
test_error_detail_names_the_field(void **state)
{
	struct appt_error e;
	char buf[160];

	(void)state;
	assert_int_equal(appt_error_set(&e, APPT_PARAMETRE_INVALIDE,
			     "every_weeks", "doit être entre 1 et 52"),
	    APPT_PARAMETRE_INVALIDE);
	assert_true(appt_error_detail(&e, buf, sizeof(buf)) > 0);
	assert_string_equal(buf,
	    "Le champ « every_weeks » doit être entre 1 et 52.");
	/* Without a field: the code's message. */
	appt_error_set(&e, APPT_HORS_PLAGE_OUVERTURE, NULL, NULL);
	appt_error_detail(&e, buf, sizeof(buf));
	assert_string_equal(buf, appt_code_message(APPT_HORS_PLAGE_OUVERTURE));
	/* Cut, but NUL-terminated, and the full length is returned. */
	appt_error_set(&e, APPT_PARAMETRE_INVALIDE, "name", "est vide");
	assert_int_equal(appt_error_detail(&e, buf, 8),
	    (int)strlen("Le champ « name » est vide."));
	assert_int_equal(strlen(buf), 7);
	assert_int_equal(appt_error_detail(NULL, buf, sizeof(buf)), -1);
	assert_int_equal(appt_error_set(NULL, APPT_OK, NULL, NULL), APPT_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_code_round_trips),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_error_detail_names_the_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
