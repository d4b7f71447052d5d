/* test_appt_status.c - src/appointments/appt_status.c: statuses by name,
 * which are final, which hold their time, and who may move an
 * appointment from one status to another, when. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "appointments/appt_status.h"
#include "appointments/appt_time.h"
#include "unit.h"

#define H APPT_HOUR_MS

static const int64_t start = 1000 * H;

static void
test_names(void **state)
{
	const char *const names[] = { "a_venir", "vu", "excuse", "non_venu",
		"annule_agent", "annule_usager" };
	enum appt_status s;
	int i;

	(void)state;
	for (i = 0; i < APPT_STATUS_COUNT; i++) {
		assert_int_equal(appt_status_parse(names[i], &s), 0);
		assert_int_equal(s, i);
		assert_string_equal(appt_status_name(s), names[i]);
		assert_non_null(appt_status_label(s));
	}
	assert_string_equal(appt_status_label(APPT_ANNULE_AGENT),
	    "Annulé par l'agent");
	assert_int_equal(appt_status_parse("annule", &s), -1);
	assert_int_equal(appt_status_parse(NULL, &s), -1);
	assert_null(appt_status_name(APPT_STATUS_COUNT));
	assert_true(appt_status_is_final(APPT_ANNULE_AGENT));
	assert_true(appt_status_is_final(APPT_ANNULE_USAGER));
	assert_false(appt_status_is_final(APPT_VU));
	assert_true(appt_status_holds_time(APPT_A_VENIR));
	assert_false(appt_status_holds_time(APPT_EXCUSE));
	assert_false(appt_status_holds_time(APPT_ANNULE_USAGER));
}

static enum appt_code
agent(enum appt_status from, enum appt_status to, int64_t now)
{
	return appt_status_check(APPT_BY_AGENT, from, to, start, now, 4 * H);
}

static void
test_agent_transitions(void **state)
{
	(void)state;
	/* Seen or no-show: only once the appointment has started. */
	assert_int_equal(agent(APPT_A_VENIR, APPT_VU, start - 1),
	    APPT_RDV_NON_COMMENCE);
	assert_int_equal(agent(APPT_A_VENIR, APPT_VU, start), APPT_OK);
	assert_int_equal(agent(APPT_A_VENIR, APPT_NON_VENU, start - H),
	    APPT_RDV_NON_COMMENCE);
	assert_int_equal(agent(APPT_A_VENIR, APPT_NON_VENU, start + H),
	    APPT_OK);
	/* Excused: any time. */
	assert_int_equal(agent(APPT_A_VENIR, APPT_EXCUSE, start - 99 * H),
	    APPT_OK);
	assert_int_equal(agent(APPT_A_VENIR, APPT_EXCUSE, start + H), APPT_OK);
	/* Cancelled by the agent: until the start, and only when to come. */
	assert_int_equal(agent(APPT_A_VENIR, APPT_ANNULE_AGENT, start - 1),
	    APPT_OK);
	assert_int_equal(agent(APPT_A_VENIR, APPT_ANNULE_AGENT, start),
	    APPT_RDV_PASSE);
	assert_int_equal(agent(APPT_VU, APPT_ANNULE_AGENT, start - H),
	    APPT_TRANSITION_INTERDITE);
	/* Corrections between vu, non venu, excusé and à venir. */
	assert_int_equal(agent(APPT_VU, APPT_NON_VENU, start + H), APPT_OK);
	assert_int_equal(agent(APPT_NON_VENU, APPT_A_VENIR, start + H),
	    APPT_OK);
	assert_int_equal(agent(APPT_EXCUSE, APPT_VU, start + H), APPT_OK);
	assert_int_equal(agent(APPT_EXCUSE, APPT_VU, start - H),
	    APPT_RDV_NON_COMMENCE);
	/* Final statuses stay. */
	assert_int_equal(agent(APPT_ANNULE_AGENT, APPT_A_VENIR, start - H),
	    APPT_RDV_DEJA_ANNULE);
	assert_int_equal(agent(APPT_ANNULE_USAGER, APPT_VU, start + H),
	    APPT_RDV_DEJA_ANNULE);
	/* An agent does not cancel in the user's name; no-op changes. */
	assert_int_equal(agent(APPT_A_VENIR, APPT_ANNULE_USAGER, start - H),
	    APPT_ACTION_INTERDITE);
	assert_int_equal(agent(APPT_VU, APPT_VU, start + H),
	    APPT_PARAMETRE_INVALIDE);
	assert_int_equal(agent(APPT_VU, APPT_STATUS_COUNT, start + H),
	    APPT_PARAMETRE_INVALIDE);
}

static void
test_user_transitions(void **state)
{
	(void)state;
	assert_int_equal(appt_status_check(APPT_BY_USER, APPT_A_VENIR,
			     APPT_ANNULE_USAGER, start, start - 4 * H, 4 * H),
	    APPT_OK);
	assert_int_equal(appt_status_check(APPT_BY_USER, APPT_A_VENIR,
			     APPT_ANNULE_USAGER, start, start - 3 * H, 4 * H),
	    APPT_ANNULATION_TROP_TARDIVE);
	assert_int_equal(appt_status_check(APPT_BY_USER, APPT_A_VENIR,
			     APPT_ANNULE_USAGER, start, start, 0),
	    APPT_RDV_PASSE);
	assert_int_equal(appt_status_check(APPT_BY_USER, APPT_EXCUSE,
			     APPT_ANNULE_USAGER, start, start - 9 * H, 4 * H),
	    APPT_TRANSITION_INTERDITE);
	assert_int_equal(appt_status_check(APPT_BY_USER, APPT_A_VENIR, APPT_VU,
			     start, start + H, 4 * H),
	    APPT_ACTION_INTERDITE);
	assert_int_equal(appt_status_check(APPT_BY_USER, APPT_ANNULE_AGENT,
			     APPT_ANNULE_USAGER, start, start - 9 * H, 4 * H),
	    APPT_RDV_DEJA_ANNULE);
}

static void
test_edit(void **state)
{
	(void)state;
	assert_int_equal(appt_status_check_edit(APPT_BY_AGENT, APPT_A_VENIR,
			     start, start - 1, 4 * H),
	    APPT_OK);
	assert_int_equal(appt_status_check_edit(APPT_BY_AGENT, APPT_A_VENIR,
			     start, start, 4 * H),
	    APPT_RDV_PASSE);
	assert_int_equal(appt_status_check_edit(APPT_BY_USER, APPT_A_VENIR,
			     start, start - H, 4 * H),
	    APPT_MODIFICATION_TROP_TARDIVE);
	assert_int_equal(appt_status_check_edit(APPT_BY_USER, APPT_A_VENIR,
			     start, start - 5 * H, 4 * H),
	    APPT_OK);
	assert_int_equal(appt_status_check_edit(APPT_BY_AGENT, APPT_EXCUSE,
			     start, start - 5 * H, 4 * H),
	    APPT_TRANSITION_INTERDITE);
	assert_int_equal(appt_status_check_edit(APPT_BY_AGENT,
			     APPT_ANNULE_USAGER, start, start - 5 * H, 4 * H),
	    APPT_RDV_DEJA_ANNULE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_agent_transitions),
		cmocka_unit_test(test_user_transitions),
		cmocka_unit_test(test_edit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
