/*
 * appt_motif.h - motifs (appointment reasons) and their validation.
 *
 * A motif belongs to a service and says how long an appointment lasts,
 * where it happens (at a place, by phone, at the user's home), who may
 * book it (agents only, or users online too), the booking window a user
 * must respect (from min_delay to max_delay ahead), until when a user may
 * cancel or move it, and whether it is collective (sessions with a
 * capacity and several participants) or individual.
 *
 * Defaults (chosen, after RDV-Service-Public's): min delay 30 min, max
 * delay 90 days, user deadline 4 h; the service may store other values
 * within the bounds below.
 */
#ifndef CRENEAU_APPT_MOTIF_H
#define CRENEAU_APPT_MOTIF_H

#include <stddef.h>
#include <stdint.h>

#include "appointments/appt_codes.h"
#include "appointments/appt_rules.h"

#define APPT_DURATION_MIN 5 /* minutes */
#define APPT_DURATION_MAX 480 /* minutes (8 h) */
#define APPT_DURATION_STEP 5 /* minutes: durations are multiples */
#define APPT_MIN_DELAY_DEFAULT_MS (30 * INT64_C(60000))
#define APPT_MAX_DELAY_DEFAULT_MS (90 * INT64_C(86400000))
#define APPT_DEADLINE_DEFAULT_MS (4 * INT64_C(3600000))
#define APPT_MIN_DELAY_MAX_MS (90 * INT64_C(86400000)) /* min_delay <= */
#define APPT_MAX_DELAY_MAX_MS (731 * INT64_C(86400000)) /* max_delay <= */
#define APPT_DEADLINE_MAX_MS (30 * INT64_C(86400000)) /* deadline <= */
#define APPT_CAPACITY_MAX 500 /* participants of a collective session */
#define APPT_MOTIF_NAME_MAX 200 /* bytes of a motif's name */
#define APPT_MOTIF_INSTRUCTIONS_MAX 4000 /* bytes of its instructions */

enum appt_location {
	APPT_AT_PLACE = 0, /* "place": at one of the organisation's places */
	APPT_BY_PHONE, /* "phone": the agent calls the user */
	APPT_AT_HOME, /* "home": the agent visits the user */
	APPT_LOCATION_COUNT
};

enum appt_bookable {
	APPT_BOOKABLE_AGENTS = 0, /* "agents": only agents book it */
	APPT_BOOKABLE_ONLINE, /* "online": users book it online too */
	APPT_BOOKABLE_COUNT
};

struct appt_motif {
	const char *name; /* UTF-8, not NUL-terminated necessarily */
	size_t name_len;
	const char *instructions; /* may be NULL when instructions_len 0 */
	size_t instructions_len;
	int duration_min; /* minutes */
	enum appt_location location;
	enum appt_bookable bookable;
	int64_t min_delay_ms; /* a user books at least this long ahead */
	int64_t max_delay_ms; /* and at most this long ahead */
	int64_t deadline_ms; /* a user cancels or moves until this before */
	int collective; /* 0 individual, 1 collective */
	int capacity; /* collective: participants per session, >= 2 */
};

/* Returns "place", "phone" or "home", or NULL outside the enum. */
const char *appt_location_name(enum appt_location l);

/* Parses "place", "phone" or "home". Returns 0 and sets *out, or -1. */
int appt_location_parse(const char *s, enum appt_location *out);

/* Returns "agents" or "online", or NULL outside the enum. */
const char *appt_bookable_name(enum appt_bookable b);

/* Parses "agents" or "online". Returns 0 and sets *out, or -1. */
int appt_bookable_parse(const char *s, enum appt_bookable *out);

/* Fills *m with the defaults above: 30-minute individual motif at a
 * place, bookable by agents, no name. */
void appt_motif_defaults(struct appt_motif *m);

/*
 * Checks m and returns APPT_OK, or APPT_PARAMETRE_INVALIDE with err (may
 * be NULL) naming the first field at fault, in this order: "name" (empty,
 * only blanks, longer than APPT_MOTIF_NAME_MAX bytes or not UTF-8),
 * "instructions" (longer than APPT_MOTIF_INSTRUCTIONS_MAX or not UTF-8),
 * "duration" (not 5..480 or not a multiple of 5), "location",
 * "bookable" (outside the enums), "min_delay" (negative or beyond
 * APPT_MIN_DELAY_MAX_MS), "max_delay" (not greater than min_delay, or
 * beyond APPT_MAX_DELAY_MAX_MS), "deadline" (negative or beyond
 * APPT_DEADLINE_MAX_MS), "collective" (not 0 or 1; a collective motif not
 * at a place), "capacity" (collective: not 2..APPT_CAPACITY_MAX;
 * individual: not 0 or 1). Pure.
 */
enum appt_code appt_motif_validate(const struct appt_motif *m,
    struct appt_error *err);

/*
 * May actor book motif m? APPT_MOTIF_NON_RESERVABLE_EN_LIGNE for a user
 * and a motif bookable by agents only, else APPT_OK. Pure.
 */
enum appt_code appt_motif_check_bookable(const struct appt_motif *m,
    enum appt_actor actor);

#endif
