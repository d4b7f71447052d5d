/*
 * test_centres.c - src/store/centres.c: exam centres are written with a
 * real department only, once per name and department, and read back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "authfx.h"
#include "store/centres.h"

static void
centre(struct store_centre *ce, const char *name, const char *dept)
{
	memset(ce, 0, sizeof(*ce));
	snprintf(ce->name, sizeof(ce->name), "%s", name);
	snprintf(ce->department, sizeof(ce->department), "%s", dept);
	snprintf(ce->address, sizeof(ce->address), "1 rue de la Gare");
}

static void
test_insert_and_get(void **state)
{
	struct authfx *f = *state;
	struct store_conn *c = store_conn(f->st);
	struct store_centre ce, got;

	memset(&got, 0, sizeof(got));
	centre(&ce, "Nantes Beaujoire", "44");
	assert_int_equal(store_centre_insert(f->st, c, &ce, FX_T0), 0);
	assert_true(ce.id > 0);
	assert_int_equal(store_centre_get(f->st, c, ce.id, &got), 0);
	assert_int_equal(got.id, ce.id);
	assert_string_equal(got.name, "Nantes Beaujoire");
	assert_string_equal(got.department, "44");
	assert_string_equal(got.address, "1 rue de la Gare");
	assert_int_equal(got.created_at, FX_T0);
	assert_int_equal(store_centre_get(f->st, c, ce.id + 1, &got), 1);
}

static void
test_bad_department_writes_nothing(void **state)
{
	struct authfx *f = *state;
	struct store_conn *c = store_conn(f->st);
	static const char *const bad[] = { "20", "00", "96", "2C", "977", "4",
		"" };
	struct store_centre ce;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		centre(&ce, "Centre", bad[i]);
		assert_int_equal(store_centre_insert(f->st, c, &ce, FX_T0), 2);
	}
	assert_int_equal(authfx_rows(f, "SELECT id FROM exam_centres"), 0);
	centre(&ce, "Centre", "2A");
	assert_int_equal(store_centre_insert(f->st, c, &ce, FX_T0), 0);
	centre(&ce, "Centre", "974");
	assert_int_equal(store_centre_insert(f->st, c, &ce, FX_T0), 0);
}

static void
test_one_name_per_department(void **state)
{
	struct authfx *f = *state;
	struct store_conn *c = store_conn(f->st);
	struct store_centre ce;

	centre(&ce, "Centre-ville", "44");
	assert_int_equal(store_centre_insert(f->st, c, &ce, FX_T0), 0);
	centre(&ce, "Centre-ville", "44");
	assert_int_equal(store_centre_insert(f->st, c, &ce, FX_T0), 1);
	centre(&ce, "Centre-ville", "85");
	assert_int_equal(store_centre_insert(f->st, c, &ce, FX_T0), 0);
	assert_int_equal(authfx_rows(f, "SELECT id FROM exam_centres"), 2);
}

struct names {
	char text[256];
};

static int
collect(void *arg, const struct store_centre *ce)
{
	struct names *n = arg;

	unit_append(n->text, sizeof(n->text), ce->department);
	unit_append(n->text, sizeof(n->text), ":");
	unit_append(n->text, sizeof(n->text), ce->name);
	unit_append(n->text, sizeof(n->text), ";");
	return 0;
}

static void
test_list(void **state)
{
	struct authfx *f = *state;
	struct store_conn *c = store_conn(f->st);
	struct store_centre ce;
	struct names n;

	centre(&ce, "Saint-Herblain", "44");
	assert_int_equal(store_centre_insert(f->st, c, &ce, FX_T0), 0);
	centre(&ce, "La Roche-sur-Yon", "85");
	assert_int_equal(store_centre_insert(f->st, c, &ce, FX_T0), 0);
	centre(&ce, "Carquefou", "44");
	assert_int_equal(store_centre_insert(f->st, c, &ce, FX_T0), 0);
	memset(&n, 0, sizeof(n));
	assert_int_equal(store_centres_list(f->st, c, NULL, collect, &n), 0);
	assert_string_equal(n.text,
	    "44:Carquefou;44:Saint-Herblain;85:La Roche-sur-Yon;");
	memset(&n, 0, sizeof(n));
	assert_int_equal(store_centres_list(f->st, c, "85", collect, &n), 0);
	assert_string_equal(n.text, "85:La Roche-sur-Yon;");
	memset(&n, 0, sizeof(n));
	assert_int_equal(store_centres_list(f->st, c, "2B", collect, &n), 0);
	assert_string_equal(n.text, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_insert_and_get,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_bad_department_writes_nothing, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_one_name_per_department,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_list, authfx_setup,
		    authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
