/* test_appt_ics.c - the .ics of an appointment: parsed back by libical's
 * own parser, its local time checked by hand on both sides of the
 * spring daylight-saving change, a stable UID, a growing SEQUENCE, and
 * METHOD CANCEL for a cancellation. (tests/integration/test_appt_notify.c
 * parses the emailed file with python3-icalendar, an independent
 * parser.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "notify/appt_ics.h"

/* 2027-03-27T09:00:00Z: Saturday before the change, 10:00 in Paris (CET,
 * UTC+1). 2027-03-29T08:00:00Z: Monday after, 10:00 in Paris (CEST). */
#define BEFORE_DST 1806138000000LL
#define AFTER_DST 1806307200000LL

static char *
build(enum appt_ics_method m, int64_t start, int64_t seq, int cancelled)
{
	struct appt_ics_event e = { 42, seq, start, start + 30 * 60000,
		"Premier accueil social", "MDS Nantes Nord, 1 rue Exemple",
		NULL, cancelled, "usager@example.org" };
	char *text = NULL;

	assert_int_equal(appt_ics_build(m, "creneau.example",
			     "rdv@creneau.example", &e, 1,
			     BEFORE_DST - 86400000, &text),
	    0);
	return text;
}

/* The UTC time (s) libical reads for the DTSTART of the first event of
 * text, through the VTIMEZONE the file carries. */
static time_t
parsed_start(const char *text, char *uid, size_t uidlen, int *seq,
    icalproperty_method *method)
{
	icalcomponent *cal = icalparser_parse_string(text), *ev;
	struct icaltimetype t;
	icalproperty *p;
	icalparameter *tzid;
	icaltimezone *tz;
	time_t at;

	assert_non_null(cal);
	*method = icalcomponent_get_method(cal);
	ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	assert_non_null(ev);
	snprintf(uid, uidlen, "%s", icalcomponent_get_uid(ev));
	*seq = icalcomponent_get_sequence(ev);
	p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	tzid = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	assert_non_null(tzid);
	assert_string_equal(icalparameter_get_tzid(tzid), "Europe/Paris");
	/* The zone the file itself defines, not the library's copy. */
	tz = icalcomponent_get_timezone(cal, "Europe/Paris");
	assert_non_null(tz);
	t = icalproperty_get_dtstart(p);
	at = icaltime_as_timet_with_zone(t, tz);
	icalcomponent_free(cal);
	return at;
}

static void
test_local_time_across_dst(void **state)
{
	char *a = build(APPT_ICS_REQUEST, BEFORE_DST, 0, 0);
	char *b = build(APPT_ICS_REQUEST, AFTER_DST, 0, 0);
	char uid[128];
	int seq;
	icalproperty_method m;

	(void)state;
	/* By hand: both at 10:00 local, as a person reads them. */
	assert_non_null(strstr(a, "DTSTART;TZID=Europe/Paris:20270327T100000"));
	assert_non_null(strstr(a, "DTEND;TZID=Europe/Paris:20270327T103000"));
	assert_non_null(strstr(b, "DTSTART;TZID=Europe/Paris:20270329T100000"));
	assert_non_null(strstr(a, "BEGIN:VTIMEZONE"));
	assert_non_null(strstr(a, "TZID:Europe/Paris"));
	assert_non_null(strstr(a, "VERSION:2.0"));
	assert_non_null(strstr(a, "\r\n")); /* CRLF line ends */
	/* Parsed back through the file's VTIMEZONE: the right instant. */
	assert_int_equal(parsed_start(a, uid, sizeof(uid), &seq, &m),
	    BEFORE_DST / 1000);
	assert_int_equal(m, ICAL_METHOD_REQUEST);
	assert_int_equal(parsed_start(b, uid, sizeof(uid), &seq, &m),
	    AFTER_DST / 1000);
	free(a);
	free(b);
}

static void
test_uid_stable_sequence_grows(void **state)
{
	char *a = build(APPT_ICS_REQUEST, BEFORE_DST, 0, 0);
	char *b = build(APPT_ICS_REQUEST, AFTER_DST,
	    appt_ics_sequence(1000, 3600 * 1000 + 1000), 0);
	char *c = build(APPT_ICS_CANCEL, AFTER_DST,
	    appt_ics_sequence(1000, 7200 * 1000 + 1000), 1);
	char u1[128], u2[128], u3[128];
	int s1, s2, s3;
	icalproperty_method m;

	(void)state;
	parsed_start(a, u1, sizeof(u1), &s1, &m);
	parsed_start(b, u2, sizeof(u2), &s2, &m);
	parsed_start(c, u3, sizeof(u3), &s3, &m);
	assert_int_equal(m, ICAL_METHOD_CANCEL);
	assert_string_equal(u1, "rdv-42@creneau.example");
	assert_string_equal(u1, u2);
	assert_string_equal(u2, u3);
	assert_true(s1 < s2 && s2 < s3);
	assert_non_null(strstr(c, "STATUS:CANCELLED"));
	assert_non_null(strstr(a, "STATUS:CONFIRMED"));
	assert_non_null(strstr(a, "ORGANIZER:mailto:rdv@creneau.example"));
	assert_int_equal(appt_ics_sequence(5000, 1000), 0);
	free(a);
	free(b);
	free(c);
}

static void
test_feed_holds_every_event(void **state)
{
	struct appt_ics_event e[2] = {
		{ 1, 0, BEFORE_DST, BEFORE_DST + 60000, "A", NULL, NULL, 0,
		    NULL },
		{ 2, 0, AFTER_DST, AFTER_DST + 60000, "B", NULL, NULL, 0,
		    NULL },
	};
	icalcomponent *cal;
	char *text = NULL;

	(void)state;
	assert_int_equal(appt_ics_build(APPT_ICS_PUBLISH, "x.example", NULL, e,
			     2, BEFORE_DST, &text),
	    0);
	cal = icalparser_parse_string(text);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_PUBLISH);
	assert_int_equal(icalcomponent_count_components(cal,
			     ICAL_VEVENT_COMPONENT),
	    2);
	assert_null(strstr(text, "ATTENDEE"));
	icalcomponent_free(cal);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_time_across_dst),
		cmocka_unit_test(test_uid_stable_sequence_grows),
		cmocka_unit_test(test_feed_holds_every_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
