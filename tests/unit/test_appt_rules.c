/* test_appt_rules.c - src/appointments/appt_rules.c: booking delays,
 * the change and cancellation deadline, collective capacity, an agent's,
 * a user's and a place's overlaps, and the opening-hours check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "appointments/appt_rules.h"
#include "appointments/appt_time.h"
#include "unit.h"

#define H APPT_HOUR_MS
#define M APPT_MINUTE_MS

static struct appt_interval
iv(int64_t s, int64_t e)
{
	return (struct appt_interval){ s, e };
}

static void
test_delays(void **state)
{
	const int64_t now = 1000 * H;

	(void)state;
	assert_int_equal(appt_check_delays(now + 2 * H, now, 30 * M,
			     90 * 24 * H),
	    APPT_OK);
	/* The minimum delay itself is allowed, a minute less is not. */
	assert_int_equal(appt_check_delays(now + 30 * M, now, 30 * M, 0),
	    APPT_OK);
	assert_int_equal(appt_check_delays(now + 29 * M, now, 30 * M, 0),
	    APPT_DELAI_MINIMUM_NON_RESPECTE);
	/* The maximum itself is allowed, a minute more is not. */
	assert_int_equal(appt_check_delays(now + 24 * H, now, 0, 24 * H),
	    APPT_OK);
	assert_int_equal(appt_check_delays(now + 24 * H + M, now, 0, 24 * H),
	    APPT_DELAI_MAXIMUM_DEPASSE);
	assert_int_equal(appt_check_delays(now + 9999 * H, now, 0, 0), APPT_OK);
	assert_int_equal(appt_check_delays(now, now, 0, 0), APPT_RDV_PASSE);
	assert_int_equal(appt_check_delays(now - H, now, 30 * M, 0),
	    APPT_RDV_PASSE);
}

static void
test_change_deadline(void **state)
{
	const int64_t start = 1000 * H;

	(void)state;
	/* A user: up to 4 h before, included. */
	assert_int_equal(appt_check_change(APPT_BY_USER, APPT_CHANGE_CANCEL,
			     start, start - 4 * H, 4 * H),
	    APPT_OK);
	assert_int_equal(appt_check_change(APPT_BY_USER, APPT_CHANGE_CANCEL,
			     start, start - 4 * H + 1, 4 * H),
	    APPT_ANNULATION_TROP_TARDIVE);
	assert_int_equal(appt_check_change(APPT_BY_USER, APPT_CHANGE_MOVE,
			     start, start - H, 4 * H),
	    APPT_MODIFICATION_TROP_TARDIVE);
	assert_int_equal(appt_check_change(APPT_BY_USER, APPT_CHANGE_CANCEL,
			     start, start - 1, -5),
	    APPT_OK);
	assert_int_equal(appt_check_change(APPT_BY_USER, APPT_CHANGE_CANCEL,
			     start, start, 0),
	    APPT_RDV_PASSE);
	/* An agent: any time before the start, never after. */
	assert_int_equal(appt_check_change(APPT_BY_AGENT, APPT_CHANGE_CANCEL,
			     start, start - 1, 4 * H),
	    APPT_OK);
	assert_int_equal(appt_check_change(APPT_BY_AGENT, APPT_CHANGE_MOVE,
			     start, start, 4 * H),
	    APPT_RDV_PASSE);
}

static void
test_capacity(void **state)
{
	(void)state;
	assert_int_equal(appt_check_capacity(0, 1, 2), APPT_OK);
	assert_int_equal(appt_check_capacity(1, 1, 2), APPT_OK);
	assert_int_equal(appt_check_capacity(2, 1, 2), APPT_CAPACITE_ATTEINTE);
	/* A user with two relatives: three places at once. */
	assert_int_equal(appt_check_capacity(8, 3, 10), APPT_CAPACITE_ATTEINTE);
	assert_int_equal(appt_check_capacity(7, 3, 10), APPT_OK);
	assert_int_equal(appt_check_capacity(-1, 1, 10),
	    APPT_PARAMETRE_INVALIDE);
	assert_int_equal(appt_check_capacity(0, 1, 0), APPT_PARAMETRE_INVALIDE);
}

static void
test_agent_and_user_overlaps(void **state)
{
	const struct appt_interval busy[] = { iv(100, 130), iv(10, 40) };
	const struct appt_interval away[] = { iv(200, 300) };

	(void)state;
	assert_int_equal(appt_check_agent_free(iv(40, 70), busy, 2, away, 1),
	    APPT_OK);
	assert_int_equal(appt_check_agent_free(iv(70, 100), busy, 2, away, 1),
	    APPT_OK);
	assert_int_equal(appt_check_agent_free(iv(30, 60), busy, 2, away, 1),
	    APPT_CRENEAU_DEJA_PRIS);
	assert_int_equal(appt_check_agent_free(iv(120, 125), busy, 2, away, 1),
	    APPT_CRENEAU_DEJA_PRIS);
	/* Touching the absence is fine, entering it is not. */
	assert_int_equal(appt_check_agent_free(iv(170, 200), busy, 2, away, 1),
	    APPT_OK);
	assert_int_equal(appt_check_agent_free(iv(180, 210), busy, 2, away, 1),
	    APPT_AGENT_INDISPONIBLE);
	/* Appointments are checked before absences. */
	assert_int_equal(appt_check_agent_free(iv(120, 250), busy, 2, away, 1),
	    APPT_CRENEAU_DEJA_PRIS);
	assert_int_equal(appt_check_agent_free(iv(50, 50), busy, 2, away, 1),
	    APPT_PARAMETRE_INVALIDE);
	assert_int_equal(appt_check_user_free(iv(130, 160), busy, 2), APPT_OK);
	assert_int_equal(appt_check_user_free(iv(0, 11), busy, 2),
	    APPT_USAGER_DEJA_EN_RDV);
	assert_int_equal(appt_check_user_free(iv(0, 11), NULL, 0), APPT_OK);
}

static void
test_place_full(void **state)
{
	/* 10-40, 20-50, 40-70, 60-65, 80-90 (unsorted). */
	const struct appt_interval at[] = { iv(40, 70), iv(80, 90), iv(10, 40),
		iv(60, 65), iv(20, 50) };
	struct appt_place_edge scratch[10];
	struct appt_interval out[4];
	size_t n;
	int64_t t;

	(void)state;
	/* Two rooms: full 20-50 (10-40 and 20-50, then 20-50 and 40-70:
	 * one stretch), and 60-65. */
	n = appt_place_full(at, 5, 2, scratch, out, 4);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].start, 20);
	assert_int_equal(out[0].end, 50);
	assert_int_equal(out[1].start, 60);
	assert_int_equal(out[1].end, 65);
	/* One room: everything booked, touching stretches merged. */
	n = appt_place_full(at, 5, 1, scratch, out, 4);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].start, 10);
	assert_int_equal(out[0].end, 70);
	assert_int_equal(out[1].start, 80);
	assert_int_equal(out[1].end, 90);
	/* Three rooms: never three at once. */
	assert_int_equal(appt_place_full(at, 5, 3, scratch, out, 4), 0);
	/* No limit. */
	assert_int_equal(appt_place_full(at, 5, 0, scratch, out, 4), 0);
	/* Too many to write: the count says so. */
	assert_int_equal(appt_place_full(at, 5, 1, scratch, out, 1), 2);
	/* Agrees with appt_check_place_room on every 5-minute slot. */
	for (t = 0; t < 100; t++) {
		struct appt_interval s = iv(t, t + 5);
		size_t k, hit = 0;

		n = appt_place_full(at, 5, 2, scratch, out, 4);
		for (k = 0; k < n; k++)
			hit |= appt_interval_overlaps(s, out[k]);
		assert_int_equal(hit ? APPT_LIEU_COMPLET : APPT_OK,
		    appt_check_place_room(s, at, 5, 2));
	}
}

static void
test_place_room(void **state)
{
	/* Two rooms; appointments 10-40, 20-50, 40-70 (touching 10-40). */
	const struct appt_interval at[] = { iv(40, 70), iv(10, 40),
		iv(20, 50) };

	(void)state;
	/* 30-35: 10-40 and 20-50 run: full for 2 rooms. */
	assert_int_equal(appt_check_place_room(iv(30, 35), at, 3, 2),
	    APPT_LIEU_COMPLET);
	assert_int_equal(appt_check_place_room(iv(30, 35), at, 3, 3), APPT_OK);
	/* 50-60: only 40-70 runs. */
	assert_int_equal(appt_check_place_room(iv(50, 60), at, 3, 2), APPT_OK);
	/* 45-60: 20-50 and 40-70 run at 45. */
	assert_int_equal(appt_check_place_room(iv(45, 60), at, 3, 2),
	    APPT_LIEU_COMPLET);
	/* 38-42: 10-40 ends as 40-70 starts, so with 20-50 at most two run
	 * at once: room for a third, not with two rooms. */
	assert_int_equal(appt_check_place_room(iv(38, 42), at, 3, 3), APPT_OK);
	assert_int_equal(appt_check_place_room(iv(38, 42), at, 3, 2),
	    APPT_LIEU_COMPLET);
	/* 0-10 and 70-80 touch only. */
	assert_int_equal(appt_check_place_room(iv(0, 10), at, 3, 1), APPT_OK);
	assert_int_equal(appt_check_place_room(iv(70, 80), at, 3, 1), APPT_OK);
	/* No limit. */
	assert_int_equal(appt_check_place_room(iv(30, 35), at, 3, 0), APPT_OK);
	assert_int_equal(appt_check_place_room(iv(30, 30), at, 3, 2),
	    APPT_PARAMETRE_INVALIDE);
}

static void
test_place_room_fails_closed(void **state)
{
	static struct appt_interval many[APPT_PLACE_SWEEP_MAX + 1];
	size_t i;

	(void)state;
	/* Back to back, never two at once: one room is taken all along,
	 * two rooms leave room, up to the sweep's size. */
	for (i = 0; i < APPT_PLACE_SWEEP_MAX + 1; i++)
		many[i] = iv((int64_t)i * 10, (int64_t)i * 10 + 10);
	assert_int_equal(appt_check_place_room(iv(0, APPT_PLACE_SWEEP_MAX * 10),
			     many, APPT_PLACE_SWEEP_MAX, 1),
	    APPT_LIEU_COMPLET);
	/* Beyond it, the place answers full rather than guess. */
	assert_int_equal(appt_check_place_room(iv(0,
						   (APPT_PLACE_SWEEP_MAX + 1) *
						       10),
			     many, APPT_PLACE_SWEEP_MAX + 1, 1000),
	    APPT_LIEU_COMPLET);
	assert_int_equal(appt_check_place_room(iv(0, APPT_PLACE_SWEEP_MAX * 10),
			     many, APPT_PLACE_SWEEP_MAX, 2),
	    APPT_OK);
}

static void
test_in_opening(void **state)
{
	const struct appt_interval open[] = { iv(100, 200), iv(300, 400) };

	(void)state;
	assert_int_equal(appt_check_in_opening(iv(100, 130), open, 2), APPT_OK);
	/* Ending exactly at the plage's end. */
	assert_int_equal(appt_check_in_opening(iv(170, 200), open, 2), APPT_OK);
	assert_int_equal(appt_check_in_opening(iv(180, 210), open, 2),
	    APPT_HORS_PLAGE_OUVERTURE);
	assert_int_equal(appt_check_in_opening(iv(90, 110), open, 2),
	    APPT_HORS_PLAGE_OUVERTURE);
	assert_int_equal(appt_check_in_opening(iv(200, 300), open, 2),
	    APPT_HORS_PLAGE_OUVERTURE);
	assert_int_equal(appt_check_in_opening(iv(100, 130), NULL, 0),
	    APPT_HORS_PLAGE_OUVERTURE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delays),
		cmocka_unit_test(test_change_deadline),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_agent_and_user_overlaps),
		cmocka_unit_test(test_place_room),
		cmocka_unit_test(test_place_full),
		cmocka_unit_test(test_place_room_fails_closed),
		cmocka_unit_test(test_in_opening),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
