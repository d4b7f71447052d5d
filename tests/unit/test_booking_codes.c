/* test_booking_codes.c - src/booking/codes.c: every code of RULES.md has
 * its stable string, status and message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "booking/codes.h"
#include "unit.h"

/* The list of RULES.md, in its order. */
static const char *const rules_codes[] = { "CANDIDAT_INCONNU",
	"CANDIDAT_DEJA_SOUS_MANDAT", "CANDIDAT_DEJA_SOUS_MON_MANDAT",
	"CANDIDAT_PAS_SOUS_MANDAT", "CANDIDAT_OBLIGATOIRE",
	"CANDIDAT_DEJA_DANS_PANIER", "CANDIDAT_DEJA_INSCRIT",
	"CANDIDAT_EN_ATTENTE_DE_RESULTAT",
	"CANDIDAT_AYANT_DEJA_OBTENU_SON_EXAMEN", "CANDIDAT_SOUS_PENALITE",
	"CENTRE_INCONNU", "CRENEAU_INCONNU", "CRENEAU_DEJA_RESERVE",
	"CRENEAU_PAS_DANS_LE_PANIER", "PANIER_INCONNU", "PANIER_PLEIN",
	"PANIER_EXPIRE", "TROP_DE_CRENEAUX", "SEUIL_ATTEINT",
	"ACTION_INTERDITE", "EXAMEN_INCONNU", "EXAMEN_DEJA_ANNULE",
	"EXAMEN_NON_MODIFIABLE", "PERMUTATION_IMPOSSIBLE",
	"NOMBRE_DE_REMPLACEMENTS_AUTORISES_ATTEINT", "PARAMETRE_INVALIDE" };

static void
test_every_rules_code_round_trips(void **state)
{
	size_t i, n = sizeof(rules_codes) / sizeof(rules_codes[0]);
	enum bk_code c;

	(void)state;
	assert_int_equal(n + 1, BK_CODE_COUNT);
	for (i = 0; i < n; i++) {
		assert_int_equal(bk_code_parse(rules_codes[i], &c), 0);
		assert_string_equal(bk_code_name(c), rules_codes[i]);
		assert_non_null(bk_code_message(c));
		assert_true(strlen(bk_code_message(c)) > 10);
	}
	assert_string_equal(bk_code_name(BK_SEUIL_ATTEINT), "SEUIL_ATTEINT");
	assert_string_equal(bk_code_name(BK_OK), "OK");
}

static void
test_statuses(void **state)
{
	int i;
	const char *name;

	(void)state;
	for (i = 1; i < BK_CODE_COUNT; i++) {
		name = bk_code_name((enum bk_code)i);
		if (strstr(name, "_INCONNU") != NULL)
			assert_int_equal(bk_code_status((enum bk_code)i), 404);
		else if (i == BK_CRENEAU_DEJA_RESERVE)
			assert_int_equal(bk_code_status((enum bk_code)i), 409);
		else if (i == BK_ACTION_INTERDITE)
			assert_int_equal(bk_code_status((enum bk_code)i), 403);
		else
			assert_int_equal(bk_code_status((enum bk_code)i), 422);
	}
	assert_int_equal(bk_code_status(BK_OK), 200);
	assert_int_equal(bk_code_status(BK_PARAMETRE_INVALIDE), 422);
}

static void
test_messages_with_dates(void **state)
{
	(void)state;
	assert_non_null(strstr(bk_code_message(BK_ACTION_INTERDITE), "{date}"));
	assert_non_null(
	    strstr(bk_code_message(BK_CANDIDAT_SOUS_PENALITE), "{date}"));
	assert_null(strstr(bk_code_message(BK_SEUIL_ATTEINT), "{date}"));
}

static void
test_out_of_range(void **state)
{
	enum bk_code c = BK_OK;

	(void)state;
	assert_null(bk_code_name(BK_CODE_COUNT));
	assert_null(bk_code_name((enum bk_code) - 1));
	assert_null(bk_code_message(BK_CODE_COUNT));
	assert_int_equal(bk_code_status(BK_CODE_COUNT), 500);
	assert_int_equal(bk_code_parse("seuil_atteint", &c), -1);
	assert_int_equal(bk_code_parse("", &c), -1);
	assert_int_equal(bk_code_parse(NULL, &c), -1);
	assert_int_equal(c, BK_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_rules_code_round_trips),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_messages_with_dates),
		cmocka_unit_test(test_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
