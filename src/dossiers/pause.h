/*
 * pause.h - the rules of respite times (« pauses », seed 002): once its
 * dossier is validated, a family asks for a pause (date, start, duration,
 * place); a volunteer of the same association whose dossier is validated
 * accepts it. Both are told.
 *
 * States and who moves them:
 *   demandee -> acceptee   a validated volunteer, before the start
 *   demandee -> annulee    the family that asked, before the start
 *   acceptee -> annulee    the family or the volunteer who accepted it,
 *                          before the start
 * A demandee or acceptee pause whose start has come is passee (computed
 * when read: pause_state_at). annulee and passee are final.
 *
 * Pure: no I/O, no clock (now is always given).
 */
#ifndef CRENEAU_DOSSIERS_PAUSE_H
#define CRENEAU_DOSSIERS_PAUSE_H

#include <stddef.h>
#include <stdint.h>

#include "dossiers/dossier.h"

enum pause_state {
	PAUSE_DEMANDEE,
	PAUSE_ACCEPTEE,
	PAUSE_ANNULEE,
	PAUSE_PASSEE
};

/* Who acts on a pause. */
enum pause_side { PAUSE_SIDE_FAMILY, PAUSE_SIDE_VOLUNTEER };

/* Outcomes; each has a stable wire code (pause_code_name) and, for the
 * fields, the name of the field at fault (pause_code_field). */
enum pause_code {
	PAUSE_OK = 0,
	PAUSE_DATE_INVALIDE, /* "date": not a date, or in the past */
	PAUSE_HEURE_INVALIDE, /* "start": not HH:MM in 07:00..21:00 */
	PAUSE_DUREE_INVALIDE, /* "duration": 60..480 minutes, steps of 15 */
	PAUSE_LIEU_INVALIDE, /* "place": 1..200 characters */
	PAUSE_NOTE_INVALIDE, /* "note": at most 500 characters */
	PAUSE_DOSSIER_NON_VALIDE, /* the caller's dossier is not validated */
	PAUSE_PROFIL_INVALIDE, /* a volunteer asks, or a family accepts */
	PAUSE_ETAT_INVALIDE, /* not allowed in the pause's state */
	PAUSE_DEJA_ACCEPTEE, /* another volunteer accepted it first */
	PAUSE_NON_AUTORISE /* not the caller's pause */
};

#define PAUSE_START_MIN (7 * 60) /* 07:00 Paris time */
#define PAUSE_START_MAX (21 * 60) /* 21:00 Paris time */
#define PAUSE_DURATION_MIN 60
#define PAUSE_DURATION_MAX 480
#define PAUSE_DURATION_STEP 15
#define PAUSE_PLACE_MAX 200 /* characters (UTF-8 code points) */
#define PAUSE_NOTE_MAX 500 /* characters */

/* Wire names ("demandee"...) and the parser (0 or -1). */
const char *pause_state_name(enum pause_state s);
int pause_state_parse(const char *s, enum pause_state *out);

/* The stable code ("pause_duree_invalide"...), French detail and the
 * field at fault (NULL when the code is not about a field). */
const char *pause_code_name(enum pause_code c);
const char *pause_code_detail(enum pause_code c);
const char *pause_code_field(enum pause_code c);

/*
 * Checks a request: date "YYYY-MM-DD" and start "HH:MM" in Europe/Paris,
 * duration in minutes, place (1..PAUSE_PLACE_MAX characters, not only
 * spaces), note (NULL or at most PAUSE_NOTE_MAX characters). The start
 * must not be in the past at now (UTC ms). On PAUSE_OK, *start_at is the
 * start in UTC ms.
 */
enum pause_code pause_check(const char *date, const char *start, long duration,
    const char *place, const char *note, int64_t now, int64_t *start_at);

/* May a person whose dossier is of kind in state ds ask for a pause? */
enum pause_code pause_may_ask(enum dossier_kind kind, enum dossier_state ds);

/* May a person whose dossier is of kind in state ds accept a pause in
 * state s starting at start_at, at now? */
enum pause_code pause_may_accept(enum dossier_kind kind, enum dossier_state ds,
    enum pause_state s, int64_t start_at, int64_t now);

/* May side cancel a pause in state s starting at start_at, at now? own
 * is 1 when the caller is the family that asked (PAUSE_SIDE_FAMILY) or
 * the volunteer who accepted (PAUSE_SIDE_VOLUNTEER). */
enum pause_code pause_may_cancel(enum pause_side side, int own,
    enum pause_state s, int64_t start_at, int64_t now);

/* The state a stored pause in state s starting at start_at shows at now:
 * demandee and acceptee become passee once started. */
enum pause_state pause_state_at(enum pause_state s, int64_t start_at,
    int64_t now);

/* The number of UTF-8 code points of s (invalid bytes count one each). */
size_t pause_chars(const char *s);

#endif
