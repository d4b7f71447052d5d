/* pause.c - the rules of respite times (see pause.h). */
#include "dossiers/pause.h"

#include <string.h>

#include "appointments/appt_time.h"

static const char *const state_names[] = { "demandee", "acceptee", "annulee",
	"passee" };

const char *
pause_state_name(enum pause_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0])
	    ? state_names[s]
	    : "demandee";
}

int
pause_state_parse(const char *s, enum pause_state *out)
{
	size_t i;

	for (i = 0;
	     s != NULL && i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (strcmp(s, state_names[i]) == 0) {
			*out = (enum pause_state)i;
			return 0;
		}
	return -1;
}

static const struct {
	const char *name, *field, *detail;
} codes[] = {
	{ "ok", NULL, "" },
	{ "pause_date_invalide", "date",
	    "La date doit être une date valide (AAAA-MM-JJ), qui n'est pas "
	    "passée." },
	{ "pause_heure_invalide", "start",
	    "L'heure de début doit être entre 07:00 et 21:00 (heure de "
	    "Paris), au format HH:MM, et ne pas être passée." },
	{ "pause_duree_invalide", "duration",
	    "La durée doit être comprise entre 1 h et 8 h, par pas de "
	    "15 minutes." },
	{ "pause_lieu_invalide", "place",
	    "Le lieu est obligatoire et fait au plus 200 caractères." },
	{ "pause_note_invalide", "note",
	    "La note fait au plus 500 caractères." },
	{ "pause_dossier_non_valide", NULL,
	    "Votre dossier doit être validé par l'association avant de "
	    "demander ou d'accepter une pause." },
	{ "pause_profil_invalide", NULL,
	    "Seule une famille demande une pause, et seul un bénévole "
	    "l'accepte." },
	{ "pause_etat_invalide", NULL,
	    "Cette pause ne peut plus être modifiée : elle est annulée, "
	    "passée ou déjà commencée." },
	{ "pause_deja_acceptee", NULL,
	    "Un autre bénévole a déjà accepté cette pause." },
	{ "pause_non_autorisee", NULL,
	    "Seules la famille qui a demandé la pause et la personne "
	    "bénévole qui l'a acceptée peuvent l'annuler." },
};

const char *
pause_code_name(enum pause_code c)
{
	return (unsigned)c < sizeof(codes) / sizeof(codes[0]) ? codes[c].name
							      : "erreur";
}

const char *
pause_code_detail(enum pause_code c)
{
	return (unsigned)c < sizeof(codes) / sizeof(codes[0]) ? codes[c].detail
							      : "";
}

const char *
pause_code_field(enum pause_code c)
{
	return (unsigned)c < sizeof(codes) / sizeof(codes[0]) ? codes[c].field
							      : NULL;
}

size_t
pause_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* 1 when s holds something other than spaces. */
static int
not_blank(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 1;
	return 0;
}

enum pause_code
pause_check(const char *date, const char *start, long duration,
    const char *place, const char *note, int64_t now, int64_t *start_at)
{
	int64_t day, at;
	int minute;
	size_t n;

	if (date == NULL || strlen(date) != 10 ||
	    appt_date_parse(date, 10, &day) != 0 || day < appt_paris_day(now))
		return PAUSE_DATE_INVALIDE;
	if (start == NULL || strlen(start) != 5 ||
	    appt_hhmm_parse(start, 5, &minute) != 0 ||
	    minute < PAUSE_START_MIN || minute > PAUSE_START_MAX)
		return PAUSE_HEURE_INVALIDE;
	if (duration < PAUSE_DURATION_MIN || duration > PAUSE_DURATION_MAX ||
	    duration % PAUSE_DURATION_STEP != 0)
		return PAUSE_DUREE_INVALIDE;
	if (place == NULL || !not_blank(place) ||
	    (n = pause_chars(place)) > PAUSE_PLACE_MAX)
		return PAUSE_LIEU_INVALIDE;
	if (note != NULL && pause_chars(note) > PAUSE_NOTE_MAX)
		return PAUSE_NOTE_INVALIDE;
	at = appt_paris_to_utc(day, minute, NULL);
	if (at <= now)
		return PAUSE_HEURE_INVALIDE; /* today, already started */
	*start_at = at;
	return PAUSE_OK;
}

enum pause_code
pause_may_ask(enum dossier_kind kind, enum dossier_state ds)
{
	if (kind != DOSSIER_FAMILY)
		return PAUSE_PROFIL_INVALIDE;
	return ds == DOSSIER_VALIDE ? PAUSE_OK : PAUSE_DOSSIER_NON_VALIDE;
}

enum pause_state
pause_state_at(enum pause_state s, int64_t start_at, int64_t now)
{
	if ((s == PAUSE_DEMANDEE || s == PAUSE_ACCEPTEE) && start_at <= now)
		return PAUSE_PASSEE;
	return s;
}

enum pause_code
pause_may_accept(enum dossier_kind kind, enum dossier_state ds,
    enum pause_state s, int64_t start_at, int64_t now)
{
	if (kind != DOSSIER_VOLUNTEER)
		return PAUSE_PROFIL_INVALIDE;
	if (ds != DOSSIER_VALIDE)
		return PAUSE_DOSSIER_NON_VALIDE;
	s = pause_state_at(s, start_at, now);
	if (s == PAUSE_ACCEPTEE)
		return PAUSE_DEJA_ACCEPTEE;
	return s == PAUSE_DEMANDEE ? PAUSE_OK : PAUSE_ETAT_INVALIDE;
}

enum pause_code
pause_may_cancel(enum pause_side side, int own, enum pause_state s,
    int64_t start_at, int64_t now)
{
	if (!own)
		return PAUSE_NON_AUTORISE;
	s = pause_state_at(s, start_at, now);
	if (s == PAUSE_ACCEPTEE)
		return PAUSE_OK;
	if (s == PAUSE_DEMANDEE)
		return side == PAUSE_SIDE_FAMILY ? PAUSE_OK
						 : PAUSE_NON_AUTORISE;
	return PAUSE_ETAT_INVALIDE;
}
