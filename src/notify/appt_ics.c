/* appt_ics.c - appointments as iCalendar text, through libical. */
#include "notify/appt_ics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#define PRODID "-//Creneau//Rendez-vous//FR"

/* Europe/Paris under the European rules in force since 1996 (the last
 * Sunday of March at 02:00, of October at 03:00): short, and what
 * calendar applications expect, where libical's built-in zone carries
 * the whole history under a TZID of its own. */
static const char paris_vtimezone[] =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:" APPT_ICS_TZID "\r\n"
    "X-LIC-LOCATION:" APPT_ICS_TZID "\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZNAME:CEST\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0200\r\n"
    "DTSTART:19700329T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZNAME:CET\r\n"
    "TZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\n"
    "DTSTART:19701025T030000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

int64_t
appt_ics_sequence(int64_t created_ms, int64_t updated_ms)
{
	int64_t s = (updated_ms - created_ms) / 1000;

	if (s < 0)
		return 0;
	return s > 2147483647 ? 2147483647 : s;
}

/* A DTSTART or DTEND value: local time in tz, with its TZID. */
static icalproperty *
local_time(icalproperty *(*make)(struct icaltimetype), int64_t ms,
    icaltimezone *tz)
{
	struct icaltimetype t =
	    icaltime_from_timet_with_zone((time_t)(ms / 1000), 0, tz);
	icalproperty *p;

	t.zone = NULL; /* written as floating local time, TZID added below */
	p = make(t);
	if (p != NULL)
		icalproperty_add_parameter(p,
		    icalparameter_new_tzid(APPT_ICS_TZID));
	return p;
}

static icalcomponent *
event(const struct appt_ics_event *e, const char *domain, const char *organizer,
    int64_t now_ms, icaltimezone *tz)
{
	icalcomponent *v = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	char uid[160], who[300];

	if (v == NULL)
		return NULL;
	snprintf(uid, sizeof(uid), "rdv-%lld@%s", (long long)e->id, domain);
	icalcomponent_add_property(v, icalproperty_new_uid(uid));
	icalcomponent_add_property(v,
	    icalproperty_new_dtstamp(
		icaltime_from_timet_with_zone((time_t)(now_ms / 1000), 0,
		    icaltimezone_get_utc_timezone())));
	icalcomponent_add_property(v,
	    icalproperty_new_sequence((int)e->sequence));
	icalcomponent_add_property(v,
	    local_time(icalproperty_new_dtstart, e->start_ms, tz));
	icalcomponent_add_property(v,
	    local_time(icalproperty_new_dtend, e->end_ms, tz));
	icalcomponent_add_property(v,
	    icalproperty_new_summary(e->summary != NULL ? e->summary : ""));
	if (e->location != NULL && e->location[0] != '\0')
		icalcomponent_add_property(v,
		    icalproperty_new_location(e->location));
	if (e->description != NULL && e->description[0] != '\0')
		icalcomponent_add_property(v,
		    icalproperty_new_description(e->description));
	icalcomponent_add_property(v,
	    icalproperty_new_status(
		e->cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
	if (organizer != NULL && organizer[0] != '\0') {
		snprintf(who, sizeof(who), "mailto:%s", organizer);
		icalcomponent_add_property(v, icalproperty_new_organizer(who));
	}
	if (e->attendee != NULL && e->attendee[0] != '\0') {
		snprintf(who, sizeof(who), "mailto:%s", e->attendee);
		icalcomponent_add_property(v, icalproperty_new_attendee(who));
	}
	return v;
}

int
appt_ics_build(enum appt_ics_method method, const char *domain,
    const char *organizer, const struct appt_ics_event *ev, size_t n,
    int64_t now_ms, char **out)
{
	icaltimezone *tz;
	icalcomponent *cal, *vtz, *v;
	icalproperty_method m = method == APPT_ICS_REQUEST ? ICAL_METHOD_REQUEST
	    : method == APPT_ICS_CANCEL                    ? ICAL_METHOD_CANCEL
					: ICAL_METHOD_PUBLISH;
	char *text;
	size_t i;

	*out = NULL;
	if ((vtz = icalparser_parse_string(paris_vtimezone)) == NULL)
		return -1;
	if ((tz = icaltimezone_new()) == NULL ||
	    icaltimezone_set_component(tz, vtz) == 0 ||
	    (cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT)) == NULL) {
		if (tz != NULL)
			icaltimezone_free(tz, 1);
		else
			icalcomponent_free(vtz);
		return -1;
	}
	icalcomponent_add_property(cal, icalproperty_new_prodid(PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(m));
	icalcomponent_add_component(cal, icalcomponent_new_clone(vtz));
	for (i = 0; i < n; i++) {
		if ((v = event(&ev[i], domain, organizer, now_ms, tz)) ==
		    NULL) {
			icalcomponent_free(cal);
			icaltimezone_free(tz, 1);
			return -1;
		}
		icalcomponent_add_component(cal, v);
	}
	text = icalcomponent_as_ical_string_r(cal);
	icalcomponent_free(cal);
	icaltimezone_free(tz, 1);
	if (text == NULL)
		return -1;
	*out = text;
	return 0;
}
