/* test_throttle.c - src/auth/throttle.c: the policy as pure functions
 * (delays, locks, the day window, refunds) and the purge. */
#include "authfx.h"

#include "auth/throttle.h"

static const struct throttle_policy *acct = &throttle_account_policy;
static const struct throttle_policy *ipp = &throttle_ip_policy;

static void
test_delays_grow(void **state)
{
	struct store_throttle t;
	int64_t now = FX_T0;
	int i;

	(void)state;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 4; i++) {
		throttle_charge(acct, &t, now);
		assert_int_equal(throttle_wait_ms(acct, &t, now), 0);
	}
	throttle_charge(acct, &t, now); /* 5 */
	assert_int_equal(throttle_wait_ms(acct, &t, now), 2000);
	assert_int_equal(throttle_wait_ms(acct, &t, now + 500), 1500);
	assert_int_equal(throttle_wait_ms(acct, &t, now + 2000), 0);
	now += 2000;
	throttle_charge(acct, &t, now); /* 6 */
	assert_int_equal(throttle_wait_ms(acct, &t, now), 4000);
	now += 4000;
	throttle_charge(acct, &t, now); /* 7 */
	assert_int_equal(throttle_wait_ms(acct, &t, now), 8000);
}

static void
test_lock_at_ten(void **state)
{
	struct store_throttle t;
	int64_t now = FX_T0;
	int i;

	(void)state;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 10; i++) {
		now += throttle_wait_ms(acct, &t, now);
		throttle_charge(acct, &t, now);
	}
	assert_int_equal(t.locked_until, now + THROTTLE_LOCK_MS);
	assert_int_equal(throttle_wait_ms(acct, &t, now), THROTTLE_LOCK_MS);
	assert_int_equal(throttle_wait_ms(acct, &t, now + THROTTLE_LOCK_MS), 0);
	/* A success clears an account key; an IP key only gets one back. */
	throttle_refund(acct, &t, 1);
	assert_int_equal(t.failures, 0);
	assert_int_equal(t.locked_until, 0);
	assert_int_equal(t.day_failures, 9);
}

static void
test_ip_refund(void **state)
{
	struct store_throttle t;
	int64_t now = FX_T0;
	int i;

	(void)state;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 10; i++) {
		now += throttle_wait_ms(ipp, &t, now);
		throttle_charge(ipp, &t, now);
	}
	assert_true(t.locked_until > now);
	throttle_refund(ipp, &t, 0);
	assert_int_equal(t.failures, 9);
	assert_int_equal(t.locked_until, 0);
	/* No day cap on IP keys. */
	for (i = 0; i < 40; i++) {
		now += throttle_wait_ms(ipp, &t, now);
		throttle_charge(ipp, &t, now);
	}
	assert_int_equal(throttle_wait_ms(ipp, &t, now), THROTTLE_LOCK_MS);
}

static void
test_day_window(void **state)
{
	struct store_throttle t;
	int64_t start = FX_T0, now = FX_T0;
	int i;

	(void)state;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < 24; i++) {
		throttle_charge(acct, &t, now);
		throttle_refund(acct, &t, 1); /* not in a row */
		t.day_failures++; /* but counted for the day */
		now += 60 * 1000;
	}
	assert_int_equal(t.day_failures, 24);
	assert_int_equal(throttle_wait_ms(acct, &t, now), 0);
	throttle_charge(acct, &t, now);
	assert_int_equal(t.day_failures, 25);
	assert_int_equal(throttle_wait_ms(acct, &t, now),
	    start + AUTH_DAY_MS - now);
	/* A new window starts after 24 h. */
	now = start + AUTH_DAY_MS;
	assert_int_equal(throttle_wait_ms(acct, &t, now), 0);
	throttle_refund(acct, &t, 1);
	throttle_charge(acct, &t, now);
	assert_int_equal(t.day_failures, 1);
	assert_int_equal(t.day_start, now);
}

static void
test_seconds(void **state)
{
	(void)state;
	assert_int_equal(throttle_seconds(0), 0);
	assert_int_equal(throttle_seconds(1), 1);
	assert_int_equal(throttle_seconds(1000), 1);
	assert_int_equal(throttle_seconds(1001), 2);
}

static void
test_keys_and_purge(void **state)
{
	struct authfx *f = *state;
	struct store_conn *c = store_conn(f->st);
	struct store_throttle t = { 3, 3, FX_T0, FX_T0, 0 };
	char k1[STORE_INDEX_MAX], k2[STORE_INDEX_MAX], k3[STORE_INDEX_MAX];

	assert_int_equal(throttle_key_ip(&f->a, "192.0.2.1", k1), 0);
	assert_int_equal(throttle_key_ip(&f->a, "192.0.2.1", k2), 0);
	assert_string_equal(k1, k2);
	assert_int_equal(strncmp(k1, "ip:", 3), 0);
	assert_null(strstr(k1, "192"));
	assert_int_equal(throttle_key_ip(&f->a, "192.0.2.2", k3), 0);
	assert_string_not_equal(k1, k3);
	assert_int_equal(throttle_key_ip(&f->a, NULL, k3), 0);
	assert_string_equal(k3, "");
	assert_int_equal(store_throttle_put(f->st, c, k1, &t), 0);
	t.locked_until = FX_T0 + 3 * AUTH_DAY_MS;
	assert_int_equal(store_throttle_put(f->st, c, k2 + 1, &t), 0);
	assert_int_equal(throttle_purge(&f->a, FX_T0 + AUTH_DAY_MS - 1), 0);
	assert_int_equal(throttle_purge(&f->a, FX_T0 + AUTH_DAY_MS + 1), 1);
	assert_int_equal(authfx_rows(f, "SELECT key FROM throttle"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delays_grow),
		cmocka_unit_test(test_lock_at_ten),
		cmocka_unit_test(test_ip_refund),
		cmocka_unit_test(test_day_window),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test_setup_teardown(test_keys_and_purge,
		    authfx_setup, authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
