/* test_pause.c - src/dossiers/pause.c: fields, who may ask, accept and
 * cancel, and the states of a respite time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "appointments/appt_time.h"
#include "dossiers/pause.h"

/* 2026-12-06 13:00 Paris (winter, UTC+1). */
static int64_t
at(const char *date, int minute)
{
	int64_t day;

	assert_int_equal(appt_date_parse(date, 10, &day), 0);
	return appt_paris_to_utc(day, minute, NULL);
}

static void
test_fields(void **state)
{
	int64_t now = at("2026-12-06", 13 * 60), start = 0;
	char place[260];

	(void)state;
	assert_int_equal(pause_check("2026-12-07", "09:30", 120, "Lyon 3e",
			     NULL, now, &start),
	    PAUSE_OK);
	assert_true(start == at("2026-12-07", 9 * 60 + 30));
	/* Paris time: 09:30 in winter is 08:30 UTC. */
	assert_true(
	    start % APPT_DAY_MS == 8 * APPT_HOUR_MS + 30 * APPT_MINUTE_MS);
	/* Summer: 09:30 is 07:30 UTC. */
	assert_int_equal(pause_check("2027-07-01", "09:30", 60, "Lyon", NULL,
			     now, &start),
	    PAUSE_OK);
	assert_true(
	    start % APPT_DAY_MS == 7 * APPT_HOUR_MS + 30 * APPT_MINUTE_MS);
	/* Dates. */
	assert_int_equal(pause_check("2026-12-05", "09:30", 60, "Lyon", NULL,
			     now, &start),
	    PAUSE_DATE_INVALIDE);
	assert_int_equal(pause_check("2026-02-30", "09:30", 60, "Lyon", NULL,
			     now, &start),
	    PAUSE_DATE_INVALIDE);
	assert_int_equal(pause_check("demain", "09:30", 60, "Lyon", NULL, now,
			     &start),
	    PAUSE_DATE_INVALIDE);
	assert_int_equal(pause_check(NULL, "09:30", 60, "Lyon", NULL, now,
			     &start),
	    PAUSE_DATE_INVALIDE);
	/* Today: only a start still ahead. */
	assert_int_equal(pause_check("2026-12-06", "12:00", 60, "Lyon", NULL,
			     now, &start),
	    PAUSE_HEURE_INVALIDE);
	assert_int_equal(pause_check("2026-12-06", "14:00", 60, "Lyon", NULL,
			     now, &start),
	    PAUSE_OK);
	/* Start 07:00..21:00. */
	assert_int_equal(pause_check("2026-12-07", "06:45", 60, "Lyon", NULL,
			     now, &start),
	    PAUSE_HEURE_INVALIDE);
	assert_int_equal(pause_check("2026-12-07", "07:00", 60, "Lyon", NULL,
			     now, &start),
	    PAUSE_OK);
	assert_int_equal(pause_check("2026-12-07", "21:00", 60, "Lyon", NULL,
			     now, &start),
	    PAUSE_OK);
	assert_int_equal(pause_check("2026-12-07", "21:15", 60, "Lyon", NULL,
			     now, &start),
	    PAUSE_HEURE_INVALIDE);
	assert_int_equal(pause_check("2026-12-07", "9h30", 60, "Lyon", NULL,
			     now, &start),
	    PAUSE_HEURE_INVALIDE);
	/* Duration 1 h .. 8 h by 15 minutes. */
	assert_int_equal(pause_check("2026-12-07", "09:00", 45, "Lyon", NULL,
			     now, &start),
	    PAUSE_DUREE_INVALIDE);
	assert_int_equal(pause_check("2026-12-07", "09:00", 480, "Lyon", NULL,
			     now, &start),
	    PAUSE_OK);
	assert_int_equal(pause_check("2026-12-07", "09:00", 495, "Lyon", NULL,
			     now, &start),
	    PAUSE_DUREE_INVALIDE);
	assert_int_equal(pause_check("2026-12-07", "09:00", 70, "Lyon", NULL,
			     now, &start),
	    PAUSE_DUREE_INVALIDE);
	/* Place 1..200 characters, counted as characters. */
	assert_int_equal(pause_check("2026-12-07", "09:00", 60, "  ", NULL, now,
			     &start),
	    PAUSE_LIEU_INVALIDE);
	assert_int_equal(pause_check("2026-12-07", "09:00", 60, NULL, NULL, now,
			     &start),
	    PAUSE_LIEU_INVALIDE);
	memset(place, 'a', 200);
	place[200] = '\0';
	assert_int_equal(pause_check("2026-12-07", "09:00", 60, place, NULL,
			     now, &start),
	    PAUSE_OK);
	place[200] = 'a';
	place[201] = '\0';
	assert_int_equal(pause_check("2026-12-07", "09:00", 60, place, NULL,
			     now, &start),
	    PAUSE_LIEU_INVALIDE);
	for (int i = 0; i < 100; i++)
		memcpy(place + 2 * i, "\xc3\xa9", 2); /* é: 2 bytes, 1 char */
	place[200] = '\0';
	assert_int_equal(pause_check("2026-12-07", "09:00", 60, place, NULL,
			     now, &start),
	    PAUSE_OK);
	/* The codes name their field. */
	assert_string_equal(pause_code_field(PAUSE_DATE_INVALIDE), "date");
	assert_string_equal(pause_code_field(PAUSE_HEURE_INVALIDE), "start");
	assert_string_equal(pause_code_field(PAUSE_DUREE_INVALIDE), "duration");
	assert_string_equal(pause_code_field(PAUSE_LIEU_INVALIDE), "place");
	assert_null(pause_code_field(PAUSE_DEJA_ACCEPTEE));
	assert_string_equal(pause_code_name(PAUSE_DUREE_INVALIDE),
	    "pause_duree_invalide");
	assert_true(strlen(pause_code_detail(PAUSE_LIEU_INVALIDE)) > 0);
}

static void
test_who(void **state)
{
	int64_t now = 1000000, later = now + APPT_HOUR_MS;

	(void)state;
	/* Asking: a validated family only. */
	assert_int_equal(pause_may_ask(DOSSIER_FAMILY, DOSSIER_VALIDE),
	    PAUSE_OK);
	assert_int_equal(pause_may_ask(DOSSIER_FAMILY, DOSSIER_SOUMIS),
	    PAUSE_DOSSIER_NON_VALIDE);
	assert_int_equal(pause_may_ask(DOSSIER_VOLUNTEER, DOSSIER_VALIDE),
	    PAUSE_PROFIL_INVALIDE);
	/* Accepting: a validated volunteer, an open request. */
	assert_int_equal(pause_may_accept(DOSSIER_VOLUNTEER, DOSSIER_VALIDE,
			     PAUSE_DEMANDEE, later, now),
	    PAUSE_OK);
	assert_int_equal(pause_may_accept(DOSSIER_VOLUNTEER, DOSSIER_BROUILLON,
			     PAUSE_DEMANDEE, later, now),
	    PAUSE_DOSSIER_NON_VALIDE);
	assert_int_equal(pause_may_accept(DOSSIER_FAMILY, DOSSIER_VALIDE,
			     PAUSE_DEMANDEE, later, now),
	    PAUSE_PROFIL_INVALIDE);
	assert_int_equal(pause_may_accept(DOSSIER_VOLUNTEER, DOSSIER_VALIDE,
			     PAUSE_ACCEPTEE, later, now),
	    PAUSE_DEJA_ACCEPTEE);
	assert_int_equal(pause_may_accept(DOSSIER_VOLUNTEER, DOSSIER_VALIDE,
			     PAUSE_ANNULEE, later, now),
	    PAUSE_ETAT_INVALIDE);
	assert_int_equal(pause_may_accept(DOSSIER_VOLUNTEER, DOSSIER_VALIDE,
			     PAUSE_DEMANDEE, now, now),
	    PAUSE_ETAT_INVALIDE);
	/* Cancelling: the family its own, either side an accepted one,
	 * up to the start. */
	assert_int_equal(pause_may_cancel(PAUSE_SIDE_FAMILY, 1, PAUSE_DEMANDEE,
			     later, now),
	    PAUSE_OK);
	assert_int_equal(pause_may_cancel(PAUSE_SIDE_FAMILY, 0, PAUSE_DEMANDEE,
			     later, now),
	    PAUSE_NON_AUTORISE);
	assert_int_equal(pause_may_cancel(PAUSE_SIDE_VOLUNTEER, 1,
			     PAUSE_DEMANDEE, later, now),
	    PAUSE_NON_AUTORISE);
	assert_int_equal(pause_may_cancel(PAUSE_SIDE_VOLUNTEER, 1,
			     PAUSE_ACCEPTEE, later, now),
	    PAUSE_OK);
	assert_int_equal(pause_may_cancel(PAUSE_SIDE_FAMILY, 1, PAUSE_ACCEPTEE,
			     later, now),
	    PAUSE_OK);
	assert_int_equal(pause_may_cancel(PAUSE_SIDE_FAMILY, 1, PAUSE_ACCEPTEE,
			     now, now),
	    PAUSE_ETAT_INVALIDE);
	assert_int_equal(pause_may_cancel(PAUSE_SIDE_FAMILY, 1, PAUSE_ANNULEE,
			     later, now),
	    PAUSE_ETAT_INVALIDE);
}

static void
test_states(void **state)
{
	enum pause_state s;

	(void)state;
	assert_int_equal(pause_state_at(PAUSE_ACCEPTEE, 10, 10), PAUSE_PASSEE);
	assert_int_equal(pause_state_at(PAUSE_DEMANDEE, 10, 9), PAUSE_DEMANDEE);
	assert_int_equal(pause_state_at(PAUSE_ANNULEE, 10, 20), PAUSE_ANNULEE);
	assert_string_equal(pause_state_name(PAUSE_ACCEPTEE), "acceptee");
	assert_int_equal(pause_state_parse("annulee", &s), 0);
	assert_int_equal(s, PAUSE_ANNULEE);
	assert_int_equal(pause_state_parse("acceptée", &s), -1);
	assert_int_equal(pause_chars("\xc3\xa9t\xc3\xa9"), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_who),
		cmocka_unit_test(test_states),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
