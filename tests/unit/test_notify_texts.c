/* test_notify_texts.c - the French subjects and bodies of notification
 * emails: references only, dates in Paris time, nothing forged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "notify/texts.h"

static void
test_booking_confirmed_paris_time(void **state)
{
	char subject[NOTIFY_SUBJECT_MAX + 1], *body = NULL;

	(void)state;
	/* 2026-12-01T08:30:00Z is 09:30 in Paris (winter, UTC+1). */
	assert_int_equal(notify_text("booking.confirmed",
			     "{\"exam_id\":123,\"slot_id\":\"S-9\","
			     "\"starts_at\":1796113800000}",
			     subject, sizeof(subject), &body),
	    0);
	assert_string_equal(subject,
	    "Réservation confirmée : examen n° 123 le 01/12/2026 à 09:30");
	assert_non_null(strstr(body, "Bonjour,\n\n"));
	assert_non_null(strstr(body, "Examen : n° 123\n"));
	assert_non_null(strstr(body, "Date : le 01/12/2026 à 09:30\n"));
	assert_non_null(strstr(body, "Place : n° S-9\n"));
	assert_non_null(strstr(body, "rubrique « Notifications »"));
	free(body);
}

static void
test_summer_time_and_text_dates(void **state)
{
	char subject[NOTIFY_SUBJECT_MAX + 1], *body = NULL;

	(void)state;
	/* 2026-07-01T07:00:00Z is 09:00 in Paris (summer, UTC+2). */
	assert_int_equal(notify_text("booking.cancelled",
			     "{\"exam_id\":7,\"starts_at\":1782889200000}",
			     subject, sizeof(subject), &body),
	    0);
	assert_string_equal(subject,
	    "Réservation annulée : examen n° 7 le 01/07/2026 à 09:00");
	free(body);
	assert_int_equal(notify_text("booking.confirmed",
			     "{\"exam_id\":8,\"date\":\"2026-03-02\","
			     "\"time\":\"14:15\"}",
			     subject, sizeof(subject), &body),
	    0);
	assert_string_equal(subject,
	    "Réservation confirmée : examen n° 8 le 02/03/2026 à 14:15");
	free(body);
}

static void
test_other_kinds(void **state)
{
	char subject[NOTIFY_SUBJECT_MAX + 1], *body = NULL;

	(void)state;
	assert_int_equal(notify_text("validation.failed",
			     "{\"rule\":\"R4_DELAY\",\"basket_id\":12}",
			     subject, sizeof(subject), &body),
	    0);
	assert_string_equal(subject, "Réservation non validée : panier n° 12");
	assert_non_null(strstr(body, "Règle : R4_DELAY\n"));
	free(body);
	assert_int_equal(notify_text("mandate.revoked", "{\"mandate_id\":3}",
			     subject, sizeof(subject), &body),
	    0);
	assert_string_equal(subject, "Mandat révoqué : mandat n° 3");
	free(body);
	assert_int_equal(notify_text("quota.full", NULL, subject,
			     sizeof(subject), &body),
	    0);
	assert_string_equal(subject, "Quota de places atteint");
	free(body);
}

static void
test_in_app_only_kinds(void **state)
{
	char subject[NOTIFY_SUBJECT_MAX + 1], *body = NULL;

	(void)state;
	assert_int_equal(notify_text_emailed("booking.confirmed"), 1);
	assert_int_equal(notify_text_emailed("quota.low"), 0);
	assert_int_equal(notify_text_emailed("basket.expired"), 0);
	assert_int_equal(notify_text_emailed("no.such.kind"), 0);
	assert_int_equal(notify_text_emailed(NULL), 0);
	assert_int_equal(notify_text("quota.low", "{}", subject,
			     sizeof(subject), &body),
	    1);
	assert_null(body);
}

/* A value that could break a header or smuggle text is left out. */
static void
test_unsafe_values_left_out(void **state)
{
	char subject[NOTIFY_SUBJECT_MAX + 1], *body = NULL;

	(void)state;
	assert_int_equal(notify_text("booking.confirmed",
			     "{\"exam_id\":\"1\\r\\nBcc: x@evil.example\","
			     "\"rule\":\"Jean Dupont\",\"slot_id\":-4}",
			     subject, sizeof(subject), &body),
	    0);
	assert_string_equal(subject, "Réservation confirmée");
	assert_null(strstr(body, "evil"));
	assert_null(strstr(body, "Dupont"));
	assert_null(strstr(body, "-4"));
	free(body);
	assert_int_equal(notify_text("booking.confirmed", "[1]", subject,
			     sizeof(subject), &body),
	    -1);
	assert_int_equal(notify_text("booking.confirmed", "{\"a\":", subject,
			     sizeof(subject), &body),
	    -1);
}

static void
test_subject_too_small(void **state)
{
	char subject[10], *body = NULL;

	(void)state;
	assert_int_equal(notify_text("booking.confirmed", "{\"exam_id\":1}",
			     subject, sizeof(subject), &body),
	    -1);
	assert_null(body);
}

/* The candidate's own notices: the exam's date from start_at, the
 * result and the reason in French. */
static void
test_candidate_exam_notices(void **state)
{
	char subject[NOTIFY_SUBJECT_MAX + 1], *body = NULL;

	(void)state;
	assert_int_equal(notify_text("exam.cancelled",
			     "{\"exam_id\":7,\"start_at\":1796113800000,"
			     "\"category\":\"B\",\"late\":false,"
			     "\"reason\":\"mandate_ended\"}",
			     subject, sizeof(subject), &body),
	    0);
	assert_string_equal(subject,
	    "Examen annulé : examen n° 7 le 01/12/2026 à 09:30");
	assert_non_null(strstr(body,
	    "Motif : le mandat donné à l'auto-école a pris fin\n"));
	free(body);
	assert_int_equal(notify_text("exam.result",
			     "{\"exam_id\":7,\"start_at\":1796113800000,"
			     "\"result\":\"passed\"}",
			     subject, sizeof(subject), &body),
	    0);
	assert_non_null(strstr(body, "Résultat : réussi\n"));
	assert_null(strstr(body, "Motif"));
	free(body);
	assert_int_equal(notify_text("exam.booked", "{\"exam_id\":7}", subject,
			     sizeof(subject), &body),
	    0);
	assert_non_null(strstr(body, "« Mes examens »"));
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_candidate_exam_notices),
		cmocka_unit_test(test_booking_confirmed_paris_time),
		cmocka_unit_test(test_summer_time_and_text_dates),
		cmocka_unit_test(test_other_kinds),
		cmocka_unit_test(test_in_app_only_kinds),
		cmocka_unit_test(test_unsafe_values_left_out),
		cmocka_unit_test(test_subject_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
