/* test_pwreset.c - src/auth/pwreset.c: the count of reset requests per
 * window, as pure functions (the flow itself runs against the real
 * binary in tests/integration/test_pwreset.c). */
#include "authfx.h"

#include "auth/pwreset.h"

/* max requests pass, the next waits until the window's end, and a new
 * window starts once it has ended. */
static void
test_window_counts_requests(void **state)
{
	struct store_throttle t;
	int64_t now = FX_T0;
	int i;

	(void)state;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < PWRESET_ACCOUNT_MAX; i++) {
		assert_int_equal(pwreset_wait_ms(&t, PWRESET_ACCOUNT_MAX, now),
		    0);
		pwreset_charge(&t, now);
		now += 1000;
	}
	assert_int_equal(pwreset_wait_ms(&t, PWRESET_ACCOUNT_MAX, now),
	    FX_T0 + PWRESET_WINDOW_MS - now);
	now = FX_T0 + PWRESET_WINDOW_MS;
	assert_int_equal(pwreset_wait_ms(&t, PWRESET_ACCOUNT_MAX, now), 0);
	pwreset_charge(&t, now);
	assert_int_equal(t.day_start, now);
	assert_int_equal(t.day_failures, 1);
	assert_int_equal(t.last_failure_at, now);
}

/* A clock set back before the window opened does not hold requests. */
static void
test_clock_back_opens_window(void **state)
{
	struct store_throttle t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.day_start = FX_T0;
	t.day_failures = PWRESET_SOURCE_MAX;
	assert_true(pwreset_wait_ms(&t, PWRESET_SOURCE_MAX, FX_T0) > 0);
	assert_int_equal(pwreset_wait_ms(&t, PWRESET_SOURCE_MAX, FX_T0 - 1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_counts_requests),
		cmocka_unit_test(test_clock_back_opens_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
