/* test_appt_motif.c - src/appointments/appt_motif.c: a motif's duration,
 * location, delays, deadline and capacity are checked field by field,
 * and a motif for agents only cannot be booked online. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "appointments/appt_motif.h"
#include "appointments/appt_time.h"
#include "unit.h"

static struct appt_motif
good(void)
{
	struct appt_motif m;

	appt_motif_defaults(&m);
	m.name = "Premier accueil RSA";
	m.name_len = strlen(m.name);
	return m;
}

static void
expect_field(const struct appt_motif *m, const char *field)
{
	struct appt_error e = { APPT_OK, NULL, NULL };

	assert_int_equal(appt_motif_validate(m, &e), APPT_PARAMETRE_INVALIDE);
	assert_string_equal(e.field, field);
	assert_non_null(e.rule);
}

static void
test_defaults_are_valid(void **state)
{
	struct appt_motif m = good();
	struct appt_error e;

	(void)state;
	assert_int_equal(appt_motif_validate(&m, &e), APPT_OK);
	assert_int_equal(m.duration_min, 30);
	assert_int_equal(m.min_delay_ms, 30 * APPT_MINUTE_MS);
	assert_int_equal(m.max_delay_ms, 90 * APPT_DAY_MS);
	assert_int_equal(m.deadline_ms, 4 * APPT_HOUR_MS);
	assert_int_equal(m.location, APPT_AT_PLACE);
	assert_int_equal(m.bookable, APPT_BOOKABLE_AGENTS);
}

static void
test_name_and_instructions(void **state)
{
	struct appt_motif m = good();
	char big[APPT_MOTIF_INSTRUCTIONS_MAX + 2];

	(void)state;
	m.name_len = 0;
	expect_field(&m, "name");
	m.name = "   ";
	m.name_len = 3;
	expect_field(&m, "name");
	m.name = "Accueil \xc3";
	m.name_len = strlen(m.name);
	expect_field(&m, "name");
	m.name = "Entretien d'évaluation";
	m.name_len = strlen(m.name);
	assert_int_equal(appt_motif_validate(&m, NULL), APPT_OK);
	memset(big, 'a', sizeof(big));
	m.name = big;
	m.name_len = APPT_MOTIF_NAME_MAX + 1;
	expect_field(&m, "name");
	m = good();
	m.instructions = big;
	m.instructions_len = APPT_MOTIF_INSTRUCTIONS_MAX;
	assert_int_equal(appt_motif_validate(&m, NULL), APPT_OK);
	m.instructions_len++;
	expect_field(&m, "instructions");
	m.instructions = NULL;
	m.instructions_len = 3;
	expect_field(&m, "instructions");
}

static void
test_duration(void **state)
{
	struct appt_motif m = good();
	const int ok[] = { 5, 10, 45, 480 }, bad[] = { 0, 4, 7, 481, 485, -5 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		m.duration_min = ok[i];
		assert_int_equal(appt_motif_validate(&m, NULL), APPT_OK);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m.duration_min = bad[i];
		expect_field(&m, "duration");
	}
}

static void
test_delays_and_deadline(void **state)
{
	struct appt_motif m = good();

	(void)state;
	m.min_delay_ms = -1;
	expect_field(&m, "min_delay");
	m.min_delay_ms = APPT_MIN_DELAY_MAX_MS + 1;
	expect_field(&m, "min_delay");
	m = good();
	m.min_delay_ms = 0;
	assert_int_equal(appt_motif_validate(&m, NULL), APPT_OK);
	/* The window must not be empty. */
	m.min_delay_ms = 2 * APPT_DAY_MS;
	m.max_delay_ms = 2 * APPT_DAY_MS;
	expect_field(&m, "max_delay");
	m.max_delay_ms = APPT_MAX_DELAY_MAX_MS + 1;
	expect_field(&m, "max_delay");
	m = good();
	m.deadline_ms = -1;
	expect_field(&m, "deadline");
	m.deadline_ms = APPT_DEADLINE_MAX_MS + 1;
	expect_field(&m, "deadline");
	m.deadline_ms = 0;
	assert_int_equal(appt_motif_validate(&m, NULL), APPT_OK);
}

static void
test_location_and_collective(void **state)
{
	struct appt_motif m = good();
	enum appt_location l;
	enum appt_bookable b;

	(void)state;
	m.location = APPT_LOCATION_COUNT;
	expect_field(&m, "location");
	m = good();
	m.bookable = APPT_BOOKABLE_COUNT;
	expect_field(&m, "bookable");
	/* A collective session: at a place, 2 participants at least. */
	m = good();
	m.collective = 1;
	m.capacity = 12;
	assert_int_equal(appt_motif_validate(&m, NULL), APPT_OK);
	m.capacity = 1;
	expect_field(&m, "capacity");
	m.capacity = APPT_CAPACITY_MAX + 1;
	expect_field(&m, "capacity");
	m.capacity = 12;
	m.location = APPT_BY_PHONE;
	expect_field(&m, "collective");
	m = good();
	m.collective = 2;
	expect_field(&m, "collective");
	m.collective = 0;
	m.capacity = 5;
	expect_field(&m, "capacity");
	/* Names of the enums. */
	assert_int_equal(appt_location_parse("home", &l), 0);
	assert_int_equal(l, APPT_AT_HOME);
	assert_string_equal(appt_location_name(APPT_BY_PHONE), "phone");
	assert_int_equal(appt_location_parse("Home", &l), -1);
	assert_null(appt_location_name(APPT_LOCATION_COUNT));
	assert_int_equal(appt_bookable_parse("online", &b), 0);
	assert_int_equal(b, APPT_BOOKABLE_ONLINE);
	assert_string_equal(appt_bookable_name(APPT_BOOKABLE_AGENTS), "agents");
	assert_int_equal(appt_bookable_parse(NULL, &b), -1);
}

static void
test_bookable_online(void **state)
{
	struct appt_motif m = good();

	(void)state;
	assert_int_equal(appt_motif_check_bookable(&m, APPT_BY_AGENT), APPT_OK);
	assert_int_equal(appt_motif_check_bookable(&m, APPT_BY_USER),
	    APPT_MOTIF_NON_RESERVABLE_EN_LIGNE);
	m.bookable = APPT_BOOKABLE_ONLINE;
	assert_int_equal(appt_motif_check_bookable(&m, APPT_BY_USER), APPT_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_valid),
		cmocka_unit_test(test_name_and_instructions),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_delays_and_deadline),
		cmocka_unit_test(test_location_and_collective),
		cmocka_unit_test(test_bookable_online),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
