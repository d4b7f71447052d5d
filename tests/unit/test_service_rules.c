/* test_service_rules.c - the [booking] section becomes the rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "booking/config.h"
#include "core/config.h"
#include "service/service.h"

static void
test_defaults_are_rules_md(void **state)
{
	struct config cfg;
	struct booking_rules r, d = booking_rules_default();

	(void)state;
	config_defaults(&cfg);
	r = svc_rules_from_config(&cfg);
	assert_int_equal(booking_rules_valid(&r), 0);
	assert_int_equal(r.territory_delay_ms, d.territory_delay_ms);
	assert_int_equal(r.coefficient_centi, 500);
	assert_int_equal(r.basket_add_max, 4);
	assert_int_equal(r.basket_slots_max, 12);
	assert_int_equal(r.basket_ttl_ms, 15 * BK_MINUTE_MS);
	assert_int_equal(r.delays_default.failure_ms, 10 * BK_DAY_MS);
	assert_int_equal(r.delays_default.late_cancel_ms, 30 * BK_DAY_MS);
	assert_int_equal(r.delays_default.absence_ms, 40 * BK_DAY_MS);
	assert_int_equal(r.late_cancel_window_ms, 7 * BK_DAY_MS);
	assert_int_equal(r.mandate_months, 12);
	assert_int_equal(r.replacements_max, 2);
	assert_int_equal(r.notify_low_pct, 80);
}

static void
test_values_and_refusal(void **state)
{
	struct config cfg;
	struct booking_rules r;

	(void)state;
	config_defaults(&cfg);
	cfg.booking_basket_ttl_minutes = 20;
	cfg.booking_places_per_etp_centi = 650;
	r = svc_rules_from_config(&cfg);
	assert_int_equal(r.basket_ttl_ms, 20 * BK_MINUTE_MS);
	assert_int_equal(r.coefficient_centi, 650);
	/* More per action than in all cannot be served. */
	cfg.booking_basket_add_max = 13;
	r = svc_rules_from_config(&cfg);
	assert_int_not_equal(booking_rules_valid(&r), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_rules_md),
		cmocka_unit_test(test_values_and_refusal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
