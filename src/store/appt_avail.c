/* appt_avail.c (store) - the plages and absences the free-slot
 * computation reads, in the structs of the pure rules. */
#include "store/appt_avail.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "appointments/appt_time.h"
#include "store/driver.h"

/*
 * The plages of $1 (org) serving motif $2 at place $3 (0: any) meeting
 * the local days $4..$5; the motif, its service, agent and place live.
 */
#define PLAGES_FROM                                                            \
	" FROM appt_plages p"                                                  \
	" JOIN appt_plage_motifs pm ON pm.plage_id = p.id"                     \
	" JOIN appt_motifs m ON m.id = pm.motif_id"                            \
	" JOIN appt_services s ON s.id = m.service_id"                         \
	" JOIN appt_agents a ON a.account_id = p.agent_id"                     \
	" LEFT JOIN appt_places l ON l.id = p.place_id"                        \
	" WHERE p.org_id = $1 AND pm.motif_id = $2 AND m.org_id = $1"          \
	" AND (p.place_id = $3 OR $3 = 0)"                                     \
	" AND p.archived_at IS NULL AND m.archived_at IS NULL"                 \
	" AND s.archived_at IS NULL"                                           \
	" AND a.archived_at IS NULL AND a.org_id = $1"                         \
	" AND (p.place_id IS NULL OR l.archived_at IS NULL)"                   \
	" AND p.first_day <= $5 AND (p.last_day IS NULL OR p.last_day >= $4)"

/* Grows array *v of n items of size bytes to hold one more. */
static int
grow(void *vp, size_t *cap, size_t n, size_t size)
{
	void **v = vp, *nv;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 16;
	if (c > SIZE_MAX / size || (nv = realloc(*v, c * size)) == NULL)
		return -1;
	*v = nv;
	*cap = c;
	return 0;
}

struct reader {
	const struct store_driver *d;
	struct store_appt_avail *a;
	size_t cap_agents, cap_plages, cap_absences, cap_days;
	size_t *day_plage; /* for each exception day, its plage index */
	size_t cap_day_plage;
	int bad;
};

/* Finds account id among the agents (increasing). Returns its index, or
 * n_agents. */
static size_t
agent_index(const struct store_appt_avail *a, const char *id)
{
	size_t lo = 0, hi = a->n_agents, mid;
	int k;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		k = strcmp(a->agents[mid], id);
		if (k == 0)
			return mid;
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return a->n_agents;
}

static int
agent_row(void *arg, const struct store_row *r)
{
	struct reader *x = arg;
	struct store_appt_avail *a = x->a;

	if (grow(&a->agents, &x->cap_agents, a->n_agents, sizeof(*a->agents)) !=
		0 ||
	    store_row_copy_text(a->agents[a->n_agents], sizeof(a->agents[0]),
		x->d, r, 0) != 0) {
		x->bad = 1;
		return 1;
	}
	a->n_agents++;
	return 0;
}

/* The recurrence columns from col: first_day, last_day, every_weeks,
 * weekdays, start_min, end_min. */
static void
recur_row(const struct store_driver *d, const struct store_row *r, int col,
    struct appt_recur *x)
{
	memset(x, 0, sizeof(*x));
	x->first_day = d->row_int(r, col);
	x->last_day =
	    d->row_is_null(r, col + 1) ? APPT_NO_END : d->row_int(r, col + 1);
	x->every_weeks = (int)d->row_int(r, col + 2);
	x->weekdays = (unsigned)d->row_int(r, col + 3);
	x->start_minute = (int)d->row_int(r, col + 4);
	x->end_minute = (int)d->row_int(r, col + 5);
}

static int
plage_row(void *arg, const struct store_row *r)
{
	struct reader *x = arg;
	struct store_appt_avail *a = x->a;
	struct store_appt_avail_plage *p;
	char agent[STORE_ID_MAX];

	if (grow(&a->plages, &x->cap_plages, a->n_plages, sizeof(*a->plages)) !=
		0 ||
	    store_row_copy_text(agent, sizeof(agent), x->d, r, 1) != 0) {
		x->bad = 1;
		return 1;
	}
	p = &a->plages[a->n_plages];
	memset(p, 0, sizeof(*p));
	p->id = x->d->row_int(r, 0);
	p->agent = agent_index(a, agent);
	p->place_id = x->d->row_is_null(r, 2) ? 0 : x->d->row_int(r, 2);
	recur_row(x->d, r, 3, &p->recur);
	if (p->agent == a->n_agents) {
		x->bad = 1;
		return 1;
	}
	a->n_plages++;
	return 0;
}

/* Finds plage id among the plages (increasing id). */
static size_t
plage_index(const struct store_appt_avail *a, int64_t id)
{
	size_t lo = 0, hi = a->n_plages, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (a->plages[mid].id == id)
			return mid;
		if (a->plages[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return a->n_plages;
}

static int
day_row(void *arg, const struct store_row *r)
{
	struct reader *x = arg;
	struct store_appt_avail *a = x->a;
	size_t k = plage_index(a, x->d->row_int(r, 0));

	if (k == a->n_plages)
		return 0; /* not a plage of the answer */
	if (grow(&a->days, &x->cap_days, a->n_days, sizeof(*a->days)) != 0 ||
	    grow(&x->day_plage, &x->cap_day_plage, a->n_days,
		sizeof(*x->day_plage)) != 0) {
		x->bad = 1;
		return 1;
	}
	a->days[a->n_days] = x->d->row_int(r, 1);
	x->day_plage[a->n_days++] = k;
	return 0;
}

static int
absence_row(void *arg, const struct store_row *r)
{
	struct reader *x = arg;
	struct store_appt_avail *a = x->a;
	struct store_appt_avail_absence *b;
	struct appt_recur rec;
	char agent[STORE_ID_MAX];

	if (grow(&a->absences, &x->cap_absences, a->n_absences,
		sizeof(*a->absences)) != 0 ||
	    store_row_copy_text(agent, sizeof(agent), x->d, r, 1) != 0) {
		x->bad = 1;
		return 1;
	}
	b = &a->absences[a->n_absences];
	memset(b, 0, sizeof(*b));
	b->id = x->d->row_int(r, 0);
	b->agent = agent_index(a, agent);
	if (b->agent == a->n_agents)
		return 0; /* not an agent of the answer */
	recur_row(x->d, r, 2, &rec);
	if (rec.every_weeks == 0) {
		b->absence.once.start =
		    appt_paris_to_utc(rec.first_day, rec.start_minute, NULL);
		b->absence.once.end =
		    appt_paris_to_utc(rec.last_day, rec.end_minute, NULL);
	} else {
		b->absence.recurring = 1;
		b->absence.recur = rec;
	}
	a->n_absences++;
	return 0;
}

int
store_appt_avail_read(struct store *st, struct store_conn *c,
    const char *org_id, int64_t motif_id, int64_t place_id, int64_t from,
    int64_t to, struct store_appt_avail *out)
{
	struct store_val p[5];
	struct reader x;
	size_t i, k;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&x, 0, sizeof(x));
	x.d = store_drv(st);
	x.a = out;
	if (to <= from)
		return 0;
	p[0] = SV_T(org_id);
	p[1] = SV_I(motif_id);
	p[2] = SV_I(place_id);
	p[3] = SV_I(appt_paris_day(from));
	p[4] = SV_I(appt_paris_day(to - 1));
	if (x.d->exec(c,
		"SELECT DISTINCT p.agent_id" PLAGES_FROM " ORDER BY p.agent_id",
		p, 5, agent_row, &x) != 0 ||
	    x.bad)
		goto done;
	if (out->n_agents == 0) {
		rc = 0;
		goto done;
	}
	if (x.d->exec(c,
		"SELECT DISTINCT p.id, p.agent_id, p.place_id, p.first_day,"
		" p.last_day, p.every_weeks, p.weekdays, p.start_min,"
		" p.end_min" PLAGES_FROM " ORDER BY p.id",
		p, 5, plage_row, &x) != 0 ||
	    x.bad ||
	    x.d->exec(c,
		"SELECT e.plage_id, e.day FROM appt_plage_exceptions e"
		" WHERE e.day BETWEEN $4 AND $5 AND e.plage_id IN"
		" (SELECT p.id" PLAGES_FROM ") ORDER BY e.plage_id, e.day",
		p, 5, day_row, &x) != 0 ||
	    x.bad ||
	    x.d->exec(c,
		"SELECT b.id, b.agent_id, b.first_day, b.last_day,"
		" b.every_weeks, b.weekdays, b.start_min, b.end_min"
		" FROM appt_absences b WHERE b.org_id = $1"
		" AND b.archived_at IS NULL AND b.first_day <= $5"
		" AND (b.last_day IS NULL OR b.last_day >= $4)"
		" AND b.agent_id IN (SELECT p.agent_id" PLAGES_FROM ")"
		" ORDER BY b.agent_id, b.id",
		p, 5, absence_row, &x) != 0 ||
	    x.bad)
		goto done;
	/* The days came by plage: point each plage at its run. */
	for (i = 0; i < out->n_days; i = k) {
		for (k = i; k < out->n_days && x.day_plage[k] == x.day_plage[i];
		     k++)
			;
		out->plages[x.day_plage[i]].recur.exceptions = &out->days[i];
		out->plages[x.day_plage[i]].recur.n_exceptions = k - i;
	}
	rc = 0;
done:
	free(x.day_plage);
	if (rc != 0)
		store_appt_avail_free(out);
	return rc;
}

void
store_appt_avail_free(struct store_appt_avail *a)
{
	if (a == NULL)
		return;
	free(a->agents);
	free(a->plages);
	free(a->absences);
	free(a->days);
	memset(a, 0, sizeof(*a));
}
