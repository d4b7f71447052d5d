/* appt_rules.c - the checks of a booking, change or cancellation: delays,
 * deadlines, collective capacity, overlaps, room capacity, opening
 * hours. */
#include "appointments/appt_rules.h"

#include <stdlib.h>

enum appt_code
appt_check_delays(int64_t start, int64_t now, int64_t min_delay_ms,
    int64_t max_delay_ms)
{
	if (start <= now)
		return APPT_RDV_PASSE;
	if (min_delay_ms > 0 && start - now < min_delay_ms)
		return APPT_DELAI_MINIMUM_NON_RESPECTE;
	if (max_delay_ms > 0 && start - now > max_delay_ms)
		return APPT_DELAI_MAXIMUM_DEPASSE;
	return APPT_OK;
}

enum appt_code
appt_check_change(enum appt_actor actor, enum appt_change what, int64_t start,
    int64_t now, int64_t deadline_ms)
{
	if (now >= start)
		return APPT_RDV_PASSE;
	if (actor == APPT_BY_AGENT)
		return APPT_OK;
	if (deadline_ms < 0)
		deadline_ms = 0;
	if (start - now < deadline_ms)
		return what == APPT_CHANGE_CANCEL
		    ? APPT_ANNULATION_TROP_TARDIVE
		    : APPT_MODIFICATION_TROP_TARDIVE;
	return APPT_OK;
}

enum appt_code
appt_check_capacity(int participants, int adding, int capacity)
{
	if (participants < 0 || adding < 0 || capacity < 1)
		return APPT_PARAMETRE_INVALIDE;
	if (adding > capacity - participants)
		return APPT_CAPACITE_ATTEINTE;
	return APPT_OK;
}

/* Returns 1 when one of v (n, any order) overlaps x. */
static int
any_overlap(struct appt_interval x, const struct appt_interval *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (appt_interval_overlaps(x, v[i]))
			return 1;
	return 0;
}

enum appt_code
appt_check_agent_free(struct appt_interval slot,
    const struct appt_interval *busy, size_t n_busy,
    const struct appt_interval *absences, size_t n_absences)
{
	if (slot.start >= slot.end)
		return APPT_PARAMETRE_INVALIDE;
	if (any_overlap(slot, busy, n_busy))
		return APPT_CRENEAU_DEJA_PRIS;
	if (any_overlap(slot, absences, n_absences))
		return APPT_AGENT_INDISPONIBLE;
	return APPT_OK;
}

enum appt_code
appt_check_user_free(struct appt_interval slot,
    const struct appt_interval *others, size_t n)
{
	if (slot.start >= slot.end)
		return APPT_PARAMETRE_INVALIDE;
	return any_overlap(slot, others, n) ? APPT_USAGER_DEJA_EN_RDV : APPT_OK;
}

/* Edges of the room sweep: at the same instant ends come first
 * (touching ones do not overlap). */
static int
by_edge(const void *a, const void *b)
{
	const struct appt_place_edge *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->delta - y->delta;
}

enum appt_code
appt_check_place_room(struct appt_interval slot,
    const struct appt_interval *others, size_t n, int capacity)
{
	struct appt_place_edge e[2 * APPT_PLACE_SWEEP_MAX];
	size_t i, k = 0;
	int running = 0;

	if (slot.start >= slot.end || capacity < 0)
		return APPT_PARAMETRE_INVALIDE;
	if (capacity == 0)
		return APPT_OK;
	for (i = 0; i < n; i++) {
		int64_t s = others[i].start, t = others[i].end;

		if (!appt_interval_overlaps(slot, others[i]))
			continue;
		if (k + 2 > 2 * APPT_PLACE_SWEEP_MAX)
			return APPT_LIEU_COMPLET;
		/* Only the part within the slot matters. */
		e[k++] =
		    (struct appt_place_edge){ s < slot.start ? slot.start : s,
			    1 };
		e[k++] =
		    (struct appt_place_edge){ t > slot.end ? slot.end : t, -1 };
	}
	qsort(e, k, sizeof(e[0]), by_edge);
	for (i = 0; i < k; i++) {
		running += e[i].delta;
		if (running >= capacity)
			return APPT_LIEU_COMPLET;
	}
	return APPT_OK;
}

size_t
appt_place_full(const struct appt_interval *busy, size_t n, int capacity,
    struct appt_place_edge *scratch, struct appt_interval *out, size_t max)
{
	size_t i, k = 0, found = 0;
	int running = 0;
	int64_t since = 0;

	if (capacity <= 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (busy[i].start >= busy[i].end)
			continue;
		scratch[k++] = (struct appt_place_edge){ busy[i].start, 1 };
		scratch[k++] = (struct appt_place_edge){ busy[i].end, -1 };
	}
	/* Ends sort before starts at one instant: touching ones do not
	 * overlap, and a full time that ends as another begins is one. */
	qsort(scratch, k, sizeof(scratch[0]), by_edge);
	for (i = 0; i < k; i++) {
		int was = running >= capacity;

		running += scratch[i].delta;
		if (!was && running >= capacity)
			since = scratch[i].at;
		else if (was && running < capacity) {
			/* Merge with the previous one when they touch. */
			if (found > 0 && found <= max &&
			    out[found - 1].end == since)
				out[found - 1].end = scratch[i].at;
			else {
				if (found < max)
					out[found] =
					    (struct appt_interval){ since,
						    scratch[i].at };
				found++;
			}
		}
	}
	return found;
}

enum appt_code
appt_check_in_opening(struct appt_interval slot,
    const struct appt_interval *open, size_t n)
{
	return appt_intervals_cover(open, n, slot) ? APPT_OK
						   : APPT_HORS_PLAGE_OUVERTURE;
}
