/* test_booking_basket.c - src/booking/basket.c: rules 4 and 5. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "booking/basket.h"
#include "unit.h"

#define PUB INT64_C(1700000000000)
#define NOW (PUB + 2 * BK_DAY_MS)
#define TTL (15 * BK_MINUTE_MS)

static const char *const local[] = { "13" };

static struct bk_slot
slot(int64_t id)
{
	struct bk_slot s;

	memset(&s, 0, sizeof(s));
	s.id = id;
	snprintf(s.department, sizeof(s.department), "13");
	snprintf(s.category, sizeof(s.category), "B");
	s.published_at = PUB;
	s.start_at = NOW + 10 * BK_DAY_MS;
	s.state = SLOT_FREE;
	return s;
}

static void
fill(struct bk_slot *s, size_t n, int64_t first_id)
{
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = slot(first_id + (int64_t)i);
}

static struct basket
empty(void)
{
	struct basket b;

	memset(&b, 0, sizeof(b));
	b.id = 1;
	b.owner_id = 5;
	b.school_id = 1;
	return b;
}

static enum bk_code
add(struct basket *b, struct bk_slot *s, size_t n, int64_t now)
{
	struct booking_rules r = booking_rules_default();

	return basket_add(&r, b, s, n, local, 1, now, NULL, NULL);
}

static void
test_owner(void **state)
{
	struct basket b = empty();

	(void)state;
	assert_int_equal(basket_check_owner(&b, 5), BK_OK);
	assert_int_equal(basket_check_owner(&b, 6), BK_PANIER_INCONNU);
	assert_int_equal(basket_check_owner(NULL, 5), BK_PANIER_INCONNU);
}

static void
test_four_per_action(void **state)
{
	struct basket b = empty();
	struct bk_slot s[5];

	(void)state;
	fill(s, 5, 1);
	assert_int_equal(add(&b, s, 5, NOW), BK_TROP_DE_CRENEAUX);
	assert_int_equal(b.n, 0);
	assert_int_equal(s[0].state, SLOT_FREE);
	assert_int_equal(add(&b, s, 0, NOW), BK_PARAMETRE_INVALIDE);
	assert_int_equal(add(&b, s, 4, NOW), BK_OK);
	assert_int_equal(b.n, 4);
	assert_int_equal(s[3].state, SLOT_HELD);
	assert_int_equal(b.first_added_at, NOW);
	assert_int_equal(b.items[2].slot_id, 3);
	assert_int_equal(b.items[2].candidate_id, 0);
}

static void
test_twelve_in_all(void **state)
{
	struct basket b = empty();
	struct bk_slot s[13];

	(void)state;
	fill(s, 13, 1);
	assert_int_equal(add(&b, s, 4, NOW), BK_OK);
	assert_int_equal(add(&b, s + 4, 4, NOW + 1), BK_OK);
	assert_int_equal(add(&b, s + 8, 3, NOW + 2), BK_OK);
	assert_int_equal(b.n, 11);
	assert_int_equal(add(&b, s + 11, 2, NOW + 3), BK_PANIER_PLEIN);
	assert_int_equal(b.n, 11);
	assert_int_equal(add(&b, s + 11, 1, NOW + 3), BK_OK);
	assert_int_equal(b.n, 12);
	assert_int_equal(add(&b, s + 12, 1, NOW + 4), BK_PANIER_PLEIN);
	/* The timer runs from the first slot. */
	assert_int_equal(b.first_added_at, NOW);
}

static void
test_already_reserved(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct basket b = empty();
	struct bk_slot s[3];
	size_t bad = 99;

	(void)state;
	fill(s, 3, 1);
	s[1].state = SLOT_HELD;
	assert_int_equal(basket_add(&r, &b, s, 3, local, 1, NOW, &bad, NULL),
	    BK_CRENEAU_DEJA_RESERVE);
	assert_int_equal(bad, 1);
	assert_int_equal(b.n, 0);
	assert_int_equal(s[0].state, SLOT_FREE); /* all or nothing */
	s[1].state = SLOT_BOOKED;
	assert_int_equal(add(&b, s + 1, 1, NOW), BK_CRENEAU_DEJA_RESERVE);
	/* Twice in one action, and already in the basket. */
	s[1] = s[0];
	assert_int_equal(basket_add(&r, &b, s, 2, local, 1, NOW, &bad, NULL),
	    BK_CRENEAU_DEJA_RESERVE);
	assert_int_equal(bad, 1);
	assert_int_equal(add(&b, s, 1, NOW), BK_OK);
	s[0].state = SLOT_FREE; /* as a stale copy would say */
	assert_int_equal(add(&b, s, 1, NOW), BK_CRENEAU_DEJA_RESERVE);
}

static void
test_unknown_frozen_and_territory(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct basket b = empty();
	struct bk_slot s[1];
	const char *const far[] = { "75" };
	int64_t opens = 0;

	(void)state;
	fill(s, 1, 1);
	s[0].state = SLOT_CANCELLED;
	assert_int_equal(add(&b, s, 1, NOW), BK_CRENEAU_INCONNU);
	s[0].state = SLOT_FREE;
	assert_int_equal(add(&b, s, 1, PUB - 1), BK_CRENEAU_INCONNU);
	s[0].start_at = NOW;
	assert_int_equal(add(&b, s, 1, NOW), BK_EXAMEN_NON_MODIFIABLE);
	s[0].start_at = NOW + BK_DAY_MS;
	assert_int_equal(basket_add(&r, &b, s, 1, far, 1,
			     PUB + 24 * BK_HOUR_MS - 1, NULL, &opens),
	    BK_ACTION_INTERDITE);
	assert_int_equal(opens, PUB + 24 * BK_HOUR_MS);
	assert_int_equal(basket_add(&r, &b, s, 1, far, 1, PUB + 24 * BK_HOUR_MS,
			     NULL, &opens),
	    BK_OK);
}

static void
test_expiry(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct basket b = empty();
	struct bk_slot s[2];

	(void)state;
	fill(s, 2, 1);
	assert_int_equal(basket_expires_at(&r, &b), 0);
	assert_int_equal(basket_time_left(&r, &b, NOW), 0);
	assert_int_equal(basket_check_open(&r, &b, NOW + 10 * TTL), BK_OK);
	assert_int_equal(add(&b, s, 1, NOW), BK_OK);
	assert_int_equal(basket_expires_at(&r, &b), NOW + TTL);
	assert_int_equal(basket_time_left(&r, &b, NOW), TTL);
	assert_int_equal(basket_time_left(&r, &b, NOW + TTL - 1), 1);
	assert_int_equal(basket_time_left(&r, &b, NOW + TTL), 0);
	assert_int_equal(basket_check_open(&r, &b, NOW + TTL - 1), BK_OK);
	assert_int_equal(basket_check_open(&r, &b, NOW + TTL),
	    BK_PANIER_EXPIRE);
	assert_int_equal(add(&b, s + 1, 1, NOW + TTL), BK_PANIER_EXPIRE);
	assert_int_equal(basket_assign(&r, &b, 1, 10, NOW + TTL),
	    BK_PANIER_EXPIRE);
	assert_int_equal(add(&b, s + 1, 1, NOW + TTL - 1), BK_OK);
	/* The background job empties it; a new slot starts a new life. */
	basket_clear(&b, NOW + TTL);
	assert_int_equal(b.n, 0);
	assert_int_equal(b.expired_at, NOW + TTL);
	s[1].state = SLOT_FREE;
	assert_int_equal(add(&b, s + 1, 1, NOW + TTL), BK_OK);
	assert_int_equal(b.expired_at, 0);
	assert_int_equal(basket_expires_at(&r, &b), NOW + 2 * TTL);
}

/* Emptied by its expiry, a basket is not an empty success: validation
 * answers PANIER_EXPIRE until a slot starts a new life. An empty basket
 * that never expired (or was emptied by its bookings) is not. */
static void
test_validate_emptied_by_expiry(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct basket b = empty();
	struct bk_slot s[2];
	struct basket_result res[BK_BASKET_CAP];
	size_t n = 99;
	int errors = -1;

	(void)state;
	fill(s, 2, 1);
	assert_int_equal(basket_check_validable(&r, &b, NOW), BK_OK);
	assert_int_equal(basket_validate(&r, &b, NOW, NULL, NULL, res, &n,
			     &errors),
	    BK_OK);
	assert_int_equal(n, 0);
	assert_int_equal(add(&b, s, 1, NOW), BK_OK);
	assert_int_equal(basket_check_validable(&r, &b, NOW + TTL),
	    BK_PANIER_EXPIRE);
	basket_clear(&b, NOW + TTL);
	n = 99;
	assert_int_equal(basket_check_validable(&r, &b, NOW + TTL),
	    BK_PANIER_EXPIRE);
	assert_int_equal(basket_validate(&r, &b, NOW + 2 * TTL, NULL, NULL, res,
			     &n, &errors),
	    BK_PANIER_EXPIRE);
	assert_int_equal(n, 0);
	/* Its next slot: a new life, validated slot by slot. */
	s[0].state = SLOT_FREE;
	assert_int_equal(add(&b, s + 1, 1, NOW + 2 * TTL), BK_OK);
	assert_int_equal(basket_validate(&r, &b, NOW + 2 * TTL, NULL, NULL, res,
			     &n, &errors),
	    BK_OK);
	assert_int_equal(n, 1);
	assert_int_equal(res[0].code, BK_CANDIDAT_OBLIGATOIRE);
}

static void
test_remove_and_assign(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct basket b = empty();
	struct bk_slot s[3];

	(void)state;
	fill(s, 3, 1);
	assert_int_equal(add(&b, s, 3, NOW), BK_OK);
	assert_int_equal(basket_assign(&r, &b, 2, 20, NOW), BK_OK);
	assert_int_equal(b.items[1].candidate_id, 20);
	assert_int_equal(basket_assign(&r, &b, 9, 20, NOW),
	    BK_CRENEAU_PAS_DANS_LE_PANIER);
	assert_int_equal(basket_remove(&b, 1), BK_OK);
	assert_int_equal(basket_remove(&b, 1), BK_CRENEAU_PAS_DANS_LE_PANIER);
	assert_int_equal(b.n, 2);
	assert_int_equal(b.items[0].slot_id, 2); /* order kept */
	assert_int_equal(b.items[0].candidate_id, 20);
	assert_int_equal(basket_remove(&b, 2), BK_OK);
	assert_int_equal(basket_remove(&b, 3), BK_OK);
	assert_int_equal(b.first_added_at, 0);
}

/* The caller's checks: refuses candidate 40 (as if under penalty) and
 * accepts at most one booking (as if one quota place were left). */
struct checks {
	int calls;
	int places;
};

static enum bk_code
check(void *arg, const struct basket_item *it)
{
	struct checks *c = arg;

	c->calls++;
	if (it->candidate_id == 40)
		return BK_CANDIDAT_SOUS_PENALITE;
	if (c->places == 0)
		return BK_SEUIL_ATTEINT;
	c->places--;
	return BK_OK;
}

static void
test_validate_partial(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct basket b = empty();
	struct bk_slot s[6];
	struct basket_result res[BK_BASKET_CAP];
	struct checks c = { 0, 1 };
	size_t n = 99;
	int errors = -1;

	(void)state;
	fill(s, 6, 1);
	snprintf(s[4].category, sizeof(s[4].category), "A");
	assert_int_equal(add(&b, s, 4, NOW), BK_OK);
	assert_int_equal(add(&b, s + 4, 2, NOW), BK_OK);
	/* 1: none; 2 and 3: candidate 30 twice in B; 4: 40 refused;
	 * 5: 30 again but in A, booked; 6: 50, no place left. */
	assert_int_equal(basket_assign(&r, &b, 2, 30, NOW), BK_OK);
	assert_int_equal(basket_assign(&r, &b, 3, 30, NOW), BK_OK);
	assert_int_equal(basket_assign(&r, &b, 4, 40, NOW), BK_OK);
	assert_int_equal(basket_assign(&r, &b, 5, 30, NOW), BK_OK);
	assert_int_equal(basket_assign(&r, &b, 6, 50, NOW), BK_OK);
	assert_int_equal(basket_validate(&r, &b, NOW + 1, check, &c, res, &n,
			     &errors),
	    BK_OK);
	assert_int_equal(n, 6);
	assert_int_equal(errors, 1);
	assert_int_equal(c.calls, 3);
	assert_int_equal(res[0].code, BK_CANDIDAT_OBLIGATOIRE);
	assert_int_equal(res[1].code, BK_CANDIDAT_DEJA_DANS_PANIER);
	assert_int_equal(res[2].code, BK_CANDIDAT_DEJA_DANS_PANIER);
	assert_int_equal(res[3].code, BK_CANDIDAT_SOUS_PENALITE);
	assert_int_equal(res[4].code, BK_OK);
	assert_true(res[4].booked);
	assert_int_equal(res[4].slot_id, 5);
	assert_int_equal(res[4].exam_id, 0);
	assert_int_equal(res[5].code, BK_SEUIL_ATTEINT);
	assert_false(res[5].booked);
	/* Booked slots leave, failed ones stay. */
	assert_int_equal(basket_drop_booked(&b, res, n), 1);
	assert_int_equal(b.n, 5);
	assert_int_equal(b.first_added_at, NOW);
}

static void
test_validate_all_booked_and_expired(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct basket b = empty();
	struct bk_slot s[2];
	struct basket_result res[BK_BASKET_CAP];
	size_t n = 99;
	int errors = -1;

	(void)state;
	fill(s, 2, 1);
	assert_int_equal(add(&b, s, 2, NOW), BK_OK);
	assert_int_equal(basket_assign(&r, &b, 1, 10, NOW), BK_OK);
	assert_int_equal(basket_assign(&r, &b, 2, 20, NOW), BK_OK);
	assert_int_equal(basket_validate(&r, &b, NOW + TTL, NULL, NULL, res, &n,
			     &errors),
	    BK_PANIER_EXPIRE);
	assert_int_equal(n, 0);
	assert_int_equal(basket_validate(&r, &b, NOW + TTL - 1, NULL, NULL, res,
			     &n, &errors),
	    BK_OK);
	assert_int_equal(n, 2);
	assert_int_equal(errors, 0);
	assert_int_equal(basket_drop_booked(&b, res, n), 2);
	assert_int_equal(b.n, 0);
	assert_int_equal(b.first_added_at, 0);
}

static void
test_validate_started_slot(void **state)
{
	struct booking_rules r = booking_rules_default();
	struct basket b = empty();
	struct bk_slot s[1];
	struct basket_result res[BK_BASKET_CAP];
	size_t n;
	int errors;

	(void)state;
	fill(s, 1, 1);
	s[0].start_at = NOW + 10 * BK_MINUTE_MS;
	assert_int_equal(add(&b, s, 1, NOW), BK_OK);
	assert_int_equal(basket_assign(&r, &b, 1, 10, NOW), BK_OK);
	assert_int_equal(basket_validate(&r, &b, NOW + 10 * BK_MINUTE_MS, NULL,
			     NULL, res, &n, &errors),
	    BK_OK);
	assert_int_equal(res[0].code, BK_EXAMEN_NON_MODIFIABLE);
	assert_int_equal(errors, 1);
	assert_int_equal(basket_drop_booked(&b, res, n), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner),
		cmocka_unit_test(test_four_per_action),
		cmocka_unit_test(test_twelve_in_all),
		cmocka_unit_test(test_already_reserved),
		cmocka_unit_test(test_unknown_frozen_and_territory),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_validate_emptied_by_expiry),
		cmocka_unit_test(test_remove_and_assign),
		cmocka_unit_test(test_validate_partial),
		cmocka_unit_test(test_validate_all_booked_and_expired),
		cmocka_unit_test(test_validate_started_slot),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
