/*
 * appt_avail.h (store) - what the free-slot computation reads of the
 * organisation side: for one organisation, one motif, an optional place
 * and a period, the live plages serving that motif (with their exception
 * days in the period) and the live absences of their agents, in the
 * structs of the pure rules (appointments/appt_recur.h), ready for
 * appt_recur_expand and appt_absence_expand.
 *
 * A plage counts when it, its agent, its place (if any), the motif and
 * the motif's service are live and its dates meet the period; an absence when
 * it and its agent are live and its dates meet the period. Conventions of
 * store/identity.h.
 */
#ifndef CRENEAU_STORE_APPT_AVAIL_H
#define CRENEAU_STORE_APPT_AVAIL_H

#include <stddef.h>
#include <stdint.h>

#include "appointments/appt_recur.h"
#include "store/identity.h"
#include "store/store.h"

struct store_conn;

struct store_appt_avail_plage {
	int64_t id;
	size_t agent; /* index in store_appt_avail.agents */
	int64_t place_id; /* 0: none (phone or home motifs) */
	struct appt_recur recur; /* exceptions point into .days */
};

struct store_appt_avail_absence {
	int64_t id;
	size_t agent; /* index in store_appt_avail.agents */
	struct appt_absence absence; /* a one-off one in UTC (once) */
};

struct store_appt_avail {
	char (*agents)[STORE_ID_MAX]; /* account ids, increasing */
	size_t n_agents;
	struct store_appt_avail_plage *plages; /* increasing id */
	size_t n_plages;
	struct store_appt_avail_absence *absences; /* by agent, then id */
	size_t n_absences;
	int64_t *days; /* the exception days of every plage */
	size_t n_days;
};

/*
 * Reads into *out (its previous content is not freed) the plages of
 * org_id serving motif_id, at place_id only unless it is 0, that may
 * have an occurrence in [from, to) (UTC ms), and the absences of their
 * agents that may overlap it. An agent's index doubles as the agent id
 * of appt_agent_avail (appointments/appt_slots.h). Returns 0 (out
 * possibly empty), or -1 leaving out empty. Release with
 * store_appt_avail_free.
 */
int store_appt_avail_read(struct store *st, struct store_conn *c,
    const char *org_id, int64_t motif_id, int64_t place_id, int64_t from,
    int64_t to, struct store_appt_avail *out);

/* Frees the arrays of a and empties it; a may be NULL. */
void store_appt_avail_free(struct store_appt_avail *a);

#endif
