/* test_booking_neph.c - src/booking/neph.c: NEPH, department and
 * category checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "booking/neph.h"
#include "unit.h"

static enum bk_code
neph(const char *s)
{
	return booking_neph_check(s, strlen(s));
}

static enum bk_code
dept(const char *s)
{
	return booking_department_check(s, strlen(s));
}

static enum bk_code
cat(const char *s)
{
	return booking_category_check(s, strlen(s));
}

static void
test_neph_lengths(void **state)
{
	(void)state;
	assert_int_equal(neph("123456789"), BK_PARAMETRE_INVALIDE); /* 9 */
	assert_int_equal(neph("1234567890"), BK_OK); /* 10 */
	assert_int_equal(neph("123456789012"), BK_OK); /* 12 */
	assert_int_equal(neph("1234567890123456789"), BK_OK); /* 19 */
	assert_int_equal(neph("12345678901234567890"),
	    BK_PARAMETRE_INVALIDE); /* 20 */
	assert_int_equal(neph(""), BK_PARAMETRE_INVALIDE);
	assert_int_equal(booking_neph_check(NULL, 12), BK_PARAMETRE_INVALIDE);
}

static void
test_neph_digits_only(void **state)
{
	(void)state;
	assert_int_equal(neph("12345678901a"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(neph(" 12345678901"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(neph("-12345678901"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(neph("1234567890/1"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(neph("12345678901:"), BK_PARAMETRE_INVALIDE);
	/* Length counts, not the NUL: an embedded NUL is refused. */
	assert_int_equal(booking_neph_check("12345\0"
					    "678901",
			     12),
	    BK_PARAMETRE_INVALIDE);
}

static void
test_departments(void **state)
{
	(void)state;
	assert_int_equal(dept("01"), BK_OK);
	assert_int_equal(dept("19"), BK_OK);
	assert_int_equal(dept("21"), BK_OK);
	assert_int_equal(dept("95"), BK_OK);
	assert_int_equal(dept("2A"), BK_OK);
	assert_int_equal(dept("2B"), BK_OK);
	assert_int_equal(dept("971"), BK_OK);
	assert_int_equal(dept("976"), BK_OK);
	assert_int_equal(dept("00"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(dept("20"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(dept("96"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(dept("2a"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(dept("2C"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(dept("970"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(dept("977"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(dept("1"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(dept("0101"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(booking_department_check(NULL, 2),
	    BK_PARAMETRE_INVALIDE);
}

static void
test_categories(void **state)
{
	(void)state;
	assert_int_equal(cat("B"), BK_OK);
	assert_int_equal(cat("A"), BK_OK);
	assert_int_equal(cat("BE"), BK_OK);
	assert_int_equal(cat("C1E"), BK_OK);
	assert_int_equal(cat("D"), BK_OK);
	assert_int_equal(cat("b"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(cat("BEE"), BK_PARAMETRE_INVALIDE);
	assert_int_equal(cat(""), BK_PARAMETRE_INVALIDE);
	assert_int_equal(booking_category_check("BE", 1), BK_OK); /* "B" */
	assert_int_equal(booking_category_check(NULL, 1),
	    BK_PARAMETRE_INVALIDE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_neph_lengths),
		cmocka_unit_test(test_neph_digits_only),
		cmocka_unit_test(test_departments),
		cmocka_unit_test(test_categories),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
