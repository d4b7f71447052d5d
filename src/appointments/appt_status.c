/* appt_status.c - the statuses of an appointment and their transitions. */
#include "appointments/appt_status.h"

#include <string.h>

static const char *const names[APPT_STATUS_COUNT] = { "a_venir", "vu", "excuse",
	"non_venu", "annule_agent", "annule_usager" };

static const char *const labels[APPT_STATUS_COUNT] = { "À venir", "Vu",
	"Excusé", "Non venu", "Annulé par l'agent", "Annulé par l'usager" };

static int
valid(enum appt_status s)
{
	return (int)s >= 0 && s < APPT_STATUS_COUNT;
}

const char *
appt_status_name(enum appt_status s)
{
	return valid(s) ? names[s] : NULL;
}

const char *
appt_status_label(enum appt_status s)
{
	return valid(s) ? labels[s] : NULL;
}

int
appt_status_parse(const char *s, enum appt_status *out)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < APPT_STATUS_COUNT; i++) {
		if (strcmp(names[i], s) == 0) {
			*out = (enum appt_status)i;
			return 0;
		}
	}
	return -1;
}

int
appt_status_is_final(enum appt_status s)
{
	return s == APPT_ANNULE_AGENT || s == APPT_ANNULE_USAGER;
}

int
appt_status_holds_time(enum appt_status s)
{
	return s == APPT_A_VENIR || s == APPT_VU || s == APPT_NON_VENU;
}

enum appt_code
appt_status_check(enum appt_actor actor, enum appt_status from,
    enum appt_status to, int64_t start, int64_t now, int64_t deadline_ms)
{
	if (!valid(from) || !valid(to) || from == to)
		return APPT_PARAMETRE_INVALIDE;
	if (appt_status_is_final(from))
		return APPT_RDV_DEJA_ANNULE;
	if ((actor == APPT_BY_USER) != (to == APPT_ANNULE_USAGER))
		return APPT_ACTION_INTERDITE;
	switch (to) {
	case APPT_ANNULE_USAGER:
		if (from != APPT_A_VENIR)
			return APPT_TRANSITION_INTERDITE;
		return appt_check_change(APPT_BY_USER, APPT_CHANGE_CANCEL,
		    start, now, deadline_ms);
	case APPT_ANNULE_AGENT:
		if (from != APPT_A_VENIR)
			return APPT_TRANSITION_INTERDITE;
		return now >= start ? APPT_RDV_PASSE : APPT_OK;
	case APPT_VU:
	case APPT_NON_VENU:
		return now < start ? APPT_RDV_NON_COMMENCE : APPT_OK;
	case APPT_EXCUSE:
	case APPT_A_VENIR:
		return APPT_OK;
	default:
		return APPT_TRANSITION_INTERDITE;
	}
}

enum appt_code
appt_status_check_edit(enum appt_actor actor, enum appt_status s, int64_t start,
    int64_t now, int64_t deadline_ms)
{
	if (!valid(s))
		return APPT_PARAMETRE_INVALIDE;
	if (appt_status_is_final(s))
		return APPT_RDV_DEJA_ANNULE;
	if (s != APPT_A_VENIR)
		return APPT_TRANSITION_INTERDITE;
	return appt_check_change(actor, APPT_CHANGE_MOVE, start, now,
	    deadline_ms);
}
