/*
 * test_registry.c - the registry import: every line checked before
 * anything is written, the faults listed by line and field, nothing
 * half-imported, known candidates updated, counts audited.
 */
#include "candfx.h"

static void
test_import_and_update(void **state)
{
	struct candfx *x = *state;
	struct svc_candidate cand;
	int64_t id;

	candfx_registry(x);
	assert_int_equal(x->rep.lines, 2);
	/* The same file again changes nothing. */
	assert_int_equal(candfx_import(x,
			     CFX_HEADER CFX_NEPH
			     ";Martin;Léa Marie;B;manual;lea@exemple.fr\n",
			     FX_T0 + 1),
	    0);
	assert_int_equal(x->rep.created, 0);
	assert_int_equal(x->rep.updated, 0);
	assert_int_equal(x->rep.unchanged, 1);
	/* Columns in another order, ',' separator, quoting, no email
	 * column: names and gearbox of the known row updated, a new
	 * category is a new row. */
	assert_int_equal(candfx_import(x,
			     "category,neph,first_names,last_name,gearbox\r\n"
			     "B," CFX_NEPH ",\"Léa, Marie\",Martin-Roux,"
			     "automatic\r\n"
			     "A," CFX_NEPH ",Léa,Martin,manual\r\n",
			     FX_T0 + 2),
	    0);
	assert_int_equal(x->rep.created, 1);
	assert_int_equal(x->rep.updated, 1);
	id = candfx_id(x, CFX_NEPH, "B");
	assert_int_equal(svc_candidate_open(&x->s, store_conn(x->f->st), id,
			     &cand),
	    0);
	assert_string_equal(cand.last_name, "Martin-Roux");
	assert_string_equal(cand.first_names, "Léa, Marie");
	assert_string_equal(cand.gearbox, "automatic");
	assert_string_equal(cand.email, "");
	assert_true(candfx_id(x, CFX_NEPH, "A") != id);
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM candidates"), 3);
	/* One audit entry per import, counts only. */
	assert_int_equal(authfx_rows(x->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'registry.import' AND target_ids IS NULL"),
	    3);
}

static void
test_errors_nothing_written(void **state)
{
	struct candfx *x = *state;
	struct svc_candidate cand;
	int64_t id;

	candfx_registry(x);
	assert_int_equal(candfx_import(x,
			     CFX_HEADER CFX_NEPH
			     ";Changé;Léa;B;manual;\n" /* line 2: fine */
			     "12345;Petit;Jean;B;manual;\n" /* 3: neph */
			     "333333333333;Petit;Jean;Q;manual;\n" /* 4 */
			     "444444444444;Petit;Jean;B;manual\n" /* 5 */
			     "555555555555;;Jean;B;manual;\n" /* 6 */
			     "666666666666;Petit;Jean;B;vélo;\n" /* 7 */
			     "777777777777;Petit;Jean;B;manual;a@b\n" /* 8 */
			     "888888888888;Neuf;Nina;B;manual;\n" /* 9 */
			     "888888888888;Neuf;Nina;B;manual;\n" /* 10 */
			     "\"999;x;y;B;manual;\n", /* 11: quote */
			     FX_T0 + 5),
	    1);
	assert_int_equal(x->rep.errors_total, 8);
	assert_int_equal(x->rep.nerrors, 8);
	assert_int_equal(x->rep.errors[0].line, 3);
	assert_string_equal(x->rep.errors[0].field, "neph");
	assert_string_equal(x->rep.errors[0].code, "PARAMETRE_INVALIDE");
	assert_int_equal(x->rep.errors[1].line, 4);
	assert_string_equal(x->rep.errors[1].field, "category");
	assert_int_equal(x->rep.errors[2].line, 5);
	assert_string_equal(x->rep.errors[2].field, "");
	assert_int_equal(x->rep.errors[3].line, 6);
	assert_string_equal(x->rep.errors[3].field, "last_name");
	assert_int_equal(x->rep.errors[4].line, 7);
	assert_string_equal(x->rep.errors[4].field, "gearbox");
	assert_int_equal(x->rep.errors[5].line, 8);
	assert_string_equal(x->rep.errors[5].field, "email");
	assert_int_equal(x->rep.errors[6].line, 10);
	assert_string_equal(x->rep.errors[6].field, "neph");
	assert_int_equal(x->rep.errors[7].line, 11);
	/* The values themselves are never repeated in the details. */
	assert_null(strstr(x->rep.errors[0].detail, "12345"));
	/* Nothing written: no new row, line 2's change not applied. */
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM candidates"), 2);
	id = candfx_id(x, CFX_NEPH, "B");
	assert_int_equal(svc_candidate_open(&x->s, store_conn(x->f->st), id,
			     &cand),
	    0);
	assert_string_equal(cand.last_name, "Martin");
	assert_int_equal(authfx_rows(x->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'registry.import'"),
	    1);
}

static void
test_header_and_limits(void **state)
{
	struct candfx *x = *state;
	static char big[200 * 64];
	size_t i;

	assert_int_equal(candfx_import(x,
			     "neph;last_name;first_names;category\n" CFX_NEPH
			     ";M;L;B\n",
			     FX_T0),
	    1);
	assert_int_equal(x->rep.errors[0].line, 1);
	assert_string_equal(x->rep.errors[0].field, "gearbox");
	assert_int_equal(
	    candfx_import(x,
		"neph;last_name;first_names;category;gearbox;age\n", FX_T0),
	    1);
	assert_int_equal(candfx_import(x, CFX_HEADER, FX_T0), 1);
	assert_int_equal(x->rep.errors[0].line, 2); /* no candidate */
	/* 150 bad lines: 100 listed, all counted. */
	big[0] = '\0';
	unit_append(big, sizeof(big), CFX_HEADER);
	for (i = 0; i < 150; i++)
		unit_append(big, sizeof(big), "1;M;L;B;manual;\n");
	assert_int_equal(candfx_import(x, big, FX_T0), 1);
	assert_int_equal(x->rep.nerrors, SVC_IMPORT_ERRORS_MAX);
	assert_int_equal(x->rep.errors_total, 150);
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM candidates"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import_and_update,
		    candfx_setup, candfx_teardown),
		cmocka_unit_test_setup_teardown(test_errors_nothing_written,
		    candfx_setup, candfx_teardown),
		cmocka_unit_test_setup_teardown(test_header_and_limits,
		    candfx_setup, candfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
