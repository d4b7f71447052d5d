/* test_booking_territory.c - src/booking/territory.c: rule 2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "booking/territory.h"
#include "unit.h"

#define PUB INT64_C(1700000000000)

static struct bk_slot
slot(const char *dept)
{
	struct bk_slot s;

	memset(&s, 0, sizeof(s));
	s.id = 1;
	snprintf(s.department, sizeof(s.department), "%s", dept);
	snprintf(s.category, sizeof(s.category), "B");
	s.published_at = PUB;
	s.start_at = PUB + 30 * BK_DAY_MS;
	return s;
}

static void
test_local_school(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct bk_slot s = slot("2A");
	const char *const depts[] = { "13", "2A" };
	int64_t at = -1;

	(void)state;
	assert_int_equal(territory_opens_at(&r, &s, depts, 2), PUB);
	assert_int_equal(territory_check(&r, &s, depts, 2, PUB - 1, &at),
	    BK_CRENEAU_INCONNU);
	assert_int_equal(territory_check(&r, &s, depts, 2, PUB, &at), BK_OK);
	assert_int_equal(at, -1);
}

static void
test_other_school_waits_24h(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct bk_slot s = slot("971");
	const char *const depts[] = { "97", "13" };
	int64_t open = PUB + 24 * BK_HOUR_MS, at = 0;

	(void)state;
	assert_int_equal(territory_opens_at(&r, &s, depts, 2), open);
	assert_int_equal(territory_check(&r, &s, depts, 2, PUB - 1, &at),
	    BK_CRENEAU_INCONNU);
	assert_int_equal(territory_check(&r, &s, depts, 2, PUB, &at),
	    BK_ACTION_INTERDITE);
	assert_int_equal(at, open);
	at = 0;
	assert_int_equal(territory_check(&r, &s, depts, 2, open - 1, &at),
	    BK_ACTION_INTERDITE);
	assert_int_equal(at, open);
	assert_int_equal(territory_check(&r, &s, depts, 2, open, NULL), BK_OK);
	/* No establishment at all, and a NULL entry. */
	assert_int_equal(territory_check(&r, &s, NULL, 0, open - 1, NULL),
	    BK_ACTION_INTERDITE);
	{
		const char *const none[] = { NULL };

		assert_int_equal(territory_opens_at(&r, &s, none, 1), open);
	}
}

static void
test_configured_delay(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct bk_slot s = slot("75");
	const char *const depts[] = { "92" };

	(void)state;
	r.territory_delay_ms = 0;
	assert_int_equal(territory_check(&r, &s, depts, 1, PUB, NULL), BK_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_school),
		cmocka_unit_test(test_other_school_waits_24h),
		cmocka_unit_test(test_configured_delay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
