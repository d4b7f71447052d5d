/*
 * appt_rules.h - the checks a booking, a change or a cancellation of an
 * appointment must pass, as pure functions over plain values.
 *
 * Times are UTC ms; intervals are half-open (appt_interval.h), so an
 * appointment ending at 10:00 does not overlap one starting at 10:00.
 * The service layer loads what a check needs (in the same transaction as
 * the write that follows) and calls these; a check changes nothing.
 */
#ifndef CRENEAU_APPT_RULES_H
#define CRENEAU_APPT_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "appointments/appt_codes.h"
#include "appointments/appt_interval.h"
#include "core/limits.h"

/* Who acts: an agent of the organisation, or the user (usager) online. */
enum appt_actor { APPT_BY_AGENT = 0, APPT_BY_USER };

/* What is done to an existing appointment. */
enum appt_change {
	APPT_CHANGE_CANCEL = 0,
	APPT_CHANGE_MOVE /* another time, place or agent */
};

/*
 * Booking delays of a motif for a booking by a user at now for start:
 * APPT_RDV_PASSE when start <= now, APPT_DELAI_MINIMUM_NON_RESPECTE when
 * start < now + min_delay_ms, APPT_DELAI_MAXIMUM_DEPASSE when max_delay_ms
 * > 0 and start > now + max_delay_ms, else APPT_OK. An agent booking is
 * not bound by the motif's delays: the service calls this for users only.
 * Pure.
 */
enum appt_code appt_check_delays(int64_t start, int64_t now,
    int64_t min_delay_ms, int64_t max_delay_ms);

/*
 * May actor cancel or move, at now, an appointment starting at start?
 *  - an agent: until the start (APPT_RDV_PASSE from start on);
 *  - a user: until deadline_ms before the start, included
 *    (now <= start - deadline_ms), else APPT_ANNULATION_TROP_TARDIVE or
 *    APPT_MODIFICATION_TROP_TARDIVE; APPT_RDV_PASSE from start on.
 * deadline_ms < 0 is read as 0. Pure.
 */
enum appt_code appt_check_change(enum appt_actor actor, enum appt_change what,
    int64_t start, int64_t now, int64_t deadline_ms);

/*
 * Collective session: may adding more participants to participants
 * already there stay within capacity? APPT_CAPACITE_ATTEINTE when
 * participants + adding > capacity, APPT_PARAMETRE_INVALIDE when a count
 * is negative or capacity < 1, else APPT_OK. Pure.
 */
enum appt_code appt_check_capacity(int participants, int adding, int capacity);

/*
 * May an agent take an individual appointment over slot? busy holds the
 * agent's other live appointments (cancelled ones left out, the one being
 * moved left out), absences the agent's expanded absences; neither needs
 * to be sorted. APPT_CRENEAU_DEJA_PRIS when an appointment overlaps,
 * APPT_AGENT_INDISPONIBLE when an absence overlaps (appointments
 * checked first), APPT_PARAMETRE_INVALIDE when slot is empty, else
 * APPT_OK. Pure, O(n + m).
 */
enum appt_code appt_check_agent_free(struct appt_interval slot,
    const struct appt_interval *busy, size_t n_busy,
    const struct appt_interval *absences, size_t n_absences);

/*
 * May a user (or relative) be in an appointment over slot? others holds
 * their other live appointments, any order. APPT_USAGER_DEJA_EN_RDV when
 * one overlaps, else APPT_OK. Pure.
 */
enum appt_code appt_check_user_free(struct appt_interval slot,
    const struct appt_interval *others, size_t n);

/*
 * Room capacity of a place: others holds the live appointments at the
 * place (at least those overlapping slot; any order, others ignored);
 * capacity is how many may run at the same time (0: no limit).
 * APPT_LIEU_COMPLET when at some instant of slot capacity of them already
 * run, APPT_PARAMETRE_INVALIDE when slot is empty or capacity negative,
 * else APPT_OK. O(n + k log k) for the k overlapping slot, swept in a
 * stack buffer: more than APPT_PLACE_SWEEP_MAX of them answers
 * APPT_LIEU_COMPLET (fail closed). Pure.
 */
#define APPT_PLACE_SWEEP_MAX LIMIT_APPT_PLACE_SWEEP
enum appt_code appt_check_place_room(struct appt_interval slot,
    const struct appt_interval *others, size_t n, int capacity);

/*
 * The times a place is full, for the free-slot search: busy holds the
 * live appointments and holds at the place (any order), capacity how many
 * may run at once (0: no limit, nothing is full). Writes to out (room for
 * max) the increasing, disjoint intervals during which capacity or more
 * of them run, and returns how many there are (more than max: only the
 * first max are written; callers then refuse rather than offer a slot
 * that would be refused). A slot is free of the place's limit exactly
 * when it overlaps none of them, as appt_check_place_room answers.
 * Sorts busy's copy in scratch (room for 2 n edges, caller's). Pure.
 */
struct appt_place_edge {
	int64_t at;
	int delta; /* +1 when an appointment starts, -1 when one ends */
};
size_t appt_place_full(const struct appt_interval *busy, size_t n, int capacity,
    struct appt_place_edge *scratch, struct appt_interval *out, size_t max);

/*
 * Is slot within the opening hours? open holds the expanded opening
 * intervals of the agent at the place for the motif, normalized
 * (adjacent plages merged). APPT_HORS_PLAGE_OUVERTURE when no interval
 * covers slot whole, else APPT_OK. For a single plage's recurrence,
 * appt_recur_covers answers the same question. Pure.
 */
enum appt_code appt_check_in_opening(struct appt_interval slot,
    const struct appt_interval *open, size_t n);

#endif
