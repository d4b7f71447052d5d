/* test_booking_config.c - src/booking/config.c: the defaults of RULES.md
 * and their checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "booking/config.h"
#include "unit.h"

static void
test_defaults(void **state)
{
	struct booking_rules r = booking_rules_default();

	(void)state;
	assert_int_equal(r.territory_delay_ms, 24 * 3600 * 1000LL);
	assert_int_equal(r.coefficient_centi, 500);
	assert_int_equal(r.basket_add_max, 4);
	assert_int_equal(r.basket_slots_max, 12);
	assert_int_equal(r.basket_ttl_ms, 15 * 60 * 1000LL);
	assert_int_equal(r.late_cancel_window_ms, 7 * BK_DAY_MS);
	assert_int_equal(r.delays_default.failure_ms, 10 * BK_DAY_MS);
	assert_int_equal(r.delays_default.late_cancel_ms, 30 * BK_DAY_MS);
	assert_int_equal(r.delays_default.absence_ms, 40 * BK_DAY_MS);
	assert_int_equal(r.mandate_months, 12);
	assert_int_equal(r.replacements_max, 2);
	assert_int_equal(r.notify_low_pct, 80);
	assert_int_equal(r.notify_full_pct, 100);
	assert_int_equal(booking_rules_valid(&r), 0);
}

static void
test_invalid(void **state)
{
	struct booking_rules r;

	(void)state;
	r = booking_rules_default();
	r.basket_slots_max = BK_BASKET_CAP;
	assert_int_equal(booking_rules_valid(&r), 0);
	r.basket_slots_max = BK_BASKET_CAP + 1;
	assert_int_equal(booking_rules_valid(&r), -1);
	r = booking_rules_default();
	r.basket_add_max = 13;
	assert_int_equal(booking_rules_valid(&r), -1);
	r = booking_rules_default();
	r.notify_low_pct = 101;
	assert_int_equal(booking_rules_valid(&r), -1);
	r = booking_rules_default();
	r.delays_default.absence_ms = -1;
	assert_int_equal(booking_rules_valid(&r), -1);
	r = booking_rules_default();
	r.ndelays = 1; /* unnamed entry */
	assert_int_equal(booking_rules_valid(&r), -1);
	r.ndelays = BK_DELAYS_CAP + 1;
	assert_int_equal(booking_rules_valid(&r), -1);
}

static void
test_delays_per_category(void **state)
{
	struct booking_rules r = booking_rules_default();

	(void)state;
	assert_ptr_equal(booking_rules_delays(&r, "B"), &r.delays_default);
	memcpy(r.delays[0].category, "C", 2);
	r.delays[0].failure_ms = 20 * BK_DAY_MS;
	r.ndelays = 1;
	assert_int_equal(booking_rules_valid(&r), 0);
	assert_int_equal(booking_rules_delays(&r, "C")->failure_ms,
	    20 * BK_DAY_MS);
	assert_int_equal(booking_rules_delays(&r, "CE")->failure_ms,
	    10 * BK_DAY_MS);
	assert_ptr_equal(booking_rules_delays(&r, NULL), &r.delays_default);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_delays_per_category),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
