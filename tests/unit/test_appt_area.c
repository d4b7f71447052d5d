/* test_appt_area.c - src/appointments/appt_area.c: what a person types to
 * find a service (postcode or department), the department of a postcode
 * (Corsica and overseas included), and the postcode of a place's
 * address. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "appointments/appt_area.h"
#include "unit.h"

static void
expect_area(const char *q, const char *dept, const char *pc)
{
	struct appt_area a;

	assert_int_equal(appt_area_parse(q, &a), 0);
	assert_string_equal(a.department, dept);
	assert_string_equal(a.postcode, pc);
}

static void
test_parse(void **state)
{
	static const char *const bad[] = { "", "   ", "0", "00", "00100", "96",
		"20", "977", "97700", "99000", "4400", "440000", "Nantes",
		"44 000", "2C", "-44", "4a", NULL };
	struct appt_area a;
	size_t i;

	(void)state;
	expect_area("44000", "44", "44000");
	expect_area(" 44300 ", "44", "44300");
	expect_area("44", "44", "");
	expect_area("4", "04", "");
	expect_area("04", "04", "");
	expect_area("2a", "2A", "");
	expect_area("2B", "2B", "");
	expect_area("971", "971", "");
	expect_area("97400", "974", "97400");
	expect_area("20000", "2A", "20000");
	expect_area("20200", "2B", "20200");
	expect_area("01000", "01", "01000");
	for (i = 0; bad[i] != NULL; i++)
		assert_int_equal(appt_area_parse(bad[i], &a), -1);
	assert_int_equal(appt_area_parse(NULL, &a), -1);
}

static void
test_address_postcode(void **state)
{
	char pc[APPT_POSTCODE_MAX];

	(void)state;
	assert_int_equal(appt_address_postcode("12 rue de la Paix, 44000 "
					       "Nantes",
			     pc),
	    0);
	assert_string_equal(pc, "44000");
	/* The last group of five digits: a street number comes first. */
	assert_int_equal(appt_address_postcode("12345 route des Landes, "
					       "40100 Dax",
			     pc),
	    0);
	assert_string_equal(pc, "40100");
	/* Six digits are a phone or a reference, not a postcode. */
	assert_int_equal(appt_address_postcode("BP 440001 Nantes", pc), -1);
	assert_int_equal(appt_address_postcode("Mairie, Saint-Herblain", pc),
	    -1);
	assert_int_equal(appt_address_postcode("", pc), -1);
	assert_int_equal(appt_address_postcode(NULL, pc), -1);
}

static void
test_match(void **state)
{
	struct appt_area dept, town;

	(void)state;
	assert_int_equal(appt_area_parse("44", &dept), 0);
	assert_int_equal(appt_area_parse("44800", &town), 0);
	assert_int_equal(appt_area_match(&town,
			     "2 place Mendès-France, "
			     "44800 Saint-Herblain"),
	    2);
	assert_int_equal(appt_area_match(&town, "1 rue X, 44000 Nantes"), 1);
	assert_int_equal(appt_area_match(&dept, "1 rue X, 44000 Nantes"), 1);
	assert_int_equal(appt_area_match(&dept, "1 rue X, 49000 Angers"), 0);
	assert_int_equal(appt_area_match(&dept, "Sans code postal"), 0);
	assert_int_equal(appt_area_match(NULL, "1 rue X, 44000 Nantes"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_address_postcode),
		cmocka_unit_test(test_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
