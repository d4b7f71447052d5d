/*
 * appt_status.h - the statuses of an appointment and who may move it from
 * one to another, when.
 *
 *   a_venir  --(agent, from the start on)------------> vu, non_venu
 *   a_venir  --(agent, any time)---------------------> excuse
 *   a_venir  --(agent, before the start)-------------> annule_agent
 *   a_venir  --(user, up to the motif's deadline)----> annule_usager
 *   vu, non_venu, excuse --(agent, any time)---------> a_venir, vu,
 *                          non_venu, excuse (correcting a mistake; vu
 *                          and non_venu still only from the start on)
 *   annule_agent, annule_usager: final (APPT_RDV_DEJA_ANNULE).
 *
 * « excusé »: the user warned the service they would not come (an agent
 * records it); « annulé par l'usager »: the user cancelled online
 * themselves. Only an appointment a_venir and not started may be moved
 * or edited (appt_status_check_edit).
 */
#ifndef CRENEAU_APPT_STATUS_H
#define CRENEAU_APPT_STATUS_H

#include <stdint.h>

#include "appointments/appt_codes.h"
#include "appointments/appt_rules.h"

enum appt_status {
	APPT_A_VENIR = 0,
	APPT_VU,
	APPT_EXCUSE,
	APPT_NON_VENU,
	APPT_ANNULE_AGENT,
	APPT_ANNULE_USAGER,
	APPT_STATUS_COUNT
};

/* Returns the stable string of s ("a_venir", "vu", "excuse", "non_venu",
 * "annule_agent", "annule_usager"), or NULL outside the enum. Static. */
const char *appt_status_name(enum appt_status s);

/* Returns the French label of s (« À venir », « Annulé par l'agent »...),
 * or NULL outside the enum. Static, UTF-8. */
const char *appt_status_label(enum appt_status s);

/* Finds the status named s (exact). Returns 0 and sets *out, or -1 (s may
 * be NULL). */
int appt_status_parse(const char *s, enum appt_status *out);

/* Returns 1 for a final status (annule_agent, annule_usager), else 0. */
int appt_status_is_final(enum appt_status s);

/* Returns 1 when s keeps its time taken (a_venir, vu, non_venu: it
 * counts for overlaps and room capacity), 0 when its time is free again
 * (excuse and the cancellations). */
int appt_status_holds_time(enum appt_status s);

/*
 * May actor move an appointment starting at start from status from to
 * status to at now (see the diagram above)? deadline_ms is the motif's
 * cancellation deadline for users. Returns APPT_OK; APPT_PARAMETRE_INVALIDE
 * (a status outside the enum, or from == to), APPT_RDV_DEJA_ANNULE (from
 * is final), APPT_ACTION_INTERDITE (a user asking anything but
 * annule_usager, an agent asking annule_usager), APPT_RDV_NON_COMMENCE
 * (vu or non_venu before the start), APPT_RDV_PASSE (annule_agent from
 * the start on, or annule_usager from the start on),
 * APPT_ANNULATION_TROP_TARDIVE (a user past the deadline),
 * APPT_TRANSITION_INTERDITE (any other pair). Pure.
 */
enum appt_code appt_status_check(enum appt_actor actor, enum appt_status from,
    enum appt_status to, int64_t start, int64_t now, int64_t deadline_ms);

/*
 * May actor move or edit (time, place, agent, motif) an appointment in
 * status s starting at start, at now? APPT_RDV_DEJA_ANNULE for a final
 * status, APPT_TRANSITION_INTERDITE for vu / non_venu / excuse, then
 * appt_check_change(actor, APPT_CHANGE_MOVE, ...). Pure.
 */
enum appt_code appt_status_check_edit(enum appt_actor actor, enum appt_status s,
    int64_t start, int64_t now, int64_t deadline_ms);

#endif
