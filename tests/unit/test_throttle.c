/* test_throttle.c - src/auth/throttle.c: the policy as pure functions
 * (delays, locks, the day window, refunds, the keys an attempt meets,
 * the account's ceiling, the alert) and the purge. */
#include "authfx.h"

#include "auth/throttle.h"

/* The old per-account rules now hold per (account, source address). */
static const struct throttle_policy *acct = &throttle_pair_policy;
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
	/* An office's address: twenty failures before any delay. */
	for (i = 0; i < THROTTLE_IP_DELAY_AFTER - 1; i++) {
		throttle_charge(ipp, &t, now);
		assert_int_equal(throttle_wait_ms(ipp, &t, now), 0);
	}
	throttle_charge(ipp, &t, now);
	assert_int_equal(throttle_wait_ms(ipp, &t, now), 2000);
	throttle_refund(ipp, &t, 0);
	assert_int_equal(t.failures, THROTTLE_IP_DELAY_AFTER - 1);
	assert_int_equal(throttle_wait_ms(ipp, &t, now), 0);
	/* No day cap and no lock on address keys: a delay of at most
	 * 15 minutes. */
	for (i = 0; i < 60; i++) {
		now += throttle_wait_ms(ipp, &t, now);
		throttle_charge(ipp, &t, now);
	}
	assert_int_equal(t.locked_until, 0);
	assert_int_equal(throttle_wait_ms(ipp, &t, now),
	    THROTTLE_IP_DELAY_MAX_MS);
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

/* The account's ceiling for unknown devices: a stranger with many
 * addresses only slows it, to one attempt every 5 minutes at most; it
 * never locks, however many failures. */
static void
test_account_ceiling_slows_never_locks(void **state)
{
	const struct throttle_policy *p = &throttle_account_policy;
	struct store_throttle t;
	int64_t now = FX_T0;
	int i;

	(void)state;
	memset(&t, 0, sizeof(t));
	for (i = 0; i < THROTTLE_ACCOUNT_DELAY_AFTER - 1; i++) {
		throttle_charge(p, &t, now);
		assert_int_equal(throttle_wait_ms(p, &t, now), 0);
	}
	throttle_charge(p, &t, now);
	assert_int_equal(throttle_wait_ms(p, &t, now), 2000);
	for (i = 0; i < 500; i++) {
		now += throttle_wait_ms(p, &t, now);
		throttle_charge(p, &t, now);
	}
	assert_int_equal(t.locked_until, 0);
	assert_int_equal(throttle_wait_ms(p, &t, now),
	    THROTTLE_ACCOUNT_DELAY_MAX_MS);
	assert_int_equal(throttle_wait_ms(p, &t, now + 5 * 60 * 1000), 0);
}

/* Unknown sources: the pair (account, address) is what locks. */
static void
test_view_unknown_sources(void **state)
{
	struct throttle_view stranger, owner_new, office;
	int64_t now = FX_T0;
	int i;

	(void)state;
	memset(&stranger, 0, sizeof(stranger));
	for (i = 0; i < 10; i++) {
		now += throttle_view_wait(&stranger, now);
		throttle_view_charge(&stranger, now);
	}
	/* The stranger's pair is locked for 15 minutes. */
	assert_int_equal(throttle_view_wait(&stranger, now), THROTTLE_LOCK_MS);
	/* The holder on a new device elsewhere shares only the account's
	 * ceiling: a short delay, not the lock. */
	memset(&owner_new, 0, sizeof(owner_new));
	owner_new.account = stranger.account;
	assert_int_equal(throttle_view_wait(&owner_new, now), 2000);
	assert_int_equal(throttle_view_wait(&owner_new, now + 2000), 0);
	/* A colleague behind the stranger's address, on another account,
	 * shares only the address key: ten failures hold nobody back. */
	memset(&office, 0, sizeof(office));
	office.ip = stranger.ip;
	assert_int_equal(throttle_view_wait(&office, now), 0);
}

/* A known device meets its own delay only, whatever the other keys say;
 * its failures still count on the account (for the alert). */
static void
test_view_known_device(void **state)
{
	struct throttle_view v;
	int64_t now = FX_T0;
	int i;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.pair.locked_until = now + AUTH_DAY_MS;
	v.ip.locked_until = now + AUTH_DAY_MS;
	v.account.failures = 500;
	v.account.last_failure_at = now;
	assert_true(throttle_view_wait(&v, now) > 0);
	v.known_device = 1;
	assert_int_equal(throttle_view_wait(&v, now), 0);
	for (i = 0; i < 5; i++)
		throttle_view_charge(&v, now);
	assert_int_equal(v.device.failures, 5);
	assert_int_equal(v.account.failures, 505);
	assert_int_equal(v.pair.failures, 0);
	assert_int_equal(throttle_view_wait(&v, now), 2000);
	/* Never locked: at most 15 minutes between two tries. */
	for (i = 0; i < 100; i++) {
		now += throttle_view_wait(&v, now);
		throttle_view_charge(&v, now);
	}
	assert_int_equal(throttle_view_wait(&v, now),
	    THROTTLE_DEVICE_DELAY_MAX_MS);
}

/* The holder is told at 10 failures in a row, then not again for 24 h. */
static void
test_alert_once_a_day(void **state)
{
	struct store_throttle t;
	int64_t now = FX_T0;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.failures = THROTTLE_ALERT_AFTER - 1;
	assert_false(throttle_alert_due(&t, now));
	t.failures = THROTTLE_ALERT_AFTER;
	assert_true(throttle_alert_due(&t, now));
	t.alerted_at = now;
	t.failures = 40;
	assert_false(throttle_alert_due(&t, now + AUTH_DAY_MS - 1));
	assert_true(throttle_alert_due(&t, now + AUTH_DAY_MS));
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
	struct store_throttle t = { 3, 3, FX_T0, FX_T0, 0, 0 };
	char k1[STORE_INDEX_MAX], k2[STORE_INDEX_MAX], k3[STORE_INDEX_MAX];

	assert_int_equal(throttle_key_ip(&f->a, "192.0.2.1", k1), 0);
	assert_int_equal(throttle_key_ip(&f->a, "192.0.2.1", k2), 0);
	assert_string_equal(k1, k2);
	assert_int_equal(strncmp(k1, "ip:", 3), 0);
	/* No address in clear (the hash's hex digits may spell "192"). */
	assert_null(strstr(k1, "192.0.2"));
	assert_null(strchr(k1 + 3, '.'));
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
		cmocka_unit_test(test_account_ceiling_slows_never_locks),
		cmocka_unit_test(test_view_unknown_sources),
		cmocka_unit_test(test_view_known_device),
		cmocka_unit_test(test_alert_once_a_day),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test_setup_teardown(test_keys_and_purge,
		    authfx_setup, authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
