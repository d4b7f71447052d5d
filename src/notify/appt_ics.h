/*
 * appt_ics.h - appointments as iCalendar (RFC 5545) text, written with
 * libical: the .ics attached to the emails of a booking, a change and a
 * cancellation (iTIP METHOD REQUEST or CANCEL), and the agent's calendar
 * feed (METHOD PUBLISH).
 *
 * An appointment keeps one UID for its whole life ("rdv-<id>@<domain>"),
 * so a calendar application updates the event it holds instead of adding
 * another; SEQUENCE grows with each change. Times are written in
 * Europe/Paris local time with its VTIMEZONE, so the event shows the
 * right local hour on both sides of a daylight-saving change.
 *
 * An event carries what the person needs to come: the motif, the place
 * (name and address of the service's place; "À domicile" or "Par
 * téléphone" otherwise, never the person's address), and the time.
 */
#ifndef CRENEAU_NOTIFY_APPT_ICS_H
#define CRENEAU_NOTIFY_APPT_ICS_H

#include <stddef.h>
#include <stdint.h>

#define APPT_ICS_TZID "Europe/Paris"

enum appt_ics_method {
	APPT_ICS_REQUEST, /* booked or changed */
	APPT_ICS_CANCEL, /* cancelled */
	APPT_ICS_PUBLISH /* a feed */
};

struct appt_ics_event {
	int64_t id; /* the appointment */
	int64_t sequence; /* 0 at booking, growing with each change */
	int64_t start_ms, end_ms; /* UTC */
	const char *summary; /* the motif */
	const char *location; /* may be NULL */
	const char *description; /* may be NULL */
	int cancelled;
	const char *attendee; /* an email address, or NULL */
};

/* The SEQUENCE of an appointment created at created_ms and last changed
 * at updated_ms: the seconds between them, so it grows with every
 * change. Pure. */
int64_t appt_ics_sequence(int64_t created_ms, int64_t updated_ms);

/*
 * Writes a VCALENDAR of method with the n events of ev, stamped at
 * now_ms, organised by organizer (an email address, may be NULL), with
 * UIDs under domain, into *out (malloc'ed, NUL-terminated; free it).
 * Returns 0 or -1.
 */
int appt_ics_build(enum appt_ics_method method, const char *domain,
    const char *organizer, const struct appt_ics_event *ev, size_t n,
    int64_t now_ms, char **out);

#endif
